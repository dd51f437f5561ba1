//! `unstick report`: what is failing now, as a table or JSON, then exit.

mod collect;
mod complete;
mod executions;
mod load;
pub mod progress;
mod table;

use jiff::Timestamp;
use serde::Serialize;

use crate::app::App;
use crate::eligibility::{Reason, RetryMode, retry_plan};
use crate::model::links;
use crate::model::overview::Health;
use crate::model::{ActionState, LogSource, StageStatus, StatusFilter, StatusLook};

pub use collect::{Collected, Reading, collect};
pub use complete::{Ended, Progress, Unread};
pub use executions::ExecutionReport;
pub use load::{load_everything, load_execution, load_on_screen, load_picture};
pub use table::table;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub generated_at: Timestamp,
    /// The account the credentials belong to (STS), when it could be read.
    pub account: Option<String>,
    pub region: Option<String>,
    pub pipeline_count: usize,
    /// Why pipelines could not be listed, if they could not.
    pub pipelines_error: Option<String>,
    /// Failing pipelines, and those that could not be read.
    pub pipelines: Vec<PipelineReport>,
    pub state_machine_count: usize,
    pub state_machines_error: Option<String>,
    /// Failed, timed-out and aborted executions of STANDARD state machines, newest first.
    pub executions: Vec<ExecutionReport>,
    /// State machines of which AWS holds more stopped executions than the newest 25 of
    /// each status listed here.
    pub state_machines_with_more: Vec<String>,
    /// Listings that stopped before AWS's last page, one line each: the report is
    /// incomplete where they say.
    pub listings_cut_short: Vec<String>,
    /// Every read the report needed and could not make, each with why; empty when the
    /// report is complete.
    pub unread: Vec<UnreadReport>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnreadReport {
    /// The API call, as AWS names it.
    pub operation: String,
    /// What it would have read: a pipeline, an execution ARN, a state machine ARN.
    pub target: Option<String>,
    pub error: String,
    pub error_code: Option<String>,
}

impl Report {
    /// Names each read that could not be made; the report is then incomplete.
    pub fn note_unread(&mut self, unread: &[Unread]) {
        self.unread = unread
            .iter()
            .map(|unread| {
                let (operation, target) = unread.read.operation();
                UnreadReport {
                    operation: operation.to_string(),
                    target,
                    error: unread.error.message.clone(),
                    error_code: unread.error.code.clone(),
                }
            })
            .collect();
        self.unread
            .sort_by(|a, b| (&a.operation, &a.target).cmp(&(&b.operation, &b.target)));
    }

    pub fn is_complete(&self) -> bool {
        self.unread.is_empty()
    }

