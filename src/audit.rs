//! An append-only JSON Lines record of every write: one line before the request leaves,
//! one with its outcome. The file is created with mode 0600 (it names accounts and pipelines).

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
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
    /// "sending", "succeeded" or "failed: <message>".
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
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&self.path)?;
        // A file made by something else keeps its bits; tighten them.
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        file.write_all(&line)?;
        file.sync_data()
    }
}

/// A short random id for pairing audit lines.
pub fn new_intent_id() -> String {
    format!("{:016x}", fastrand::u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;

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
                outcome: "sending".into(),
                request_id: None,
            })
            .unwrap();
        }
        let text = fs::read_to_string(log.path()).unwrap();
        assert_eq!(text.lines().count(), 2);
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["operation"], "RetryStageExecution");
        let mode = fs::metadata(log.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
