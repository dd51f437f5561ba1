//! Retry, from key to answer: the rules' inputs, the dialog, the one command a
//! confirmation sends, and following the stage afterwards.

use super::confirm::Question;
use super::watch::{self, Observed, Settled, Watch};
use super::*;
use crate::action::PipelineRead;
use crate::eligibility::{OwnWrite, Reason, explain_all};
use crate::model::RetryReceipt;

impl App {
    /// What the retry rules need for one stage, gathered from the model.
    pub fn retry_input<'a>(&'a self, pipeline: &'a str, stage: &'a StageState) -> RetryInput<'a> {
        let mut input = self.live_retry_input(pipeline, stage);
        if let Some(viewed) = &self.ui.pipelines.execution {
            // Looking back: the live state says whether a later execution ran this stage.
            let live = self
                .model
                .codepipeline
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
                .codepipeline
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
        let target_account = self
            .model
            .codepipeline
            .structure(pipeline)
            .and_then(|s| s.account())
            .map(str::to_string);
        match verdict {
            Err(reasons) => {
                let why = explain_all(&reasons, Reason::explain);
                let text = format!("Cannot retry {stage_name}: {why}");
                self.say(Tone::Warning, text);
            }
            Ok(plan) => {
                let context = self.write_context(target_account.as_deref());
                self.ask(question(plan, context), target_account.as_deref());
            }
        }
        Vec::new()
    }

    /// The retry rules' inputs for the stage as AWS last showed it (not as the person
    /// may be viewing it): what the dialog is checked against before sending.
    pub(super) fn live_retry_input<'a>(
        &'a self,
        pipeline: &'a str,
        stage: &'a StageState,
    ) -> RetryInput<'a> {
        gather(
            &self.model,
            pipeline,
            stage,
            self.retry_write(pipeline, &stage.stage_name),
            self.settings.read_only,
        )
    }

    /// A retry of this stage this dashboard sent and still follows.
    pub fn retry_write(&self, pipeline: &str, stage: &str) -> Option<OwnWrite> {
        self.retries
            .watches
            .get(&(pipeline.to_string(), stage.to_string()))
            .map(|watch| watch.state)
    }

    /// Whether a retry in this pipeline is being followed (it is then read more often).
    pub fn following_retry(&self, pipeline: &str) -> bool {
        self.retries.watches.keys().any(|(p, _)| p == pipeline)
    }

    /// A confirmed retry: sent unless one for the same stage is on its way or followed.
    pub(super) fn send_retry(&mut self, plan: RetryPlan, context: WriteContext) -> Vec<Command> {
        let key = (plan.pipeline_name.clone(), plan.stage_name.clone());
        if let Some(watch) = self.retries.watches.get(&key) {
            self.say(Tone::Warning, watch.state.explain("retry"));
            return Vec::new();
        }
        self.retries.watches.insert(key, Watch::sent(self.now));
        // The cursor stays on the retried stage while it runs, whatever else changes.
        self.ui.pipelines.chosen_stage = Some(plan.stage_name.clone());
        self.say(
            Tone::Running,
            format!(
                "Sending RetryStageExecution for {} / {} ({})…",
                plan.pipeline_name,
                plan.stage_name,
                plan.retry_mode.as_aws()
            ),
        );
        vec![Command::Send(Write::Retry { plan, context })]
    }

    pub(super) fn on_retry_answer(
        &mut self,
        plan: RetryPlan,
        result: Result<RetryReceipt, AwsError>,
    ) -> Vec<Command> {
        let key = (plan.pipeline_name.clone(), plan.stage_name.clone());
        let target = format!("{} / {}", plan.pipeline_name, plan.stage_name);
        match &result {
            Ok(receipt) => {
                self.say(
                    Tone::Good,
                    format!(
                        "Retry started: {target} in execution {}",
                        receipt.pipeline_execution_id
                    ),
                );
            }
            Err(error) if error.may_have_arrived => {
                self.say(
                    Tone::Warning,
                    format!(
                        "Retry of {target} sent; no answer ({error}): it may have been applied. Re-reading the stage…"
                    ),
                );
            }
            Err(error) => {
                self.say(Tone::Failed, format!("Retry of {target} failed: {error}"));
            }
        }
        watch::answer(&mut self.retries.watches, &key, &result, self.now);
        // Either way the stage has news: read it now, even before the bucket allows.
        let read = Read::CodePipeline(PipelineRead::State(plan.pipeline_name));
        let mut commands = self.poll();
        self.read_now(read, &mut commands);
        commands
    }

    /// Folds a fresh read of `pipeline` into the retries followed there; says how each
    /// that settled ended.
    pub(super) fn check_follow(&mut self, pipeline: &str) {
        let keys: Vec<(String, String)> = self
            .retries
            .watches
            .keys()
            .filter(|(p, _)| p == pipeline)
            .cloned()
            .collect();
        for key in keys {
            let Some(stage) = self
                .model
                .codepipeline
                .state(pipeline)
                .and_then(|state| state.stages.iter().find(|s| s.stage_name == key.1))
                .cloned()
            else {
                continue;
            };
            let Some(watch) = self.retries.watches.get_mut(&key) else {
                continue;
            };
            let seen = observe_stage(&stage, watch.sent);
            let Some(settled) = watch.observe(seen, self.now) else {
                continue;
            };
            self.retries.watches.remove(&key);
            let target = format!("{pipeline} / {}", key.1);
            let status = stage.status().cloned();
            let (tone, text) = match settled {
                Settled::Ended | Settled::TooLong => match &status {
                    Some(status) => (
                        status.tone(),
                        format!("{target}: {} after retry", status.word()),
                    ),
                    None => (Tone::Muted, format!("{target}: no longer followed")),
                },
                Settled::NeverShown => (
                    Tone::Warning,
                    format!(
                        "{target}: AWS accepted the retry, but the stage never showed it running; check before retrying again"
                    ),
                ),
                Settled::NoSign => (
                    Tone::Warning,
                    format!(
                        "{target}: AWS shows no sign of the unanswered retry: it was most likely not applied; r sends a new one"
                    ),
                ),
            };
            self.notice(&text);
            self.say(tone, text);
        }
    }
}

/// What a read of the stage says about a retry sent at `sent`: running, and whether the
/// retry left its mark (an action that changed after it was sent, or a new manual retry).
fn observe_stage(stage: &StageState, sent: Timestamp) -> Observed {
    let running = matches!(
        stage.status(),
        Some(StageStatus::InProgress | StageStatus::Stopping)
    );
    let changed_since = stage
        .actions
        .iter()
        .filter_map(|a| a.last_status_change)
        .any(|at| at > sent);
    Observed {
        running,
        marked: changed_since,
    }
}

fn question(plan: RetryPlan, context: WriteContext) -> Question {
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
    Question {
        title: title.to_string(),
        lines: vec![
            ("Pipeline".into(), plan.pipeline_name.clone()),
            ("Stage".into(), plan.stage_name.clone()),
            ("Execution".into(), plan.pipeline_execution_id.clone()),
            ("Mode".into(), mode_text.into()),
            ("Re-runs".into(), plan.reruns.join(", ")),
        ],
        warning,
        on_confirm: Write::Retry { plan, context },
    }
}
