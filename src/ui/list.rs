//! What the two list views share: one definition per column (header, width, cell),
//! drawing only the rows that fit, and the table itself.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Cell, Row, Table, TableState};

use super::Theme;

/// One column of a list: its header, its width rule, and what a row shows in it.
pub struct Column<T> {
    pub header: &'static str,
    pub width: Constraint,
    pub cell: fn(&T) -> Cell<'static>,
}

/// A list on screen: its frame, its columns, and the rows that fit, which start at
/// `first` of the whole list; `selected` counts from the top of the whole list.
pub struct ListTable<'a, T> {
    pub block: Block<'a>,
    pub columns: &'a [Column<T>],
    pub rows: &'a [T],
    pub selected: usize,
    pub first: usize,
}

/// The rows to build for a list of `area`'s height with `selected` in view: (first, how many).
/// With a thousand rows, building the ones off screen would be most of a frame's cost.
pub fn window(selected: usize, area: Rect) -> (usize, usize) {
    let fits = (area.height as usize).saturating_sub(3).max(1);
    ((selected + 1).saturating_sub(fits), fits)
}

/// Draws `list` in `area`, its selected row highlighted.
pub fn draw<T>(frame: &mut Frame, area: Rect, theme: &Theme, list: ListTable<T>) {
    let header = Row::new(list.columns.iter().map(|column| column.header)).style(theme.title);
    let rows = list
        .rows
        .iter()
        .map(|row| Row::new(list.columns.iter().map(|column| (column.cell)(row))));
    let widths = list.columns.iter().map(|column| column.width);
    let table = Table::new(rows, widths)
        .header(header)
        .block(list.block)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(list.selected - list.first));
    frame.render_stateful_widget(table, area, &mut state);
}
