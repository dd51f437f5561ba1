//! Every style in one place. With NO_COLOR set, only bold, dim and reverse remain, and
//! every status still has its word and glyph.

use ratatui::style::{Color, Modifier, Style};

use crate::model::Tone;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub failed: Style,
    pub running: Style,
    pub good: Style,
    pub muted: Style,
    pub warning: Style,
    pub selected: Style,
    pub title: Style,
    pub key: Style,
    pub label: Style,
    pub border: Style,
    /// Names with a console page are hyperlinks (OSC 8).
    pub hyperlinks: bool,
}

impl Theme {
    pub fn new(color: bool) -> Self {
        let paint = |fg: Color| {
            if color {
                Style::new().fg(fg)
            } else {
                Style::new()
            }
        };
        Self {
            failed: paint(Color::LightRed).add_modifier(Modifier::BOLD),
            running: paint(Color::LightCyan),
            good: paint(Color::Green),
            muted: paint(Color::DarkGray).add_modifier(if color {
                Modifier::empty()
            } else {
                Modifier::DIM
            }),
            warning: paint(Color::Yellow),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            title: Style::new().add_modifier(Modifier::BOLD),
            key: paint(Color::LightYellow).add_modifier(Modifier::BOLD),
            label: paint(Color::Gray),
            border: paint(Color::DarkGray),
            hyperlinks: true,
        }
    }

    /// NO_COLOR (https://no-color.org): any non-empty value turns colour off.
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let mut theme = Self::new(!no_color);
        theme.hyperlinks = hyperlinks_understood(std::env::var("TERM").ok().as_deref());
        theme
    }

    pub fn tone(&self, tone: Tone) -> Style {
        match tone {
            Tone::Failed => self.failed,
            Tone::Running => self.running,
            Tone::Good => self.good,
            Tone::Muted => self.muted,
            Tone::Warning => self.warning,
        }
    }
}

/// Terminals that print an OSC 8 sequence instead of ignoring it: the Linux console and
/// the hardware terminals TERM names. Every other terminal either makes the link or
/// ignores the sequence.
fn hyperlinks_understood(term: Option<&str>) -> bool {
    match term {
        None => true,
        Some(term) => !(term == "dumb" || term == "linux" || term.starts_with("vt")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consoles_that_would_print_the_sequence_get_no_links() {
        for term in ["dumb", "linux", "vt100", "vt220"] {
            assert!(!hyperlinks_understood(Some(term)), "{term}");
        }
        for term in ["xterm-256color", "tmux-256color", "screen", "alacritty"] {
            assert!(hyperlinks_understood(Some(term)), "{term}");
        }
        assert!(hyperlinks_understood(None));
    }
}
