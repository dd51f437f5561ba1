//! In the stage detail, what the chosen action ran: a build with its failing phase and
//! the end of its log (or the lines around its first error), a Step Functions execution
//! to open, or another provider's link.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::{Theme, cut};
use crate::app::{App, Ran};
use crate::model::logs::{excerpt, is_error_line};

/// The most log lines the pane shows; fewer when it is short.
const TAIL: usize = 20;

/// The lines to add, in at most `room` rows of `width` columns (log lines are cut to
/// one row each, so they can be counted).
pub fn lines(app: &App, theme: &Theme, width: usize, room: usize) -> Vec<Line<'static>> {
    let Some(chosen) = app.chosen() else {
        return Vec::new();
    };
    let action = &chosen.action;
    let (glyph, word, style) = super::look(theme, action.status.as_ref());
    let mut out = vec![Line::from(vec![
        Span::styled("› ", theme.key),
        Span::styled(format!("{glyph} "), style),
        Span::styled(action.action_name.clone(), theme.title),
        Span::styled(format!(" {word}"), style),
        Span::styled(
            match &chosen.provider {
                Some(provider) => format!(" · {provider}"),
                None => String::new(),
            },
            theme.label,
        ),
    ])];
    if let Some(error) = &action.error {
        // One row: the whole message is in the log, and the log needs the room.
        let room = width.saturating_sub(error.code.chars().count() + 4);
        out.push(Line::from(vec![
            Span::styled(format!("  {}: ", error.code), theme.failed),
            Span::raw(cut(&error.message, room)),
        ]));
    } else if let Some(summary) = &action.summary {
        out.push(Line::from(Span::styled(
            format!("  {summary}"),
            theme.label,
        )));
    }
    let said = action.error.as_ref().map_or("", |e| e.message.as_str());
    match chosen.ran.clone() {
        Some(Ran::Build(id)) => build_lines(app, theme, &id, said, width, room, &mut out),
        Some(Ran::Execution(arn)) => {
            let name = arn.rsplit(':').next().unwrap_or(&arn).to_string();
            out.push(Line::from(vec![
                Span::styled("  ran execution ", theme.label),
                Span::raw(name),
                Span::styled("  Enter", theme.key),
                Span::styled(" opens it", theme.label),
            ]));
        }
        Some(Ran::Other { id, url, .. }) => {
            if let Some(id) = id {
                out.push(Line::from(Span::styled(format!("  ran {id}"), theme.label)));
            }
            if let Some(url) = url {
                out.push(Line::from(Span::styled(format!("  {url}"), theme.muted)));
            }
        }
        None => {}
    }
    out
}

fn build_lines(
    app: &App,
    theme: &Theme,
    id: &str,
    said: &str,
    width: usize,
    room: usize,
    out: &mut Vec<Line<'static>>,
) {
    let tracked = app.model.codebuild.builds.get(id);
    let Some(build) = tracked.and_then(|t| t.data.as_ref()) else {
        let text = match tracked.and_then(|t| t.error()) {
            Some(error) => format!("  build {id}: {error}"),
            None => format!("  build {id}: reading…"),
        };
        out.push(Line::from(Span::styled(text, theme.warning)));
        return;
    };
    let mut head = vec![
        Span::styled(format!("  build {} ", short_build(id)), theme.label),
        Span::styled(build.status.clone(), status_style(theme, &build.status)),
    ];
    // The same source the reader shows, once BatchGetBuilds named the stream.
    let age = app
        .build_log_source(id)
        .and_then(|source| app.model.logs.logs.get(&source))
        .and_then(|t| t.loaded_at())
        .map(|at| format!(" · log read {}", app.when(at)));
    if let Some(phase) = build.failed_phase() {
        head.push(Span::styled(format!(" in {}", phase.phase), theme.failed));
    } else if let Some(phase) = build.current_phase.as_ref().filter(|_| build.running()) {
        head.push(Span::styled(format!(" in {phase}"), theme.running));
    }
    if let Some(age) = age {
        head.push(Span::styled(age, theme.label));
        head.push(Span::styled("  Enter", theme.key));
        head.push(Span::styled(" whole log", theme.label));
    }
    out.push(Line::from(head));
    // The phase's message, unless the action's error already said the same.
    if let Some(message) = build
        .failed_phase()
        .and_then(|p| p.message.clone().or(p.code.clone()))
        .filter(|message| !said.contains(message.as_str()))
    {
        out.push(Line::from(Span::styled(
            format!("  {}", cut(&message, width.saturating_sub(2))),
            theme.failed,
        )));
    }
    let Some(source) = app.build_log_source(id) else {
        out.push(Line::from(Span::styled(
            "  no log yet: CodeBuild creates it once the build is provisioned",
            theme.muted,
        )));
        return;
    };
    let tracked = app.model.logs.logs.get(&source);
    let Some(read) = tracked.and_then(|t| t.data.as_ref()) else {
        let text = match tracked.and_then(|t| t.error()) {
            Some(error) => format!("  log: {error}"),
            None => "  log: reading…".into(),
        };
        out.push(Line::from(Span::styled(text, theme.warning)));
        return;
    };
    // The end of the log, or the lines from its first error when that is further up.
    let count = room.saturating_sub(out.len()).clamp(3, TAIL);
    let (_, shown) = excerpt(&read.lines, count);
    for line in shown {
        let error = is_error_line(&line.text);
        let style = if error { theme.failed } else { theme.muted };
        let margin = if error { "! " } else { "  " };
        out.push(Line::from(Span::styled(
            format!(
                "{margin}{}",
                cut(&line.text.replace('\t', "  "), width.saturating_sub(2))
            ),
            style,
        )));
    }
}

fn status_style(theme: &Theme, status: &str) -> Style {
    match status {
        "SUCCEEDED" => theme.good,
        "IN_PROGRESS" => theme.running,
        _ => theme.failed,
    }
}

/// `project:uuid` with the uuid's first block: enough to tell builds apart.
pub(super) fn short_build(id: &str) -> String {
    match id.split_once(':') {
        Some((project, uuid)) => format!("{project}:{}", uuid.split('-').next().unwrap_or(uuid)),
        None => id.to_string(),
    }
}
