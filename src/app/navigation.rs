//! Moving around: the list and its filter, opening a pipeline, the stage cursor, and
//! stepping through past executions.

use super::*;
use crate::action::PipelineRead;

/// A filter longer than this is a paste gone wrong, not a name.
pub(super) const MAX_FILTER: usize = 200;

/// What a paste puts on a line being typed: its first line, printable characters only,
/// at most `room` of them (a name, not a pasted log).
pub(super) fn pasted_line(text: &str, room: usize) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    first_line
        .chars()
        .filter(|c| !c.is_control())
        .take(room)
        .collect()
}

impl App {
    /// How far the help can scroll: until its last line is on the screen's last row.
    pub fn help_scroll_limit(&self) -> u16 {
        let height = self.keys.help_lines().len() as u16 + 2;
        height.saturating_sub(self.ui.screen_rows)
    }

    /// Scrolls the help by a line, a page, or to an end; never past its last line.
    pub(super) fn scroll_help(&mut self, intent: Intent) {
        let limit = self.help_scroll_limit();
        let page = self.ui.screen_rows.saturating_sub(3).max(1);
        let now = self.ui.help_scroll;
        self.ui.help_scroll = match intent {
            Intent::Up => now.saturating_sub(1),
            Intent::Down => now + 1,
            Intent::PageUp => now.saturating_sub(page),
            Intent::PageDown => now + page,
            Intent::Top => 0,
            Intent::Bottom => limit,
            _ => now,
        }
        .min(limit);
    }

    pub(super) fn back(&mut self) {
        if self.ui.help {
            self.ui.help = false;
        } else if let View::Pipeline(_) = self.ui.view {
            self.ui.view = View::Pipelines;
        } else if let View::Execution(_) = self.ui.view {
            self.ui.view = View::Executions;
        } else if !self.ui.filter.is_empty() {
            self.ui.filter.clear();
        }
    }

    pub(super) fn on_filter(&mut self, edit: FilterEdit) {
        if let Some(reader) = self.ui.reader.as_mut().filter(|r| r.searching) {
            match edit {
                FilterEdit::Insert(c) => reader.search.push(c),
                FilterEdit::Backspace => {
                    reader.search.pop();
                }
                FilterEdit::Accept => reader.searching = false,
                FilterEdit::Clear => {
                    reader.searching = false;
                    reader.search.clear();
                }
            }
            self.search_reader();
            return;
        }
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
        if self.ui.view == View::Executions {
            let arns = self.execution_arns();
            if !arns
                .iter()
                .any(|arn| Some(arn) == self.ui.executions.selected_execution.as_ref())
            {
                self.ui.executions.selected_execution = arns.into_iter().next();
            }
            return;
        }
        let rows = self.rows();
        let still_visible = rows
            .iter()
            .any(|row| Some(row.name) == self.ui.pipelines.selected_pipeline.as_deref());
        if !still_visible {
            self.ui.pipelines.selected_pipeline = rows.first().map(|row| row.name.to_string());
        }
    }

    /// Pasted text is never read as keys (a pasted "rollout … deploy" must not open and
    /// answer a dialog). In the filter it is text; elsewhere it is dropped, with a note.
    pub(super) fn on_paste(&mut self, text: &str) {
        if self.confirm.is_none() && self.paste_into_command_line(text) {
            return;
        }
        if !self.ui.filtering {
            self.say(
                Tone::Muted,
                "Pasted text ignored: unstick takes keys one at a time (paste into / to filter)",
            );
            return;
        }
        let room = MAX_FILTER - self.ui.filter.chars().count().min(MAX_FILTER);
        self.ui.filter.push_str(&pasted_line(text, room));
        // Keeps the selection on a visible row, as typing does.
        self.on_filter(FilterEdit::Accept);
        self.ui.filtering = true;
    }

    pub(super) fn open(&mut self, name: String) -> Vec<Command> {
        if self.ui.pipelines.last_opened.as_ref() != Some(&name) {
            self.ui.pipelines.execution = None;
        }
        self.ui.pipelines.chosen_stage = None;
        self.ui.pipelines.selected_stage = 0;
        self.ui.view = View::Pipeline(name.clone());
        self.select_failed_stage();
        self.ui.pipelines.selected_pipeline = Some(name.clone());
        self.ui.pipelines.last_opened = Some(name.clone());
        self.schedule
            .expire(&Read::CodePipeline(PipelineRead::State(name)));
        self.poll()
    }

    /// Keeps the cursor on the stage the person chose, by name, as data arrives; until
    /// they choose, puts it on the first failed stage (and leaves it be when none failed,
    /// rather than jumping back to the first stage).
    pub(super) fn select_failed_stage(&mut self) {
        let Some(stages) = self.shown_stages() else {
            return;
        };
        let found = match &self.ui.pipelines.chosen_stage {
            Some(name) => stages.iter().position(|stage| &stage.stage_name == name),
            None => stages
                .iter()
                .position(|stage| stage.status() == Some(&StageStatus::Failed)),
        };
        if let Some(index) = found {
            self.ui.pipelines.selected_stage = index;
        }
    }

