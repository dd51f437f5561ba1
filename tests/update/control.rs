//! The control surface around the views: help that scrolls only as far as it goes.

use ratatui::crossterm::event::KeyCode;
use unstick::action::Action;

use crate::common::*;

#[tokio::test]
async fn help_scrolls_by_line_and_page_and_never_past_its_end() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(Action::Resize { rows: 24 });
    app.update(char_key('?'));
    let limit = app.help_scroll_limit();
    assert!(limit > 0, "the help is taller than 24 rows");
    app.update(key(KeyCode::Down));
    assert_eq!(app.ui.help_scroll, 1);
    app.update(key(KeyCode::PageDown));
    assert_eq!(app.ui.help_scroll, 22);
    for _ in 0..10 {
        app.update(key(KeyCode::PageDown));
    }
    assert_eq!(app.ui.help_scroll, limit, "no further than the last line");
    app.update(key(KeyCode::Up));
    assert_eq!(app.ui.help_scroll, limit - 1);
    app.update(key(KeyCode::Home));
    assert_eq!(app.ui.help_scroll, 0);
    app.update(key(KeyCode::End));
    assert_eq!(app.ui.help_scroll, limit);
    // The last line is on screen, and nothing is said to be below it.
    let text = screen_text(&app, 80, 24);
    assert!(text.contains("cut to fit"), "{text}");
    assert!(!text.contains("more ─"), "{text}");
    // A taller terminal needs less scrolling.
    app.update(Action::Resize { rows: 60 });
    assert!(app.help_scroll_limit() < limit);
    // Any other key closes it.
    app.update(char_key('x'));
    assert!(!app.ui.help);
}
