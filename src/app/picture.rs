//! What the whole picture of what is failing needs read, given what is known so far.
//! One statement for every reader: the dashboard's polling builds its wish list from
//! these, and the one-shot loaders (`report`, screenshots, tests) read them in rounds
//! until nothing new is wanted.

use super::*;
use crate::action::{PipelineRead, SfnRead};
use crate::model::{MachineType, StatusFilter};

/// The most ListExecutions returns in one page.
const ONE_PAGE: u16 = 1000;

/// How much of the picture a one-shot reader wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// What the two lists and a pipeline's view show: states with their structures, the
    /// failed runs' versions, the executions lists, each stopped execution described.
    Lists,
    /// What `report` says: no structures, but every stopped execution's whole history
    /// (its failed state) and its Map Runs; no descriptions.
    Report,
    /// `report --logs`: also each failure's log (a failed CodeBuild action's build and
    /// the end of its log, a failed Lambda task's invocation), and the structures of the
    /// failing pipelines, which say which actions are CodeBuild's.
    ReportWithLogs,
}

impl App {
    /// The reads that list everything: the account, the pipelines, the state machines.
    pub fn list_reads() -> [Read; 3] {
        [
            Read::CallerIdentity,
            Read::CodePipeline(PipelineRead::ListPipelines),
            Read::StepFunctions(SfnRead::StateMachines),
        ]
    }

    /// The pipeline executions in which `pipeline`'s stages failed: their pipeline
    /// version decides whether a retry is allowed. Read once; they never change.
    pub fn failed_run_reads(&self, pipeline: &str) -> Vec<Read> {
        self.model
            .codepipeline
            .failed_runs(pipeline)
            .into_iter()
            .map(|id| {
                Read::CodePipeline(PipelineRead::PipelineExecution {
                    pipeline: pipeline.to_string(),
                    id,
                })
            })
            .collect()
    }

    /// Each STANDARD state machine's executions (EXPRESS machines keep none to list: the
    /// API refuses): one unfiltered page of up to 1,000 while the machine is quiet, the
    /// statuses shown one by one once it holds more than that.
    pub fn execution_list_reads(&self) -> Vec<Read> {
        let filters = self.execution_filters();
        let sfn = &self.model.sfn;
        sfn.machine_list()
            .iter()
            .filter(|machine| machine.machine_type == MachineType::Standard)
            .flat_map(|machine| {
                let arn = &machine.state_machine_arn;
                if sfn.is_busy(arn) {
                    filters
                        .iter()
                        .map(|filter| self.executions_read(arn, *filter))
                        .collect()
                } else {
                    vec![Read::StepFunctions(SfnRead::Executions {
                        machine: arn.clone(),
                        filter: StatusFilter::Any,
                        limit: ONE_PAGE,
                    })]
                }
            })
            .collect()
    }

    /// What one execution's view shows: its description, its whole history, and its Map
    /// Runs once the history says it started any.
    pub fn execution_detail_reads(&self, arn: &str) -> Vec<Read> {
        let mut reads = vec![
            Read::StepFunctions(SfnRead::DescribeExecution(arn.to_string())),
            Read::StepFunctions(SfnRead::ExecutionHistory(arn.to_string())),
        ];
        if self.model.sfn.history(arn).is_some_and(|h| h.has_map_runs) {
            reads.push(Read::StepFunctions(SfnRead::MapRuns(arn.to_string())));
        }
        reads
    }

    /// Every read the picture at `depth` needs, given what has been read so far: after
    /// the lists come the states, after the states the failed runs, and so on.
    pub fn picture_reads(&self, depth: Depth) -> Vec<Read> {
        let mut reads = Self::list_reads().to_vec();
        for name in self.model.codepipeline.pipeline_names() {
            reads.push(Read::CodePipeline(PipelineRead::State(name.to_string())));
            if depth == Depth::Lists {
                reads.push(Read::CodePipeline(PipelineRead::Structure(
                    name.to_string(),
                )));
            }
            reads.extend(self.failed_run_reads(name));
        }
        reads.extend(self.execution_list_reads());
        for execution in self.model.sfn.executions(&StatusFilter::STOPPED_BADLY) {
            match depth {
                Depth::Lists => reads.push(Read::StepFunctions(SfnRead::DescribeExecution(
                    execution.execution_arn,
                ))),
                // The list says the status, dates and redrive count; the history says
                // the rest (the failed state, its error and cause, its length): no
                // DescribeExecution.
                Depth::Report | Depth::ReportWithLogs => {
                    let arn = execution.execution_arn;
                    reads.push(Read::StepFunctions(SfnRead::ExecutionHistory(arn.clone())));
                    if self.model.sfn.history(&arn).is_some_and(|h| h.has_map_runs) {
                        reads.push(Read::StepFunctions(SfnRead::MapRuns(arn)));
                    }
                }
            }
        }
        if depth == Depth::ReportWithLogs {
            reads.extend(self.failure_log_reads());
        }
        reads
    }

    /// The logs of what failed: for each failed CodeBuild action its build, then its
    /// log; for each failed Lambda task its invocation.
    fn failure_log_reads(&self) -> Vec<Read> {
        let codepipeline = &self.model.codepipeline;
        let mut reads = Vec::new();
        for name in codepipeline.pipeline_names() {
            let Some(state) = codepipeline.state(name) else {
                continue;
            };
            let failed: Vec<_> = state
                .stages
                .iter()
                .filter(|stage| stage.status() == Some(&crate::model::StageStatus::Failed))
                .collect();
            if failed.is_empty() {
                continue;
            }
            reads.push(Read::CodePipeline(PipelineRead::Structure(
                name.to_string(),
            )));
            let Some(structure) = codepipeline.structure(name) else {
                continue;
            };
            for stage in failed {
                for action in stage.actions_with(&crate::model::ActionStatus::Failed) {
                    let provider = structure.provider(&stage.stage_name, &action.action_name);
                    let (Some("CodeBuild"), Some(id)) =
                        (provider, action.external_execution_id.as_ref())
                    else {
                        continue;
                    };
                    reads.push(Read::CodeBuild(crate::action::BuildRead::Build(id.clone())));
                    if let Some(source) = self.build_log_source(id) {
                        reads.push(Read::Logs(crate::action::LogsRead::Lines(source)));
                    }
                }
            }
        }
        for execution in self.model.sfn.executions(&StatusFilter::STOPPED_BADLY) {
            if let Some(source) = self.lambda_log_source(&execution.execution_arn) {
                reads.push(Read::Logs(crate::action::LogsRead::Lines(source)));
            }
        }
        reads
    }
}
