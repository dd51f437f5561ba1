//! Quiet on the wire: an idle dashboard sends only the cells that changed, and ages move
//! in coarse steps, so a minute with nothing new costs a slow link a few hundred bytes.

use ratatui::crossterm::event::KeyCode;
use unstick::action::Action;
use unstick::app::App;
use unstick::tui::draw_if_changed;
use unstick::ui::{self, Theme};

use crate::common::*;

#[path = "../../examples/common/counted.rs"]
mod counted;

/// Draws `app` once a second for a minute of ticks with no reply; returns the bytes sent
/// after the first frame.
fn idle_minute(app: &mut App) -> usize {
    let (mut terminal, bytes) = counted::terminal(100, 30);
    let theme = Theme::new(true);
    let mut sent = None;
    draw_if_changed(&mut terminal, &mut sent, |frame| {
        ui::render(app, &theme, frame)
    })
    .unwrap();
    let first = bytes.bytes();
    assert!(first > 1000, "the first frame draws the whole screen");
    // The dashboard's loop comes round at least once a second (its tick).
    for second in 1..=60 {
        app.update(Action::Tick(t0() + jiff::SignedDuration::from_secs(second)));
        draw_if_changed(&mut terminal, &mut sent, |frame| {
            ui::render(app, &theme, frame)
        })
        .unwrap();
    }
    bytes.bytes() - first
}

#[tokio::test]
async fn an_idle_minute_sends_little_to_the_terminal() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let pipelines = idle_minute(&mut app);
    assert!(pipelines <= 2048, "{pipelines} bytes in an idle minute");
    eprintln!("pipelines list, idle minute: {pipelines} bytes");
    app.update(key(KeyCode::Tab));
    let executions = idle_minute(&mut app);
    assert!(executions <= 2048, "{executions} bytes in an idle minute");
    eprintln!("executions list, idle minute: {executions} bytes");
}

#[tokio::test]
async fn a_frame_with_nothing_new_sends_nothing() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let (mut terminal, bytes) = counted::terminal(100, 30);
    let theme = Theme::new(true);
    let mut sent = None;
    app.update(Action::Tick(t0()));
    draw_if_changed(&mut terminal, &mut sent, |frame| {
        ui::render(&app, &theme, frame)
    })
    .unwrap();
    let first = bytes.bytes();
    // Within the same ten seconds no age on screen moves: not a byte more, however
    // often the loop comes round.
    for second in 1..5 {
        app.update(Action::Tick(t0() + jiff::SignedDuration::from_secs(second)));
        draw_if_changed(&mut terminal, &mut sent, |frame| {
            ui::render(&app, &theme, frame)
        })
        .unwrap();
    }
    assert_eq!(bytes.bytes(), first);
    // A change on screen is sent: the selection moves.
    app.update(key(KeyCode::Down));
    draw_if_changed(&mut terminal, &mut sent, |frame| {
        ui::render(&app, &theme, frame)
    })
    .unwrap();
    assert!(bytes.bytes() > first);
}

#[tokio::test]
async fn rows_the_sweep_has_not_reached_for_too_long_are_marked_stale() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    // Fresh: nothing is stale, and the header says how fresh.
    app.update(Action::Tick(t0() + jiff::SignedDuration::from_secs(25)));
    let screen = screen_text(&app, 160, 30);
    assert!(!screen.contains("stale"), "{screen}");
    assert!(screen.contains("9 pipelines, all ≤30s old"), "{screen}");
    // An hour later with no reply (the endpoint went quiet): every row says so.
    app.update(Action::Tick(t0() + jiff::SignedDuration::from_hours(1)));
    let screen = screen_text(&app, 160, 30);
    assert!(screen.contains("⚠ JobFailed (stale)"), "{screen}");
    assert!(screen.contains("all ≤1h00m old"), "{screen}");
    app.update(key(KeyCode::Tab));
    let screen = screen_text(&app, 160, 30);
    assert!(screen.contains("(stale)"), "{screen}");
}
