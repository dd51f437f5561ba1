//! The help overlay, generated from the key map.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Theme, centered, fit};
use crate::keymap;

pub fn render(theme: &Theme, frame: &mut Frame, area: Rect, scroll: u16) {
    let mut lines = Vec::new();
    for (title, rows) in keymap::help_sections() {
        lines.push(Line::from(Span::styled(title, theme.title)));
        for (keys, help) in rows {
            lines.push(Line::from(vec![
                Span::styled(format!("  {}", fit(&keys, 12)), theme.key),
                Span::raw(help),
            ]));
        }
    }
    lines.push(Line::from(vec![
        Span::styled("  Ctrl-c      ", theme.key),
        Span::raw("quit, from anywhere (sends nothing)"),
    ]));
    let popup = centered(area, 72, lines.len() as u16 + 2);
    let block = Block::bordered()
        .title(Span::styled(
            " Keys · j/k scroll · any other key closes ",
            theme.title,
        ))
        .border_style(theme.border);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}