    /// Whether it lists a failed pipeline or a failed, timed-out or aborted execution.
    pub fn is_failing(&self) -> bool {
        self.pipelines.iter().any(|p| p.error.is_none()) || !self.executions.is_empty()
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineReport {
    pub pipeline_name: String,
    /// The pipeline in the AWS console.
    pub console_link: String,
    pub pipeline_version: Option<i32>,
    /// Failed, or Unknown when its state could not be read (see `error`).
    pub status: String,
    pub error: Option<String>,
    pub stages: Vec<StageReport>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageReport {
    pub stage_name: String,
    pub status: Option<String>,
    pub pipeline_execution_id: Option<String>,
    pub actions: Vec<ActionReport>,
    /// Present for failed stages.
    pub retry: Option<RetryReport>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionReport {
    pub action_name: String,
    pub status: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub summary: Option<String>,
    pub external_execution_url: Option<String>,
    /// What the action ran: a CodeBuild build id, a Step Functions execution ARN…
    pub external_execution_id: Option<String>,
    /// Where to look in the console: the build, the execution, or the pipeline run.
    pub console_link: Option<String>,
    /// The last lines of a failed CodeBuild action's log (`--logs`, when it could be read).
    pub log_tail: Option<Vec<String>>,
    pub last_status_change: Option<Timestamp>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RetryReport {
    pub failed_actions: Verdict,
    pub all_actions: Verdict,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub eligible: bool,
    pub reruns: Vec<String>,
    pub overwrites: Vec<String>,
    pub reasons: Vec<ReasonReport>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReasonReport {
    #[serde(flatten)]
    pub reason: Reason,
    pub message: String,
}

/// How many log lines the report carries of each failure.
const LOG_TAIL: usize = 20;

/// The end of a log, or the lines from its first error when that is further up (the
/// failing test, not the agent's closing lines), when it was read.
fn log_tail(app: &App, source: Option<LogSource>) -> Option<Vec<String>> {
    let lines = app.model.logs.lines(&source?)?;
    let (_, tail) = crate::model::logs::excerpt(&lines.lines, LOG_TAIL);
    Some(tail.iter().map(|line| line.text.clone()).collect())
}

/// An action's console link (what it ran, else its pipeline run) and, for a CodeBuild
/// action whose log was read, the end of its log.
fn action_links(
    app: &App,
    pipeline: &str,
    stage: &str,
    run: Option<&str>,
    action: &ActionState,
) -> (Option<String>, Option<Vec<String>>) {
    let region = app.region();
    let provider = app
        .model
        .codepipeline
        .structure(pipeline)
        .and_then(|s| s.provider(stage, &action.action_name));
    let ran = action.external_execution_id.as_deref();
    match (provider, ran) {
        (Some("CodeBuild"), Some(id)) => (
            Some(links::build(region, app.account().unwrap_or("ACCOUNT"), id)),
            log_tail(app, app.build_log_source(id)),
        ),
        (_, Some(arn)) if arn.starts_with("arn:") && arn.contains(":states:") => {
            (Some(links::execution(region, arn)), None)
        }
        _ => (
            action
                .external_execution_url
                .clone()
                .or_else(|| run.map(|id| links::pipeline_execution(region, pipeline, id))),
            None,
        ),
    }
}

pub fn build(app: &App, now: Timestamp) -> Report {
    let model = &app.model;
    let mut pipelines = Vec::new();
    // The dashboard's own rows, in its order: failed first, the most recent failure at
    // the top (the report's app has no filter and the default sort).
    for row in app.rows() {
        let name = row.name;
        let state = model.codepipeline.state(name);
        let view = row.overview;
        // A read that failed, or a state that does not say how the pipeline is doing.
        let error = row.error.map(str::to_string).or(view.unclear);
        let health = view.health;
        if health != Health::Failed && error.is_none() {
            continue;
        }
        let stages = state
            .map(|state| {
                state
                    .stages
                    .iter()
                    .map(|stage| {
                        let failed = stage.status() == Some(&StageStatus::Failed);
                        let retry = failed.then(|| {
                            let input = app.retry_input(name, stage);
                            RetryReport {
                                failed_actions: verdict(retry_plan(
                                    &input,
                                    RetryMode::FailedActions,
                                )),
                                all_actions: verdict(retry_plan(&input, RetryMode::AllActions)),
                            }
                        });
                        StageReport {
                            stage_name: stage.stage_name.clone(),
                            status: stage.status().map(|s| s.word().to_string()),
                            pipeline_execution_id: stage
                                .latest_execution
                                .as_ref()
                                .map(|r| r.pipeline_execution_id.clone()),
                            actions: stage
                                .actions
                                .iter()
                                .map(|a| {
                                    let run = stage
                                        .latest_execution
                                        .as_ref()
                                        .map(|r| r.pipeline_execution_id.as_str());
                                    let (console_link, log_tail) =
                                        action_links(app, name, &stage.stage_name, run, a);
                                    ActionReport {
                                        action_name: a.action_name.clone(),
                                        status: a.status.as_ref().map(|s| s.word().to_string()),
                                        error_code: a.error.as_ref().map(|e| e.code.clone()),
                                        error_message: a.error.as_ref().map(|e| e.message.clone()),
                                        summary: a.summary.clone(),
                                        external_execution_url: a.external_execution_url.clone(),
                                        external_execution_id: a.external_execution_id.clone(),
                                        console_link,
                                        log_tail,
                                        last_status_change: a.last_status_change,
                                    }
                                })
                                .collect(),
                            retry,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        pipelines.push(PipelineReport {
            pipeline_name: name.to_string(),
            console_link: links::pipeline(app.region(), name),
            pipeline_version: state.and_then(|s| s.pipeline_version),
            status: if health == Health::Failed {
                "Failed".into()
            } else {
                "Unknown".into()
            },
            error,
            stages,
        });
    }
    Report {
        generated_at: now,
        account: app.account().map(str::to_string),
        region: app.settings.region.clone(),
        pipeline_count: model.codepipeline.pipeline_names().len(),
        pipelines_error: model.codepipeline.list.error().map(str::to_string),
        pipelines,
        state_machine_count: model.sfn.machine_list().len(),
        state_machines_error: model.sfn.machines.error().map(str::to_string),
        executions: executions::build(app, now),
        state_machines_with_more: {
            let mut names: Vec<String> = model
                .sfn
                .more
                .iter()
                // A busy machine's unfiltered page is followed by its status lists.
                .filter(|(_, filter)| *filter != StatusFilter::Any)
                .map(|(arn, _)| arn.rsplit(':').next().unwrap_or(arn).to_string())
                .collect();
            names.dedup();
            names
        },
        listings_cut_short: {
            let mut cuts: Vec<String> = app
                .cut_short
                .iter()
                .map(|(read, cut)| format!("{}: {cut}", read.describe()))
                .collect();
            cuts.sort();
            cuts
        },
        unread: Vec::new(),
    }
}

fn verdict(result: Result<crate::eligibility::RetryPlan, Vec<Reason>>) -> Verdict {
    match result {
        Ok(plan) => Verdict {
            eligible: true,
            reruns: plan.reruns,
            overwrites: plan.overwrites,
            reasons: Vec::new(),
        },
        Err(reasons) => Verdict {
            eligible: false,
            reruns: Vec::new(),
            overwrites: Vec::new(),
            reasons: reasons
                .into_iter()
                .map(|reason| ReasonReport {
                    message: reason.explain(),
                    reason,
                })
                .collect(),
        },
    }
}
