//! Executes `Command`s on tokio tasks and sends their results back as `Action`s.
//! Reads share a small pool of permits; writes are audited before they leave.

use std::sync::Arc;

use jiff::Timestamp;
use serde_json::json;
use tokio::sync::{Semaphore, mpsc::UnboundedSender};

use crate::action::{Action, Command, Payload, Read, RedriveReceipt, RetryReceipt, WriteContext};
use crate::app::App;
use crate::audit::{AuditEntry, AuditLog, new_intent_id};
use crate::aws::{AwsError, Clients, ErrorKind};
use crate::eligibility::{RedrivePlan, RetryPlan};
use crate::model::{ExecutionHistory, MachineType, StatusFilter};

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
    clients: Clients,
    actions: UnboundedSender<Action>,
    permits: Arc<Semaphore>,
    audit: Arc<AuditLog>,
    identity: Identity,
}

impl Runner {
    pub fn new(
        clients: Clients,
        actions: UnboundedSender<Action>,
        audit: Arc<AuditLog>,
        identity: Identity,
    ) -> Self {
        Self {
            clients,
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
                    let result = fetch(&runner.clients, &read).await;
                    let _ = runner.actions.send(Action::Loaded {
                        read,
                        at: Timestamp::now(),
                        result,
                    });
                });
            }
            Command::Retry { plan, context } => {
                tokio::spawn(async move {
                    let audit = Audited::new(&runner, &context);
                    let result = send_retry(&runner.clients, &audit, &plan).await;
                    let _ = runner.actions.send(Action::RetryAnswered { plan, result });
                });
            }
            Command::Redrive {
                plan,
                client_token,
                context,
            } => {
                tokio::spawn(async move {
                    let audit = Audited::new(&runner, &context);
                    let result = send_redrive(&runner.clients, &audit, &plan, &client_token).await;
                    let _ = runner.actions.send(Action::RedriveAnswered {
                        plan,
                        client_token,
                        result,
                    });
                });
            }
        }
    }
}

pub async fn fetch(clients: &Clients, read: &Read) -> Result<Payload, AwsError> {
    let pipelines = &clients.pipelines;
    let sfn = &clients.sfn;
    Ok(match read {
        Read::ListPipelines => Payload::Pipelines(pipelines.list_pipelines().await?),
        Read::State(name) => Payload::State(pipelines.pipeline_state(name).await?),
        Read::Structure(name) => Payload::Structure(pipelines.pipeline_structure(name).await?),
        Read::PipelineHistory(name) => {
            Payload::PipelineHistory(pipelines.pipeline_executions(name, 20).await?)
        }
        Read::PipelineExecution { pipeline, id } => {
            Payload::PipelineExecution(pipelines.pipeline_execution(pipeline, id).await?)
        }
        Read::ActionRuns { pipeline, id } => {
            Payload::ActionRuns(pipelines.action_executions(pipeline, id).await?)
        }
        Read::StateMachines => Payload::StateMachines(sfn.list_state_machines().await?),
        // Small pages: the newest failures are what matters, and the quota is tight.
        Read::Executions { machine, filter } => {
            Payload::Executions(sfn.list_executions(machine, *filter, 25).await?)
        }
        Read::DescribeExecution(arn) => {
            Payload::ExecutionDetail(sfn.describe_execution(arn).await?)
        }
        Read::ExecutionHistory(arn) => {
            let events = sfn.execution_history(arn).await?;
            Payload::ExecutionHistory(ExecutionHistory::from_events(&events))
        }
        Read::MapRuns(arn) => Payload::MapRuns(sfn.map_runs(arn).await?),
    })
}

async fn load(app: &mut App, clients: &Clients, at: Timestamp, read: Read) {
    let result = fetch(clients, &read).await;
    app.update(Action::Loaded { read, at, result });
}

/// Reads, one after another, what the two lists show (pipelines with their states,
/// structures and failed executions; state machines with their failed executions,
/// described) and feeds it to `app` as replies at `at`. For one-shot uses: screenshots,
/// benchmarks, tests. The dashboard itself polls.
pub async fn load_everything(app: &mut App, clients: &Clients, at: Timestamp) {
    let load = async |app: &mut App, read: Read| load(app, clients, at, read).await;
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
        let failed = app.model.failed_runs(&name);
        for id in failed {
            let read = Read::PipelineExecution {
                pipeline: name.clone(),
                id,
            };
            load(app, read).await;
        }
    }
    load(app, Read::StateMachines).await;
    let machines: Vec<String> = app
        .model
        .sfn
        .machine_list()
        .iter()
        .filter(|m| m.machine_type == MachineType::Standard)
        .map(|m| m.state_machine_arn.clone())
        .collect();
    for machine in machines {
        for filter in StatusFilter::STOPPED_BADLY {
            load(
                app,
                Read::Executions {
                    machine: machine.clone(),
                    filter,
                },
            )
            .await;
        }
    }
    let arns: Vec<String> = app
        .model
        .sfn
        .executions(&StatusFilter::STOPPED_BADLY)
        .into_iter()
        .map(|e| e.execution_arn)
        .collect();
    for arn in arns {
        load(app, Read::DescribeExecution(arn)).await;
    }
}

