//! `App::update` driven by keys and replies, judged by the commands it emits.
//! No terminal, no network beyond the loopback emulator that supplies the data.

mod common;

use common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use unstick::action::{Action, Command, Quota, Read, RetryReceipt};
use unstick::app::{OnConfirm, View};
use unstick::aws::{AwsError, ErrorKind};
use unstick::eligibility::{OwnWrite, RetryMode};

fn retries(commands: &[Command]) -> usize {
    commands
        .iter()
        .filter(|c| matches!(c, Command::Retry { .. }))
        .count()
}

#[tokio::test]
async fn list_puts_failed_first_and_enter_opens_the_failed_stage() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let rows = app.rows();
    assert_eq!(rows[0].name, "inventory-sync", "newest failure first");
    assert_eq!(rows[1].name, "checkout-web");
    assert!(
        rows.iter()
            .take(5)
            .all(|r| r.overview.failed_stage.is_some())
    );
    app.update(key(KeyCode::Down));
    let commands = app.update(key(KeyCode::Enter));
    assert_eq!(app.ui.view, View::Pipeline("checkout-web".into()));
    assert_eq!(app.selected_stage().unwrap().stage_name, "Build");
    assert!(commands.contains(&Command::Fetch(Read::State("checkout-web".into()))));
}

#[tokio::test]
async fn one_confirmation_sends_exactly_one_retry() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    assert!(
        app.update(char_key('r')).is_empty(),
        "r only opens the dialog"
    );
    assert!(app.confirm.is_some());
    // A second r while the dialog is open changes nothing.
    assert!(app.update(char_key('r')).is_empty());
    // Typed before the dialog was on screen: not an answer.
    assert_eq!(retries(&app.update(char_key('y'))), 0);
    assert!(app.confirm.is_some(), "the dialog stays open");
    let sent = answer_yes(&mut app);
    assert_eq!(retries(&sent), 1);
    match &sent[0] {
        Command::Retry { plan, context } => {
            assert_eq!(plan.pipeline_name, "checkout-web");
            assert_eq!(plan.stage_name, "Build");
            assert_eq!(plan.retry_mode, RetryMode::FailedActions);
            assert_eq!(plan.reruns, vec!["IntegrationTests"]);
            assert_eq!(context.account.as_deref(), Some("123456789012"));
        }
        other => panic!("expected a retry, got {other:?}"),
    }
    // More key presses while the request is in flight send nothing more.
    for key in ['y', 'r', 'y', 'R', 'y'] {
        assert_eq!(retries(&app.update(char_key(key))), 0);
    }
    assert!(app.ui.status.as_ref().unwrap().text.contains("on its way"));
}

#[tokio::test]
async fn enter_never_confirms_and_escape_cancels() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "payments-api");
    app.update(char_key('r'));
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert!(app.confirm.is_none());
    assert!(
        app.ui
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("nothing was sent")
    );
    app.update(char_key('r'));
    show_dialog(&mut app);
    assert_eq!(retries(&app.update(key(KeyCode::Enter))), 0);
    assert!(app.confirm.is_some(), "Enter opens things; it never sends");
    assert_eq!(retries(&app.update(char_key('y'))), 1);
}

#[tokio::test]
async fn retry_all_names_the_outputs_it_overwrites() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('R'));
    let dialog = app.confirm.as_ref().expect("dialog open");
    assert!(dialog.warning.as_ref().unwrap().contains("UnitTests"));
    match &dialog.on_confirm {
        OnConfirm::Send(Command::Retry { plan, .. }) => {
            assert_eq!(plan.retry_mode, RetryMode::AllActions)
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn not_retryable_sends_nothing_and_says_why() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "orders-service");
    assert!(app.update(char_key('r')).is_empty());
    assert!(app.confirm.is_none());
    let status = &app.ui.status.as_ref().unwrap().text;
    assert!(
        status.contains("pipeline changed since this run failed"),
        "{status}"
    );

    open(&mut app, "auth-service");
    assert!(app.update(char_key('r')).is_empty());
    assert!(app.confirm.is_none());
}

#[tokio::test]
async fn actions_in_progress_block_retry_all_but_not_retry_failed() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "inventory-sync");
    app.update(char_key('R'));
    assert!(app.confirm.is_none());
    assert!(
        app.ui
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("ReindexCatalog")
    );
    app.update(char_key('r'));
    assert!(app.confirm.is_some());
}

#[tokio::test]
async fn read_only_never_opens_a_dialog() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, true).await;
    open(&mut app, "checkout-web");
    for key in ['r', 'R', 'y'] {
        assert_eq!(retries(&app.update(char_key(key))), 0);
    }
    assert!(app.confirm.is_none());
    assert!(app.ui.status.as_ref().unwrap().text.contains("read-only"));
}

