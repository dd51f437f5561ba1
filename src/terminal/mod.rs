//! The terminal the dashboard draws on: raw mode, the alternate screen, bracketed paste
//! and a hidden cursor on the way in; all of it put back on every way out (a return, an
//! error, a panic, a signal), so a person is never left in a dead terminal.

pub mod hyperlinks;
pub mod looks;
pub mod osc;
pub mod printable;
pub mod safe_backend;

use std::io::{self, Stdout, stdout};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

pub use hyperlinks::{Hyperlink, Written};
pub use osc::Passthrough;
pub use safe_backend::SafeBackend;

pub type Tui = Terminal<SafeBackend<CrosstermBackend<Stdout>>>;

/// Takes over the terminal. Paste arrives as one `Event::Paste`, never as keys: a pasted
/// line must not be able to open a dialog and answer it.
pub fn enter() -> io::Result<Tui> {
    install_panic_hook();
    enable_raw_mode()?;
    let entered = execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste, Hide)
        .and_then(|()| Terminal::new(SafeBackend::new(CrosstermBackend::new(stdout()))));
    if entered.is_err() {
        restore();
    }
    entered
}

/// Puts the terminal back as it was. Safe to call more than once, and when the terminal
/// is gone (SIGHUP): errors are ignored because there is nobody left to tell.
pub fn restore() {
    let _ = execute!(stdout(), DisableBracketedPaste, LeaveAlternateScreen, Show);
    let _ = disable_raw_mode();
}

/// Restores the terminal when dropped: on every return path, errors included.
pub struct RestoreOnDrop;

impl Drop for RestoreOnDrop {
    fn drop(&mut self) {
        restore();
    }
}

/// A panic anywhere (the loop, a reader task) restores the terminal, prints the report
/// where the person can read it, and ends the process: a dashboard whose task died
/// would otherwise linger with a terminal that answers no key.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
        eprintln!(
            "unstick stopped after an internal error (above). Writes already sent are in the audit log."
        );
        std::process::exit(101);
    }));
}
