//! Executes `Command`s on tokio tasks and sends their results back as `Action`s.
//! Reads share a small pool of permits; writes are audited before they leave and after
//! they are answered.

use crate::action::{
    BuildRead, BuildReply, LogsRead, LogsReply, PipelineRead, PipelineReply, SfnRead, SfnReply,
};
use std::sync::{Arc, PoisonError, RwLock};

use jiff::Timestamp;
use serde_json::json;
use tokio::sync::{Semaphore, mpsc::UnboundedSender};

// The write a person confirmed (`Request`), apart from what the audit log says of it.
use crate::action::{
    Action, Answered, Command, Place, Read, Reply, Write as Request, WriteContext, loaded,
};
use crate::audit::{AuditLog, Audited, InFlight, Write};
use crate::aws::{self, AwsError, Clients, Connection, ErrorKind};
use crate::model::{ExecutionHistory, LogLines, LogSource, Paged, RedriveReceipt, RetryReceipt};
use crate::paging;
use crate::poller::Buckets;

pub use crate::audit::Identity;

/// At most this many reads in flight at once, all APIs together (the schedule keeps
/// each API to a few).
pub const READS_IN_FLIGHT: usize = 12;

#[derive(Clone)]
pub struct Runner {
    here: Arc<RwLock<Here>>,
    /// How to reach AWS besides the profile and region (endpoint, attempts), to switch
    /// place; none where switching is not offered.
    connection: Option<Connection>,
    actions: UnboundedSender<Action>,
    permits: Arc<Semaphore>,
    audit: Arc<AuditLog>,
    writes: Arc<InFlight>,
    /// The schedule's buckets: the later pages of a listing wait their turn in them.
    buckets: Buckets,
}

/// The place the runner works in now: its clients, who they are for the audit log, and
/// how many switches led here (`WriteContext::place`). A task takes one copy and uses
/// it throughout, so its clients, identity and count always belong together.
#[derive(Clone)]
struct Here {
    clients: Clients,
    identity: Identity,
    place: u64,
}

impl Runner {
    pub fn new(
        clients: Clients,
        actions: UnboundedSender<Action>,
        audit: Arc<AuditLog>,
        identity: Identity,
        buckets: Buckets,
    ) -> Self {
        Self {
            here: Arc::new(RwLock::new(Here {
                clients,
                identity,
                place: 0,
            })),
            connection: None,
            actions,
            permits: Arc::new(Semaphore::new(READS_IN_FLIGHT)),
            audit,
            writes: Arc::new(InFlight::default()),
            buckets,
        }
    }

    /// Lets `Command::Connect` move to another profile or region, reaching AWS as
    /// `connection` says otherwise.
    pub fn switchable(mut self, connection: Connection) -> Self {
        self.connection = Some(connection);
        self
    }

    fn here(&self) -> std::sync::RwLockReadGuard<'_, Here> {
        self.here.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The place to work in now, taken once for a whole read or write.
    fn now_here(&self) -> Here {
        self.here().clone()
    }

    /// Hands a read's result to the app, unless the runner has moved since it started:
    /// a reply from the old place must never land in the new picture. The check and the
    /// send happen under the lock a switch takes, so a reply is either ahead of
    /// `Action::Connected` in the channel or dropped.
    fn deliver(&self, place: u64, action: Action) {
        let here = self.here();
        if here.place == place {
            let _ = self.actions.send(action);
        }
    }

    /// Builds the clients of `wanted` and, if that works, works there from now on. A
    /// profile that is not defined is said as such, and the runner stays where it is.
    async fn connect(&self, wanted: Place) -> Result<Place, AwsError> {
        let Some(base) = &self.connection else {
            return Err(AwsError::new(
                ErrorKind::Other,
                "switching profile or region is not offered here",
            ));
        };
        let identity = self.now_here().identity;
        // A profile asked for by name is checked; the one in use already works as it is
        // (AWS_PROFILE may name one the files lack while keys come from the environment).
        if let Some(profile) = wanted
            .profile
            .as_ref()
            .filter(|profile| identity.profile.as_ref() != Some(*profile))
        {
            aws::check_profile(profile).await?;
        }
        let connection = Connection {
            profile: wanted.profile.clone(),
            region: wanted.region.clone(),
            ..base.clone()
        };
        let mut config = aws::sdk_config(&connection).await;
        // A profile without a region of its own keeps the region in use, rather than
        // leaving every read without one.
        if config.region().is_none()
            && let Some(region) = &identity.region
        {
            let connection = Connection {
                region: Some(region.clone()),
                ..connection
            };
            config = aws::sdk_config(&connection).await;
        }
        let now = Place {
            profile: wanted.profile,
            region: config.region().map(|r| r.to_string()),
        };
        let mut here = self.here.write().unwrap_or_else(PoisonError::into_inner);
        here.clients = Clients::new(&config);
        here.identity = Identity {
            profile: now.profile.clone(),
            region: now.region.clone(),
        };
        here.place += 1;
        let _ = self.actions.send(Action::Connected(Ok(now.clone())));
        Ok(now)
    }

