//! Quiet on the wire: an idle dashboard sends only the cells that changed, and ages move
//! in coarse steps, so a minute with nothing new costs a slow link a few hundred bytes.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use unstick::action::Action;
use unstick::app::App;
use unstick::tui::draw_if_changed;
use unstick::ui::{self, Theme};

use crate::common::*;

/// Counts the bytes a terminal would be sent.
#[derive(Clone, Default)]
struct Counted(Arc<AtomicUsize>);

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Draws `app` once a second for a minute of ticks with no reply; returns the bytes sent
/// after the first frame.
fn idle_minute(app: &mut App) -> usize {
    let bytes = Counted::default();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 100, 30)),
    };
    let mut terminal =
        Terminal::with_options(CrosstermBackend::new(bytes.clone()), options).expect("a terminal");
    let theme = Theme::new(true);
    terminal
        .draw(|frame| {
            ui::render(app, &theme, frame);
        })
        .unwrap();
    let first = bytes.0.load(Ordering::Relaxed);
    assert!(first > 1000, "the first frame draws the whole screen");
    for second in 1..=60 {
        app.update(Action::Tick(t0() + jiff::SignedDuration::from_secs(second)));
        terminal
            .draw(|frame| {
                ui::render(app, &theme, frame);
            })
            .unwrap();
    }
    bytes.0.load(Ordering::Relaxed) - first
}

#[tokio::test]
async fn an_idle_minute_sends_little_to_the_terminal() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let pipelines = idle_minute(&mut app);
    assert!(pipelines <= 2048, "{pipelines} bytes in an idle minute");
    app.update(key(KeyCode::Tab));
    let executions = idle_minute(&mut app);
    assert!(executions <= 2048, "{executions} bytes in an idle minute");
}

#[tokio::test]
async fn a_frame_with_nothing_new_sends_nothing() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let bytes = Counted::default();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 100, 30)),
    };
    let mut terminal =
        Terminal::with_options(CrosstermBackend::new(bytes.clone()), options).unwrap();
    let theme = Theme::new(true);
    let mut sent = None;
    app.update(Action::Tick(t0()));
    draw_if_changed(&mut terminal, &mut sent, |frame| {
        ui::render(&app, &theme, frame)
    })
    .unwrap();
    let first = bytes.0.load(Ordering::Relaxed);
    // Within the same ten seconds no age on screen moves: not a byte more, however
    // often the loop comes round.
    for second in 1..5 {
        app.update(Action::Tick(t0() + jiff::SignedDuration::from_secs(second)));
        draw_if_changed(&mut terminal, &mut sent, |frame| {
            ui::render(&app, &theme, frame)
        })
        .unwrap();
    }
    assert_eq!(bytes.0.load(Ordering::Relaxed), first);
    // A change on screen is sent: the selection moves.
    app.update(key(KeyCode::Down));
    draw_if_changed(&mut terminal, &mut sent, |frame| {
        ui::render(&app, &theme, frame)
    })
    .unwrap();
    assert!(bytes.0.load(Ordering::Relaxed) > first);
}
