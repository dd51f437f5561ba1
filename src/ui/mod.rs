//! Drawing. `render` only reads the app: no I/O, no locks, no waiting.

mod ascii;
mod confirm;
mod detail;
mod execution;
mod executions;
mod help;
mod hyperlinks;
mod list;
mod pipelines;
mod ran;
mod reader;
mod stages;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::{App, Coverage, View};
use crate::keymap::Mode;
use crate::model::{StatusLook, Tone, span};
use crate::terminal::Hyperlink;
use ratatui::style::Style;
pub use theme::Theme;

/// What a frame showed, beyond its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Whether the open dialog, if any, is on screen whole: only then can it be armed (a
    /// dialog cut short names no target a person could check).
    pub dialog_whole: bool,
    /// How far the execution detail on screen can scroll (0 elsewhere).
    pub detail_scroll_limit: u16,
    /// Text on screen with a console page to open, when the theme makes hyperlinks.
    pub links: Vec<Hyperlink>,
}

/// Draws the whole screen.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame) -> Rendered {
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    render_header(app, theme, frame, header);
    let mut detail_scroll_limit = 0;
    match &app.ui.view {
        View::Pipelines => pipelines::render(app, theme, frame, body),
        View::Pipeline(name) => stages::render(app, theme, frame, body, name),
        View::Executions => executions::render(app, theme, frame, body),
        View::Execution(arn) => {
            detail_scroll_limit = execution::render(app, theme, frame, body, arn);
        }
    }
    if let Some(open) = &app.ui.reader {
        reader::render(app, theme, frame, body, open);
    }
    render_status(app, theme, frame, status);
    render_footer(app, theme, frame, footer);
    if app.ui.help {
        // The whole screen: at 80×24 every binding fits.
        help::render(&app.keys, theme, frame, frame.area(), app.ui.help_scroll);
    }
    let dialog_whole = match &app.confirm {
        Some(dialog) => confirm::render(dialog, theme, frame, body),
        None => true,
    };
    let links = if theme.hyperlinks {
        hyperlinks::on_screen(app, frame.buffer_mut(), body, status)
    } else {
        Vec::new()
    };
    // Last, once the links were found in the text as drawn.
    if theme.ascii {
        ascii::transliterate(frame.buffer_mut());
    }
    Rendered {
        dialog_whole,
        detail_scroll_limit,
        links,
    }
}

