//! Operating System Commands a terminal understands beyond drawing: OSC 52 puts text on
//! the clipboard of the machine the person sits at (it travels over SSH, and through tmux
//! with `set-clipboard on`), and OSC 8 makes text a hyperlink. Both carry data inside an
//! escape sequence, so what goes in is encoded: base64 for the clipboard, and only
//! printable ASCII for a link's address.

use std::io::{self, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ratatui::backend::CrosstermBackend;

/// Terminals cap what one OSC 52 may carry (xterm's default is about 100,000 bytes of
/// base64); text longer than this is cut and says so.
pub const CLIPBOARD_MAX_BYTES: usize = 64 * 1024;

/// The sequence that puts `text` on the clipboard, and whether it had to be cut.
pub fn clipboard(text: &str) -> (String, bool) {
    let mut end = text.len().min(CLIPBOARD_MAX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let encoded = STANDARD.encode(&text.as_bytes()[..end]);
    (format!("\u{1b}]52;c;{encoded}\u{7}"), end < text.len())
}

/// Opens a hyperlink to `url`: what is printed until `HYPERLINK_END` links there. A byte
/// of the address outside printable ASCII is percent-encoded, so nothing in it can end
/// the sequence early.
pub fn hyperlink_start(url: &str) -> String {
    let mut safe = String::with_capacity(url.len());
    for byte in url.bytes() {
        if (0x21..0x7f).contains(&byte) {
            safe.push(byte as char);
        } else {
            safe.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("\u{1b}]8;;{safe}\u{1b}\\")
}

/// Ends the hyperlink `hyperlink_start` opened.
pub const HYPERLINK_END: &str = "\u{1b}]8;;\u{1b}\\";

/// The bell, and a desktop notice saying `text` where the terminal offers one: OSC 777
/// (foot, Ghostty, rxvt-unicode, WezTerm) and OSC 9 (iTerm2, Windows Terminal, kitty).
/// Terminals that know neither ignore them and ring. Only printable ASCII of the text is
/// kept, so nothing in it can end a sequence.
pub fn notification(text: &str) -> String {
    let safe: String = text
        .chars()
        .map(|c| {
            if (' '..='~').contains(&c) && c != ';' {
                c
            } else {
                ' '
            }
        })
        .take(200)
        .collect();
    format!("\u{7}\u{1b}]777;notify;unstick;{safe}\u{1b}\\\u{1b}]9;{safe}\u{1b}\\")
}

/// Writing bytes straight to the terminal, past the cell buffer: what OSC sequences need.
pub trait Passthrough {
    fn pass_through(&mut self, sequence: &str) -> io::Result<()>;
}

impl<W: Write> Passthrough for CrosstermBackend<W> {
    fn pass_through(&mut self, sequence: &str) -> io::Result<()> {
        self.write_all(sequence.as_bytes())?;
        self.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clipboard_gets_base64_and_long_text_is_cut_on_a_character() {
        let (sequence, cut) = clipboard("arn:aws:states:us-east-1:1:execution:m:e");
        assert_eq!(
            sequence,
            "\u{1b}]52;c;YXJuOmF3czpzdGF0ZXM6dXMtZWFzdC0xOjE6ZXhlY3V0aW9uOm06ZQ==\u{7}"
        );
        assert!(!cut);
        let (escape, _) = clipboard("\u{1b}]0;evil\u{7}");
        assert_eq!(
            escape.matches('\u{1b}').count(),
            1,
            "the text cannot end the sequence"
        );
        let long = "é".repeat(CLIPBOARD_MAX_BYTES);
        let (sequence, cut) = clipboard(&long);
        assert!(cut);
        let payload = sequence
            .trim_start_matches("\u{1b}]52;c;")
            .trim_end_matches('\u{7}');
        let decoded = String::from_utf8(STANDARD.decode(payload).unwrap()).unwrap();
        assert_eq!(decoded.len(), CLIPBOARD_MAX_BYTES);
    }

    #[test]
    fn a_notice_rings_and_cannot_escape() {
        let notice = notification("checkout-web failed");
        assert!(notice.starts_with('\u{7}'));
        assert!(notice.contains("\u{1b}]777;notify;unstick;checkout-web failed\u{1b}\\"));
        assert!(notice.ends_with("\u{1b}]9;checkout-web failed\u{1b}\\"));
        let evil = notification("x\u{1b}]0;owned\u{7};y");
        assert_eq!(evil.matches('\u{1b}').count(), 4, "{evil:?}");
        assert_eq!(evil.matches('\u{7}').count(), 1);
    }

    #[test]
    fn a_hyperlink_address_cannot_escape() {
        assert_eq!(
            hyperlink_start("https://x.example/a?b=1"),
            "\u{1b}]8;;https://x.example/a?b=1\u{1b}\\"
        );
        assert_eq!(HYPERLINK_END, "\u{1b}]8;;\u{1b}\\");
        let evil = hyperlink_start("https://x.example/\u{1b}\\\u{7} y");
        assert_eq!(evil.matches('\u{1b}').count(), 2);
        assert!(evil.contains("%1B\\%07%20y"));
    }
}
