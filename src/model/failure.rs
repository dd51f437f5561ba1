//! Which state failed an execution, and why, from its history.
//!
//! Start at the event that ended the run and follow `previousEventId` back. The first
//! `*StateEntered` reached whose state had not exited is the state that failed; the
//! `*StateEntered` events further back whose states never exited are the Parallel and
//! Map states around it. States that exited on the way (a state whose Catch routed
//! here, or simply earlier steps) are stepped over, so a `TaskFailed` that a Retry or a
//! Catch dealt with is never blamed.

use std::collections::HashMap;

use serde::Serialize;

use super::execution::HistoryEvent;

/// Where and why an execution failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    /// `ExecutionFailed`, `ExecutionTimedOut` or `ExecutionAborted`.
    pub terminal_event: String,
    /// The state the run ended in; None when the history does not show one.
    pub state: Option<String>,
    /// The failure event in that state (`TaskFailed`, `MapRunFailed`…), when there is one.
    pub failure_event: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The Parallel / Map states (and Map iterations) around the failed state, outermost first.
    pub path: Vec<PathStep>,
    /// When a Catch routed a failure to the state the run ended in: where it came from.
    pub caught_from: Option<CaughtFrom>,
    /// The Distributed Map run that failed, when it was one.
    pub map_run_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum PathStep {
    State { name: String },
    Iteration { map: String, index: i32 },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaughtFrom {
    pub state: String,
    pub failure_event: String,
    pub error: Option<String>,
    pub cause: Option<String>,
}

const TERMINAL_FAILURES: &[&str] = &["ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"];

/// Events after which the execution is not (or no longer) failed.
const TERMINAL_OTHERS: &[&str] = &["ExecutionSucceeded", "ExecutionRedriven"];

/// Failures that only report that something inside a Parallel or Map failed.
const CONTAINER_FAILURES: &[&str] = &[
    "ParallelStateFailed",
    "ParallelStateAborted",
    "MapStateFailed",
    "MapStateAborted",
    "MapIterationFailed",
    "MapIterationAborted",
];

/// A failure inside a state: any `…Failed`, `…TimedOut`, `…StartFailed`, `…SubmitFailed`,
/// and `EvaluationFailed` that is not the execution's own.
fn is_failure_event(kind: &str) -> bool {
    !kind.starts_with("Execution")
        && (kind.ends_with("Failed") || kind.ends_with("TimedOut") || kind.ends_with("Aborted"))
}

/// Finds where the execution failed. None when its last outcome is not a failure
/// (still running, succeeded, or redriven and running again).
pub fn find_failure(events: &[HistoryEvent]) -> Option<Failure> {
    let terminal = events.iter().rev().find(|e| {
        TERMINAL_FAILURES.contains(&e.kind.as_str()) || TERMINAL_OTHERS.contains(&e.kind.as_str())
    })?;
    if !TERMINAL_FAILURES.contains(&terminal.kind.as_str()) {
        return None;
    }
    let by_id: HashMap<i64, &HistoryEvent> = events.iter().map(|e| (e.id, e)).collect();

    let mut failure = Failure {
        terminal_event: terminal.kind.clone(),
        state: None,
        failure_event: None,
        error: terminal.error.clone(),
        cause: terminal.cause.clone(),
        path: Vec::new(),
        caught_from: None,
        map_run_arn: None,
    };
    // States we walked past the exit of, innermost last: their events are history.
    let mut exited: Vec<String> = Vec::new();
    let mut failure_detail: Option<&HistoryEvent> = None;
    // Only the state that exited right before the failed one was entered can have
    // routed a failure to it, and only if it exited straight after failing.
    let mut catch_checked = false;
    let mut current = terminal.previous_event_id;
    let mut steps = 0;
    while let Some(event) = current.and_then(|id| by_id.get(&id).copied()) {
        // A malformed history with a cycle must not hang the dashboard.
        steps += 1;
        if steps > events.len() {
            break;
        }
        current = event.previous_event_id;
        let kind = event.kind.as_str();
        let state = event.state_name.clone().unwrap_or_default();
        if kind.ends_with("StateExited") {
            if failure.state.is_some() && exited.is_empty() && !catch_checked {
                catch_checked = true;
                let before = event.previous_event_id.and_then(|id| by_id.get(&id));
                if let Some(caught) = before.filter(|e| is_failure_event(&e.kind)) {
                    failure.caught_from = Some(CaughtFrom {
                        state: state.clone(),
                        failure_event: caught.kind.clone(),
                        error: caught.error.clone(),
                        cause: caught.cause.clone(),
                    });
                }
            }
            exited.push(state);
            continue;
        }
        if kind.ends_with("StateEntered") {
            if let Some(position) = exited.iter().rposition(|name| *name == state) {
                exited.truncate(position);
                continue;
            }
            if !exited.is_empty() {
                continue;
            }
            match failure.state {
                None => failure.state = Some(state),
                Some(_) => failure.path.push(PathStep::State { name: state }),
            }
            continue;
        }
        if !exited.is_empty() {
            // Inside a state that finished: not where the run ended.
            continue;
        }
        if kind == "MapIterationStarted" && failure.state.is_some() {
            if let Some((map, index)) = &event.iteration {
                failure.path.push(PathStep::Iteration {
                    map: map.clone(),
                    index: *index,
                });
            }
            continue;
        }
        if let Some(arn) = event
            .map_run_arn
            .as_ref()
            .filter(|_| kind == "MapRunStarted" || kind == "MapRunFailed")
        {
            failure.map_run_arn = Some(arn.clone());
        }
        // The failure nearest the end wins (the last attempt of a retried task), except
        // that a container's "something inside failed" gives way to what failed inside.
        let container = |e: &HistoryEvent| CONTAINER_FAILURES.contains(&e.kind.as_str());
        if failure.state.is_none()
            && is_failure_event(kind)
            && failure_detail.is_none_or(|seen| container(seen) && !container(event))
        {
            failure_detail = Some(event);
        }
    }
    if let Some(detail) = failure_detail {
        failure.failure_event = Some(detail.kind.clone());
        if failure.error.is_none() {
            failure.error = detail.error.clone();
        }
        if failure.cause.is_none() {
            failure.cause = detail.cause.clone();
        }
        if failure.map_run_arn.is_none() {
            failure.map_run_arn = detail.map_run_arn.clone();
        }
    }
    failure.path.reverse();
    Some(failure)
}

/// A cause that is JSON (Lambda errors are) is easier to read indented.
pub fn pretty_cause(cause: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(cause) {
        Ok(value @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            serde_json::to_string_pretty(&value).unwrap_or_else(|_| cause.to_string())
        }
        _ => cause.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a history from (type, previous, state name, error) rows, ids from 1.
    struct History(Vec<HistoryEvent>);

    impl History {
        fn new() -> Self {
            Self(Vec::new())
        }

        fn add(
            &mut self,
            kind: &str,
            previous: Option<i64>,
            state: Option<&str>,
            error: Option<&str>,
        ) -> i64 {
            let id = self.0.len() as i64 + 1;
            self.0.push(HistoryEvent {
                id,
                previous_event_id: previous,
                timestamp: None,
                kind: kind.into(),
                state_name: state.map(str::to_string),
                error: error.map(str::to_string),
                cause: error.map(|e| format!("cause of {e}")),
                iteration: None,
                map_run_arn: None,
            });
            id
        }

        /// Entered → exited for a state that just passes.
        fn pass(&mut self, name: &str, previous: i64) -> i64 {
            let entered = self.add("PassStateEntered", Some(previous), Some(name), None);
            self.add("PassStateExited", Some(entered), Some(name), None)
        }

        /// A Task that fails `failures` times; the last attempt succeeds when `recovers`.
        fn task(&mut self, name: &str, previous: i64, failures: usize, recovers: bool) -> i64 {
            let mut last = self.add("TaskStateEntered", Some(previous), Some(name), None);
            for attempt in 0..failures + usize::from(recovers) {
                let scheduled = self.add("TaskScheduled", Some(last), None, None);
                let started = self.add("TaskStarted", Some(scheduled), None, None);
                last = if attempt < failures {
                    self.add(
                        "TaskFailed",
                        Some(started),
                        None,
                        Some(&format!("Err{attempt}")),
                    )
                } else {
                    self.add("TaskSucceeded", Some(started), None, None)
                };
            }
            last
        }
    }

    fn start(history: &mut History) -> i64 {
        history.add("ExecutionStarted", None, None, None)
    }

    #[test]
    fn a_task_that_failed_after_its_retries() {
        let mut h = History::new();
        let s = start(&mut h);
        let p = h.pass("Validate", s);
        let failed = h.task("ChargeCard", p, 3, false);
        h.add("ExecutionFailed", Some(failed), None, Some("Err2"));
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("ChargeCard"));
        assert_eq!(failure.failure_event.as_deref(), Some("TaskFailed"));
        assert_eq!(failure.error.as_deref(), Some("Err2"));
        assert!(failure.path.is_empty());
        assert!(failure.caught_from.is_none());
    }

    #[test]
    fn a_failure_a_retry_recovered_is_not_blamed() {
        let mut h = History::new();
        let s = start(&mut h);
        let recovered = h.task("Reserve", s, 1, true);
        let exited = h.add("TaskStateExited", Some(recovered), Some("Reserve"), None);
        let failed = h.task("Ship", exited, 1, false);
        h.add("ExecutionFailed", Some(failed), None, Some("Err0"));
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("Ship"));
        assert!(
            failure.path.is_empty(),
            "Reserve exited: it is not around Ship"
        );
        assert!(
            failure.caught_from.is_none(),
            "Reserve recovered; it caught nothing"
        );
    }

    #[test]
    fn a_catch_is_followed_to_the_state_that_ended_the_run() {
        let mut h = History::new();
        let s = start(&mut h);
        let failed = h.task("ChargeCard", s, 1, false);
        let exited = h.add("TaskStateExited", Some(failed), Some("ChargeCard"), None);
        let fail = h.add(
            "FailStateEntered",
            Some(exited),
            Some("PaymentFailed"),
            None,
        );
        h.add(
            "ExecutionFailed",
            Some(fail),
            None,
            Some("Payment.Declined"),
        );
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("PaymentFailed"));
        assert_eq!(failure.error.as_deref(), Some("Payment.Declined"));
        let caught = failure.caught_from.unwrap();
        assert_eq!(caught.state, "ChargeCard");
        assert_eq!(caught.failure_event, "TaskFailed");
        assert_eq!(caught.error.as_deref(), Some("Err0"));
    }

    #[test]
    fn a_failed_parallel_branch() {
        let mut h = History::new();
        let s = start(&mut h);
        let entered = h.add("ParallelStateEntered", Some(s), Some("FanOut"), None);
        let started = h.add("ParallelStateStarted", Some(entered), None, None);
        let ok_branch = h.pass("Audit", started);
        let _ = ok_branch;
        let failed = h.task("Notify", started, 1, false);
        let parallel_failed = h.add("ParallelStateFailed", Some(failed), None, Some("Err0"));
        h.add("ExecutionFailed", Some(parallel_failed), None, Some("Err0"));
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("Notify"));
        assert_eq!(
            failure.path,
            vec![PathStep::State {
                name: "FanOut".into()
            }]
        );
        assert_eq!(failure.failure_event.as_deref(), Some("TaskFailed"));
    }

    #[test]
    fn a_failed_map_iteration() {
        let mut h = History::new();
        let s = start(&mut h);
        let entered = h.add("MapStateEntered", Some(s), Some("EachItem"), None);
        let started = h.add("MapStateStarted", Some(entered), None, None);
        let iteration = h.add("MapIterationStarted", Some(started), None, None);
        h.0[iteration as usize - 1].iteration = Some(("EachItem".into(), 7));
        let failed = h.task("Resize", iteration, 1, false);
        let it_failed = h.add("MapIterationFailed", Some(failed), None, None);
        let map_failed = h.add("MapStateFailed", Some(it_failed), None, None);
        h.add(
            "ExecutionFailed",
            Some(map_failed),
            None,
            Some("States.TaskFailed"),
        );
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("Resize"));
        assert_eq!(
            failure.path,
            vec![
                PathStep::State {
                    name: "EachItem".into()
                },
                PathStep::Iteration {
                    map: "EachItem".into(),
                    index: 7
                },
            ]
        );
    }

    #[test]
    fn a_failed_distributed_map_run() {
        let mut h = History::new();
        let s = start(&mut h);
        let entered = h.add("MapStateEntered", Some(s), Some("ProcessFiles"), None);
        let started = h.add("MapRunStarted", Some(entered), None, None);
        h.0[started as usize - 1].map_run_arn =
            Some("arn:aws:states:us-east-1:1:mapRun:m/abc".into());
        let failed = h.add(
            "MapRunFailed",
            Some(started),
            None,
            Some("States.ExceedToleratedFailureThreshold"),
        );
        h.add(
            "ExecutionFailed",
            Some(failed),
            None,
            Some("States.ExceedToleratedFailureThreshold"),
        );
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("ProcessFiles"));
        assert_eq!(failure.failure_event.as_deref(), Some("MapRunFailed"));
        assert_eq!(
            failure.map_run_arn.as_deref(),
            Some("arn:aws:states:us-east-1:1:mapRun:m/abc")
        );
    }

    #[test]
    fn redriven_then_succeeded_is_not_a_failure_and_failing_again_is() {
        let mut h = History::new();
        let s = start(&mut h);
        let failed = h.task("Load", s, 1, false);
        let first_end = h.add("ExecutionFailed", Some(failed), None, Some("Err0"));
        let redriven = h.add("ExecutionRedriven", Some(first_end), None, None);
        assert!(
            find_failure(&h.0).is_none(),
            "running again after a redrive"
        );
        let again = h.task("Load", redriven, 1, false);
        h.add("ExecutionFailed", Some(again), None, Some("Err0"));
        assert_eq!(find_failure(&h.0).unwrap().state.as_deref(), Some("Load"));
        let done = h.add("ExecutionSucceeded", Some(again), None, None);
        let _ = done;
        assert!(find_failure(&h.0).is_none());
    }

    #[test]
    fn aborted_names_the_state_it_was_in() {
        let mut h = History::new();
        let s = start(&mut h);
        let entered = h.add("WaitStateEntered", Some(s), Some("WaitForApproval"), None);
        h.add("ExecutionAborted", Some(entered), None, None);
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.terminal_event, "ExecutionAborted");
        assert_eq!(failure.state.as_deref(), Some("WaitForApproval"));
    }

    #[test]
    fn a_cycle_in_a_broken_history_does_not_hang() {
        let mut h = History::new();
        let a = h.add("TaskScheduled", Some(2), None, None);
        h.add("TaskStarted", Some(a), None, None);
        h.add("ExecutionFailed", Some(2), None, Some("X"));
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state, None);
    }

    #[test]
    fn json_causes_are_indented() {
        let cause = r#"{"errorMessage":"boom","errorType":"Error"}"#;
        assert!(pretty_cause(cause).contains("\n  \"errorMessage\": \"boom\""));
        assert_eq!(pretty_cause("plain words"), "plain words");
    }
}
