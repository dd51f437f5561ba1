//! Where unstick keeps its files: the XDG state directory ($XDG_STATE_HOME/unstick).

use std::path::PathBuf;

pub fn state_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "unstick")
        .and_then(|dirs| dirs.state_dir().map(PathBuf::from))
        .unwrap_or_else(|| std::env::temp_dir().join("unstick"))
}

pub fn audit_log() -> PathBuf {
    state_dir().join("audit.jsonl")
}

pub fn log_file_dir() -> PathBuf {
    state_dir()
}
