//! An AWS emulator: an HTTP server on loopback that speaks CodePipeline's and Step
//! Functions' awsJson 1.1 protocols and STS's awsQuery, so unstick's `--demo` and its
//! tests drive the real SDK clients, and any AWS client can be pointed at it.

mod bucket;
pub mod codebuild;
pub mod codepipeline;
pub mod faults;
pub mod fleet;
pub mod limits;
pub mod logs;
pub mod pages;
mod query;
pub mod quota;
pub mod scenario;
pub mod server;
pub mod service;
pub mod sfn;
pub mod shape;
pub mod sts;

use jiff::Timestamp;
use serde_json::{Value, json};

pub use faults::Fault;
pub use fleet::Fleet;
pub use limits::Rate;
pub use quota::QuotaOptions;
pub use scenario::Scenario;
pub use server::{Emulator, EmulatorOptions, Served, start};

/// An AWS error reply: HTTP status, `__type` and message.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            message: message.into(),
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(400, "ValidationException", message)
    }
}

/// The emulator's sense of now: the scenario's start time, moving at real speed. Tests
/// fix the start so that what the scenario says happened "12 minutes ago" is exact.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    offset: jiff::SignedDuration,
}

impl Clock {
    pub fn starting_at(start: Timestamp) -> Self {
        Self {
            offset: start.duration_since(Timestamp::now()),
        }
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::now() + self.offset
    }
}

/// A lock that a panicked holder did not spoil: the data it guards is kept consistent
/// by every writer, so the emulator goes on serving.
pub(crate) fn lock<T: ?Sized>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// AWS JSON protocols send timestamps as epoch seconds.
pub fn epoch(time: Timestamp) -> f64 {
    time.as_millisecond() as f64 / 1000.0
}

/// A UUID-shaped random id, as AWS uses for executions and requests.
pub fn new_id() -> String {
    uuid_from(&mut fastrand::Rng::new())
}

/// A version-4-shaped UUID drawn from `rng` (seeded, it is the same every time).
pub fn uuid_from(rng: &mut fastrand::Rng) -> String {
    let (a, b) = (rng.u64(..), rng.u64(..));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// A string field the request must carry, or AWS's ValidationException.
pub fn required<'a>(input: &'a Value, field: &str) -> Result<&'a str, ApiError> {
    input
        .get(field)
        .and_then(Value::as_str)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| {
            ApiError::validation(format!(
                "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
            ))
        })
}

/// The error body AWS JSON protocols send.
pub fn error_body(error: &ApiError) -> Value {
    json!({ "__type": error.code, "message": error.message })
}
