//! The report as plain tables: one row per failed action, one per failed execution.

use std::fmt::Write as _;

use jiff::{SignedDuration, Timestamp};

use super::{ExecutionReport, PipelineReport, Report};
use crate::eligibility::format_window;
use crate::model::ago;
use crate::terminal::printable::visible;

pub fn table(report: &Report, now: Timestamp) -> String {
    let mut out = String::new();
    // Where and when: a report pasted into an incident channel is read later, elsewhere.
    let _ = writeln!(
        out,
        "Account {} · {} · read {}\n",
        report.account.as_deref().unwrap_or("unknown"),
        report.region.as_deref().unwrap_or("no region"),
        iso(now)
    );
    match &report.pipelines_error {
        Some(error) => {
            let _ = writeln!(out, "Pipelines could not be listed: {error}");
        }
        None => out.push_str(&aligned(pipeline_rows(&report.pipelines, now))),
    }
    out.push('\n');
    match &report.state_machines_error {
        Some(error) => {
            let _ = writeln!(out, "State machines could not be listed: {error}");
        }
        None if !report.executions.is_empty() => {
            out.push_str(&aligned(execution_rows(&report.executions, now)))
        }
        None => {}
    }
    out.push_str(&links(report));
    for machine in &report.state_machines_with_more {
        let _ = writeln!(
            out,
            "⚠ {}: more stopped executions than the newest 25 of each status listed",
            visible(machine, false)
        );
    }
    for cut in &report.listings_cut_short {
        let _ = writeln!(out, "⚠ {}", visible(cut, false));
    }
    if !report.unread.is_empty() {
        let _ = writeln!(
            out,
            "⚠ incomplete: {} reads could not be made before the deadline or were refused:",
            report.unread.len()
        );
        for unread in &report.unread {
            let target = unread.target.as_deref().unwrap_or("");
            let _ = writeln!(
                out,
                "  {} {}: {}",
                unread.operation,
                visible(target, false),
                visible(&unread.error, false)
            );
        }
    }
    let failing = report
        .pipelines
        .iter()
        .filter(|p| p.error.is_none())
        .count();
    let _ = writeln!(
        out,
        "\n{failing} of {} pipelines failing; {} executions failed, timed out or aborted in {} state machines",
        report.pipeline_count,
        report.executions.len(),
        report.state_machine_count
    );
    out
}

/// Where each failure is in the console, one line each, to paste into an incident channel.
fn links(report: &Report) -> String {
    let mut rows = Vec::new();
    for pipeline in report.pipelines.iter().filter(|p| p.error.is_none()) {
        for stage in &pipeline.stages {
            for action in stage.actions.iter().filter(|a| a.error_code.is_some()) {
                if let Some(link) = &action.console_link {
                    rows.push(vec![
                        format!(
                            "{}/{}/{}",
                            pipeline.pipeline_name, stage.stage_name, action.action_name
                        ),
                        link.clone(),
                    ]);
                }
            }
        }
    }
    for execution in &report.executions {
        rows.push(vec![
            format!("{}/{}", execution.state_machine_name, execution.name),
            execution.console_link.clone(),
        ]);
    }
    if rows.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nConsole links:\n");
    for row in rows {
        let _ = writeln!(
            out,
            "  {}  {}",
            visible(&row[0], false),
            visible(&row[1], false)
        );
    }
    out
}

fn pipeline_rows(pipelines: &[PipelineReport], now: Timestamp) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec!["PIPELINE", "STAGE", "ACTION", "ERROR", "CHANGED", "RETRY"]
            .into_iter()
            .map(String::from)
            .collect(),
    ];
    for pipeline in pipelines {
        if let Some(error) = &pipeline.error {
            rows.push(vec![
                pipeline.pipeline_name.clone(),
                "-".into(),
                "-".into(),
                error.clone(),
                "-".into(),
                "-".into(),
            ]);
        }
        for stage in &pipeline.stages {
            let Some(retry) = &stage.retry else { continue };
            let verdict = &retry.failed_actions;
            let retry_text = if verdict.eligible {
                format!("yes: re-runs {}", verdict.reruns.join(", "))
            } else {
                let reasons: Vec<&str> =
                    verdict.reasons.iter().map(|r| r.message.as_str()).collect();
                format!("no: {}", reasons.join("; "))
            };
            for action in stage
                .actions
                .iter()
                .filter(|a| a.status.as_deref() == Some("Failed"))
            {
                rows.push(vec![
                    pipeline.pipeline_name.clone(),
                    stage.stage_name.clone(),
                    action.action_name.clone(),
                    action.error_code.clone().unwrap_or_default(),
                    action
                        .last_status_change
                        .map(|at| when(now, at))
                        .unwrap_or_default(),
                    retry_text.clone(),
                ]);
            }
        }
    }
    rows
}

fn execution_rows(executions: &[ExecutionReport], now: Timestamp) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec![
            "STATE MACHINE",
            "EXECUTION",
            "STATUS",
            "FAILED STATE",
            "ERROR",
            "STOPPED",
            "REDRIVE",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
    ];
    for execution in executions {
        let redrive = if execution.redrive.eligible {
            match execution.redrive_window_left_seconds {
                Some(left) => format!(
                    "yes ({} left)",
                    format_window(SignedDuration::from_secs(left))
                ),
                None => "yes".to_string(),
            }
        } else {
            let reasons: Vec<&str> = execution
                .redrive
                .reasons
                .iter()
                .map(|r| r.message.as_str())
                .collect();
            format!("no: {}", reasons.join("; "))
        };
        rows.push(vec![
            execution.state_machine_name.clone(),
            execution.name.clone(),
            execution.status.clone(),
            execution.failed_state.clone().unwrap_or_else(|| "-".into()),
            execution.error.clone().unwrap_or_default(),
            execution
                .stop_date
                .map(|at| when(now, at))
                .unwrap_or_default(),
            redrive,
        ]);
    }
    rows
}

/// A time in ISO 8601, UTC, to the second.
fn iso(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A time, and how long ago it was.
fn when(now: Timestamp, at: Timestamp) -> String {
    format!("{} ({})", iso(at), ago(now, at))
}

/// Columns padded to their widest cell; the last one left ragged. Text from AWS goes to
/// a terminal here too: control, bidi and line-break characters are written out as
/// `\u{…}`, so a cell is one line and says what was odd in it.
fn aligned(rows: Vec<Vec<String>>) -> String {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|cell| visible(&cell, false).into_owned())
                .collect()
        })
        .collect();
    let columns = rows.first().map_or(0, Vec::len);
    let mut widths = vec![0usize; columns];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        for (index, cell) in row.iter().enumerate() {
            if index + 1 == columns {
                let _ = writeln!(out, "{cell}");
            } else {
                let _ = write!(out, "{cell:width$}  ", width = widths[index]);
            }
        }
    }
    out
}
