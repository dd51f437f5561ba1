//! CodeBuild (awsJson 1.1, `CodeBuild_20161006`): BatchGetBuilds over the builds that
//! pipeline actions started. A build runs from its start to its end; until then it is
//! IN_PROGRESS in the phase its schedule says, and its log grows line by line.

mod log;
mod phases;

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::logs::SharedLogs;
use crate::service::{Call, Operation, Protocol, Quota, Service, unanswered};
use crate::shape::{Kind, Member, text};
use crate::{ApiError, epoch, lock, uuid_from};
use phases::{FAILING_PHASE, PHASES, start_of};

#[derive(Debug, Clone)]
struct Build {
    id: String,
    project: String,
    number: u32,
    start: Timestamp,
    end: Timestamp,
    /// The failing phase's message, for a build that fails.
    failure: Option<String>,
}

/// The builds pipelines started, shared by CodePipeline (which starts them) and CodeBuild
/// (which answers for them).
#[derive(Debug)]
pub struct Builds {
    account: String,
    region: String,
    logs: SharedLogs,
    builds: Vec<Build>,
    rng: fastrand::Rng,
}

pub type SharedBuilds = Arc<Mutex<Builds>>;

impl Builds {
    pub fn shared(account: &str, region: &str, logs: SharedLogs) -> SharedBuilds {
        Arc::new(Mutex::new(Self {
            account: account.to_string(),
            region: region.to_string(),
            logs,
            builds: Vec::new(),
            rng: fastrand::Rng::with_seed(7),
        }))
    }

    /// Starts a build of `project` that runs from `start` to `end` and then succeeds, or
    /// fails with `failure`. Its log is written when someone reads it. Returns its id.
    pub fn start(
        &mut self,
        project: &str,
        start: Timestamp,
        end: Timestamp,
        failure: Option<String>,
    ) -> String {
        let id = format!("{project}:{}", uuid_from(&mut self.rng));
        let number = 1 + self
            .builds
            .iter()
            .filter(|build| build.project == project)
            .count() as u32;
        let build = Build {
            id: id.clone(),
            project: project.to_string(),
            number: 400 + number,
            start,
            end,
            failure,
        };
        let (group, stream) = log_names(&build);
        let source = format!(
            "/codebuild/output/src{}/src/github.com/acme/{project}",
            build.number * 7919
        );
        let (project, failure) = (build.project.clone(), build.failure.clone());
        lock(&self.logs).write_later(
            &group,
            &stream,
            Box::new(move || log::lines(&project, &source, start, end, failure.as_deref())),
        );
        self.builds.push(build);
        id
    }

    fn describe(&self, build: &Build, now: Timestamp) -> Value {
        let ended = now >= build.end;
        let status = match (&build.failure, ended) {
            (_, false) => "IN_PROGRESS",
            (Some(_), true) => "FAILED",
            (None, true) => "SUCCEEDED",
        };
        let mut phases = Vec::new();
        let mut current = "SUBMITTED";
        for (index, (phase, _)) in PHASES.iter().enumerate() {
            let began = start_of(phase, build.start, build.end);
            if began > now {
                break;
            }
            current = phase;
            let mut out = json!({ "phaseType": phase, "startTime": epoch(began) });
            if let Some((next, _)) = PHASES.get(index + 1) {
                let finished = start_of(next, build.start, build.end);
                if finished <= now {
                    let failed = *phase == FAILING_PHASE && build.failure.is_some();
                    out["endTime"] = json!(epoch(finished));
                    out["durationInSeconds"] = json!(finished.duration_since(began).as_secs());
                    out["phaseStatus"] = json!(if failed { "FAILED" } else { "SUCCEEDED" });
                    out["contexts"] = match (&build.failure, failed) {
                        (Some(message), true) => json!([{
                            "statusCode": "COMMAND_EXECUTION_ERROR",
                            "message": message,
                        }]),
                        _ => json!([{ "statusCode": "", "message": "" }]),
                    };
                }
            }
            phases.push(out);
        }
        let (group, stream) = log_names(build);
        let region = &self.region;
        let mut out = json!({
            "id": build.id,
            "arn": format!("arn:aws:codebuild:{region}:{}:build/{}", self.account, build.id),
            "buildNumber": build.number,
            "startTime": epoch(build.start),
            "currentPhase": current,
            "buildStatus": status,
            "projectName": build.project,
            "phases": phases,
            "buildComplete": ended,
            "initiator": format!("codepipeline/{}", build.project),
        });
        if ended {
            out["endTime"] = json!(epoch(build.end));
        }
        // The log stream is there once the build has been provisioned.
        if start_of("DOWNLOAD_SOURCE", build.start, build.end) <= now {
            let encoded = group.replace('/', "$252F");
            out["logs"] = json!({
                "groupName": group,
                "streamName": stream,
                "deepLink": format!(
                    "https://console.aws.amazon.com/cloudwatch/home?region={region}#logsV2:log-groups/log-group/{encoded}/log-events/{stream}"
                ),
                "cloudWatchLogsArn": format!(
                    "arn:aws:logs:{region}:{}:log-group:{group}:log-stream:{stream}",
                    self.account
                ),
                "cloudWatchLogs": { "status": "ENABLED" },
            });
        }
        out
    }
}

/// A build's log group and stream, as CodeBuild names them by default.
fn log_names(build: &Build) -> (String, String) {
    let stream = build
        .id
        .split_once(':')
        .map_or(build.id.as_str(), |(_, uuid)| uuid);
    (
        format!("/aws/codebuild/{}", build.project),
        stream.to_string(),
    )
}

pub struct CodeBuild {
    builds: SharedBuilds,
}

impl CodeBuild {
    pub fn new(builds: SharedBuilds) -> Self {
        Self { builds }
    }
}

const BUILD_ID: Kind = text(1, usize::MAX);

static TABLE: &[Operation] = &[Operation {
    name: "BatchGetBuilds",
    input: &[Member::required(
        "ids",
        Kind::List {
            min: 1,
            max: crate::limits::BATCH_GET_BUILDS_IDS,
            item: &BUILD_ID,
        },
    )],
    pages: None,
    quota: Quota::Service,
}];

impl Service for CodeBuild {
    fn model_name(&self) -> &'static str {
        "codebuild"
    }

    fn protocol(&self) -> Protocol {
        Protocol::Json {
            target: "CodeBuild_20161006",
            version: "1.1",
        }
    }

    fn operations(&self) -> &'static [Operation] {
        TABLE
    }

    fn answer(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        if call.operation.name != "BatchGetBuilds" {
            return Err(unanswered(call.operation.name));
        }
        let store = lock(&self.builds);
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for id in call.input["ids"].as_array().into_iter().flatten() {
            let id = id.as_str().unwrap_or_default();
            match store.builds.iter().find(|build| build.id == id) {
                Some(build) => found.push(store.describe(build, call.now)),
                None => missing.push(id.to_string()),
            }
        }
        Ok(json!({ "builds": found, "buildsNotFound": missing }))
    }
}
