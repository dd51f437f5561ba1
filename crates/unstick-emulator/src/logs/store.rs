//! The log events every service writes and CloudWatch Logs reads back: groups of
//! streams of events in time order. A build or a Lambda that writes "later" puts its
//! lines in with future timestamps; readers see only what has happened by now, so a
//! running build's log grows as it runs.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

use crate::ApiError;

#[derive(Debug, Clone, PartialEq)]
pub struct LogEvent {
    pub at: Timestamp,
    pub message: String,
    /// CloudWatch Logs takes a moment to ingest what a service wrote.
    pub ingested: Timestamp,
}

/// Lines to write when someone first reads their stream.
type Later = Box<dyn FnOnce() -> Vec<(Timestamp, String)> + Send>;

#[derive(Default)]
pub struct LogStore {
    groups: BTreeMap<String, BTreeMap<String, Vec<LogEvent>>>,
    /// Streams written only when their group is first read: a fleet of thousands of
    /// builds costs no memory for logs nobody opens.
    later: BTreeMap<String, Vec<(String, Later)>>,
}

impl std::fmt::Debug for LogStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogStore")
            .field("groups", &self.groups.len())
            .field("later", &self.later.len())
            .finish()
    }
}

/// One store shared by the services that write logs and the one that reads them.
pub type SharedLogs = Arc<Mutex<LogStore>>;

/// How long after an event CloudWatch Logs has it.
const INGESTION: SignedDuration = SignedDuration::from_millis(350);

impl LogStore {
    pub fn shared() -> SharedLogs {
        Arc::new(Mutex::new(Self::default()))
    }

    /// Appends lines to a stream (created if new), keeping it in time order.
    pub fn write(
        &mut self,
        group: &str,
        stream: &str,
        lines: impl IntoIterator<Item = (Timestamp, String)>,
    ) {
        let events = self
            .groups
            .entry(group.to_string())
            .or_default()
            .entry(stream.to_string())
            .or_default();
        events.extend(lines.into_iter().map(|(at, message)| LogEvent {
            at,
            message,
            ingested: at + INGESTION,
        }));
        events.sort_by_key(|event| event.at);
    }

    /// Registers a stream whose lines are made when its group is first read.
    pub fn write_later(&mut self, group: &str, stream: &str, make: Later) {
        self.later
            .entry(group.to_string())
            .or_default()
            .push((stream.to_string(), make));
    }

    /// A group's streams, or AWS's error for a group that does not exist.
    pub fn group(&mut self, group: &str) -> Result<&BTreeMap<String, Vec<LogEvent>>, ApiError> {
        for (stream, make) in self.later.remove(group).unwrap_or_default() {
            self.write(group, &stream, make());
        }
        self.groups.get(group).ok_or_else(|| {
            ApiError::new(
                400,
                "ResourceNotFoundException",
                "The specified log group does not exist.",
            )
        })
    }

    /// One stream's events, or AWS's error for a group or stream that does not exist
    /// (yet: a stream whose first line is still to come has not been created).
    pub fn stream(
        &mut self,
        group: &str,
        stream: &str,
        now: Timestamp,
    ) -> Result<&[LogEvent], ApiError> {
        self.group(group)?
            .get(stream)
            .filter(|events| events.first().is_some_and(|first| first.at <= now))
            .map(Vec::as_slice)
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "ResourceNotFoundException",
                    "The specified log stream does not exist.",
                )
            })
    }
}

/// The events of `events` that CloudWatch Logs has ingested by `now`.
pub fn ingested_by(events: &[LogEvent], now: Timestamp) -> &[LogEvent] {
    let end = events.partition_point(|event| event.ingested <= now);
    &events[..end]
}
