//! AWS's documented limits, as the emulator enforces them. Stated here on their own,
//! from the API reference, and not imported from the dashboard's rules: a test oracle
//! that shares the client's constants cannot catch a wrong constant.

use jiff::SignedDuration;

/// RedriveExecution: "the execution must have stopped within the last 14 days".
pub const REDRIVE_WINDOW: SignedDuration = SignedDuration::from_hours(14 * 24);

/// RedriveExecution: the history must hold fewer than 24,999 events (a redrive appends
/// to it, and a history stops at 25,000).
pub const REDRIVE_HISTORY_LIMIT: usize = 24_999;

/// A token bucket: `burst` requests at once, then `refill` per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub burst: u32,
    pub refill: f64,
}

const fn rate(burst: u32, refill: f64) -> Rate {
    Rate { burst, refill }
}

/// The regions where Step Functions publishes its larger API buckets.
pub const LARGEST_REGIONS: &[&str] = &["us-east-1", "us-west-2", "eu-west-1"];

/// Step Functions' published API buckets (Developer Guide, "Step Functions service
/// quotas", API action throttling; STANDARD workflows): (largest regions, elsewhere).
pub mod step_functions {
    use super::{Rate, rate};

    pub const LIST_STATE_MACHINES: (Rate, Rate) = (rate(100, 5.0), rate(100, 5.0));
    pub const DESCRIBE_STATE_MACHINE: (Rate, Rate) = (rate(200, 20.0), rate(200, 20.0));
    pub const LIST_EXECUTIONS: (Rate, Rate) = (rate(200, 5.0), rate(100, 2.0));
    pub const DESCRIBE_EXECUTION: (Rate, Rate) = (rate(300, 15.0), rate(250, 10.0));
    pub const GET_EXECUTION_HISTORY: (Rate, Rate) = (rate(400, 20.0), rate(400, 20.0));
    pub const REDRIVE_EXECUTION: (Rate, Rate) = (rate(1300, 300.0), rate(800, 150.0));
    pub const LIST_MAP_RUNS: (Rate, Rate) = (rate(100, 1.0), rate(100, 1.0));
    pub const DESCRIBE_MAP_RUN: (Rate, Rate) = (rate(200, 1.0), rate(200, 1.0));
}

/// CloudWatch Logs' published API rates (per account and region; the same everywhere).
/// AWS states them as transactions per second; a bucket one second deep stands for that.
pub mod logs {
    use super::{Rate, rate};

    pub const GET_LOG_EVENTS: Rate = rate(25, 25.0);
    pub const FILTER_LOG_EVENTS: Rate = rate(5, 5.0);
}

/// CodeBuild's BatchGetBuilds (no published rate: the emulator meters it with the service).
pub const BATCH_GET_BUILDS_IDS: usize = 100;
