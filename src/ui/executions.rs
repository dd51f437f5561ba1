//! The executions list: failed, timed-out and aborted executions of every STANDARD state
//! machine, newest first, with why they stopped and whether they can be redriven.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row};

use super::{Theme, fit_pair, list, look};
use crate::app::{App, ExecutionRow};
use crate::eligibility::thousands;
use crate::model::{RedriveStatus, StatusLook, Tone, ago};

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let rows = app.execution_rows();
    let sfn = &app.model.sfn;
    let listed = rows
        .iter()
        .filter(|row| matches!(row, ExecutionRow::Execution { .. }))
        .count();
    // ListExecutions gives no total: "25+" says there are more than listed.
    let more = rows
        .iter()
        .any(|row| matches!(row, ExecutionRow::More { .. }));
    let count = if more {
        format!(" Executions ({listed}, more in AWS) ")
    } else {
        format!(" Executions ({listed}) ")
    };
    let mut title = vec![Span::styled(count, theme.title)];
    let shown = if app.ui.show_running {
        "failed, timed out, aborted, running, redriven "
    } else {
        "failed, timed out, aborted "
    };
    title.push(Span::styled(format!("· {shown}"), theme.label));
    if app.ui.filtering || !app.ui.filter.is_empty() {
        let cursor = if app.ui.filtering { "▏" } else { "" };
        title.push(Span::styled(
            format!("filter: {}{cursor} ", app.ui.filter),
            theme.key,
        ));
    }
    let unreadable = sfn.lists.values().filter(|t| t.error().is_some()).count();
    if unreadable > 0 {
        title.push(Span::styled(
            format!("⚠ {unreadable} lists not read "),
            theme.warning,
        ));
    }
    if app
        .cut_short
        .contains_key(&crate::action::Read::StateMachines)
    {
        title.push(Span::styled("⚠ not all machines listed ", theme.warning));
    }
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(theme.border);

    if rows.is_empty() {
        let text = match (sfn.machines.data.as_ref(), sfn.machines.error()) {
            (_, Some(error)) => format!("Could not list state machines: {error}"),
            (None, None) => "Listing state machines…".to_string(),
            (Some(machines), None) if machines.is_empty() => {
                "No state machines in this region.".to_string()
            }
            (Some(_), None) if !app.ui.filter.is_empty() => {
                "No execution matches the filter.".to_string()
            }
            (Some(_), None) => {
                "No failed, timed-out or aborted executions. Press a to see running ones too."
                    .to_string()
            }
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }

    let wide = area.width >= 120;
    // The narrow layout's Execution column: 3/5 of what the fixed columns leave.
    let name_width = (area.width as usize).saturating_sub(2 + 1 + 12 + 8 + 9 + 4) * 3 / 5;
    let selected = rows
        .iter()
        .position(|row| matches!(row, ExecutionRow::Execution { execution, .. } if Some(&execution.execution_arn) == app.ui.selected_execution.as_ref()))
        .unwrap_or(0);
    let (first, fits) = list::window(selected, area);
    let table_rows: Vec<Row> = rows
        .iter()
        .skip(first)
        .take(fits)
        .map(|row| match row {
            ExecutionRow::Execution {
                execution,
                machine,
                detail,
                window,
            } => {
                let (glyph, word, style) = look(theme, Some(&execution.status));
                let stopped = execution
                    .stop_date
                    .map_or_else(|| "—".to_string(), |at| ago(app.now, at));
                let error = detail.and_then(|d| d.error.clone()).unwrap_or_default();
                let redrive_status = detail.and_then(|d| d.redrive_status.as_ref());
                let (redrive_glyph, redrive_tone) = match redrive_status {
                    Some(status) => (status.glyph(), status.tone()),
                    None => ("?", Tone::Muted),
                };
                let window = window.clone().unwrap_or_else(|| "—".into());
                let mut cells = vec![Cell::from(Span::styled(format!("{glyph} {word}"), style))];
                if wide {
                    let status_word = match (redrive_status, detail) {
                        (Some(status), _) => status.word().to_string(),
                        (None, Some(_)) => "unknown".to_string(),
                        (None, None) => "…".to_string(),
                    };
                    let count = execution
                        .redrive_count
                        .map_or("?".to_string(), |n| n.to_string());
                    cells.extend([
                        Cell::from(machine.to_string()),
                        Cell::from(execution.name.clone()),
                        Cell::from(Span::styled(stopped, theme.label)),
                        Cell::from(Span::styled(error, theme.failed)),
                        Cell::from(Span::styled(status_word, theme.tone(redrive_tone))),
                        Cell::from(count),
                        Cell::from(Span::styled(window, theme.label)),
                    ]);
                } else {
                    cells.extend([
                        Cell::from(fit_pair(machine, &execution.name, name_width)),
                        Cell::from(Span::styled(error, theme.failed)),
                        Cell::from(Span::styled(stopped, theme.label)),
                        Cell::from(Span::styled(
                            format!("{redrive_glyph} {window}"),
                            theme.tone(redrive_tone),
                        )),
                    ]);
                }
                Row::new(cells)
            }
            ExecutionRow::More {
                machine,
                listed,
                next,
            } => {
                // "25+": this many listed, and AWS holds more; the machine's name gives
                // way before the count does.
                let count = format!(": {}+ listed", thousands(*listed));
                let room = name_width.saturating_sub(count.chars().count()).max(4);
                let shown = format!("{}{count}", super::fit(machine, room).trim_end());
                // Short enough for the narrow Error column: the rest is in help.
                let note = match next {
                    Some(next) => format!("m lists {next}"),
                    None => "rest in console".to_string(),
                };
                let mut cells = vec![Cell::from(Span::styled("⋯ more", theme.muted))];
                if wide {
                    cells.push(Cell::from(machine.to_string()));
                    cells.push(Cell::from(Span::styled(
                        format!("newest {} listed", thousands(*listed)),
                        theme.muted,
                    )));
                    cells.push(Cell::from(""));
                } else {
                    cells.push(Cell::from(Span::styled(shown, theme.muted)));
                }
                cells.push(Cell::from(Span::styled(note, theme.muted)));
                Row::new(cells)
            }
            ExecutionRow::Express { machine } => {
                let note = "cannot be redriven";
                let mut cells = vec![
                    Cell::from(Span::styled("— EXPRESS", theme.muted)),
                    Cell::from(machine.to_string()),
                ];
                if wide {
                    cells.push(Cell::from(""));
                    cells.push(Cell::from(""));
                }
                cells.push(Cell::from(Span::styled(note, theme.muted)));
                Row::new(cells)
            }
        })
        .collect();

    let (header, widths): (Vec<&str>, Vec<Constraint>) = if wide {
        (
            vec![
                "Status",
                "State machine",
                "Execution",
                "Stopped",
                "Error",
                "Redrive",
                "#",
                "Window",
            ],
            vec![
                Constraint::Length(12),
                Constraint::Fill(2),
                Constraint::Fill(2),
                Constraint::Length(9),
                Constraint::Fill(3),
                Constraint::Length(22),
                Constraint::Length(3),
                Constraint::Length(8),
            ],
        )
    } else {
        (
            vec!["Status", "Execution", "Error", "Stopped", "Redrive"],
            vec![
                Constraint::Length(12),
                Constraint::Fill(3),
                Constraint::Fill(2),
                Constraint::Length(8),
                Constraint::Length(9),
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

/// The redrive status in words, for the detail view.
pub fn redrive_status_words(status: Option<&RedriveStatus>) -> String {
    status.map_or("unknown (the service did not report it)".to_string(), |s| {
        s.word().to_string()
    })
}
