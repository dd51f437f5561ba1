//! The single table from keys to intents. The help screen and footer hints read it too,
//! so what the screen says a key does is what it does. The person's config may move an
//! intent to other keys (`overrides`); the table then changes, and with it the help and
//! the footer.

pub mod commands;
mod overrides;

pub use overrides::{INTENT_NAMES, KeyError, parse_key};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::action::{Action, CommandEdit, FilterEdit, Intent};

/// Which bindings are live: a dialog or the filter line takes keys before the views do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Confirm,
    Filter,
    /// The `:` command line takes the keys.
    Command,
    Help,
    Pipelines,
    Pipeline,
    Executions,
    Execution,
    /// A full-screen log or history.
    Reader,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every view (not dialogs).
    Views,
    /// Both lists: pipelines and executions.
    Lists,
    Pipeline,
    /// The executions list and one execution.
    Redrive,
    Executions,
    /// One execution.
    Execution,
    /// A full-screen log or history.
    Reader,
    /// Where something with a console link and an ARN is open.
    Yank,
    Confirm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Enter,
    Esc,
    Tab,
    Up,
    Down,
    Home,
    End,
    Left,
    Right,
    PageUp,
    PageDown,
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: &'static [Key],
    pub intent: Intent,
    pub scope: Scope,
    /// Shown in the help screen.
    pub help: &'static str,
    /// Short label for the footer; bindings without one are only in help.
    pub hint: Option<&'static str>,
}

use Key::*;

