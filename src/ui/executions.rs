//! The executions list: failed, timed-out and aborted executions of every STANDARD state
//! machine, newest first, with why they stopped and whether they can be redriven.

use crate::action::SfnRead;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::list::{self, Column};
use super::{Theme, fit_pair, look};
use crate::app::{App, ExecutionRow, SortOrder};
use crate::eligibility::thousands;
use crate::model::{RedriveStatus, StatusLook, Tone};

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
    let shown = if app.ui.executions.show_running {
        "failed, timed out, aborted, running, redriven "
    } else {
        "failed, timed out, aborted "
    };
    title.push(Span::styled(format!("· {shown}"), theme.label));
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
    let unreadable = sfn.lists.values().filter(|t| t.error().is_some()).count();
    if unreadable > 0 {
        title.push(Span::styled(
            format!("⚠ {unreadable} lists not read "),
            theme.warning,
        ));
    }
    if app
        .cut_short
        .contains_key(&crate::action::Read::StepFunctions(SfnRead::StateMachines))
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
                format!(
                    "No state machines in {}. (:region switches)",
                    app.region_words()
                )
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

    // The narrow layout's Execution column: 3/5 of what the fixed columns leave.
    let name_width = (area.width as usize).saturating_sub(2 + 1 + 12 + 8 + 9 + 4) * 3 / 5;
    let selected = rows
        .iter()
        .position(|row| matches!(row, ExecutionRow::Execution { execution, .. } if Some(&execution.execution_arn) == app.ui.executions.selected_execution.as_ref()))
        .unwrap_or(0);
    let (first, fits) = list::window(selected, area);
    let lines: Vec<Drawn> = rows
        .iter()
        .skip(first)
        .take(fits)
        .map(|row| line(app, theme, row, name_width))
        .collect();
    // The wide layout's extra columns only when its names and errors fit whole there.
    let columns = if list::fits_whole(WIDE, &lines, &block, area) {
        WIDE
    } else {
        NARROW
    };
    let table = list::ListTable {
        block,
        columns,
        rows: &lines,
        selected,
        first,
    };
    list::draw(frame, area, theme, table);
}

/// One row as drawn: each cell's text and style. The narrow layout joins machine and
/// execution in one cell (`pair`) and shows the redrive status as a glyph and the window.
#[derive(Default)]
struct Drawn {
    status: Span<'static>,
    machine: String,
    execution: Span<'static>,
    pair: Span<'static>,
    stopped: Span<'static>,
    error: Span<'static>,
    redrive: Span<'static>,
    count: String,
    window: Span<'static>,
    redrive_short: Span<'static>,
}

// One column per line reads as a table.
#[rustfmt::skip]
const NARROW: &[Column<Drawn>] = &[
    Column { header: "Status", width: Constraint::Length(12), cell: |l| l.status.clone() },
    Column { header: "Execution", width: Constraint::Fill(3), cell: |l| l.pair.clone() },
    Column { header: "Error", width: Constraint::Fill(2), cell: |l| l.error.clone() },
    Column { header: "Stopped", width: Constraint::Length(8), cell: |l| l.stopped.clone() },
    Column { header: "Redrive", width: Constraint::Length(9), cell: |l| l.redrive_short.clone() },
];

#[rustfmt::skip]
const WIDE: &[Column<Drawn>] = &[
    Column { header: "Status", width: Constraint::Length(12), cell: |l| l.status.clone() },
    Column { header: "State machine", width: Constraint::Fill(2), cell: |l| Span::from(l.machine.clone()) },
    Column { header: "Execution", width: Constraint::Fill(2), cell: |l| l.execution.clone() },
    Column { header: "Stopped", width: Constraint::Length(9), cell: |l| l.stopped.clone() },
    Column { header: "Error", width: Constraint::Fill(3), cell: |l| l.error.clone() },
    Column { header: "Redrive", width: Constraint::Length(14), cell: |l| l.redrive.clone() },
    Column { header: "#", width: Constraint::Length(3), cell: |l| Span::from(l.count.clone()) },
    Column { header: "Window", width: Constraint::Length(8), cell: |l| l.window.clone() },
];

fn line(app: &App, theme: &Theme, row: &ExecutionRow, name_width: usize) -> Drawn {
    match row {
        ExecutionRow::Execution {
            execution,
            machine,
            detail,
            window,
        } => {
            let (glyph, word, style) = look(theme, Some(&execution.status));
            let stopped = execution
                .stop_date
                .map_or_else(|| "—".to_string(), |at| app.when(at));
            let error = detail.and_then(|d| d.error.clone()).unwrap_or_default();
            // Its machine's list is older than the sweep should leave it.
            let (error, error_style) = if app.machine_is_stale(&execution.state_machine_arn) {
                (format!("⚠ {error} (stale)"), theme.warning)
            } else {
                (error, theme.failed)
            };
            let redrive_status = detail.and_then(|d| d.redrive_status.as_ref());
            let (redrive_glyph, redrive_tone) = match redrive_status {
                Some(status) => (status.glyph(), status.tone()),
                None => ("?", Tone::Muted),
            };
            let status_word = match (redrive_status, detail) {
                (Some(status), _) => status.word().to_string(),
                (None, Some(_)) => "unknown".to_string(),
                (None, None) => "…".to_string(),
            };
            let window = window.clone().unwrap_or_else(|| "—".into());
            Drawn {
                status: Span::styled(format!("{glyph} {word}"), style),
                machine: machine.to_string(),
                execution: Span::raw(execution.name.clone()),
                pair: Span::raw(fit_pair(machine, &execution.name, name_width)),
                stopped: Span::styled(stopped, theme.label),
                error: Span::styled(error, error_style),
                redrive: Span::styled(status_word, theme.tone(redrive_tone)),
                count: execution
                    .redrive_count
                    .map_or("?".to_string(), |n| n.to_string()),
                redrive_short: Span::styled(
                    format!("{redrive_glyph} {window}"),
                    theme.tone(redrive_tone),
                ),
                window: Span::styled(window, theme.label),
            }
        }
        ExecutionRow::More {
            machine,
            listed,
            next,
        } => {
            // "25+": this many listed, and AWS holds more; the machine's name gives way
            // before the count does.
            let count = format!(": {}+ listed", thousands(*listed));
            let room = name_width.saturating_sub(count.chars().count()).max(4);
            let shown = format!("{}{count}", super::fit(machine, room).trim_end());
            // Short enough for the narrow Error column: the rest is in help.
            let note = match next {
                Some(next) => format!("m lists {next}"),
                None => "rest in console".to_string(),
            };
            Drawn {
                status: Span::styled("⋯ more", theme.muted),
                machine: machine.to_string(),
                execution: Span::styled(
                    format!("newest {} listed", thousands(*listed)),
                    theme.muted,
                ),
                pair: Span::styled(shown, theme.muted),
                error: Span::styled(note, theme.muted),
                ..Drawn::default()
            }
        }
        ExecutionRow::Express { machine } => Drawn {
            status: Span::styled("— EXPRESS", theme.muted),
            machine: machine.to_string(),
            pair: Span::raw(machine.to_string()),
            error: Span::styled("cannot be redriven", theme.muted),
            ..Drawn::default()
        },
    }
}

/// The redrive status in words, for the detail view.
pub fn redrive_status_words(status: Option<&RedriveStatus>) -> String {
    status.map_or("unknown (the service did not report it)".to_string(), |s| {
        s.word().to_string()
    })
}
