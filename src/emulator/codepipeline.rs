//! CodePipeline's rules, kept in memory: state, history, and what a retry does over time.
//! Time moves lazily: pending changes are applied when a request looks at them.

use std::collections::{BTreeMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::scenario::{ActionRunSpec, PipelineSpec, Scenario, StageSpec};
use super::{ApiError, epoch, new_id, page};

#[derive(Debug)]
pub struct CodePipeline {
    account: String,
    region: String,
    retry_duration: SignedDuration,
    pipelines: Vec<Pipeline>,
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

#[derive(Debug)]
struct Execution {
    id: String,
    pipeline_version: i32,
    start: Timestamp,
    trigger: String,
    status_override: Option<String>,
    stages: BTreeMap<String, StageRun>,
}

#[derive(Debug, Default)]
struct StageRun {
    actions: BTreeMap<String, ActionRun>,
    manual_retries: i32,
}

#[derive(Debug, Clone)]
struct ActionRun {
    id: String,
    status: String,
    summary: Option<String>,
    error: Option<(String, String)>,
    url: Option<String>,
    percent: Option<i32>,
    started: Timestamp,
    last_change: Timestamp,
    /// A run planned for later is invisible until then.
    visible_from: Timestamp,
    /// Changes still to come, in time order.
    pending: Vec<Change>,
}

/// A status an action will take at a given time.
#[derive(Debug, Clone)]
struct Change {
    at: Timestamp,
    status: String,
    error: Option<(String, String)>,
}

impl ActionRun {
    fn settle(&mut self, now: Timestamp) {
        while self.pending.first().is_some_and(|change| change.at <= now) {
            let change = self.pending.remove(0);
            self.summary = match (change.status.as_str(), &change.error) {
                ("InProgress", _) => Some("Running".into()),
                (_, Some(_)) => Some("Failed again".into()),
                _ => Some("Succeeded".into()),
            };
            self.percent = (change.status == "InProgress").then_some(0);
            self.status = change.status;
            self.error = change.error;
            self.last_change = change.at;
        }
    }

    /// A run that starts at `start` and ends at `end` with `outcome`.
    fn planned(
        start: Timestamp,
        end: Timestamp,
        outcome: &str,
        error: Option<(String, String)>,
        url: Option<String>,
    ) -> Self {
        Self {
            id: new_id(),
            status: "InProgress".into(),
            summary: Some("Running".into()),
            error: None,
            url,
            percent: Some(0),
            started: start,
            last_change: start,
            visible_from: start,
            pending: vec![Change {
                at: end,
                status: outcome.to_string(),
                error,
            }],
        }
    }
}

impl StageRun {
    fn visible(&self, now: Timestamp) -> impl Iterator<Item = (&String, &ActionRun)> {
        self.actions
            .iter()
            .filter(move |(_, run)| run.visible_from <= now)
    }

    fn status(&self, declared: &StageSpec, now: Timestamp) -> Option<&'static str> {
        let statuses: Vec<&str> = self
            .visible(now)
            .map(|(_, run)| run.status.as_str())
            .collect();
        if statuses.is_empty() {
            return None;
        }
        Some(if statuses.contains(&"Failed") {
            "Failed"
        } else if statuses.contains(&"InProgress") {
            "InProgress"
        } else if statuses.contains(&"Abandoned") {
            "Stopped"
        } else if statuses.len() == declared.actions.len() {
            "Succeeded"
        } else {
            "InProgress"
        })
    }
}

impl Execution {
    fn status(&self, stages: &[StageSpec], now: Timestamp) -> String {
        if let Some(status) = &self.status_override {
            return status.clone();
        }
        let statuses: Vec<&str> = stages
            .iter()
            .filter_map(|stage| self.stages.get(&stage.name)?.status(stage, now))
            .collect();
        if statuses.contains(&"InProgress") {
            "InProgress"
        } else if statuses.contains(&"Failed") {
            "Failed"
        } else if statuses.contains(&"Stopped") {
            "Stopped"
        } else if statuses.len() == stages.len() {
            "Succeeded"
        } else {
            "InProgress"
        }
        .to_string()
    }

    fn last_change(&self) -> Timestamp {
        self.stages
            .values()
            .flat_map(|stage| stage.actions.values())
            .map(|run| run.last_change)
            .max()
            .unwrap_or(self.start)
    }
}

fn minutes_before(now: Timestamp, minutes: f64) -> Timestamp {
    now - SignedDuration::from_secs_f64(minutes * 60.0)
}

fn action_run(spec: &ActionRunSpec, default_minutes: f64, now: Timestamp) -> ActionRun {
    let changed = minutes_before(now, spec.minutes_ago.unwrap_or(default_minutes));
    ActionRun {
        id: new_id(),
        status: spec.status.clone(),
        summary: spec.summary.clone(),
        error: spec
            .error_code
            .as_ref()
            .map(|code| (code.clone(), spec.error_message.clone().unwrap_or_default())),
        url: spec.url.clone(),
        percent: spec.percent_complete,
        started: changed - SignedDuration::from_secs(90),
        last_change: changed,
        visible_from: Timestamp::UNIX_EPOCH,
        pending: Vec::new(),
    }
}

impl CodePipeline {
    pub fn new(scenario: &Scenario, region: &str, now: Timestamp) -> Self {
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
                                        (name.clone(), action_run(run, default_minutes, now))
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
        }
    }

    pub fn handle(
        &mut self,
        operation: &str,
        input: &Value,
        page_size: usize,
    ) -> Result<Value, ApiError> {
        let now = Timestamp::now();
        self.settle(now);
        match operation {
            "ListPipelines" => Ok(self.list_pipelines(input, page_size)),
            "GetPipelineState" => self.get_pipeline_state(input, now),
            "GetPipeline" => self.get_pipeline(input),
            "ListPipelineExecutions" => self.list_pipeline_executions(input, now, page_size),
            "GetPipelineExecution" => self.get_pipeline_execution(input, now),
            "ListActionExecutions" => self.list_action_executions(input, now, page_size),
            "RetryStageExecution" => self.retry_stage_execution(input, now),
            other => Err(ApiError::new(
                400,
                "UnknownOperationException",
                format!("the emulator does not implement {other}"),
            )),
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

    fn list_pipelines(&self, input: &Value, page_size: usize) -> Value {
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
        let (items, next) = page(rows, input, page_size, 1000);
        let mut out = json!({ "pipelines": items });
        if let Some(token) = next {
            out["nextToken"] = json!(token);
        }
        out
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
                        out["retryStageMetadata"] = json!({
                            "autoStageRetryAttempt": 0,
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

    fn list_pipeline_executions(
        &self,
        input: &Value,
        now: Timestamp,
        page_size: usize,
    ) -> Result<Value, ApiError> {
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
        let (items, next) = page(rows, input, page_size, 100);
        let mut out = json!({ "pipelineExecutionSummaries": items });
        if let Some(token) = next {
            out["nextToken"] = json!(token);
        }
        Ok(out)
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

    fn list_action_executions(
        &self,
        input: &Value,
        now: Timestamp,
        page_size: usize,
    ) -> Result<Value, ApiError> {
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
                    let mut result = json!({ "externalExecutionUrl": action.url });
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
        let (items, next) = page(rows, input, page_size, 100);
        let mut out = json!({ "actionExecutionDetails": items });
        if let Some(token) = next {
            out["nextToken"] = json!(token);
        }
        Ok(out)
    }

    /// AWS's rules for RetryStageExecution, then the retry itself, played out over time.
    fn retry_stage_execution(&mut self, input: &Value, now: Timestamp) -> Result<Value, ApiError> {
        let stage_name = required(input, "stageName")?.to_string();
        let execution_id = required(input, "pipelineExecutionId")?.to_string();
        let mode = required(input, "retryMode")?.to_string();
        if mode != "FAILED_ACTIONS" && mode != "ALL_ACTIONS" {
            return Err(ApiError::validation(format!(
                "Value '{mode}' at 'retryMode' failed to satisfy constraint: Member must satisfy enum value set: [FAILED_ACTIONS, ALL_ACTIONS]"
            )));
        }
        let retry_duration = self.retry_duration;
        let pipeline = self.pipeline(input, "pipelineName", "RetryStageExecution")?;
        let pipeline_name = pipeline.spec.name.clone();
        let Some(stage_index) = pipeline
            .spec
            .stages
            .iter()
            .position(|s| s.name == stage_name)
        else {
            return Err(ApiError::new(
                400,
                "StageNotFoundException",
                format!("Stage '{stage_name}' not found in pipeline '{pipeline_name}'"),
            ));
        };
        let exec = self.execution(pipeline, input)?;
        let declared = pipeline.spec.stages[stage_index].clone();
        let latest = pipeline.executions.iter().find(|e| {
            e.stages
                .get(&stage_name)
                .is_some_and(|run| run.status(&declared, now).is_some())
        });
        if latest.is_some_and(|latest| latest.id != execution_id) {
            return Err(ApiError::new(
                400,
                "NotLatestPipelineExecutionException",
                format!(
                    "Stage '{stage_name}' has a later execution; pipeline execution '{execution_id}' is not the latest"
                ),
            ));
        }
        let run = exec.stages.get(&stage_name);
        let status = run.and_then(|run| run.status(&declared, now));
        if status != Some("Failed") {
            return Err(ApiError::new(
                400,
                "StageNotRetryableException",
                format!(
                    "Stage '{stage_name}' is {} and cannot be retried",
                    status.unwrap_or("not run")
                ),
            ));
        }
        if exec.pipeline_version != pipeline.spec.version {
            return Err(ApiError::new(
                400,
                "StageNotRetryableException",
                format!(
                    "The pipeline structure has changed since execution '{execution_id}' (version {} → {}); retry is not possible",
                    exec.pipeline_version, pipeline.spec.version
                ),
            ));
        }
        let run = run.expect("status implies a run");
        let running: Vec<&String> = run
            .actions
            .iter()
            .filter(|(_, a)| a.status == "InProgress")
            .map(|(n, _)| n)
            .collect();
        if mode == "ALL_ACTIONS" && !running.is_empty() {
            return Err(ApiError::new(
                400,
                "StageNotRetryableException",
                "Cannot retry all actions while actions are in progress".to_string(),
            ));
        }

        // Accepted: play it out. Actions run in run-order groups, each taking
        // `retry_duration`; a group that fails ends the stage.
        let outcomes = pipeline.spec.retry_outcome.clone();
        let later_stages: Vec<StageSpec> = pipeline.spec.stages[stage_index + 1..].to_vec();
        let transitions: HashSet<String> = pipeline.transitions.keys().cloned().collect();
        let pipeline = self
            .pipelines
            .iter_mut()
            .find(|p| p.spec.name == pipeline_name)
            .expect("found above");
        let exec = pipeline
            .executions
            .iter_mut()
            .find(|e| e.id == execution_id)
            .expect("found above");
        let run = exec.stages.get_mut(&stage_name).expect("found above");
        run.manual_retries += 1;
        let mut groups: BTreeMap<i32, Vec<String>> = BTreeMap::new();
        for action in &declared.actions {
            let previous = run
                .actions
                .get(&action.name)
                .filter(|a| a.visible_from <= now);
            // Actions that never ran in this execution run now too, in their turn.
            let reruns = mode == "ALL_ACTIONS" || previous.is_none_or(|a| a.status == "Failed");
            if reruns {
                groups
                    .entry(action.run_order)
                    .or_default()
                    .push(action.name.clone());
            }
        }
        let mut start = now;
        let mut stage_failed = false;
        for names in groups.values() {
            let end = start + retry_duration;
            for name in names {
                let outcome = outcomes.get(name).map_or("Succeeded", String::as_str);
                let error = (outcome == "Failed").then(|| {
                    (
                        "JobFailed".to_string(),
                        format!("{name} failed again after the retry"),
                    )
                });
                stage_failed |= error.is_some();
                match run.actions.get_mut(name).filter(|a| a.visible_from <= now) {
                    // A run already on screen keeps showing until its turn comes.
                    Some(existing) => {
                        existing.pending = vec![
                            Change {
                                at: start,
                                status: "InProgress".into(),
                                error: None,
                            },
                            Change {
                                at: end,
                                status: outcome.into(),
                                error,
                            },
                        ];
                        existing.settle(now);
                    }
                    None => {
                        run.actions.insert(
                            name.clone(),
                            ActionRun::planned(start, end, outcome, error, None),
                        );
                    }
                }
            }
            start = end;
            if stage_failed {
                break;
            }
        }
        // When the retried stage succeeds, the execution carries on through the later
        // stages, one at a time, until a disabled transition holds it.
        if !stage_failed {
            for stage in &later_stages {
                if transitions.contains(&stage.name) {
                    break;
                }
                let end = start + retry_duration;
                let stage_run = exec.stages.entry(stage.name.clone()).or_default();
                for action in &stage.actions {
                    stage_run.actions.insert(
                        action.name.clone(),
                        ActionRun::planned(start, end, "Succeeded", None, None),
                    );
                }
                start = end;
            }
        }
        Ok(json!({ "pipelineExecutionId": execution_id }))
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
    if let Some(percent) = run.percent {
        out["percentComplete"] = json!(percent);
    }
    if let Some((code, message)) = &run.error {
        out["errorDetails"] = json!({ "code": code, "message": message });
    }
    out
}

fn required<'a>(input: &'a Value, field: &str) -> Result<&'a str, ApiError> {
    input
        .get(field)
        .and_then(Value::as_str)
        .filter(|value| !value.is_empty())
        .ok_or_else(|| ApiError::validation(format!("1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null")))
}
