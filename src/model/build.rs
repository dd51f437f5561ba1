//! CodeBuild as unstick sees it: a build's status, its phases, and where its log is.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::freshness::Tracked;

/// One `BatchGetBuilds` build.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Build {
    /// `project:uuid`, what a CodeBuild action's externalExecutionId holds.
    pub id: String,
    pub arn: Option<String>,
    pub project: Option<String>,
    /// IN_PROGRESS, SUCCEEDED, FAILED, FAULT, TIMED_OUT, STOPPED.
    pub status: String,
    pub current_phase: Option<String>,
    pub phases: Vec<BuildPhase>,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    /// None until the build was provisioned: the log stream does not exist before.
    pub log: Option<BuildLog>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildPhase {
    pub phase: String,
    /// SUCCEEDED, FAILED, FAULT, TIMED_OUT, IN_PROGRESS, STOPPED; None while it runs.
    pub status: Option<String>,
    pub duration_seconds: Option<i64>,
    /// The first context's status code and message: why a phase failed.
    pub code: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildLog {
    pub group: String,
    pub stream: String,
    /// CodeBuild's own console link to the log: the authority for its format.
    pub deep_link: Option<String>,
}

impl Build {
    pub fn running(&self) -> bool {
        self.status == "IN_PROGRESS"
    }

    /// The phase that did not succeed, if one failed.
    pub fn failed_phase(&self) -> Option<&BuildPhase> {
        self.phases.iter().find(|phase| {
            phase
                .status
                .as_deref()
                .is_some_and(|status| !matches!(status, "SUCCEEDED" | "IN_PROGRESS"))
        })
    }
}

/// The builds the dashboard has read, by id.
#[derive(Debug, Default)]
pub struct CodeBuildModel {
    pub builds: BTreeMap<String, Tracked<Build>>,
}

impl CodeBuildModel {
    pub fn build(&self, id: &str) -> Option<&Build> {
        self.builds
            .get(id)
            .and_then(|tracked| tracked.data.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(name: &str, status: Option<&str>) -> BuildPhase {
        BuildPhase {
            phase: name.into(),
            status: status.map(str::to_string),
            duration_seconds: None,
            code: None,
            message: None,
        }
    }

    #[test]
    fn the_failed_phase_is_the_first_that_did_not_succeed() {
        let build = Build {
            id: "p:1".into(),
            arn: None,
            project: None,
            status: "FAILED".into(),
            current_phase: Some("COMPLETED".into()),
            phases: vec![
                phase("INSTALL", Some("SUCCEEDED")),
                phase("BUILD", Some("FAILED")),
                phase("POST_BUILD", Some("SUCCEEDED")),
                phase("COMPLETED", None),
            ],
            start: None,
            end: None,
            log: None,
        };
        assert_eq!(
            build.failed_phase().map(|p| p.phase.as_str()),
            Some("BUILD")
        );
        assert!(!build.running());
    }
}
