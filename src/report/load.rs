//! Reading the picture headless and repeatably, for screenshots, benchmarks and tests:
//! in rounds, each round the reads `App::picture_reads` wants that were not read yet,
//! one after another, every reply stamped with the same time, until none are left.
//! (`report` reads every lane at once, until complete: `complete.rs`.)

use std::collections::HashSet;

use jiff::Timestamp;

use crate::action::{Action, Read, loaded};
use crate::app::{App, Depth};
use crate::aws::{AwsError, Clients};
use crate::runner::fetch;

/// Reads, round after round, what the picture at `depth` needs, one read after another,
/// every reply stamped `at`, and feeds each to `app`. Returns the reads that failed.
pub async fn load_picture(
    app: &mut App,
    clients: &Clients,
    depth: Depth,
    at: Timestamp,
) -> Vec<(Read, AwsError)> {
    in_rounds(app, clients, at, |app| app.picture_reads(depth)).await
}

/// Reads what the two lists show, one after another, all stamped `at`.
pub async fn load_everything(app: &mut App, clients: &Clients, at: Timestamp) {
    load_picture(app, clients, Depth::Lists, at).await;
}

/// Reads the builds and logs on screen (a build's log tail, an open log), stamped `at`.
pub async fn load_on_screen(app: &mut App, clients: &Clients, at: Timestamp) {
    in_rounds(app, clients, at, App::why_reads_now).await;
}

/// Reads what opening one execution shows: its description, its history (every page) and
/// its Map Runs, stamped `at`.
pub async fn load_execution(app: &mut App, clients: &Clients, arn: &str, at: Timestamp) {
    in_rounds(app, clients, at, |app| app.execution_detail_reads(arn)).await;
}

/// Reads, round after round, what `wanted` asks of `app` that was not read yet, until
/// nothing new is wanted. Returns the reads that failed, with why.
async fn in_rounds(
    app: &mut App,
    clients: &Clients,
    at: Timestamp,
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
        failed.extend(read_round(app, clients, reads, at).await);
    }
}

/// One round: the replies fed to `app`; the reads that failed returned.
async fn read_round(
    app: &mut App,
    clients: &Clients,
    reads: Vec<Read>,
    at: Timestamp,
) -> Vec<(Read, AwsError)> {
    let buckets = app.schedule.buckets();
    let mut failed = Vec::new();
    for read in reads {
        let result = fetch(clients, &buckets, &read).await;
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
