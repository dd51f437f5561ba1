//! An execution's whole history as a timeline: every event with its time since the start,
//! the state it belongs to, and what became of each failure (the one that ended the run,
//! one a Retry tried again, one a Catch handled). Built once per history read, searched in
//! place: histories run to 25,000 events.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};

use super::execution::HistoryEvent;
use super::failure::Failure;
use super::scopes::is_failure_event;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    None,
    /// The failure the run ended on, or the event that ended it.
    Failed,
    /// A failed attempt that its state's Retry ran again.
    Retried,
    /// A failure a Catch handled: the state was left on its Catch's path.
    Caught,
    /// A failure the run went on from some other way (inside a Map or Parallel).
    Recovered,
    Redriven,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    pub id: i64,
    pub since_start: Option<SignedDuration>,
    pub kind: String,
    /// The state the event belongs to: named by its own entry or exit, or inherited along
    /// `previousEventId` (a TaskFailed belongs to the Task that scheduled it).
    pub state: Option<String>,
    /// The error, and the cause's first line.
    pub detail: Option<String>,
    pub mark: Mark,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    pub rows: Vec<TimelineRow>,
    /// Where the failure that counted is, to jump to it.
    pub failed_row: Option<usize>,
}

pub fn timeline(events: &[HistoryEvent], failure: Option<&Failure>) -> Timeline {
    let start: Option<Timestamp> = events.first().and_then(|e| e.timestamp);
    let mut state_of: HashMap<i64, Option<String>> = HashMap::with_capacity(events.len());
    // What followed each event: how a failure was answered.
    let mut followed_by: HashMap<i64, &str> = HashMap::new();
    for event in events {
        if let Some(previous) = event.previous_event_id {
            followed_by.entry(previous).or_insert(event.kind.as_str());
        }
    }
    let counted = failure.and_then(|f| f.failure_event_id);
    let mut rows = Vec::with_capacity(events.len());
    let mut failed_row = None;
    for event in events {
        let state = if event.kind.starts_with("Execution") {
            None
        } else if event.kind.ends_with("StateEntered") || event.kind.ends_with("StateExited") {
            event.state_name.clone()
        } else {
            event
                .previous_event_id
                .and_then(|previous| state_of.get(&previous).cloned().flatten())
                .filter(|_| !event.kind.ends_with("StateEntered"))
        };
        // A state's name passes on only to what happens inside it, not past its exit.
        let passes_on = if event.kind.ends_with("StateExited") {
            None
        } else {
            state.clone()
        };
        state_of.insert(event.id, passes_on);
        let terminal = matches!(
            event.kind.as_str(),
            "ExecutionFailed" | "ExecutionTimedOut" | "ExecutionAborted"
        );
        let mark = if Some(event.id) == counted || (terminal && counted.is_none()) {
            Mark::Failed
        } else if event.kind == "ExecutionRedriven" {
            Mark::Redriven
        } else if terminal {
            Mark::Failed
        } else if is_failure_event(&event.kind) {
            match followed_by.get(&event.id) {
                Some(next) if next.ends_with("Scheduled") || next.ends_with("Started") => {
                    Mark::Retried
                }
                Some(next) if next.ends_with("StateExited") => Mark::Caught,
                _ => Mark::Recovered,
            }
        } else {
            Mark::None
        };
        if mark == Mark::Failed && (Some(event.id) == counted || failed_row.is_none()) {
            failed_row = Some(rows.len());
        }
        let detail = match (&event.error, &event.cause) {
            (None, None) => None,
            (error, cause) => {
                let first = cause
                    .as_deref()
                    .and_then(|c| c.lines().next())
                    .unwrap_or_default();
                Some(match error {
                    Some(error) if first.is_empty() => error.clone(),
                    Some(error) => format!("{error}: {first}"),
                    None => first.to_string(),
                })
            }
        };
        rows.push(TimelineRow {
            id: event.id,
            since_start: start
                .zip(event.timestamp)
                .map(|(s, at)| at.duration_since(s)),
            kind: event.kind.clone(),
            state,
            detail,
            mark,
        });
    }
    Timeline { rows, failed_row }
}

impl TimelineRow {
    /// Whether `query` (lower case) is in the row: its id, type, state or detail.
    pub fn matches(&self, query: &str) -> bool {
        let has = |text: &str| text.to_lowercase().contains(query);
        self.id.to_string() == query
            || has(&self.kind)
            || self.state.as_deref().is_some_and(has)
            || self.detail.as_deref().is_some_and(has)
    }
}

