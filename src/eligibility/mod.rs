//! What can be done about a failure, and why not: pure functions of domain types, asked
//! alike by the detail panes, the key handlers, the dialogs and the report.

pub mod own_write;
pub mod redrive;
pub mod retry;

pub use own_write::OwnWrite;
pub use redrive::*;
pub use retry::*;

/// Every reason a write is refused, in one line: "first; second".
pub fn explain_all<R>(reasons: &[R], explain: impl Fn(&R) -> String) -> String {
    reasons.iter().map(explain).collect::<Vec<_>>().join("; ")
}

/// Execution ids are UUIDs; eight characters are enough to tell them apart on screen.
pub fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}
