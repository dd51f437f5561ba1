//! Step Functions as unstick sees it: state machines, executions, their history and Map Runs.

use jiff::Timestamp;
use serde::Serialize;

use super::status::{ExecutionStatus, RedriveStatus};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum MachineType {
    #[serde(rename = "STANDARD")]
    Standard,
    /// Express machines keep no execution history in Step Functions and cannot be redriven.
    #[serde(rename = "EXPRESS")]
    Express,
    Other(String),
}

impl MachineType {
    pub fn parse(word: &str) -> Self {
        match word {
            "STANDARD" => Self::Standard,
            "EXPRESS" => Self::Express,
            other => Self::Other(other.to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StateMachine {
    pub state_machine_arn: String,
    pub name: String,
    #[serde(rename = "type")]
    pub machine_type: MachineType,
    pub creation_date: Option<Timestamp>,
}

/// One `ListExecutions` row, completed by `DescribeExecution` when that has been read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Execution {
    pub execution_arn: String,
    pub state_machine_arn: String,
    pub name: String,
    pub status: ExecutionStatus,
    pub start_date: Option<Timestamp>,
    pub stop_date: Option<Timestamp>,
    pub map_run_arn: Option<String>,
    /// None when the service did not report it (moto, for one).
    pub redrive_count: Option<i32>,
    pub redrive_date: Option<Timestamp>,
}

/// `DescribeExecution`: the fields the list does not carry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionDetail {
    pub execution: Execution,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub redrive_status: Option<RedriveStatus>,
    pub redrive_status_reason: Option<String>,
}

/// One event of `GetExecutionHistory`, reduced to what finding a failure needs.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEvent {
    pub id: i64,
    pub previous_event_id: Option<i64>,
    pub timestamp: Option<Timestamp>,
    /// The event type, as AWS spells it: `TaskFailed`, `MapIterationStarted`…
    #[serde(rename = "type")]
    pub kind: String,
    /// For `*StateEntered` and `*StateExited`.
    pub state_name: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// For `MapIteration*` events: the Map state's name and the iteration index.
    pub iteration: Option<(String, i32)>,
    /// For `MapRunStarted`.
    pub map_run_arn: Option<String>,
    /// For `TaskScheduled` of a Lambda task and `LambdaFunctionScheduled`: the function.
    pub function: Option<String>,
}

/// A Distributed Map run (`DescribeMapRun`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MapRun {
    pub map_run_arn: String,
    pub status: String,
    pub start_date: Option<Timestamp>,
    pub stop_date: Option<Timestamp>,
    pub item_counts: Option<ItemCounts>,
    pub redrive_count: Option<i32>,
    pub tolerated_failure_percentage: Option<f32>,
    pub tolerated_failure_count: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ItemCounts {
    pub total: i64,
    pub succeeded: i64,
    pub failed: i64,
    pub running: i64,
    pub pending: i64,
    pub timed_out: i64,
    pub aborted: i64,
    pub pending_redrive: Option<i64>,
    pub failures_not_redrivable: Option<i64>,
}

/// Which executions to list: ListExecutions takes one status at a time, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum StatusFilter {
    /// Every status, newest first, one page of up to 1,000: all a quiet machine holds,
    /// in one request. A busy machine (more than a page) is listed status by status.
    Any,
    Failed,
    TimedOut,
    Aborted,
    Running,
    /// Redriven, then succeeded (statusFilter SUCCEEDED with redriveFilter REDRIVEN).
    RedrivenSucceeded,
}

impl StatusFilter {
    /// The ones the on-call engineer is here for.
    pub const STOPPED_BADLY: [StatusFilter; 3] = [Self::Failed, Self::TimedOut, Self::Aborted];
    /// Shown as well on request: what is running, and what a redrive fixed.
    pub const ALSO_ACTIVE: [StatusFilter; 2] = [Self::Running, Self::RedrivenSucceeded];

    /// Whether `execution` is one this filter lists.
    pub fn matches(self, execution: &Execution) -> bool {
        match self {
            Self::Any => true,
            Self::Failed => execution.status == ExecutionStatus::Failed,
            Self::TimedOut => execution.status == ExecutionStatus::TimedOut,
            Self::Aborted => execution.status == ExecutionStatus::Aborted,
            Self::Running => execution.status == ExecutionStatus::Running,
            Self::RedrivenSucceeded => {
                execution.status == ExecutionStatus::Succeeded
                    && execution.redrive_count.is_some_and(|n| n > 0)
            }
        }
    }
}

/// Step Functions ARNs end in `…:stateMachine:NAME` and `…:execution:MACHINE:NAME`.
pub fn machine_name_of(execution_arn: &str) -> Option<&str> {
    let mut parts = execution_arn.rsplitn(3, ':');
    let _name = parts.next()?;
    parts.next()
}
