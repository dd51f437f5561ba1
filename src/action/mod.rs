//! The one vocabulary: what can happen (`Action`) and what the app asks for (`Command`).
//! Each service's reads and replies live in its own file.

mod codebuild;
mod codepipeline;
mod logs;
mod sfn;

pub use codebuild::{BuildRead, BuildReply};
pub use codepipeline::{PipelineRead, PipelineReply};
pub use logs::{LogsRead, LogsReply};
pub use sfn::{SfnRead, SfnReply};

use jiff::Timestamp;
use ratatui::crossterm::event::KeyEvent;

use crate::aws::AwsError;
use crate::eligibility::{RedrivePlan, RetryPlan};
use crate::model::{CallerIdentity, RedriveReceipt, RetryReceipt};

/// A signal that ends the dashboard; the exit status is 128 + its number, as shells expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopSignal {
    Hangup,
    Interrupt,
    Quit,
    Terminate,
}

impl StopSignal {
    pub fn number(self) -> u8 {
        match self {
            StopSignal::Hangup => 1,
            StopSignal::Interrupt => 2,
            StopSignal::Quit => 3,
            StopSignal::Terminate => 15,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            StopSignal::Hangup => "SIGHUP",
            StopSignal::Interrupt => "SIGINT",
            StopSignal::Quit => "SIGQUIT",
            StopSignal::Terminate => "SIGTERM",
        }
    }
}

/// What a person wants, after the key map has read the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Up,
    Down,
    Top,
    Bottom,
    Open,
    Back,
    SwitchView,
    Filter,
    Refresh,
    Help,
    Quit,
    RetryFailed,
    RetryAll,
    OlderExecution,
    NewerExecution,
    Redrive,
    /// Also list running executions, and those a redrive fixed.
    ToggleRunning,
    /// List more executions of the selected execution's state machine.
    ListMore,
    Confirm,
    Cancel,
    /// Choose another action of the selected stage.
    PreviousAction,
    NextAction,
    /// The chosen CodeBuild action's build log, or the failed Lambda task's log.
    OpenLog,
    /// The execution's whole history as a timeline.
    OpenHistory,
    PageUp,
    PageDown,
    NextMatch,
    PreviousMatch,
    NextError,
    ToggleFollow,
    /// Copy to the person's own clipboard (OSC 52): the console link, the ARN or id, the error.
    CopyLink,
    CopyArn,
    CopyError,
    /// Show times as ages, local times or UTC.
    Times,
    /// Order the lists another way.
    Sort,
    /// Open the command line (`:`).
    CommandLine,
}

/// Editing the command line while `:` is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandEdit {
    Insert(char),
    Backspace,
    /// Tab: complete the word under the cursor.
    Complete,
    /// Up/Down: an earlier or later command typed this session.
    Recall {
        older: bool,
    },
    /// Enter: run it.
    Run,
    /// Esc: close it, run nothing.
    Cancel,
}

/// Where unstick reads and writes: a profile and a region. `None` leaves the choice to
/// the SDK's chain (AWS_PROFILE, AWS_REGION, the profile's own region).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Place {
    pub profile: Option<String>,
    pub region: Option<String>,
}

impl Place {
    /// "profile prod, region eu-west-1"; just the region when no profile is named.
    pub fn describe(&self) -> String {
        let region = self.region.as_deref().unwrap_or("no region");
        match &self.profile {
            Some(profile) => format!("profile {profile}, region {region}"),
            None => format!("region {region}"),
        }
    }
}

/// Editing the filter line while `/` is active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterEdit {
    Insert(char),
    Backspace,
    /// Enter: keep the filter, stop typing.
    Accept,
    /// Esc: drop the filter.
    Clear,
}

