//! The last gate before the terminal: every cell's text is stripped of control, bidi and
//! separator characters (see `printable`), whatever widget drew it.

use std::borrow::Cow;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

use super::printable::{is_unsafe, strip};

/// Wraps a backend; only `draw` differs.
pub struct SafeBackend<B> {
    inner: B,
}

impl<B> SafeBackend<B> {
    pub fn new(inner: B) -> Self {
        Self { inner }
    }

    pub fn inner(&self) -> &B {
        &self.inner
    }
}

impl<B: super::Passthrough> super::Passthrough for SafeBackend<B> {
    fn pass_through(&mut self, sequence: &str) -> std::io::Result<()> {
        self.inner.pass_through(sequence)
    }
}

/// The cell as it may be written: unchanged when its text is safe (nearly always).
fn safe_cell(cell: &Cell) -> Cow<'_, Cell> {
    if !cell.symbol().chars().any(is_unsafe) {
        return Cow::Borrowed(cell);
    }
    let mut clean = cell.clone();
    let text = strip(cell.symbol()).into_owned();
    // A cell whose only content was a control keeps its place as a blank.
    clean.set_symbol(if text.is_empty() { " " } else { &text });
    Cow::Owned(clean)
}

impl<B: Backend> Backend for SafeBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), B::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, Cow<'a, Cell>)> = content
            .map(|(x, y, cell)| (x, y, safe_cell(cell)))
            .collect();
        self.inner
            .draw(cells.iter().map(|(x, y, cell)| (*x, *y, cell.as_ref())))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), B::Error> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), B::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), B::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, B::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), B::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), B::Error> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), B::Error> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, B::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, B::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), B::Error> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::widgets::Paragraph;

    #[test]
    fn bidi_controls_never_reach_the_backend() {
        let mut terminal = Terminal::new(SafeBackend::new(TestBackend::new(30, 1))).unwrap();
        terminal
            .draw(|frame| {
                let text = "prod-\u{202E}gnitset\u{202C} \u{1b}]0;owned\u{7}";
                frame.render_widget(Paragraph::new(text), frame.area());
            })
            .unwrap();
        let buffer = terminal.backend().inner().buffer().clone();
        let written: String = buffer.content().iter().map(Cell::symbol).collect();
        assert!(!written.chars().any(is_unsafe), "{written:?}");
        assert!(written.starts_with("prod-gnitset"), "{written:?}");
    }
}
