//! Retry, from key to answer: the rules' inputs, the dialog, the one command a
//! confirmation sends, and following the stage afterwards.

use super::*;

impl App {
    /// What the retry rules need for one stage, gathered from the model.
    pub fn retry_input<'a>(&'a self, pipeline: &'a str, stage: &'a StageState) -> RetryInput<'a> {
        let in_flight = self
            .retries_in_flight
            .contains(&(pipeline.to_string(), stage.stage_name.clone()));
        let mut input = gather(
            &self.model,
            pipeline,
            stage,
            in_flight,
            self.settings.read_only,
        );
        if let Some(viewed) = &self.ui.execution {
            // Looking back: the live state says whether a later execution ran this stage.
            let live = self
                .model
                .state(pipeline)
                .and_then(|state| {
                    state
                        .stages
                        .iter()
                        .find(|s| s.stage_name == stage.stage_name)
                })
                .and_then(|s| s.latest_execution.as_ref())
                .filter(|run| &run.pipeline_execution_id != viewed);
            input.later_run = live.map(|run| LaterRun {
                pipeline_execution_id: run.pipeline_execution_id.clone(),
                status: run.status.clone(),
            });
            if let Some(version) = self
                .model
                .action_runs(pipeline, viewed)
                .and_then(|runs| version_of_execution(viewed, runs))
            {
                input.failed_version = FailedVersion::Known(version);
            }
        }
        input
    }

    pub(super) fn ask_retry(&mut self, mode: RetryMode) -> Vec<Command> {
        let (Some(pipeline), Some(stage)) = (self.open_pipeline(), self.selected_stage()) else {
            return Vec::new();
        };
        let verdict = retry_plan(&self.retry_input(pipeline, &stage), mode);
        let stage_name = stage.stage_name.clone();
        let account = self
            .model
            .structure(pipeline)
            .and_then(|s| s.account())
            .map(str::to_string);
        match verdict {
            Err(reasons) => {
                let why: Vec<String> = reasons.iter().map(|r| r.explain()).collect();
                let text = format!("Cannot retry {stage_name}: {}", why.join("; "));
                self.say(Tone::Warning, text);
            }
            Ok(plan) => self.confirm = Some(confirmation(plan, account)),
        }
        Vec::new()
    }

    /// A confirmed retry: sent unless one for the same stage is still on its way.
    pub(super) fn send_retry(&mut self, plan: RetryPlan, context: WriteContext) -> Vec<Command> {
        let key = (plan.pipeline_name.clone(), plan.stage_name.clone());
        if !self.retries_in_flight.insert(key) {
            self.say(Tone::Warning, "A retry of this stage is already being sent");
            return Vec::new();
        }
        self.say(
            Tone::Running,
            format!(
                "Sending RetryStageExecution for {} / {} ({})…",
                plan.pipeline_name,
                plan.stage_name,
                plan.retry_mode.as_aws()
            ),
        );
        vec![Command::Retry { plan, context }]
    }

    pub(super) fn on_retry_answer(
        &mut self,
        plan: RetryPlan,
        result: Result<RetryReceipt, AwsError>,
    ) -> Vec<Command> {
        self.retries_in_flight
            .remove(&(plan.pipeline_name.clone(), plan.stage_name.clone()));
        match result {
            Ok(receipt) => {
                self.say(
                    Tone::Good,
                    format!(
                        "Retry started: {} / {} in execution {}",
                        plan.pipeline_name, plan.stage_name, receipt.pipeline_execution_id
                    ),
                );
                self.following.insert(
                    plan.pipeline_name.clone(),
                    Follow {
                        stage: plan.stage_name.clone(),
                        since: self.now,
                    },
                );
            }
            Err(error) => {
                self.say(
                    Tone::Failed,
                    format!(
                        "Retry of {} / {} failed: {error}",
                        plan.pipeline_name, plan.stage_name
                    ),
                );
            }
        }
        // Either way the stage has news: read it now, even before the bucket allows.
        let read = Read::State(plan.pipeline_name);
        let mut commands = self.poll();
        self.read_now(read, &mut commands);
        commands
    }

    /// Stops following a retried stage once it has finished, and says how it ended.
    pub(super) fn check_follow(&mut self, pipeline: &str) {
        let Some(follow) = self.following.get(pipeline).cloned() else {
            return;
        };
        let status = self
            .model
            .state(pipeline)
            .and_then(|state| state.stages.iter().find(|s| s.stage_name == follow.stage))
            .and_then(|stage| stage.status().cloned());
        let age = self.now.duration_since(follow.since);
        let running = matches!(
            status,
            Some(StageStatus::InProgress | StageStatus::Stopping)
        );
        if age > FOLLOW_LIMIT || (!running && age > FOLLOW_GRACE) {
            self.following.remove(pipeline);
            if let Some(status) = status {
                self.say(
                    status.tone(),
                    format!(
                        "{pipeline} / {}: {} after retry",
                        follow.stage,
                        status.word()
                    ),
                );
            }
        }
    }
}

fn confirmation(plan: RetryPlan, account: Option<String>) -> Confirm {
    let (title, mode_text) = match plan.retry_mode {
        RetryMode::FailedActions => (
            "Retry failed actions?",
            "FAILED_ACTIONS: only the failed actions run again",
        ),
        RetryMode::AllActions => (
            "Retry all actions?",
            "ALL_ACTIONS: every action in the stage runs again",
        ),
    };
    let warning = (!plan.overwrites.is_empty()).then(|| {
        format!(
            "Overwrites the output artifacts of {}, which had succeeded.",
            plan.overwrites.join(", ")
        )
    });
    Confirm {
        title: title.to_string(),
        lines: vec![
            ("Pipeline".into(), plan.pipeline_name.clone()),
            ("Stage".into(), plan.stage_name.clone()),
            ("Execution".into(), plan.pipeline_execution_id.clone()),
            ("Mode".into(), mode_text.into()),
            ("Re-runs".into(), plan.reruns.join(", ")),
        ],
        warning,
        on_confirm: Command::Retry {
            plan,
            context: WriteContext { account },
        },
    }
}
