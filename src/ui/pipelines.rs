//! The pipelines list: failed first, then running, then the rest.

use crate::action::PipelineRead;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use super::list::{self, Column};
use crate::app::{App, PipelineRow, SortOrder};
use crate::model::Tone;
use crate::model::overview::Health;

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rows = app.rows();
    let total = app.model.codepipeline.pipeline_names().len();
    let mut title = vec![Span::styled(
        format!(" Pipelines ({}/{total}) ", rows.len()),
        theme.title,
    )];
    if app.ui.sort != SortOrder::default() {
        title.push(Span::styled(
            format!("· {} ", app.ui.sort.words()),
            theme.label,
        ));
    }
    if app.ui.filtering || !app.ui.filter.is_empty() {
        let cursor = if app.ui.filtering { "▏" } else { "" };
        title.push(Span::styled(
            format!("filter: {}{cursor} ", app.ui.filter),
            theme.key,
        ));
    }
    if app
        .model
        .codepipeline
        .list
        .is_stale(app.now, jiff::SignedDuration::from_mins(15))
    {
        title.push(Span::styled("⚠ stale ", theme.warning));
    }
    if app
        .cut_short
        .contains_key(&crate::action::Read::CodePipeline(
            PipelineRead::ListPipelines,
        ))
    {
        title.push(Span::styled("⚠ not all listed ", theme.warning));
    }
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(theme.border);

    if rows.is_empty() {
        let text = match (
            app.model.codepipeline.list.data.is_some(),
            app.model.codepipeline.list.error(),
        ) {
            (_, Some(error)) => format!("Could not list pipelines: {error}"),
            (true, None) if total > 0 => "No pipeline matches the filter.".to_string(),
            (true, None) => format!("No pipelines in {}. (:region switches)", app.region_words()),
            (false, None) => "Listing pipelines…".to_string(),
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }

    let selected = rows
        .iter()
        .position(|row| Some(row.name) == app.ui.pipelines.selected_pipeline.as_deref())
        .unwrap_or(0);
    let (first, fits) = list::window(selected, area);
    let lines: Vec<Drawn> = rows
        .iter()
        .skip(first)
        .take(fits)
        .map(|row| line(app, theme, row))
        .collect();
    let columns = if area.width >= 110 { WIDE } else { NARROW };
    let table = list::ListTable {
        block,
        columns,
        rows: &lines,
        selected,
        first,
    };
    list::draw(frame, area, theme, table);
}

/// One pipeline row as drawn: each cell's text and style.
struct Drawn {
    status: Span<'static>,
    name: String,
    stage: String,
    action: String,
    detail: Span<'static>,
    changed: Span<'static>,
}

// One column per line reads as a table.
#[rustfmt::skip]
const NARROW: &[Column<Drawn>] = &[
    Column { header: "Status", width: Constraint::Length(13), cell: |l| l.status.clone() },
    Column { header: "Pipeline", width: Constraint::Fill(3), cell: |l| Span::from(l.name.clone()) },
    Column { header: "Stage", width: Constraint::Length(12), cell: |l| Span::from(l.stage.clone()) },
    Column { header: "Error", width: Constraint::Fill(2), cell: |l| l.detail.clone() },
    Column { header: "Changed", width: Constraint::Length(8), cell: |l| l.changed.clone() },
];

#[rustfmt::skip]
const WIDE: &[Column<Drawn>] = &[
    Column { header: "Status", width: Constraint::Length(13), cell: |l| l.status.clone() },
    Column { header: "Pipeline", width: Constraint::Fill(2), cell: |l| Span::from(l.name.clone()) },
    Column { header: "Stage", width: Constraint::Length(16), cell: |l| Span::from(l.stage.clone()) },
    Column { header: "Action", width: Constraint::Length(18), cell: |l| Span::from(l.action.clone()) },
    Column { header: "Error", width: Constraint::Fill(2), cell: |l| l.detail.clone() },
    Column { header: "Changed", width: Constraint::Length(9), cell: |l| l.changed.clone() },
];

fn line(app: &App, theme: &Theme, row: &PipelineRow) -> Drawn {
    let view = &row.overview;
    let (glyph, word, tone) = health_look(view.health);
    let has_data = app.model.codepipeline.state(row.name).is_some();
    let (status, status_tone) = match (row.error, view.health, has_data) {
        (Some(_), Health::Unknown, false) => ("⚠ error".to_string(), Tone::Warning),
        (_, Health::Unknown, true) => ("? Unknown".to_string(), Tone::Warning),
        _ => (format!("{glyph} {word}"), tone),
    };
    let stage = view
        .failed_stage
        .clone()
        .or_else(|| view.running_stage.clone())
        .unwrap_or_default();
    // A refresh that failed keeps what was last known (the failing pipeline's own error
    // code) and marks it stale; the read error replaces it only when nothing was ever read.
    let known = match (&view.error_code, &view.unclear) {
        (Some(code), _) => Some(code.clone()),
        (None, Some(reason)) => Some(reason.clone()),
        (None, None) if !view.disabled_transitions.is_empty() => Some(format!(
            "⇣ transition off: {}",
            view.disabled_transitions.join(", ")
        )),
        _ => None,
    };
    // Older than the sweep should ever leave it: said as stale too.
    let old = app.pipeline_is_stale(row.name);
    let detail = match (row.error, known) {
        (Some(error), _) if !has_data => error.to_string(),
        (Some(error), None) => format!("⚠ stale: {error}"),
        (Some(_), Some(known)) => format!("⚠ {known} (stale)"),
        (None, Some(known)) if old => format!("⚠ {known} (stale)"),
        (None, None) if old => "⚠ stale".to_string(),
        (None, Some(known)) => known,
        (None, None) => String::new(),
    };
    let detail_style = if row.error.is_some() || old {
        theme.warning
    } else {
        theme.tone(tone)
    };
    let changed = view.last_change.map(|at| app.when(at)).unwrap_or_default();
    Drawn {
        status: Span::styled(status, theme.tone(status_tone)),
        name: row.name.to_string(),
        stage,
        action: view.failed_action.clone().unwrap_or_default(),
        detail: Span::styled(detail, detail_style),
        changed: Span::styled(changed, theme.label),
    }
}

pub fn health_look(health: Health) -> (&'static str, &'static str, Tone) {
    match health {
        Health::Failed => ("✗", "Failed", Tone::Failed),
        Health::InProgress => ("◔", "InProgress", Tone::Running),
        Health::Stopped => ("■", "Stopped", Tone::Warning),
        Health::Healthy => ("✓", "Succeeded", Tone::Good),
        Health::Unknown => ("…", "loading", Tone::Muted),
    }
}
