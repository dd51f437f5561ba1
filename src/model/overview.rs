//! One line per pipeline for the list view and the report: what is wrong, where, since when.

use jiff::Timestamp;

use super::pipeline::PipelineState;
use super::status::{ActionStatus, StageStatus};

/// How a pipeline is doing, in the order the list shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Health {
    Failed,
    InProgress,
    Stopped,
    Healthy,
    /// Its state has not been read yet (or could not be).
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub health: Health,
    /// The first stage, in pipeline order, whose latest run failed.
    pub failed_stage: Option<String>,
    pub failed_action: Option<String>,
    pub error_code: Option<String>,
    /// The stage currently running, if any.
    pub running_stage: Option<String>,
    pub last_change: Option<Timestamp>,
    pub disabled_transitions: Vec<String>,
    /// Why the state read does not say how the pipeline is doing (a stage status AWS
    /// left out, or one this build does not know): it is then Unknown, never healthy.
    pub unclear: Option<String>,
}

pub fn overview(state: Option<&PipelineState>) -> Overview {
    let mut view = Overview {
        health: Health::Unknown,
        failed_stage: None,
        failed_action: None,
        error_code: None,
        running_stage: None,
        last_change: None,
        disabled_transitions: Vec::new(),
        unclear: None,
    };
    let Some(state) = state else {
        return view;
    };
    view.health = Health::Healthy;
    for stage in &state.stages {
        if stage
            .inbound_transition
            .as_ref()
            .is_some_and(|transition| !transition.enabled)
        {
            view.disabled_transitions.push(stage.stage_name.clone());
        }
        view.last_change = view.last_change.max(stage.last_change());
        match stage.status() {
            Some(StageStatus::Failed) if view.failed_stage.is_none() => {
                view.failed_stage = Some(stage.stage_name.clone());
                let failed = stage.actions_with(&ActionStatus::Failed);
                if let Some(action) = failed.first() {
                    view.failed_action = Some(action.action_name.clone());
                    view.error_code = action.error.as_ref().map(|error| error.code.clone());
                }
            }
            Some(StageStatus::InProgress | StageStatus::Stopping)
                if view.running_stage.is_none() =>
            {
                view.running_stage = Some(stage.stage_name.clone());
            }
            Some(StageStatus::Stopped) if view.health == Health::Healthy => {
                view.health = Health::Stopped;
            }
            Some(StageStatus::Other(word)) if view.unclear.is_none() => {
                view.unclear = Some(unclear_status(&stage.stage_name, word));
            }
            _ => {}
        }
    }
    if view.failed_stage.is_some() {
        view.health = Health::Failed;
    } else if view.running_stage.is_some() {
        view.health = Health::InProgress;
    } else if view.unclear.is_some() {
        view.health = Health::Unknown;
    }
    view
}

fn unclear_status(stage: &str, word: &str) -> String {
    // `StageStatus::parse` turns a status AWS left out into NO_STATUS.
    if word == super::status::NO_STATUS {
        format!("{stage}: AWS sent no status")
    } else {
        format!("{stage}: unknown status \"{word}\"")
    }
}

/// Failed first, then in progress, then the rest; within a group the most recent change
/// first, then by name, so the order is stable between refreshes.
pub fn sort_key(
    name: &str,
    view: &Overview,
) -> (Health, std::cmp::Reverse<Option<Timestamp>>, String) {
    let recency = match view.health {
        Health::Failed | Health::InProgress => view.last_change,
        _ => None,
    };
    (view.health, std::cmp::Reverse(recency), name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::pipeline::*;

    fn stage(
        name: &str,
        status: Option<&str>,
        actions: &[(&str, &str, Option<&str>)],
    ) -> StageState {
        StageState {
            stage_name: name.into(),
            latest_execution: status.map(|status| StageExecution {
                pipeline_execution_id: "e1".into(),
                status: StageStatus::parse(status),
                rollback: false,
            }),
            inbound_transition: None,
            actions: actions
                .iter()
                .map(|(name, status, code)| ActionState {
                    action_name: (*name).into(),
                    status: Some(ActionStatus::parse(status)),
                    summary: None,
                    last_status_change: None,
                    external_execution_url: None,
                    external_execution_id: None,
                    error: code.map(|code| ErrorDetails {
                        code: code.into(),
                        message: "boom".into(),
                    }),
                    percent_complete: None,
                })
                .collect(),
            retry: None,
        }
    }

    #[test]
    fn first_failed_stage_and_its_error_code() {
        let state = PipelineState {
            pipeline_name: "p".into(),
            pipeline_version: Some(1),
            stages: vec![
                stage("Source", Some("Succeeded"), &[("Src", "Succeeded", None)]),
                stage(
                    "Build",
                    Some("Failed"),
                    &[
                        ("Unit", "Succeeded", None),
                        ("Lint", "Failed", Some("JobFailed")),
                    ],
                ),
                stage(
                    "Deploy",
                    Some("Failed"),
                    &[("Cfn", "Failed", Some("Other"))],
                ),
            ],
        };
        let view = overview(Some(&state));
        assert_eq!(view.health, Health::Failed);
        assert_eq!(view.failed_stage.as_deref(), Some("Build"));
        assert_eq!(view.failed_action.as_deref(), Some("Lint"));
        assert_eq!(view.error_code.as_deref(), Some("JobFailed"));
    }

    #[test]
    fn running_and_unknown() {
        let state = PipelineState {
            pipeline_name: "p".into(),
            pipeline_version: Some(1),
            stages: vec![stage(
                "Build",
                Some("InProgress"),
                &[("B", "InProgress", None)],
            )],
        };
        assert_eq!(overview(Some(&state)).health, Health::InProgress);
        assert_eq!(overview(None).health, Health::Unknown);
    }

    #[test]
    fn a_stage_without_a_status_is_unknown_never_healthy() {
        let state = PipelineState {
            pipeline_name: "p".into(),
            pipeline_version: Some(1),
            stages: vec![
                stage("Source", Some("Succeeded"), &[("S", "Succeeded", None)]),
                stage("Build", Some(""), &[("B", "Succeeded", None)]),
            ],
        };
        let view = overview(Some(&state));
        assert_eq!(view.health, Health::Unknown);
        assert_eq!(view.unclear.as_deref(), Some("Build: AWS sent no status"));
        // A failure elsewhere is still a failure.
        let mut failed = state.clone();
        failed.stages[0] = stage("Source", Some("Failed"), &[("S", "Failed", Some("E"))]);
        assert_eq!(overview(Some(&failed)).health, Health::Failed);
    }
}