#[derive(Debug, Clone)]
pub enum Action {
    /// A raw key; `App::update` resolves it through the key map for the current mode.
    Key(KeyEvent),
    Intent(Intent),
    Filter(FilterEdit),
    Command(CommandEdit),
    /// The clock moved: refresh "ago" labels and start reads that are due.
    Tick(Timestamp),
    /// The terminal changed size (it has `rows` rows); the next frame adapts.
    Resize {
        rows: u16,
    },
    /// A frame reached the screen. `dialog_whole`: the open dialog, if any, was drawn
    /// with every line of its target (a tiny terminal cannot show it).
    Drawn {
        dialog_whole: bool,
    },
    /// What the last frame measured that the app cannot know by itself: how far the
    /// execution detail can scroll at this terminal's width (its wrapped lines less
    /// those that fit). Sent when it changes.
    Measured {
        detail_scroll_limit: u16,
    },
    /// The pause after a dialog was first drawn whole has passed: from now on, and only
    /// now, a key can answer dialog `0`. Keys that arrived before this never do.
    Arm(u64),
    /// Text pasted into the terminal (bracketed paste): never read as keys.
    Paste(String),
    /// The process was asked to stop (SIGTERM, SIGHUP, SIGINT, SIGQUIT).
    Signal(StopSignal),
    Loaded {
        at: Timestamp,
        result: Loaded,
    },
    /// AWS answered a write (or the answer was lost: see `AwsError::may_have_arrived`).
    WriteAnswered(Answered),
    /// The runner now reads and writes in this place (the profile and region the SDK
    /// settled on), or could not move there and stays where it was.
    Connected(Result<Place, AwsError>),
}

/// A write a person confirmed, as the runner sends it: exactly once, audited.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    Retry {
        plan: RetryPlan,
        context: WriteContext,
    },
    /// The client token is made when the person is asked, and recorded before sending.
    Redrive {
        plan: RedrivePlan,
        client_token: String,
        context: WriteContext,
    },
}

/// How AWS answered a write: the plan it carried out, and AWS's reply to it.
#[derive(Debug, Clone)]
pub enum Answered {
    Retry {
        plan: RetryPlan,
        result: Result<RetryReceipt, AwsError>,
    },
    Redrive {
        plan: RedrivePlan,
        client_token: String,
        result: Result<RedriveReceipt, AwsError>,
    },
}

/// A read the poller can schedule. Also the key under which it is tracked. Each
/// service has its own reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read {
    /// STS GetCallerIdentity: the account, read once.
    CallerIdentity,
    CodePipeline(PipelineRead),
    StepFunctions(SfnRead),
    CodeBuild(BuildRead),
    Logs(LogsRead),
}

/// How many executions of one status a machine's list shows: the first by default, each
/// `m` the next (ListExecutions returns at most 1,000 a page, and its quota is the
/// account's tightest, so the list grows only when the person asks).
pub const EXECUTION_LIMITS: [u16; 4] = [25, 100, 250, 1000];

/// Which of AWS's rate limits a read counts against; each is paced on its own, so every
/// lane works at once. Step Functions publishes a bucket per API; CodePipeline one for
/// the account (assumed: AWS publishes none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Quota {
    /// STS, for the account id only.
    Sts,
    CodePipeline,
    ListStateMachines,
    /// The tightest bucket in Step Functions (2 per second outside its largest regions).
    ListExecutions,
    DescribeExecution,
    ExecutionHistory,
    /// ListMapRuns and DescribeMapRun (1 per second each).
    MapRuns,
    /// BatchGetBuilds (CodeBuild publishes no rate).
    CodeBuild,
    /// CloudWatch Logs: 25 per second per account and region.
    GetLogEvents,
    /// CloudWatch Logs: 5 per second per account and region.
    FilterLogEvents,
}

impl Quota {
    pub const ALL: [Quota; 10] = [
        Quota::Sts,
        Quota::CodePipeline,
        Quota::ListStateMachines,
        Quota::ListExecutions,
        Quota::DescribeExecution,
        Quota::ExecutionHistory,
        Quota::MapRuns,
        Quota::CodeBuild,
        Quota::GetLogEvents,
        Quota::FilterLogEvents,
    ];

    /// The API (or service) as AWS names it.
    pub fn name(self) -> &'static str {
        match self {
            Quota::Sts => "GetCallerIdentity",
            Quota::CodePipeline => "CodePipeline",
            Quota::ListStateMachines => "ListStateMachines",
            Quota::ListExecutions => "ListExecutions",
            Quota::DescribeExecution => "DescribeExecution",
            Quota::ExecutionHistory => "GetExecutionHistory",
            Quota::MapRuns => "ListMapRuns",
            Quota::CodeBuild => "BatchGetBuilds",
            Quota::GetLogEvents => "GetLogEvents",
            Quota::FilterLogEvents => "FilterLogEvents",
        }
    }
}

