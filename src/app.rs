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
use crate::model::overview::{Health, Overview, overview, sort_key};
use crate::model::{
    Model, StageState, StageStatus, Tone, stages_of_execution, version_of_execution,
};
use crate::poller::{Outcome, Schedule};

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

    fn back(&mut self) {
        if self.ui.help {
            self.ui.help = false;
        } else if let View::Pipeline(_) = self.ui.view {
            self.ui.view = View::Pipelines;
        } else if !self.ui.filter.is_empty() {
            self.ui.filter.clear();
        }
    }

    fn on_filter(&mut self, edit: FilterEdit) {
        match edit {
            FilterEdit::Insert(c) => self.ui.filter.push(c),
            FilterEdit::Backspace => {
                self.ui.filter.pop();
            }
            FilterEdit::Accept => self.ui.filtering = false,
            FilterEdit::Clear => {
                self.ui.filter.clear();
                self.ui.filtering = false;
            }
        }
        // Keep a visible row selected as the list narrows.
        let rows = self.rows();
        let still_visible = rows
            .iter()
            .any(|row| Some(row.name) == self.ui.selected_pipeline.as_deref());
        if !still_visible {
            self.ui.selected_pipeline = rows.first().map(|row| row.name.to_string());
        }
    }

    fn open(&mut self, name: String) -> Vec<Command> {
        if self.ui.last_opened.as_ref() != Some(&name) {
            self.ui.execution = None;
        }
        self.ui.stage_chosen = false;
        self.ui.selected_stage = 0;
        self.ui.view = View::Pipeline(name.clone());
        self.select_failed_stage();
        self.ui.selected_pipeline = Some(name.clone());
        self.ui.last_opened = Some(name.clone());
        self.schedule.expire(&Read::State(name));
        self.poll()
    }

    /// Puts the cursor on the first failed stage of what is shown, unless the person
    /// has already moved it.
    fn select_failed_stage(&mut self) {
        if self.ui.stage_chosen {
            return;
        }
        if let Some(stages) = self.shown_stages() {
            self.ui.selected_stage = stages
                .iter()
                .position(|stage| stage.status() == Some(&StageStatus::Failed))
                .unwrap_or(0);
        }
    }

    fn move_selection(&mut self, delta: isize) {
        let step = |current: usize, len: usize| -> usize {
            if len == 0 {
                return 0;
            }
            (current as isize)
                .saturating_add(delta)
                .clamp(0, len as isize - 1) as usize
        };
        match &self.ui.view {
            View::Pipelines => {
                let rows = self.rows();
                let current = rows
                    .iter()
                    .position(|row| Some(row.name) == self.ui.selected_pipeline.as_deref())
                    .unwrap_or(0);
                let next = step(current, rows.len());
                self.ui.selected_pipeline = rows.get(next).map(|row| row.name.to_string());
            }
            View::Pipeline(_) => {
                let len = self.shown_stages().map_or(0, |stages| stages.len());
                self.ui.selected_stage = step(self.ui.selected_stage, len);
                self.ui.stage_chosen = true;
            }
        }
    }

    /// The list as shown: filtered by name, failed first.
    pub fn rows(&self) -> Vec<PipelineRow<'_>> {
        let needle = self.ui.filter.to_lowercase();
        let mut rows: Vec<PipelineRow> = self
            .model
            .pipeline_names()
            .into_iter()
            .filter(|name| name.to_lowercase().contains(&needle))
            .map(|name| {
                let tracked = self.model.states.get(name);
                PipelineRow {
                    name,
                    overview: overview(tracked.and_then(|t| t.data.as_ref())),
                    error: tracked.and_then(|t| t.error()),
                }
            })
            .collect();
        rows.sort_by_key(|row| sort_key(row.name, &row.overview));
        rows
    }

    /// The selected row's name; the first row when nothing is selected yet.
    pub fn selected_row_name(&self) -> Option<String> {
        let rows = self.rows();
        rows.iter()
            .find(|row| Some(row.name) == self.ui.selected_pipeline.as_deref())
            .or(rows.first())
            .map(|row| row.name.to_string())
    }

    pub fn open_pipeline(&self) -> Option<&str> {
        match &self.ui.view {
            View::Pipeline(name) => Some(name),
            View::Pipelines => None,
        }
    }

    /// The stages on screen: the live state, or an older execution rebuilt from its
    /// action runs. None while that is still being read.
    pub fn shown_stages(&self) -> Option<Vec<StageState>> {
        let name = self.open_pipeline()?;
        match &self.ui.execution {
            None => Some(self.model.state(name)?.stages.clone()),
            Some(id) => {
                let runs = self.model.action_runs(name, id)?;
                let structure = self.model.structure(name)?;
                Some(stages_of_execution(id, runs, structure))
            }
        }
    }

    /// The stage under the cursor in the pipeline view.
    pub fn selected_stage(&self) -> Option<StageState> {
        let stages = self.shown_stages()?;
        let index = self.ui.selected_stage.min(stages.len().saturating_sub(1));
        stages.into_iter().nth(index)
    }

    /// What the retry rules need for one stage, gathered from the model.
    pub fn retry_input<'a>(&'a self, pipeline: &'a str, stage: &'a StageState) -> RetryInput<'a> {
        let in_flight = self
            .retries_in_flight
            .contains(&(pipeline.to_string(), stage.stage_name.clone()));
        let mut input = gather(
            &self.model,
            pipeline,
            stage,
            in_flight,
            self.settings.read_only,
        );
        if let Some(viewed) = &self.ui.execution {
            // Looking back: the live state says whether a later execution ran this stage.
            let live = self
                .model
                .state(pipeline)
                .and_then(|state| {
                    state
                        .stages
                        .iter()
                        .find(|s| s.stage_name == stage.stage_name)
                })
                .and_then(|s| s.latest_execution.as_ref())
                .filter(|run| &run.pipeline_execution_id != viewed);
            input.later_run = live.map(|run| LaterRun {
                pipeline_execution_id: run.pipeline_execution_id.clone(),
                status: run.status.clone(),
            });
            if let Some(version) = self
                .model
                .action_runs(pipeline, viewed)
                .and_then(|runs| version_of_execution(viewed, runs))
            {
                input.failed_version = FailedVersion::Known(version);
            }
        }
        input
    }

    /// Steps through the pipeline's executions: +1 older, -1 newer (back to live).
    fn step_execution(&mut self, step: isize) -> Vec<Command> {
        let Some(name) = self.open_pipeline().map(str::to_string) else {
            return Vec::new();
        };
        let history = self.model.history(&name);
        if history.is_empty() {
            self.say(Tone::Muted, "The execution history is still loading");
            return Vec::new();
        }
        // Position -1 is the live state, 0.. index the history (newest first).
        let current = match &self.ui.execution {
            None => -1,
            Some(id) => history
                .iter()
                .position(|e| &e.pipeline_execution_id == id)
                .map_or(-1, |i| i as isize),
        };
        let next = (current + step).clamp(-1, history.len() as isize - 1);
        if next == current {
            let edge = if step > 0 {
                "This is the oldest execution listed"
            } else {
                "Already showing the live state"
            };
            self.say(Tone::Muted, edge);
            return Vec::new();
        }
        self.ui.execution =
            (next >= 0).then(|| history[next as usize].pipeline_execution_id.clone());
        self.poll()
    }

    fn ask_retry(&mut self, mode: RetryMode) -> Vec<Command> {
        let (Some(pipeline), Some(stage)) = (self.open_pipeline(), self.selected_stage()) else {
            return Vec::new();
        };
        let verdict = retry_plan(&self.retry_input(pipeline, &stage), mode);
        let stage_name = stage.stage_name.clone();
        let account = self
            .model
            .structure(pipeline)
            .and_then(|s| s.account())
            .map(str::to_string);
        match verdict {
            Err(reasons) => {
                let why: Vec<String> = reasons.iter().map(|r| r.explain()).collect();
                let text = format!("Cannot retry {stage_name}: {}", why.join("; "));
                self.say(Tone::Warning, text);
            }
            Ok(plan) => self.confirm = Some(confirmation(plan, account)),
        }
        Vec::new()
    }

    fn confirm(&mut self) -> Vec<Command> {
        let Some(confirm) = self.confirm.take() else {
            return Vec::new();
        };
        match confirm.on_confirm {
            Command::Retry { plan, context } => {
                let key = (plan.pipeline_name.clone(), plan.stage_name.clone());
                if self.settings.read_only {
                    self.say(Tone::Warning, "read-only mode: nothing was sent");
                    return Vec::new();
                }
                if !self.retries_in_flight.insert(key) {
                    self.say(Tone::Warning, "A retry of this stage is already being sent");
                    return Vec::new();
                }
                self.say(
                    Tone::Running,
                    format!(
                        "Sending RetryStageExecution for {} / {} ({})…",
                        plan.pipeline_name,
                        plan.stage_name,
                        plan.retry_mode.as_aws()
                    ),
                );
                vec![Command::Retry { plan, context }]
            }
            other => vec![other],
        }
    }

    fn on_retry_answer(
        &mut self,
        plan: RetryPlan,
        result: Result<RetryReceipt, AwsError>,
    ) -> Vec<Command> {
        self.retries_in_flight
            .remove(&(plan.pipeline_name.clone(), plan.stage_name.clone()));
        match result {
            Ok(receipt) => {
                self.say(
                    Tone::Good,
                    format!(
                        "Retry started: {} / {} in execution {}",
                        plan.pipeline_name, plan.stage_name, receipt.pipeline_execution_id
                    ),
                );
                self.following.insert(
                    plan.pipeline_name.clone(),
                    Follow {
                        stage: plan.stage_name.clone(),
                        since: self.now,
                    },
                );
            }
            Err(error) => {
                self.say(
                    Tone::Failed,
                    format!(
                        "Retry of {} / {} failed: {error}",
                        plan.pipeline_name, plan.stage_name
                    ),
                );
            }
        }
        // Either way the stage has news: read it now, even if a read started before the
        // retry is still on its way (its answer may predate the retry).
        let read = Read::State(plan.pipeline_name);
        self.schedule.expire(&read);
        let mut commands = self.poll();
        let refresh = Command::Fetch(read);
        if !commands.contains(&refresh) {
            commands.push(refresh);
        }
        commands
    }

    fn on_loaded(
        &mut self,
        read: Read,
        at: Timestamp,
        result: Result<Payload, AwsError>,
    ) -> Vec<Command> {
        let outcome = match &result {
            Ok(_) => Outcome::Ok,
            Err(error) if error.is_throttling() => Outcome::Throttled,
            Err(_) => Outcome::Failed,
        };
        self.schedule.finished(&read, self.now, outcome);
        let error = result.as_ref().err().cloned();
        match (read.clone(), result) {
            (Read::ListPipelines, Ok(Payload::Pipelines(list))) => {
                let names: BTreeSet<String> = list.iter().map(|p| p.name.clone()).collect();
                self.model.states.retain(|name, _| names.contains(name));
                if list.is_empty() {
                    self.say(Tone::Muted, "No pipelines in this region");
                }
                self.model.pipelines.succeed(list, at);
            }
            (Read::State(name), Ok(Payload::State(state))) => {
                self.model
                    .states
                    .entry(name.clone())
                    .or_default()
                    .succeed(state, at);
                if self.open_pipeline() == Some(name.as_str()) {
                    self.select_failed_stage();
                }
                self.check_follow(&name);
            }
            (Read::Structure(name), Ok(Payload::Structure(structure))) => {
                self.model
                    .structures
                    .entry(name)
                    .or_default()
                    .succeed(structure, at);
            }
            (Read::History(name), Ok(Payload::History(history))) => {
                self.model
                    .histories
                    .entry(name)
                    .or_default()
                    .succeed(history, at);
            }
            (Read::ActionRuns { pipeline, id }, Ok(Payload::ActionRuns(runs))) => {
                self.model
                    .action_runs
                    .entry((pipeline, id))
                    .or_default()
                    .succeed(runs, at);
                self.select_failed_stage();
            }
            (Read::Execution { pipeline, id }, Ok(Payload::Execution(execution))) => {
                self.model
                    .executions
                    .entry((pipeline, id))
                    .or_default()
                    .succeed(execution, at);
            }
            (read, Err(error)) => self.record_failure(read, at, error),
            (read, Ok(_)) => tracing::warn!(?read, "reply does not match the read"),
        }
        if let Some(error) = error.filter(|e| e.is_throttling()) {
            let resume = self
                .schedule
                .paused_until(self.now)
                .map(|until| until.duration_since(self.now).as_secs().max(1))
                .unwrap_or(1);
            self.say(
                Tone::Warning,
                format!("{error} (next try in {resume}s; data on screen is kept, with its age)"),
            );
        }
        Vec::new()
    }

    fn record_failure(&mut self, read: Read, at: Timestamp, error: AwsError) {
        let message = error.message.clone();
        let focused = self.open_pipeline().map(str::to_string);
        match &read {
            Read::ListPipelines => {
                self.model.pipelines.fail(message.clone(), at);
                if !error.is_throttling() {
                    self.say(Tone::Failed, format!("Listing pipelines failed: {message}"));
                }
            }
            Read::State(name) => {
                self.model
                    .states
                    .entry(name.clone())
                    .or_default()
                    .fail(message.clone(), at);
                if focused.as_deref() == Some(name) && !error.is_throttling() {
                    self.say(Tone::Failed, format!("{name}: {message}"));
                }
            }
            Read::Structure(name) => {
                self.model
                    .structures
                    .entry(name.clone())
                    .or_default()
                    .fail(message, at);
            }
            Read::History(name) => {
                self.model
                    .histories
                    .entry(name.clone())
                    .or_default()
                    .fail(message, at);
            }
            Read::Execution { pipeline, id } => {
                self.model
                    .executions
                    .entry((pipeline.clone(), id.clone()))
                    .or_default()
                    .fail(message, at);
            }
            Read::ActionRuns { pipeline, id } => {
                self.model
                    .action_runs
                    .entry((pipeline.clone(), id.clone()))
                    .or_default()
                    .fail(message.clone(), at);
                if focused.as_deref() == Some(pipeline) {
                    self.say(
                        Tone::Failed,
                        format!("{pipeline}: execution history: {message}"),
                    );
                }
            }
        }
    }

    /// Stops following a retried stage once it has finished, and says how it ended.
    fn check_follow(&mut self, pipeline: &str) {
        let Some(follow) = self.following.get(pipeline).cloned() else {
            return;
        };
        let status = self
            .model
            .state(pipeline)
            .and_then(|state| state.stages.iter().find(|s| s.stage_name == follow.stage))
            .and_then(|stage| stage.status().cloned());
        let age = self.now.duration_since(follow.since);
        let running = matches!(
            status,
            Some(StageStatus::InProgress | StageStatus::Stopping)
        );
        if age > FOLLOW_LIMIT || (!running && age > FOLLOW_GRACE) {
            self.following.remove(pipeline);
            if let Some(status) = status {
                self.say(
                    status.tone(),
                    format!(
                        "{pipeline} / {}: {} after retry",
                        follow.stage,
                        status.word()
                    ),
                );
            }
        }
    }

    /// Reads wanted now, most urgent first, each with how often it repeats.
    fn wanted_reads(&self) -> Vec<(Read, SignedDuration)> {
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

    fn poll(&mut self) -> Vec<Command> {
        let wanted = self.wanted_reads();
        self.schedule
            .due(self.now, &wanted)
            .into_iter()
            .map(Command::Fetch)
            .collect()
    }
}

fn confirmation(plan: RetryPlan, account: Option<String>) -> Confirm {
    let (title, mode_text) = match plan.retry_mode {
        RetryMode::FailedActions => (
            "Retry failed actions?",
            "FAILED_ACTIONS: only the failed actions run again",
        ),
        RetryMode::AllActions => (
            "Retry all actions?",
            "ALL_ACTIONS: every action in the stage runs again",
        ),
    };
    let warning = (!plan.overwrites.is_empty()).then(|| {
        format!(
            "Overwrites the output artifacts of {}, which had succeeded.",
            plan.overwrites.join(", ")
        )
    });
    Confirm {
        title: title.to_string(),
        lines: vec![
            ("Pipeline".into(), plan.pipeline_name.clone()),
            ("Stage".into(), plan.stage_name.clone()),
            ("Execution".into(), plan.pipeline_execution_id.clone()),
            ("Mode".into(), mode_text.into()),
            ("Re-runs".into(), plan.reruns.join(", ")),
        ],
        warning,
        on_confirm: Command::Retry {
            plan,
            context: WriteContext { account },
        },
    }
}
