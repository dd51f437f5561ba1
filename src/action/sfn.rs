//! Step Functions' reads, and the replies that answer them.

use super::Quota;
use crate::model::{
    Execution, ExecutionDetail, ExecutionHistory, MapRun, Paged, StateMachine, StatusFilter,
};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SfnRead {
    StateMachines,
    /// The newest `limit` executions of one status (see `EXECUTION_LIMITS`).
    Executions {
        machine: String,
        filter: StatusFilter,
        limit: u16,
    },
    DescribeExecution(String),
    ExecutionHistory(String),
    MapRuns(String),
}

impl SfnRead {
    /// The read in a few words, for a status line.
    pub fn describe(&self) -> String {
        let last = |arn: &str| arn.rsplit(':').next().unwrap_or(arn).to_string();
        match self {
            Self::StateMachines => "Listing state machines".into(),
            Self::Executions { machine, .. } => format!("Executions of {}", last(machine)),
            Self::DescribeExecution(arn) | Self::MapRuns(arn) => last(arn),
            Self::ExecutionHistory(arn) => format!("History of {}", last(arn)),
        }
    }

    /// The API call as AWS names it, and what it reads.
    pub fn operation(&self) -> (&'static str, Option<String>) {
        match self {
            Self::StateMachines => ("ListStateMachines", None),
            Self::Executions { machine, .. } => ("ListExecutions", Some(machine.clone())),
            Self::DescribeExecution(arn) => ("DescribeExecution", Some(arn.clone())),
            Self::ExecutionHistory(arn) => ("GetExecutionHistory", Some(arn.clone())),
            Self::MapRuns(arn) => ("ListMapRuns", Some(arn.clone())),
        }
    }

    pub fn quota(&self) -> Quota {
        match self {
            Self::StateMachines => Quota::ListStateMachines,
            Self::Executions { .. } => Quota::ListExecutions,
            Self::DescribeExecution(_) => Quota::DescribeExecution,
            Self::ExecutionHistory(_) => Quota::ExecutionHistory,
            Self::MapRuns(_) => Quota::MapRuns,
        }
    }
}

#[derive(Debug, Clone)]
pub enum SfnReply {
    StateMachines(Paged<StateMachine>),
    /// One list, and whether AWS has more than it holds.
    Executions {
        machine: String,
        filter: StatusFilter,
        limit: u16,
        executions: Vec<Execution>,
        more: bool,
    },
    ExecutionDetail {
        arn: String,
        detail: Box<ExecutionDetail>,
    },
    /// Boxed: a history with its failure is large next to the other replies.
    ExecutionHistory {
        arn: String,
        history: Box<ExecutionHistory>,
    },
    MapRuns {
        arn: String,
        runs: Paged<MapRun>,
    },
}

impl SfnReply {
    /// The read this answers.
    pub fn read(&self) -> SfnRead {
        match self {
            Self::StateMachines(_) => SfnRead::StateMachines,
            Self::Executions {
                machine,
                filter,
                limit,
                ..
            } => SfnRead::Executions {
                machine: machine.clone(),
                filter: *filter,
                limit: *limit,
            },
            Self::ExecutionDetail { arn, .. } => SfnRead::DescribeExecution(arn.clone()),
            Self::ExecutionHistory { arn, .. } => SfnRead::ExecutionHistory(arn.clone()),
            Self::MapRuns { arn, .. } => SfnRead::MapRuns(arn.clone()),
        }
    }

    /// Why a listing stopped before AWS's last page, if it did.
    pub fn cut(&self) -> Option<&str> {
        match self {
            Self::StateMachines(paged) => paged.cut.as_deref(),
            Self::MapRuns { runs, .. } => runs.cut.as_deref(),
            Self::ExecutionHistory { history, .. } => history.cut.as_deref(),
            _ => None,
        }
    }
}