/// The rows matching `query`, in order; nothing for an empty query.
pub fn search(rows: &[TimelineRow], query: &str) -> Vec<usize> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    rows.iter()
        .enumerate()
        .filter(|(_, row)| row.matches(&query))
        .map(|(index, _)| index)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::find_failure;

    fn event(
        id: i64,
        previous: i64,
        kind: &str,
        state: Option<&str>,
        error: Option<&str>,
    ) -> HistoryEvent {
        HistoryEvent {
            id,
            previous_event_id: Some(previous).filter(|p| *p > 0),
            timestamp: Some(Timestamp::from_second(1_800_000_000 + id).unwrap()),
            kind: kind.into(),
            state_name: state.map(str::to_string),
            error: error.map(str::to_string),
            cause: error.map(|e| format!("{{\"errorMessage\":\"{e} happened\"}}\nmore")),
            iteration: None,
            map_run_arn: None,
            function: None,
        }
    }

    fn history() -> Vec<HistoryEvent> {
        vec![
            event(1, 0, "ExecutionStarted", None, None),
            event(2, 1, "TaskStateEntered", Some("Reserve"), None),
            event(3, 2, "TaskScheduled", None, None),
            event(4, 3, "TaskStarted", None, None),
            event(
                5,
                4,
                "TaskFailed",
                None,
                Some("Lambda.TooManyRequestsException"),
            ),
            event(6, 5, "TaskScheduled", None, None),
            event(7, 6, "TaskStarted", None, None),
            event(8, 7, "TaskSucceeded", None, None),
            event(9, 8, "TaskStateExited", Some("Reserve"), None),
            event(10, 9, "TaskStateEntered", Some("Charge"), None),
            event(11, 10, "TaskScheduled", None, None),
            event(12, 11, "TaskStarted", None, None),
            event(13, 12, "TaskFailed", None, Some("PaymentTimeout")),
            event(14, 13, "ExecutionFailed", None, Some("PaymentTimeout")),
        ]
    }

    #[test]
    fn states_times_and_what_became_of_each_failure() {
        let events = history();
        let failure = find_failure(&events);
        let timeline = timeline(&events, failure.as_ref());
        let row = |id: i64| &timeline.rows[id as usize - 1];
        assert_eq!(row(5).state.as_deref(), Some("Reserve"));
        assert_eq!(row(5).mark, Mark::Retried);
        assert_eq!(row(13).state.as_deref(), Some("Charge"));
        assert_eq!(row(13).mark, Mark::Failed);
        assert_eq!(timeline.failed_row, Some(12));
        assert_eq!(
            row(14).state,
            None,
            "the execution's end belongs to no state"
        );
        assert_eq!(row(13).since_start, Some(SignedDuration::from_secs(12)));
        assert_eq!(
            row(13).detail.as_deref(),
            Some("PaymentTimeout: {\"errorMessage\":\"PaymentTimeout happened\"}")
        );
        assert_eq!(search(&timeline.rows, "charge"), vec![9, 10, 11, 12]);
        assert_eq!(search(&timeline.rows, "TOOMANY"), vec![4]);
        assert_eq!(search(&timeline.rows, "13"), vec![12]);
        assert!(search(&timeline.rows, " ").is_empty());
    }

    #[test]
    fn a_caught_failure_is_marked_caught() {
        let events = vec![
            event(1, 0, "ExecutionStarted", None, None),
            event(2, 1, "TaskStateEntered", Some("Capture"), None),
            event(3, 2, "TaskScheduled", None, None),
            event(4, 3, "TaskStarted", None, None),
            event(5, 4, "TaskFailed", None, Some("CardDeclined")),
            event(6, 5, "TaskStateExited", Some("Capture"), None),
            event(7, 6, "FailStateEntered", Some("CaptureFailed"), None),
            event(8, 7, "ExecutionFailed", None, Some("Payment.CaptureFailed")),
        ];
        let timeline = timeline(&events, find_failure(&events).as_ref());
        assert_eq!(timeline.rows[4].mark, Mark::Caught);
        assert_eq!(timeline.rows[7].mark, Mark::Failed);
        assert_eq!(timeline.rows[7].state, None);
        assert_eq!(timeline.failed_row, Some(7));
    }
}
