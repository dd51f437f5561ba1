//! What to read and how often: the wish list handed to the scheduler every tick.

use super::reader::Reading;
use super::why::Ran;
use super::*;
use crate::action::{BuildRead, LogsRead, PipelineRead, SfnRead};
use crate::model::{ActionStatus, Execution, ExecutionStatus};

/// How many executions, from the top of the list, are described (error, redrive status)
/// without being opened: about what a tall terminal shows.
const DESCRIBED_ROWS: usize = 40;
/// Read once, kept until something says it changed.
const ONCE: SignedDuration = SignedDuration::from_hours(24);
/// Soon: the data on screen is known to be behind.
const SOON: SignedDuration = SignedDuration::from_secs(5);

impl App {
    /// Reads wanted now, most urgent first, each with how often it repeats. Each service
    /// has its own quotas, so the order only matters within one.
    pub(super) fn wanted_reads(&self) -> Vec<Wish> {
        // The account never changes under the same credentials.
        let mut wanted = vec![Wish::urgent(Read::CallerIdentity, ONCE)];
        wanted.extend(self.pipeline_reads());
        wanted.extend(self.execution_reads());
        wanted.extend(self.why_reads());
        wanted
    }

    /// The builds and logs on screen now, for readers that read in rounds (screenshots,
    /// tests): what the dashboard would read next for them.
    pub fn why_reads_now(&self) -> Vec<Read> {
        self.why_reads().into_iter().map(|wish| wish.read).collect()
    }

    /// Builds and logs: only what is on screen (the chosen action's build and its log's
    /// tail in the pipeline view, the log or history open in the reader), never swept.
    /// A running build is read every few seconds; an ended one once, plus once more for
    /// the lines it wrote as it ended.
    fn why_reads(&self) -> Vec<Wish> {
        let every = &self.schedule.intervals;
        let mut wanted = Vec::new();
        let mut build = None;
        if let Some(reader) = &self.ui.reader {
            match &reader.reading {
                Reading::BuildLog { build: id } => build = Some(id.clone()),
                Reading::LambdaLog { source, .. } => wanted.push(Wish::urgent(
                    Read::Logs(LogsRead::Lines(source.clone())),
                    ONCE,
                )),
                Reading::History { .. } => {}
            }
        } else if let Some(chosen) = self.chosen()
            && matches!(
                chosen.action.status,
                Some(ActionStatus::Failed | ActionStatus::InProgress)
            )
            && let Some(Ran::Build(id)) = chosen.ran
        {
            // The chosen action of the open pipeline (there is none elsewhere).
            build = Some(id);
        }
        let Some(id) = build else {
            return wanted;
        };
        let read = self.model.codebuild.build(&id);
        let running = read.is_none_or(|b| b.running());
        let build_every = if running { every.following } else { ONCE };
        wanted.push(Wish::urgent(
            Read::CodeBuild(BuildRead::Build(id.clone())),
            build_every,
        ));
        if let Some(source) = self.build_log_source(&id) {
            let log_read = self
                .model
                .logs
                .logs
                .get(&source)
                .and_then(|t| t.loaded_at());
            let ended_after_read = read
                .and_then(|b| b.end)
                .zip(log_read)
                .is_some_and(|(end, at)| at < end + SignedDuration::from_secs(5));
            let log_every = if running {
                every.following
            } else if ended_after_read {
                SOON
            } else {
                ONCE
            };
            wanted.push(Wish::urgent(Read::Logs(LogsRead::Lines(source)), log_every));
        }
        wanted
    }

    fn pipeline_reads(&self) -> Vec<Wish> {
        let every = &self.schedule.intervals;
        let mut wanted = Vec::new();
        let focused = self.open_pipeline();
        if let Some(name) = focused {
            let state_every = if self.following_retry(name) {
                every.following
            } else {
                every.focused
            };
            wanted.push(Wish::urgent(
                Read::CodePipeline(PipelineRead::State(name.to_string())),
                state_every,
            ));
            // The structure must match the state's version; re-read it soon after a change.
            let structure_version = self
                .model
                .codepipeline
                .structure(name)
                .and_then(|s| s.version);
            let state_version = self
                .model
                .codepipeline
                .state(name)
                .and_then(|s| s.pipeline_version);
            let structure_every =
                if structure_version.is_some() && structure_version != state_version {
                    SignedDuration::from_secs(10)
                } else {
                    every.structure
                };
            wanted.push(Wish::urgent(
                Read::CodePipeline(PipelineRead::Structure(name.to_string())),
                structure_every,
            ));
            wanted.push(Wish::urgent(
                Read::CodePipeline(PipelineRead::PipelineHistory(name.to_string())),
                every.history,
            ));
            if let Some(id) = &self.ui.pipelines.execution {
                // A finished execution does not change; one still running is followed.
                let running = self
                    .model
                    .codepipeline
                    .history(name)
                    .iter()
                    .find(|e| &e.pipeline_execution_id == id)
                    .is_some_and(|e| e.status.tone() == Tone::Running);
                let runs_every = if running { every.focused } else { ONCE };
                let read = Read::CodePipeline(PipelineRead::ActionRuns {
                    pipeline: name.to_string(),
                    id: id.clone(),
                });
                wanted.push(Wish::urgent(read, runs_every));
            }
            // An execution's pipeline version never changes: read it once.
            let failed_runs = self.failed_run_reads(name);
            wanted.extend(failed_runs.into_iter().map(|read| Wish::urgent(read, ONCE)));
        }
        wanted.push(Wish::sweep(
            Read::CodePipeline(PipelineRead::ListPipelines),
            every.pipeline_list,
        ));
        // Writes followed, then work in progress, then the sweep. A pipeline never read
        // goes first whatever its place: the scheduler reads everything once first.
        let mut others: Vec<(u8, Wish)> = Vec::new();
        for name in self.model.codepipeline.pipeline_names() {
            if Some(name) == focused {
                continue;
            }
            let read = Read::CodePipeline(PipelineRead::State(name.to_string()));
            let health = overview(self.model.codepipeline.state(name)).health;
            let ranked = if self.following_retry(name) {
                (0, Wish::urgent(read, every.following))
            } else if health == Health::InProgress {
                (1, Wish::urgent(read, every.active))
            } else {
                (2, Wish::sweep(read, every.idle))
            };
            others.push(ranked);
            // The failed run's pipeline version decides a retry; it never changes.
            if health == Health::Failed {
                let runs = self.failed_run_reads(name);
                others.extend(runs.into_iter().map(|read| (2, Wish::sweep(read, ONCE))));
            }
        }
        others.sort_by_key(|(rank, _)| *rank);
        wanted.extend(others.into_iter().map(|(_, wish)| wish));
        wanted
    }

