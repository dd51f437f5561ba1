//! CodePipeline as unstick sees it: the project's own types, filled once at the AWS edge.

use jiff::Timestamp;
use serde::Serialize;

use super::status::{ActionStatus, PipelineExecutionStatus, StageStatus};

/// One row of `ListPipelines`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineSummary {
    pub name: String,
    pub version: Option<i32>,
    pub pipeline_type: Option<String>,
    pub execution_mode: Option<String>,
    pub updated: Option<Timestamp>,
}

/// `GetPipelineState`: what each stage is doing now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineState {
    pub pipeline_name: String,
    pub pipeline_version: Option<i32>,
    pub stages: Vec<StageState>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageState {
    pub stage_name: String,
    pub latest_execution: Option<StageExecution>,
    pub inbound_transition: Option<Transition>,
    pub actions: Vec<ActionState>,
    pub retry: Option<RetryMetadata>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageExecution {
    pub pipeline_execution_id: String,
    pub status: StageStatus,
    /// `type`: ROLLBACK when the run was a rollback.
    pub rollback: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transition {
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub last_changed_by: Option<String>,
    pub last_changed_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryMetadata {
    pub auto_stage_retry_attempt: Option<i32>,
    pub manual_stage_retry_attempt: Option<i32>,
    pub latest_retry_trigger: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionState {
    pub action_name: String,
    /// None when the action has not run in the stage's latest execution.
    pub status: Option<ActionStatus>,
    pub summary: Option<String>,
    pub last_status_change: Option<Timestamp>,
    pub external_execution_url: Option<String>,
    /// What the action ran: a CodeBuild build id, a Step Functions execution ARN…
    pub external_execution_id: Option<String>,
    pub error: Option<ErrorDetails>,
    pub percent_complete: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    #[serde(rename = "errorCode")]
    pub code: String,
    #[serde(rename = "errorMessage")]
    pub message: String,
}

/// `GetPipeline`: the declared shape, needed for run order (which actions run together).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineStructure {
    pub name: String,
    pub version: Option<i32>,
    pub pipeline_arn: Option<String>,
    pub stages: Vec<StageDeclaration>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageDeclaration {
    pub name: String,
    pub actions: Vec<ActionDeclaration>,
    /// `onFailure.result`: ROLLBACK, FAIL, RETRY or SKIP.
    pub on_failure: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionDeclaration {
    pub name: String,
    pub run_order: i32,
    pub category: String,
    pub provider: String,
}

/// `GetPipelineExecution` / one `ListPipelineExecutions` row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineExecution {
    pub pipeline_execution_id: String,
    pub status: PipelineExecutionStatus,
    /// Only `GetPipelineExecution` carries it; it is what decides whether a retry is allowed.
    pub pipeline_version: Option<i32>,
    pub status_summary: Option<String>,
    pub start_time: Option<Timestamp>,
    pub last_update_time: Option<Timestamp>,
    pub trigger: Option<String>,
}

impl PipelineStructure {
    pub fn stage(&self, name: &str) -> Option<&StageDeclaration> {
        self.stages.iter().find(|stage| stage.name == name)
    }

    /// The provider of one action (`CodeBuild`, `StepFunctions`…), as declared.
    pub fn provider(&self, stage: &str, action: &str) -> Option<&str> {
        self.stage(stage)?
            .actions
            .iter()
            .find(|a| a.name == action)
            .map(|a| a.provider.as_str())
    }

    /// The account id, read from the pipeline ARN (arn:aws:codepipeline:REGION:ACCOUNT:NAME).
    pub fn account(&self) -> Option<&str> {
        self.pipeline_arn
            .as_deref()
            .and_then(|arn| arn.split(':').nth(4))
            .filter(|account| !account.is_empty())
    }
}

impl StageState {
    pub fn status(&self) -> Option<&StageStatus> {
        self.latest_execution.as_ref().map(|run| &run.status)
    }

    pub fn actions_with(&self, status: &ActionStatus) -> Vec<&ActionState> {
        self.actions
            .iter()
            .filter(|action| action.status.as_ref() == Some(status))
            .collect()
    }

    /// The most recent change of any action in this stage.
    pub fn last_change(&self) -> Option<Timestamp> {
        self.actions
            .iter()
            .filter_map(|action| action.last_status_change)
            .max()
    }
}

/// A group of actions that run at the same time (same `runOrder`), in declared order.
#[derive(Debug, Clone, PartialEq)]
pub struct RunGroup<'a> {
    pub run_order: i32,
    pub actions: Vec<&'a ActionState>,
}

/// Groups a stage's action states by run order. Without the structure (not loaded yet)
/// every action stands alone in the order AWS listed it.
pub fn run_groups<'a>(
    stage: &'a StageState,
    declared: Option<&StageDeclaration>,
) -> Vec<RunGroup<'a>> {
    let order_of = |name: &str| {
        declared
            .and_then(|decl| decl.actions.iter().find(|action| action.name == name))
            .map(|action| action.run_order)
    };
    let mut groups: Vec<RunGroup<'a>> = Vec::new();
    for (index, action) in stage.actions.iter().enumerate() {
        let run_order = order_of(&action.action_name).unwrap_or(index as i32 + 1);
        match groups.iter_mut().find(|group| group.run_order == run_order) {
            Some(group) => group.actions.push(action),
            None => groups.push(RunGroup {
                run_order,
                actions: vec![action],
            }),
        }
    }
    groups.sort_by_key(|group| group.run_order);
    groups
}
