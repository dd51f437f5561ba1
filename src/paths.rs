//! Where unstick keeps its files: the XDG state directory ($XDG_STATE_HOME/unstick).

use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub fn state_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "unstick")
        .and_then(|dirs| dirs.state_dir().map(PathBuf::from))
        .unwrap_or_else(|| std::env::temp_dir().join("unstick"))
}

pub fn audit_log() -> PathBuf {
    state_dir().join("audit.jsonl")
}

/// Where `--demo` records its writes: they change nothing real, and must never be taken
/// for a real write when the audit log is read after an incident.
pub fn demo_audit_log() -> PathBuf {
    state_dir().join("demo-audit.jsonl")
}

pub fn log_file_dir() -> PathBuf {
    state_dir()
}

/// Opens `path` for appending, created 0600: the audit log and the diagnostics log name
/// accounts, pipelines and executions. A file made by something else keeps its bits
/// when opened, so they are tightened too.
pub fn open_private(path: &Path) -> std::io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    file.set_permissions(fs::Permissions::from_mode(0o600))?;
    Ok(file)
}
