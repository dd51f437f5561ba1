//! CodePipeline's rules, kept in memory: state, history, and what a retry does over time.
//! Time moves lazily: pending changes are applied when a request looks at them.

use std::collections::{BTreeMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::scenario::{ActionSpec, PipelineSpec, Scenario, StageSpec};
use super::{ApiError, epoch, lock, required};
use crate::codebuild::SharedBuilds;
use crate::service::{Call, Operation, Protocol, Service};

mod operations;
mod retry;
mod runs;

use runs::{ActionRun, Change, Execution, StageRun, action_run, minutes_before};

#[derive(Debug)]
pub struct CodePipeline {
    account: String,
    region: String,
    retry_duration: SignedDuration,
    pipelines: Vec<Pipeline>,
    /// Where CodeBuild actions start their builds.
    builds: SharedBuilds,
}

#[derive(Debug)]
struct Pipeline {
    spec: PipelineSpec,
    created: Timestamp,
    transitions: BTreeMap<String, (String, Option<String>, Timestamp)>,
    /// Newest first.
    executions: Vec<Execution>,
    deny: HashSet<String>,
}

impl Service for CodePipeline {
    fn model_name(&self) -> &'static str {
        "codepipeline"
    }

    fn protocol(&self) -> Protocol {
        Protocol::Json {
            target: "CodePipeline_20150709",
            version: "1.1",
        }
    }

    fn operations(&self) -> &'static [Operation] {
        operations::TABLE
    }

    fn invalid_token(&self) -> &'static str {
        "InvalidNextTokenException"
    }

    fn answer(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let (input, now) = (call.input, call.now);
        self.settle(now);
        match call.operation.name {
            "ListPipelines" => self.list_pipelines(call),
            "GetPipelineState" => self.get_pipeline_state(input, now),
            "GetPipeline" => self.get_pipeline(input),
            "ListPipelineExecutions" => self.list_pipeline_executions(call),
            "GetPipelineExecution" => self.get_pipeline_execution(input, now),
            "ListActionExecutions" => self.list_action_executions(call),
            "RetryStageExecution" => self.retry_stage_execution(input, now),
            other => Err(crate::service::unanswered(other)),
        }
    }
}

impl CodePipeline {
    pub fn new(scenario: &Scenario, region: &str, now: Timestamp, builds: SharedBuilds) -> Self {
        let account = &scenario.account_id;
        // What an action ran: a build of its own for CodeBuild, else what the scenario says.
        let external_id = |spec: &PipelineSpec, stage: &StageSpec, name: &str, run: &ActionRun| {
            let declared = stage.actions.iter().find(|action| action.name == name)?;
            match action_project(&spec.name, declared) {
                Some(project) => {
                    let end = if run.status == "InProgress" {
                        now + SignedDuration::from_mins(2)
                    } else {
                        run.last_change
                    };
                    let failure = run.error.as_ref().map(|(_, message)| message.clone());
                    Some(lock(&builds).start(&project, run.started, end, failure))
                }
                None => None,
            }
        };
        let pipelines = scenario
            .pipelines
            .iter()
            .map(|spec| {
                let mut executions: Vec<Execution> = spec
                    .executions
                    .iter()
                    .map(|exec| {
                        let start = minutes_before(now, exec.minutes_ago);
                        let stages = spec
                            .stages
                            .iter()
                            .enumerate()
                            .filter_map(|(index, stage)| {
                                let runs = exec.stages.get(&stage.name)?;
                                // Each stage took about a minute, one after another.
                                let default_minutes =
                                    (exec.minutes_ago - 1.0 - index as f64).max(0.0);
                                let actions = runs
                                    .iter()
                                    .map(|(name, run)| {
                                        let mut action = action_run(run, default_minutes, now);
                                        action.external_id =
                                            external_id(spec, stage, name, &action).or_else(|| {
                                                run.external_id.as_ref().map(|id| {
                                                    id.replace("{region}", region)
                                                        .replace("{account}", account)
                                                })
                                            });
                                        (name.clone(), action)
                                    })
                                    .collect();
                                Some((
                                    stage.name.clone(),
                                    StageRun {
                                        actions,
                                        manual_retries: 0,
                                    },
                                ))
                            })
                            .collect();
                        Execution {
                            id: exec.id.clone(),
                            pipeline_version: exec.pipeline_version.unwrap_or(spec.version),
                            start,
                            trigger: exec.trigger.clone(),
                            status_override: exec.status.clone(),
                            stages,
                        }
                    })
                    .collect();
                executions.sort_by_key(|exec| std::cmp::Reverse(exec.start));
                let transitions = spec
                    .disabled_transitions
                    .iter()
                    .map(|t| {
                        (
                            t.stage.clone(),
                            (
                                t.reason.clone(),
                                t.by.clone(),
                                minutes_before(now, t.minutes_ago),
                            ),
                        )
                    })
                    .collect();
                Pipeline {
                    created: minutes_before(now, 60.0 * 24.0 * 90.0),
                    spec: spec.clone(),
                    transitions,
                    executions,
                    deny: spec.deny.iter().cloned().collect(),
                }
            })
            .collect();
        Self {
            account: scenario.account_id.clone(),
            region: region.to_string(),
            retry_duration: SignedDuration::from_secs_f64(scenario.retry_seconds),
            pipelines,
            builds,
        }
    }

