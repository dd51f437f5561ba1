//! Text from AWS is data, never terminal commands.
//!
//! Names, error messages, causes and URLs come from AWS (and, through AWS, from whoever
//! wrote them). A C0 or C1 control character or an ESC sequence could move the cursor,
//! recolour or retitle the terminal; a bidi control (U+202A–U+202E, U+2066–U+2069) could
//! make `prod` read as `dorp` or hide part of a name. ratatui already drops graphemes
//! that hold C0/C1 controls; `SafeBackend` removes the rest from every cell before it is
//! written, and `visible` makes them all visible in plain-text output (`report`).

use std::borrow::Cow;

/// Characters that change how the terminal shows other text rather than showing
/// themselves: C0/C1 controls (ESC among them), bidi embeddings, overrides and isolates,
/// the implicit direction marks, and line/paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' // left-to-right / right-to-left mark
            | '\u{202A}'..='\u{202E}' // embeddings and overrides
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{061C}' // Arabic letter mark
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
        )
}

/// `text` without any unsafe character (for the dashboard, where a cell has a fixed width).
pub fn strip(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_unsafe) {
        Cow::Owned(text.chars().filter(|c| !is_unsafe(*c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` with every unsafe character written out as `\u{…}` (for plain-text output,
/// where a person should see that something odd was there). Newlines and tabs are kept
/// when `keep_lines` is set (multi-line causes).
pub fn visible(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let keep = |c: char| keep_lines && (c == '\n' || c == '\t');
    if !text.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) && !keep(c) {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_and_controls_are_unsafe_and_text_is_not() {
        for c in [
            '\u{1b}', '\u{7}', '\u{9b}', '\u{202E}', '\u{2066}', '\u{200F}', '\n',
        ] {
            assert!(is_unsafe(c), "{:04x}", c as u32);
        }
        for c in ['a', 'é', '…', '✗', '日', ' '] {
            assert!(!is_unsafe(c), "{c}");
        }
    }

    #[test]
    fn strip_removes_and_visible_shows() {
        let name = "deploy-\u{202E}dorp\u{202C}-\u{1b}[31mred";
        assert_eq!(strip(name), "deploy-dorp-[31mred");
        assert_eq!(
            visible(name, false),
            "deploy-\\u{202e}dorp\\u{202c}-\\u{001b}[31mred"
        );
        assert!(matches!(strip("plain"), Cow::Borrowed(_)));
        assert_eq!(visible("a\nb", true), "a\nb");
        assert_eq!(visible("a\nb", false), "a\\u{000a}b");
    }
}
