//! How fresh the sweep is: whether every pipeline and every state machine has been read,
//! and within how long, for the header; and which rows are older than the sweep should
//! ever leave them, to mark them stale.

use super::*;
use crate::model::MachineType;

/// How much of one half of the picture has been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// The first picture: `read` of `of` read once so far.
    Reading { read: usize, of: usize },
    /// Every item read, the oldest this long ago.
    Within(SignedDuration),
}

impl Coverage {
    fn of(ages: impl Iterator<Item = Option<Timestamp>>, now: Timestamp) -> Option<Self> {
        let (mut read, mut of, mut oldest) = (0, 0, None::<Timestamp>);
        for loaded in ages {
            of += 1;
            if let Some(at) = loaded {
                read += 1;
                oldest = Some(oldest.map_or(at, |o| o.min(at)));
            }
        }
        match (of, oldest) {
            (0, _) => None,
            (_, Some(oldest)) if read == of => Some(Self::Within(now.duration_since(oldest))),
            _ => Some(Self::Reading { read, of }),
        }
    }
}

impl App {
    /// Every pipeline's state: read once, and within how long.
    pub fn pipeline_coverage(&self) -> Option<Coverage> {
        let codepipeline = &self.model.codepipeline;
        let ages = codepipeline
            .pipeline_names()
            .into_iter()
            .map(|name| codepipeline.states.get(name).and_then(|t| t.loaded_at()));
        Coverage::of(ages, self.now)
    }

    /// Every STANDARD state machine's executions: read once, and within how long.
    pub fn machine_coverage(&self) -> Option<Coverage> {
        let ages = self
            .model
            .sfn
            .machine_list()
            .iter()
            .filter(|m| m.machine_type == MachineType::Standard)
            .map(|machine| self.model.sfn.listed_at(&machine.state_machine_arn));
        Coverage::of(ages, self.now)
    }

    /// Whether the machine's executions on screen are older than the sweep should leave
    /// them.
    pub fn machine_is_stale(&self, machine: &str) -> bool {
        self.model
            .sfn
            .listed_at(machine)
            .is_some_and(|at| self.now.duration_since(at) > self.stale_after())
    }

    /// How old a pipeline's row may grow before it is marked stale: well past what the
    /// sweep's budget should ever leave it.
    pub fn stale_after(&self) -> SignedDuration {
        let items =
            self.model.codepipeline.pipeline_names().len() + self.model.sfn.machine_list().len();
        let sweep = self
            .schedule
            .budget_rate()
            .map_or(SignedDuration::ZERO, |rate| {
                SignedDuration::from_secs_f64(items as f64 / rate.max(0.01))
            });
        (sweep * 2).max(self.schedule.intervals.idle * 3)
    }

    /// Whether the pipeline's row is older than the sweep should leave it.
    pub fn pipeline_is_stale(&self, name: &str) -> bool {
        self.model
            .codepipeline
            .states
            .get(name)
            .and_then(|t| t.loaded_at())
            .is_some_and(|at| self.now.duration_since(at) > self.stale_after())
    }
}
