//! CodePipeline's reads, and the replies that answer them.

use crate::model::{
    ActionRun, Paged, PipelineExecution, PipelineState, PipelineStructure, PipelineSummary,
};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PipelineRead {
    ListPipelines,
    State(String),
    Structure(String),
    PipelineHistory(String),
    PipelineExecution { pipeline: String, id: String },
    ActionRuns { pipeline: String, id: String },
}

impl PipelineRead {
    /// The read in a few words, for a status line.
    pub fn describe(&self) -> String {
        match self {
            Self::ListPipelines => "Listing pipelines".into(),
            Self::State(name) | Self::Structure(name) | Self::PipelineHistory(name) => name.clone(),
            Self::PipelineExecution { pipeline, id } | Self::ActionRuns { pipeline, id } => {
                format!("{pipeline} execution {id}")
            }
        }
    }

    /// The API call as AWS names it, and what it reads.
    pub fn operation(&self) -> (&'static str, Option<String>) {
        match self {
            Self::ListPipelines => ("ListPipelines", None),
            Self::State(name) => ("GetPipelineState", Some(name.clone())),
            Self::Structure(name) => ("GetPipeline", Some(name.clone())),
            Self::PipelineHistory(name) => ("ListPipelineExecutions", Some(name.clone())),
            Self::PipelineExecution { pipeline, id } => {
                ("GetPipelineExecution", Some(format!("{pipeline} {id}")))
            }
            Self::ActionRuns { pipeline, id } => {
                ("ListActionExecutions", Some(format!("{pipeline} {id}")))
            }
        }
    }
}

#[derive(Debug, Clone)]
pub enum PipelineReply {
    Pipelines(Paged<PipelineSummary>),
    State {
        pipeline: String,
        state: PipelineState,
    },
    Structure {
        pipeline: String,
        structure: PipelineStructure,
    },
    PipelineHistory {
        pipeline: String,
        history: Vec<PipelineExecution>,
    },
    PipelineExecution {
        pipeline: String,
        id: String,
        execution: PipelineExecution,
    },
    ActionRuns {
        pipeline: String,
        id: String,
        runs: Paged<ActionRun>,
    },
}

impl PipelineReply {
    /// The read this answers.
    pub fn read(&self) -> PipelineRead {
        match self {
            Self::Pipelines(_) => PipelineRead::ListPipelines,
            Self::State { pipeline, .. } => PipelineRead::State(pipeline.clone()),
            Self::Structure { pipeline, .. } => PipelineRead::Structure(pipeline.clone()),
            Self::PipelineHistory { pipeline, .. } => {
                PipelineRead::PipelineHistory(pipeline.clone())
            }
            Self::PipelineExecution { pipeline, id, .. } => PipelineRead::PipelineExecution {
                pipeline: pipeline.clone(),
                id: id.clone(),
            },
            Self::ActionRuns { pipeline, id, .. } => PipelineRead::ActionRuns {
                pipeline: pipeline.clone(),
                id: id.clone(),
            },
        }
    }

    /// Why a listing stopped before AWS's last page, if it did.
    pub fn cut(&self) -> Option<&str> {
        match self {
            Self::Pipelines(paged) => paged.cut.as_deref(),
            Self::ActionRuns { runs, .. } => runs.cut.as_deref(),
            _ => None,
        }
    }
}