// One binding per line reads as a table.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    Binding { keys: &[Char('y')], intent: Intent::Confirm, scope: Scope::Confirm, help: "send the request (Enter does not: it opens things everywhere else)", hint: Some("send") },
    Binding { keys: &[Char('n'), Esc], intent: Intent::Cancel, scope: Scope::Confirm, help: "cancel, send nothing", hint: Some("cancel") },
    Binding { keys: &[Char('j'), Down], intent: Intent::Down, scope: Scope::Views, help: "move down", hint: None },
    Binding { keys: &[Char('k'), Up], intent: Intent::Up, scope: Scope::Views, help: "move up", hint: None },
    Binding { keys: &[Char('g'), Home], intent: Intent::Top, scope: Scope::Views, help: "first row", hint: None },
    Binding { keys: &[Char('G'), End], intent: Intent::Bottom, scope: Scope::Views, help: "last row", hint: None },
    Binding { keys: &[PageDown, Ctrl('d'), Char(' ')], intent: Intent::PageDown, scope: Scope::Views, help: "a page down", hint: None },
    Binding { keys: &[PageUp, Ctrl('u')], intent: Intent::PageUp, scope: Scope::Views, help: "a page up", hint: None },
    Binding { keys: &[Char('e')], intent: Intent::NextError, scope: Scope::Reader, help: "the next error line (the failure, in a history)", hint: Some("error") },
    Binding { keys: &[Char('/')], intent: Intent::Filter, scope: Scope::Reader, help: "search as you type", hint: Some("search") },
    Binding { keys: &[Char('n')], intent: Intent::NextMatch, scope: Scope::Reader, help: "the next match", hint: None },
    Binding { keys: &[Char('N')], intent: Intent::PreviousMatch, scope: Scope::Reader, help: "the previous match", hint: None },
    Binding { keys: &[Char('f')], intent: Intent::ToggleFollow, scope: Scope::Reader, help: "follow a running build's log as it grows", hint: Some("follow") },
    Binding { keys: &[Enter], intent: Intent::Open, scope: Scope::Lists, help: "open the pipeline or execution", hint: Some("open") },
    Binding { keys: &[Char('/')], intent: Intent::Filter, scope: Scope::Lists, help: "filter as you type: fuzzy, over name, stage, action and error", hint: Some("filter") },
    Binding { keys: &[Char('s')], intent: Intent::Sort, scope: Scope::Lists, help: "sort: newest failure first, by name, by status", hint: Some("sort") },
    Binding { keys: &[Char('r')], intent: Intent::RetryFailed, scope: Scope::Pipeline, help: "retry the failed actions of the stage (FAILED_ACTIONS)", hint: Some("retry") },
    Binding { keys: &[Char('R')], intent: Intent::RetryAll, scope: Scope::Pipeline, help: "retry every action of the stage (ALL_ACTIONS)", hint: Some("retry all") },
    Binding { keys: &[Left, Char('<')], intent: Intent::PreviousAction, scope: Scope::Pipeline, help: "choose the previous action of the stage", hint: None },
    Binding { keys: &[Right, Char('>')], intent: Intent::NextAction, scope: Scope::Pipeline, help: "choose the next action of the stage", hint: None },
    Binding { keys: &[Enter], intent: Intent::Open, scope: Scope::Pipeline, help: "open what the action ran: its build log, its Step Functions execution", hint: Some("open") },
    Binding { keys: &[Char('l')], intent: Intent::OpenLog, scope: Scope::Pipeline, help: "the build log of the chosen CodeBuild action", hint: None },
    Binding { keys: &[Char('[')], intent: Intent::OlderExecution, scope: Scope::Pipeline, help: "look at an older execution", hint: Some("older") },
    Binding { keys: &[Char(']')], intent: Intent::NewerExecution, scope: Scope::Pipeline, help: "look at a newer execution, then the live state", hint: Some("newer") },
    Binding { keys: &[Char('r')], intent: Intent::Redrive, scope: Scope::Redrive, help: "redrive the execution (RedriveExecution)", hint: Some("redrive") },
    Binding { keys: &[Char('h')], intent: Intent::OpenHistory, scope: Scope::Execution, help: "the whole history as a timeline", hint: Some("history") },
    Binding { keys: &[Char('l')], intent: Intent::OpenLog, scope: Scope::Execution, help: "the log of the failed Lambda task", hint: Some("log") },
    Binding { keys: &[Char('m')], intent: Intent::ListMore, scope: Scope::Executions, help: "list more of the row's machine: 100, 250, 1,000", hint: None },
    Binding { keys: &[Char('a')], intent: Intent::ToggleRunning, scope: Scope::Executions, help: "also show running executions, and those a redrive fixed", hint: Some("running") },
    Binding { keys: &[Char('y')], intent: Intent::CopyLink, scope: Scope::Yank, help: "copy the console link (to your own clipboard, also over SSH)", hint: Some("copy") },
    Binding { keys: &[Char('Y')], intent: Intent::CopyArn, scope: Scope::Yank, help: "copy the ARN or id", hint: None },
    Binding { keys: &[Char('E')], intent: Intent::CopyError, scope: Scope::Yank, help: "copy the error text", hint: None },
    Binding { keys: &[Esc], intent: Intent::Back, scope: Scope::Views, help: "go back; clear the filter", hint: None },
    Binding { keys: &[Tab], intent: Intent::SwitchView, scope: Scope::Views, help: "switch between Pipelines and Executions", hint: Some("switch") },
    Binding { keys: &[Ctrl('r')], intent: Intent::Refresh, scope: Scope::Views, help: "refresh now", hint: Some("refresh") },
    Binding { keys: &[Char('t')], intent: Intent::Times, scope: Scope::Views, help: "times as ages, local times or UTC", hint: None },
    Binding { keys: &[Char(':')], intent: Intent::CommandLine, scope: Scope::Views, help: "a command, as listed below (Tab completes)", hint: None },
    Binding { keys: &[Char('?')], intent: Intent::Help, scope: Scope::Views, help: "show this help", hint: Some("help") },
    Binding { keys: &[Char('q')], intent: Intent::Quit, scope: Scope::Views, help: "quit", hint: Some("quit") },
];

impl Mode {
    pub fn scopes(self) -> &'static [Scope] {
        match self {
            Mode::Confirm => &[Scope::Confirm],
            Mode::Pipelines => &[Scope::Lists, Scope::Views],
            Mode::Pipeline => &[Scope::Pipeline, Scope::Yank, Scope::Views],
            Mode::Executions => &[
                Scope::Lists,
                Scope::Redrive,
                Scope::Executions,
                Scope::Views,
            ],
            Mode::Execution => &[Scope::Redrive, Scope::Execution, Scope::Yank, Scope::Views],
            Mode::Reader => &[Scope::Reader, Scope::Yank, Scope::Views],
            Mode::Filter | Mode::Command | Mode::Help => &[],
        }
    }
}