    /// Audits a write, sends it once, and audits how it ended. While it is on its way
    /// it is in `writes`, where `finish_writes` finds it if the dashboard stops first.
    /// A write confirmed in another place than `here` is neither sent nor audited.
    async fn audited_send<T>(
        &self,
        here: &Here,
        context: &WriteContext,
        write: Write,
        send: impl std::future::Future<Output = Result<T, AwsError>>,
        request_id: impl Fn(&T) -> Option<String>,
    ) -> Result<T, AwsError> {
        same_place(context, here.place)?;
        let audited = Arc::new(Audited::new(
            self.audit.clone(),
            here.identity.clone(),
            context.account.clone(),
            write,
        ));
        self.writes.start(audited.clone())?;
        let result = send.await;
        let id = result.as_ref().ok().and_then(&request_id);
        self.writes.answered(&audited, &result, id);
        result
    }

    /// On the way out: waits up to `grace` for writes on their way, and records the rest
    /// as "outcome unknown" because of `why`.
    pub async fn finish_writes(&self, grace: std::time::Duration, why: &str) {
        self.writes.finish(grace, why).await;
    }

    pub fn run(&self, command: Command) {
        let runner = self.clone();
        match command {
            // The terminal's to carry out, not AWS's: `tui::drive` writes it.
            // The terminal's own: carried out by the loop that owns it.
            Command::Copy(_) | Command::Notify(_) => {}
            Command::Connect(wanted) => {
                tokio::spawn(async move {
                    if let Err(error) = runner.connect(wanted).await {
                        let _ = runner.actions.send(Action::Connected(Err(error)));
                    }
                });
            }
            Command::Arm { dialog, after } => {
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = runner.actions.send(Action::Arm(dialog));
                });
            }
            Command::Fetch(read) => {
                tokio::spawn(async move {
                    let Ok(_permit) = runner.permits.acquire().await else {
                        return;
                    };
                    let here = runner.now_here();
                    let result = fetch(&here.clients, &runner.buckets, &read).await;
                    runner.deliver(
                        here.place,
                        Action::Loaded {
                            at: Timestamp::now(),
                            result: loaded(read, result),
                        },
                    );
                });
            }
            Command::Send(Request::Retry { plan, context }) => {
                tokio::spawn(async move {
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
                    let here = runner.now_here();
                    let send = here.clients.pipelines.retry_stage(&plan);
                    let result = runner
                        .audited_send(&here, &context, write, send, |r: &RetryReceipt| {
                            r.request_id.clone()
                        })
                        .await;
                    let answered = Answered::Retry { plan, result };
                    let _ = runner.actions.send(Action::WriteAnswered(answered));
                });
            }
            Command::Send(Request::Redrive {
                plan,
                client_token,
                context,
            }) => {
                tokio::spawn(async move {
                    let write = Write {
                        operation: "RedriveExecution",
                        target: json!({
                            "executionArn": plan.execution_arn,
                            "stateMachineArn": plan.state_machine_arn,
                        }),
                        mode: None,
                        client_token: Some(client_token.clone()),
                    };
                    let here = runner.now_here();
                    let send = here.clients.sfn.redrive(&plan.execution_arn, &client_token);
                    let result = runner
                        .audited_send(&here, &context, write, send, |r: &RedriveReceipt| {
                            r.request_id.clone()
                        })
                        .await;
                    let answered = Answered::Redrive {
                        plan,
                        client_token,
                        result,
                    };
                    let _ = runner.actions.send(Action::WriteAnswered(answered));
                });
            }
        }
    }
}

/// A write confirmed in one place is never sent from another: the app refuses to
/// switch while a dialog could be answered, and this is the last guard. Not sent, so
/// certainly not applied.
fn same_place(context: &WriteContext, place: u64) -> Result<(), AwsError> {
    if context.place == place {
        Ok(())
    } else {
        Err(AwsError::new(
            ErrorKind::Other,
            "not sent: the profile or region changed after you confirmed",
        ))
    }
}

