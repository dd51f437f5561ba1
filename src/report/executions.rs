//! The report's Step Functions half: each failed execution, where and why it failed,
//! and whether it can be redriven.

use jiff::Timestamp;
use serde::Serialize;

use crate::app::App;
use crate::eligibility::{RedriveReason, redrive_plan, window_left};
use crate::model::{MapRun, PathStep, StatusFilter, StatusLook, machine_name_of};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionReport {
    pub state_machine_name: String,
    pub state_machine_arn: String,
    pub execution_arn: String,
    pub name: String,
    pub status: String,
    pub start_date: Option<Timestamp>,
    pub stop_date: Option<Timestamp>,
    /// The state the run ended in, found from the whole history.
    pub failed_state: Option<String>,
    pub failure_event: Option<String>,
    pub path: Vec<PathStep>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// As AWS reports them; null where the service does not (moto).
    pub redrive_status: Option<String>,
    pub redrive_status_reason: Option<String>,
    pub redrive_count: Option<i32>,
    /// Seconds left in the 14-day redrive window.
    pub redrive_window_left_seconds: Option<i64>,
    pub history_events: Option<usize>,
    /// The execution in the AWS console.
    pub console_link: String,
    /// A failed Lambda task's lines for that invocation (`--logs`, when they could be read).
    pub log_tail: Option<Vec<String>>,
    pub redrive: RedriveVerdict,
    pub map_runs: Vec<MapRun>,
    /// Why the execution could not be read in full, if it could not.
    pub read_error: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedriveVerdict {
    pub eligible: bool,
    pub reruns: Vec<String>,
    pub reasons: Vec<ReasonReport>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonReport {
    #[serde(flatten)]
    pub reason: RedriveReason,
    pub message: String,
}

pub fn build(app: &App, now: Timestamp) -> Vec<ExecutionReport> {
    let sfn = &app.model.sfn;
    let mut executions = sfn.executions(&StatusFilter::STOPPED_BADLY);
    executions.sort_by_key(|e| std::cmp::Reverse(e.stop_date.or(e.start_date)));
    executions
        .into_iter()
        .map(|execution| {
            let arn = execution.execution_arn.clone();
            let detail = sfn.detail(&arn);
            let history = sfn.history(&arn);
            let failure = history.and_then(|h| h.failure.as_ref());
            let redrive = match app.redrive_input(&arn) {
                Some(owned) => match redrive_plan(&owned.as_input(now, app.settings.read_only)) {
                    Ok(plan) => RedriveVerdict {
                        eligible: true,
                        reruns: plan.reruns,
                        reasons: Vec::new(),
                    },
                    Err(reasons) => RedriveVerdict {
                        eligible: false,
                        reruns: Vec::new(),
                        reasons: reasons
                            .into_iter()
                            .map(|reason| ReasonReport {
                                message: reason.explain(),
                                reason,
                            })
                            .collect(),
                    },
                },
                None => RedriveVerdict {
                    eligible: false,
                    reruns: Vec::new(),
                    reasons: Vec::new(),
                },
            };
            let read_error = [
                sfn.details.get(&arn).and_then(|t| t.error()),
                sfn.histories.get(&arn).and_then(|t| t.error()),
            ]
            .into_iter()
            .flatten()
            .next()
            .map(str::to_string);
            ExecutionReport {
                state_machine_name: machine_name_of(&arn).unwrap_or_default().to_string(),
                state_machine_arn: execution.state_machine_arn.clone(),
                name: execution.name.clone(),
                status: execution.status.word().to_string(),
                start_date: execution.start_date,
                stop_date: execution.stop_date,
                failed_state: failure.and_then(|f| f.state.clone()),
                failure_event: failure.and_then(|f| f.failure_event.clone()),
                path: failure.map(|f| f.path.clone()).unwrap_or_default(),
                error: failure
                    .and_then(|f| f.error.clone())
                    .or_else(|| detail.and_then(|d| d.error.clone())),
                cause: failure
                    .and_then(|f| f.cause.clone())
                    .or_else(|| detail.and_then(|d| d.cause.clone())),
                redrive_status: detail
                    .and_then(|d| d.redrive_status.as_ref())
                    .map(|s| s.word().to_string()),
                redrive_status_reason: detail.and_then(|d| d.redrive_status_reason.clone()),
                redrive_count: execution.redrive_count,
                redrive_window_left_seconds: window_left(&execution, now).map(|w| w.as_secs()),
                history_events: history.map(|h| h.event_count),
                console_link: crate::model::links::execution(app.region(), &arn),
                log_tail: super::log_tail(app, app.lambda_log_source(&arn)),
                redrive,
                map_runs: sfn.map_runs(&arn).to_vec(),
                read_error,
                execution_arn: arn,
            }
        })
        .collect()
}
