//! Can this Step Functions execution be redriven, and if not, why?
//! The rules AWS documents for RedriveExecution, checked locally before anything is sent.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::OwnWrite;
pub use crate::model::text::thousands;
use crate::model::{
    Execution, ExecutionDetail, ExecutionStatus, Failure, MachineType, MapRun, PathStep,
    RedriveStatus, StatusLook,
};

/// A redrive must start within 14 days of the execution stopping.
pub const REDRIVE_WINDOW: SignedDuration = SignedDuration::from_hours(14 * 24);
/// An execution can be redriven only while it is less than a year old.
pub const MAX_OPEN: SignedDuration = SignedDuration::from_hours(365 * 24);
/// A history must have fewer events than this to be redriven.
pub const HISTORY_LIMIT: usize = 24_999;

/// Everything the rules look at, gathered by the caller.
#[derive(Debug, Clone)]
pub struct RedriveInput<'a> {
    pub execution: &'a Execution,
    /// DescribeExecution, when read: it carries AWS's own redriveStatus.
    pub detail: Option<&'a ExecutionDetail>,
    pub machine_type: Option<&'a MachineType>,
    /// The history's length, when it has been read.
    pub event_count: Option<usize>,
    pub failure: Option<&'a Failure>,
    pub map_run: Option<&'a MapRun>,
    pub now: Timestamp,
    /// A RedriveExecution this dashboard sent for this execution, until AWS shows it ended.
    pub own_write: Option<OwnWrite>,
    pub read_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "reason",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum RedriveReason {
    ReadOnly,
    Express,
    Running {
        status: String,
    },
    /// A status AWS left out, or one this build does not know: nothing to judge by.
    StatusUnclear {
        status: String,
    },
    Succeeded,
    OwnWrite {
        write: OwnWrite,
    },
    WindowClosed {
        stopped: Timestamp,
    },
    TooOld {
        started: Timestamp,
    },
    HistoryTooLong {
        events: usize,
    },
    NotRedrivable {
        aws_reason: Option<String>,
    },
    ChildOfMapRun,
    /// The history decides (its length, its failed state) and has not been read.
    HistoryUnread,
}

impl RedriveReason {
    pub fn explain(&self) -> String {
        match self {
            Self::ReadOnly => "read-only mode: writes are disabled (--read-only)".into(),
            Self::Express => "EXPRESS state machines cannot be redriven".into(),
            Self::Running { status } => format!("the execution is {status}, not stopped"),
            Self::StatusUnclear { status } => format!(
                "the execution's status is \"{status}\", which says nothing sure: read it again (Ctrl-r)"
            ),
            Self::Succeeded => "the execution succeeded: there is nothing to redrive".into(),
            Self::OwnWrite { write } => write.explain("redrive"),
            Self::WindowClosed { stopped } => format!(
                "the 14-day redrive window closed (stopped {})",
                stopped.strftime("%Y-%m-%d %H:%M UTC")
            ),
            Self::TooOld { started } => format!(
                "started over a year ago ({}): too old to redrive",
                started.strftime("%Y-%m-%d")
            ),
            Self::HistoryTooLong { events } => format!(
                "its history has {} events; a redrive needs fewer than 24,999",
                thousands(*events)
            ),
            Self::NotRedrivable { aws_reason } => match aws_reason {
                Some(reason) => format!("AWS says it cannot be redriven: {reason}"),
                None => "AWS says it cannot be redriven".into(),
            },
            Self::ChildOfMapRun => {
                "it runs inside a Distributed Map run: redrive the parent execution instead".into()
            }
            Self::HistoryUnread => "unknown yet: still reading its history".into(),
        }
    }
}

/// What a confirmed redrive will do.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedrivePlan {
    pub execution_arn: String,
    pub execution_name: String,
    pub state_machine_arn: String,
    pub failed_state: Option<String>,
    pub redrive_count: Option<i32>,
    /// Plain-words lines: what runs again, and what does not.
    pub reruns: Vec<String>,
    /// AWS did not report redriveStatus (moto does not): AWS will decide.
    pub status_unknown: bool,
}

