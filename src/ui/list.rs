//! What the two list views share: one definition per column (header, width, cell),
//! drawing only the rows that fit, and the table itself. Columns are as wide as what
//! they hold when the screen has room: names and errors get the room before any column
//! stays empty. Text cut to fit always ends in "…".

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Cell, Row, Table, TableState};

use super::{Theme, cut};

/// One column of a list: its header, its width rule, and what a row shows in it. A
/// `Fill` column grows to what it holds when there is room.
pub struct Column<T> {
    pub header: &'static str,
    pub width: Constraint,
    pub cell: fn(&T) -> Span<'static>,
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

const SPACING: u16 = 1;
const HIGHLIGHT: &str = "▶";

/// The width each column's widest text needs (its header included).
fn wanted<T>(columns: &[Column<T>], rows: &[T]) -> Vec<u16> {
    columns
        .iter()
        .map(|column| {
            rows.iter()
                .map(|row| (column.cell)(row).width())
                .chain([column.header.chars().count()])
                .max()
                .unwrap_or(0) as u16
        })
        .collect()
}

/// The width `columns` need to show every cell of `wanted` whole, gaps included.
fn needed<T>(columns: &[Column<T>], wanted: &[u16]) -> u16 {
    let cells: u16 = columns
        .iter()
        .zip(wanted)
        .map(|(column, &wanted)| match column.width {
            Constraint::Length(n) => n,
            _ => wanted,
        })
        .sum();
    cells + SPACING * columns.len().saturating_sub(1) as u16
}

/// The columns' room in `area`: inside the frame, less the selection mark.
fn room(block: &Block, area: Rect) -> u16 {
    block
        .inner(area)
        .width
        .saturating_sub(HIGHLIGHT.chars().count() as u16)
}

/// Whether every cell of `rows` fits whole in `columns` inside `block` in `area`: a
/// layout with more columns is only worth it then.
pub fn fits_whole<T>(columns: &[Column<T>], rows: &[T], block: &Block, area: Rect) -> bool {
    needed(columns, &wanted(columns, rows)) <= room(block, area)
}

/// Each column's width in `width` columns: `Fill` columns as wide as their widest text
/// when all of them fit that way (the last one takes what is left), shared by weight
/// when they do not.
fn widths<T>(columns: &[Column<T>], rows: &[T], width: u16) -> Vec<u16> {
    let wanted = wanted(columns, rows);
    let all_fit = needed(columns, &wanted) <= width;
    let last_fill = columns
        .iter()
        .rposition(|c| matches!(c.width, Constraint::Fill(_)));
    let constraints: Vec<Constraint> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| match column.width {
            Constraint::Fill(_) if all_fit && Some(i) != last_fill => Constraint::Length(wanted[i]),
            other => other,
        })
        .collect();
    Layout::horizontal(constraints)
        .flex(Flex::Start)
        .spacing(SPACING)
        .split(Rect::new(0, 0, width, 1))
        .iter()
        .map(|r| r.width)
        .collect()
}

/// Draws `list` in `area`, its selected row highlighted.
pub fn draw<T>(frame: &mut Frame, area: Rect, theme: &Theme, list: ListTable<T>) {
    let widths = widths(list.columns, list.rows, room(&list.block, area));
    let header = Row::new(list.columns.iter().map(|column| column.header)).style(theme.title);
    let rows = list.rows.iter().map(|row| {
        Row::new(list.columns.iter().zip(&widths).map(|(column, &width)| {
            let span = (column.cell)(row);
            let text = cut(&span.content, width as usize);
            Cell::from(Span::styled(text, span.style))
        }))
    });
    let table = Table::new(rows, widths.iter().map(|&w| Constraint::Length(w)))
        .header(header)
        .block(list.block)
        .column_spacing(SPACING)
        .row_highlight_style(theme.selected)
        .highlight_symbol(HIGHLIGHT);
    let mut state = TableState::default().with_selected(Some(list.selected - list.first));
    frame.render_stateful_widget(table, area, &mut state);
}
