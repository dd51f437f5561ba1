//! `App` owns the model and the UI state. `update` is the only place either changes:
//! it takes one `Action` and returns the `Command`s to run. It never waits and never does I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::{SignedDuration, Timestamp};

use crate::action::{
    Action, Answered, Command, FilterEdit, Intent, Loaded, Place, Read, Reply, StopSignal, Unread,
    Write, WriteContext,
};
use crate::aws::AwsError;
use crate::eligibility::{
    FailedVersion, LaterRun, RetryInput, RetryMode, RetryPlan, gather, retry_plan,
};
use crate::keymap::{Keymap, Mode};
use crate::model::overview::{Health, Overview, overview, sort_key};
use crate::model::{
    Model, StageState, StageStatus, Tone, stages_of_execution, version_of_execution,
};
use crate::model::{StatusLook, TimeDisplay};
use crate::poller::{Outcome, Schedule, Wish};

mod command_line;
mod confirm;
mod coverage;
mod executions;
mod fuzzy;
mod navigation;
mod notice;
mod picture;
mod pipeline_replies;
mod polling;
mod reader;
mod redrive;
mod replies;
mod retry;
mod sfn_replies;
mod switch;
mod watch;
mod why;
mod why_replies;

pub use command_line::CommandLine;
pub use coverage::Coverage;
pub use picture::Depth;

pub use confirm::{ARM_AFTER, Confirm, OnConfirm, Seen};
pub use executions::ExecutionRow;
pub use reader::{Reader, Reading};
pub use watch::{RedriveTracking, RetryTracking, Watch};
pub use why::{Chosen, CopyTargets, Ran};

/// Where the dashboard reads and how: set at start; `:profile`, `:region` and
/// `:readonly` change them.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub read_only: bool,
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Shown in the header: "demo emulator", or the endpoint override.
    pub endpoint_label: Option<String>,
}

/// The endpoint label of the built-in demo, which signs with its own fixed keys.
pub const DEMO_LABEL: &str = "demo emulator";