pub fn redrive_plan(input: &RedriveInput) -> Result<RedrivePlan, Vec<RedriveReason>> {
    let execution = input.execution;
    let mut reasons = Vec::new();
    if input.read_only {
        reasons.push(RedriveReason::ReadOnly);
    }
    if input.machine_type == Some(&MachineType::Express) {
        reasons.push(RedriveReason::Express);
    }
    match execution.status {
        ExecutionStatus::Succeeded => reasons.push(RedriveReason::Succeeded),
        ExecutionStatus::Running | ExecutionStatus::PendingRedrive => {
            reasons.push(RedriveReason::Running {
                status: execution.status.word().to_string(),
            })
        }
        ExecutionStatus::Other(ref status) => reasons.push(RedriveReason::StatusUnclear {
            status: status.clone(),
        }),
        _ => {}
    }
    if let Some(write) = input.own_write {
        reasons.push(RedriveReason::OwnWrite { write });
    }
    let stopped = matches!(
        execution.status,
        ExecutionStatus::Failed | ExecutionStatus::TimedOut | ExecutionStatus::Aborted
    );
    if let Some(stop) = execution
        .stop_date
        .filter(|stop| stopped && input.now.duration_since(*stop) > REDRIVE_WINDOW)
    {
        reasons.push(RedriveReason::WindowClosed { stopped: stop });
    }
    if let Some(start) = execution
        .start_date
        .filter(|start| input.now.duration_since(*start) > MAX_OPEN)
    {
        reasons.push(RedriveReason::TooOld { started: start });
    }
    match input.event_count {
        Some(events) if events >= HISTORY_LIMIT => {
            reasons.push(RedriveReason::HistoryTooLong { events })
        }
        // Without the history neither its length nor what would run again is known.
        None if stopped => reasons.push(RedriveReason::HistoryUnread),
        _ => {}
    }
    let status = input.detail.and_then(|d| d.redrive_status.as_ref());
    // AWS's reason often repeats one of ours; say it once.
    let only_ours = reasons
        .iter()
        .all(|r| matches!(r, RedriveReason::ReadOnly | RedriveReason::OwnWrite { .. }));
    match status {
        Some(RedriveStatus::NotRedrivable) if stopped && only_ours => {
            reasons.push(RedriveReason::NotRedrivable {
                aws_reason: input.detail.and_then(|d| d.redrive_status_reason.clone()),
            });
        }
        Some(RedriveStatus::RedrivableByMapRun) => reasons.push(RedriveReason::ChildOfMapRun),
        _ => {}
    }
    if !reasons.is_empty() {
        return Err(reasons);
    }
    Ok(RedrivePlan {
        execution_arn: execution.execution_arn.clone(),
        execution_name: execution.name.clone(),
        state_machine_arn: execution.state_machine_arn.clone(),
        failed_state: input.failure.and_then(|f| f.state.clone()),
        redrive_count: execution.redrive_count,
        reruns: reruns(input.failure, input.map_run),
        status_unknown: status.is_none(),
    })
}

/// AWS's `redriveStatusReason`, in the words an on-call engineer needs.
pub fn plain_reason(reason: &str) -> String {
    let lower = reason.to_lowercase();
    let plain = if lower.contains("running") {
        "it is still running"
    } else if lower.contains("succeeded") {
        "it succeeded"
    } else if lower.contains("redrivable period") || lower.contains("14 days") {
        "the 14-day redrive window has closed"
    } else if lower.contains("event") && lower.contains("limit") {
        "its history is too long to redrive (a redrive needs fewer than 24,999 events)"
    } else if lower.contains("before") && (lower.contains("launch") || lower.contains("2023")) {
        "it started before redrive existed (15 Nov 2023)"
    } else if lower.contains("execution time") || lower.contains("one year") {
        "it passed the maximum execution time"
    } else if lower.contains("deleting") || lower.contains("deleted") {
        "its state machine is being deleted"
    } else {
        return reason.to_string();
    };
    format!("{plain} ({reason})")
}

/// Time left to redrive a failed, timed-out or aborted execution; None for others.
pub fn window_left(execution: &Execution, now: Timestamp) -> Option<SignedDuration> {
    if !matches!(
        execution.status,
        ExecutionStatus::Failed | ExecutionStatus::TimedOut | ExecutionStatus::Aborted
    ) {
        return None;
    }
    let stop = execution.stop_date?;
    Some((REDRIVE_WINDOW - now.duration_since(stop)).max(SignedDuration::ZERO))
}