    fn settle(&mut self, now: Timestamp) {
        for pipeline in &mut self.pipelines {
            for execution in &mut pipeline.executions {
                for stage in execution.stages.values_mut() {
                    for run in stage.actions.values_mut() {
                        run.settle(now);
                    }
                }
            }
        }
    }

    fn pipeline(&self, input: &Value, field: &str, operation: &str) -> Result<&Pipeline, ApiError> {
        let name = required(input, field)?;
        let pipeline = self
            .pipelines
            .iter()
            .find(|p| p.spec.name == name)
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "PipelineNotFoundException",
                    format!(
                        "Account '{}' does not have a pipeline with name '{name}'",
                        self.account
                    ),
                )
            })?;
        if pipeline.deny.contains(operation) {
            return Err(ApiError::new(
                400,
                "AccessDeniedException",
                format!(
                    "User: arn:aws:sts::{}:assumed-role/oncall/demo is not authorized to perform: codepipeline:{operation} on resource: {}",
                    self.account,
                    self.arn(&pipeline.spec.name)
                ),
            ));
        }
        Ok(pipeline)
    }

    fn arn(&self, name: &str) -> String {
        format!(
            "arn:aws:codepipeline:{}:{}:{name}",
            self.region, self.account
        )
    }

    fn list_pipelines(&self, call: &Call<'_>) -> Result<Value, ApiError> {
        let rows: Vec<Value> = self
            .pipelines
            .iter()
            .map(|p| {
                json!({
                    "name": p.spec.name,
                    "version": p.spec.version,
                    "pipelineType": p.spec.pipeline_type,
                    "executionMode": p.spec.execution_mode,
                    "created": epoch(p.created),
                    "updated": epoch(p.created),
                })
            })
            .collect();
        call.paged("pipelines", rows)
    }

    fn get_pipeline_state(&self, input: &Value, now: Timestamp) -> Result<Value, ApiError> {
        let pipeline = self.pipeline(input, "name", "GetPipelineState")?;
        let stages: Vec<Value> = pipeline
            .spec
            .stages
            .iter()
            .map(|stage| {
                // The stage shows its most recent run, from whichever execution that was.
                let latest = pipeline.executions.iter().find_map(|exec| {
                    let run = exec.stages.get(&stage.name)?;
                    Some((exec, run, run.status(stage, now)?))
                });
                let actions: Vec<Value> = stage
                    .actions
                    .iter()
                    .map(|action| {
                        let mut state = json!({ "actionName": action.name });
                        let run = latest
                            .and_then(|(_, run, _)| run.actions.get(&action.name))
                            .filter(|run| run.visible_from <= now);
                        if let Some(run) = run {
                            state["latestExecution"] = action_execution_json(run);
                        }
                        state
                    })
                    .collect();
                let mut out = json!({
                    "stageName": stage.name,
                    "actionStates": actions,
                    "inboundTransitionState": match pipeline.transitions.get(&stage.name) {
                        Some((reason, by, at)) => json!({
                            "enabled": false,
                            "disabledReason": reason,
                            "lastChangedBy": by,
                            "lastChangedAt": epoch(*at),
                        }),
                        None => json!({ "enabled": true }),
                    },
                });
                if let Some((exec, run, status)) = latest {
                    out["latestExecution"] = json!({
                        "pipelineExecutionId": exec.id,
                        "status": status,
                        "type": "STANDARD",
                    });
                    if run.manual_retries > 0 {
                        // No automatic retries: the member is left out (its minimum is 1).
                        out["retryStageMetadata"] = json!({
                            "manualStageRetryAttempt": run.manual_retries,
                            "latestRetryTrigger": "ManualStageRetry",
                        });
                    }
                }
                out
            })
            .collect();
        Ok(json!({
            "pipelineName": pipeline.spec.name,
            "pipelineVersion": pipeline.spec.version,
            "stageStates": stages,
            "created": epoch(pipeline.created),
            "updated": epoch(pipeline.created),
        }))
    }

    fn get_pipeline(&self, input: &Value) -> Result<Value, ApiError> {
        let pipeline = self.pipeline(input, "name", "GetPipeline")?;
        let spec = &pipeline.spec;
        let stages: Vec<Value> = spec
            .stages
            .iter()
            .map(|stage| {
                let mut out = json!({
                    "name": stage.name,
                    "actions": stage.actions.iter().map(|a| json!({
                        "name": a.name,
                        "runOrder": a.run_order,
                        "actionTypeId": {
                            "category": a.category,
                            "owner": "AWS",
                            "provider": a.provider,
                            "version": "1",
                        },
                    })).collect::<Vec<_>>(),
                });
                if let Some(result) = &stage.on_failure {
                    out["onFailure"] = json!({ "result": result });
                }
                out
            })
            .collect();
        Ok(json!({
            "pipeline": {
                "name": spec.name,
                "roleArn": format!("arn:aws:iam::{}:role/codepipeline-{}", self.account, spec.name),
                "artifactStore": { "type": "S3", "location": format!("codepipeline-{}-artifacts", self.region) },
                "stages": stages,
                "version": spec.version,
                "executionMode": spec.execution_mode,
                "pipelineType": spec.pipeline_type,
            },
            "metadata": {
                "pipelineArn": self.arn(&spec.name),
                "created": epoch(pipeline.created),
                "updated": epoch(pipeline.created),
            }
        }))
    }

    fn execution<'a>(
        &self,
        pipeline: &'a Pipeline,
        input: &Value,
    ) -> Result<&'a Execution, ApiError> {
        let id = required(input, "pipelineExecutionId")?;
        pipeline
            .executions
            .iter()
            .find(|e| e.id == id)
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "PipelineExecutionNotFoundException",
                    format!(
                        "Pipeline execution with id '{id}' not found in pipeline '{}'",
                        pipeline.spec.name
                    ),
                )
            })
    }

    fn list_pipeline_executions(&self, call: &Call<'_>) -> Result<Value, ApiError> {
        let (input, now) = (call.input, call.now);
        let pipeline = self.pipeline(input, "pipelineName", "ListPipelineExecutions")?;
        let rows: Vec<Value> = pipeline
            .executions
            .iter()
            .map(|exec| {
                json!({
                    "pipelineExecutionId": exec.id,
                    "status": exec.status(&pipeline.spec.stages, now),
                    "startTime": epoch(exec.start),
                    "lastUpdateTime": epoch(exec.last_change()),
                    "trigger": { "triggerType": exec.trigger, "triggerDetail": "" },
                    "executionMode": pipeline.spec.execution_mode,
                    "executionType": "STANDARD",
                })
            })
            .collect();
        call.paged("pipelineExecutionSummaries", rows)
    }

    fn get_pipeline_execution(&self, input: &Value, now: Timestamp) -> Result<Value, ApiError> {
        let pipeline = self.pipeline(input, "pipelineName", "GetPipelineExecution")?;
        let exec = self.execution(pipeline, input)?;
        Ok(json!({
            "pipelineExecution": {
                "pipelineName": pipeline.spec.name,
                "pipelineVersion": exec.pipeline_version,
                "pipelineExecutionId": exec.id,
                "status": exec.status(&pipeline.spec.stages, now),
                "trigger": { "triggerType": exec.trigger, "triggerDetail": "" },
                "executionMode": pipeline.spec.execution_mode,
                "executionType": "STANDARD",
            }
        }))
    }

    fn list_action_executions(&self, call: &Call<'_>) -> Result<Value, ApiError> {
        let (input, now) = (call.input, call.now);
        let pipeline = self.pipeline(input, "pipelineName", "ListActionExecutions")?;
        let wanted = input
            .pointer("/filter/pipelineExecutionId")
            .and_then(Value::as_str);
        let mut rows = Vec::new();
        for exec in pipeline
            .executions
            .iter()
            .filter(|e| wanted.is_none_or(|id| e.id == id))
        {
            for stage in &pipeline.spec.stages {
                let Some(run) = exec.stages.get(&stage.name) else {
                    continue;
                };
                for (name, action) in run.visible(now) {
                    let mut result = json!({});
                    if let Some(url) = &action.url {
                        result["externalExecutionUrl"] = json!(url);
                    }
                    if let Some(id) = &action.external_id {
                        result["externalExecutionId"] = json!(id);
                    }
                    if let Some((code, message)) = &action.error {
                        result["errorDetails"] = json!({ "code": code, "message": message });
                    }
                    rows.push(json!({
                        "pipelineExecutionId": exec.id,
                        "actionExecutionId": action.id,
                        "pipelineVersion": exec.pipeline_version,
                        "stageName": stage.name,
                        "actionName": name,
                        "startTime": epoch(action.started),
                        "lastUpdateTime": epoch(action.last_change),
                        "status": action.status,
                        "output": { "executionResult": result },
                    }));
                }
            }
        }
        call.paged("actionExecutionDetails", rows)
    }
}

fn action_execution_json(run: &ActionRun) -> Value {
    let mut out = json!({
        "actionExecutionId": run.id,
        "status": run.status,
        "lastStatusChange": epoch(run.last_change),
    });
    if let Some(summary) = &run.summary {
        out["summary"] = json!(summary);
    }
    if let Some(url) = &run.url {
        out["externalExecutionUrl"] = json!(url);
    }
    if let Some(id) = &run.external_id {
        out["externalExecutionId"] = json!(id);
    }
    if let Some(percent) = run.percent {
        out["percentComplete"] = json!(percent);
    }
    if let Some((code, message)) = &run.error {
        out["errorDetails"] = json!({ "code": code, "message": message });
    }
    out
}

/// The project a CodeBuild action builds; None for other providers.
fn action_project(pipeline: &str, action: &ActionSpec) -> Option<String> {
    (action.provider == "CodeBuild").then(|| {
        action
            .project
            .clone()
            .unwrap_or_else(|| format!("{pipeline}-{}", action.name).to_lowercase())
    })
}
