//! The bell (config `bell`): a failure that happened since the dashboard started, and
//! the end of a write it followed, ring the terminal once each, with a desktop notice
//! where the terminal offers one. Failures from before it started are what the person
//! came to look at; they do not ring.

use super::*;
use crate::model::StatusFilter;

impl App {
    /// Rings for `text` after this reply, when the bell is on.
    pub(super) fn notice(&mut self, text: &str) {
        if self.bell {
            self.notices.push(text.to_string());
        }
    }

    /// Notes each failure that is new since the start and not yet rung for.
    pub(super) fn notice_failures(&mut self) {
        if !self.bell {
            return;
        }
        let mut new = Vec::new();
        for (name, tracked) in &self.model.codepipeline.states {
            let view = overview(tracked.data.as_ref());
            if view.health == Health::Failed
                && let Some(at) = view.last_change.filter(|at| *at > self.started)
            {
                new.push((format!("pipeline {name} {at}"), format!("{name} failed")));
            }
        }
        for execution in self.model.sfn.executions(&StatusFilter::STOPPED_BADLY) {
            if execution.stop_date.is_some_and(|at| at > self.started) {
                let text = format!("{} {}", execution.name, execution.status.word());
                new.push((execution.execution_arn.clone(), text));
            }
        }
        for (key, text) in new {
            if self.announced.insert(key) {
                self.notices.push(text);
            }
        }
    }

    /// From now on, as at the start: what has failed already is not news (the dashboard
    /// moved to another place, whose failures the person has not seen yet but came to
    /// look at).
    pub(super) fn forget_failures_seen(&mut self) {
        self.started = self.now;
        self.announced.clear();
    }

    /// The bell for what was noted, once.
    pub(super) fn take_notices(&mut self) -> Vec<Command> {
        if self.notices.is_empty() {
            return Vec::new();
        }
        let text = std::mem::take(&mut self.notices).join("; ");
        vec![Command::Notify(text)]
    }
}
