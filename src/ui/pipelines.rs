//! The pipelines list: failed first, then running, then the rest.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row};

use super::{Theme, list};
use crate::app::App;
use crate::model::overview::Health;
use crate::model::{Tone, ago};

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rows = app.rows();
    let total = app.model.pipeline_names().len();
    let mut title = vec![Span::styled(
        format!(" Pipelines ({}/{total}) ", rows.len()),
        theme.title,
    )];
    if app.ui.filtering || !app.ui.filter.is_empty() {
        let cursor = if app.ui.filtering { "▏" } else { "" };
        title.push(Span::styled(
            format!("filter: {}{cursor} ", app.ui.filter),
            theme.key,
        ));
    }
    if app
        .model
        .pipelines
        .is_stale(app.now, jiff::SignedDuration::from_mins(15))
    {
        title.push(Span::styled("⚠ stale ", theme.warning));
    }
    if app
        .cut_short
        .contains_key(&crate::action::Read::ListPipelines)
    {
        title.push(Span::styled("⚠ not all listed ", theme.warning));
    }
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(theme.border);

    if rows.is_empty() {
        let text = match (
            app.model.pipelines.data.is_some(),
            app.model.pipelines.error(),
        ) {
            (_, Some(error)) => format!("Could not list pipelines: {error}"),
            (true, None) if total > 0 => "No pipeline matches the filter.".to_string(),
            (true, None) => "No pipelines in this region.".to_string(),
            (false, None) => "Listing pipelines…".to_string(),
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }

    let wide = area.width >= 110;
    let selected = rows
        .iter()
        .position(|row| Some(row.name) == app.ui.selected_pipeline.as_deref())
        .unwrap_or(0);
    let (first, fits) = list::window(selected, area);
    let table_rows: Vec<Row> = rows
        .iter()
        .skip(first)
        .take(fits)
        .map(|row| {
            let view = &row.overview;
            let (glyph, word, tone) = health_look(view.health);
            let has_data = app.model.state(row.name).is_some();
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
            // A refresh that failed keeps what was last known (the failing pipeline's own
            // error code) and marks it stale; the read error replaces it only when
            // nothing was ever read.
            let known = match (&view.error_code, &view.unclear) {
                (Some(code), _) => Some(code.clone()),
                (None, Some(reason)) => Some(reason.clone()),
                (None, None) if !view.disabled_transitions.is_empty() => Some(format!(
                    "⇣ transition off: {}",
                    view.disabled_transitions.join(", ")
                )),
                _ => None,
            };
            let detail = match (row.error, known) {
                (Some(error), _) if !has_data => error.to_string(),
                (Some(error), None) => format!("⚠ stale: {error}"),
                (Some(_), Some(known)) => format!("⚠ {known} (stale)"),
                (None, Some(known)) => known,
                (None, None) => String::new(),
            };
            let changed = view
                .last_change
                .map(|at| ago(app.now, at))
                .unwrap_or_default();
            let mut cells = vec![
                Cell::from(Span::styled(status, theme.tone(status_tone))),
                Cell::from(row.name.to_string()),
                Cell::from(stage),
                Cell::from(Span::styled(
                    detail,
                    if row.error.is_some() {
                        theme.warning
                    } else {
                        theme.tone(tone)
                    },
                )),
                Cell::from(Span::styled(changed, theme.label)),
            ];
            if wide {
                let action = view.failed_action.clone().unwrap_or_default();
                cells.insert(3, Cell::from(action));
            }
            Row::new(cells)
        })
        .collect();

    let (header, widths): (Vec<&str>, Vec<Constraint>) = if wide {
        (
            vec!["Status", "Pipeline", "Stage", "Action", "Error", "Changed"],
            vec![
                Constraint::Length(13),
                Constraint::Fill(2),
                Constraint::Length(16),
                Constraint::Length(18),
                Constraint::Fill(2),
                Constraint::Length(9),
            ],
        )
    } else {
        (
            vec!["Status", "Pipeline", "Stage", "Error", "Changed"],
            vec![
                Constraint::Length(13),
                Constraint::Fill(3),
                Constraint::Length(12),
                Constraint::Fill(2),
                Constraint::Length(8),
            ],
        )
    };
    list::draw(
        frame,
        area,
        theme,
        block,
        (header, widths),
        table_rows,
        selected,
        first,
    );
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
