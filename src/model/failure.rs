//! Which state failed an execution, and why, from its history.
//!
//! The history is first sorted into scopes and state visits (`scopes.rs`), forward and by
//! what each event means, because real interpreters do not chain `previousEventId` the
//! same way. Then, in the execution's scope, the state entered and never exited is where
//! the run ended; if it is a Parallel or a Map, the search goes on in the branch or
//! iteration that failed first (a failure event, or a Fail state), and so on inwards.
//! Only states still open are looked at, so a `TaskFailed` that a Retry recovered or a
//! Catch handled (its state exited) is never blamed; a Catch is named as where the
//! failure came from.

use serde::Serialize;

use super::execution::HistoryEvent;
use super::scopes::{ScopeId, ScopeKind, Scopes, VisitId, is_failure_event};

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
    /// The Parallel / Map states, branches and iterations around the failed state,
    /// outermost first.
    pub path: Vec<PathStep>,
    /// When a Catch routed a failure to the state the run ended in: where it came from.
    pub caught_from: Option<CaughtFrom>,
    /// The Distributed Map run that failed, when it was one.
    pub map_run_arn: Option<String>,
    /// The id of that failure event, to find it in the whole history.
    pub failure_event_id: Option<i64>,
    /// The Lambda function the failed attempt invoked, and when, to find its log.
    pub lambda: Option<LambdaCall>,
}

