//! The reader: a log or a whole history, full screen. Only the rows on screen are
//! formatted, so a 25,000-event history draws as fast as a short one. Error lines and
//! failures stand out; with NO_COLOR they keep a `!` in the margin.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::Theme;
use crate::app::{App, Reader, Reading};
use crate::model::logs::is_error_line;
use crate::model::text::thousands;
use crate::model::timeline::{Mark, TimelineRow};
use crate::model::{LogLine, Tracked, span};

pub fn render(app: &App, theme: &Theme, frame: &mut Frame, area: Rect, reader: &Reader) {
    let (title, state) = title(app, reader);
    let mut title_spans = vec![Span::styled(format!(" {title} "), theme.title)];
    title_spans.extend(
        state
            .into_iter()
            .map(|(text, style)| Span::styled(format!("{text} "), style.unwrap_or(theme.label))),
    );
    let block = Block::bordered()
        .title(Line::from(title_spans))
        .border_style(theme.border);
    let inner = block.inner(area);
    frame.render_widget(ratatui::widgets::Clear, area);
    let width = inner.width as usize;
    // The cursor's row whole, under the rows, when it is longer than a row: an error's
    // message is usually at the end of its line.
    let whole = cursor_text(app, reader).filter(|text| text.chars().count() + 8 > width);
    let whole_rows = whole.as_ref().map_or(0, |text| {
        (text.chars().count().div_ceil(width.max(1))).min(4) as u16
    });
    let whole_rows = if inner.height > whole_rows + 4 {
        whole_rows
    } else {
        0
    };
    let height = inner
        .height
        .saturating_sub(whole_rows + u16::from(whole_rows > 0)) as usize;
    let top = reader.top.min(reader.cursor);
    let mut lines: Vec<Line> = Vec::with_capacity(height);
    match &reader.reading {
        Reading::History { .. } => match &reader.timeline {
            Some(timeline) => {
                for (index, row) in timeline.rows.iter().enumerate().skip(top).take(height) {
                    lines.push(timeline_line(theme, row, index, reader, width));
                }
            }
            None => lines.push(Line::from("Reading the history…")),
        },
        _ => {
            let all = app.reader_lines();
            if all.is_empty() {
                lines.push(Line::from(empty_log(app, reader)));
            }
            for (index, line) in all.iter().enumerate().skip(top).take(height) {
                lines.push(log_line(theme, line, index, reader, width));
            }
        }
    }
    // Like help and the detail: how much is below what is shown.
    let below = app.reader_rows().saturating_sub(top + height);
    let block = super::more_below(block, below, theme);
    frame.render_widget(block, area);
    let [rows_area, _, whole_area] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(height as u16),
        ratatui::layout::Constraint::Length(u16::from(whole_rows > 0)),
        ratatui::layout::Constraint::Length(whole_rows),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines), rows_area);
    if let (Some(text), true) = (whole, whole_rows > 0) {
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.label)
                .wrap(ratatui::widgets::Wrap { trim: false }),
            whole_area,
        );
    }
}

/// The text of the row under the cursor, tabs made spaces.
fn cursor_text(app: &App, reader: &Reader) -> Option<String> {
    let text = match &reader.reading {
        Reading::History { .. } => {
            let row = reader.timeline.as_ref()?.rows.get(reader.cursor)?;
            row.detail.clone()?
        }
        _ => app.reader_lines().get(reader.cursor)?.text.clone(),
    };
    Some(text.replace('\t', "  "))
}

/// What the reader shows, and how fresh and complete it is.
fn title(app: &App, reader: &Reader) -> (String, Vec<(String, Option<Style>)>) {
    let rows = app.reader_rows();
    let position = if rows == 0 {
        String::new()
    } else {
        format!("{}/{}", thousands(reader.cursor + 1), thousands(rows))
    };
    let mut state = vec![(position, None)];
    if !reader.matches.is_empty() || !reader.search.is_empty() {
        let count = reader.matches.len();
        let word = if count == 1 { "match" } else { "matches" };
        state.push((
            format!("· /{}: {} {word}", reader.search, thousands(count)),
            None,
        ));
    }
    match &reader.reading {
        Reading::History { execution } => {
            let name = execution.rsplit(':').next().unwrap_or(execution);
            if let Some(tracked) = app.model.sfn.histories.get(execution) {
                state.extend(freshness(app, tracked));
            }
            (format!("History of {name}"), state)
        }
        Reading::BuildLog { build } => {
            if let Some(b) = app.model.codebuild.build(build) {
                let mut text = format!("· {}", b.status);
                if b.running()
                    && let Some(phase) = &b.current_phase
                {
                    text.push_str(&format!(" in {phase}"));
                }
                state.push((text, None));
            }
            if reader.follow {
                state.push(("· following".into(), None));
            }
            if let Some(tracked) = app
                .reader_source()
                .and_then(|source| app.model.logs.logs.get(&source))
            {
                state.extend(freshness(app, tracked));
                if tracked.data.as_ref().is_some_and(|l| l.earlier) {
                    state.push(("· the newest 10,000 lines".into(), None));
                }
            }
            (format!("Build log {build}"), state)
        }
        Reading::LambdaLog { source, .. } => {
            if let Some(tracked) = app.model.logs.logs.get(source) {
                state.extend(freshness(app, tracked));
            }
            (format!("Lambda log {}", source.describe()), state)
        }
    }
}

