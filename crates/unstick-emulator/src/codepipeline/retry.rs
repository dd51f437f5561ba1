//! RetryStageExecution: AWS's rules, then the retry itself, played out over time.

use super::*;

impl CodePipeline {
    /// AWS's rules for RetryStageExecution, then the retry itself, played out over time.
    pub(super) fn retry_stage_execution(
        &mut self,
        input: &Value,
        now: Timestamp,
    ) -> Result<Value, ApiError> {
        let stage_name = required(input, "stageName")?.to_string();
        let execution_id = required(input, "pipelineExecutionId")?.to_string();
        // Its shape (retryMode among FAILED_ACTIONS and ALL_ACTIONS) is checked already.
        let mode = required(input, "retryMode")?.to_string();
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
        let builds = self.builds.clone();
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
                // A CodeBuild action starts a new build, with a new id and log.
                let build = declared
                    .actions
                    .iter()
                    .find(|action| &action.name == name)
                    .and_then(|action| action_project(&pipeline_name, action))
                    .map(|project| {
                        let failure = error.as_ref().map(|(_, message)| message.clone());
                        lock(&builds).start(&project, start, end, failure)
                    });
                match run.actions.get_mut(name).filter(|a| a.visible_from <= now) {
                    // A run already on screen keeps showing until its turn comes.
                    Some(existing) => {
                        existing.pending = vec![
                            Change {
                                at: start,
                                status: "InProgress".into(),
                                error: None,
                                external_id: build,
                            },
                            Change {
                                at: end,
                                status: outcome.into(),
                                error,
                                external_id: None,
                            },
                        ];
                        existing.settle(now);
                    }
                    None => {
                        run.actions.insert(
                            name.clone(),
                            ActionRun::planned(start, end, outcome, error, build),
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
                    let build = action_project(&pipeline_name, action)
                        .map(|project| lock(&builds).start(&project, start, end, None));
                    stage_run.actions.insert(
                        action.name.clone(),
                        ActionRun::planned(start, end, "Succeeded", None, build),
                    );
                }
                start = end;
            }
        }
        Ok(json!({ "pipelineExecutionId": execution_id }))
    }
}
