//! One write, recorded before it leaves and after it is answered, and the writes still
//! on their way, so that quitting or a signal records them too.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;

use super::{AuditEntry, AuditLog, UNKNOWN, new_intent_id};
use crate::aws::{AwsError, ErrorKind};

/// Who is acting, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub profile: Option<String>,
    pub region: Option<String>,
}

/// What a write is, for its audit lines.
#[derive(Debug, Clone)]
pub struct Write {
    pub operation: &'static str,
    pub target: serde_json::Value,
    pub mode: Option<String>,
    pub client_token: Option<String>,
}

/// One write's audit lines: who, where, and a shared intent id for both lines.
pub struct Audited {
    log: Arc<AuditLog>,
    identity: Identity,
    account: Option<String>,
    intent_id: String,
    write: Write,
}

impl Audited {
    pub fn new(
        log: Arc<AuditLog>,
        identity: Identity,
        account: Option<String>,
        write: Write,
    ) -> Self {
        Self {
            log,
            identity,
            account,
            intent_id: new_intent_id(),
            write,
        }
    }

    fn entry(
        &self,
        phase: &'static str,
        outcome: String,
        request_id: Option<String>,
    ) -> AuditEntry {
        AuditEntry {
            time: Timestamp::now(),
            intent_id: self.intent_id.clone(),
            phase,
            profile: self.identity.profile.clone(),
            region: self.identity.region.clone(),
            account: self.account.clone(),
            operation: self.write.operation,
            target: self.write.target.clone(),
            mode: self.write.mode.clone(),
            client_token: self.write.client_token.clone(),
            outcome,
            request_id,
        }
    }

    /// Records the attempt; if that fails, nothing may be sent.
    pub fn attempt(&self) -> Result<(), AwsError> {
        self.log
            .append(&self.entry("attempt", "sending".into(), None))
            .map_err(|error| {
                AwsError::new(
                    ErrorKind::Other,
                    format!(
                        "not sent: cannot write the audit log {}: {error}",
                        self.log.path().display()
                    ),
                )
            })
    }

    /// Records how AWS answered: applied, refused, or no answer that says (unknown).
    pub fn outcome<T>(&self, result: &Result<T, AwsError>, request_id: Option<String>) {
        let outcome = match result {
            Ok(_) => "succeeded".to_string(),
            Err(error) if error.may_have_arrived => {
                format!("{UNKNOWN}: {error}; it may have been applied")
            }
            Err(error) => format!("failed: {error}"),
        };
        let request_id =
            request_id.or_else(|| result.as_ref().err().and_then(|e| e.request_id.clone()));
        self.append_outcome(outcome, request_id);
    }

    /// Records that the request was sent and no answer will be waited for.
    pub fn unknown(&self, why: &str) {
        self.append_outcome(
            format!("{UNKNOWN}: {why} before AWS answered; it may have been applied"),
            None,
        );
    }

    fn append_outcome(&self, outcome: String, request_id: Option<String>) {
        if let Err(error) = self.log.append(&self.entry("outcome", outcome, request_id)) {
            tracing::error!(%error, "could not record the outcome of a write");
        }
    }
}

/// Writes sent and not yet answered. Whoever takes a write out of here writes its
/// outcome line: the task that got AWS's answer, or the shutdown that stopped waiting.
#[derive(Default)]
pub struct InFlight {
    open: Mutex<HashMap<String, Arc<Audited>>>,
}

impl InFlight {
    fn open(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Audited>>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Records the attempt and notes the write as on its way.
    pub fn start(&self, audited: Arc<Audited>) -> Result<(), AwsError> {
        audited.attempt()?;
        self.open()
            .insert(audited.intent_id.clone(), audited.clone());
        Ok(())
    }

    /// AWS answered: records the outcome, unless the shutdown already recorded it.
    pub fn answered<T>(
        &self,
        audited: &Audited,
        result: &Result<T, AwsError>,
        request_id: Option<String>,
    ) {
        if self.open().remove(&audited.intent_id).is_some() {
            audited.outcome(result, request_id);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.open().is_empty()
    }

    /// Waits up to `grace` for the writes on their way to be answered; records the rest
    /// as "unknown" because of `why` (e.g. "unstick was stopped by SIGTERM").
    pub async fn finish(&self, grace: Duration, why: &str) {
        let deadline = tokio::time::Instant::now() + grace;
        while !self.is_empty() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let left: Vec<Arc<Audited>> = self.open().drain().map(|(_, a)| a).collect();
        for audited in left {
            audited.unknown(why);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audited(log: &Arc<AuditLog>) -> Arc<Audited> {
        Arc::new(Audited::new(
            log.clone(),
            Identity::default(),
            Some("123456789012".into()),
            Write {
                operation: "RetryStageExecution",
                target: serde_json::json!({"pipelineName": "web"}),
                mode: Some("FAILED_ACTIONS".into()),
                client_token: None,
            },
        ))
    }

    fn outcomes(log: &AuditLog) -> Vec<String> {
        std::fs::read_to_string(log.path())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|l| l["phase"] == "outcome")
            .map(|l| l["outcome"].as_str().unwrap().to_string())
            .collect()
    }

    #[tokio::test]
    async fn a_write_still_open_at_shutdown_is_recorded_as_unknown_once() {
        let dir = tempfile::tempdir().unwrap();
        let log = Arc::new(AuditLog::new(dir.path().join("audit.jsonl")));
        let in_flight = InFlight::default();
        let write = audited(&log);
        in_flight.start(write.clone()).unwrap();
        in_flight
            .finish(Duration::from_millis(50), "unstick was stopped by SIGTERM")
            .await;
        // AWS answers after all: the line is already written, and not written twice.
        in_flight.answered(&write, &Ok::<(), AwsError>(()), None);
        let outcomes = outcomes(&log);
        assert_eq!(outcomes.len(), 1, "{outcomes:?}");
        assert!(outcomes[0].starts_with("unknown: unstick was stopped by SIGTERM"));
    }

    #[tokio::test]
    async fn a_lost_answer_is_unknown_and_a_refusal_is_failed() {
        let dir = tempfile::tempdir().unwrap();
        let log = Arc::new(AuditLog::new(dir.path().join("audit.jsonl")));
        let in_flight = InFlight::default();
        for error in [
            AwsError::new(ErrorKind::Unreachable, "the request timed out"),
            AwsError::new(ErrorKind::Refused, "AWS refused the retry"),
        ] {
            let error = if error.kind == ErrorKind::Unreachable {
                AwsError {
                    may_have_arrived: true,
                    ..error
                }
            } else {
                error
            };
            let write = audited(&log);
            in_flight.start(write.clone()).unwrap();
            in_flight.answered(&write, &Err::<(), _>(error), None);
        }
        let outcomes = outcomes(&log);
        assert!(outcomes[0].starts_with("unknown: the request timed out"));
        assert!(outcomes[0].ends_with("it may have been applied"));
        assert!(outcomes[1].starts_with("failed: AWS refused"));
        assert!(in_flight.is_empty());
    }
}
