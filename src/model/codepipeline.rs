//! The CodePipeline data the dashboard holds, each piece with its freshness.

use std::collections::BTreeMap;

use super::freshness::Tracked;
use super::history::ActionRun;
use super::pipeline::{PipelineExecution, PipelineState, PipelineStructure, PipelineSummary};
use super::status::StageStatus;

#[derive(Debug, Default)]
pub struct CodePipelineModel {
    /// ListPipelines.
    pub list: Tracked<Vec<PipelineSummary>>,
    pub states: BTreeMap<String, Tracked<PipelineState>>,
    pub structures: BTreeMap<String, Tracked<PipelineStructure>>,
    /// `GetPipelineExecution` results, keyed by (pipeline, execution id).
    pub executions: BTreeMap<(String, String), Tracked<PipelineExecution>>,
    /// `ListPipelineExecutions`, newest first.
    pub histories: BTreeMap<String, Tracked<Vec<PipelineExecution>>>,
    /// `ListActionExecutions` for one execution, keyed by (pipeline, execution id).
    pub action_runs: BTreeMap<(String, String), Tracked<Vec<ActionRun>>>,
}

impl CodePipelineModel {
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
        self.list
            .data
            .iter()
            .flatten()
            .map(|summary| summary.name.as_str())
            .collect()
    }
}