    pub(super) fn move_selection(&mut self, delta: isize) {
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
                    .position(|row| {
                        Some(row.name) == self.ui.pipelines.selected_pipeline.as_deref()
                    })
                    .unwrap_or(0);
                let next = step(current, rows.len());
                self.ui.pipelines.selected_pipeline =
                    rows.get(next).map(|row| row.name.to_string());
            }
            View::Pipeline(_) => {
                let stages = self.shown_stages().unwrap_or_default();
                self.ui.pipelines.selected_stage =
                    step(self.ui.pipelines.selected_stage, stages.len());
                self.ui.pipelines.chosen_stage = stages
                    .get(self.ui.pipelines.selected_stage)
                    .map(|stage| stage.stage_name.clone());
            }
            View::Executions => {
                let arns = self.execution_arns();
                let current = arns
                    .iter()
                    .position(|arn| Some(arn) == self.ui.executions.selected_execution.as_ref())
                    .unwrap_or(0);
                self.ui.executions.selected_execution =
                    arns.get(step(current, arns.len())).cloned();
            }
            View::Execution(_) => {
                // The detail can be long (a JSON cause): the keys scroll it, as far as
                // the last frame found lines below.
                let executions = &mut self.ui.executions;
                executions.detail_scroll = step(
                    executions.detail_scroll as usize,
                    executions.detail_scroll_limit as usize + 1,
                ) as u16;
            }
        }
    }

    /// The list as shown: filtered by name, failed first.
    pub fn rows(&self) -> Vec<PipelineRow<'_>> {
        let mut filter = super::fuzzy::Fuzzy::new(&self.ui.filter);
        let mut rows: Vec<PipelineRow> = self
            .model
            .codepipeline
            .pipeline_names()
            .into_iter()
            .map(|name| {
                let tracked = self.model.codepipeline.states.get(name);
                PipelineRow {
                    name,
                    overview: overview(tracked.and_then(|t| t.data.as_ref())),
                    error: tracked.and_then(|t| t.error()),
                }
            })
            .filter(|row| {
                let view = &row.overview;
                let fields = [&view.failed_stage, &view.failed_action, &view.error_code];
                filter.matches(
                    std::iter::once(row.name)
                        .chain(fields.into_iter().flatten().map(String::as_str)),
                )
            })
            .collect();
        match self.ui.sort {
            SortOrder::Failure => rows.sort_by_key(|row| sort_key(row.name, &row.overview)),
            SortOrder::Name => rows.sort_by(|a, b| a.name.cmp(b.name)),
            SortOrder::Status => rows.sort_by_key(|row| (row.overview.health, row.name)),
        }
        rows
    }

    /// The selected row's name; the first row when nothing is selected yet.
    pub fn selected_row_name(&self) -> Option<String> {
        let rows = self.rows();
        rows.iter()
            .find(|row| Some(row.name) == self.ui.pipelines.selected_pipeline.as_deref())
            .or(rows.first())
            .map(|row| row.name.to_string())
    }

    pub fn open_pipeline(&self) -> Option<&str> {
        match &self.ui.view {
            View::Pipeline(name) => Some(name),
            _ => None,
        }
    }

    /// The stages on screen: the live state, or an older execution rebuilt from its
    /// action runs. None while that is still being read.
    pub fn shown_stages(&self) -> Option<Vec<StageState>> {
        let name = self.open_pipeline()?;
        match &self.ui.pipelines.execution {
            None => Some(self.model.codepipeline.state(name)?.stages.clone()),
            Some(id) => {
                let runs = self.model.codepipeline.action_runs(name, id)?;
                let structure = self.model.codepipeline.structure(name)?;
                Some(stages_of_execution(id, runs, structure))
            }
        }
    }

    /// The stage under the cursor in the pipeline view.
    pub fn selected_stage(&self) -> Option<StageState> {
        let stages = self.shown_stages()?;
        let index = self
            .ui
            .pipelines
            .selected_stage
            .min(stages.len().saturating_sub(1));
        stages.into_iter().nth(index)
    }

    /// Steps through the pipeline's executions: +1 older, -1 newer (back to live).
    pub(super) fn step_execution(&mut self, step: isize) -> Vec<Command> {
        let Some(name) = self.open_pipeline().map(str::to_string) else {
            return Vec::new();
        };
        let history = self.model.codepipeline.history(&name);
        if history.is_empty() {
            self.say(Tone::Muted, "The execution history is still loading");
            return Vec::new();
        }
        // Position -1 is the live state, 0.. index the history (newest first).
        let current = match &self.ui.pipelines.execution {
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
        self.ui.pipelines.execution =
            (next >= 0).then(|| history[next as usize].pipeline_execution_id.clone());
        self.poll()
    }
}