fn key_of(event: &KeyEvent) -> Option<Key> {
    // Alt-r is not r: terminals send Alt as an Esc prefix, and a slip of the thumb must
    // not open a write.
    if event
        .modifiers
        .intersects(KeyModifiers::ALT | KeyModifiers::META | KeyModifiers::SUPER)
    {
        return None;
    }
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    Some(match event.code {
        KeyCode::Char(c) if ctrl => Ctrl(c.to_ascii_lowercase()),
        KeyCode::Char(c) => Char(c),
        KeyCode::Enter => Enter,
        KeyCode::Esc => Esc,
        KeyCode::Tab => Tab,
        KeyCode::Up => Up,
        KeyCode::Down => Down,
        KeyCode::Home => Home,
        KeyCode::End => End,
        KeyCode::Left => Left,
        KeyCode::Right => Right,
        KeyCode::PageUp => PageUp,
        KeyCode::PageDown => PageDown,
        _ => return None,
    })
}

/// The bindings in force: the table, with the person's keys where they chose others.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Live>,
}

/// One binding as in force: its keys may differ from the table's.
#[derive(Debug, Clone)]
struct Live {
    keys: Vec<Key>,
    binding: &'static Binding,
}

impl Default for Keymap {
    fn default() -> Self {
        Self {
            bindings: BINDINGS
                .iter()
                .map(|binding| Live {
                    keys: binding.keys.to_vec(),
                    binding,
                })
                .collect(),
        }
    }
}

