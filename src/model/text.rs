//! Free text from AWS (messages, causes, summaries) kept at a size a person can read.
//!
//! AWS documents its longest free-text field, a Step Functions cause, at 32,768
//! characters. A reply carrying more (a broken integration, a hostile payload) is cut
//! once, as it arrives: the model then holds one small copy, and every frame, search
//! and report works on that, never on megabytes.

/// The most characters kept of one field: the longest AWS documents.
pub const MAX_CHARS: usize = 32_768;

/// `text` as kept: whole when within `MAX_CHARS`, else its beginning and a note of how
/// long it was.
pub fn bounded(text: &str) -> String {
    // Cheap for the usual short text: bytes bound characters from above.
    if text.len() <= MAX_CHARS {
        return text.to_string();
    }
    match text.char_indices().nth(MAX_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => {
            let total = text.chars().count();
            format!(
                "{}… [cut: {} of {} characters shown]",
                &text[..cut],
                thousands(MAX_CHARS),
                thousands(total)
            )
        }
    }
}

/// 24999 → "24,999".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `bounded` for an optional field.
pub fn bounded_opt(text: Option<&str>) -> Option<String> {
    text.map(bounded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(bounded("JobFailed"), "JobFailed");
        let exactly = "é".repeat(MAX_CHARS);
        assert_eq!(bounded(&exactly), exactly);
    }

    #[test]
    fn long_text_is_cut_on_a_character_and_says_so() {
        let long = "ü".repeat(MAX_CHARS + 5);
        let kept = bounded(&long);
        assert!(kept.starts_with(&"ü".repeat(MAX_CHARS)));
        assert!(kept.ends_with("… [cut: 32,768 of 32,773 characters shown]"));
        assert!(kept.chars().count() < MAX_CHARS + 60);
    }
}
