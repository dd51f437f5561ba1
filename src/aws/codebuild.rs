//! CodeBuild: the builds CodeBuild actions ran, read one id at a time when one is on
//! screen. Needs `codebuild:BatchGetBuilds`.

use aws_config::SdkConfig;
use aws_sdk_codebuild::Client;
use aws_sdk_codebuild::types as sdk;

use super::error::{AwsError, ErrorKind, from_sdk};
use super::timestamp;
use crate::model::text::{bounded, bounded_opt};
use crate::model::{Build, BuildLog, BuildPhase};

#[derive(Clone, Debug)]
pub struct BuildClient {
    client: Client,
}

impl BuildClient {
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            client: Client::new(config),
        }
    }

    /// One build, by the id a CodeBuild action's externalExecutionId holds.
    pub async fn build(&self, id: &str) -> Result<Build, AwsError> {
        let out = self
            .client
            .batch_get_builds()
            .ids(id)
            .send()
            .await
            .map_err(|e| from_sdk(e, "codebuild:BatchGetBuilds"))?;
        out.builds()
            .iter()
            .find(|build| build.id() == Some(id))
            .map(build)
            .ok_or_else(|| {
                AwsError::new(
                    ErrorKind::NotFound,
                    format!("CodeBuild has no build {id} (deleted, or in another account)"),
                )
            })
    }
}

fn build(b: &sdk::Build) -> Build {
    Build {
        id: b.id().unwrap_or_default().to_string(),
        arn: b.arn().map(str::to_string),
        project: b.project_name().map(str::to_string),
        status: b
            .build_status()
            .map_or("UNKNOWN".to_string(), |s| s.as_str().to_string()),
        current_phase: b.current_phase().map(str::to_string),
        phases: b.phases().iter().map(phase).collect(),
        start: b.start_time().and_then(timestamp),
        end: b.end_time().and_then(timestamp),
        log: b.logs().and_then(|logs| {
            Some(BuildLog {
                group: logs.group_name()?.to_string(),
                stream: logs.stream_name()?.to_string(),
                deep_link: logs.deep_link().map(str::to_string),
            })
        }),
    }
}

fn phase(p: &sdk::BuildPhase) -> BuildPhase {
    let context = p.contexts().iter().find(|c| {
        c.status_code().is_some_and(|code| !code.is_empty())
            || c.message().is_some_and(|message| !message.is_empty())
    });
    BuildPhase {
        phase: p
            .phase_type()
            .map_or(String::new(), |t| t.as_str().to_string()),
        status: p.phase_status().map(|s| s.as_str().to_string()),
        duration_seconds: p.duration_in_seconds(),
        code: context.and_then(|c| c.status_code()).map(bounded),
        message: bounded_opt(context.and_then(|c| c.message())),
    }
}
