//! The `:` command line: typing, Tab completion, recalling earlier commands, and running
//! what was typed. The words are the key map's (`keymap::commands`); what each does is
//! here, and switching place is `switch.rs`'s.

use super::navigation::{MAX_FILTER, pasted_line};
use super::*;
use crate::action::{CommandEdit, Place};
use crate::keymap::commands::{self, Typed, Verb};
use crate::model::regions::{REGIONS, is_region_name};

/// The longest command line kept: a filter or a profile name, never a paste of a log.
const MAX_COMMAND: usize = 200;
/// Commands remembered for ↑, this session.
const MAX_RECALLED: usize = 50;

/// The open command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandLine {
    /// What was typed, without the `:`.
    pub text: String,
    /// Which earlier command ↑ shows, counted from the newest.
    recalled: Option<usize>,
}

impl App {
    pub(super) fn open_command_line(&mut self) {
        self.ui.help = false;
        self.ui.command = Some(CommandLine::default());
    }

    pub(super) fn on_command_edit(&mut self, edit: CommandEdit) -> Vec<Command> {
        let Some(line) = self.ui.command.as_mut() else {
            return Vec::new();
        };
        match edit {
            CommandEdit::Insert(c) => {
                if !c.is_control() && line.text.chars().count() < MAX_COMMAND {
                    line.text.push(c);
                }
            }
            CommandEdit::Backspace => {
                // Backspace on an empty line closes it, as in vim and k9s.
                if line.text.pop().is_none() {
                    self.ui.command = None;
                }
            }
            CommandEdit::Complete => {
                let text = line.text.clone();
                let done = commands::complete(&text, |verb| self.argument_values(verb));
                if let Some(line) = self.ui.command.as_mut() {
                    line.text = done.line;
                }
            }
            CommandEdit::Recall { older } => {
                let count = self.commands_typed.len();
                let next = match (line.recalled, older) {
                    (None, true) if count > 0 => Some(0),
                    (Some(at), true) => Some((at + 1).min(count.saturating_sub(1))),
                    (Some(0), false) | (None, false) => None,
                    (Some(at), false) => Some(at - 1),
                    (None, true) => None,
                };
                line.recalled = next;
                line.text = next
                    .and_then(|at| self.commands_typed.iter().rev().nth(at))
                    .cloned()
                    .unwrap_or_default();
            }
            CommandEdit::Cancel => self.ui.command = None,
            CommandEdit::Run => {
                let Some(line) = self.ui.command.take() else {
                    return Vec::new();
                };
                let text = line.text.trim().to_string();
                if text.is_empty() {
                    return Vec::new();
                }
                self.commands_typed.retain(|earlier| earlier != &text);
                self.commands_typed.push(text.clone());
                if self.commands_typed.len() > MAX_RECALLED {
                    self.commands_typed.remove(0);
                }
                return match commands::parse(&text) {
                    Ok(typed) => self.run_command(typed),
                    Err(why) => {
                        self.say(Tone::Warning, why);
                        Vec::new()
                    }
                };
            }
        }
        Vec::new()
    }

    /// Pasted text goes onto an open command line as text (a profile or a region
    /// copied from elsewhere); it never runs it, only Enter does. False when no line is
    /// open.
    pub(super) fn paste_into_command_line(&mut self, text: &str) -> bool {
        let Some(line) = self.ui.command.as_mut() else {
            return false;
        };
        let room = MAX_COMMAND.saturating_sub(line.text.chars().count());
        line.text.push_str(&pasted_line(text, room));
        true
    }

    /// What could come next on the open command line, shown as the person types.
    pub fn command_suggestions(&self) -> Vec<String> {
        let Some(line) = &self.ui.command else {
            return Vec::new();
        };
        commands::complete(&line.text, |verb| self.argument_values(verb)).candidates
    }