/// A Task's attempt at a Lambda function, as the history tells it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LambdaCall {
    /// The function's name, as its log group is named after it.
    pub function: String,
    pub scheduled_at: Option<jiff::Timestamp>,
    pub failed_at: Option<jiff::Timestamp>,
    /// From the cause, when the function's own error carries it.
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum PathStep {
    State {
        name: String,
    },
    /// A branch of a Parallel state, known by the state it starts at (histories do not
    /// carry branch numbers).
    Branch {
        parallel: String,
        starts_at: Option<String>,
    },
    Iteration {
        map: String,
        index: i32,
    },
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

/// The state a run ended in, inside one scope: the visit, the steps to it, and the index
/// of its first failure event (None when nothing failed there: aborted, timed out).
struct Found {
    visit: VisitId,
    path: Vec<PathStep>,
    first_failure: Option<usize>,
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
    let scopes = Scopes::build(events);
    let mut failure = Failure {
        terminal_event: terminal.kind.clone(),
        state: None,
        failure_event: None,
        error: terminal.error.clone(),
        cause: terminal.cause.clone(),
        path: Vec::new(),
        caught_from: None,
        map_run_arn: None,
        failure_event_id: None,
        lambda: None,
    };
    let Some(found) = ended_in(&scopes, 0) else {
        return Some(failure);
    };
    let visit = &scopes.visits[found.visit];
    failure.state = Some(visit.name.clone());
    failure.path = found.path;
    failure.map_run_arn = visit.map_run_arn.clone();
    // The last attempt of a retried task is the one that counted.
    if let Some(detail) = visit.failures.last().map(|i| &events[*i]) {
        failure.failure_event = Some(detail.kind.clone());
        failure.failure_event_id = Some(detail.id);
        failure.lambda = lambda_call(events, detail);
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
    failure.caught_from = caught_from(&scopes, events, found.visit);
    Some(failure)
}

/// The Lambda function behind a failed attempt: back from the failure to the event that
/// scheduled it (`TaskScheduled` with a Lambda resource, or `LambdaFunctionScheduled`).
fn lambda_call(events: &[HistoryEvent], failed: &HistoryEvent) -> Option<LambdaCall> {
    let by_id = |id: Option<i64>| id.and_then(|id| events.iter().find(|e| e.id == id));
    let mut current = by_id(failed.previous_event_id);
    for _ in 0..3 {
        let event = current?;
        if let Some(function) = &event.function {
            return Some(LambdaCall {
                function: super::logs::lambda_function_name(function)?,
                scheduled_at: event.timestamp,
                failed_at: failed.timestamp,
                request_id: failed.cause.as_deref().and_then(super::logs::request_id),
            });
        }
        current = by_id(event.previous_event_id);
    }
    None
}

/// Where the run ended within `scope`: among the states still open there, the one that
/// failed first (or, when none failed, the last entered), followed inwards.
fn ended_in(scopes: &Scopes, scope: ScopeId) -> Option<Found> {
    let open = scopes.scopes[scope]
        .visits
        .iter()
        .copied()
        .filter(|v| scopes.visits[*v].is_open());
    pick(open.map(|v| inwards(scopes, v)))
}

/// The failure first in time wins; without any failure, the latest candidate.
fn pick(candidates: impl Iterator<Item = Found>) -> Option<Found> {
    candidates.fold(None, |best: Option<Found>, next| {
        match (&best, next.first_failure) {
            (None, _) => Some(next),
            (Some(b), Some(at)) if b.first_failure.is_none_or(|seen| at < seen) => Some(next),
            (Some(b), None) if b.first_failure.is_none() => Some(next),
            _ => best,
        }
    })
}

/// From an open visit inwards: a Parallel or Map that ran branches or iterations ended in
/// whichever of them failed; any other state ended in itself.
fn inwards(scopes: &Scopes, visit: VisitId) -> Found {
    let state = &scopes.visits[visit];
    let inside = state.children.iter().filter_map(|child| {
        let mut found = ended_in(scopes, *child)?;
        let step = match &scopes.scopes[*child].kind {
            ScopeKind::Branch { starts_at, .. } => PathStep::Branch {
                parallel: state.name.clone(),
                starts_at: starts_at.clone(),
            },
            ScopeKind::Iteration { index, .. } => PathStep::Iteration {
                map: state.name.clone(),
                index: *index,
            },
            ScopeKind::Execution => return None,
        };
        found.path.insert(0, step);
        found.path.insert(
            0,
            PathStep::State {
                name: state.name.clone(),
            },
        );
        Some(found)
    });
    pick(inside).unwrap_or(Found {
        visit,
        path: Vec::new(),
        first_failure: state
            .failures
            .first()
            .copied()
            .or((state.state_type == "Fail").then_some(state.entered)),
    })
}

/// A Catch routed a failure to `visit` when the state entered just before it, in the same
/// scope, exited straight after failing.
fn caught_from(scopes: &Scopes, events: &[HistoryEvent], visit: VisitId) -> Option<CaughtFrom> {
    let in_scope = &scopes.scopes[scopes.visits[visit].scope].visits;
    let position = in_scope.iter().position(|v| *v == visit)?;
    let before = &scopes.visits[*in_scope.get(position.checked_sub(1)?)?];
    let exit = &events[before.exited?];
    let caught = events
        .iter()
        .find(|e| Some(e.id) == exit.previous_event_id)
        .filter(|e| is_failure_event(&e.kind) || e.kind.ends_with("StateFailed"))?;
    Some(CaughtFrom {
        state: before.name.clone(),
        failure_event: caught.kind.clone(),
        error: caught.error.clone(),
        cause: caught.cause.clone(),
    })
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
                function: None,
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
            vec![
                PathStep::State {
                    name: "FanOut".into()
                },
                PathStep::Branch {
                    parallel: "FanOut".into(),
                    starts_at: Some("Notify".into())
                }
            ]
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

    fn iteration(h: &mut History, kind: &str, previous: i64, map: &str, index: i32) -> i64 {
        let id = h.add(kind, Some(previous), None, None);
        h.0[id as usize - 1].iteration = Some((map.into(), index));
        id
    }

    fn state_path(failure: &Failure) -> Vec<String> {
        failure
            .path
            .iter()
            .map(|step| match step {
                PathStep::State { name } => name.clone(),
                PathStep::Branch { starts_at, .. } => {
                    format!("branch {}", starts_at.clone().unwrap_or_default())
                }
                PathStep::Iteration { index, .. } => format!("iteration {index}"),
            })
            .collect()
    }

    #[test]
    fn a_sequential_map_whose_iterations_chain_to_the_previous_one() {
        // As moto writes MaxConcurrency 1: MapIterationStarted(n) follows the last event
        // of iteration n-1, not MapStateStarted. The third item fails.
        let mut h = History::new();
        let s = start(&mut h);
        let entered = h.add("MapStateEntered", Some(s), Some("EachItem"), None);
        let mut last = h.add("MapStateStarted", Some(entered), None, None);
        for index in 0..2 {
            let begun = iteration(&mut h, "MapIterationStarted", last, "EachItem", index);
            let done = h.task("Resize", begun, 0, true);
            let exited = h.add("TaskStateExited", Some(done), Some("Resize"), None);
            last = iteration(&mut h, "MapIterationSucceeded", exited, "EachItem", index);
        }
        let begun = iteration(&mut h, "MapIterationStarted", last, "EachItem", 2);
        let failed = h.task("Resize", begun, 1, false);
        let it_failed = iteration(&mut h, "MapIterationFailed", failed, "EachItem", 2);
        let map_failed = h.add("MapStateFailed", Some(it_failed), None, None);
        h.add("ExecutionFailed", Some(map_failed), None, Some("Err0"));
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("Resize"));
        assert_eq!(state_path(&failure), ["EachItem", "iteration 2"]);
        assert_eq!(failure.failure_event.as_deref(), Some("TaskFailed"));
    }

    #[test]
    fn a_parallel_whose_succeeding_sibling_wrote_last() {
        // ParallelStateFailed follows the highest event id of any branch: here the
        // sibling that succeeded, so a walk back never reaches the Fail state.
        let mut h = History::new();
        let s = start(&mut h);
        let entered = h.add("ParallelStateEntered", Some(s), Some("FanOut"), None);
        let started = h.add("ParallelStateStarted", Some(entered), None, None);
        let fail = h.add("FailStateEntered", Some(started), Some("Reject"), None);
        let _ = fail;
        let slow = h.pass("Audit", started);
        let parallel_failed = h.add("ParallelStateFailed", Some(slow), None, None);
        h.add(
            "ExecutionFailed",
            Some(parallel_failed),
            None,
            Some("Order.Invalid"),
        );
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("Reject"));
        assert_eq!(state_path(&failure), ["FanOut", "branch Reject"]);
        assert_eq!(failure.error.as_deref(), Some("Order.Invalid"));
    }

    #[test]
    fn nested_parallels_name_the_inner_branch_that_failed() {
        let mut h = History::new();
        let s = start(&mut h);
        let outer = h.add("ParallelStateEntered", Some(s), Some("Outer"), None);
        let outer_started = h.add("ParallelStateStarted", Some(outer), None, None);
        let inner = h.add(
            "ParallelStateEntered",
            Some(outer_started),
            Some("Inner"),
            None,
        );
        let inner_started = h.add("ParallelStateStarted", Some(inner), None, None);
        let failed = h.task("Charge", inner_started, 1, false);
        let ok = h.pass("Log", inner_started);
        // The outer branch that succeeds writes after the inner failure.
        let other = h.pass("Notify", outer_started);
        let inner_failed = h.add("ParallelStateFailed", Some(ok.max(failed)), None, None);
        let outer_failed = h.add(
            "ParallelStateFailed",
            Some(other.max(inner_failed)),
            None,
            None,
        );
        h.add("ExecutionFailed", Some(outer_failed), None, Some("Err0"));
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("Charge"));
        assert_eq!(
            state_path(&failure),
            ["Outer", "branch Inner", "Inner", "branch Charge"]
        );
    }

    #[test]
    fn aborted_with_no_previous_event_names_the_state_it_was_in() {
        let mut h = History::new();
        let s = start(&mut h);
        let p = h.pass("Prepare", s);
        h.add("WaitStateEntered", Some(p), Some("WaitForApproval"), None);
        // StopExecution: previousEventId 0, no error, no cause.
        h.add("ExecutionAborted", None, None, None);
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("WaitForApproval"));
        assert_eq!(failure.error, None);
        assert!(failure.path.is_empty());
    }

    #[test]
    fn a_parallel_inside_a_map_names_the_right_iteration() {
        let mut h = History::new();
        let s = start(&mut h);
        let entered = h.add("MapStateEntered", Some(s), Some("Each"), None);
        let started = h.add("MapStateStarted", Some(entered), None, None);
        let mut last = started;
        for index in 0..2 {
            let begun = iteration(&mut h, "MapIterationStarted", last, "Each", index);
            let par = h.add("ParallelStateEntered", Some(begun), Some("Both"), None);
            let par_started = h.add("ParallelStateStarted", Some(par), None, None);
            let a = h.pass("A", par_started);
            if index == 0 {
                let b = h.pass("B", par_started);
                let done = h.add("ParallelStateSucceeded", Some(a.max(b)), None, None);
                let exited = h.add("ParallelStateExited", Some(done), Some("Both"), None);
                last = iteration(&mut h, "MapIterationSucceeded", exited, "Each", index);
            } else {
                let b = h.task("B", par_started, 1, false);
                let failed = h.add("ParallelStateFailed", Some(a.max(b)), None, None);
                let it = iteration(&mut h, "MapIterationFailed", failed, "Each", index);
                last = h.add("MapStateFailed", Some(it), None, None);
            }
        }
        h.add("ExecutionFailed", Some(last), None, Some("Err0"));
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.state.as_deref(), Some("B"));
        assert_eq!(
            state_path(&failure),
            ["Each", "iteration 1", "Both", "branch B"]
        );
    }

    #[test]
    fn timed_out_with_no_error_names_the_running_task() {
        let mut h = History::new();
        let s = start(&mut h);
        let entered = h.add("TaskStateEntered", Some(s), Some("LongJob"), None);
        let scheduled = h.add("TaskScheduled", Some(entered), None, None);
        h.add("TaskStarted", Some(scheduled), None, None);
        h.add("ExecutionTimedOut", None, None, None);
        let failure = find_failure(&h.0).unwrap();
        assert_eq!(failure.terminal_event, "ExecutionTimedOut");
        assert_eq!(failure.state.as_deref(), Some("LongJob"));
        assert_eq!(failure.failure_event, None);
    }

    /// Histories moto's interpreter wrote (recorded by the moto suite with
    /// UNSTICK_RECORD_FIXTURES), each with what its state machine must be found to have
    /// failed in: the real linking shapes, replayed without moto.
    #[test]
    fn recorded_histories_name_the_state_their_definition_fails_in() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/histories");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let fixture: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let events: Vec<HistoryEvent> =
                serde_json::from_value(fixture["events"].clone()).unwrap();
            let expected = &fixture["expected"];
            let name = fixture["case"].as_str().unwrap();
            let failure = find_failure(&events).unwrap_or_else(|| panic!("{name}: no failure"));
            assert_eq!(
                failure.state.as_deref(),
                expected["state"].as_str(),
                "{name}"
            );
            assert_eq!(
                failure.error.as_deref(),
                expected["error"].as_str(),
                "{name}"
            );
            // The expected path may stop early where the run leaves it open (every
            // item failing: which one failed first is the interpreter's choice).
            let expected_path = expected["path"].as_array().unwrap();
            let found = serde_json::to_value(&failure.path).unwrap();
            let found = found.as_array().unwrap();
            assert!(found.len() >= expected_path.len(), "{name}: {found:?}");
            assert_eq!(&found[..expected_path.len()], &expected_path[..], "{name}");
            assert_eq!(
                failure.caught_from.map(|c| c.state),
                expected["caughtFrom"].as_str().map(str::to_string),
                "{name}"
            );
            checked += 1;
        }
        assert!(checked >= 9, "only {checked} fixtures");
    }

    #[test]
    fn json_causes_are_indented() {
        let cause = r#"{"errorMessage":"boom","errorType":"Error"}"#;
        assert!(pretty_cause(cause).contains("\n  \"errorMessage\": \"boom\""));
        assert_eq!(pretty_cause("plain words"), "plain words");
    }
}
