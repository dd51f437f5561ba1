//! The Step Functions screens as a person sees them, at 80×24 and 160×48: the executions
//! list, the detail of each kind of failure, the redrive dialog, and every reason a
//! redrive is refused.

use crate::common::*;
use ratatui::crossterm::event::KeyCode;

use unstick::app::App;
use unstick::model::RedriveStatus;

fn snap(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), screen(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), screen(app, 160, 48));
}

async fn opened(machine: &str, name: &str, read_only: bool) -> (App, unstick::emulator::Emulator) {
    let (app, emulator, _) = opened_execution(machine, name, read_only).await;
    (app, emulator)
}

#[tokio::test]
async fn executions_list() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(key(KeyCode::Tab));
    snap("executions", &app);
    // At 120 columns names and errors are whole: the room goes to them first, and a
    // column is never left empty while another is cut.
    let text = screen_text(&app, 120, 40);
    for whole in [
        "clickstream-enrich",
        "replay-full-2026-11",
        "DynamoDB.ProvisionedThroughputExceededException",
    ] {
        assert!(text.contains(whole), "{whole} cut:\n{text}");
    }
    insta::assert_snapshot!("executions_120x40", text);
}

#[tokio::test]
async fn a_task_that_failed_after_its_retries() {
    let (app, _emulator) = opened("order-fulfilment", "order-58211", false).await;
    snap("execution_task_retries", &app);
}

#[tokio::test]
async fn a_failure_caught_and_routed_to_a_fail_state() {
    let (app, _emulator) = opened("payment-capture", "capture-9921", false).await;
    insta::assert_snapshot!("execution_caught_80x24", screen(&app, 80, 24));
}

#[tokio::test]
async fn a_failed_parallel_branch() {
    let (app, _emulator) = opened("nightly-report", "report-2026-11-21", false).await;
    insta::assert_snapshot!("execution_parallel_80x24", screen(&app, 80, 24));
}

#[tokio::test]
async fn a_failed_distributed_map_run() {
    let (app, _emulator) = opened("image-pipeline", "batch-3117", false).await;
    snap("execution_map_run", &app);
}

#[tokio::test]
async fn the_redrive_dialog() {
    let (mut app, _emulator) = opened("order-fulfilment", "order-58211", false).await;
    app.update(char_key('r'));
    // The token is random; the rest of the dialog is what is under test.
    if let Some(dialog) = app.confirm.as_mut() {
        for (label, value) in &mut dialog.lines {
            if label == "Token" {
                *value = "unstick-0123456789abcdef0123456789abcdef".into();
            }
        }
    }
    snap("redrive_dialog", &app);
}

#[tokio::test]
async fn refused_past_the_redrive_window() {
    let (mut app, _emulator) = opened("invoice-sync", "sync-1031", false).await;
    app.update(char_key('r'));
    snap("redrive_refused_window", &app);
}

#[tokio::test]
async fn refused_history_too_long() {
    let (mut app, _emulator) = opened("event-replay", "replay-full-2026-11", false).await;
    app.update(char_key('r'));
    snap("redrive_refused_history", &app);
}

#[tokio::test]
async fn refused_running() {
    let (mut app, _emulator) = opened("order-fulfilment", "order-58240", false).await;
    app.update(char_key('r'));
    snap("redrive_refused_running", &app);
}

#[tokio::test]
async fn refused_succeeded_after_an_earlier_redrive() {
    let (mut app, _emulator) = opened("order-fulfilment", "order-57990", false).await;
    app.update(char_key('r'));
    snap("redrive_refused_succeeded", &app);
}

#[tokio::test]
async fn refused_read_only() {
    let (mut app, _emulator) = opened("order-fulfilment", "order-58211", true).await;
    app.update(char_key('r'));
    snap("redrive_refused_read_only", &app);
}

#[tokio::test]
async fn refused_while_a_redrive_is_in_flight() {
    let (mut app, _emulator) = opened("order-fulfilment", "order-58211", false).await;
    app.update(char_key('r'));
    answer_yes(&mut app);
    app.update(char_key('r'));
    snap("redrive_refused_in_flight", &app);
}

#[tokio::test]
async fn refused_child_of_a_map_run() {
    let (mut app, _emulator) = opened("nightly-report", "report-2026-11-21", false).await;
    let arn = execution_arn("nightly-report", "report-2026-11-21");
    let detail = app
        .model
        .sfn
        .details
        .get_mut(&arn)
        .unwrap()
        .data
        .as_mut()
        .unwrap();
    detail.redrive_status = Some(RedriveStatus::RedrivableByMapRun);
    app.update(char_key('r'));
    snap("redrive_refused_map_run_child", &app);
}

#[tokio::test]
async fn express_machines_are_listed_as_not_redrivable() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(key(KeyCode::Tab));
    app.update(char_key('/'));
    for c in "click".chars() {
        app.update(char_key(c));
    }
    snap("redrive_refused_express", &app);
}

#[tokio::test]
async fn tiny_terminal() {
    let (app, _emulator) = opened("order-fulfilment", "order-58211", false).await;
    insta::assert_snapshot!("execution_tiny_20x5", screen(&app, 20, 5));
}
