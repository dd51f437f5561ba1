//! Folding CodePipeline's replies into its model, and what a failed read says.

use super::replies::slot;
use super::*;
use crate::action::{PipelineRead, PipelineReply};
use crate::model::Paged;

impl App {
    pub(super) fn fold_pipeline_reply(&mut self, reply: PipelineReply, at: Timestamp) {
        match reply {
            PipelineReply::Pipelines(Paged { items: list, .. }) => {
                let names: BTreeSet<String> = list.iter().map(|p| p.name.clone()).collect();
                self.model
                    .codepipeline
                    .states
                    .retain(|name, _| names.contains(name));
                self.model.codepipeline.list.succeed(list, at);
            }
            PipelineReply::State { pipeline, state } => {
                slot(&mut self.model.codepipeline.states, pipeline.clone()).succeed(state, at);
                if self.open_pipeline() == Some(pipeline.as_str()) {
                    self.select_failed_stage();
                }
                self.check_follow(&pipeline);
            }
            PipelineReply::Structure {
                pipeline,
                structure,
            } => {
                slot(&mut self.model.codepipeline.structures, pipeline).succeed(structure, at);
            }
            PipelineReply::PipelineHistory { pipeline, history } => {
                slot(&mut self.model.codepipeline.histories, pipeline).succeed(history, at);
            }
            PipelineReply::ActionRuns { pipeline, id, runs } => {
                slot(&mut self.model.codepipeline.action_runs, (pipeline, id))
                    .succeed(runs.items, at);
                self.select_failed_stage();
            }
            PipelineReply::PipelineExecution {
                pipeline,
                id,
                execution,
            } => {
                slot(&mut self.model.codepipeline.executions, (pipeline, id))
                    .succeed(execution, at);
            }
        }
    }

    pub(super) fn pipeline_read_failed(
        &mut self,
        read: &PipelineRead,
        at: Timestamp,
        error: &AwsError,
    ) {
        let message = error.message.clone();
        let focused = self.open_pipeline().map(str::to_string);
        match read {
            PipelineRead::ListPipelines => {
                self.model.codepipeline.list.fail(message.clone(), at);
                if !error.is_throttling() {
                    self.say(Tone::Failed, format!("Listing pipelines failed: {message}"));
                }
            }
            PipelineRead::State(name) => {
                slot(&mut self.model.codepipeline.states, name.clone()).fail(message.clone(), at);
                if focused.as_deref() == Some(name) && !error.is_throttling() {
                    self.say(Tone::Failed, format!("{name}: {message}"));
                }
            }
            PipelineRead::Structure(name) => {
                slot(&mut self.model.codepipeline.structures, name.clone()).fail(message, at);
            }
            PipelineRead::PipelineHistory(name) => {
                slot(&mut self.model.codepipeline.histories, name.clone()).fail(message, at);
            }
            PipelineRead::PipelineExecution { pipeline, id } => {
                slot(
                    &mut self.model.codepipeline.executions,
                    (pipeline.clone(), id.clone()),
                )
                .fail(message, at);
            }
            PipelineRead::ActionRuns { pipeline, id } => {
                slot(
                    &mut self.model.codepipeline.action_runs,
                    (pipeline.clone(), id.clone()),
                )
                .fail(message.clone(), at);
                if focused.as_deref() == Some(pipeline) {
                    self.say(
                        Tone::Failed,
                        format!("{pipeline}: execution history: {message}"),
                    );
                }
            }
        }
    }
}
