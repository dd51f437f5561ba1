//! What a person sees, as text snapshots of a TestBackend at 80×24 and 160×48.
//! The data comes from the demo scenario through the real SDK and the loopback emulator.

use crate::common::*;
use ratatui::crossterm::event::KeyCode;
use unstick::action::PipelineRead;

use unstick::action::Read;
use unstick::app::App;
use unstick::model::StageStatus;

/// Snapshots the screen at the two sizes every screen must work at.
fn snap(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), screen(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), screen(app, 160, 48));
}

#[tokio::test]
async fn pipelines_list() {
    let emulator = demo_emulator().await;
    let app = loaded_app(&emulator, false).await;
    snap("list", &app);
}

#[tokio::test]
async fn pipelines_list_filtered() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(char_key('/'));
    for c in "ser".chars() {
        app.update(char_key(c));
    }
    insta::assert_snapshot!("list_filtered_80x24", screen(&app, 80, 24));
}

#[tokio::test]
async fn failed_pipeline_with_parallel_actions() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    snap("pipeline_failed", &app);
}

#[tokio::test]
async fn every_action_of_a_stage_failed() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "payments-api");
    insta::assert_snapshot!("pipeline_all_failed_80x24", screen(&app, 80, 24));
}

#[tokio::test]
async fn dialog_retry_failed_actions() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    snap("dialog_failed_actions", &app);
}

#[tokio::test]
async fn dialog_retry_all_warns_about_overwrites() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('R'));
    snap("dialog_all_actions", &app);
}

#[tokio::test]
async fn reason_structure_changed() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "orders-service");
    app.update(char_key('r'));
    snap("reason_structure_changed", &app);
}

#[tokio::test]
async fn reason_actions_in_progress() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "inventory-sync");
    app.update(char_key('R'));
    snap("reason_actions_in_progress", &app);
}

#[tokio::test]
async fn reason_stage_not_failed() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "auth-service");
    select_stage(&mut app, "Deploy");
    snap("reason_not_failed", &app);
}

#[tokio::test]
async fn reason_never_ran_behind_a_disabled_transition() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "data-lake-etl");
    select_stage(&mut app, "Production");
    snap("reason_never_ran", &app);
}

#[tokio::test]
async fn reason_failed_in_a_later_execution() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let client = clients_for(&emulator).await;
    open(&mut app, "search-indexer");
    load(
        &mut app,
        &client,
        Read::CodePipeline(PipelineRead::PipelineHistory("search-indexer".into())),
    )
    .await;
    app.update(char_key('['));
    app.update(char_key('['));
    let older = app
        .ui
        .pipelines
        .execution
        .clone()
        .expect("looking at an older execution");
    load(
        &mut app,
        &client,
        Read::CodePipeline(PipelineRead::ActionRuns {
            pipeline: "search-indexer".into(),
            id: older,
        }),
    )
    .await;
    select_stage(&mut app, "Test");
    app.update(char_key('r'));
    assert!(app.confirm.is_none());
    snap("reason_later_execution", &app);
}

#[tokio::test]
async fn reason_retry_in_progress() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "payments-api");
    app.update(char_key('r'));
    answer_yes(&mut app);
    snap("reason_retry_in_progress", &app);
}

#[tokio::test]
async fn reason_version_still_being_checked() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.model.codepipeline.executions.clear();
    open(&mut app, "payments-api");
    insta::assert_snapshot!("reason_version_pending_80x24", screen(&app, 80, 24));
}

#[tokio::test]
async fn reason_no_failed_action() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    // A stage AWS reports as Failed whose actions all show Succeeded (a failed
    // condition, for one): there is nothing for FAILED_ACTIONS to re-run.
    let state = app
        .model
        .codepipeline
        .states
        .get_mut("auth-service")
        .unwrap()
        .data
        .as_mut()
        .unwrap();
    let deploy = state
        .stages
        .iter_mut()
        .find(|s| s.stage_name == "Deploy")
        .unwrap();
    deploy.latest_execution.as_mut().unwrap().status = StageStatus::Failed;
    open(&mut app, "auth-service");
    select_stage(&mut app, "Deploy");
    app.update(char_key('r'));
    snap("reason_no_failed_action", &app);
}

#[tokio::test]
async fn read_only_mode() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, true).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    snap("read_only", &app);
}

#[tokio::test]
async fn help_from_the_key_map() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(char_key('?'));
    snap("help", &app);
    app.update(key(KeyCode::Esc));
    assert!(!app.ui.help);
}

#[tokio::test]
async fn tiny_terminal_does_not_panic() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    insta::assert_snapshot!("tiny_list_20x5", screen(&app, 20, 5));
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    insta::assert_snapshot!("tiny_dialog_20x5", screen(&app, 20, 5));
    for (width, height) in [(1, 1), (5, 2), (20, 5), (40, 8), (80, 3)] {
        screen(&app, width, height);
    }
}

#[tokio::test]
async fn before_any_reply_the_first_frame_says_loading() {
    let app = App::new(settings(false), unstick::poller::Schedule::default(), t0());
    insta::assert_snapshot!("loading_80x24", screen(&app, 80, 24));
}
