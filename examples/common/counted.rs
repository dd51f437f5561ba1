//! A writer that only counts: the bytes a terminal would be sent. Shared by the fleet
//! benchmark and the quiet-screen tests.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// Counts what is written to it; clones share the count.
#[derive(Clone, Default)]
pub struct Counted(Arc<AtomicUsize>);

impl Counted {
    pub fn bytes(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A `width`×`height` terminal that speaks to a real terminal's escape codes but only
/// counts the bytes it would send; the count is returned beside it.
pub fn terminal(width: u16, height: u16) -> (Terminal<CrosstermBackend<Counted>>, Counted) {
    let bytes = Counted::default();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, width, height)),
    };
    let terminal = Terminal::with_options(CrosstermBackend::new(bytes.clone()), options)
        .expect("a terminal in memory");
    (terminal, bytes)
}
