//! A past execution, rebuilt from `ListActionExecutions`: GetPipelineState only shows
//! each stage's latest run, so looking back needs the per-action history.

use jiff::Timestamp;
use serde::Serialize;

use super::pipeline::{ActionState, ErrorDetails, PipelineStructure, StageExecution, StageState};
use super::status::{ActionStatus, StageStatus};

/// One `ActionExecutionDetail`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionRun {
    pub pipeline_execution_id: String,
    pub stage_name: String,
    pub action_name: String,
    pub status: ActionStatus,
    pub pipeline_version: Option<i32>,
    pub last_update_time: Option<Timestamp>,
    pub error: Option<ErrorDetails>,
    pub external_execution_url: Option<String>,
    pub external_execution_id: Option<String>,
    pub summary: Option<String>,
}

/// The stages of one execution as they ended (or stand), in declared order. Stages the
/// execution never reached are listed as not run. When an action ran more than once
/// (a retry), its latest run counts.
pub fn stages_of_execution(
    execution_id: &str,
    runs: &[ActionRun],
    structure: &PipelineStructure,
) -> Vec<StageState> {
    structure
        .stages
        .iter()
        .map(|declared| {
            let actions: Vec<ActionState> = declared
                .actions
                .iter()
                .map(|action| {
                    let latest = runs
                        .iter()
                        .filter(|run| {
                            run.pipeline_execution_id == execution_id
                                && run.stage_name == declared.name
                                && run.action_name == action.name
                        })
                        .max_by_key(|run| run.last_update_time);
                    ActionState {
                        action_name: action.name.clone(),
                        status: latest.map(|run| run.status.clone()),
                        summary: latest.and_then(|run| run.summary.clone()),
                        last_status_change: latest.and_then(|run| run.last_update_time),
                        external_execution_url: latest
                            .and_then(|run| run.external_execution_url.clone()),
                        external_execution_id: latest
                            .and_then(|run| run.external_execution_id.clone()),
                        error: latest.and_then(|run| run.error.clone()),
                        percent_complete: None,
                    }
                })
                .collect();
            let statuses: Vec<&ActionStatus> =
                actions.iter().filter_map(|a| a.status.as_ref()).collect();
            let status = if statuses.is_empty() {
                None
            } else if statuses.contains(&&ActionStatus::Failed) {
                Some(StageStatus::Failed)
            } else if statuses.contains(&&ActionStatus::InProgress) {
                Some(StageStatus::InProgress)
            } else if statuses.contains(&&ActionStatus::Abandoned) {
                Some(StageStatus::Stopped)
            } else if statuses.len() == actions.len() {
                Some(StageStatus::Succeeded)
            } else {
                Some(StageStatus::InProgress)
            };
            StageState {
                stage_name: declared.name.clone(),
                latest_execution: status.map(|status| StageExecution {
                    pipeline_execution_id: execution_id.to_string(),
                    status,
                    rollback: false,
                }),
                inbound_transition: None,
                actions,
                retry: None,
            }
        })
        .collect()
}

/// The pipeline version an execution ran on, as its action runs report it.
pub fn version_of_execution(execution_id: &str, runs: &[ActionRun]) -> Option<i32> {
    runs.iter()
        .filter(|run| run.pipeline_execution_id == execution_id)
        .find_map(|run| run.pipeline_version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pipeline::{ActionDeclaration, StageDeclaration};

    fn structure() -> PipelineStructure {
        let stage = |name: &str, actions: &[&str]| StageDeclaration {
            name: name.into(),
            actions: actions
                .iter()
                .map(|a| ActionDeclaration {
                    name: (*a).into(),
                    run_order: 1,
                    category: "Build".into(),
                    provider: "CodeBuild".into(),
                })
                .collect(),
            on_failure: None,
        };
        PipelineStructure {
            name: "p".into(),
            version: Some(2),
            pipeline_arn: None,
            stages: vec![
                stage("Source", &["Src"]),
                stage("Test", &["A", "B"]),
                stage("Deploy", &["D"]),
            ],
        }
    }

    fn run(exec: &str, stage: &str, action: &str, status: &str, secs: i64) -> ActionRun {
        ActionRun {
            pipeline_execution_id: exec.into(),
            stage_name: stage.into(),
            action_name: action.into(),
            status: ActionStatus::parse(status),
            pipeline_version: Some(1),
            last_update_time: Some(Timestamp::from_second(1_800_000_000 + secs).unwrap()),
            error: None,
            external_execution_url: None,
            external_execution_id: None,
            summary: None,
        }
    }

    #[test]
    fn rebuilds_stages_and_keeps_the_latest_run_of_each_action() {
        let runs = vec![
            run("e1", "Source", "Src", "Succeeded", 0),
            run("e1", "Test", "A", "Failed", 10),
            run("e1", "Test", "A", "Succeeded", 50),
            run("e1", "Test", "B", "Failed", 12),
            run("e2", "Test", "B", "Succeeded", 99),
        ];
        let stages = stages_of_execution("e1", &runs, &structure());
        assert_eq!(stages[0].status(), Some(&StageStatus::Succeeded));
        assert_eq!(stages[1].status(), Some(&StageStatus::Failed));
        assert_eq!(stages[1].actions[0].status, Some(ActionStatus::Succeeded));
        assert_eq!(stages[1].actions[1].status, Some(ActionStatus::Failed));
        assert_eq!(stages[2].latest_execution, None, "never reached");
        assert_eq!(version_of_execution("e1", &runs), Some(1));
    }
}