impl Read {
    /// The read in a few words, for a status line.
    pub fn describe(&self) -> String {
        match self {
            Read::CallerIdentity => "Account".into(),
            Read::CodePipeline(read) => read.describe(),
            Read::StepFunctions(read) => read.describe(),
            Read::CodeBuild(read) => read.describe(),
            Read::Logs(read) => read.describe(),
        }
    }

    /// The API call as AWS names it, and what it reads.
    pub fn operation(&self) -> (&'static str, Option<String>) {
        match self {
            Read::CallerIdentity => ("GetCallerIdentity", None),
            Read::CodePipeline(read) => read.operation(),
            Read::StepFunctions(read) => read.operation(),
            Read::CodeBuild(read) => read.operation(),
            Read::Logs(read) => read.operation(),
        }
    }

    pub fn quota(&self) -> Quota {
        match self {
            Read::CallerIdentity => Quota::Sts,
            Read::CodePipeline(_) => Quota::CodePipeline,
            Read::StepFunctions(read) => read.quota(),
            Read::CodeBuild(read) => read.quota(),
            Read::Logs(read) => read.quota(),
        }
    }
}

/// What a read brought back. Each reply names the read it answers and carries that
/// read's data, so no reply can be folded in as the answer to another read.
#[derive(Debug, Clone)]
pub enum Reply {
    Identity(CallerIdentity),
    CodePipeline(PipelineReply),
    StepFunctions(SfnReply),
    CodeBuild(BuildReply),
    Logs(LogsReply),
}

impl Reply {
    /// The read this answers.
    pub fn read(&self) -> Read {
        match self {
            Reply::Identity(_) => Read::CallerIdentity,
            Reply::CodePipeline(reply) => Read::CodePipeline(reply.read()),
            Reply::StepFunctions(reply) => Read::StepFunctions(reply.read()),
            Reply::CodeBuild(reply) => Read::CodeBuild(reply.read()),
            Reply::Logs(reply) => Read::Logs(reply.read()),
        }
    }

    /// Why a listing stopped before AWS's last page, if it did.
    pub fn cut(&self) -> Option<&str> {
        match self {
            Reply::Identity(_) => None,
            Reply::CodePipeline(reply) => reply.cut(),
            Reply::StepFunctions(reply) => reply.cut(),
            Reply::CodeBuild(_) => None,
            Reply::Logs(reply) => reply.cut(),
        }
    }
}

/// A read that failed, and why.
#[derive(Debug, Clone)]
pub struct Unread {
    pub read: Read,
    pub error: AwsError,
}

/// The outcome of one read, as `Action::Loaded` carries it.
#[derive(Debug, Clone)]
pub enum Loaded {
    Answered(Reply),
    Failed(Unread),
}

/// Pairs a failure with the read it befell.
pub fn loaded(read: Read, result: Result<Reply, AwsError>) -> Loaded {
    match result {
        Ok(reply) => Loaded::Answered(reply),
        Err(error) => Loaded::Failed(Unread { read, error }),
    }
}

/// Who is asking, for the audit log, and in which connection the person confirmed it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WriteContext {
    pub account: Option<String>,
    /// How many times the dashboard had switched profile or region when it was asked:
    /// the runner sends it only if it has switched as many times, so a write never
    /// leaves for a place the person did not see in the dialog.
    pub place: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Fetch(Read),
    /// Sends `Action::Arm(dialog)` after `after`: the pause that lets a person see a
    /// dialog before any key can answer it.
    Arm {
        dialog: u64,
        after: std::time::Duration,
    },
    /// Sent exactly once per confirmation; the runner audits it before it leaves.
    Send(Write),
    /// Put text on the clipboard of the person's own machine, through the terminal.
    Copy(String),
    /// Ring the terminal's bell and ask it for a desktop notice (config `bell`).
    Notify(String),
    /// Read and write in another place from now on; answered by `Action::Connected`.
    Connect(Place),
}
