//! The confirmation dialog: names exactly what will be sent, and where.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::{Theme, centered};
use crate::app::Confirm;

/// Narrower than this, a dialog's labels and values no longer read as a table.
const MIN_WIDTH: u16 = 30;

/// Draws the dialog in `area`. Returns whether every line of it is on screen: a dialog
/// shown cut short names no target a person could have checked, so it cannot be answered.
pub fn render(dialog: &Confirm, theme: &Theme, frame: &mut Frame, area: Rect) -> bool {
    let whole_screen = frame.area();
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
    if let Some(why) = &dialog.no_longer {
        lines.push(Line::from(Span::styled(
            format!("✗ No longer possible: {why}. Nothing will be sent."),
            theme.failed,
        )));
    }
    // The keys sit in the bottom border: however small the terminal, they stay visible.
    let keys = if dialog.no_longer.is_some() {
        Line::from(vec![
            Span::raw(" "),
            Span::styled("n", theme.key),
            Span::raw("/"),
            Span::styled("Esc", theme.key),
            Span::raw(" close "),
        ])
    } else {
        Line::from(vec![
            Span::raw(" "),
            Span::styled("y", theme.key),
            Span::raw(" send one request · "),
            Span::styled("n", theme.key),
            Span::raw("/"),
            Span::styled("Esc", theme.key),
            Span::raw(" cancel "),
        ])
    };
    let width = area.width.min(76);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = paragraph.line_count(width.saturating_sub(2).max(1));
    let whole = width >= MIN_WIDTH && rows + 2 <= area.height as usize;
    if !whole {
        // Use every row the terminal has to say why it cannot be answered.
        render_too_small(dialog, theme, frame, whole_screen);
        return false;
    }
    let popup = centered(area, width, rows as u16 + 2);
    let block = Block::bordered()
        .title(Span::styled(format!(" {} ", dialog.title), theme.title))
        .title_bottom(keys)
        .border_style(theme.warning);
    frame.render_widget(Clear, popup);
    frame.render_widget(paragraph.block(block), popup);
    true
}

/// Too small to show the target whole: say so, and offer only a way out.
fn render_too_small(dialog: &Confirm, theme: &Theme, frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from(Span::styled(
            "Too small to show the whole request: enlarge the terminal. Esc cancels.",
            theme.warning,
        )),
        Line::from(Span::styled(dialog.title.clone(), theme.title)),
    ];
    let popup = area;
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .style(theme.warning),
        popup,
    );
}