    /// What Tab offers after a command's name: the profiles the config files define,
    /// the regions AWS lists.
    fn argument_values(&self, verb: Verb) -> Vec<String> {
        match verb {
            Verb::Profile => self.profiles.clone(),
            Verb::Region => REGIONS.iter().map(|r| r.to_string()).collect(),
            _ => Vec::new(),
        }
    }

    fn run_command(&mut self, typed: Typed) -> Vec<Command> {
        let argument = typed.argument.as_deref();
        match typed.verb {
            Verb::Pipelines => self.show_list(View::Pipelines),
            Verb::Executions => self.show_list(View::Executions),
            Verb::Profile => {
                let Some(profile) = argument else {
                    return Vec::new();
                };
                if !self.profiles.is_empty() && !self.profiles.iter().any(|p| p == profile) {
                    self.say(
                        Tone::Warning,
                        format!(
                            "AWS profile '{profile}' is not defined; Tab lists the {} that are",
                            self.profiles.len()
                        ),
                    );
                    return Vec::new();
                }
                // The profile's own region, as `--profile` alone would give.
                self.switch_to(Place {
                    profile: Some(profile.to_string()),
                    region: None,
                })
            }
            Verb::Region => {
                let Some(region) = argument else {
                    return Vec::new();
                };
                if !is_region_name(region) {
                    self.say(
                        Tone::Warning,
                        format!("'{region}' is not a region name (like eu-west-1); Tab lists them"),
                    );
                    return Vec::new();
                }
                self.switch_to(Place {
                    profile: self.settings.profile.clone(),
                    region: Some(region.to_string()),
                })
            }
            Verb::ReadOnly => {
                self.set_read_only(argument != Some("off"));
                Vec::new()
            }
            Verb::Filter => self.filter_to(argument.unwrap_or_default()),
            Verb::Sort => {
                self.ui.sort = match argument {
                    Some("failure") => SortOrder::Failure,
                    Some("name") => SortOrder::Name,
                    Some("status") => SortOrder::Status,
                    _ => self.ui.sort.next(),
                };
                self.say_sort();
                Vec::new()
            }
            Verb::Time => {
                self.ui.time = match argument {
                    Some("ages") => TimeDisplay::Relative,
                    Some("local") => TimeDisplay::Local,
                    Some("utc") => TimeDisplay::Utc,
                    _ => self.ui.time.next(),
                };
                self.say_times();
                Vec::new()
            }
            Verb::Help => self.on_intent(Intent::Help),
            Verb::Quit => self.on_intent(Intent::Quit),
        }
    }

    /// A list, from wherever the person is: its half comes to the front, at the list.
    fn show_list(&mut self, list: View) -> Vec<Command> {
        let pipelines = list == View::Pipelines;
        if self.ui.view.is_pipelines_section() != pipelines {
            std::mem::swap(&mut self.ui.view, &mut self.ui.other_view);
            self.ui.filter.clear();
        }
        self.ui.view = list;
        self.ui.reader = None;
        self.ui.help = false;
        self.poll()
    }

    /// `:filter TEXT`: the list of the half in front, filtered (nothing clears it).
    fn filter_to(&mut self, text: &str) -> Vec<Command> {
        let commands = self.show_list(self.ui.view.list());
        self.ui.filter = text.chars().take(MAX_FILTER).collect();
        self.on_filter(FilterEdit::Accept);
        commands
    }

    /// `:readonly [on|off]`. Turning it on is always safe. Turning it off is refused
    /// when unstick started read-only (a flag or the settings file asked for it): that
    /// was a decision made calmly, not to be undone by a command typed at 3 a.m.
    fn set_read_only(&mut self, on: bool) {
        if on {
            self.settings.read_only = true;
            self.say(
                Tone::Good,
                "Read-only: every write is refused (:readonly off allows them again)",
            );
        } else if self.read_only_at_start {
            self.say(
                Tone::Warning,
                "unstick started read-only (--read-only or the settings file); restart without it to write",
            );
        } else {
            self.settings.read_only = false;
            self.say(
                Tone::Muted,
                "Writes allowed again, each after a confirmation",
            );
        }
    }
}
