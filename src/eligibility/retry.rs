//! Can this CodePipeline stage be retried, and if not, why? Pure functions of domain types.
//!
//! The detail pane, the key handler, the confirmation dialog and the report all ask
//! `retry_plan`, so what the screen promises is exactly what a key press does.

use serde::Serialize;

use super::{OwnWrite, short_id};
use crate::model::{ActionStatus, Model, StageState, StageStatus, StatusLook};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RetryMode {
    FailedActions,
    AllActions,
}

impl RetryMode {
    /// The `retryMode` value RetryStageExecution takes.
    pub fn as_aws(self) -> &'static str {
        match self {
            RetryMode::FailedActions => "FAILED_ACTIONS",
            RetryMode::AllActions => "ALL_ACTIONS",
        }
    }
}

/// Everything the rules look at, gathered by the caller from the model.
#[derive(Debug, Clone)]
pub struct RetryInput<'a> {
    pub pipeline: &'a str,
    /// The stage as seen in the execution being looked at.
    pub stage: &'a StageState,
    /// `pipelineVersion` from GetPipelineState: the structure as it is now.
    pub current_version: Option<i32>,
    /// `pipelineVersion` of the execution that failed (GetPipelineExecution).
    pub failed_version: FailedVersion,
    /// A later execution that has run this stage since, when the execution being looked
    /// at is not the stage's latest one.
    pub later_run: Option<LaterRun>,
    /// A RetryStageExecution this dashboard sent for this stage, until AWS shows it ended.
    pub own_write: Option<OwnWrite>,
    pub read_only: bool,
}

/// What we know of the pipeline version the failed execution ran on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailedVersion {
    /// GetPipelineExecution has not answered yet.
    Pending,
    /// GetPipelineExecution failed (throttled, denied…): it is read again; until then
    /// nothing says the structure is unchanged.
    Unreadable,
    /// AWS did not say (or could not be asked); AWS will check it itself.
    Unavailable,
    Known(i32),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LaterRun {
    pub pipeline_execution_id: String,
    pub status: StageStatus,
}

/// Why a retry would be refused. Each one has a plain-words explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "reason",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Reason {
    ReadOnly,
    NeverRan,
    RetryInProgress,
    OwnWrite {
        write: OwnWrite,
    },
    NotFailed {
        status: String,
    },
    NoFailedAction,
    ActionsInProgress {
        actions: Vec<String>,
    },
    StructureChanged {
        failed_version: i32,
        current_version: i32,
    },
    VersionUnknown,
    /// GetPipelineExecution failed: no verdict until it is read.
    VersionUnreadable,
    LaterExecution {
        later: LaterRun,
    },
}

impl Reason {
    pub fn explain(&self) -> String {
        match self {
            Reason::ReadOnly => "read-only mode: writes are disabled (--read-only)".into(),
            Reason::NeverRan => "this stage has not run yet".into(),
            Reason::RetryInProgress => "a retry of this stage is already in progress".into(),
            Reason::OwnWrite { write } => write.explain("retry"),
            Reason::NotFailed { status } => {
                format!("this run of the stage is {status}, not Failed")
            }
            Reason::NoFailedAction => "no action in this stage failed".into(),
            Reason::ActionsInProgress { actions } => format!(
                "still in progress: {} (retry all needs every action finished)",
                actions.join(", ")
            ),
            Reason::StructureChanged {
                failed_version,
                current_version,
            } => format!(
                "the pipeline changed since this run failed (failed on version {failed_version}, now version {current_version}); start a new execution instead"
            ),
            Reason::VersionUnknown => {
                "unknown yet: still reading which pipeline version this run used".into()
            }
            Reason::VersionUnreadable => {
                "unknown: which pipeline version this run used could not be read yet (GetPipelineExecution failed); reading it again"
                    .into()
            }
            Reason::LaterExecution { later } => {
                let id = short_id(&later.pipeline_execution_id);
                if later.status == StageStatus::Failed {
                    format!("the stage failed in a later execution ({id}); retry that one")
                } else {
                    format!(
                        "a later execution ({id}) has run this stage since ({}); only the latest can be retried",
                        later.status.word()
                    )
                }
            }
        }
    }
}

/// What a confirmed retry will do.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryPlan {
    pub pipeline_name: String,
    pub stage_name: String,
    pub pipeline_execution_id: String,
    pub retry_mode: RetryMode,
    /// The actions that will run again.
    pub reruns: Vec<String>,
    /// Actions that had succeeded and whose output artifacts the retry overwrites.
    pub overwrites: Vec<String>,
}

