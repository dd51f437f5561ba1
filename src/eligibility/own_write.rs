//! A write this dashboard sent, as the retry and redrive rules see it. While it is on its
//! way, and until newer data from AWS shows that its effect has ended, a second write to
//! the same target is refused: AWS's reads are eventually consistent, and a stage that
//! still reads "Failed" a second after a retry is not a stage that needs another one.

use jiff::Timestamp;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum OwnWrite {
    /// Sent; AWS has not answered yet.
    OnItsWay,
    /// AWS accepted it at `at`; followed until AWS shows it ended.
    Following { at: Timestamp },
    /// Sent at `at` and no answer came back: it may have been applied. Refused until
    /// AWS shows either its effect or, after a while, no sign of it.
    Unanswered { at: Timestamp },
}

impl OwnWrite {
    /// `what`: "retry" or "redrive".
    pub fn explain(&self, what: &str) -> String {
        match self {
            OwnWrite::OnItsWay => format!("a {what} you sent is on its way; waiting for AWS"),
            OwnWrite::Following { at } => format!(
                "you sent a {what} at {}; it is followed until AWS shows it ended",
                at.strftime("%H:%M:%S UTC")
            ),
            OwnWrite::Unanswered { at } => format!(
                "a {what} sent at {} got no answer and may have been applied; waiting for AWS to show whether it was",
                at.strftime("%H:%M:%S UTC")
            ),
        }
    }
}
