//! Why it failed, on screen: a CodeBuild action's failing phase and log in the stage
//! detail, the whole build log, a Lambda task's log, and an execution's history as a
//! timeline (also at 25,000 events), at 80×24 and 160×48.

use crate::common::*;
use ratatui::crossterm::event::KeyCode;

use unstick::app::App;
use unstick::report::load_on_screen;

fn snap(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), screen(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), screen(app, 160, 48));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(char_key(c));
    }
}

#[tokio::test]
async fn a_failed_codebuild_action_shows_its_phase_and_log() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    load_on_screen(&mut app, &clients, t0()).await;
    let text = screen_text(&app, 80, 24);
    assert!(text.contains("FAILED in BUILD"), "{text}");
    assert!(
        text.contains("FAIL test/integration/checkout/totals.test.ts"),
        "{text}"
    );
    snap("stage_build_log", &app);

    // Enter: the whole log, on its first error line.
    app.update(key(KeyCode::Enter));
    load_on_screen(&mut app, &clients, t0()).await;
    snap("build_log", &app);

    // `/` searches as the person types; `n` goes on to the next match.
    app.update(char_key('/'));
    typed(&mut app, "Expected:");
    app.update(key(KeyCode::Enter));
    let reader = app.ui.reader.as_ref().unwrap();
    assert_eq!(reader.matches.len(), 1);
    let line = &app.reader_lines()[reader.cursor];
    assert!(line.text.contains("Expected: 2143"), "{line:?}");
    insta::assert_snapshot!("build_log_search_80x24", screen(&app, 80, 24));
}

#[tokio::test]
async fn a_failed_lambda_task_shows_that_invocations_log() {
    let (mut app, _emulator, clients) =
        opened_execution("order-fulfilment", "order-58211", false).await;
    app.update(char_key('l'));
    load_on_screen(&mut app, &clients, t0()).await;
    let lines = app.reader_lines();
    assert!(!lines.is_empty());
    // Narrowed by the request id the cause carries: no other invocation's lines.
    assert!(
        lines
            .iter()
            .all(|line| line.text.contains("7d9c1f0e-2b3a-4c5d-8e9f-0a1b2c3d4e5f")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.text.contains("PaymentGatewayTimeout"))
    );
    snap("lambda_log", &app);
}

#[tokio::test]
async fn the_history_as_a_timeline_opens_on_the_failure() {
    let (mut app, _emulator, _) = opened_execution("order-fulfilment", "order-58211", false).await;
    app.update(char_key('h'));
    let text = screen_text(&app, 80, 24);
    assert!(text.contains("(retried)"), "retries are visible: {text}");
    snap("history_timeline", &app);
}

#[tokio::test]
async fn a_history_of_25000_events_scrolls_and_searches() {
    let (mut app, _emulator, _) =
        opened_execution("event-replay", "replay-full-2026-11", false).await;
    let arn = execution_arn("event-replay", "replay-full-2026-11");
    app.update(char_key('h'));
    let events = app.model.sfn.history(&arn).unwrap().event_count;
    assert!(events >= 25_000, "{events}");
    assert_eq!(app.reader_rows(), events);
    let reader = app.ui.reader.as_ref().unwrap();
    let failed = reader.timeline.as_ref().unwrap().failed_row.unwrap();
    assert_eq!(reader.cursor, failed, "it opens on the failure");
    insta::assert_snapshot!("history_25000_80x24", screen(&app, 80, 24));
    app.update(key(KeyCode::Home));
    assert_eq!(app.ui.reader.as_ref().unwrap().cursor, 0);
    app.update(char_key('/'));
    typed(&mut app, "ApplyBatch");
    app.update(key(KeyCode::Enter));
    let reader = app.ui.reader.as_ref().unwrap();
    assert!(reader.matches.len() >= 4, "{}", reader.matches.len());
    app.update(char_key('e'));
    assert_eq!(app.ui.reader.as_ref().unwrap().cursor, failed);
    app.update(key(KeyCode::End));
    assert_eq!(app.ui.reader.as_ref().unwrap().cursor, events - 1);
    insta::assert_snapshot!("history_25000_end_160x48", screen(&app, 160, 48));
}
