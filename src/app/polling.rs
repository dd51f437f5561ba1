//! What to read and how often: the wish list handed to the scheduler every tick.

use super::*;

impl App {
    /// Reads wanted now, most urgent first, each with how often it repeats.
    pub(super) fn wanted_reads(&self) -> Vec<(Read, SignedDuration)> {
        let every = &self.schedule.intervals;
        let mut wanted = Vec::new();
        let focused = self.open_pipeline();
        if let Some(name) = focused {
            let state_every = if self.following.contains_key(name) {
                every.following
            } else {
                every.focused
            };
            wanted.push((Read::State(name.to_string()), state_every));
            // The structure must match the state's version; re-read it soon after a change.
            let structure_version = self.model.structure(name).and_then(|s| s.version);
            let state_version = self.model.state(name).and_then(|s| s.pipeline_version);
            let structure_every =
                if structure_version.is_some() && structure_version != state_version {
                    SignedDuration::from_secs(10)
                } else {
                    every.structure
                };
            wanted.push((Read::Structure(name.to_string()), structure_every));
            wanted.push((Read::History(name.to_string()), every.history));
            if let Some(id) = &self.ui.execution {
                // A finished execution does not change; one still running is followed.
                let running = self
                    .model
                    .history(name)
                    .iter()
                    .find(|e| &e.pipeline_execution_id == id)
                    .is_some_and(|e| e.status.tone() == Tone::Running);
                let runs_every = if running {
                    every.focused
                } else {
                    SignedDuration::from_hours(24)
                };
                let key = (name.to_string(), id.clone());
                wanted.push((
                    Read::ActionRuns {
                        pipeline: key.0.clone(),
                        id: key.1.clone(),
                    },
                    runs_every,
                ));
            }
            for stage in self
                .model
                .state(name)
                .map(|s| s.stages.as_slice())
                .unwrap_or_default()
            {
                if let Some(run) = stage
                    .latest_execution
                    .as_ref()
                    .filter(|r| r.status == StageStatus::Failed)
                {
                    // An execution's pipeline version never changes: read it once.
                    wanted.push((
                        Read::Execution {
                            pipeline: name.to_string(),
                            id: run.pipeline_execution_id.clone(),
                        },
                        SignedDuration::from_hours(24),
                    ));
                }
            }
        }
        wanted.push((Read::ListPipelines, every.pipeline_list));
        let mut others: Vec<(u8, Read, SignedDuration)> = self
            .model
            .pipeline_names()
            .into_iter()
            .filter(|name| Some(*name) != focused)
            .map(|name| {
                let health = overview(self.model.state(name)).health;
                let (rank, interval) = if self.following.contains_key(name) {
                    (0, every.following)
                } else if self.model.state(name).is_none() {
                    (1, every.idle)
                } else if matches!(health, Health::Failed | Health::InProgress) {
                    (2, every.active)
                } else {
                    (3, every.idle)
                };
                (rank, Read::State(name.to_string()), interval)
            })
            .collect();
        others.sort_by_key(|(rank, _, _)| *rank);
        wanted.extend(others.into_iter().map(|(_, read, every)| (read, every)));
        wanted
    }

    pub(super) fn poll(&mut self) -> Vec<Command> {
        let wanted = self.wanted_reads();
        self.schedule
            .due(self.now, &wanted)
            .into_iter()
            .map(Command::Fetch)
            .collect()
    }
}
