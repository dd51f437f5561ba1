//! The confirmation dialog: names exactly what will be sent.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{Theme, centered};
use crate::app::Confirm;

pub fn render(dialog: &Confirm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = dialog
        .lines
        .iter()
        .map(|(label, value)| {
            Line::from(vec![
                Span::styled(format!("{label:<10} "), theme.label),
                Span::styled(value.clone(), theme.title),
            ])
        })
        .collect();
    if let Some(warning) = &dialog.warning {
        lines.push(Line::from(Span::styled(
            format!("⚠ {warning}"),
            theme.warning,
        )));
    }
    // The keys sit in the bottom border: however small the terminal, they stay visible.
    let keys = Line::from(vec![
        Span::raw(" "),
        Span::styled("y", theme.key),
        Span::raw("/"),
        Span::styled("Enter", theme.key),
        Span::raw(" send one request · "),
        Span::styled("n", theme.key),
        Span::raw("/"),
        Span::styled("Esc", theme.key),
        Span::raw(" cancel "),
    ]);
    let width = area.width.min(76);
    let inner = width.saturating_sub(2).max(1) as usize;
    // Wrapped, a line takes as many rows as its width needs.
    let rows: usize = lines
        .iter()
        .map(|line| line.width().div_ceil(inner).max(1))
        .sum();
    let popup = centered(area, width, rows as u16 + 2);
    let block = Block::bordered()
        .title(Span::styled(format!(" {} ", dialog.title), theme.title))
        .title_bottom(keys)
        .border_style(theme.warning);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
