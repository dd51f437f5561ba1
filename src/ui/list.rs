//! What the two list views share: drawing only the rows that fit, and the table itself.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Row, Table, TableState};

use super::Theme;

/// The rows to build for a list of `area`'s height with `selected` in view: (first, how many).
/// With a thousand rows, building the ones off screen would be most of a frame's cost.
pub fn window(selected: usize, area: Rect) -> (usize, usize) {
    let fits = (area.height as usize).saturating_sub(3).max(1);
    ((selected + 1).saturating_sub(fits), fits)
}

/// Draws a list table whose `rows` start at `first`, with `selected` highlighted.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    block: Block,
    columns: (Vec<&str>, Vec<Constraint>),
    rows: Vec<Row>,
    selected: usize,
    first: usize,
) {
    let (header, widths) = columns;
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.title))
        .block(block)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(selected - first));
    frame.render_stateful_widget(table, area, &mut state);
}
