//! Domain types and the data the dashboard holds. Nothing here talks to AWS.

pub mod execution;
pub mod failure;
pub mod freshness;
pub mod history;
pub mod identity;
pub mod overview;
pub mod paged;
pub mod pipeline;
pub mod receipt;
pub mod scopes;
pub mod sfn;
pub mod status;
pub mod text;

use std::collections::BTreeMap;

pub use execution::*;
pub use failure::{CaughtFrom, Failure, PathStep, find_failure, pretty_cause};
pub use freshness::{Freshness, Tracked, ago};
pub use history::{ActionRun, stages_of_execution, version_of_execution};
pub use identity::CallerIdentity;
pub use paged::Paged;
pub use pipeline::*;
pub use receipt::{RedriveReceipt, RetryReceipt};
pub use sfn::{ExecutionHistory, SfnModel};
pub use status::{
    ActionStatus, ExecutionStatus, PipelineExecutionStatus, RedriveStatus, StageStatus, StatusLook,
    Tone,
};

/// Everything fetched from AWS, each piece with its freshness. Owned by `App` alone.
#[derive(Debug, Default)]
pub struct Model {
    /// Whose credentials these are (STS GetCallerIdentity): the account every write goes to.
    pub identity: Tracked<CallerIdentity>,
    pub pipelines: Tracked<Vec<PipelineSummary>>,
    pub states: BTreeMap<String, Tracked<PipelineState>>,
    pub structures: BTreeMap<String, Tracked<PipelineStructure>>,
    /// `GetPipelineExecution` results, keyed by (pipeline, execution id).
    pub executions: BTreeMap<(String, String), Tracked<PipelineExecution>>,
    /// `ListPipelineExecutions`, newest first.
    pub histories: BTreeMap<String, Tracked<Vec<PipelineExecution>>>,
    /// `ListActionExecutions` for one execution, keyed by (pipeline, execution id).
    pub action_runs: BTreeMap<(String, String), Tracked<Vec<ActionRun>>>,
    pub sfn: SfnModel,
}

impl Model {
    pub fn state(&self, pipeline: &str) -> Option<&PipelineState> {
        self.states
            .get(pipeline)
            .and_then(|tracked| tracked.data.as_ref())
    }

    pub fn structure(&self, pipeline: &str) -> Option<&PipelineStructure> {
        self.structures
            .get(pipeline)
            .and_then(|tracked| tracked.data.as_ref())
    }

    pub fn execution(&self, pipeline: &str, id: &str) -> Option<&PipelineExecution> {
        self.executions
            .get(&(pipeline.to_string(), id.to_string()))
            .and_then(|tracked| tracked.data.as_ref())
    }

    pub fn history(&self, pipeline: &str) -> &[PipelineExecution] {
        self.histories
            .get(pipeline)
            .and_then(|tracked| tracked.data.as_deref())
            .unwrap_or_default()
    }

    pub fn action_runs(&self, pipeline: &str, id: &str) -> Option<&[ActionRun]> {
        self.action_runs
            .get(&(pipeline.to_string(), id.to_string()))
            .and_then(|tracked| tracked.data.as_deref())
    }

    /// The pipeline executions in which a stage of `pipeline` failed (its latest run):
    /// their pipeline version decides whether a retry is allowed.
    pub fn failed_runs(&self, pipeline: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .state(pipeline)
            .map(|state| state.stages.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|stage| stage.latest_execution.as_ref())
            .filter(|run| run.status == StageStatus::Failed)
            .map(|run| run.pipeline_execution_id.clone())
            .collect();
        ids.dedup();
        ids
    }

    pub fn pipeline_names(&self) -> Vec<&str> {
        self.pipelines
            .data
            .iter()
            .flatten()
            .map(|summary| summary.name.as_str())
            .collect()
    }
}
