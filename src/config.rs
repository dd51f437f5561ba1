//! The person's settings file, `$XDG_CONFIG_HOME/unstick/config.toml`: defaults for the
//! connection, the looks, the polling budget and the keys. A file that cannot be used is
//! said in one line naming the file, the line and the setting, and unstick goes on with
//! its defaults: a typo must not keep anyone from their dashboard at 3 a.m.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::keymap::{Keymap, parse_key};
use crate::model::TimeDisplay;
use crate::terminal::looks::Palette;

/// The documented default file, printed by `unstick config --print-default`.
pub const DEFAULT: &str = include_str!("../assets/config.toml");

/// Where the file is: the one `--config` names, else the default place.
pub fn path(flag: Option<&Path>) -> PathBuf {
    match flag {
        Some(path) => path.to_path_buf(),
        None => directories::ProjectDirs::from("", "", "unstick")
            .map(|dirs| dirs.config_dir().join("config.toml"))
            .unwrap_or_else(|| PathBuf::from("config.toml")),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    aws: Aws,
    #[serde(default)]
    display: Display,
    #[serde(default)]
    polling: Polling,
    #[serde(default)]
    keys: BTreeMap<String, Spanned<Keys>>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aws {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub read_only: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Display {
    pub theme: Option<Palette>,
    pub ascii: Option<bool>,
    pub time: Option<TimeDisplay>,
    pub bell: Option<bool>,
    pub hyperlinks: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Polling {
    pub budget: Option<f64>,
    pub budget_share: Option<u8>,
    pub codepipeline_rate: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

/// The settings as read: what the file says, and the key table it makes.
#[derive(Debug, Default, Clone)]
pub struct Config {
    pub aws: Aws,
    pub display: Display,
    pub polling: Polling,
    pub keys: Keymap,
}

/// Reads the file at `path`. No file is no settings; a file that cannot be used gives
/// the defaults and the one line that says why.
pub fn load(path: &Path) -> (Config, Option<String>) {
    match std::fs::read_to_string(path) {
        Ok(text) => match parse(&text) {
            Ok(config) => (config, None),
            Err((line, what)) => {
                let place = match line {
                    Some(line) => format!("{} line {line}", path.display()),
                    None => path.display().to_string(),
                };
                (
                    Config::default(),
                    Some(format!("{place}: {what}; using the defaults")),
                )
            }
        },
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => (Config::default(), None),
        Err(error) => (
            Config::default(),
            Some(format!(
                "{}: cannot read it ({error}); using the defaults",
                path.display()
            )),
        ),
    }
}

/// The settings in `text`, or the line (when known) and what is wrong there.
pub fn parse(text: &str) -> Result<Config, (Option<usize>, String)> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let file: File = toml::from_str(text).map_err(|error| {
        let line = error.span().map(|span| line_of(span.start));
        (line, error.message().trim().to_string())
    })?;
    let mut keys = Keymap::default();
    for (name, spanned) in &file.keys {
        let line = Some(line_of(spanned.span().start));
        let texts = match spanned.get_ref() {
            Keys::One(key) => vec![key.clone()],
            Keys::Many(keys) => keys.clone(),
        };
        let parsed: Result<Vec<_>, _> = texts.iter().map(|t| parse_key(t)).collect();
        let parsed = parsed.map_err(|error| (line, format!("keys.{name}: {error}")))?;
        keys.rebind(name, &parsed)
            .map_err(|error| (line, format!("keys.{name}: {error}")))?;
    }
    if let Some(clash) = keys.clash() {
        return Err((None, format!("keys: {clash}")));
    }
    if let Some(share) = file.polling.budget_share
        && !(1..=100).contains(&share)
    {
        return Err((None, "polling.budget_share: a percent, 1 to 100".into()));
    }
    if let Some(budget) = file.polling.budget
        && (budget.is_nan() || budget <= 0.0)
    {
        return Err((
            None,
            "polling.budget: requests per second, more than 0".into(),
        ));
    }
    Ok(Config {
        aws: file.aws,
        display: file.display,
        polling: file.polling,
        keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::{Action, Intent};
    use crate::keymap::Mode;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn the_default_file_names_every_action_a_key_can_move() {
        let listed = DEFAULT
            .split("# The actions:")
            .nth(1)
            .expect("the list of actions");
        for (name, _) in crate::keymap::INTENT_NAMES {
            let word = format!(" {name},");
            let last = format!(" {name}.");
            assert!(
                listed.contains(&word) || listed.contains(&last),
                "{name} is not in the default file's list"
            );
        }
    }

    #[test]
    fn the_documented_default_is_the_default() {
        let config = parse(DEFAULT).expect("the default file parses");
        assert_eq!(config.display.theme, Some(Palette::Dark));
        assert_eq!(config.display.time, Some(TimeDisplay::Relative));
        assert_eq!(config.polling.budget, Some(2.0));
        assert_eq!(config.polling.budget_share, Some(50));
        assert_eq!(config.polling.codepipeline_rate.as_deref(), Some("10/5"));
        assert_eq!(config.aws.read_only, Some(false));
        assert_eq!(config.aws.profile, None);
    }

    #[test]
    fn a_good_file_sets_what_it_says() {
        let config = parse(
            "[aws]\nprofile = \"prod\"\nregion = \"eu-west-1\"\nread_only = true\n\
             [display]\ntheme = \"light\"\ntime = \"utc\"\n\
             [keys]\nretry = \"x\"\nquit = [\"q\", \"ctrl-q\"]\n",
        )
        .unwrap();
        assert_eq!(config.aws.profile.as_deref(), Some("prod"));
        assert_eq!(config.aws.read_only, Some(true));
        assert_eq!(config.display.theme, Some(Palette::Light));
        assert_eq!(config.display.time, Some(TimeDisplay::Utc));
        let press = |code| KeyEvent::new(code, KeyModifiers::NONE);
        assert!(matches!(
            config
                .keys
                .resolve(&press(KeyCode::Char('x')), Mode::Pipeline),
            Some(Action::Intent(Intent::RetryFailed))
        ));
        let ctrl_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert!(matches!(
            config.keys.resolve(&ctrl_q, Mode::Pipelines),
            Some(Action::Intent(Intent::Quit))
        ));
    }

    #[test]
    fn a_bad_file_names_the_line_and_the_setting() {
        let (line, what) = parse("[display]\ntheme = \"dark\"\ncolour = \"red\"\n").unwrap_err();
        assert_eq!(line, Some(3));
        assert!(what.contains("unknown field `colour`"), "{what}");

        let (line, what) = parse("[display]\ntheme = \"mauve\"\n").unwrap_err();
        assert_eq!(line, Some(2));
        assert!(what.contains("mauve"), "{what}");

        let (line, what) = parse("[keys]\n\nretry = \"hyper-x\"\n").unwrap_err();
        assert_eq!(line, Some(3));
        assert!(
            what.starts_with("keys.retry: 'hyper-x' is not a key"),
            "{what}"
        );

        let (_, what) = parse("[keys]\nretry = \"y\"\n").unwrap_err();
        assert_eq!(
            what,
            "keys: y would be both retry and copy-link in the pipeline view"
        );

        let (line, what) = parse("[keys]\nconfirm = \"enter\"\n").unwrap_err();
        assert_eq!(line, Some(2));
        assert!(what.contains("y always confirms"), "{what}");

        let (line, _) = parse("[aws\nprofile = 1").unwrap_err();
        assert_eq!(line, Some(1));
        let (_, what) = parse("[polling]\nbudget_share = 0\n").unwrap_err();
        assert!(what.starts_with("polling.budget_share"), "{what}");
    }

    #[test]
    fn a_missing_file_is_no_settings_and_an_unreadable_one_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let (config, problem) = load(&dir.path().join("none.toml"));
        assert!(problem.is_none());
        assert!(config.aws.profile.is_none());
        let bad = dir.path().join("config.toml");
        std::fs::write(&bad, "[aws]\nprofil = \"x\"\n").unwrap();
        let (config, problem) = load(&bad);
        assert!(config.aws.profile.is_none());
        let problem = problem.unwrap();
        assert!(
            problem.contains("config.toml line 2: unknown field `profil`"),
            "{problem}"
        );
        assert!(problem.ends_with("using the defaults"), "{problem}");
        assert_eq!(problem.lines().count(), 1);
    }
}
