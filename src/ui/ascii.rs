//! Plain ASCII for terminals whose locale is not UTF-8 (LANG=C), or on `--ascii`. Done
//! to the finished frame, cell by cell, so no widget needs a second set of glyphs and
//! nothing outside ASCII can slip through: a glyph becomes an ASCII look-alike of the
//! same width, a border its `+-|` form, and any other character (a name in another
//! script) `?`, one per column it took.

use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

/// Every glyph the screens draw, and what it becomes. Kept one column wide, so the
/// layout does not move.
const GLYPHS: &[(&str, &str)] = &[
    // Statuses (see `model::status` and the help's legend).
    ("✗", "x"),
    ("✓", "+"),
    ("◔", "*"),
    ("■", "#"),
    ("○", "o"),
    ("⊘", "/"),
    ("↷", "-"),
    ("⏱", "T"),
    ("⇣", "v"),
    ("↻", "@"),
    ("⟲", "@"),
    ("⤷", "c"),
    ("⚠", "!"),
    ("●", "*"),
    ("•", "*"),
    ("▶", ">"),
    ("▸", ">"),
    ("›", ">"),
    ("→", ">"),
    ("←", "<"),
    ("↑", "^"),
    ("↓", "v"),
    ("×", "x"),
    ("✕", "x"),
    ("▏", "|"),
    // Text.
    ("…", "~"),
    ("⋯", "~"),
    ("·", "-"),
    ("—", "-"),
    ("–", "-"),
    ("≤", "<"),
    ("≥", ">"),
];

/// Box drawing, in every weight ratatui draws.
fn border(c: char) -> Option<&'static str> {
    match c {
        '─' | '━' | '═' | '╌' | '┄' => Some("-"),
        '│' | '┃' | '║' | '╎' | '┆' => Some("|"),
        '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' | '╭' | '╮' | '╰' | '╯' | '┏' | '┓'
        | '┗' | '┛' | '╔' | '╗' | '╚' | '╝' => Some("+"),
        _ => None,
    }
}

/// What one cell's text becomes.
pub fn ascii(symbol: &str) -> Option<String> {
    if symbol.is_ascii() {
        return None;
    }
    if let Some((_, to)) = GLYPHS.iter().find(|(from, _)| *from == symbol) {
        return Some((*to).to_string());
    }
    let mut chars = symbol.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && let Some(to) = border(c)
    {
        return Some(to.to_string());
    }
    Some("?".repeat(symbol.width().max(1)))
}

/// Makes every cell of `buffer` ASCII. A wide character's cell becomes `?` and the cell
/// it covered another, so the columns stay where they were.
pub fn transliterate(buffer: &mut Buffer) {
    let area = buffer.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let cell = &mut buffer[(x, y)];
            let width = cell.symbol().width().max(1) as u16;
            if let Some(plain) = ascii(cell.symbol()) {
                let mut chars = plain.chars();
                cell.set_symbol(&chars.next().unwrap_or('?').to_string());
                for (i, c) in chars.enumerate() {
                    let next = x + 1 + i as u16;
                    if next < area.right() {
                        buffer[(next, y)].set_symbol(&c.to_string());
                    }
                }
            }
            x += width;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::widgets::{Block, Paragraph, Widget};

    #[test]
    fn a_frame_becomes_ascii_and_keeps_its_columns() {
        let area = Rect::new(0, 0, 24, 3);
        let mut buffer = Buffer::empty(area);
        Paragraph::new("✗ 名前 · run…")
            .block(Block::bordered())
            .render(area, &mut buffer);
        transliterate(&mut buffer);
        let rows: Vec<String> = (0..3)
            .map(|y| {
                (0..24)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect()
            })
            .collect();
        assert_eq!(rows[0], "+----------------------+");
        assert_eq!(rows[1], "|x ???? - run~         |");
        assert_eq!(rows[2], "+----------------------+");
        assert!(rows.iter().all(|row| row.is_ascii()));
    }

    #[test]
    fn every_glyph_stays_one_column() {
        for (from, to) in GLYPHS {
            assert_eq!(from.width(), 1, "{from}");
            assert_eq!(to.len(), 1, "{from} → {to}");
        }
    }
}
