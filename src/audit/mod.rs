//! An append-only JSON Lines record of every write: one line before the request leaves,
//! one with its outcome. The file is created with mode 0600 (it names accounts and pipelines).

mod write;

pub use write::{Audited, Identity, InFlight, Write};

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use jiff::Timestamp;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub time: Timestamp,
    /// Pairs the "attempt" line with its "outcome" line.
    pub intent_id: String,
    /// "attempt" or "outcome".
    pub phase: &'static str,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub operation: &'static str,
    pub target: serde_json::Value,
    pub mode: Option<String>,
    /// RedriveExecution's idempotency token: a resend within 15 minutes reuses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    /// "sending", "succeeded", "failed: <message>" (AWS refused it), or "unknown: <why>"
    /// (sent, but no answer came back: it may have been applied).
    pub outcome: String,
    pub request_id: Option<String>,
}

#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    lock: Mutex<()>,
}

impl AuditLog {
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            lock: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and flushes it to disk before returning: a write that cannot be
    /// recorded is not sent.
    pub fn append(&self, entry: &AuditEntry) -> std::io::Result<()> {
        let _guard = self
            .lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut file = crate::paths::open_private(&self.path)?;
        let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        file.write_all(&line)?;
        file.sync_data()
    }
}

/// A write attempt whose outcome nobody knows: it never got an outcome line (the process
/// died while the request was on its way), or its outcome was "unknown" (sent, no answer).
#[derive(Debug, Clone, PartialEq)]
pub struct Unanswered {
    pub time: Timestamp,
    pub target: serde_json::Value,
    pub client_token: Option<String>,
}

impl AuditLog {
    /// The `operation` attempts since `since` whose outcome is not known.
    pub fn unanswered(&self, operation: &str, since: Timestamp) -> Vec<Unanswered> {
        let Ok(text) = fs::read_to_string(&self.path) else {
            return Vec::new();
        };
        let lines: Vec<serde_json::Value> = text
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect();
        let answered: std::collections::HashSet<&str> = lines
            .iter()
            .filter(|l| l["phase"] == "outcome")
            .filter(|l| {
                !l["outcome"]
                    .as_str()
                    .is_some_and(|o| o.starts_with(UNKNOWN))
            })
            .filter_map(|l| l["intentId"].as_str())
            .collect();
        lines
            .iter()
            .filter(|l| l["phase"] == "attempt" && l["operation"] == operation)
            .filter(|l| {
                l["intentId"]
                    .as_str()
                    .is_some_and(|id| !answered.contains(id))
            })
            .filter_map(|l| {
                let time: Timestamp = l["time"].as_str()?.parse().ok()?;
                (time >= since).then(|| Unanswered {
                    time,
                    target: l["target"].clone(),
                    client_token: l["clientToken"].as_str().map(str::to_string),
                })
            })
            .collect()
    }
}

/// How an outcome line starts when the request was sent and no answer came back.
pub const UNKNOWN: &str = "unknown";

/// A short random id for pairing audit lines.
pub fn new_intent_id() -> String {
    format!("{:016x}", fastrand::u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_without_an_outcome_are_unanswered() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(dir.path().join("audit.jsonl"));
        let line = |intent: &str, phase: &'static str, token: &str, secs: i64| AuditEntry {
            time: Timestamp::from_second(1_900_000_000 + secs).unwrap(),
            intent_id: intent.into(),
            phase,
            profile: None,
            region: None,
            account: None,
            operation: "RedriveExecution",
            target: serde_json::json!({"executionArn": format!("arn:{intent}")}),
            mode: None,
            client_token: Some(token.into()),
            outcome: "sending".into(),
            request_id: None,
        };
        log.append(&line("a", "attempt", "t-a", 0)).unwrap();
        log.append(&line("a", "outcome", "t-a", 1)).unwrap();
        log.append(&line("b", "attempt", "t-b", 2)).unwrap();
        log.append(&line("c", "attempt", "t-c", -2000)).unwrap();
        // Sent, and the connection dropped before an answer: still open.
        log.append(&line("d", "attempt", "t-d", 3)).unwrap();
        let mut unknown = line("d", "outcome", "t-d", 4);
        unknown.outcome = "unknown: the request timed out; it may have been applied".into();
        log.append(&unknown).unwrap();
        let since = Timestamp::from_second(1_900_000_000 - 900).unwrap();
        let open = log.unanswered("RedriveExecution", since);
        assert_eq!(open.len(), 2);
        assert_eq!(open[0].client_token.as_deref(), Some("t-b"));
        assert_eq!(open[0].target["executionArn"], "arn:b");
        assert_eq!(open[1].client_token.as_deref(), Some("t-d"));
    }

    #[test]
    fn appends_lines_with_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::new(dir.path().join("nested/audit.jsonl"));
        for phase in ["attempt", "outcome"] {
            log.append(&AuditEntry {
                time: Timestamp::UNIX_EPOCH,
                intent_id: "abc".into(),
                phase,
                profile: None,
                region: Some("us-east-1".into()),
                account: None,
                operation: "RetryStageExecution",
                target: serde_json::json!({"pipelineName": "web"}),
                mode: Some("FAILED_ACTIONS".into()),
                client_token: None,
                outcome: "sending".into(),
                request_id: None,
            })
            .unwrap();
        }
        let text = fs::read_to_string(log.path()).unwrap();
        assert_eq!(text.lines().count(), 2);
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["operation"], "RetryStageExecution");
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &fs::metadata(log.path()).unwrap().permissions(),
        ) & 0o777;
        assert_eq!(mode, 0o600);
    }
}
