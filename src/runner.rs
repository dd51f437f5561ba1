//! Executes `Command`s on tokio tasks and sends their results back as `Action`s.
//! Reads share a small pool of permits; writes are audited before they leave.

use std::sync::Arc;

use jiff::Timestamp;
use serde_json::json;
use tokio::sync::{Semaphore, mpsc::UnboundedSender};

use crate::action::{Action, Command, Payload, Read, RetryReceipt, WriteContext};
use crate::app::App;
use crate::audit::{AuditEntry, AuditLog, new_intent_id};
use crate::aws::{AwsError, ErrorKind, PipelineClient};
use crate::eligibility::RetryPlan;
use crate::model::StageStatus;

/// At most this many reads in flight at once.
pub const READS_IN_FLIGHT: usize = 4;

/// Who is acting, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub profile: Option<String>,
    pub region: Option<String>,
}

#[derive(Clone)]
pub struct Runner {
    client: PipelineClient,
    actions: UnboundedSender<Action>,
    permits: Arc<Semaphore>,
    audit: Arc<AuditLog>,
    identity: Identity,
}

impl Runner {
    pub fn new(
        client: PipelineClient,
        actions: UnboundedSender<Action>,
        audit: Arc<AuditLog>,
        identity: Identity,
    ) -> Self {
        Self {
            client,
            actions,
            permits: Arc::new(Semaphore::new(READS_IN_FLIGHT)),
            audit,
            identity,
        }
    }

    pub fn run(&self, command: Command) {
        let runner = self.clone();
        match command {
            Command::Fetch(read) => {
                tokio::spawn(async move {
                    let Ok(_permit) = runner.permits.acquire().await else {
                        return;
                    };
                    let result = fetch(&runner.client, &read).await;
                    let _ = runner.actions.send(Action::Loaded {
                        read,
                        at: Timestamp::now(),
                        result,
                    });
                });
            }
            Command::Retry { plan, context } => {
                tokio::spawn(async move {
                    let result = send_retry(
                        &runner.client,
                        &runner.audit,
                        &runner.identity,
                        &plan,
                        &context,
                    )
                    .await;
                    let _ = runner.actions.send(Action::RetryAnswered { plan, result });
                });
            }
        }
    }
}

/// Reads, one after another, everything the dashboard shows for every pipeline (the
/// list, states, structures, failed executions) and feeds it to `app` as replies at `at`.
/// For one-shot uses: screenshots, benchmarks, tests. The dashboard itself polls.
pub async fn load_everything(app: &mut App, client: &PipelineClient, at: Timestamp) {
    let load = async |app: &mut App, read: Read| {
        let result = fetch(client, &read).await;
        app.update(Action::Loaded { read, at, result });
    };
    load(app, Read::ListPipelines).await;
    let names: Vec<String> = app
        .model
        .pipeline_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    for name in names {
        load(app, Read::State(name.clone())).await;
        load(app, Read::Structure(name.clone())).await;
        let failed: Vec<String> = app
            .model
            .state(&name)
            .map(|state| {
                state
                    .stages
                    .iter()
                    .filter_map(|stage| stage.latest_execution.as_ref())
                    .filter(|run| run.status == StageStatus::Failed)
                    .map(|run| run.pipeline_execution_id.clone())
                    .collect()
            })
            .unwrap_or_default();
        for id in failed {
            let read = Read::Execution {
                pipeline: name.clone(),
                id,
            };
            load(app, read).await;
        }
    }
}

pub async fn fetch(client: &PipelineClient, read: &Read) -> Result<Payload, AwsError> {
    Ok(match read {
        Read::ListPipelines => Payload::Pipelines(client.list_pipelines().await?),
        Read::State(name) => Payload::State(client.pipeline_state(name).await?),
        Read::Structure(name) => Payload::Structure(client.pipeline_structure(name).await?),
        Read::History(name) => Payload::History(client.pipeline_executions(name, 20).await?),
        Read::Execution { pipeline, id } => {
            Payload::Execution(client.pipeline_execution(pipeline, id).await?)
        }
        Read::ActionRuns { pipeline, id } => {
            Payload::ActionRuns(client.action_executions(pipeline, id).await?)
        }
    })
}

/// Records the attempt, sends exactly one RetryStageExecution, records the outcome.
/// If the attempt cannot be recorded, nothing is sent.
pub async fn send_retry(
    client: &PipelineClient,
    audit: &AuditLog,
    identity: &Identity,
    plan: &RetryPlan,
    context: &WriteContext,
) -> Result<RetryReceipt, AwsError> {
    let intent_id = new_intent_id();
    let entry = |phase: &'static str, outcome: String, request_id: Option<String>| AuditEntry {
        time: Timestamp::now(),
        intent_id: intent_id.clone(),
        phase,
        profile: identity.profile.clone(),
        region: identity.region.clone(),
        account: context.account.clone(),
        operation: "RetryStageExecution",
        target: json!({
            "pipelineName": plan.pipeline_name,
            "stageName": plan.stage_name,
            "pipelineExecutionId": plan.pipeline_execution_id,
        }),
        mode: Some(plan.retry_mode.as_aws().to_string()),
        outcome,
        request_id,
    };
    audit
        .append(&entry("attempt", "sending".into(), None))
        .map_err(|error| {
            AwsError::new(
                ErrorKind::Other,
                format!(
                    "not sent: cannot write the audit log {}: {error}",
                    audit.path().display()
                ),
            )
        })?;
    let result = client.retry_stage(plan).await;
    let (outcome, request_id) = match &result {
        Ok(receipt) => ("succeeded".to_string(), receipt.request_id.clone()),
        Err(error) => (format!("failed: {error}"), error.request_id.clone()),
    };
    if let Err(error) = audit.append(&entry("outcome", outcome, request_id)) {
        tracing::error!(%error, "could not record the outcome of a write");
    }
    result
}
