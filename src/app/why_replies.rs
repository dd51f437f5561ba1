//! Folding CodeBuild's and CloudWatch Logs' replies into the model. A failure stays on
//! its item (the pane that shows it says why, in one line); the rest keeps working.

use super::replies::slot;
use super::*;
use crate::action::{BuildRead, BuildReply, LogsRead, LogsReply};

impl App {
    pub(super) fn fold_build_reply(&mut self, reply: BuildReply, at: Timestamp) {
        match reply {
            BuildReply::Build { id, build } => {
                slot(&mut self.model.codebuild.builds, id).succeed(*build, at);
            }
        }
    }

    pub(super) fn fold_logs_reply(&mut self, reply: LogsReply, at: Timestamp) {
        match reply {
            LogsReply::Lines { source, lines } => {
                slot(&mut self.model.logs.logs, source).succeed(lines, at);
            }
        }
    }

    pub(super) fn build_read_failed(&mut self, read: &BuildRead, at: Timestamp, error: &AwsError) {
        match read {
            BuildRead::Build(id) => {
                slot(&mut self.model.codebuild.builds, id.clone()).fail(error.message.clone(), at);
            }
        }
    }

    pub(super) fn logs_read_failed(&mut self, read: &LogsRead, at: Timestamp, error: &AwsError) {
        match read {
            LogsRead::Lines(source) => {
                slot(&mut self.model.logs.logs, source.clone()).fail(error.message.clone(), at);
            }
        }
    }
}
