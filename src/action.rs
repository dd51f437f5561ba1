//! The one vocabulary: what can happen (`Action`) and what the app asks for (`Command`).

use jiff::Timestamp;
use ratatui::crossterm::event::KeyEvent;

use crate::aws::AwsError;
use crate::eligibility::RetryPlan;
use crate::model::{
    ActionRun, PipelineExecution, PipelineState, PipelineStructure, PipelineSummary,
};

/// What a person wants, after the key map has read the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Up,
    Down,
    Top,
    Bottom,
    Open,
    Back,
    SwitchView,
    Filter,
    Refresh,
    Help,
    Quit,
    RetryFailed,
    RetryAll,
    OlderExecution,
    NewerExecution,
    Confirm,
    Cancel,
}

/// Editing the filter line while `/` is active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterEdit {
    Insert(char),
    Backspace,
    /// Enter: keep the filter, stop typing.
    Accept,
    /// Esc: drop the filter.
    Clear,
}

#[derive(Debug, Clone)]
pub enum Action {
    /// A raw key; `App::update` resolves it through the key map for the current mode.
    Key(KeyEvent),
    Intent(Intent),
    Filter(FilterEdit),
    /// The clock moved: refresh "ago" labels and start reads that are due.
    Tick(Timestamp),
    /// The terminal changed size; the next frame adapts.
    Resize,
    Loaded {
        read: Read,
        at: Timestamp,
        result: Result<Payload, AwsError>,
    },
    RetryAnswered {
        plan: RetryPlan,
        result: Result<RetryReceipt, AwsError>,
    },
}

/// A read the poller can schedule. Also the key under which it is tracked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read {
    ListPipelines,
    State(String),
    Structure(String),
    History(String),
    Execution { pipeline: String, id: String },
    ActionRuns { pipeline: String, id: String },
}

#[derive(Debug, Clone)]
pub enum Payload {
    Pipelines(Vec<PipelineSummary>),
    State(PipelineState),
    Structure(PipelineStructure),
    History(Vec<PipelineExecution>),
    Execution(PipelineExecution),
    ActionRuns(Vec<ActionRun>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RetryReceipt {
    pub pipeline_execution_id: String,
    pub request_id: Option<String>,
}

/// Who is asking, for the audit log.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WriteContext {
    pub account: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Fetch(Read),
    /// Sent exactly once per confirmation; the runner audits it before it leaves.
    Retry {
        plan: RetryPlan,
        context: WriteContext,
    },
}
