//! `App` owns the model and the UI state. `update` is the only place either changes:
//! it takes one `Action` and returns the `Command`s to run. It never waits and never does I/O.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};

use crate::action::{
    Action, Command, FilterEdit, Intent, Payload, Read, RetryReceipt, WriteContext,
};
use crate::aws::AwsError;
use crate::eligibility::{
    FailedVersion, LaterRun, RetryInput, RetryMode, RetryPlan, gather, retry_plan,
};
use crate::keymap::{self, Mode};
use crate::model::StatusLook;
use crate::model::overview::{Health, Overview, overview, sort_key};
use crate::model::{
    Model, StageState, StageStatus, Tone, stages_of_execution, version_of_execution,
};
use crate::poller::{Outcome, Schedule};

mod navigation;
mod polling;
mod replies;
mod retry;

/// Fixed for the life of the process.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub read_only: bool,
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Shown in the header: "demo emulator", or the endpoint override.
    pub endpoint_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Pipelines,
    Pipeline(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusLine {
    pub text: String,
    pub tone: Tone,
    pub at: Timestamp,
}

/// Selection, filter and overlays: what the person is doing, apart from what AWS said.
#[derive(Debug, Clone)]
pub struct Ui {
    pub view: View,
    /// The pipeline last opened, for Tab.
    pub last_opened: Option<String>,
    /// Selection in the list follows the pipeline, not the row number, as rows re-sort.
    pub selected_pipeline: Option<String>,
    pub selected_stage: usize,
    /// The person moved the stage cursor; until then it follows the first failed stage
    /// as data arrives (a pipeline opened before its state was read).
    pub stage_chosen: bool,
    /// An older execution being looked at in the pipeline view; None: the live state.
    pub execution: Option<String>,
    pub filter: String,
    pub filtering: bool,
    pub help: bool,
    pub status: Option<StatusLine>,
}

/// A confirmation is a value: while it is open it takes every key, and confirming sends
/// its command exactly once (it is taken out of the Option).
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<(String, String)>,
    pub warning: Option<String>,
    pub on_confirm: Command,
}

/// A stage we retried and now watch at a faster pace until it ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Follow {
    pub stage: String,
    pub since: Timestamp,
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
    pub schedule: Schedule,
    pub now: Timestamp,
    /// (pipeline, stage) whose RetryStageExecution has been sent and not yet answered.
    pub retries_in_flight: BTreeSet<(String, String)>,
    pub following: BTreeMap<String, Follow>,
    pub should_quit: bool,
}

/// How long after a retry a stage that is not (yet) InProgress still counts as starting:
/// GetPipelineState is eventually consistent.
const FOLLOW_GRACE: SignedDuration = SignedDuration::from_secs(8);
const FOLLOW_LIMIT: SignedDuration = SignedDuration::from_mins(60);

impl App {
    pub fn new(settings: Settings, schedule: Schedule, now: Timestamp) -> Self {
        Self {
            model: Model::default(),
            ui: Ui {
                view: View::Pipelines,
                last_opened: None,
                selected_pipeline: None,
                selected_stage: 0,
                stage_chosen: false,
                execution: None,
                filter: String::new(),
                filtering: false,
                help: false,
                status: None,
            },
            confirm: None,
            settings,
            schedule,
            now,
            retries_in_flight: BTreeSet::new(),
            following: BTreeMap::new(),
            should_quit: false,
        }
    }

    pub fn mode(&self) -> Mode {
        if self.confirm.is_some() {
            Mode::Confirm
        } else if self.ui.help {
            Mode::Help
        } else if self.ui.filtering {
            Mode::Filter
        } else {
            match self.ui.view {
                View::Pipelines => Mode::Pipelines,
                View::Pipeline(_) => Mode::Pipeline,
            }
        }
    }

    pub fn update(&mut self, action: Action) -> Vec<Command> {
        match action {
            Action::Key(key) => match keymap::resolve(&key, self.mode()) {
                Some(action) => self.update(action),
                None => Vec::new(),
            },
            Action::Intent(intent) => self.on_intent(intent),
            Action::Filter(edit) => {
                self.on_filter(edit);
                Vec::new()
            }
            Action::Tick(now) => {
                self.now = now;
                self.poll()
            }
            Action::Resize => Vec::new(),
            Action::Loaded { read, at, result } => self.on_loaded(read, at, result),
            Action::RetryAnswered { plan, result } => self.on_retry_answer(plan, result),
        }
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
        });
    }

    fn on_intent(&mut self, intent: Intent) -> Vec<Command> {
        match intent {
            Intent::Quit => {
                self.should_quit = true;
                Vec::new()
            }
            Intent::Confirm => self.confirm(),
            Intent::Cancel => {
                if self.confirm.take().is_some() {
                    self.say(Tone::Muted, "Cancelled: nothing was sent");
                }
                Vec::new()
            }
            Intent::Help => {
                self.ui.help = true;
                Vec::new()
            }
            Intent::Back => {
                self.back();
                Vec::new()
            }
            Intent::Up => {
                self.move_selection(-1);
                Vec::new()
            }
            Intent::Down => {
                self.move_selection(1);
                Vec::new()
            }
            Intent::Top => {
                self.move_selection(isize::MIN / 2);
                Vec::new()
            }
            Intent::Bottom => {
                self.move_selection(isize::MAX / 2);
                Vec::new()
            }
            Intent::Open => match self.selected_row_name() {
                Some(name) => self.open(name),
                None => Vec::new(),
            },
            Intent::SwitchView => match (&self.ui.view, self.ui.last_opened.clone()) {
                (View::Pipelines, Some(name)) => self.open(name),
                (View::Pipelines, None) => {
                    self.say(Tone::Muted, "Open a pipeline with Enter first");
                    Vec::new()
                }
                (View::Pipeline(_), _) => {
                    self.ui.view = View::Pipelines;
                    Vec::new()
                }
            },
            Intent::Filter => {
                self.ui.filtering = true;
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
        }
    }
}
