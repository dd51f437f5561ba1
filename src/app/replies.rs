//! Folding AWS replies into the model, keeping the last good data when a read fails.

use super::*;
use crate::model::{Paged, Tracked};

/// The tracked dataset for `key`, made empty on first use.
fn slot<K: Ord, T>(map: &mut BTreeMap<K, Tracked<T>>, key: K) -> &mut Tracked<T> {
    map.entry(key).or_default()
}

impl App {
    pub(super) fn on_loaded(&mut self, at: Timestamp, result: Loaded) -> Vec<Command> {
        let (read, outcome) = match &result {
            Loaded::Answered(reply) => (reply.read(), Outcome::Ok),
            Loaded::Failed(unread) if unread.error.is_throttling() => {
                (unread.read.clone(), Outcome::Throttled)
            }
            Loaded::Failed(unread) => (unread.read.clone(), Outcome::Failed),
        };
        self.schedule.finished(&read, self.now, outcome);
        let error = match &result {
            Loaded::Answered(reply) => {
                self.note_cut(&read, reply.cut());
                None
            }
            Loaded::Failed(unread) => Some(unread.error.clone()),
        };
        match result {
            Loaded::Answered(Reply::Identity(identity)) => {
                self.model.identity.succeed(identity, at);
            }
            Loaded::Answered(Reply::Pipelines(Paged { items: list, .. })) => {
                let names: BTreeSet<String> = list.iter().map(|p| p.name.clone()).collect();
                self.model
                    .codepipeline
                    .states
                    .retain(|name, _| names.contains(name));
                if list.is_empty() {
                    self.say(Tone::Muted, "No pipelines in this region");
                }
                self.model.codepipeline.list.succeed(list, at);
            }
            Loaded::Answered(Reply::State { pipeline, state }) => {
                slot(&mut self.model.codepipeline.states, pipeline.clone()).succeed(state, at);
                if self.open_pipeline() == Some(pipeline.as_str()) {
                    self.select_failed_stage();
                }
                self.check_follow(&pipeline);
            }
            Loaded::Answered(Reply::Structure {
                pipeline,
                structure,
            }) => {
                slot(&mut self.model.codepipeline.structures, pipeline).succeed(structure, at);
            }
            Loaded::Answered(Reply::PipelineHistory { pipeline, history }) => {
                slot(&mut self.model.codepipeline.histories, pipeline).succeed(history, at);
            }
            Loaded::Answered(Reply::ActionRuns { pipeline, id, runs }) => {
                slot(&mut self.model.codepipeline.action_runs, (pipeline, id))
                    .succeed(runs.items, at);
                self.select_failed_stage();
            }
            Loaded::Answered(Reply::PipelineExecution {
                pipeline,
                id,
                execution,
            }) => {
                slot(&mut self.model.codepipeline.executions, (pipeline, id))
                    .succeed(execution, at);
            }
            Loaded::Answered(Reply::StateMachines(machines)) => {
                self.model.sfn.machines.succeed(machines.items, at);
            }
            Loaded::Answered(Reply::Executions {
                machine,
                filter,
                executions,
                more,
                ..
            }) => {
                let key = (machine, filter);
                if more {
                    self.model.sfn.more.insert(key.clone());
                } else {
                    self.model.sfn.more.remove(&key);
                }
                slot(&mut self.model.sfn.lists, key).succeed(executions, at);
            }
            Loaded::Answered(Reply::ExecutionDetail { arn, detail }) => {
                slot(&mut self.model.sfn.details, arn.clone()).succeed(detail, at);
                self.check_follow_execution(&arn);
            }
            Loaded::Answered(Reply::ExecutionHistory { arn, history }) => {
                slot(&mut self.model.sfn.histories, arn).succeed(history, at);
            }
            Loaded::Answered(Reply::MapRuns { arn, runs }) => {
                slot(&mut self.model.sfn.map_runs, arn).succeed(runs.items, at);
            }
            Loaded::Failed(Unread { read, error }) => self.record_failure(read, at, error),
        }
        if let Some(error) = error.filter(|e| e.is_throttling()) {
            let resume = self
                .schedule
                .paused_until(self.now)
                .map(|until| until.duration_since(self.now).as_secs().max(1))
                .unwrap_or(1);
            self.say(
                Tone::Warning,
                format!("{error} (next try in {resume}s; data on screen is kept, with its age)"),
            );
        }
        // An open dialog must still be true to the newest data.
        self.recheck_dialog();
        Vec::new()
    }