pub fn retry_plan(input: &RetryInput, mode: RetryMode) -> Result<RetryPlan, Vec<Reason>> {
    let mut reasons = Vec::new();
    if input.read_only {
        reasons.push(Reason::ReadOnly);
    }
    let stage = input.stage;
    let Some(latest) = &stage.latest_execution else {
        reasons.push(Reason::NeverRan);
        return Err(reasons);
    };
    let manual_retry_running = latest.status == StageStatus::InProgress
        && stage
            .retry
            .as_ref()
            .and_then(|retry| retry.manual_stage_retry_attempt)
            .is_some_and(|attempts| attempts > 0);
    if let Some(write) = input.own_write {
        reasons.push(Reason::OwnWrite { write });
    } else if manual_retry_running {
        reasons.push(Reason::RetryInProgress);
    } else if latest.status != StageStatus::Failed {
        reasons.push(Reason::NotFailed {
            status: latest.status.word().to_string(),
        });
    }
    let failed = names(stage, &ActionStatus::Failed);
    if latest.status == StageStatus::Failed && failed.is_empty() {
        reasons.push(Reason::NoFailedAction);
    }
    let running = names(stage, &ActionStatus::InProgress);
    if mode == RetryMode::AllActions && !running.is_empty() {
        reasons.push(Reason::ActionsInProgress { actions: running });
    }
    if let Some(later) = &input.later_run {
        reasons.push(Reason::LaterExecution {
            later: later.clone(),
        });
    }
    if latest.status == StageStatus::Failed {
        match (input.failed_version, input.current_version) {
            (FailedVersion::Known(failed_version), Some(current_version))
                if failed_version != current_version =>
            {
                reasons.push(Reason::StructureChanged {
                    failed_version,
                    current_version,
                })
            }
            (FailedVersion::Pending, _) => reasons.push(Reason::VersionUnknown),
            (FailedVersion::Unreadable, _) => reasons.push(Reason::VersionUnreadable),
            _ => {}
        }
    }
    if !reasons.is_empty() {
        return Err(reasons);
    }
    let (reruns, overwrites) = match mode {
        RetryMode::FailedActions => (failed, Vec::new()),
        RetryMode::AllActions => (
            stage
                .actions
                .iter()
                .map(|a| a.action_name.clone())
                .collect(),
            names(stage, &ActionStatus::Succeeded),
        ),
    };
    Ok(RetryPlan {
        pipeline_name: input.pipeline.to_string(),
        stage_name: stage.stage_name.clone(),
        pipeline_execution_id: latest.pipeline_execution_id.clone(),
        retry_mode: mode,
        reruns,
        overwrites,
    })
}

/// Gathers what the rules need for one stage from what has been read so far.
/// The dashboard and the report both use it.
pub fn gather<'a>(
    model: &'a Model,
    pipeline: &'a str,
    stage: &'a StageState,
    own_write: Option<OwnWrite>,
    read_only: bool,
) -> RetryInput<'a> {
    let failed_version = match &stage.latest_execution {
        Some(run) => {
            let key = (pipeline.to_string(), run.pipeline_execution_id.clone());
            match model.codepipeline.executions.get(&key) {
                Some(tracked) => match (&tracked.data, tracked.error()) {
                    (Some(execution), _) => execution
                        .pipeline_version
                        .map_or(FailedVersion::Unavailable, FailedVersion::Known),
                    (None, Some(_)) => FailedVersion::Unreadable,
                    (None, None) => FailedVersion::Pending,
                },
                None => FailedVersion::Pending,
            }
        }
        None => FailedVersion::Unavailable,
    };
    RetryInput {
        pipeline,
        stage,
        current_version: model
            .codepipeline
            .state(pipeline)
            .and_then(|s| s.pipeline_version),
        failed_version,
        later_run: None,
        own_write,
        read_only,
    }
}