/// Reads one thing. A listing's pages after the first wait their turn in `buckets`.
pub async fn fetch(clients: &Clients, buckets: &Buckets, read: &Read) -> Result<Reply, AwsError> {
    let pipelines = &clients.pipelines;
    let sfn = &clients.sfn;
    let quota = read.quota();
    Ok(match read {
        Read::CallerIdentity => Reply::Identity(clients.sts.caller_identity().await?),
        Read::CodePipeline(PipelineRead::ListPipelines) => {
            let mut listed = paging::every_page(buckets, quota, paging::PIPELINES, |token| {
                pipelines.list_pipelines(token)
            })
            .await?;
            paging::first_of_each(&mut listed, |p| p.name.clone());
            Reply::CodePipeline(PipelineReply::Pipelines(listed))
        }
        Read::CodePipeline(PipelineRead::State(name)) => {
            Reply::CodePipeline(PipelineReply::State {
                pipeline: name.clone(),
                state: pipelines.pipeline_state(name).await?,
            })
        }
        Read::CodePipeline(PipelineRead::Structure(name)) => {
            Reply::CodePipeline(PipelineReply::Structure {
                pipeline: name.clone(),
                structure: pipelines.pipeline_structure(name).await?,
            })
        }
        Read::CodePipeline(PipelineRead::PipelineHistory(name)) => {
            Reply::CodePipeline(PipelineReply::PipelineHistory {
                pipeline: name.clone(),
                history: pipelines.pipeline_executions(name, 20).await?,
            })
        }
        Read::CodePipeline(PipelineRead::PipelineExecution { pipeline, id }) => {
            Reply::CodePipeline(PipelineReply::PipelineExecution {
                pipeline: pipeline.clone(),
                id: id.clone(),
                execution: pipelines.pipeline_execution(pipeline, id).await?,
            })
        }
        Read::CodePipeline(PipelineRead::ActionRuns { pipeline, id }) => {
            Reply::CodePipeline(PipelineReply::ActionRuns {
                pipeline: pipeline.clone(),
                id: id.clone(),
                runs: paging::every_page(buckets, quota, paging::ACTION_RUNS, |token| {
                    pipelines.action_executions(pipeline, id, token)
                })
                .await?,
            })
        }
        Read::StepFunctions(SfnRead::StateMachines) => {
            let mut listed = paging::every_page(buckets, quota, paging::STATE_MACHINES, |token| {
                sfn.list_state_machines(token)
            })
            .await?;
            paging::first_of_each(&mut listed, |m| m.state_machine_arn.clone());
            Reply::StepFunctions(SfnReply::StateMachines(listed))
        }
        // One page, of the size the person chose: the newest failures are what
        // matters, and the quota is tight. Whether AWS has more is kept, to say so.
        Read::StepFunctions(SfnRead::Executions {
            machine,
            filter,
            limit,
        }) => {
            let page = sfn
                .list_executions(machine, *filter, i32::from(*limit))
                .await?;
            Reply::StepFunctions(SfnReply::Executions {
                machine: machine.clone(),
                filter: *filter,
                limit: *limit,
                executions: page.items,
                more: page.next_token.is_some(),
            })
        }
        Read::StepFunctions(SfnRead::DescribeExecution(arn)) => {
            Reply::StepFunctions(SfnReply::ExecutionDetail {
                arn: arn.clone(),
                detail: Box::new(sfn.describe_execution(arn).await?),
            })
        }
        Read::StepFunctions(SfnRead::ExecutionHistory(arn)) => {
            let mut events = paging::every_page(buckets, quota, paging::HISTORY, |token| {
                sfn.execution_history(arn, token)
            })
            .await?;
            paging::first_of_each(&mut events, |e| e.id);
            Reply::StepFunctions(SfnReply::ExecutionHistory {
                arn: arn.clone(),
                history: Box::new(ExecutionHistory::from_events(events.items, events.cut)),
            })
        }
        Read::StepFunctions(SfnRead::MapRuns(arn)) => {
            let mut listed = paging::every_page(buckets, quota, paging::MAP_RUNS, |token| {
                sfn.list_map_runs(arn, token)
            })
            .await?;
            paging::first_of_each(&mut listed, String::clone);
            let mut runs = Vec::new();
            for map_run_arn in &listed.items {
                buckets.take_turn(quota).await;
                runs.push(sfn.describe_map_run(map_run_arn).await?);
            }
            Reply::StepFunctions(SfnReply::MapRuns {
                arn: arn.clone(),
                runs: Paged {
                    items: runs,
                    cut: listed.cut,
                },
            })
        }
        Read::CodeBuild(BuildRead::Build(id)) => Reply::CodeBuild(BuildReply::Build {
            id: id.clone(),
            build: Box::new(clients.builds.build(id).await?),
        }),
        Read::Logs(LogsRead::Lines(source)) => {
            let lines = match source {
                LogSource::Stream { group, stream } => {
                    let page = clients.logs.newest(group, stream).await?;
                    LogLines {
                        lines: page.lines,
                        earlier: page.earlier,
                        cut: None,
                    }
                }
                LogSource::Invocation {
                    group,
                    from_ms,
                    to_ms,
                    request_id,
                } => {
                    // The request id, quoted, is a phrase every line of the invocation has.
                    let pattern = request_id.as_ref().map(|id| format!("\"{id}\""));
                    let found = paging::every_page(buckets, quota, paging::LOG_SEARCH, |token| {
                        clients
                            .logs
                            .search(group, *from_ms, *to_ms, pattern.as_deref(), token)
                    })
                    .await?;
                    LogLines {
                        lines: found.items,
                        earlier: false,
                        cut: found.cut,
                    }
                }
            };
            Reply::Logs(LogsReply::Lines {
                source: source.clone(),
                lines,
            })
        }
    })
}
