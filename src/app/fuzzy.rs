//! The `/` filter: fuzzy, as in the finders people know (letters in order, not
//! necessarily together: `chkw` finds `checkout-web`), over everything a row says: its
//! name, failed stage and action, and error code. Case is ignored.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// A filter ready to test rows; an empty one lets every row through.
pub struct Fuzzy {
    /// None for an empty filter: the matcher's scratch space is a large zeroed
    /// allocation, and the lists are built several times a frame.
    active: Option<Active>,
}

struct Active {
    pattern: Pattern,
    matcher: Matcher,
    buffer: Vec<char>,
}

impl Fuzzy {
    pub fn new(needle: &str) -> Self {
        let needle = needle.trim();
        Self {
            active: (!needle.is_empty()).then(|| Active {
                pattern: Pattern::parse(needle, CaseMatching::Ignore, Normalization::Smart),
                matcher: Matcher::new(Config::DEFAULT),
                buffer: Vec::new(),
            }),
        }
    }

    /// Whether any of `texts` matches.
    pub fn matches<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) -> bool {
        let Some(active) = &mut self.active else {
            return true;
        };
        // One haystack, so a pattern of several words can match across the fields.
        let haystack = texts.into_iter().collect::<Vec<_>>().join(" ");
        active
            .pattern
            .score(
                Utf32Str::new(&haystack, &mut active.buffer),
                &mut active.matcher,
            )
            .is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_in_order_match_across_a_rows_fields() {
        let row = ["checkout-web", "Build", "IntegrationTests", "JobFailed"];
        for needle in [
            "",
            "checkout",
            "chkw",
            "CHECKOUT",
            "integ",
            "jobfail",
            "chk integ",
        ] {
            assert!(Fuzzy::new(needle).matches(row), "{needle}");
        }
        for needle in ["payments", "wkhc", "chk deploy"] {
            assert!(!Fuzzy::new(needle).matches(row), "{needle}");
        }
    }
}
