//! The pipeline view: stages in order, their actions grouped by run order, and the
//! detail pane for the selected stage beside (wide) or under (narrow) them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{Theme, detail, fit, look};
use crate::app::App;
use crate::eligibility::short_id;
use crate::model::StatusLook;
use crate::model::{ActionState, StageDeclaration, StageState, run_groups};

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, name: &str) {
    let tracked = app.model.codepipeline.states.get(name);
    let mut title = vec![Span::styled(format!(" {name} "), theme.title)];
    if let Some(version) = tracked
        .and_then(|t| t.data.as_ref())
        .and_then(|state| state.pipeline_version)
    {
        title.push(Span::styled(format!("v{version} "), theme.label));
    }
    if let Some(tracked) = tracked {
        if let Some(at) = tracked.loaded_at() {
            title.push(Span::styled(
                format!("· updated {} ", app.when(at)),
                theme.label,
            ));
        }
        if tracked.error().is_some() {
            title.push(Span::styled("⚠ stale ", theme.warning));
        }
    }
    if app.following_retry(name) {
        title.push(Span::styled("· following retry ", theme.running));
    }
    title.push(execution_label(app, theme, name));
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(theme.border);

    let Some(stages) = app.shown_stages() else {
        let error = match &app.ui.pipelines.execution {
            None => tracked.and_then(|t| t.error()),
            Some(id) => app
                .model
                .codepipeline
                .action_runs
                .get(&(name.to_string(), id.clone()))
                .and_then(|t| t.error()),
        };
        let text = match error {
            Some(error) => format!("Could not read the pipeline: {error}"),
            None => "Reading the pipeline…".to_string(),
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    };

    // Wide: stages left, detail right. Narrow: stages over detail.
    // The action the cursor chose in the selected stage, found once for this frame.
    let chosen = app.chosen();
    // Narrow: the stages take what they need up to half; the detail (with a build's log)
    // gets the rest.
    let [stages_area, detail_area] = if area.width >= 120 {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area)
    } else {
        let needed: usize = stages
            .iter()
            .map(|stage| {
                1 + stage.actions.len()
                    + usize::from(
                        stage
                            .inbound_transition
                            .as_ref()
                            .is_some_and(|t| !t.enabled),
                    )
            })
            .sum();
        // A build's log is what the person came for: the stages give it more room.
        let share = if matches!(
            chosen.as_ref().and_then(|c| c.ran.as_ref()),
            Some(crate::app::Ran::Build(_))
        ) {
            area.height / 3
        } else {
            area.height / 2
        };
        let stages_height = (needed as u16 + 2).min(share).max(3);
        let detail_height = area.height.saturating_sub(stages_height).max(3);
        Layout::vertical([Constraint::Min(3), Constraint::Length(detail_height)]).areas(area)
    };
    let selected = app
        .ui
        .pipelines
        .selected_stage
        .min(stages.len().saturating_sub(1));
    let chosen_name = chosen.as_ref().map(|c| c.action.action_name.as_str());
    let (lines, selected_line) = stage_lines(
        app,
        theme,
        name,
        &stages,
        (selected, chosen_name),
        stages_area.width,
    );
    let inner_height = stages_area.height.saturating_sub(2) as usize;
    // Keep the selected stage on screen, with a little of what follows it.
    let scroll = (selected_line + 3).saturating_sub(inner_height);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll as u16, 0)),
        stages_area,
    );
    detail::render(app, theme, frame, detail_area, name, stages.get(selected));
}

/// "live", or which past execution is on screen: a past execution is not what runs now.
fn execution_label(app: &App, theme: &Theme, name: &str) -> Span<'static> {
    let Some(id) = &app.ui.pipelines.execution else {
        return Span::styled("· live ", theme.label);
    };
    let history = app.model.codepipeline.history(name);
    let position = history.iter().position(|e| &e.pipeline_execution_id == id);
    let mut text = format!("· past execution {}", short_id(id));
    if let Some(execution) = position.map(|i| &history[i]) {
        text.push_str(&format!(" {}", execution.status.word()));
        if let Some(start) = execution.start_time {
            text.push_str(&format!(", started {}", app.when(start)));
        }
    }
    if let Some(i) = position {
        text.push_str(&format!(" ({} of {})", i + 1, history.len()));
    }
    Span::styled(format!("{text} "), theme.warning)
}