/// "9d 4h", "3h 20m", "12m", "closed": short enough for a table cell.
pub fn format_window(left: SignedDuration) -> String {
    let minutes = left.as_secs() / 60;
    match minutes {
        0 => "closed".into(),
        1..=59 => format!("{minutes}m"),
        60..=1439 => format!("{}h {}m", minutes / 60, minutes % 60),
        _ => format!("{}d {}h", minutes / 1440, (minutes % 1440) / 60),
    }
}

fn reruns(failure: Option<&Failure>, map_run: Option<&MapRun>) -> Vec<String> {
    let mut lines = Vec::new();
    match failure.and_then(|f| f.state.as_deref()) {
        Some(state) => lines.push(format!(
            "{state} and the steps after it; steps that succeeded are not run again"
        )),
        None => lines.push("the unsuccessful steps; steps that succeeded are not run again".into()),
    }
    for step in failure.map(|f| f.path.as_slice()).unwrap_or_default() {
        match step {
            PathStep::State { name } => lines.push(format!(
                "inside {name}: only its failed branches or iterations run again"
            )),
            PathStep::Iteration { map, index } => {
                lines.push(format!("failed in {map} iteration {index}"))
            }
            // The Parallel's own line already says that only failed branches run again.
            PathStep::Branch { .. } => {}
        }
    }
    if let Some(counts) = map_run.and_then(|run| run.item_counts) {
        let mut line = format!("Map Run: {} failed items run again", counts.failed);
        if let Some(pending) = counts.pending_redrive {
            line.push_str(&format!(" ({pending} pending redrive)"));
        }
        if let Some(stuck) = counts.failures_not_redrivable.filter(|n| *n > 0) {
            line.push_str(&format!("; {stuck} failures cannot be redriven"));
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days: i64) -> Timestamp {
        Timestamp::from_second(1_900_000_000).unwrap() + SignedDuration::from_hours(24 * days)
    }

    fn execution(status: &str) -> Execution {
        Execution {
            execution_arn: "arn:aws:states:us-east-1:1:execution:orders:o-1".into(),
            state_machine_arn: "arn:aws:states:us-east-1:1:stateMachine:orders".into(),
            name: "o-1".into(),
            status: ExecutionStatus::parse(status),
            start_date: Some(at(0)),
            stop_date: Some(at(0)),
            map_run_arn: None,
            redrive_count: Some(0),
            redrive_date: None,
        }
    }

    fn detail(
        execution: &Execution,
        status: Option<&str>,
        reason: Option<&str>,
    ) -> ExecutionDetail {
        ExecutionDetail {
            execution: execution.clone(),
            error: None,
            cause: None,
            redrive_status: status.map(RedriveStatus::parse),
            redrive_status_reason: reason.map(str::to_string),
        }
    }

    fn input<'a>(
        execution: &'a Execution,
        detail: Option<&'a ExecutionDetail>,
    ) -> RedriveInput<'a> {
        RedriveInput {
            execution,
            detail,
            machine_type: Some(&MachineType::Standard),
            event_count: Some(40),
            failure: None,
            map_run: None,
            now: at(1),
            own_write: None,
            read_only: false,
        }
    }

    fn reasons(input: &RedriveInput) -> Vec<RedriveReason> {
        redrive_plan(input).expect_err("should be refused")
    }

    #[test]
    fn a_failed_standard_execution_inside_the_window_can_be_redriven() {
        let execution = execution("FAILED");
        let detail = detail(&execution, Some("REDRIVABLE"), None);
        let plan = redrive_plan(&input(&execution, Some(&detail))).unwrap();
        assert_eq!(plan.execution_name, "o-1");
        assert!(!plan.status_unknown);
        for status in ["TIMED_OUT", "ABORTED"] {
            let execution = self::execution(status);
            assert!(redrive_plan(&input(&execution, None)).is_ok(), "{status}");
        }
    }

    #[test]
    fn succeeded_and_running_cannot() {
        let succeeded = execution("SUCCEEDED");
        assert_eq!(
            reasons(&input(&succeeded, None)),
            vec![RedriveReason::Succeeded]
        );
        let running = execution("RUNNING");
        assert_eq!(
            reasons(&input(&running, None)),
            vec![RedriveReason::Running {
                status: "RUNNING".into()
            }]
        );
    }

    #[test]
    fn express_cannot() {
        let execution = execution("FAILED");
        let mut input = input(&execution, None);
        input.machine_type = Some(&MachineType::Express);
        assert_eq!(reasons(&input), vec![RedriveReason::Express]);
    }

    #[test]
    fn the_window_closes_after_fourteen_days() {
        let execution = execution("FAILED");
        let mut input = input(&execution, None);
        input.now = at(13);
        assert!(redrive_plan(&input).is_ok());
        assert_eq!(
            format_window(window_left(&execution, at(13)).unwrap()),
            "1d 0h"
        );
        input.now = at(15);
        assert_eq!(
            reasons(&input),
            vec![RedriveReason::WindowClosed { stopped: at(0) }]
        );
        assert_eq!(
            format_window(window_left(&execution, at(15)).unwrap()),
            "closed"
        );
    }

    #[test]
    fn a_year_old_execution_cannot() {
        let mut execution = execution("FAILED");
        execution.start_date = Some(at(-370));
        assert!(
            reasons(&input(&execution, None))
                .contains(&RedriveReason::TooOld { started: at(-370) })
        );
    }

    #[test]
    fn history_too_long() {
        let execution = execution("FAILED");
        let mut input = input(&execution, None);
        input.event_count = Some(24_999);
        assert_eq!(
            reasons(&input),
            vec![RedriveReason::HistoryTooLong { events: 24_999 }]
        );
        input.event_count = Some(24_998);
        assert!(redrive_plan(&input).is_ok());
    }

    #[test]
    fn aws_not_redrivable_with_its_reason() {
        let execution = execution("FAILED");
        let detail = detail(
            &execution,
            Some("NOT_REDRIVABLE"),
            Some("Execution was started before the launch of RedriveExecution"),
        );
        let found = reasons(&input(&execution, Some(&detail)));
        assert_eq!(found.len(), 1);
        assert!(found[0].explain().contains("started before the launch"));
    }

    #[test]
    fn aws_reasons_in_plain_words() {
        assert!(
            plain_reason("Execution redrivable period exceeded")
                .starts_with("the 14-day redrive window")
        );
        assert!(
            plain_reason("Execution history event limit exceeded")
                .starts_with("its history is too long to redrive")
        );
        assert!(
            plain_reason("Execution was started before the launch of RedriveExecution")
                .contains("15 Nov 2023")
        );
        assert_eq!(plain_reason("something new"), "something new");
    }

    #[test]
    fn child_of_a_map_run() {
        let execution = execution("FAILED");
        let detail = detail(&execution, Some("REDRIVABLE_BY_MAP_RUN"), None);
        assert_eq!(
            reasons(&input(&execution, Some(&detail))),
            vec![RedriveReason::ChildOfMapRun]
        );
    }

    #[test]
    fn unknown_redrive_status_is_left_to_aws() {
        let mut execution = execution("FAILED");
        execution.redrive_count = None;
        let plan = redrive_plan(&input(&execution, None)).unwrap();
        assert!(plan.status_unknown);
        assert_eq!(plan.redrive_count, None);
    }

    #[test]
    fn read_only_and_in_flight() {
        let execution = execution("FAILED");
        let mut input = input(&execution, None);
        input.read_only = true;
        input.own_write = Some(OwnWrite::OnItsWay);
        assert_eq!(
            reasons(&input),
            vec![
                RedriveReason::ReadOnly,
                RedriveReason::OwnWrite {
                    write: OwnWrite::OnItsWay
                }
            ]
        );
    }

    #[test]
    fn what_runs_again_follows_the_failure() {
        let execution = execution("FAILED");
        let failure = Failure {
            terminal_event: "ExecutionFailed".into(),
            state: Some("Resize".into()),
            failure_event: Some("TaskFailed".into()),
            error: None,
            cause: None,
            path: vec![
                PathStep::State {
                    name: "EachItem".into(),
                },
                PathStep::Iteration {
                    map: "EachItem".into(),
                    index: 3,
                },
            ],
            caught_from: None,
            map_run_arn: None,
            failure_event_id: None,
            lambda: None,
        };
        let mut input = input(&execution, None);
        input.failure = Some(&failure);
        let plan = redrive_plan(&input).unwrap();
        assert_eq!(plan.failed_state.as_deref(), Some("Resize"));
        assert!(plan.reruns[0].starts_with("Resize and the steps after it"));
        assert!(plan.reruns[1].contains("inside EachItem"));
    }
}