fn freshness<T>(app: &App, tracked: &Tracked<T>) -> Vec<(String, Option<Style>)> {
    let mut out = Vec::new();
    if let Some(at) = tracked.loaded_at() {
        out.push((format!("· read {}", app.when(at)), None));
    }
    if let Some(error) = tracked.error() {
        out.push((format!("· ⚠ {error}"), None));
    }
    out
}

/// Why a log shows no lines: not read yet, not there, or empty.
fn empty_log(app: &App, reader: &Reader) -> String {
    if let Reading::BuildLog { build } = &reader.reading {
        match app.model.codebuild.builds.get(build) {
            None => return "Reading the build…".into(),
            Some(tracked) => {
                if let Some(error) = tracked.error() {
                    return format!("Could not read the build: {error}");
                }
                if tracked.data.as_ref().is_some_and(|b| b.log.is_none()) {
                    return "The build has no log yet: CodeBuild creates it once the build is provisioned."
                        .into();
                }
            }
        }
    }
    match app
        .reader_source()
        .and_then(|source| app.model.logs.logs.get(&source))
    {
        Some(tracked) => match tracked.error() {
            Some(error) => format!("Could not read the log: {error}"),
            None if tracked.data.is_some() => match &reader.reading {
                Reading::LambdaLog { .. } => {
                    "No lines for this invocation in its window (the group may log elsewhere, or CloudWatch Logs has not ingested them yet).".into()
                }
                _ => "The log is empty.".into(),
            },
            None => "Reading the log…".into(),
        },
        None => "Reading the log…".into(),
    }
}

fn log_line<'a>(
    theme: &Theme,
    line: &'a LogLine,
    index: usize,
    reader: &Reader,
    width: usize,
) -> Line<'a> {
    let error = is_error_line(&line.text);
    let margin = if error { "!" } else { " " };
    let number = format!("{:>5} {margin} ", index + 1);
    let mut text_style = if error { theme.failed } else { Style::new() };
    let mut number_style = if error { theme.failed } else { theme.muted };
    if reader.matches.binary_search(&index).is_ok() {
        text_style = text_style.patch(theme.key);
    }
    if index == reader.cursor {
        text_style = text_style.patch(theme.selected);
        number_style = number_style.patch(theme.selected);
    }
    let room = width.saturating_sub(number.chars().count());
    Line::from(vec![
        Span::styled(number, number_style),
        Span::styled(clip(&line.text, room), text_style),
    ])
}

fn timeline_line<'a>(
    theme: &Theme,
    row: &'a TimelineRow,
    index: usize,
    reader: &Reader,
    width: usize,
) -> Line<'a> {
    let (margin, style) = match row.mark {
        Mark::Failed => ("✗", theme.failed),
        Mark::Retried => ("↻", theme.warning),
        Mark::Caught => ("⤷", theme.warning),
        Mark::Recovered => ("!", theme.warning),
        Mark::Redriven => ("⟲", theme.running),
        Mark::None => (" ", Style::new()),
    };
    let since = row
        .since_start
        .map_or("      ?".to_string(), |d| format!("{:>7}", span(d)));
    let mut text = format!("{:<26} {}", row.kind, row.state.as_deref().unwrap_or(""));
    // What became of a failure comes before its detail, which is cut first.
    text.push_str(match row.mark {
        Mark::Retried => "  (retried)",
        Mark::Caught => "  (caught)",
        _ => "",
    });
    if let Some(detail) = &row.detail {
        text.push_str(&format!("  {detail}"));
    }
    let head = format!("{:>6} {since} {margin} ", row.id);
    let mut text_style = style;
    let mut head_style = theme.muted;
    if reader.matches.binary_search(&index).is_ok() {
        text_style = text_style.patch(theme.key);
    }
    if index == reader.cursor {
        text_style = text_style.patch(theme.selected);
        head_style = head_style.patch(theme.selected);
    }
    let room = width.saturating_sub(head.chars().count());
    Line::from(vec![
        Span::styled(head, head_style),
        Span::styled(clip(&text, room), text_style),
    ])
}

/// Text cut to `width` columns, with "…" where it was cut. Tabs become spaces.
fn clip(text: &str, width: usize) -> String {
    super::cut(&text.replace('\t', "  "), width)
}
