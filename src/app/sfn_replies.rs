//! Folding Step Functions' replies into its model, and what a failed read says.

use super::replies::slot;
use super::*;
use crate::action::{SfnRead, SfnReply};

impl App {
    pub(super) fn fold_sfn_reply(&mut self, reply: SfnReply, at: Timestamp) {
        match reply {
            SfnReply::StateMachines(machines) => {
                self.model.sfn.machines.succeed(machines.items, at);
            }
            SfnReply::Executions {
                machine,
                filter,
                executions,
                more,
                ..
            } => {
                let key = (machine, filter);
                if more {
                    self.model.sfn.more.insert(key.clone());
                } else {
                    self.model.sfn.more.remove(&key);
                }
                slot(&mut self.model.sfn.lists, key).succeed(executions, at);
            }
            SfnReply::ExecutionDetail { arn, detail } => {
                slot(&mut self.model.sfn.details, arn.clone()).succeed(*detail, at);
                self.check_follow_execution(&arn);
            }
            SfnReply::ExecutionHistory { arn, history } => {
                slot(&mut self.model.sfn.histories, arn).succeed(*history, at);
            }
            SfnReply::MapRuns { arn, runs } => {
                slot(&mut self.model.sfn.map_runs, arn).succeed(runs.items, at);
            }
        }
    }

    pub(super) fn sfn_read_failed(&mut self, read: &SfnRead, at: Timestamp, error: &AwsError) {
        let message = error.message.clone();
        match read {
            SfnRead::StateMachines => {
                self.model.sfn.machines.fail(message.clone(), at);
                if !error.is_throttling() {
                    self.say(
                        Tone::Failed,
                        format!("Listing state machines failed: {message}"),
                    );
                }
            }
            SfnRead::Executions {
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
            SfnRead::DescribeExecution(arn)
            | SfnRead::ExecutionHistory(arn)
            | SfnRead::MapRuns(arn) => {
                let sfn = &mut self.model.sfn;
                match read {
                    SfnRead::DescribeExecution(_) => {
                        slot(&mut sfn.details, arn.clone()).fail(message.clone(), at)
                    }
                    SfnRead::ExecutionHistory(_) => {
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
