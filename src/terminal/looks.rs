//! What the terminal can show, as the environment tells: how many colours, whether text
//! is UTF-8, whether an OSC 8 hyperlink is safe to send; and which background the person
//! asked colours for.

use serde::Deserialize;

/// The background the theme is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Palette {
    #[default]
    Dark,
    /// Readable on a white background.
    Light,
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colours {
    /// NO_COLOR: bold, dim and reverse only.
    None,
    /// The 16 ANSI colours, which the terminal's own palette decides.
    Ansi16,
    /// The 256-colour palette (TERM says `256color`, or COLORTERM says more).
    Indexed256,
}

/// 256 colours when TERM or COLORTERM says so; 16 otherwise, which every colour
/// terminal shows.
pub fn colour_depth(term: Option<&str>, colorterm: Option<&str>) -> Colours {
    let more = colorterm.is_some_and(|c| c == "truecolor" || c == "24bit");
    if more || term.is_some_and(|t| t.contains("256color")) {
        Colours::Indexed256
    } else {
        Colours::Ansi16
    }
}

/// The locale (the first of LC_ALL, LC_CTYPE, LANG that is set) encodes text as UTF-8.
/// None set is the C locale, which is ASCII.
pub fn utf8_locale(locale: Option<&str>) -> bool {
    locale.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        l.contains("utf-8") || l.contains("utf8")
    })
}

/// Terminals that print an OSC 8 sequence instead of ignoring it: the Linux console and
/// the hardware terminals TERM names. Every other terminal either makes the link or
/// ignores the sequence.
pub fn hyperlinks_understood(term: Option<&str>) -> bool {
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

    #[test]
    fn colours_and_unicode_follow_the_terminal_and_the_locale() {
        assert_eq!(colour_depth(Some("xterm"), None), Colours::Ansi16);
        assert_eq!(colour_depth(Some("vt100"), None), Colours::Ansi16);
        assert_eq!(
            colour_depth(Some("xterm-256color"), None),
            Colours::Indexed256
        );
        assert_eq!(
            colour_depth(Some("xterm"), Some("truecolor")),
            Colours::Indexed256
        );
        assert!(utf8_locale(Some("en_US.UTF-8")));
        assert!(utf8_locale(Some("C.utf8")));
        assert!(!utf8_locale(Some("C")));
        assert!(!utf8_locale(Some("POSIX")));
        assert!(!utf8_locale(None));
    }
}