impl Keymap {
    /// Turns a key into an action for the current mode, or nothing.
    pub fn resolve(&self, event: &KeyEvent, mode: Mode) -> Option<Action> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        if mode == Mode::Filter && event.code == KeyCode::Backspace {
            return Some(Action::Filter(FilterEdit::Backspace));
        }
        if mode == Mode::Command && event.code == KeyCode::Backspace {
            return Some(Action::Command(CommandEdit::Backspace));
        }
        let key = key_of(event)?;
        // Ctrl-C always quits, even inside a dialog: quitting never sends anything.
        if key == Ctrl('c') {
            return Some(Action::Intent(Intent::Quit));
        }
        match mode {
            // Help scrolls with the movement keys; any other key closes it.
            Mode::Help => {
                let intent = match key {
                    Char('j') | Down => Intent::Down,
                    Char('k') | Up => Intent::Up,
                    PageDown | Ctrl('d') | Char(' ') => Intent::PageDown,
                    PageUp | Ctrl('u') => Intent::PageUp,
                    Char('g') | Home => Intent::Top,
                    Char('G') | End => Intent::Bottom,
                    _ => Intent::Back,
                };
                return Some(Action::Intent(intent));
            }
            Mode::Filter => {
                return Some(Action::Filter(match key {
                    Char(c) => FilterEdit::Insert(c),
                    Enter => FilterEdit::Accept,
                    Esc => FilterEdit::Clear,
                    Up => return Some(Action::Intent(Intent::Up)),
                    Down => return Some(Action::Intent(Intent::Down)),
                    _ => return None,
                }));
            }
            Mode::Command => {
                return Some(Action::Command(match key {
                    Char(c) => CommandEdit::Insert(c),
                    Tab => CommandEdit::Complete,
                    Up => CommandEdit::Recall { older: true },
                    Down => CommandEdit::Recall { older: false },
                    Enter => CommandEdit::Run,
                    Esc => CommandEdit::Cancel,
                    _ => return None,
                }));
            }
            _ => {}
        }
        let scopes = mode.scopes();
        self.bindings
            .iter()
            .find(|live| scopes.contains(&live.binding.scope) && live.keys.contains(&key))
            .map(|live| Action::Intent(live.binding.intent))
    }

    /// What to say about a key that does nothing in `mode`: where it does something,
    /// or that it does nothing anywhere. Nothing for what is not a key press (a release,
    /// Alt-something), in a dialog, or while typing.
    pub fn explain(&self, event: &KeyEvent, mode: Mode) -> Option<String> {
        if event.kind == KeyEventKind::Release
            || matches!(
                mode,
                Mode::Confirm | Mode::Filter | Mode::Command | Mode::Help
            )
        {
            return None;
        }
        let key = key_of(event)?;
        let name = label(key);
        let elsewhere = self
            .bindings
            .iter()
            .find(|live| live.binding.scope != Scope::Confirm && live.keys.contains(&key));
        Some(match elsewhere {
            Some(live) => format!(
                "{name} does nothing here; in {}: {}",
                place(live.binding.scope),
                live.binding.help
            ),
            None => format!("{name} is not a key of unstick; ? lists them"),
        })
    }

    /// Footer hints for a mode, in table order: ("r", "retry").
    pub fn hints(&self, mode: Mode) -> Vec<(String, &'static str)> {
        if mode == Mode::Filter {
            return vec![("Enter".into(), "keep filter"), ("Esc".into(), "clear")];
        }
        if mode == Mode::Command {
            return vec![
                ("Tab".into(), "complete"),
                ("Enter".into(), "run"),
                ("↑".into(), "earlier"),
                ("Esc".into(), "cancel"),
            ];
        }
        let scopes = mode.scopes();
        self.bindings
            .iter()
            .filter(|live| scopes.contains(&live.binding.scope))
            .filter_map(|live| {
                let key = live.keys.first()?;
                live.binding.hint.map(|hint| (label(*key), hint))
            })
            .collect()
    }

    /// Help sections: (title, rows of (keys, description)).
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        let section = |scopes: &[Scope]| {
            self.bindings
                .iter()
                .filter(|live| scopes.contains(&live.binding.scope))
                .map(|live| (keys_label(&live.keys), live.binding.help))
                .collect::<Vec<_>>()
        };
        vec![
            ("Everywhere", section(&[Scope::Views])),
            ("Lists", section(&[Scope::Lists])),
            ("Pipeline", section(&[Scope::Pipeline])),
            (
                "Executions",
                section(&[Scope::Redrive, Scope::Executions, Scope::Execution]),
            ),
            ("Copy (pipeline, execution, log)", section(&[Scope::Yank])),
            ("Log and history", section(&[Scope::Reader])),
            ("Confirmation dialog", section(&[Scope::Confirm])),
        ]
    }

    /// The help, line by line: each section's keys, Ctrl-c, and the glyphs' legend. The
    /// overlay draws these and the app scrolls by their count, so the two cannot differ.
    pub fn help_lines(&self) -> Vec<HelpLine> {
        let mut lines = Vec::new();
        for (title, rows) in self.help_sections() {
            lines.push(HelpLine::Title(title));
            lines.extend(
                rows.into_iter()
                    .map(|(keys, help)| HelpLine::Key(keys, help)),
            );
        }
        lines.push(HelpLine::Key(
            label(Ctrl('c')),
            "quit, from anywhere (sends nothing)",
        ));
        lines.push(HelpLine::Title("Commands (:, Tab completes)"));
        lines.extend(
            commands::COMMANDS
                .iter()
                .map(|spec| HelpLine::Command(spec.usage(), spec.help, spec.aliases.first())),
        );
        lines.push(HelpLine::Title("Glyphs"));
        lines.extend(
            LEGEND
                .iter()
                .map(|(glyph, meaning)| HelpLine::Glyph(glyph, meaning)),
        );
        lines
    }
}

/// One line of the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    Title(&'static str),
    /// Keys, and what they do.
    Key(String, &'static str),
    /// A command's usage, what it does, and its shortest other name.
    Command(String, &'static str, Option<&'static &'static str>),
    /// A glyph, and what it means.
    Glyph(&'static str, &'static str),
}

/// Where a scope's keys work, in words.
fn place(scope: Scope) -> &'static str {
    match scope {
        Scope::Views => "every view",
        Scope::Lists => "the lists",
        Scope::Pipeline => "a pipeline",
        Scope::Redrive => "an execution or the executions list",
        Scope::Executions => "the executions list",
        Scope::Execution => "an execution",
        Scope::Reader => "a log or history",
        Scope::Yank => "a pipeline, execution or log",
        Scope::Confirm => "a confirmation",
    }
}

pub fn label(key: Key) -> String {
    match key {
        Char(' ') => "Space".into(),
        Char(c) => c.to_string(),
        Ctrl(c) => format!("Ctrl-{c}"),
        Enter => "Enter".into(),
        Esc => "Esc".into(),
        Tab => "Tab".into(),
        Up => "↑".into(),
        Down => "↓".into(),
        Home => "Home".into(),
        End => "End".into(),
        Left => "←".into(),
        Right => "→".into(),
        PageUp => "PgUp".into(),
        PageDown => "PgDn".into(),
    }
}

