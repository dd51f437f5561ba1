//! Reads what the report needs into a headless `App`, a few requests at a time, so the
//! report and the dashboard share every rule about what the data means.

use std::sync::Arc;

use jiff::Timestamp;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::action::{Action, Payload, Read};
use crate::app::{App, Settings};
use crate::aws::{AwsError, Clients};
use crate::model::{MachineType, StatusFilter};
use crate::poller::{Buckets, Schedule};
use crate::runner::{READS_IN_FLIGHT, fetch};

/// Fails only when neither service could be listed (no credentials, no endpoint…):
/// then there is nothing to report but that.
pub async fn collect(clients: &Clients, settings: Settings) -> Result<App, AwsError> {
    let now = Timestamp::now();
    let mut app = App::new(settings, Schedule::default(), now);

    let lists = fetch_all(
        clients,
        &app.schedule.buckets(),
        vec![
            Read::CallerIdentity,
            Read::ListPipelines,
            Read::StateMachines,
        ],
    )
    .await;
    if let [_, (_, Err(pipelines)), (_, Err(_))] = lists.as_slice() {
        return Err(pipelines.clone());
    }
    feed(&mut app, lists);

    let mut reads: Vec<Read> = app
        .model
        .pipeline_names()
        .iter()
        .map(|name| Read::State(name.to_string()))
        .collect();
    for machine in app.model.sfn.machine_list() {
        if machine.machine_type == MachineType::Standard {
            for filter in StatusFilter::STOPPED_BADLY {
                reads.push(Read::Executions {
                    machine: machine.state_machine_arn.clone(),
                    filter,
                    limit: crate::action::EXECUTION_LIMITS[0],
                });
            }
        }
    }
    let replies = fetch_all(clients, &app.schedule.buckets(), reads).await;
    feed(&mut app, replies);

    // The retry rules need each failed execution's pipeline version; the redrive rules
    // and the failed state need each execution's description and whole history.
    let mut reads = Vec::new();
    for name in app.model.pipeline_names() {
        for id in app.model.failed_runs(name) {
            reads.push(Read::PipelineExecution {
                pipeline: name.to_string(),
                id,
            });
        }
    }
    for execution in app.model.sfn.executions(&StatusFilter::STOPPED_BADLY) {
        reads.push(Read::DescribeExecution(execution.execution_arn.clone()));
        reads.push(Read::ExecutionHistory(execution.execution_arn));
    }
    reads.dedup();
    let replies = fetch_all(clients, &app.schedule.buckets(), reads).await;
    feed(&mut app, replies);

    let map_runs: Vec<Read> = app
        .model
        .sfn
        .histories
        .iter()
        .filter(|(_, h)| h.data.as_ref().is_some_and(|h| h.has_map_runs))
        .map(|(arn, _)| Read::MapRuns(arn.clone()))
        .collect();
    let replies = fetch_all(clients, &app.schedule.buckets(), map_runs).await;
    feed(&mut app, replies);
    Ok(app)
}

/// Runs the reads with at most `READS_IN_FLIGHT` at once; replies in the order asked.
async fn fetch_all(
    clients: &Clients,
    buckets: &Buckets,
    reads: Vec<Read>,
) -> Vec<(Read, Result<Payload, AwsError>)> {
    let permits = Arc::new(Semaphore::new(READS_IN_FLIGHT));
    let mut tasks = JoinSet::new();
    for (index, read) in reads.into_iter().enumerate() {
        let (clients, buckets, permits) = (clients.clone(), buckets.clone(), permits.clone());
        tasks.spawn(async move {
            let _permit = permits.acquire().await;
            let result = fetch(&clients, &buckets, &read).await;
            (index, read, result)
        });
    }
    let mut replies = Vec::new();
    while let Some(Ok(reply)) = tasks.join_next().await {
        replies.push(reply);
    }
    replies.sort_by_key(|(index, ..)| *index);
    replies
        .into_iter()
        .map(|(_, read, result)| (read, result))
        .collect()
}

fn feed(app: &mut App, replies: Vec<(Read, Result<Payload, AwsError>)>) {
    let at = Timestamp::now();
    for (read, result) in replies {
        app.update(Action::Loaded { read, at, result });
    }
}
