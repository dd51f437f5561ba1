//! The person's own keys: an intent, by name, moved to other keys. The names are the
//! config file's (`[keys]` in config.toml); a key is written as it is labelled in help
//! (`r`, `R`, `ctrl-r`, `enter`, `pgdn`, `space`). `y` confirming a write and Ctrl-c
//! quitting are not the person's to move: the first is the rule every dialog states, the
//! second the way out when all else fails.

use super::{Key, Keymap, Mode, label};
use crate::action::Intent;

/// Every intent a key can be given to, by its name in the config file.
pub const INTENT_NAMES: &[(&str, Intent)] = &[
    ("up", Intent::Up),
    ("down", Intent::Down),
    ("top", Intent::Top),
    ("bottom", Intent::Bottom),
    ("page-up", Intent::PageUp),
    ("page-down", Intent::PageDown),
    ("open", Intent::Open),
    ("back", Intent::Back),
    ("switch", Intent::SwitchView),
    ("filter", Intent::Filter),
    ("refresh", Intent::Refresh),
    ("help", Intent::Help),
    ("quit", Intent::Quit),
    ("retry", Intent::RetryFailed),
    ("retry-all", Intent::RetryAll),
    ("older", Intent::OlderExecution),
    ("newer", Intent::NewerExecution),
    ("redrive", Intent::Redrive),
    ("running", Intent::ToggleRunning),
    ("more", Intent::ListMore),
    ("cancel", Intent::Cancel),
    ("previous-action", Intent::PreviousAction),
    ("next-action", Intent::NextAction),
    ("log", Intent::OpenLog),
    ("history", Intent::OpenHistory),
    ("next-match", Intent::NextMatch),
    ("previous-match", Intent::PreviousMatch),
    ("next-error", Intent::NextError),
    ("follow", Intent::ToggleFollow),
    ("copy-link", Intent::CopyLink),
    ("copy-arn", Intent::CopyArn),
    ("copy-error", Intent::CopyError),
    ("times", Intent::Times),
    ("sort", Intent::Sort),
    ("command-line", Intent::CommandLine),
];

/// Why a key binding from the config cannot be used; the config names where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A key as help labels it: one character, `ctrl-x`, or a named key.
pub fn parse_key(text: &str) -> Result<Key, KeyError> {
    let lower = text.to_ascii_lowercase();
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return Ok(Key::Char(c));
    }
    if let Some(rest) = lower.strip_prefix("ctrl-").or(lower.strip_prefix("c-")) {
        let mut chars = rest.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && c.is_ascii_alphabetic()
        {
            return Ok(Key::Ctrl(c));
        }
    }
    Ok(match lower.as_str() {
        "enter" | "return" => Key::Enter,
        "esc" | "escape" => Key::Esc,
        "tab" => Key::Tab,
        "up" => Key::Up,
        "down" => Key::Down,
        "left" => Key::Left,
        "right" => Key::Right,
        "home" => Key::Home,
        "end" => Key::End,
        "pgup" | "pageup" => Key::PageUp,
        "pgdn" | "pagedown" => Key::PageDown,
        "space" => Key::Char(' '),
        _ => {
            return Err(KeyError(format!(
                "'{text}' is not a key: write one character, ctrl-x, or enter, esc, tab, space, up, down, left, right, home, end, pgup, pgdn"
            )));
        }
    })
}

/// The modes whose keys must not clash.
const MODES: &[(Mode, &str)] = &[
    (Mode::Pipelines, "the pipelines list"),
    (Mode::Pipeline, "the pipeline view"),
    (Mode::Executions, "the executions list"),
    (Mode::Execution, "the execution view"),
    (Mode::Reader, "a log or history"),
    (Mode::Confirm, "a confirmation"),
];

fn name_of(intent: Intent) -> &'static str {
    INTENT_NAMES
        .iter()
        .find(|(_, i)| *i == intent)
        .map_or("confirm", |(name, _)| name)
}

