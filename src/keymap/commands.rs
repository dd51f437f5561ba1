//! The command line's words (`:region eu-west-1`): one table, read by the parser, by
//! completion and by help, as the key table is for keys. Only the words are here; what a
//! command does, and which arguments are valid, is the app's.

/// The commands the `:` line knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Pipelines,
    Executions,
    Profile,
    Region,
    ReadOnly,
    Filter,
    Sort,
    Time,
    Help,
    Quit,
}

/// What a command takes after its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Takes {
    Nothing,
    /// A word the command needs.
    One(&'static str),
    /// A word that may be left out.
    Optional(&'static str),
    /// The rest of the line, spaces and all (a filter).
    Rest(&'static str),
}

pub struct CommandSpec {
    pub verb: Verb,
    pub name: &'static str,
    /// Other names that mean the same, the short ones k9s users type among them.
    pub aliases: &'static [&'static str],
    pub takes: Takes,
    pub help: &'static str,
}

// One command per line reads as a table.
#[rustfmt::skip]
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec { verb: Verb::Pipelines, name: "pipelines", aliases: &["pp", "codepipeline"], takes: Takes::Nothing, help: "the pipelines list" },
    CommandSpec { verb: Verb::Executions, name: "executions", aliases: &["ex", "sfn", "stepfunctions"], takes: Takes::Nothing, help: "the executions list" },
    CommandSpec { verb: Verb::Profile, name: "profile", aliases: &[], takes: Takes::One("NAME"), help: "another AWS profile, in its region" },
    CommandSpec { verb: Verb::Region, name: "region", aliases: &[], takes: Takes::One("NAME"), help: "another region, same profile" },
    CommandSpec { verb: Verb::ReadOnly, name: "readonly", aliases: &["ro"], takes: Takes::Optional("on|off"), help: "refuse writes; off unless set at start" },
    CommandSpec { verb: Verb::Filter, name: "filter", aliases: &[], takes: Takes::Rest("TEXT"), help: "filter the list; empty clears it" },
    CommandSpec { verb: Verb::Sort, name: "sort", aliases: &[], takes: Takes::Optional("failure|name|status"), help: "order the lists" },
    CommandSpec { verb: Verb::Time, name: "time", aliases: &[], takes: Takes::Optional("ages|local|utc"), help: "times as ages, local or UTC" },
    CommandSpec { verb: Verb::Help, name: "help", aliases: &["h"], takes: Takes::Nothing, help: "this help" },
    CommandSpec { verb: Verb::Quit, name: "quit", aliases: &["q", "q!", "exit"], takes: Takes::Nothing, help: "quit" },
];

impl CommandSpec {
    /// "region NAME", as help shows it.
    pub fn usage(&self) -> String {
        match self.takes {
            Takes::Nothing => format!(":{}", self.name),
            Takes::One(word) | Takes::Rest(word) => format!(":{} {word}", self.name),
            Takes::Optional(word) => format!(":{} [{word}]", self.name),
        }
    }

    /// The fixed words the argument may be, when it is one of a few.
    pub fn choices(&self) -> Vec<&'static str> {
        match self.takes {
            Takes::Optional(words) => words.split('|').collect(),
            _ => Vec::new(),
        }
    }
}

/// A command as typed: which one, and its argument (trimmed; None when there is none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    pub verb: Verb,
    pub argument: Option<String>,
}

/// Reads a command line (without its `:`). A name may be shortened to any beginning
/// only one command has (`:reg eu-west-1`). Errors are one line, for the status line.
pub fn parse(line: &str) -> Result<Typed, String> {
    let line = line.trim();
    let (word, rest) = line
        .split_once(char::is_whitespace)
        .map_or((line, ""), |(word, rest)| (word, rest.trim()));
    if word.is_empty() {
        return Err("type a command, like :region eu-west-1 (Tab completes)".into());
    }
    let spec = find(word)?;
    let argument = (!rest.is_empty()).then(|| rest.to_string());
    match (spec.takes, &argument) {
        (Takes::Nothing, Some(_)) => Err(format!(":{} takes nothing after it", spec.name)),
        (Takes::One(what), None) => Err(format!(
            ":{} needs a {}, like {}",
            spec.name,
            what.to_lowercase(),
            spec.usage()
        )),
        (Takes::One(_), Some(text)) if text.contains(char::is_whitespace) => {
            Err(format!(":{} takes one word, not '{text}'", spec.name))
        }
        (Takes::Optional(_), Some(text)) if !spec.choices().contains(&text.as_str()) => Err(
            format!("'{text}' is not one of {}", spec.choices().join(", ")),
        ),
        _ => Ok(Typed {
            verb: spec.verb,
            argument,
        }),
    }
}

/// The command `word` names: exactly, by an alias, or by a beginning of one name only.
fn find(word: &str) -> Result<&'static CommandSpec, String> {
    let word = word.to_lowercase();
    if let Some(spec) = COMMANDS
        .iter()
        .find(|spec| spec.name == word || spec.aliases.contains(&word.as_str()))
    {
        return Ok(spec);
    }
    let starting: Vec<_> = COMMANDS
        .iter()
        .filter(|spec| spec.name.starts_with(&word))
        .collect();
    match starting.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            ":{word} is not a command; Tab lists them, :help explains them"
        )),
        many => Err(format!(
            ":{word} could be {}",
            many.iter()
                .map(|spec| format!(":{}", spec.name))
                .collect::<Vec<_>>()
                .join(" or ")
        )),
    }
}

