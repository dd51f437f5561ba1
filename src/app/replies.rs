//! Folding AWS replies into the model, keeping the last good data when a read fails.

use super::*;
use crate::model::Tracked;

/// The tracked dataset for `key`, made empty on first use.
pub(super) fn slot<K: Ord, T>(map: &mut BTreeMap<K, Tracked<T>>, key: K) -> &mut Tracked<T> {
    map.entry(key).or_default()
}

impl App {
    pub(super) fn on_loaded(&mut self, at: Timestamp, result: Loaded) -> Vec<Command> {
        let (read, outcome) = match &result {
            Loaded::Answered(reply) => (reply.read(), Outcome::Ok),
            Loaded::Failed(unread) if unread.error.is_throttling() => {
                (unread.read.clone(), Outcome::Throttled)
            }
            Loaded::Failed(unread) => (unread.read.clone(), Outcome::Failed),
        };
        self.schedule.finished(&read, self.now, outcome);
        // Throttling is said once, in the header, while the lane is paused; the rows
        // keep what they knew and are marked stale.
        if let Loaded::Answered(reply) = &result {
            self.note_cut(&read, reply.cut());
        }
        match result {
            Loaded::Answered(Reply::Identity(identity)) => {
                self.model.identity.succeed(identity, at);
            }
            Loaded::Answered(Reply::CodePipeline(reply)) => self.fold_pipeline_reply(reply, at),
            Loaded::Answered(Reply::StepFunctions(reply)) => self.fold_sfn_reply(reply, at),
            Loaded::Answered(Reply::CodeBuild(reply)) => self.fold_build_reply(reply, at),
            Loaded::Answered(Reply::Logs(reply)) => self.fold_logs_reply(reply, at),
            Loaded::Failed(Unread { read, error }) => self.record_failure(read, at, error),
        }
        // An open dialog must still be true to the newest data, and so must a reader.
        self.recheck_dialog();
        self.refresh_reader();
        self.notice_failures();
        self.take_notices()
    }

    /// Remembers which listings stopped before AWS's last page (and forgets those that
    /// reached it since), and says so once when it first happens.
    fn note_cut(&mut self, read: &Read, cut: Option<&str>) {
        match cut {
            None => {
                self.cut_short.remove(read);
            }
            Some(cut) => {
                let new = self.cut_short.insert(read.clone(), cut.to_string());
                if new.as_deref() != Some(cut) {
                    self.say(Tone::Warning, format!("{}: {cut}", read.describe()));
                }
            }
        }
    }

    pub(super) fn record_failure(&mut self, read: Read, at: Timestamp, error: AwsError) {
        let message = error.message.clone();
        match &read {
            Read::CallerIdentity => {
                // Writes still name the account from the target's ARN; say why it is missing.
                self.model.identity.fail(message.clone(), at);
                if !error.is_throttling() {
                    self.say(Tone::Warning, format!("Cannot tell the account: {message}"));
                }
            }
            Read::CodePipeline(read) => self.pipeline_read_failed(read, at, &error),
            Read::StepFunctions(read) => self.sfn_read_failed(read, at, &error),
            Read::CodeBuild(read) => self.build_read_failed(read, at, &error),
            Read::Logs(read) => self.logs_read_failed(read, at, &error),
        }
    }
}