    fn execution_reads(&self) -> Vec<Wish> {
        let every = &self.schedule.intervals;
        let mut wanted = Vec::new();
        if let Some(arn) = self.focused_execution() {
            wanted.extend(self.open_execution_reads(&arn));
        }
        for arn in self.redrives.watches.keys() {
            wanted.push(Wish::urgent(
                Read::StepFunctions(SfnRead::DescribeExecution(arn.clone())),
                every.following,
            ));
        }
        wanted.push(Wish::sweep(
            Read::StepFunctions(SfnRead::StateMachines),
            every.pipeline_list,
        ));
        let lists = self.execution_list_reads();
        wanted.extend(
            lists
                .into_iter()
                .map(|read| Wish::sweep(read, every.executions)),
        );
        // The list's error and redrive columns come from DescribeExecution: on screen
        // when the executions are.
        let on_screen = !self.ui.view.is_pipelines_section();
        for row in self.execution_rows().into_iter().take(DESCRIBED_ROWS) {
            if let ExecutionRow::Execution { execution, .. } = row {
                let read = Read::StepFunctions(SfnRead::DescribeExecution(
                    execution.execution_arn.clone(),
                ));
                let every = self.describe_every(&execution);
                wanted.push(if on_screen {
                    Wish::urgent(read, every)
                } else {
                    Wish::sweep(read, every)
                });
            }
        }
        wanted
    }

    /// An execution on screen: its description, its history (read whole, once per change)
    /// and its Map Runs.
    fn open_execution_reads(&self, arn: &str) -> Vec<Wish> {
        let every = &self.schedule.intervals;
        let sfn = &self.model.sfn;
        let mut wanted = Vec::new();
        let execution = sfn.execution(arn);
        let running = execution.as_ref().is_some_and(|e| {
            matches!(
                e.status,
                ExecutionStatus::Running | ExecutionStatus::PendingRedrive
            )
        });
        let describe_every = if self.redrives.watches.contains_key(arn) {
            every.following
        } else if running {
            every.focused
        } else {
            every.executions
        };
        wanted.push(Wish::urgent(
            Read::StepFunctions(SfnRead::DescribeExecution(arn.to_string())),
            describe_every,
        ));
        let history = sfn.history(arn);
        let history_every = match (history, &execution) {
            (None, _) => SignedDuration::ZERO,
            // Redriven since it was read, or it has stopped since: read it again.
            (Some(h), Some(e))
                if e.redrive_count
                    .is_some_and(|n| n as usize != h.redrive_count) =>
            {
                SOON
            }
            (Some(h), _) if !h.ended && !running => SOON,
            (Some(_), _) if running => every.active,
            (Some(_), _) => ONCE,
        };
        wanted.push(Wish::urgent(
            Read::StepFunctions(SfnRead::ExecutionHistory(arn.to_string())),
            history_every,
        ));
        if history.is_some_and(|h| h.has_map_runs) {
            let map_runs_every = if running { every.active } else { ONCE };
            wanted.push(Wish::urgent(
                Read::StepFunctions(SfnRead::MapRuns(arn.to_string())),
                map_runs_every,
            ));
        }
        wanted
    }

    /// A stopped execution does not change until it is redriven: describe it once, and
    /// again only when the list says its status or redrive count moved.
    fn describe_every(&self, execution: &Execution) -> SignedDuration {
        let described = self.model.sfn.detail(&execution.execution_arn);
        match described {
            None => SignedDuration::ZERO,
            Some(detail)
                if detail.execution.status != execution.status
                    || detail.execution.redrive_count != execution.redrive_count =>
            {
                SOON
            }
            Some(_) if execution.status == ExecutionStatus::Running => {
                self.schedule.intervals.active
            }
            Some(_) => ONCE,
        }
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