/// What Tab can do with a line: the words that could come next, and the line with the
/// part they all share filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub line: String,
    pub candidates: Vec<String>,
}

/// Completes the last word of `line`: a command's name, or its argument from `values`
/// (the profiles defined, the regions; the app knows them). A name that is whole gains
/// a space when it takes something.
pub fn complete(line: &str, values: impl Fn(Verb) -> Vec<String>) -> Completion {
    let Some((word, rest)) = line.split_once(' ') else {
        let candidates: Vec<String> = COMMANDS
            .iter()
            .filter(|spec| spec.name.starts_with(&line.to_lowercase()))
            .map(|spec| spec.name.to_string())
            .collect();
        let mut completed = shared_start(&candidates).unwrap_or_else(|| line.to_string());
        if let [only] = candidates.as_slice()
            && let Ok(spec) = find(only)
            && spec.takes != Takes::Nothing
        {
            completed.push(' ');
        }
        return Completion {
            line: completed,
            candidates,
        };
    };
    let Ok(spec) = find(word) else {
        return Completion {
            line: line.to_string(),
            candidates: Vec::new(),
        };
    };
    let mut known = values(spec.verb);
    known.extend(spec.choices().iter().map(|word| word.to_string()));
    let typed = rest.trim_start();
    let candidates: Vec<String> = known
        .into_iter()
        .filter(|value| value.starts_with(typed))
        .collect();
    let completed = match shared_start(&candidates) {
        Some(start) if start.len() >= typed.len() => format!("{word} {start}"),
        _ => line.to_string(),
    };
    Completion {
        line: completed,
        candidates,
    }
}

/// The longest beginning every candidate shares; None when there are none.
fn shared_start(candidates: &[String]) -> Option<String> {
    let first = candidates.first()?;
    let mut end = first.len();
    for other in &candidates[1..] {
        end = first
            .char_indices()
            .zip(other.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((at, a), _)| at + a.len_utf8())
            .min(end);
    }
    Some(first[..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(verb: Verb, argument: Option<&str>) -> Result<Typed, String> {
        Ok(Typed {
            verb,
            argument: argument.map(str::to_string),
        })
    }

    #[test]
    fn names_aliases_and_unique_beginnings() {
        assert_eq!(parse("pipelines"), typed(Verb::Pipelines, None));
        assert_eq!(parse("  pp "), typed(Verb::Pipelines, None));
        assert_eq!(parse("q"), typed(Verb::Quit, None));
        assert_eq!(parse("q!"), typed(Verb::Quit, None));
        assert_eq!(parse("ex"), typed(Verb::Executions, None));
        assert_eq!(
            parse("reg eu-west-1"),
            typed(Verb::Region, Some("eu-west-1"))
        );
        assert_eq!(parse("Region eu-west-1").map(|t| t.verb), Ok(Verb::Region));
        assert_eq!(
            parse("p").unwrap_err(),
            ":p could be :pipelines or :profile"
        );
        assert!(parse("nosuch").unwrap_err().contains("not a command"));
        assert!(parse("").unwrap_err().contains("type a command"));
    }

    #[test]
    fn arguments_are_checked_by_what_the_command_takes() {
        assert!(parse("region").unwrap_err().contains("needs a name"));
        assert!(parse("profile a b").unwrap_err().contains("one word"));
        assert!(parse("quit now").unwrap_err().contains("takes nothing"));
        assert_eq!(parse("readonly"), typed(Verb::ReadOnly, None));
        assert_eq!(parse("ro off"), typed(Verb::ReadOnly, Some("off")));
        assert!(parse("ro maybe").unwrap_err().contains("on, off"));
        assert_eq!(
            parse("filter pay  api"),
            typed(Verb::Filter, Some("pay  api"))
        );
        assert_eq!(parse("filter"), typed(Verb::Filter, None));
        assert_eq!(parse("time utc"), typed(Verb::Time, Some("utc")));
    }

    #[test]
    fn tab_completes_names_then_arguments() {
        let regions = |verb| match verb {
            Verb::Region => vec!["eu-west-1".into(), "eu-west-2".into(), "us-east-1".into()],
            _ => Vec::new(),
        };
        let done = complete("reg", regions);
        assert_eq!(done.line, "region ");
        assert_eq!(done.candidates, ["region"]);
        let done = complete("p", regions);
        assert_eq!(done.line, "p");
        assert_eq!(done.candidates, ["pipelines", "profile"]);
        let done = complete("pi", regions);
        assert_eq!(done.line, "pipelines", "nothing follows :pipelines");
        let done = complete("region eu", regions);
        assert_eq!(done.line, "region eu-west-");
        assert_eq!(done.candidates, ["eu-west-1", "eu-west-2"]);
        let done = complete("region us", regions);
        assert_eq!(done.line, "region us-east-1");
        let done = complete("time l", regions);
        assert_eq!(done.line, "time local");
        let done = complete("nosuch x", regions);
        assert!(done.candidates.is_empty());
        assert_eq!(done.line, "nosuch x");
    }

    #[test]
    fn every_command_has_a_unique_name_and_aliases() {
        let mut words: Vec<&str> = COMMANDS
            .iter()
            .flat_map(|spec| std::iter::once(spec.name).chain(spec.aliases.iter().copied()))
            .collect();
        let all = words.len();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), all);
    }
}
