//! One Step Functions execution: the state it failed in and why, what a redrive would do
//! or why it cannot, the history's size against the limit, and its Map Runs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::executions::redrive_status_words;
use super::{Theme, look};
use crate::app::App;
use crate::eligibility::{
    HISTORY_LIMIT, format_window, plain_reason, redrive_plan, thousands, window_left,
};
use crate::model::{PathStep, machine_name_of, pretty_cause};

const LABEL_WIDTH: usize = 13;

/// Draws the execution; returns how far its detail can scroll (0 when it fits).
pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, arn: &str) -> u16 {
    let sfn = &app.model.sfn;
    let name = arn.rsplit(':').next().unwrap_or(arn);
    let machine = machine_name_of(arn).unwrap_or("?");
    let mut title = vec![
        Span::styled(format!(" {name} "), theme.title),
        Span::styled(format!("· {machine} "), theme.label),
    ];
    if let Some(at) = sfn.details.get(arn).and_then(|t| t.loaded_at()) {
        title.push(Span::styled(
            format!("· updated {} ", app.when(at)),
            theme.label,
        ));
    }
    if sfn.details.get(arn).and_then(|t| t.error()).is_some() {
        title.push(Span::styled("⚠ stale ", theme.warning));
    }
    if app.redrives.watches.contains_key(arn) {
        title.push(Span::styled("· following redrive ", theme.running));
    }
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(theme.border);
    let Some(execution) = sfn.execution(arn) else {
        let text = match sfn.details.get(arn).and_then(|t| t.error()) {
            Some(error) => format!("Could not read the execution: {error}"),
            None => "Reading the execution…".to_string(),
        };
        frame.render_widget(Paragraph::new(text).block(block), area);
        return 0;
    };
    let detail = sfn.detail(arn);
    let history = sfn.history(arn);
    let failure = history.and_then(|h| h.failure.as_ref());
    let mut lines: Vec<Line> = Vec::new();
    let row = |label: &str, spans: Vec<Span<'static>>| {
        let mut all = vec![Span::styled(format!("{label:<LABEL_WIDTH$}"), theme.label)];
        all.extend(spans);
        Line::from(all)
    };

    let (glyph, word, style) = look(theme, Some(&execution.status));
    let mut status = vec![Span::styled(format!("{glyph} {word}"), style)];
    if let Some(stop) = execution.stop_date {
        status.push(Span::styled(
            format!(" · stopped {}", app.when(stop)),
            theme.label,
        ));
    }
    if let Some(start) = execution.start_date {
        status.push(Span::styled(
            format!(" · started {}", app.when(start)),
            theme.label,
        ));
    }
    lines.push(row("Status", status));

    // Retry or redrive first: it is what the person came for.
    if let Some(owned) = app.redrive_input(arn) {
        match redrive_plan(&owned.as_input(app.now, app.settings.read_only)) {
            Ok(plan) => {
                for (index, text) in plan.reruns.iter().enumerate() {
                    let mut spans = Vec::new();
                    if index == 0 {
                        spans.push(Span::styled("r ", theme.key));
                        spans.push(Span::styled("redrive: re-runs ", theme.good));
                    } else {
                        spans.push(Span::raw("  "));
                    }
                    spans.push(Span::styled(text.clone(), theme.good));
                    lines.push(Line::from(spans));
                }
            }
            Err(reasons) => {
                lines.push(Line::from(Span::styled("Cannot redrive:", theme.warning)));
                for reason in reasons {
                    lines.push(Line::from(Span::styled(
                        format!(" • {}", reason.explain()),
                        theme.warning,
                    )));
                }
            }
        }
    }

    match (history, sfn.histories.get(arn).and_then(|t| t.error())) {
        (Some(_), _) => {}
        (None, Some(error)) => lines.push(row(
            "History",
            vec![Span::styled(
                format!("could not be read: {error}"),
                theme.warning,
            )],
        )),
        (None, None) => lines.push(row(
            "History",
            vec![Span::styled("reading every page…", theme.muted)],
        )),
    }
    if let Some(failure) = failure {
        let state = failure
            .state
            .clone()
            .unwrap_or_else(|| "(not in the history)".into());
        let mut spans = vec![Span::styled(state, theme.failed)];
        if let Some(event) = &failure.failure_event {
            spans.push(Span::styled(format!("  ({event})"), theme.label));
        }
        lines.push(row("Failed state", spans));
        if !failure.path.is_empty() {
            let mut steps: Vec<String> = failure
                .path
                .iter()
                .map(|step| match step {
                    PathStep::State { name } => name.clone(),
                    PathStep::Iteration { index, .. } => format!("iteration {index}"),
                    PathStep::Branch { starts_at, .. } => match starts_at {
                        Some(first) => format!("branch from {first}"),
                        None => "a branch".to_string(),
                    },
                })
                .collect();
            steps.extend(failure.state.clone());
            lines.push(row("Path", vec![Span::raw(steps.join(" ▸ "))]));
        }
        if let Some(caught) = &failure.caught_from {
            let error = caught.error.clone().unwrap_or_default();
            lines.push(row(
                "Caught from",
                vec![
                    Span::styled(caught.state.clone(), theme.title),
                    Span::styled(format!(": {} {error}", caught.failure_event), theme.label),
                ],
            ));
        }
    }
    let error = failure
        .and_then(|f| f.error.clone())
        .or_else(|| detail.and_then(|d| d.error.clone()));
    let cause = failure
        .and_then(|f| f.cause.clone())
        .or_else(|| detail.and_then(|d| d.cause.clone()));
    if let Some(error) = error {
        lines.push(row("Error", vec![Span::styled(error, theme.failed)]));
    }
    // Where to look next: the function's own log, then the whole history.
    if let Some(call) = failure.and_then(|f| f.lambda.as_ref()) {
        let mut spans = vec![
            Span::styled("l", theme.key),
            Span::styled(format!(" /aws/lambda/{}", call.function), theme.label),
        ];
        if let Some(id) = &call.request_id {
            spans.push(Span::styled(format!(" · request {id}"), theme.label));
        }
        lines.push(row("Lambda log", spans));
    }
    if let Some(cause) = cause.filter(|c| !c.is_empty()) {
        for (index, text) in pretty_cause(&cause).lines().enumerate() {
            let label = if index == 0 { "Cause" } else { "" };
            lines.push(row(label, vec![Span::raw(text.to_string())]));
        }
    }

    let mut redrive = vec![Span::styled(
        redrive_status_words(detail.and_then(|d| d.redrive_status.as_ref())),
        theme.title,
    )];
    let count = execution
        .redrive_count
        .map_or("redrive count unknown".to_string(), |n| {
            format!("redriven {n}×")
        });
    redrive.push(Span::styled(format!(" · {count}"), theme.label));
    if let Some(left) = window_left(&execution, app.now) {
        let window = match format_window(left).as_str() {
            "closed" => " · window closed".to_string(),
            open => format!(" · window {open} left"),
        };
        redrive.push(Span::styled(window, theme.label));
    }
    lines.push(row("Redrive", redrive));
    if let Some(reason) = detail.and_then(|d| d.redrive_status_reason.as_deref()) {
        lines.push(row(
            "",
            vec![Span::styled(plain_reason(reason), theme.warning)],
        ));
    }
    if let Some(history) = history {
        let style = if history.event_count >= HISTORY_LIMIT {
            theme.warning
        } else {
            theme.label
        };
        lines.push(row(
            "History",
            vec![
                Span::styled(
                    format!(
                        "{} events (a redrive needs fewer than 24,999)",
                        thousands(history.event_count)
                    ),
                    style,
                ),
                Span::styled("  h", theme.key),
                Span::styled(" timeline", theme.label),
            ],
        ));
        if let Some(cut) = &history.cut {
            lines.push(row(
                "",
                vec![Span::styled(
                    format!("⚠ read in part: {cut}"),
                    theme.warning,
                )],
            ));
        }
    }
    for run in sfn.map_runs(arn) {
        let name = run
            .map_run_arn
            .rsplit(':')
            .next()
            .unwrap_or(&run.map_run_arn);
        let mut text = format!("{name}: {}", run.status);
        if let Some(counts) = run.item_counts {
            text.push_str(&format!(
                " · {} items · {} succeeded · {} failed",
                counts.total, counts.succeeded, counts.failed
            ));
            if let Some(pending) = counts.pending_redrive {
                text.push_str(&format!(" · {pending} pending redrive"));
            }
            if let Some(stuck) = counts.failures_not_redrivable {
                text.push_str(&format!(" · {stuck} not redrivable"));
            }
        }
        if let Some(redrives) = run.redrive_count.filter(|n| *n > 0) {
            text.push_str(&format!(" · redriven {redrives}×"));
        }
        lines.push(row("Map Run", vec![Span::raw(text)]));
    }
    // Scrolled only as far as there are lines, and saying how many are below.
    let inner = block.inner(area);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = paragraph.line_count(inner.width.max(1));
    let limit = total
        .saturating_sub(inner.height as usize)
        .min(u16::MAX as usize) as u16;
    let scroll = app.ui.executions.detail_scroll.min(limit);
    let below = total.saturating_sub(scroll as usize + inner.height as usize);
    let block = super::more_below(block, below, theme);
    frame.render_widget(paragraph.block(block).scroll((scroll, 0)), area);
    limit
}