fn names(stage: &StageState, status: &ActionStatus) -> Vec<String> {
    stage
        .actions_with(status)
        .into_iter()
        .map(|action| action.action_name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn action(name: &str, status: Option<&str>) -> ActionState {
        ActionState {
            action_name: name.into(),
            status: status.map(ActionStatus::parse),
            summary: None,
            last_status_change: None,
            external_execution_url: None,
            external_execution_id: None,
            error: None,
            percent_complete: None,
        }
    }

    fn stage(status: Option<&str>, actions: &[(&str, Option<&str>)]) -> StageState {
        StageState {
            stage_name: "Build".into(),
            latest_execution: status.map(|status| StageExecution {
                pipeline_execution_id: "11111111-aaaa".into(),
                status: StageStatus::parse(status),
                rollback: false,
            }),
            inbound_transition: None,
            actions: actions.iter().map(|(n, s)| action(n, *s)).collect(),
            retry: None,
        }
    }

    fn input(stage: &StageState) -> RetryInput<'_> {
        RetryInput {
            pipeline: "web",
            stage,
            current_version: Some(3),
            failed_version: FailedVersion::Known(3),
            later_run: None,
            own_write: None,
            read_only: false,
        }
    }

    fn reasons(input: &RetryInput, mode: RetryMode) -> Vec<Reason> {
        retry_plan(input, mode).expect_err("should be refused")
    }

    #[test]
    fn partial_failure_retries_only_failed_actions() {
        let stage = stage(
            Some("Failed"),
            &[("Unit", Some("Succeeded")), ("Lint", Some("Failed"))],
        );
        let plan = retry_plan(&input(&stage), RetryMode::FailedActions).unwrap();
        assert_eq!(plan.reruns, vec!["Lint"]);
        assert!(plan.overwrites.is_empty());
        assert_eq!(plan.pipeline_execution_id, "11111111-aaaa");
    }

    #[test]
    fn all_actions_reruns_everything_and_warns_about_overwrites() {
        let stage = stage(
            Some("Failed"),
            &[("Unit", Some("Succeeded")), ("Lint", Some("Failed"))],
        );
        let plan = retry_plan(&input(&stage), RetryMode::AllActions).unwrap();
        assert_eq!(plan.reruns, vec!["Unit", "Lint"]);
        assert_eq!(plan.overwrites, vec!["Unit"]);
    }

    #[test]
    fn every_action_failed_is_retryable() {
        let stage = stage(
            Some("Failed"),
            &[("A", Some("Failed")), ("B", Some("Failed"))],
        );
        let plan = retry_plan(&input(&stage), RetryMode::FailedActions).unwrap();
        assert_eq!(plan.reruns, vec!["A", "B"]);
    }

    #[test]
    fn no_failed_action() {
        let stage = stage(Some("Failed"), &[("A", Some("Succeeded"))]);
        assert_eq!(
            reasons(&input(&stage), RetryMode::FailedActions),
            vec![Reason::NoFailedAction]
        );
    }

    #[test]
    fn succeeded_stage_is_not_failed() {
        let stage = stage(Some("Succeeded"), &[("A", Some("Succeeded"))]);
        assert_eq!(
            reasons(&input(&stage), RetryMode::FailedActions),
            vec![Reason::NotFailed {
                status: "Succeeded".into()
            }]
        );
    }

    #[test]
    fn never_ran() {
        let stage = stage(None, &[("A", None)]);
        assert_eq!(
            reasons(&input(&stage), RetryMode::FailedActions),
            vec![Reason::NeverRan]
        );
    }

    #[test]
    fn actions_in_progress_block_all_actions_only() {
        let stage = stage(
            Some("Failed"),
            &[("A", Some("Failed")), ("B", Some("InProgress"))],
        );
        assert!(retry_plan(&input(&stage), RetryMode::FailedActions).is_ok());
        assert_eq!(
            reasons(&input(&stage), RetryMode::AllActions),
            vec![Reason::ActionsInProgress {
                actions: vec!["B".into()]
            }]
        );
    }

    #[test]
    fn structure_changed_since_failure() {
        let stage = stage(Some("Failed"), &[("A", Some("Failed"))]);
        let mut input = input(&stage);
        input.failed_version = FailedVersion::Known(2);
        assert_eq!(
            reasons(&input, RetryMode::FailedActions),
            vec![Reason::StructureChanged {
                failed_version: 2,
                current_version: 3
            }]
        );
    }

    #[test]
    fn unknown_failed_version_waits() {
        let stage = stage(Some("Failed"), &[("A", Some("Failed"))]);
        let mut input = input(&stage);
        input.failed_version = FailedVersion::Pending;
        assert_eq!(
            reasons(&input, RetryMode::FailedActions),
            vec![Reason::VersionUnknown]
        );
    }

    #[test]
    fn failed_again_in_later_execution() {
        let stage = stage(Some("Failed"), &[("A", Some("Failed"))]);
        let mut input = input(&stage);
        let later = LaterRun {
            pipeline_execution_id: "22222222-bbbb".into(),
            status: StageStatus::Failed,
        };
        input.later_run = Some(later.clone());
        let found = reasons(&input, RetryMode::FailedActions);
        assert_eq!(found, vec![Reason::LaterExecution { later }]);
        assert!(
            found[0]
                .explain()
                .contains("failed in a later execution (22222222)")
        );
    }

    #[test]
    fn retry_already_running_in_aws() {
        let mut stage = stage(Some("InProgress"), &[("A", Some("InProgress"))]);
        stage.retry = Some(RetryMetadata {
            auto_stage_retry_attempt: None,
            manual_stage_retry_attempt: Some(1),
            latest_retry_trigger: Some("ManualStageRetry".into()),
        });
        assert_eq!(
            reasons(&input(&stage), RetryMode::FailedActions),
            vec![Reason::RetryInProgress]
        );
    }

    #[test]
    fn our_own_request_in_flight() {
        let stage = stage(Some("Failed"), &[("A", Some("Failed"))]);
        let mut input = input(&stage);
        input.own_write = Some(OwnWrite::OnItsWay);
        assert_eq!(
            reasons(&input, RetryMode::FailedActions),
            vec![Reason::OwnWrite {
                write: OwnWrite::OnItsWay
            }]
        );
    }

    #[test]
    fn read_only_is_listed_with_the_rest() {
        let stage = stage(Some("Succeeded"), &[("A", Some("Succeeded"))]);
        let mut input = input(&stage);
        input.read_only = true;
        let found = reasons(&input, RetryMode::FailedActions);
        assert_eq!(found[0], Reason::ReadOnly);
        assert_eq!(found.len(), 2);
    }
}