/// Reads what opening one execution shows: its history (every page) and its Map Runs.
pub async fn load_execution(app: &mut App, clients: &Clients, arn: &str, at: Timestamp) {
    load(app, clients, at, Read::DescribeExecution(arn.to_string())).await;
    load(app, clients, at, Read::ExecutionHistory(arn.to_string())).await;
    if app.model.sfn.history(arn).is_some_and(|h| h.has_map_runs) {
        load(app, clients, at, Read::MapRuns(arn.to_string())).await;
    }
}

/// One write's audit lines: who, where, and a shared intent id for both lines.
struct Audited<'a> {
    log: &'a AuditLog,
    identity: &'a Identity,
    account: Option<String>,
    intent_id: String,
}

impl<'a> Audited<'a> {
    fn new(runner: &'a Runner, context: &WriteContext) -> Self {
        Self {
            log: &runner.audit,
            identity: &runner.identity,
            account: context.account.clone(),
            intent_id: new_intent_id(),
        }
    }

    fn entry(
        &self,
        write: &Write,
        phase: &'static str,
        outcome: String,
        request_id: Option<String>,
    ) -> AuditEntry {
        AuditEntry {
            time: Timestamp::now(),
            intent_id: self.intent_id.clone(),
            phase,
            profile: self.identity.profile.clone(),
            region: self.identity.region.clone(),
            account: self.account.clone(),
            operation: write.operation,
            target: write.target.clone(),
            mode: write.mode.clone(),
            client_token: write.client_token.clone(),
            outcome,
            request_id,
        }
    }

    /// Records the attempt; if that fails, nothing may be sent.
    fn attempt(&self, write: &Write) -> Result<(), AwsError> {
        self.log
            .append(&self.entry(write, "attempt", "sending".into(), None))
            .map_err(|error| {
                AwsError::new(
                    ErrorKind::Other,
                    format!(
                        "not sent: cannot write the audit log {}: {error}",
                        self.log.path().display()
                    ),
                )
            })
    }

    fn outcome<T>(&self, write: &Write, result: &Result<T, AwsError>, request_id: Option<String>) {
        let outcome = match result {
            Ok(_) => "succeeded".to_string(),
            Err(error) => format!("failed: {error}"),
        };
        let request_id =
            request_id.or_else(|| result.as_ref().err().and_then(|e| e.request_id.clone()));
        if let Err(error) = self
            .log
            .append(&self.entry(write, "outcome", outcome, request_id))
        {
            tracing::error!(%error, "could not record the outcome of a write");
        }
    }
}

/// What a write is, for its audit lines.
struct Write {
    operation: &'static str,
    target: serde_json::Value,
    mode: Option<String>,
    client_token: Option<String>,
}

/// Records the attempt, sends exactly one RetryStageExecution, records the outcome.
async fn send_retry(
    clients: &Clients,
    audit: &Audited<'_>,
    plan: &RetryPlan,
) -> Result<RetryReceipt, AwsError> {
    let write = Write {
        operation: "RetryStageExecution",
        target: json!({
            "pipelineName": plan.pipeline_name,
            "stageName": plan.stage_name,
            "pipelineExecutionId": plan.pipeline_execution_id,
        }),
        mode: Some(plan.retry_mode.as_aws().to_string()),
        client_token: None,
    };
    audit.attempt(&write)?;
    let result = clients.pipelines.retry_stage(plan).await;
    let request_id = result.as_ref().ok().and_then(|r| r.request_id.clone());
    audit.outcome(&write, &result, request_id);
    result
}

/// Records the attempt with its client token, sends RedriveExecution, records the outcome.
async fn send_redrive(
    clients: &Clients,
    audit: &Audited<'_>,
    plan: &RedrivePlan,
    client_token: &str,
) -> Result<RedriveReceipt, AwsError> {
    let write = Write {
        operation: "RedriveExecution",
        target: json!({
            "executionArn": plan.execution_arn,
            "stateMachineArn": plan.state_machine_arn,
        }),
        mode: None,
        client_token: Some(client_token.to_string()),
    };
    audit.attempt(&write)?;
    let result = clients.sfn.redrive(&plan.execution_arn, client_token).await;
    let request_id = result.as_ref().ok().and_then(|r| r.request_id.clone());
    audit.outcome(&write, &result, request_id);
    result
}