impl Settings {
    /// The profile the credentials come from, as the header says it: the one named
    /// (flag, AWS_PROFILE, settings file, `:profile`), else the SDK's default chain;
    /// nothing for the demo, whose keys are its own.
    pub fn profile_words(&self) -> Option<&str> {
        match &self.profile {
            Some(profile) => Some(profile),
            None if self.endpoint_label.as_deref() == Some(DEMO_LABEL) => None,
            None => Some("default profile"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Pipelines,
    Pipeline(String),
    Executions,
    /// One Step Functions execution, by ARN.
    Execution(String),
}

impl View {
    pub fn is_pipelines_section(&self) -> bool {
        matches!(self, View::Pipelines | View::Pipeline(_))
    }

    /// The list of this view's half.
    pub fn list(&self) -> View {
        if self.is_pipelines_section() {
            View::Pipelines
        } else {
            View::Executions
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusLine {
    pub text: String,
    pub tone: Tone,
    pub at: Timestamp,
    /// Where it was said: it belongs to that view (and to the reader, when one was open).
    pub view: View,
    pub reading: bool,
}

impl StatusLine {
    /// How long it stays: a failure a minute, a warning 20 s, the rest 8 s.
    pub fn lifetime(&self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_secs(match self.tone {
            Tone::Failed => 60,
            Tone::Warning => 20,
            _ => 8,
        })
    }
}

/// Selection, filter and overlays: what the person is doing, apart from what AWS said.
#[derive(Debug, Clone)]
pub struct Ui {
    pub view: View,
    /// Tab swaps this with `view`: the Pipelines and Executions halves each keep their place.
    pub other_view: View,
    pub pipelines: PipelinesUi,
    pub executions: ExecutionsUi,
    pub filter: String,
    pub filtering: bool,
    /// How far the help overlay is scrolled (it is taller than 24 rows).
    pub help_scroll: u16,
    pub help: bool,
    pub status: Option<StatusLine>,
    /// A log or a history, full screen over the view.
    pub reader: Option<Reader>,
    /// Where Esc returns from an execution reached from a pipeline action.
    pub return_to: Option<View>,
    /// The terminal's height, for paging.
    pub screen_rows: u16,
    /// Ages, local times or UTC, wherever a time is shown.
    pub time: TimeDisplay,
    /// How the lists are ordered (`s`).
    pub sort: SortOrder,
    /// The `:` line, while it is open.
    pub command: Option<CommandLine>,
}

/// The lists' orders: the most recent failure first (as `report`), by name, or by
/// status (failed, then running, then the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    Failure,
    Name,
    Status,
}

impl SortOrder {
    pub fn next(self) -> Self {
        match self {
            Self::Failure => Self::Name,
            Self::Name => Self::Status,
            Self::Status => Self::Failure,
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Self::Failure => "newest failure first",
            Self::Name => "by name",
            Self::Status => "by status",
        }
    }
}

/// Where the person is in the CodePipeline half: the list and one pipeline.
#[derive(Debug, Clone, Default)]
pub struct PipelinesUi {
    /// The pipeline last opened, for Tab.
    pub last_opened: Option<String>,
    /// Selection in the list follows the pipeline, not the row number, as rows re-sort.
    pub selected_pipeline: Option<String>,
    pub selected_stage: usize,
    /// The stage the person put the cursor on, by name: it stays there when stages are
    /// added or change state. Until they choose, the cursor follows the first failed stage
    /// as data arrives (a pipeline opened before its state was read).
    pub chosen_stage: Option<String>,
    /// An older execution being looked at in the pipeline view; None: the live state.
    pub execution: Option<String>,
    /// The action of the selected stage chosen with ←/→, by name.
    pub chosen_action: Option<String>,
}

/// Where the person is in the Step Functions half: the list and one execution.
#[derive(Debug, Clone, Default)]
pub struct ExecutionsUi {
    /// Selection in the executions list, by ARN.
    pub selected_execution: Option<String>,
    /// Also list running executions and those a redrive fixed.
    pub show_running: bool,
    /// How many executions per status each machine lists, when more than the first of
    /// `EXECUTION_LIMITS` was asked for (`m`), by state machine ARN.
    pub execution_limits: BTreeMap<String, u16>,
    /// How far the execution detail is scrolled (long causes).
    pub detail_scroll: u16,
    /// How far it can scroll, as the last frame measured it (`Action::Measured`).
    pub detail_scroll_limit: u16,
}

/// One row of the pipelines list.
#[derive(Debug, Clone)]
pub struct PipelineRow<'a> {
    pub name: &'a str,
    pub overview: Overview,
    pub error: Option<&'a str>,
}

pub struct App {
    pub model: Model,
    pub ui: Ui,
    pub confirm: Option<Confirm>,
    pub settings: Settings,
    /// The key table in force: the defaults, or the person's own from the config.
    pub keys: Keymap,
    /// Ring the terminal when a new failure appears or a write ends (config `bell`).
    pub bell: bool,
    /// The profiles the AWS config files define, for `:profile` (empty: not known).
    pub profiles: Vec<String>,
    /// Commands run this session, oldest first, for ↑ on the command line.
    commands_typed: Vec<String>,
    /// Read-only was asked for at start: `:readonly off` may not undo it.
    read_only_at_start: bool,
    /// Where the runner is being moved to, until it answers: no dialog opens meanwhile.
    pub switching: Option<Place>,
    /// How many times the runner has moved; each write carries it (`WriteContext`).
    place: u64,
    /// The writes followed in the places left, by place: back there, they are still
    /// followed and still refuse a second request.
    left_behind: HashMap<Place, (RetryTracking, RedriveTracking)>,
    /// When the dashboard started: a failure after it is new.
    started: Timestamp,
    /// The failures already rung for.
    announced: BTreeSet<String>,
    /// What to ring for after this reply.
    notices: Vec<String>,
    pub schedule: Schedule,
    pub now: Timestamp,
    /// The CodePipeline retries this dashboard sent.
    pub retries: RetryTracking,
    /// The Step Functions redrives this dashboard sent, and those never answered.
    pub redrives: RedriveTracking,
    /// Listings that stopped before AWS's last page, with why (see `paging`).
    pub cut_short: HashMap<Read, String>,
    /// The last dialog's id; each new dialog takes the next.
    next_dialog: u64,
    pub should_quit: bool,
    /// The signal that ended the dashboard, for the exit status.
    pub stopped_by: Option<StopSignal>,
}

impl App {
    pub fn new(settings: Settings, schedule: Schedule, now: Timestamp) -> Self {
        Self {
            model: Model::default(),
            ui: Ui {
                view: View::Pipelines,
                other_view: View::Executions,
                pipelines: PipelinesUi::default(),
                executions: ExecutionsUi::default(),
                filter: String::new(),
                filtering: false,
                help_scroll: 0,
                help: false,
                status: None,
                reader: None,
                return_to: None,
                screen_rows: 24,
                time: TimeDisplay::default(),
                sort: SortOrder::default(),
                command: None,
            },
            confirm: None,
            keys: Keymap::default(),
            bell: false,
            profiles: Vec::new(),
            commands_typed: Vec::new(),
            read_only_at_start: settings.read_only,
            switching: None,
            place: 0,
            left_behind: HashMap::new(),
            started: now,
            announced: BTreeSet::new(),
            notices: Vec::new(),
            schedule,
            now,
            retries: RetryTracking::default(),
            redrives: RedriveTracking::default(),
            cut_short: HashMap::new(),
            next_dialog: 0,
            should_quit: false,
            stopped_by: None,
            settings,
        }
    }

    /// A time as the person chose to see them: an age, or the time itself.
    pub fn when(&self, at: Timestamp) -> String {
        self.ui.time.short(self.now, at)
    }

    pub fn mode(&self) -> Mode {
        if self.confirm.is_some() {
            Mode::Confirm
        } else if self.ui.help {
            Mode::Help
        } else if self.ui.command.is_some() {
            Mode::Command
        } else if self.ui.filtering || self.ui.reader.as_ref().is_some_and(|r| r.searching) {
            Mode::Filter
        } else if self.ui.reader.is_some() {
            Mode::Reader
        } else {
            match self.ui.view {
                View::Pipelines => Mode::Pipelines,
                View::Pipeline(_) => Mode::Pipeline,
                View::Executions => Mode::Executions,
                View::Execution(_) => Mode::Execution,
            }
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::Key(key) => match self.keys.resolve(&key, self.mode()) {
                Some(action) => self.update(action),
                None => {
                    // A key that does nothing says so, briefly, rather than nothing.
                    if let Some(text) = self.keys.explain(&key, self.mode()) {
                        self.say(Tone::Muted, text);
                    }
                    Vec::new()
                }
            },
            Action::Intent(intent) => self.on_intent(intent),
            Action::Filter(edit) => {
                self.on_filter(edit);
                Vec::new()
            }
            Action::Command(edit) => self.on_command_edit(edit),
            Action::Connected(result) => self.on_connected(result),
            Action::Tick(now) => {
                self.now = now;
                self.poll()
            }
            Action::Resize { rows } => {
                self.ui.screen_rows = rows;
                self.refresh_reader();
                Vec::new()
            }
            Action::Drawn { dialog_whole } => self.on_drawn(dialog_whole),
            Action::Measured {
                detail_scroll_limit,
            } => {
                let executions = &mut self.ui.executions;
                executions.detail_scroll_limit = detail_scroll_limit;
                executions.detail_scroll = executions.detail_scroll.min(detail_scroll_limit);
                Vec::new()
            }
            Action::Arm(id) => {
                self.on_arm(id);
                Vec::new()
            }
            Action::Paste(text) => {
                self.on_paste(&text);
                Vec::new()
            }
            Action::Signal(signal) => {
                self.on_signal(signal);
                Vec::new()
            }
            Action::Loaded { at, result } => self.on_loaded(at, result),
            Action::WriteAnswered(Answered::Retry { plan, result }) => {
                self.on_retry_answer(plan, result)
            }
            Action::WriteAnswered(Answered::Redrive {
                plan,
                client_token,
                result,
            }) => self.on_redrive_answer(plan, client_token, result),
        }
    }

    /// A signal ends the dashboard at once: whatever is open sends nothing; a write
    /// already on its way is finished or recorded by the runner on the way out.
    fn on_signal(&mut self, signal: StopSignal) {
        self.confirm = None;
        self.stopped_by = Some(signal);
        self.should_quit = true;
    }

    /// A problem found before the first request (an unknown profile, say).
    pub fn report_problem(&mut self, text: &str) {
        self.say(Tone::Failed, text);
    }

    fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.ui.status = Some(StatusLine {
            text: text.into(),
            tone,
            at: self.now,
            view: self.ui.view.clone(),
            reading: self.ui.reader.is_some(),
        });
    }

    fn say_sort(&mut self) {
        let words = self.ui.sort.words();
        self.say(Tone::Muted, format!("Sorted {words} (s sorts)"));
    }

    fn say_times(&mut self) {
        let shown = match self.ui.time {
            TimeDisplay::Relative => "Times as ages",
            TimeDisplay::Local => "Times in your local zone",
            TimeDisplay::Utc => "Times in UTC",
        };
        self.say(Tone::Muted, format!("{shown} (t switches)"));
    }

    /// The status line, while it belongs on screen: in the view where it was said, and
    /// for a while after (longer for a failure, which must not be missed).
    pub fn status_shown(&self) -> Option<&StatusLine> {
        let status = self.ui.status.as_ref()?;
        let here = status.view == self.ui.view && status.reading == self.ui.reader.is_some();
        let fresh = self.now.duration_since(status.at) < status.lifetime();
        (here && fresh).then_some(status)
    }

    /// Reads `read` now, past the token bucket, because a write just changed it; even if
    /// an earlier read of it is on its way, as that answer may predate the write.
    fn read_now(&mut self, read: Read, commands: &mut Vec<Command>) {
        let command = Command::Fetch(read.clone());
        if !commands.contains(&command) {
            self.schedule.started_now(&read, self.now);
            commands.push(command);
        }
    }

    fn on_intent(&mut self, intent: Intent) -> Vec<Command> {
        match intent {
            Intent::Quit => {
                self.quit();
                Vec::new()
            }
            Intent::Confirm => self.confirm(),
            Intent::Cancel => {
                if self.confirm.take().is_some() {
                    self.say(Tone::Muted, "Cancelled: nothing was sent");
                }
                Vec::new()
            }
            Intent::Sort => {
                self.ui.sort = self.ui.sort.next();
                self.say_sort();
                Vec::new()
            }
            Intent::Times => {
                self.ui.time = self.ui.time.next();
                self.say_times();
                Vec::new()
            }
            Intent::CommandLine => {
                self.open_command_line();
                Vec::new()
            }
            Intent::Help => {
                self.ui.help = true;
                self.ui.help_scroll = 0;
                Vec::new()
            }
            Intent::Back => {
                if self.ui.help || !self.back_from_why() {
                    self.back();
                }
                self.poll()
            }
            Intent::Up
            | Intent::Down
            | Intent::PageUp
            | Intent::PageDown
            | Intent::Top
            | Intent::Bottom
                if self.ui.help =>
            {
                self.scroll_help(intent);
                Vec::new()
            }
            Intent::Up
            | Intent::Down
            | Intent::Top
            | Intent::Bottom
            | Intent::PageUp
            | Intent::PageDown
                if self.ui.reader.is_some() =>
            {
                let page = self.reader_page() as isize;
                self.move_reader(match intent {
                    Intent::Up => -1,
                    Intent::Down => 1,
                    Intent::PageUp => -page,
                    Intent::PageDown => page,
                    Intent::Top => isize::MIN / 2,
                    _ => isize::MAX / 2,
                });
                Vec::new()
            }
            Intent::Up | Intent::Down | Intent::Top | Intent::Bottom => {
                self.move_selection(match intent {
                    Intent::Up => -1,
                    Intent::Down => 1,
                    Intent::Top => isize::MIN / 2,
                    _ => isize::MAX / 2,
                });
                // Another stage: its own first failed action until the person chooses.
                self.ui.pipelines.chosen_action = None;
                self.poll()
            }
            Intent::PageUp | Intent::PageDown => {
                // A page of the list: the screen less the header, frame, column titles,
                // status and footer.
                let page = self.ui.screen_rows.saturating_sub(6).max(1) as isize;
                self.move_selection(if intent == Intent::PageUp {
                    -page
                } else {
                    page
                });
                self.ui.pipelines.chosen_action = None;
                self.poll()
            }
            Intent::Open => match &self.ui.view {
                View::Pipeline(_) => self.open_action(),
                View::Executions => match self.selected_execution_arn() {
                    Some(arn) => self.open_execution(arn),
                    None => Vec::new(),
                },
                _ => match self.selected_row_name() {
                    Some(name) => self.open(name),
                    None => Vec::new(),
                },
            },
            Intent::SwitchView => {
                // Each half keeps its place; the filter belongs to the list it was typed in.
                std::mem::swap(&mut self.ui.view, &mut self.ui.other_view);
                self.ui.filter.clear();
                self.ui.filtering = false;
                self.poll()
            }
            Intent::Filter => {
                match self.ui.reader.as_mut() {
                    Some(reader) => {
                        reader.searching = true;
                        reader.search.clear();
                        reader.matches.clear();
                    }
                    None => self.ui.filtering = true,
                }
                Vec::new()
            }
            Intent::Refresh => {
                self.schedule.expire_all();
                self.say(Tone::Muted, "Refreshing…");
                self.poll()
            }
            Intent::RetryFailed => self.ask_retry(RetryMode::FailedActions),
            Intent::RetryAll => self.ask_retry(RetryMode::AllActions),
            Intent::OlderExecution => self.step_execution(1),
            Intent::NewerExecution => self.step_execution(-1),
            Intent::Redrive => self.ask_redrive(),
            Intent::ToggleRunning => {
                self.ui.executions.show_running = !self.ui.executions.show_running;
                let text = if self.ui.executions.show_running {
                    "Showing running executions, and those a redrive fixed"
                } else {
                    "Showing failed, timed-out and aborted executions"
                };
                self.say(Tone::Muted, text);
                self.poll()
            }
            Intent::ListMore => self.list_more(),
            Intent::PreviousAction => {
                self.step_action(-1);
                self.poll()
            }
            Intent::NextAction => {
                self.step_action(1);
                self.poll()
            }
            Intent::OpenLog => self.open_log(),
            Intent::OpenHistory => self.open_history(),
            Intent::NextMatch => {
                self.step_match(true);
                Vec::new()
            }
            Intent::PreviousMatch => {
                self.step_match(false);
                Vec::new()
            }
            Intent::NextError => {
                self.next_error();
                Vec::new()
            }
            Intent::ToggleFollow => {
                self.toggle_follow();
                self.poll()
            }
            Intent::CopyLink => self.copy(|t| (t.link, "console link")),
            Intent::CopyArn => self.copy(|t| (t.arn, "ARN or id")),
            Intent::CopyError => self.copy(|t| (t.error, "error text")),
        }
    }
}
