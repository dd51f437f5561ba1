//! CloudWatch Logs' filter patterns for unstructured events: terms that must all appear
//! (`ERROR Exception`), an exact phrase in quotes (`"request id"`), `-term` for a term
//! that must not, and `?term` for terms of which any one will do. Matching is
//! case-sensitive, as AWS's is. JSON and space-delimited patterns are not emulated and
//! are refused rather than matched wrongly.

use crate::ApiError;

#[derive(Debug, Default)]
pub struct Pattern {
    all: Vec<String>,
    none: Vec<String>,
    any: Vec<String>,
}

impl Pattern {
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        let text = text.trim();
        if text.starts_with('{') || text.starts_with('[') || text.starts_with('%') {
            return Err(ApiError::new(
                400,
                "InvalidParameterException",
                "the emulator matches only term and phrase filter patterns",
            ));
        }
        let mut pattern = Pattern::default();
        for term in terms(text) {
            if let Some(rest) = term.strip_prefix('-') {
                pattern.none.push(unquote(rest));
            } else if let Some(rest) = term.strip_prefix('?') {
                pattern.any.push(unquote(rest));
            } else {
                pattern.all.push(unquote(&term));
            }
        }
        Ok(pattern)
    }

    pub fn matches(&self, message: &str) -> bool {
        self.all.iter().all(|term| message.contains(term.as_str()))
            && !self.none.iter().any(|term| message.contains(term.as_str()))
            && (self.any.is_empty() || self.any.iter().any(|term| message.contains(term.as_str())))
    }
}

/// Splits on spaces outside double quotes.
fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ' ' if !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn unquote(term: &str) -> String {
    term.strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(term)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_phrases_exclusions_and_alternatives() {
        let pattern = Pattern::parse("\"RequestId: 7d9c\" -DEBUG").unwrap();
        assert!(pattern.matches("END RequestId: 7d9c"));
        assert!(!pattern.matches("DEBUG RequestId: 7d9c"));
        assert!(!pattern.matches("RequestId: 1234"));
        let any = Pattern::parse("?ERROR ?FAIL").unwrap();
        assert!(any.matches("FAIL test/a.js"));
        assert!(!any.matches("PASS test/a.js"));
        assert!(Pattern::parse("").unwrap().matches("anything"));
        assert!(
            !Pattern::parse("error").unwrap().matches("ERROR"),
            "case-sensitive"
        );
        assert!(Pattern::parse("{ $.level = \"error\" }").is_err());
    }
}
