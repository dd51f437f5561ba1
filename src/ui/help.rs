//! The help overlay, generated from the key map.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{Theme, centered, fit, more_below};
use crate::keymap::{self, HelpLine};

/// The help, scrolled by `scroll` lines; it says how many lines are below what fits.
pub fn render(keys: &keymap::Keymap, theme: &Theme, frame: &mut Frame, area: Rect, scroll: u16) {
    let lines: Vec<Line> = keys
        .help_lines()
        .into_iter()
        .map(|line| match line {
            HelpLine::Title(title) => Line::from(Span::styled(title, theme.title)),
            HelpLine::Key(keys, help) => Line::from(vec![
                Span::styled(format!("  {}", fit(&keys, 12)), theme.key),
                Span::raw(help),
            ]),
            HelpLine::Command(usage, help, alias) => Line::from(vec![
                Span::styled(format!("  {}", fit(&usage, 29)), theme.key),
                Span::raw(help),
                Span::styled(
                    alias
                        .map(|alias| format!(" (:{alias})"))
                        .unwrap_or_default(),
                    theme.muted,
                ),
            ]),
            HelpLine::Glyph(glyph, meaning) => Line::from(vec![
                Span::styled(format!("  {glyph}  "), theme.key),
                Span::raw(meaning),
            ]),
        })
        .collect();
    let popup = centered(area, 72, lines.len() as u16 + 2);
    let more = (lines.len() as u16 + 2).saturating_sub(popup.height + scroll);
    let block = Block::bordered()
        .title(Span::styled(
            " Keys · j/k PgDn/PgUp scroll · any other key closes ",
            theme.title,
        ))
        .border_style(theme.border);
    let block = more_below(block, more as usize, theme);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        popup,
    );
}

#[cfg(test)]
mod tests {
    use crate::keymap::LEGEND;

    #[test]
    fn every_status_glyph_is_in_the_legend() {
        use crate::model::{
            ActionStatus, ExecutionStatus, PipelineExecutionStatus, RedriveStatus, StageStatus,
        };
        let looks = [
            StageStatus::LOOKS,
            ActionStatus::LOOKS,
            PipelineExecutionStatus::LOOKS,
            ExecutionStatus::LOOKS,
            RedriveStatus::LOOKS,
        ];
        for (glyph, word) in looks.iter().flat_map(|l| l.iter()) {
            assert!(
                LEGEND.iter().any(|(g, _)| g == glyph),
                "{glyph} ({word}) is not in the legend"
            );
        }
    }
}
