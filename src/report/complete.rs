//! Reading the whole picture for `report`, until it is complete or the deadline passes.
//! Every quota lane works at once: the schedule starts what each lane's bucket allows,
//! and a reply that makes more reads wanted (a state naming a failed run, a list naming a
//! failed execution) starts them while the other lanes go on. A throttled read waits out
//! its lane's backoff and is read again; so is one that met a passing fault (a dropped
//! connection, an HTTP 5xx). Only an answer AWS means (AccessDenied, not found, invalid)
//! ends a read without its data.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use tokio::sync::mpsc;

use crate::action::{Action, Read, loaded};
use crate::app::{App, Depth};
use crate::aws::{AwsError, Clients, ErrorKind};
use crate::poller::Wish;
use crate::runner::fetch;

/// How far the reading got: for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Reads finished: answered, or ended by an answer that is final.
    pub done: usize,
    /// Reads known to be needed so far (it grows as replies name more).
    pub total: usize,
}

/// A read the report needed and could not make, with the last reason.
#[derive(Debug, Clone)]
pub struct Unread {
    pub read: Read,
    pub error: AwsError,
}

/// How the reading ended.
#[derive(Debug, Default)]
pub struct Ended {
    /// Still throttled or failing, or never started, when the deadline passed: the
    /// report is incomplete.
    pub unread: Vec<Unread>,
    /// Answered with a refusal AWS means (AccessDenied, not found, invalid): the item is
    /// reported with that answer.
    pub refused: Vec<Unread>,
}

/// How long to wait for a reply before looking again at what the buckets allow.
const LOOK_AGAIN: Duration = Duration::from_millis(25);

/// Reads what the picture at `depth` needs until nothing is left or `deadline` passes.
/// Returns the reads that ended without their data: those AWS refused for good, and,
/// past the deadline, those still being retried or never started.
pub async fn read_until_complete(
    app: &mut App,
    clients: &Clients,
    depth: Depth,
    deadline: Instant,
    mut progress: impl FnMut(Progress),
) -> Ended {
    let buckets = app.schedule.buckets();
    let (replies, mut inbox) = mpsc::unbounded_channel();
    // Answered, or ended by a final answer.
    let mut done: HashSet<Read> = HashSet::new();
    let mut refused: Vec<Unread> = Vec::new();
    // The last passing fault of each read still being retried.
    let mut faults: HashMap<Read, AwsError> = HashMap::new();
    // Until something answers, an unreachable endpoint is a final answer: there is
    // nothing to wait for.
    let mut alive = false;
    loop {
        let wanted: Vec<Wish> = app
            .picture_reads(depth)
            .into_iter()
            .filter(|read| !done.contains(read))
            .map(|read| Wish::sweep(read, SignedDuration::ZERO))
            .collect();
        progress(Progress {
            done: done.len(),
            total: done.len() + wanted.len(),
        });
        // The schedule knows what is on its way: it marks each start, and the app tells
        // it each reply.
        if wanted.is_empty() && app.schedule.in_flight() == 0 {
            return Ended {
                unread: Vec::new(),
                refused,
            };
        }
        if Instant::now() >= deadline {
            let unread = wanted.into_iter().map(|wish| {
                let error = faults.remove(&wish.read).unwrap_or_else(|| {
                    AwsError::new(
                        ErrorKind::Unreachable,
                        "not read before the deadline (--timeout)",
                    )
                });
                Unread {
                    read: wish.read,
                    error,
                }
            });
            return Ended {
                unread: unread.collect(),
                refused,
            };
        }
        for read in app.schedule.due(Timestamp::now(), &wanted) {
            let (clients, buckets, replies) = (clients.clone(), buckets.clone(), replies.clone());
            tokio::spawn(async move {
                let result = fetch(&clients, &buckets, &read).await;
                let _ = replies.send((read, result));
            });
        }
        let wait = LOOK_AGAIN.min(deadline.saturating_duration_since(Instant::now()));
        let Ok(Some(first)) = tokio::time::timeout(wait, inbox.recv()).await else {
            continue;
        };
        let mut batch = vec![first];
        while let Ok(reply) = inbox.try_recv() {
            batch.push(reply);
        }
        for (read, result) in batch {
            match &result {
                Ok(_) => {
                    alive = true;
                    faults.remove(&read);
                    done.insert(read.clone());
                }
                Err(error) if passing(error, alive) => {
                    faults.insert(read.clone(), error.clone());
                }
                Err(error) => {
                    faults.remove(&read);
                    done.insert(read.clone());
                    refused.push(Unread {
                        read: read.clone(),
                        error: error.clone(),
                    });
                }
            }
            // The app folds the reply (or the failure, keeping what it knew), and its
            // schedule learns the outcome: a throttled lane pauses, a fault backs off.
            app.update(Action::Loaded {
                at: Timestamp::now(),
                result: loaded(read, result),
            });
        }
    }
}

/// A fault worth waiting out: throttling, or the endpoint failing for a moment once it
/// has answered before.
fn passing(error: &AwsError, alive: bool) -> bool {
    match error.kind {
        ErrorKind::Throttled => true,
        ErrorKind::Unreachable | ErrorKind::Service => alive,
        _ => false,
    }
}
