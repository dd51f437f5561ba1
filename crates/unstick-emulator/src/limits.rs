//! AWS's documented limits, as the emulator enforces them. Stated here on their own,
//! from the API reference, and not imported from the dashboard's rules: a test oracle
//! that shares the client's constants cannot catch a wrong constant.

use jiff::SignedDuration;

/// RedriveExecution: "the execution must have stopped within the last 14 days".
pub const REDRIVE_WINDOW: SignedDuration = SignedDuration::from_hours(14 * 24);

/// RedriveExecution: the history must hold fewer than 24,999 events (a redrive appends
/// to it, and a history stops at 25,000).
pub const REDRIVE_HISTORY_LIMIT: usize = 24_999;
