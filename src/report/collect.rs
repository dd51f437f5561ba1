//! Reads what the report needs into a headless `App`, so the report and the dashboard
//! share every rule about what the data means and what to read.

use std::time::Instant;

use jiff::Timestamp;

use super::complete::{Progress, Unread, read_until_complete};
use crate::action::{PipelineRead, Read, SfnRead};
use crate::app::{App, Depth, Settings};
use crate::aws::{AwsError, Clients};
use crate::poller::{Bucket, Schedule};

/// What the report read, and what it could not.
pub struct Collected {
    pub app: App,
    /// Left unread when the deadline passed: the report is incomplete.
    pub unread: Vec<Unread>,
    /// Refused by AWS for good; each item is reported with the refusal.
    pub refused: Vec<Unread>,
}

/// How the report reads.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// When to stop retrying and report what could not be read.
    pub deadline: Instant,
    /// The CodePipeline bucket assumed.
    pub codepipeline: Bucket,
    /// Also read each failure's log (`--logs`).
    pub logs: bool,
}

/// Fails only when neither service could be listed (no credentials, no endpoint…):
/// then there is nothing to report but that.
pub async fn collect(
    clients: &Clients,
    settings: Settings,
    reading: Reading,
    progress: impl FnMut(Progress),
) -> Result<Collected, AwsError> {
    // The report ends: it may use AWS's published rates whole.
    let schedule = Schedule::full_rate(settings.region.as_deref(), reading.codepipeline);
    let mut app = App::new(settings, schedule, Timestamp::now());
    let depth = if reading.logs {
        Depth::ReportWithLogs
    } else {
        Depth::Report
    };
    let ended = read_until_complete(&mut app, clients, depth, reading.deadline, progress).await;
    let failure_of = |wanted: Read| {
        ended
            .unread
            .iter()
            .chain(&ended.refused)
            .find(|unread| unread.read == wanted)
            .map(|unread| unread.error.clone())
    };
    if let (Some(pipelines), Some(_)) = (
        failure_of(Read::CodePipeline(PipelineRead::ListPipelines)),
        failure_of(Read::StepFunctions(SfnRead::StateMachines)),
    ) {
        return Err(pipelines);
    }
    Ok(Collected {
        app,
        unread: ended.unread,
        refused: ended.refused,
    })
}
