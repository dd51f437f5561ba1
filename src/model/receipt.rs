//! What AWS answered to a write: the domain result, whichever layer carries it.

use jiff::Timestamp;

/// RetryStageExecution's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryReceipt {
    pub pipeline_execution_id: String,
    pub request_id: Option<String>,
}

/// RedriveExecution's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct RedriveReceipt {
    pub redrive_date: Option<Timestamp>,
    pub request_id: Option<String>,
}
