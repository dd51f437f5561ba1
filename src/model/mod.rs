//! Domain types and the data the dashboard holds. Nothing here talks to AWS.

pub mod build;
pub mod clock;
pub mod codepipeline;
pub mod execution;
pub mod failure;
pub mod freshness;
pub mod history;
pub mod identity;
pub mod links;
pub mod logs;
pub mod overview;
pub mod paged;
pub mod pipeline;
pub mod receipt;
pub mod regions;
pub mod scopes;
pub mod sfn;
pub mod status;
pub mod text;
pub mod timeline;

pub use build::{Build, BuildLog, BuildPhase, CodeBuildModel};
pub use clock::TimeDisplay;
pub use codepipeline::CodePipelineModel;
pub use execution::*;
pub use failure::{CaughtFrom, Failure, LambdaCall, PathStep, find_failure, pretty_cause};
pub use freshness::{Freshness, Tracked, ago, span};
pub use history::{ActionRun, stages_of_execution, version_of_execution};
pub use identity::CallerIdentity;
pub use logs::{LogLine, LogLines, LogSource, LogsModel};
pub use paged::Paged;
pub use pipeline::*;
pub use receipt::{RedriveReceipt, RetryReceipt};
pub use sfn::{ExecutionHistory, SfnModel};
pub use status::{
    ActionStatus, ExecutionStatus, PipelineExecutionStatus, RedriveStatus, StageStatus, StatusLook,
    Tone,
};

/// Everything fetched from AWS, each piece with its freshness, one part per service.
/// Owned by `App` alone.
#[derive(Debug, Default)]
pub struct Model {
    /// Whose credentials these are (STS GetCallerIdentity): the account every write goes to.
    pub identity: Tracked<CallerIdentity>,
    pub codepipeline: CodePipelineModel,
    pub sfn: SfnModel,
    /// Builds that pipeline actions ran, read when one is on screen.
    pub codebuild: CodeBuildModel,
    /// Logs, read only when a person opens them.
    pub logs: LogsModel,
}
