//! Every style in one place, for the terminal at hand: a dark or a light background, as
//! many colours as the terminal reports (none with NO_COLOR, 16, or 256), and Unicode or
//! plain ASCII. Without colour only bold, dim and reverse remain, and every status still
//! has its word and glyph.

use ratatui::style::{Color, Modifier, Style};

use crate::model::Tone;
pub use crate::terminal::looks::{Colours, Palette};
use crate::terminal::looks::{colour_depth, hyperlinks_understood, utf8_locale};

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
    /// Every glyph and border in ASCII: the locale is not UTF-8, or `--ascii`.
    pub ascii: bool,
}

/// The colours of one palette at one depth: failed, running, good, muted, warning, key,
/// label, border.
struct Inks([Color; 8]);

fn inks(palette: Palette, colours: Colours) -> Inks {
    use Color::*;
    match (palette, colours) {
        (Palette::Dark, Colours::Indexed256) => Inks([
            Indexed(203),
            Indexed(81),
            Indexed(114),
            Indexed(244),
            Indexed(221),
            Indexed(222),
            Indexed(250),
            Indexed(240),
        ]),
        (Palette::Dark, _) => Inks([
            LightRed,
            LightCyan,
            Green,
            DarkGray,
            Yellow,
            LightYellow,
            Gray,
            DarkGray,
        ]),
        // On white: dark inks only. Yellow and the light colours are near invisible.
        (Palette::Light, Colours::Indexed256) => Inks([
            Indexed(124),
            Indexed(25),
            Indexed(28),
            Indexed(241),
            Indexed(130),
            Indexed(18),
            Indexed(236),
            Indexed(245),
        ]),
        // Green and cyan are near invisible on white in the 16 colours: success keeps its
        // glyph and word in the default ink.
        (Palette::Light, _) => Inks([Red, Blue, Reset, DarkGray, Magenta, Blue, Reset, DarkGray]),
    }
}

impl Theme {
    /// The dark theme in 16 colours, or without colour.
    pub fn new(color: bool) -> Self {
        let colours = if color {
            Colours::Ansi16
        } else {
            Colours::None
        };
        Self::build(Palette::Dark, colours, false)
    }

    pub fn build(palette: Palette, colours: Colours, ascii: bool) -> Self {
        let Inks([failed, running, good, muted, warning, key, label, border]) =
            inks(palette, colours);
        let color = colours != Colours::None;
        let paint = |fg: Color| {
            if color {
                Style::new().fg(fg)
            } else {
                Style::new()
            }
        };
        Self {
            failed: paint(failed).add_modifier(Modifier::BOLD),
            running: paint(running),
            good: paint(good),
            muted: paint(muted).add_modifier(if color {
                Modifier::empty()
            } else {
                Modifier::DIM
            }),
            warning: paint(warning),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            title: Style::new().add_modifier(Modifier::BOLD),
            key: paint(key).add_modifier(Modifier::BOLD),
            label: paint(label),
            border: paint(border),
            hyperlinks: true,
            ascii,
        }
    }

    /// The theme the environment asks for: NO_COLOR (https://no-color.org, any
    /// non-empty value), TERM and COLORTERM for the colours and hyperlinks, the locale
    /// for Unicode unless `ascii` says.
    pub fn from_env(palette: Palette, ascii: Option<bool>) -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let term = var("TERM");
        let colours = if var("NO_COLOR").is_some() {
            Colours::None
        } else {
            colour_depth(term.as_deref(), var("COLORTERM").as_deref())
        };
        let locale = var("LC_ALL")
            .or_else(|| var("LC_CTYPE"))
            .or_else(|| var("LANG"));
        let ascii = ascii.unwrap_or(!utf8_locale(locale.as_deref()));
        let mut theme = Self::build(palette, colours, ascii);
        theme.hyperlinks = hyperlinks_understood(term.as_deref());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The colours of xterm's default palette, which most terminals start from.
    fn rgb(color: Color) -> (f64, f64, f64) {
        let (r, g, b) = match color {
            Color::Reset | Color::Black => (0, 0, 0),
            Color::Red => (205, 0, 0),
            Color::Green => (0, 205, 0),
            Color::Blue => (0, 0, 238),
            Color::Magenta => (205, 0, 205),
            Color::DarkGray => (127, 127, 127),
            Color::Indexed(n) if (16..232).contains(&n) => {
                let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
                let n = n - 16;
                (level(n / 36), level(n / 6 % 6), level(n % 6))
            }
            Color::Indexed(n) if n >= 232 => {
                let v = 8 + (n - 232) * 10;
                (v, v, v)
            }
            other => panic!("no colour for {other:?}"),
        };
        (f64::from(r), f64::from(g), f64::from(b))
    }

    /// WCAG 2 contrast of a colour against white.
    fn contrast_on_white(color: Color) -> f64 {
        let linear = |c: f64| {
            let c = c / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let (r, g, b) = rgb(color);
        let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
        1.05 / (luminance + 0.05)
    }

    #[test]
    fn the_light_theme_is_readable_on_white() {
        for colours in [Colours::Ansi16, Colours::Indexed256] {
            let Inks(inks) = inks(Palette::Light, colours);
            for (ink, name) in inks.iter().zip([
                "failed", "running", "good", "muted", "warning", "key", "label", "border",
            ]) {
                let ratio = contrast_on_white(*ink);
                // Borders are not text; muted text is the least of what is shown.
                let least = match name {
                    "border" => 1.0,
                    "muted" | "good" => 2.5,
                    _ => 4.5,
                };
                assert!(ratio >= least, "{name} {ink:?}: {ratio:.1}:1 ({colours:?})");
            }
        }
    }
}