    /// Remembers which listings stopped before AWS's last page (and forgets those that
    /// reached it since), and says so once when it first happens.
    fn note_cut(&mut self, read: &Read, cut: Option<&str>) {
        match cut {
            None => {
                self.cut_short.remove(read);
            }
            Some(cut) => {
                let new = self.cut_short.insert(read.clone(), cut.to_string());
                if new.as_deref() != Some(cut) {
                    self.say(Tone::Warning, format!("{}: {cut}", read.describe()));
                }
            }
        }
    }

    pub(super) fn record_failure(&mut self, read: Read, at: Timestamp, error: AwsError) {
        let message = error.message.clone();
        let focused = self.open_pipeline().map(str::to_string);
        match &read {
            Read::CallerIdentity => {
                // Writes still name the account from the target's ARN; say why it is missing.
                self.model.identity.fail(message.clone(), at);
                if !error.is_throttling() {
                    self.say(Tone::Warning, format!("Cannot tell the account: {message}"));
                }
            }
            Read::ListPipelines => {
                self.model.codepipeline.list.fail(message.clone(), at);
                if !error.is_throttling() {
                    self.say(Tone::Failed, format!("Listing pipelines failed: {message}"));
                }
            }
            Read::State(name) => {
                slot(&mut self.model.codepipeline.states, name.clone()).fail(message.clone(), at);
                if focused.as_deref() == Some(name) && !error.is_throttling() {
                    self.say(Tone::Failed, format!("{name}: {message}"));
                }
            }
            Read::Structure(name) => {
                slot(&mut self.model.codepipeline.structures, name.clone()).fail(message, at);
            }
            Read::PipelineHistory(name) => {
                slot(&mut self.model.codepipeline.histories, name.clone()).fail(message, at);
            }
            Read::PipelineExecution { pipeline, id } => {
                slot(
                    &mut self.model.codepipeline.executions,
                    (pipeline.clone(), id.clone()),
                )
                .fail(message, at);
            }
            Read::ActionRuns { pipeline, id } => {
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
            Read::StateMachines => {
                self.model.sfn.machines.fail(message.clone(), at);
                if !error.is_throttling() {
                    self.say(
                        Tone::Failed,
                        format!("Listing state machines failed: {message}"),
                    );
                }
            }
            Read::Executions {
                machine, filter, ..
            } => {
                slot(&mut self.model.sfn.lists, (machine.clone(), *filter))
                    .fail(message.clone(), at);
                if !self.ui.view.is_pipelines_section() && !error.is_throttling() {
                    let name = self
                        .model
                        .sfn
                        .machine(machine)
                        .map_or(machine.as_str(), |m| &m.name);
                    let text = format!("{name}: listing executions failed: {message}");
                    self.say(Tone::Failed, text);
                }
            }
            Read::DescribeExecution(arn) | Read::ExecutionHistory(arn) | Read::MapRuns(arn) => {
                let sfn = &mut self.model.sfn;
                match &read {
                    Read::DescribeExecution(_) => {
                        slot(&mut sfn.details, arn.clone()).fail(message.clone(), at)
                    }
                    Read::ExecutionHistory(_) => {
                        slot(&mut sfn.histories, arn.clone()).fail(message.clone(), at)
                    }
                    _ => slot(&mut sfn.map_runs, arn.clone()).fail(message.clone(), at),
                }
                if self.ui.view == View::Execution(arn.clone()) && !error.is_throttling() {
                    self.say(Tone::Failed, message);
                }
            }
        }
    }
}
