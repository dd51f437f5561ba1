//! `unstick report`: what is failing now, as a table or JSON, then exit.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::Arc;

use jiff::Timestamp;
use serde::Serialize;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::aws::{AwsError, Clients};
use crate::eligibility::{Reason, RetryMode, gather, retry_plan};
use crate::model::overview::{Health, overview};
use crate::model::{Model, StageStatus, StatusLook, ago};
use crate::runner::READS_IN_FLIGHT;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub generated_at: Timestamp,
    pub region: Option<String>,
    pub pipeline_count: usize,
    /// Failing pipelines, and those that could not be read.
    pub pipelines: Vec<PipelineReport>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineReport {
    pub pipeline_name: String,
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

/// Reads everything the report needs: the list, every state, and the pipeline version
/// of each failed execution (the retry rules need it).
pub async fn collect(clients: &Clients) -> Result<Model, AwsError> {
    let client = &clients.pipelines;
    let mut model = Model::default();
    let list = client.list_pipelines().await?;
    let names: Vec<String> = list.iter().map(|p| p.name.clone()).collect();
    model.pipelines.succeed(list, Timestamp::now());

    let permits = Arc::new(Semaphore::new(READS_IN_FLIGHT));
    let mut states = JoinSet::new();
    for name in names {
        let (client, permits) = (client.clone(), permits.clone());
        states.spawn(async move {
            let _permit = permits.acquire().await;
            let result = client.pipeline_state(&name).await;
            (name, result)
        });
    }
    let mut failed_runs = BTreeSet::new();
    while let Some(Ok((name, result))) = states.join_next().await {
        let tracked = model.states.entry(name.clone()).or_default();
        match result {
            Ok(state) => {
                for stage in &state.stages {
                    if let Some(run) = stage
                        .latest_execution
                        .as_ref()
                        .filter(|r| r.status == StageStatus::Failed)
                    {
                        failed_runs.insert((name.clone(), run.pipeline_execution_id.clone()));
                    }
                }
                tracked.succeed(state, Timestamp::now());
            }
            Err(error) => tracked.fail(error.message, Timestamp::now()),
        }
    }

    let mut executions = JoinSet::new();
    for (pipeline, id) in failed_runs {
        let (client, permits) = (client.clone(), permits.clone());
        executions.spawn(async move {
            let _permit = permits.acquire().await;
            let result = client.pipeline_execution(&pipeline, &id).await;
            (pipeline, id, result)
        });
    }
    while let Some(Ok((pipeline, id, result))) = executions.join_next().await {
        let tracked = model.executions.entry((pipeline, id)).or_default();
        match result {
            Ok(execution) => tracked.succeed(execution, Timestamp::now()),
            Err(error) => tracked.fail(error.message, Timestamp::now()),
        }
    }
    Ok(model)
}

pub fn build(model: &Model, region: Option<String>, read_only: bool, now: Timestamp) -> Report {
    let mut pipelines = Vec::new();
    for name in model.pipeline_names() {
        let tracked = model.states.get(name);
        let state = tracked.and_then(|t| t.data.as_ref());
        let error = tracked.and_then(|t| t.error()).map(str::to_string);
        let health = overview(state).health;
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
                            let input = gather(model, name, stage, false, read_only);
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
                                .map(|a| ActionReport {
                                    action_name: a.action_name.clone(),
                                    status: a.status.as_ref().map(|s| s.word().to_string()),
                                    error_code: a.error.as_ref().map(|e| e.code.clone()),
                                    error_message: a.error.as_ref().map(|e| e.message.clone()),
                                    summary: a.summary.clone(),
                                    external_execution_url: a.external_execution_url.clone(),
                                    last_status_change: a.last_status_change,
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
            pipeline_version: state.and_then(|s| s.pipeline_version),
            status: if state.is_some() {
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
        region,
        pipeline_count: model.pipeline_names().len(),
        pipelines,
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

/// A plain table: one row per failed action (or per unreadable pipeline).
pub fn table(report: &Report, now: Timestamp) -> String {
    let mut rows: Vec<[String; 6]> = vec![[
        "PIPELINE".into(),
        "STAGE".into(),
        "ACTION".into(),
        "ERROR".into(),
        "CHANGED".into(),
        "RETRY".into(),
    ]];
    for pipeline in &report.pipelines {
        if let Some(error) = &pipeline.error {
            rows.push([
                pipeline.pipeline_name.clone(),
                "-".into(),
                "-".into(),
                error.clone(),
                "-".into(),
                "-".into(),
            ]);
        }
        for stage in pipeline.stages.iter().filter(|s| s.retry.is_some()) {
            let retry = stage.retry.as_ref().expect("filtered");
            let retry_text = if retry.failed_actions.eligible {
                format!("yes: re-runs {}", retry.failed_actions.reruns.join(", "))
            } else {
                let reasons: Vec<&str> = retry
                    .failed_actions
                    .reasons
                    .iter()
                    .map(|r| r.message.as_str())
                    .collect();
                format!("no: {}", reasons.join("; "))
            };
            for action in stage
                .actions
                .iter()
                .filter(|a| a.status.as_deref() == Some("Failed"))
            {
                rows.push([
                    pipeline.pipeline_name.clone(),
                    stage.stage_name.clone(),
                    action.action_name.clone(),
                    action.error_code.clone().unwrap_or_default(),
                    action
                        .last_status_change
                        .map(|at| ago(now, at))
                        .unwrap_or_default(),
                    retry_text.clone(),
                ]);
            }
        }
    }
    let mut widths = [0usize; 5];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row.iter()) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        for (cell, width) in row.iter().zip(widths) {
            let _ = write!(out, "{cell:width$}  ");
        }
        let _ = writeln!(out, "{}", row[5]);
    }
    let failing = report
        .pipelines
        .iter()
        .filter(|p| p.error.is_none())
        .count();
    let _ = writeln!(
        out,
        "\n{failing} of {} pipelines failing",
        report.pipeline_count
    );
    out
}