pub fn keys_label(keys: &[Key]) -> String {
    keys.iter()
        .map(|key| label(*key))
        .collect::<Vec<_>>()
        .join("/")
}

/// What each glyph on screen means. Colour is never the only signal, so each is also
/// said in words next to it; this is where the words are all together.
pub const LEGEND: &[(&str, &str)] = &[
    ("✗", "failed"),
    ("⏱", "timed out"),
    ("◔", "in progress, stopping, or pending a redrive"),
    ("✓", "succeeded"),
    ("■", "stopped, cancelled or aborted"),
    ("↷", "skipped or superseded"),
    ("⊘", "abandoned, or cannot be redriven"),
    (
        "↻",
        "can be redriven; in a history, an attempt a Retry ran again",
    ),
    ("⤷", "in a history, a failure a Catch handled"),
    ("⟲", "in a history, where a redrive started"),
    ("○", "not run in this execution"),
    ("⇣", "a transition is disabled: what follows never ran"),
    ("⚠", "stale, or not all of it could be read"),
    ("▶", "the selected row"),
    ("›", "the chosen action (←/→ choose)"),
    ("⋯", "AWS holds more than is listed"),
    ("!", "an error line (in a log)"),
    (
        "?",
        "a status this version does not know, shown as AWS sent it",
    ),
    (
        "…",
        "cut to fit; the whole text is in the detail or copied with y/E",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn intent(code: KeyCode, mode: Mode) -> Option<Intent> {
        match Keymap::default().resolve(&press(code), mode) {
            Some(Action::Intent(intent)) => Some(intent),
            _ => None,
        }
    }

    #[test]
    fn dialog_takes_keys_first() {
        assert_eq!(
            intent(KeyCode::Char('y'), Mode::Confirm),
            Some(Intent::Confirm)
        );
        // Enter opens things everywhere else: a reflex must not send a write.
        assert_eq!(intent(KeyCode::Enter, Mode::Confirm), None);
        assert_eq!(intent(KeyCode::Esc, Mode::Confirm), Some(Intent::Cancel));
        // A second `r` while the dialog is open does nothing.
        assert_eq!(intent(KeyCode::Char('r'), Mode::Confirm), None);
        assert_eq!(intent(KeyCode::Char('q'), Mode::Confirm), None);
    }

    #[test]
    fn retry_keys_only_in_pipeline_view() {
        assert_eq!(
            intent(KeyCode::Char('r'), Mode::Pipeline),
            Some(Intent::RetryFailed)
        );
        assert_eq!(
            intent(KeyCode::Char('R'), Mode::Pipeline),
            Some(Intent::RetryAll)
        );
        assert_eq!(intent(KeyCode::Char('r'), Mode::Pipelines), None);
    }

    #[test]
    fn alt_modified_keys_are_not_their_letters() {
        for modifier in [KeyModifiers::ALT, KeyModifiers::META] {
            let alt_r = KeyEvent::new(KeyCode::Char('r'), modifier);
            assert!(Keymap::default().resolve(&alt_r, Mode::Pipeline).is_none());
            assert!(
                Keymap::default()
                    .resolve(&alt_r, Mode::Executions)
                    .is_none()
            );
            let alt_y = KeyEvent::new(KeyCode::Char('y'), modifier);
            assert!(Keymap::default().resolve(&alt_y, Mode::Confirm).is_none());
        }
    }

    #[test]
    fn ctrl_c_quits_everywhere() {
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        for mode in [Mode::Confirm, Mode::Filter, Mode::Help, Mode::Pipeline] {
            assert!(matches!(
                Keymap::default().resolve(&ctrl_c, mode),
                Some(Action::Intent(Intent::Quit))
            ));
        }
    }

    #[test]
    fn filter_mode_types_letters() {
        assert!(matches!(
            Keymap::default().resolve(&press(KeyCode::Char('q')), Mode::Filter),
            Some(Action::Filter(FilterEdit::Insert('q')))
        ));
    }

    #[test]
    fn hints_come_from_the_table() {
        let hints = Keymap::default().hints(Mode::Pipeline);
        assert!(hints.contains(&("r".to_string(), "retry")));
        assert!(!hints.iter().any(|(_, hint)| *hint == "filter"));
    }
}
