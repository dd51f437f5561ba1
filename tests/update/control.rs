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

#[tokio::test]
async fn a_status_belongs_to_its_view_and_fades() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(Action::Tick(t0()));
    // A key that does nothing here says where it does something.
    app.update(char_key('r'));
    let said = app.status_shown().expect("a note").text.clone();
    assert_eq!(
        said,
        "r does nothing here; in a pipeline: retry the failed actions of the stage (FAILED_ACTIONS)"
    );
    // A key that does nothing anywhere says so.
    app.update(char_key('Z'));
    assert_eq!(
        app.status_shown().unwrap().text,
        "Z is not a key of unstick; ? lists them"
    );
    // It belongs to the view it arose in: another view does not show it, and coming
    // back does not bring it back once it is old.
    app.update(key(KeyCode::Tab));
    assert!(app.status_shown().is_none());
    app.update(key(KeyCode::Tab));
    assert!(app.status_shown().is_some(), "the same view, still fresh");
    app.update(Action::Tick(t0() + jiff::SignedDuration::from_secs(9)));
    assert!(app.status_shown().is_none(), "a note lasts 8 s");
    // A failure stays a minute.
    app.report_problem("the settings file has a typo");
    app.update(Action::Tick(t0() + jiff::SignedDuration::from_secs(60)));
    assert!(app.status_shown().is_some());
    app.update(Action::Tick(t0() + jiff::SignedDuration::from_secs(70)));
    assert!(app.status_shown().is_none());
    let screen = screen_text(&app, 100, 30);
    assert!(!screen.contains("typo"), "{screen}");
}

#[tokio::test]
async fn keys_from_the_config_drive_the_app_and_its_footer() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let config = unstick::config::parse("[keys]\nretry = \"t\"\ntimes = \"T\"\n").unwrap();
    app.keys = config.keys;
    open(&mut app, "checkout-web");
    let footer = screen_text(&app, 100, 30);
    assert!(footer.contains("t retry"), "{footer}");
    // The old key no longer opens a write; the new one does.
    app.update(char_key('r'));
    assert!(app.confirm.is_none());
    let note = &app.status_shown().unwrap().text;
    assert!(
        note.starts_with("r does nothing here; in an execution"),
        "{note}"
    );
    app.update(char_key('t'));
    assert!(app.confirm.is_some(), "t opens the retry dialog");
    app.update(key(KeyCode::Esc));
    // `T` switches times; `t` no longer does.
    app.update(char_key('T'));
    assert_eq!(app.ui.time, unstick::model::TimeDisplay::Local);
}

#[tokio::test]
async fn lists_page_sort_and_match_fuzzily() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let names = |app: &unstick::app::App| -> Vec<String> {
        app.rows().iter().map(|r| r.name.to_string()).collect()
    };
    // Newest failure first, as the report lists them.
    assert_eq!(names(&app)[0], "inventory-sync");
    app.update(char_key('s'));
    let by_name = names(&app);
    let mut sorted = by_name.clone();
    sorted.sort();
    assert_eq!(by_name, sorted);
    assert!(screen_text(&app, 100, 30).contains("· by name"));
    app.update(char_key('s'));
    assert_eq!(app.ui.sort, unstick::app::SortOrder::Status);
    app.update(char_key('s'));
    assert_eq!(app.ui.sort, unstick::app::SortOrder::Failure);

    // Pages move by the screen's height, and stop at the ends.
    app.update(Action::Resize { rows: 8 });
    app.update(key(KeyCode::PageDown));
    assert_eq!(
        app.selected_row_name().as_deref(),
        Some(names(&app)[2].as_str())
    );
    for _ in 0..5 {
        app.update(key(KeyCode::PageDown));
    }
    assert_eq!(app.selected_row_name(), names(&app).last().cloned());
    app.update(key(KeyCode::PageUp));
    app.update(key(KeyCode::Home));
    assert_eq!(app.selected_row_name(), names(&app).first().cloned());

    // `/` is fuzzy, over name, stage, action and error code.
    app.update(char_key('/'));
    for c in "chkweb".chars() {
        app.update(char_key(c));
    }
    assert_eq!(names(&app), vec!["checkout-web"]);
    app.update(key(KeyCode::Esc));
    app.update(char_key('/'));
    for c in "integrationtests".chars() {
        app.update(char_key(c));
    }
    assert_eq!(names(&app), vec!["checkout-web"], "by its failing action");
    app.update(key(KeyCode::Esc));
    app.update(char_key('/'));
    for c in "jobfailed deploy".chars() {
        app.update(char_key(c));
    }
    let failed_deploys = names(&app);
    assert!(failed_deploys.contains(&"payments-api".to_string()));
    assert!(!failed_deploys.contains(&"checkout-web".to_string()));
}

#[tokio::test]
async fn the_execution_detail_scrolls_as_far_as_the_frame_found_lines() {
    let (mut app, _emulator, _) = opened_execution("order-fulfilment", "order-58211", false).await;
    // Nothing measured yet: nothing to scroll.
    app.update(key(KeyCode::Down));
    assert_eq!(app.ui.executions.detail_scroll, 0);
    // A small terminal: the frame finds lines below and says how many.
    let theme = unstick::ui::Theme::new(false);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 12)).unwrap();
    let mut limit = 0;
    terminal
        .draw(|frame| limit = unstick::ui::render(&app, &theme, frame).detail_scroll_limit)
        .unwrap();
    assert!(
        limit > 0,
        "a long cause at 40 columns does not fit in 12 rows"
    );
    let text = format!("{:?}", terminal.backend().buffer());
    assert!(text.contains("more"), "{text}");
    app.update(Action::Measured {
        detail_scroll_limit: limit,
    });
    for _ in 0..10 {
        app.update(key(KeyCode::PageDown));
    }
    assert_eq!(
        app.ui.executions.detail_scroll, limit,
        "no further than the last line"
    );
    // At the end, nothing is said to be below.
    terminal
        .draw(|frame| {
            unstick::ui::render(&app, &theme, frame);
        })
        .unwrap();
    let text = format!("{:?}", terminal.backend().buffer());
    assert!(!text.contains(" more "), "{text}");
    // A wider terminal needs less: the scroll comes back within it.
    app.update(Action::Measured {
        detail_scroll_limit: 2,
    });
    assert_eq!(app.ui.executions.detail_scroll, 2);
    app.update(key(KeyCode::Up));
    assert_eq!(app.ui.executions.detail_scroll, 1);
}
