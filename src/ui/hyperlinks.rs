//! Where the frame shows something with a console page: the pipeline or execution a view
//! is about, what the chosen action ran, the thing a reader shows, and an address in the
//! status line. Each is found in the cells the frame drew, so a name cut with "…" still
//! links to the whole page, and a link is never put on text that is not there.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::ran::short_build;
use crate::app::{App, Ran, Reading, View};
use crate::model::links;
use crate::terminal::Hyperlink;

/// The shortest cut text that is still taken for its link: shorter, it could be anything.
const SHORTEST_CUT: usize = 4;

/// The links among the cells of `buffer`: in the `body` the view drew, and in the
/// `status` line.
pub fn on_screen(app: &App, buffer: &Buffer, body: Rect, status_row: Rect) -> Vec<Hyperlink> {
    // An overlay covers the view: what shows through is not what it seems.
    if app.ui.help || app.confirm.is_some() {
        return Vec::new();
    }
    let title = Rect { height: 1, ..body };
    let mut wanted: Vec<(Rect, String, String)> = Vec::new();
    let region = app.region();
    let account = app.account().unwrap_or("ACCOUNT");
    if let Some(reader) = &app.ui.reader {
        let text = match &reader.reading {
            Reading::BuildLog { build } => build.clone(),
            Reading::LambdaLog { source, .. } => source.describe(),
            Reading::History { execution } => name_of(execution).to_string(),
        };
        if let Some(url) = app.copy_targets().link {
            wanted.push((title, text, url));
        }
    } else {
        match &app.ui.view {
            View::Pipeline(name) => {
                wanted.push((title, name.clone(), links::pipeline(region, name)));
                match app.chosen().and_then(|chosen| chosen.ran) {
                    Some(Ran::Build(id)) => {
                        let url = links::build(region, account, &id);
                        wanted.push((body, short_build(&id), url));
                    }
                    Some(Ran::Execution(arn)) => {
                        let url = links::execution(region, &arn);
                        wanted.push((body, name_of(&arn).to_string(), url));
                    }
                    Some(Ran::Other { url: Some(url), .. }) => {
                        wanted.push((body, url.clone(), url));
                    }
                    _ => {}
                }
            }
            View::Execution(arn) => {
                let url = links::execution(region, arn);
                wanted.push((title, name_of(arn).to_string(), url));
            }
            View::Pipelines | View::Executions => {}
        }
    }
    if let Some(status) = app.status_shown()
        && let Some(start) = status.text.find("https://")
    {
        let url = status.text[start..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_string();
        wanted.push((status_row, url.clone(), url));
    }
    wanted
        .into_iter()
        .filter_map(|(area, text, url)| {
            let (x, y, width) = find(buffer, area, &text)?;
            Some(Hyperlink { x, y, width, url })
        })
        .collect()
}

fn name_of(arn: &str) -> &str {
    arn.rsplit(':').next().unwrap_or(arn)
}

/// Where `text` is drawn in `area`: its first cell and width. Text cut short counts when
/// at least a few of its first characters are followed by "…".
pub fn find(buffer: &Buffer, area: Rect, text: &str) -> Option<(u16, u16, u16)> {
    if text.is_empty() {
        return None;
    }
    let area = area.intersection(buffer.area);
    for y in area.top()..area.bottom() {
        let (row, columns) = row_text(buffer, area, y);
        if let Some(found) = locate(&row, text) {
            let start = columns[row[..found.0].chars().count()];
            let width = row[found.0..found.1].width() as u16;
            return Some((start, y, width));
        }
    }
    None
}

/// The text of one row of `area`, and the column each of its characters starts at. A
/// cell hidden by a wide character before it is left out.
fn row_text(buffer: &Buffer, area: Rect, y: u16) -> (String, Vec<u16>) {
    let mut text = String::new();
    let mut columns = Vec::new();
    let mut x = area.left();
    while x < area.right() {
        let symbol = buffer[(x, y)].symbol();
        for _ in symbol.chars() {
            columns.push(x);
        }
        text.push_str(symbol);
        x += symbol.width().max(1) as u16;
    }
    (text, columns)
}

/// The byte range of `text` in `row`, whole or cut with "…".
fn locate(row: &str, text: &str) -> Option<(usize, usize)> {
    if let Some(start) = row.find(text) {
        return Some((start, start + text.len()));
    }
    let ends: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .skip(SHORTEST_CUT)
        .collect();
    ends.into_iter().rev().find_map(|end| {
        let cut = format!("{}…", &text[..end]);
        row.find(&cut).map(|start| (start, start + cut.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::widgets::{Paragraph, Widget};

    fn drawn(text: &str, width: u16) -> Buffer {
        let area = Rect::new(0, 0, width, 2);
        let mut buffer = Buffer::empty(area);
        Paragraph::new(text).render(area, &mut buffer);
        buffer
    }

    #[test]
    fn text_is_found_whole_or_cut_and_only_where_it_is() {
        let buffer = drawn("│ ran build checkout-web-it:4f1c  Enter", 60);
        assert_eq!(
            find(&buffer, buffer.area, "checkout-web-it:4f1c"),
            Some((12, 0, 20))
        );
        let cut = drawn(" checkout-web-integ… v3", 60);
        assert_eq!(
            find(&cut, cut.area, "checkout-web-integration-tests"),
            Some((1, 0, 19))
        );
        assert_eq!(find(&cut, cut.area, "payments"), None);
        // Three characters and "…" could be the start of anything.
        let short = drawn(" che… v3", 60);
        assert_eq!(find(&short, short.area, "checkout"), None);
    }

    #[test]
    fn wide_characters_keep_the_columns_right() {
        let buffer = drawn("名前 run-7", 20);
        assert_eq!(find(&buffer, buffer.area, "run-7"), Some((5, 0, 5)));
    }
}