impl Keymap {
    /// Gives the intent named `name` these keys instead of the table's, everywhere it is
    /// bound.
    pub fn rebind(&mut self, name: &str, keys: &[Key]) -> Result<(), KeyError> {
        if name == "confirm" {
            return Err(KeyError(
                "y always confirms a write; it cannot be moved".into(),
            ));
        }
        let Some((_, intent)) = INTENT_NAMES.iter().find(|(n, _)| *n == name) else {
            let names: Vec<&str> = INTENT_NAMES.iter().map(|(n, _)| *n).collect();
            return Err(KeyError(format!(
                "no such action '{name}'; the actions are {}",
                names.join(", ")
            )));
        };
        if keys.is_empty() {
            return Err(KeyError("give at least one key".into()));
        }
        if keys.contains(&Key::Ctrl('c')) {
            return Err(KeyError("ctrl-c always quits; it cannot be moved".into()));
        }
        for live in self
            .bindings
            .iter_mut()
            .filter(|l| l.binding.intent == *intent)
        {
            live.keys = keys.to_vec();
        }
        Ok(())
    }

    /// The first key that would do two things in one view, if any.
    pub fn clash(&self) -> Option<KeyError> {
        for (mode, place) in MODES {
            let scopes = mode.scopes();
            let mut seen: Vec<(Key, Intent)> = Vec::new();
            for live in self
                .bindings
                .iter()
                .filter(|l| scopes.contains(&l.binding.scope))
            {
                for key in &live.keys {
                    match seen.iter().find(|(k, _)| k == key) {
                        Some((_, other)) if *other != live.binding.intent => {
                            return Some(KeyError(format!(
                                "{} would be both {} and {} in {place}",
                                label(*key),
                                name_of(*other),
                                name_of(live.binding.intent)
                            )));
                        }
                        _ => seen.push((*key, live.binding.intent)),
                    }
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::BINDINGS;
    use super::*;
    use crate::action::Action;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn every_bound_intent_has_a_name() {
        for binding in BINDINGS {
            if binding.intent != Intent::Confirm {
                assert_ne!(name_of(binding.intent), "confirm", "{:?}", binding.intent);
            }
        }
    }

    #[test]
    fn keys_are_written_as_help_labels_them() {
        assert_eq!(parse_key("r"), Ok(Key::Char('r')));
        assert_eq!(parse_key("R"), Ok(Key::Char('R')));
        assert_eq!(parse_key("ctrl-R"), Ok(Key::Ctrl('r')));
        assert_eq!(parse_key("PgDn"), Ok(Key::PageDown));
        assert_eq!(parse_key("space"), Ok(Key::Char(' ')));
        assert!(parse_key("hyper-x").is_err());
        assert!(parse_key("ctrl-1").is_err());
    }

    #[test]
    fn the_table_has_no_clash_and_a_rebinding_moves_help_footer_and_keys() {
        assert_eq!(Keymap::default().clash(), None);
        let mut keys = Keymap::default();
        keys.rebind("retry", &[Key::Char('t')]).unwrap();
        let press = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert!(matches!(
            keys.resolve(&press('t'), Mode::Pipeline),
            Some(Action::Intent(Intent::RetryFailed))
        ));
        assert!(keys.resolve(&press('r'), Mode::Pipeline).is_none());
        // `r` still redrives: only the named intent moved.
        assert!(matches!(
            keys.resolve(&press('r'), Mode::Executions),
            Some(Action::Intent(Intent::Redrive))
        ));
        assert!(
            keys.hints(Mode::Pipeline)
                .contains(&("t".to_string(), "retry"))
        );
        let help = keys.help_sections();
        assert!(
            help.iter()
                .flat_map(|(_, rows)| rows)
                .any(|(k, h)| k == "t" && h.starts_with("retry the failed"))
        );
    }

    #[test]
    fn a_rebinding_that_clashes_or_moves_the_rules_is_refused() {
        let mut keys = Keymap::default();
        keys.rebind("retry", &[Key::Char('y')]).unwrap();
        let clash = keys.clash().unwrap();
        assert_eq!(
            clash.0,
            "y would be both retry and copy-link in the pipeline view"
        );
        assert!(Keymap::default().rebind("confirm", &[Key::Enter]).is_err());
        assert!(Keymap::default().rebind("quit", &[Key::Ctrl('c')]).is_err());
        let unknown = Keymap::default()
            .rebind("retyr", &[Key::Char('t')])
            .unwrap_err();
        assert!(unknown.0.starts_with("no such action 'retyr'"), "{unknown}");
    }
}