#[tokio::test]
async fn an_answer_refreshes_at_once_and_follows_the_stage() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    let plan = match answer_yes(&mut app).remove(0) {
        Command::Retry { plan, .. } => plan,
        other => panic!("{other:?}"),
    };
    let commands = app.update(Action::RetryAnswered {
        plan: plan.clone(),
        result: Ok(RetryReceipt {
            pipeline_execution_id: plan.pipeline_execution_id.clone(),
            request_id: Some("req-1".into()),
        }),
    });
    assert!(commands.contains(&Command::Fetch(Read::State("checkout-web".into()))));
    assert!(app.following_retry("checkout-web"));
    assert!(
        app.ui
            .status
            .as_ref()
            .unwrap()
            .text
            .starts_with("Retry started")
    );
    // Followed until AWS shows the retry ended: no second retry before that.
    assert!(matches!(
        app.retry_write("checkout-web", "Build"),
        Some(OwnWrite::Following { .. })
    ));
}

#[tokio::test]
async fn a_refused_retry_is_shown_in_plain_words() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    let plan = match answer_yes(&mut app).remove(0) {
        Command::Retry { plan, .. } => plan,
        other => panic!("{other:?}"),
    };
    let mut error = AwsError::new(
        ErrorKind::AccessDenied,
        "access denied: your AWS identity needs the IAM permission codepipeline:RetryStageExecution",
    );
    error.code = Some("AccessDeniedException".into());
    app.update(Action::RetryAnswered {
        plan,
        result: Err(error),
    });
    let status = &app.ui.status.as_ref().unwrap().text;
    assert!(
        status.contains("codepipeline:RetryStageExecution"),
        "{status}"
    );
    assert!(!app.following_retry("checkout-web"));
    assert_eq!(app.retry_write("checkout-web", "Build"), None);
}

#[tokio::test]
async fn throttling_keeps_the_data_and_pauses_reads() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let throttled = AwsError::new(
        ErrorKind::Throttled,
        "AWS is throttling requests (ThrottlingException); backing off",
    );
    app.update(Action::Loaded {
        read: Read::State("payments-api".into()),
        at: t0(),
        result: Err(throttled),
    });
    assert!(
        app.model.state("payments-api").is_some(),
        "last good data stays"
    );
    assert!(app.model.states["payments-api"].error().is_some());
    assert!(app.ui.status.as_ref().unwrap().text.contains("throttling"));
    let later = t0() + jiff::SignedDuration::from_millis(500);
    let reads = app.update(Action::Tick(later));
    assert_eq!(
        quota_count(&reads, Quota::CodePipeline),
        0,
        "no CodePipeline reads while backing off"
    );
}

/// How many of the commands are reads against one quota.
fn quota_count(commands: &[Command], quota: Quota) -> usize {
    commands
        .iter()
        .filter(|c| matches!(c, Command::Fetch(read) if read.quota() == quota))
        .count()
}

#[tokio::test]
async fn filter_narrows_as_you_type() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(char_key('/'));
    for c in "PAY".chars() {
        app.update(char_key(c));
    }
    let names: Vec<&str> = app.rows().iter().map(|r| r.name).collect();
    assert_eq!(names, vec!["payments-api"]);
    // q types into the filter instead of quitting.
    app.update(char_key('q'));
    assert!(!app.should_quit);
    app.update(key(KeyCode::Backspace));
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Enter));
    assert_eq!(app.ui.view, View::Pipeline("payments-api".into()));
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));
    assert!(app.ui.filter.is_empty());
}

#[tokio::test]
async fn first_tick_lists_pipelines_and_refresh_rereads() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let ctrl_r = Action::Key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let commands = app.update(ctrl_r);
    assert!(commands.contains(&Command::Fetch(Read::ListPipelines)));
    // Each quota's token bucket paces a refresh of everything.
    assert!(quota_count(&commands, Quota::CodePipeline) <= 16);
    assert!(quota_count(&commands, Quota::ListExecutions) <= 10);
    assert!(commands.contains(&Command::Fetch(Read::StateMachines)));
}

#[tokio::test]
async fn quit_keys() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(char_key('q'));
    assert!(app.should_quit);
}

#[tokio::test]
async fn opened_before_its_state_arrives_the_cursor_goes_to_the_failure() {
    let emulator = demo_emulator().await;
    let client = clients_for(&emulator).await;
    let mut app =
        unstick::app::App::new(settings(false), unstick::poller::Schedule::default(), t0());
    load(&mut app, &client, Read::ListPipelines).await;
    open(&mut app, "checkout-web");
    assert_eq!(app.ui.selected_stage, 0);
    load(&mut app, &client, Read::State("checkout-web".into())).await;
    assert_eq!(app.selected_stage().unwrap().stage_name, "Build");
    // Once the person moves the cursor, new data leaves it where they put it.
    app.update(key(KeyCode::Up));
    load(&mut app, &client, Read::State("checkout-web".into())).await;
    assert_eq!(app.selected_stage().unwrap().stage_name, "Source");
}
