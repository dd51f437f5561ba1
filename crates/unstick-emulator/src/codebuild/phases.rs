//! A build's phases in CodeBuild's order, and when each starts as a share of the
//! build's time: the schedule both BatchGetBuilds and the build's log follow.

use jiff::Timestamp;

/// (phase, share of the build's time at which it starts).
pub const PHASES: &[(&str, f64)] = &[
    ("SUBMITTED", 0.0),
    ("QUEUED", 0.01),
    ("PROVISIONING", 0.03),
    ("DOWNLOAD_SOURCE", 0.10),
    ("INSTALL", 0.13),
    ("PRE_BUILD", 0.38),
    ("BUILD", 0.42),
    ("POST_BUILD", 0.95),
    ("UPLOAD_ARTIFACTS", 0.96),
    ("FINALIZING", 0.98),
    ("COMPLETED", 1.0),
];

/// The phase in which a failing build fails.
pub const FAILING_PHASE: &str = "BUILD";

/// The time at `share` of the way from `start` to `end`.
pub fn at(start: Timestamp, end: Timestamp, share: f64) -> Timestamp {
    let span = end.duration_since(start).as_secs_f64() * share;
    start + jiff::SignedDuration::from_secs_f64(span)
}

/// When `phase` starts.
pub fn start_of(phase: &str, start: Timestamp, end: Timestamp) -> Timestamp {
    let share = PHASES
        .iter()
        .find(|(name, _)| *name == phase)
        .map_or(0.0, |(_, share)| *share);
    at(start, end, share)
}