fn stage_lines<'a>(
    app: &App,
    theme: &Theme,
    pipeline: &str,
    stages: &'a [StageState],
    (selected, chosen): (usize, Option<&str>),
    width: u16,
) -> (Vec<Line<'a>>, usize) {
    let structure = app.model.codepipeline.structure(pipeline);
    let mut lines = Vec::new();
    let mut selected_line = 0;
    let name_width = (width as usize).saturating_sub(40).clamp(8, 28);
    for (index, stage) in stages.iter().enumerate() {
        if let Some(transition) = stage.inbound_transition.as_ref().filter(|t| !t.enabled) {
            let mut text = "  ⇣ transition disabled".to_string();
            if let Some(reason) = &transition.disabled_reason {
                text.push_str(&format!(": {reason}"));
            }
            if let Some(by) = &transition.last_changed_by {
                text.push_str(&format!(" (by {by})"));
            }
            lines.push(Line::from(Span::styled(text, theme.warning)));
        }
        if index == selected {
            selected_line = lines.len();
        }
        lines.push(stage_line(app, theme, stage, index == selected));
        let declared = structure.and_then(|s| s.stage(&stage.stage_name));
        let chosen = chosen.filter(|_| index == selected);
        lines.extend(action_lines(
            app, theme, stage, declared, name_width, chosen,
        ));
    }
    (lines, selected_line)
}

fn stage_line<'a>(app: &App, theme: &Theme, stage: &'a StageState, selected: bool) -> Line<'a> {
    let marker = if selected { "▶ " } else { "  " };
    let (glyph, word, style) = look(theme, stage.status());
    let name_style = if selected {
        theme.selected.patch(theme.title)
    } else {
        theme.title
    };
    let mut spans = vec![
        Span::styled(marker, theme.key),
        Span::styled(format!("{glyph} "), style),
        Span::styled(stage.stage_name.clone(), name_style),
        Span::styled(format!("  {word}"), style),
    ];
    if let Some(run) = &stage.latest_execution {
        spans.push(Span::styled(
            format!("  {}", short_id(&run.pipeline_execution_id)),
            theme.label,
        ));
        if run.rollback {
            spans.push(Span::styled(" rollback", theme.warning));
        }
    }
    if let Some(attempts) = stage
        .retry
        .as_ref()
        .and_then(|r| r.manual_stage_retry_attempt)
        .filter(|n| *n > 0)
    {
        spans.push(Span::styled(format!("  retried {attempts}×"), theme.label));
    }
    if let Some(at) = stage.last_change() {
        spans.push(Span::styled(format!("  {}", app.when(at)), theme.muted));
    }
    Line::from(spans)
}

fn action_lines<'a>(
    app: &App,
    theme: &Theme,
    stage: &'a StageState,
    declared: Option<&StageDeclaration>,
    name_width: usize,
    chosen: Option<&str>,
) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for group in run_groups(stage, declared) {
        let count = group.actions.len();
        for (position, action) in group.actions.iter().enumerate() {
            // Actions with the same run order run in parallel: draw them bracketed together.
            let bracket = match (count, position) {
                (1, _) => "─",
                (_, 0) => "┌",
                (n, p) if p + 1 == n => "└",
                _ => "├",
            };
            let order = if position == 0 {
                format!("{:>2}", group.run_order)
            } else {
                "  ".into()
            };
            let is_chosen = chosen == Some(action.action_name.as_str());
            lines.push(action_line(
                app, theme, action, &order, bracket, name_width, is_chosen,
            ));
        }
    }
    lines
}

fn action_line<'a>(
    app: &App,
    theme: &Theme,
    action: &'a ActionState,
    order: &str,
    bracket: &str,
    name_width: usize,
    chosen: bool,
) -> Line<'a> {
    let (glyph, word, style) = look(theme, action.status.as_ref());
    // The chosen action (←/→) is what Enter opens and `y` copies.
    let (pointer, name_style) = if chosen {
        ("›", theme.selected)
    } else {
        (" ", ratatui::style::Style::new())
    };
    let mut spans = vec![
        Span::styled(format!("  {pointer}{order} {bracket} "), theme.muted),
        Span::styled(format!("{glyph} "), style),
        Span::styled(fit(&action.action_name, name_width), name_style),
        Span::styled(format!(" {}", fit(&word, 10)), style),
    ];
    match (&action.error, action.last_status_change) {
        (Some(error), _) => spans.push(Span::styled(format!(" {}", error.code), theme.failed)),
        (None, Some(at)) => spans.push(Span::styled(format!(" {}", app.when(at)), theme.muted)),
        _ => {}
    }
    if let Some(percent) = action.percent_complete.filter(|_| action.error.is_none()) {
        spans.push(Span::styled(format!(" {percent}%"), theme.running));
    }
    Line::from(spans)
}
