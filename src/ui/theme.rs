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
        }
    }

    /// NO_COLOR (https://no-color.org): any non-empty value turns colour off.
    pub fn from_env() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Self::new(!no_color)
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
