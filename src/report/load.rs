//! Reading the picture headless, without the dashboard's polling: in rounds, each round
//! the reads `App::picture_reads` wants that were not read yet, until none are left.
//! `report` reads each round a few requests at a time; screenshots, benchmarks and tests
//! read one after another, at a fixed time.

use std::collections::HashSet;
use std::sync::Arc;

use jiff::Timestamp;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::action::{Action, Read, Reply, loaded};
use crate::app::{App, Depth};
use crate::aws::{AwsError, Clients};
use crate::poller::Buckets;
use crate::runner::{READS_IN_FLIGHT, fetch};

/// How each round's reads are carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// One after another, every reply stamped `at`: for repeatable screens and tests.
    OneByOne { at: Timestamp },
    /// `READS_IN_FLIGHT` at once, stamped as they come: for `report`.
    Together,
}

/// Reads, round after round, what the picture at `depth` needs, and feeds each reply to
/// `app`. Returns the reads that failed, with why.
pub async fn load_picture(
    app: &mut App,
    clients: &Clients,
    depth: Depth,
    pace: Pace,
) -> Vec<(Read, AwsError)> {
    in_rounds(app, clients, pace, |app| app.picture_reads(depth)).await
}

/// Reads what the two lists show, one after another, all stamped `at`.
pub async fn load_everything(app: &mut App, clients: &Clients, at: Timestamp) {
    load_picture(app, clients, Depth::Lists, Pace::OneByOne { at }).await;
}

/// Reads what opening one execution shows: its description, its history (every page) and
/// its Map Runs, stamped `at`.
pub async fn load_execution(app: &mut App, clients: &Clients, arn: &str, at: Timestamp) {
    let pace = Pace::OneByOne { at };
    in_rounds(app, clients, pace, |app| app.execution_detail_reads(arn)).await;
}

/// Reads, round after round, what `wanted` asks of `app` that was not read yet, until
/// nothing new is wanted. Returns the reads that failed, with why.
async fn in_rounds(
    app: &mut App,
    clients: &Clients,
    pace: Pace,
    wanted: impl Fn(&App) -> Vec<Read>,
) -> Vec<(Read, AwsError)> {
    let mut done: HashSet<Read> = HashSet::new();
    let mut failed = Vec::new();
    loop {
        let reads: Vec<Read> = wanted(app)
            .into_iter()
            .filter(|read| done.insert(read.clone()))
            .collect();
        if reads.is_empty() {
            return failed;
        }
        failed.extend(read_round(app, clients, reads, pace).await);
    }
}

/// One round: the replies fed to `app`; the reads that failed returned.
async fn read_round(
    app: &mut App,
    clients: &Clients,
    reads: Vec<Read>,
    pace: Pace,
) -> Vec<(Read, AwsError)> {
    let buckets = app.schedule.buckets();
    let mut replies = Vec::new();
    match pace {
        Pace::OneByOne { at } => {
            for read in reads {
                let result = fetch(clients, &buckets, &read).await;
                replies.push((read, at, result));
            }
        }
        Pace::Together => {
            for (read, result) in fetch_all(clients, &buckets, reads).await {
                replies.push((read, Timestamp::now(), result));
            }
        }
    }
    let mut failed = Vec::new();
    for (read, at, result) in replies {
        if let Err(error) = &result {
            failed.push((read.clone(), error.clone()));
        }
        app.update(Action::Loaded {
            at,
            result: loaded(read, result),
        });
    }
    failed
}

/// Runs the reads with at most `READS_IN_FLIGHT` at once; replies in the order asked.
async fn fetch_all(
    clients: &Clients,
    buckets: &Buckets,
    reads: Vec<Read>,
) -> Vec<(Read, Result<Reply, AwsError>)> {
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