/// Account, region and profile first: where a write would land. When the line is too
/// narrow, the least important part goes first: the name of the program, the other
/// half's count, the endpoint, this half's count, then how fresh its list is.
fn render_header(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let settings = &app.settings;
    // (rank, text, style): the highest rank is dropped first.
    let mut parts: Vec<(u8, String, Style)> = vec![(5, " unstick ".into(), theme.title)];
    let account = app.account().unwrap_or("account ?");
    let place = settings.region.as_deref().unwrap_or("no region");
    parts.push((0, format!("│ {account} · {place}"), theme.label));
    if let Some(profile) = settings.profile_words() {
        parts.push((0, format!(" · {profile}"), theme.label));
    }
    if let Some(endpoint) = &settings.endpoint_label {
        parts.push((3, format!(" · {endpoint}"), theme.label));
    }
    if settings.read_only {
        parts.push((0, " · READ-ONLY".into(), theme.warning));
    }
    // Times that are not ages say in which zone they are.
    if let Some(label) = app.ui.time.label(app.now) {
        parts.push((1, format!(" · {label}"), theme.label));
    }
    // The half on screen says how fresh its list is; the other half just how big.
    let pipelines = &app.model.codepipeline.list;
    let machines = &app.model.sfn.machines;
    let count =
        |n: Option<usize>, what: &str| n.map_or(format!("… {what}"), |n| format!("{n} {what}"));
    let pipeline_count = count(pipelines.data.as_ref().map(Vec::len), "pipelines");
    let machine_count = count(machines.data.as_ref().map(Vec::len), "state machines");
    let (this, coverage, other) = if app.ui.view.is_pipelines_section() {
        (pipeline_count, app.pipeline_coverage(), machine_count)
    } else {
        (machine_count, app.machine_coverage(), pipeline_count)
    };
    parts.push((2, format!(" │ {this}"), theme.label));
    // How fresh the sweep is: the oldest of them, in steps of ten seconds.
    let freshness = match coverage {
        Some(Coverage::Within(age)) => {
            let step = jiff::SignedDuration::from_secs((age.as_secs() / 10 + 1) * 10);
            Some(format!(", all ≤{} old", span(step)))
        }
        Some(Coverage::Reading { read, of }) => Some(format!(" · reading {read}/{of}…")),
        None if pipelines.loaded_at().is_some() || machines.loaded_at().is_some() => None,
        None => Some(" · loading…".into()),
    };
    if let Some(freshness) = freshness {
        parts.push((1, freshness, theme.label));
    }
    parts.push((4, format!(" · {other}"), theme.label));
    if let Some(until) = app.schedule.paused_until(app.now) {
        let secs = until.duration_since(app.now).as_secs().max(1);
        parts.push((
            0,
            format!(" · throttled, resuming in {secs}s"),
            theme.warning,
        ));
    }
    let width = |parts: &[(u8, String, Style)]| -> usize {
        parts.iter().map(|(_, text, _)| text.chars().count()).sum()
    };
    while width(&parts) > area.width as usize {
        let Some(least) = parts
            .iter()
            .map(|(rank, _, _)| *rank)
            .max()
            .filter(|r| *r > 0)
        else {
            break;
        };
        let index = parts
            .iter()
            .rposition(|(rank, _, _)| *rank == least)
            .unwrap_or(0);
        parts.remove(index);
        // Without the program's name the line starts with the account, not a bar.
        if least == 5
            && let Some(first) = parts.first_mut()
        {
            first.1 = format!(" {}", first.1.trim_start_matches("│ "));
        }
    }
    let spans: Vec<Span> = parts
        .into_iter()
        .map(|(_, text, style)| Span::styled(text, style))
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn render_status(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    if let Some(reader) = app.ui.reader.as_ref().filter(|r| r.searching) {
        let line = Line::from(vec![
            Span::styled(" /", theme.key),
            Span::raw(reader.search.clone()),
            Span::styled("▏", theme.key),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    if let Some(command) = &app.ui.command {
        let line = command_line(app, theme, &command.text, area.width as usize);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let line = match app.status_shown() {
        Some(status) => Line::from(vec![
            Span::styled(format!(" {} ", glyph(status.tone)), theme.tone(status.tone)),
            Span::styled(status.text.clone(), theme.tone(status.tone)),
            Span::styled(format!("  ({})", app.when(status.at)), theme.muted),
        ]),
        None => Line::from(""),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// ` :reg▏  region` : what is typed, then what could come next, as many as fit.
fn command_line<'a>(app: &App, theme: &Theme, text: &str, width: usize) -> Line<'a> {
    let typed = format!(" :{text}");
    let mut spans = vec![
        Span::styled(typed.clone(), theme.key),
        Span::styled("▏", theme.key),
    ];
    let suggestions = app.command_suggestions();
    // One suggestion that is what was typed adds nothing.
    let last_word = text.rsplit(' ').next().unwrap_or_default();
    if let [only] = suggestions.as_slice()
        && only == last_word
    {
        return Line::from(spans);
    }
    let mut room = width.saturating_sub(typed.chars().count() + 3);
    for (index, suggestion) in suggestions.iter().enumerate() {
        let left = suggestions.len() - index;
        let more = format!(" +{left}");
        let needed = suggestion.chars().count() + 2;
        // Keep room to say how many did not fit.
        let fits = needed <= room && (left == 1 || needed + more.len() <= room);
        if !fits {
            spans.push(Span::styled(more, theme.muted));
            break;
        }
        room -= needed;
        spans.push(Span::styled(format!("  {suggestion}"), theme.muted));
    }
    Line::from(spans)
}

fn glyph(tone: Tone) -> &'static str {
    match tone {
        Tone::Failed => "✗",
        Tone::Warning => "!",
        Tone::Good => "✓",
        Tone::Running => "◔",
        Tone::Muted => "·",
    }
}

/// The keys of the view, in table order, as many as fit; `? help` and `q quit` always
/// end the line, so a person at 80 columns can find the rest and get out.
fn render_footer(app: &App, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mode = app.mode();
    // (key, text, always shown)
    let hints: Vec<(String, String, bool)> = app
        .keys
        .hints(mode)
        .into_iter()
        .map(|(key, hint)| {
            let read_only_write =
                app.settings.read_only && mode == Mode::Pipeline && hint.starts_with("retry");
            let text = if read_only_write {
                format!(" {hint} (read-only)  ")
            } else {
                format!(" {hint}  ")
            };
            (key, text, hint == "help" || hint == "quit")
        })
        .collect();
    let width =
        |(key, text, _): &(String, String, bool)| key.chars().count() + text.chars().count();
    // The last hint's two trailing spaces may fall off the edge.
    let always: usize = hints.iter().filter(|h| h.2).map(width).sum();
    let mut room = (area.width as usize + 1).saturating_sub(always);
    let mut spans = vec![Span::raw(" ")];
    for hint in &hints {
        if !hint.2 {
            if width(hint) > room {
                // The rest are in help; skipping one keeps the order of those shown.
                room = 0;
                continue;
            }
            room -= width(hint);
        }
        spans.push(Span::styled(hint.0.clone(), theme.key));
        spans.push(Span::styled(hint.1.clone(), theme.label));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Glyph, word and style for a status, or for something that has not run.
fn look<S: StatusLook>(theme: &Theme, status: Option<&S>) -> (&'static str, String, Style) {
    match status {
        Some(status) => (
            status.glyph(),
            status.word().to_string(),
            theme.tone(status.tone()),
        ),
        None => ("○", "not run".to_string(), theme.muted),
    }
}

/// A rectangle of at most `width`×`height`, centred in `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// `parent/child` in at most `width` columns, shortening the parent first: of a state
/// machine and its execution, the execution's name is the one that tells rows apart.
fn fit_pair(parent: &str, child: &str, width: usize) -> String {
    let whole = format!("{parent}/{child}");
    if whole.chars().count() <= width {
        return whole;
    }
    let room = width.saturating_sub(child.chars().count() + 2);
    if room >= 3 {
        let cut: String = parent.chars().take(room).collect();
        format!("{cut}…/{child}")
    } else {
        fit(child, width).trim_end().to_string()
    }
}

/// Pads or cuts text to exactly `width` columns.
/// A pane's frame that says, at its foot, how many lines are below what it shows
/// (help, the execution detail, a log or history); unchanged when none are.
fn more_below<'a>(block: Block<'a>, below: usize, theme: &Theme) -> Block<'a> {
    if below == 0 {
        return block;
    }
    let text = format!(" ↓ {} more ", crate::model::text::thousands(below));
    block.title_bottom(Span::styled(text, theme.key))
}

fn fit(text: &str, width: usize) -> String {
    if width == 0 {
        String::new()
    } else {
        format!("{:width$}", cut(text, width))
    }
}

/// Text in at most `width` columns, with "…" where it was cut.
pub(crate) fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_child_name_survives_when_space_is_short() {
        assert_eq!(
            fit_pair("order-fulfilment", "order-58211", 40),
            "order-fulfilment/order-58211"
        );
        assert_eq!(
            fit_pair("order-fulfilment", "order-58211", 20),
            "order-f…/order-58211"
        );
        assert_eq!(
            fit_pair("order-fulfilment", "order-58211", 12),
            "order-58211"
        );
    }
}
