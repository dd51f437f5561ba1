//! `App::update` driven by keys and replies, judged by the commands it emits.
//! No terminal, no network beyond the loopback emulator that supplies the data.

use crate::common::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unstick::action::{PipelineRead, PipelineReply, SfnRead};

use unstick::action::{
    Action, Answered, Command, Loaded, Quota, Read, Reply, StopSignal, Write, loaded,
};
use unstick::app::{OnConfirm, View};
use unstick::aws::{AwsError, ErrorKind};
use unstick::eligibility::{OwnWrite, RetryMode};
use unstick::model::RetryReceipt;
use unstick::model::{ActionStatus, PipelineState, StageStatus};

fn retries(commands: &[Command]) -> usize {
    commands
        .iter()
        .filter(|c| matches!(c, Command::Send(Write::Retry { .. })))
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
    assert!(
        commands.contains(&Command::Fetch(Read::CodePipeline(PipelineRead::State(
            "checkout-web".into()
        ))))
    );
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
        Command::Send(Write::Retry { plan, context }) => {
            assert_eq!(plan.pipeline_name, "checkout-web");
            assert_eq!(plan.stage_name, "Build");
            assert_eq!(plan.retry_mode, RetryMode::FailedActions);
            assert_eq!(plan.reruns, vec!["IntegrationTests"]);
            assert_eq!(context.account.as_deref(), Some("123456789012"));
        }
        other => panic!("expected a retry, got {other:?}"),
    }
    // More key presses while the request is in flight send nothing more.
    // (`y` outside a dialog copies a link; it never sends.)
    for key in ['y', 'r', 'y', 'R', 'y', 'r'] {
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
        OnConfirm::Send(Write::Retry { plan, .. }) => {
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
    assert!(app.ui.status.as_ref().unwrap().text.contains("WarmCaches"));
    app.update(char_key('r'));
    assert!(app.confirm.is_some());
}

#[tokio::test]
async fn read_only_never_opens_a_dialog() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, true).await;
    open(&mut app, "checkout-web");
    for key in ['y', 'R', 'r'] {
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
        Command::Send(Write::Retry { plan, .. }) => plan,
        other => panic!("{other:?}"),
    };
    let commands = app.update(Action::WriteAnswered(Answered::Retry {
        plan: plan.clone(),
        result: Ok(RetryReceipt {
            pipeline_execution_id: plan.pipeline_execution_id.clone(),
            request_id: Some("req-1".into()),
        }),
    }));
    assert!(
        commands.contains(&Command::Fetch(Read::CodePipeline(PipelineRead::State(
            "checkout-web".into()
        ))))
    );
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
        Command::Send(Write::Retry { plan, .. }) => plan,
        other => panic!("{other:?}"),
    };
    let mut error = AwsError::new(
        ErrorKind::AccessDenied,
        "access denied: your AWS identity needs the IAM permission codepipeline:RetryStageExecution",
    );
    error.code = Some("AccessDeniedException".into());
    app.update(Action::WriteAnswered(Answered::Retry {
        plan,
        result: Err(error),
    }));
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
        at: t0(),
        result: loaded(
            Read::CodePipeline(PipelineRead::State("payments-api".into())),
            Err(throttled),
        ),
    });
    assert!(
        app.model.codepipeline.state("payments-api").is_some(),
        "last good data stays"
    );
    assert!(
        app.model.codepipeline.states["payments-api"]
            .error()
            .is_some()
    );
    // Said once, in the header, while reads are paused; not in the status line.
    assert!(app.schedule.paused_until(t0()).is_some());
    assert!(
        app.ui
            .status
            .as_ref()
            .is_none_or(|s| !s.text.contains("throttling"))
    );
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
    assert!(commands.contains(&Command::Fetch(Read::CodePipeline(
        PipelineRead::ListPipelines
    ))));
    // Each quota's token bucket paces a refresh of everything.
    assert!(quota_count(&commands, Quota::CodePipeline) <= 16);
    assert!(quota_count(&commands, Quota::ListExecutions) <= 10);
    assert!(commands.contains(&Command::Fetch(Read::StepFunctions(SfnRead::StateMachines))));
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
    load(
        &mut app,
        &client,
        Read::CodePipeline(PipelineRead::ListPipelines),
    )
    .await;
    open(&mut app, "checkout-web");
    assert_eq!(app.ui.pipelines.selected_stage, 0);
    load(
        &mut app,
        &client,
        Read::CodePipeline(PipelineRead::State("checkout-web".into())),
    )
    .await;
    assert_eq!(app.selected_stage().unwrap().stage_name, "Build");
    // Once the person moves the cursor, new data leaves it where they put it.
    app.update(key(KeyCode::Up));
    load(
        &mut app,
        &client,
        Read::CodePipeline(PipelineRead::State("checkout-web".into())),
    )
    .await;
    assert_eq!(app.selected_stage().unwrap().stage_name, "Source");
}

/// The pipeline's state as last read, changed by `edit` as AWS would report it later,
/// and fed back as a fresh GetPipelineState reply at `at`.
fn state_changes(
    app: &mut unstick::app::App,
    pipeline: &str,
    at: jiff::Timestamp,
    edit: impl FnOnce(&mut unstick::model::PipelineState),
) -> Vec<Command> {
    let mut state = app
        .model
        .codepipeline
        .state(pipeline)
        .cloned()
        .expect("state read");
    edit(&mut state);
    app.update(Action::Tick(at));
    app.update(Action::Loaded {
        at,
        result: Loaded::Answered(Reply::CodePipeline(PipelineReply::State {
            pipeline: pipeline.into(),
            state,
        })),
    })
}

fn stage_mut<'a>(
    state: &'a mut unstick::model::PipelineState,
    name: &str,
) -> &'a mut unstick::model::StageState {
    state
        .stages
        .iter_mut()
        .find(|s| s.stage_name == name)
        .expect("stage exists")
}

/// The Build stage of checkout-web running again, or ended, as a retry makes it.
fn build_is(status: &str, changed: jiff::Timestamp) -> impl FnOnce(&mut PipelineState) {
    let status = status.to_string();
    move |state: &mut PipelineState| {
        let build = stage_mut(state, "Build");
        build.latest_execution.as_mut().unwrap().status = StageStatus::parse(&status);
        for action in &mut build.actions {
            // The actions the retry re-runs: those that failed (and then ran again).
            if matches!(
                action.status,
                Some(ActionStatus::Failed | ActionStatus::InProgress)
            ) {
                action.status = Some(ActionStatus::parse(&status));
                action.last_status_change = Some(changed);
            }
        }
    }
}

fn secs(n: i64) -> jiff::Timestamp {
    t0() + jiff::SignedDuration::from_secs(n)
}

fn status_text(app: &unstick::app::App) -> String {
    app.ui
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_dialog_cut_short_by_a_small_terminal_cannot_be_answered() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    // Drawn, but not whole: nothing arms it, and y does nothing.
    assert!(
        app.update(Action::Drawn {
            dialog_whole: false
        })
        .is_empty()
    );
    assert_eq!(retries(&app.update(char_key('y'))), 0);
    show_dialog(&mut app);
    // The terminal shrinks after it was armed: the arming is taken back.
    app.update(Action::Drawn {
        dialog_whole: false,
    });
    assert_eq!(retries(&app.update(char_key('y'))), 0);
    assert!(app.confirm.is_some());
    // Whole again: a new pause, then y.
    assert_eq!(retries(&answer_yes(&mut app)), 1);
}

#[tokio::test]
async fn an_earlier_dialogs_pause_does_not_arm_a_new_one() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    let first = app
        .update(Action::Drawn { dialog_whole: true })
        .into_iter()
        .find_map(|c| match c {
            Command::Arm { dialog, after } => {
                assert_eq!(after, unstick::app::ARM_AFTER);
                Some(dialog)
            }
            _ => None,
        })
        .unwrap();
    app.update(key(KeyCode::Esc));
    app.update(char_key('R'));
    app.update(Action::Drawn { dialog_whole: true });
    app.update(Action::Arm(first));
    assert_eq!(
        retries(&app.update(char_key('y'))),
        0,
        "armed by a stale pause"
    );
}

#[tokio::test]
async fn pasted_text_is_never_read_as_keys() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    for text in [
        "terraform apply\n",
        "kubectl rollout restart deploy/payments\n",
    ] {
        assert!(app.update(Action::Paste(text.into())).is_empty());
        assert!(app.confirm.is_none(), "a paste opened a dialog");
    }
    assert!(status_text(&app).contains("Pasted text ignored"));
    // In the filter, a paste is text: its first line, without controls.
    app.update(key(KeyCode::Esc));
    app.update(char_key('/'));
    app.update(Action::Paste("pay\u{1b}ments\nrm -rf /\n".into()));
    assert_eq!(app.ui.filter, "payments");
    let names: Vec<&str> = app.rows().iter().map(|r| r.name).collect();
    assert_eq!(names, vec!["payments-api"]);
}

#[tokio::test]
async fn another_operators_retry_behind_an_open_dialog_means_nothing_is_sent() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    show_dialog(&mut app);
    // A colleague retried the stage: it runs again.
    state_changes(
        &mut app,
        "checkout-web",
        secs(5),
        build_is("InProgress", secs(4)),
    );
    let dialog = app
        .confirm
        .as_ref()
        .expect("the dialog stays, and says why");
    assert!(
        dialog.no_longer.as_ref().unwrap().contains("InProgress"),
        "{:?}",
        dialog.no_longer
    );
    assert_eq!(retries(&app.update(char_key('y'))), 0);
    assert!(
        status_text(&app).starts_with("Not sent"),
        "{}",
        status_text(&app)
    );
}

#[tokio::test]
async fn a_later_execution_behind_an_open_dialog_means_nothing_is_sent() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    show_dialog(&mut app);
    state_changes(&mut app, "checkout-web", secs(5), |state| {
        let build = stage_mut(state, "Build");
        build
            .latest_execution
            .as_mut()
            .unwrap()
            .pipeline_execution_id = "99999999-newer".into();
    });
    let why = app.confirm.as_ref().unwrap().no_longer.clone().unwrap();
    assert!(why.contains("later execution"), "{why}");
    assert_eq!(retries(&app.update(char_key('y'))), 0);
}

#[tokio::test]
async fn stale_reads_after_a_retry_never_allow_a_second_one() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    let Command::Send(Write::Retry { plan, .. }) = answer_yes(&mut app).remove(0) else {
        panic!("a retry");
    };
    app.update(Action::WriteAnswered(Answered::Retry {
        plan: plan.clone(),
        result: Ok(RetryReceipt {
            pipeline_execution_id: plan.pipeline_execution_id.clone(),
            request_id: None,
        }),
    }));
    // The endpoint lags: for half a minute it still shows the failure. Mashing keys
    // in that time sends nothing.
    for t in (2..30).step_by(2) {
        state_changes(&mut app, "checkout-web", secs(t), |_| {});
        for key in ['y', 'R', 'y', 'r'] {
            show_dialog_if_open(&mut app);
            assert_eq!(retries(&app.update(char_key(key))), 0, "at +{t}s");
        }
        assert!(app.confirm.is_none());
    }
    assert!(status_text(&app).contains("followed until AWS shows it ended"));
    // Then it shows the retry running, and later its end: the stage is free again.
    state_changes(
        &mut app,
        "checkout-web",
        secs(32),
        build_is("InProgress", secs(31)),
    );
    assert!(app.retry_write("checkout-web", "Build").is_some());
    state_changes(
        &mut app,
        "checkout-web",
        secs(50),
        build_is("Failed", secs(49)),
    );
    assert_eq!(app.retry_write("checkout-web", "Build"), None);
    assert!(
        status_text(&app).contains("Failed after retry"),
        "{}",
        status_text(&app)
    );
    app.update(char_key('r'));
    assert!(
        app.confirm.is_some(),
        "a new failure can be retried: {}",
        status_text(&app)
    );
}

/// Arms a dialog if a key opened one, so that a following y would count if allowed.
fn show_dialog_if_open(app: &mut unstick::app::App) {
    if app.confirm.is_some() {
        show_dialog(app);
    }
}

#[tokio::test]
async fn a_retry_whose_answer_was_lost_is_possibly_applied() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    let Command::Send(Write::Retry { plan, .. }) = answer_yes(&mut app).remove(0) else {
        panic!("a retry");
    };
    let lost = AwsError {
        may_have_arrived: true,
        ..AwsError::new(ErrorKind::Unreachable, "the request timed out")
    };
    let commands = app.update(Action::WriteAnswered(Answered::Retry {
        plan,
        result: Err(lost),
    }));
    // Not "failed": sent, no answer, and the stage is re-read at once.
    let status = status_text(&app);
    assert!(status.contains("it may have been applied"), "{status}");
    assert!(!status.contains("failed"), "{status}");
    assert!(
        commands.contains(&Command::Fetch(Read::CodePipeline(PipelineRead::State(
            "checkout-web".into()
        ))))
    );
    assert!(matches!(
        app.retry_write("checkout-web", "Build"),
        Some(OwnWrite::Unanswered { .. })
    ));
    app.update(char_key('r'));
    assert!(app.confirm.is_none());
    assert!(status_text(&app).contains("may have been applied"));
    // Fresh reads for a while show no sign of it: most likely not applied.
    for t in [3, 10, 25] {
        state_changes(&mut app, "checkout-web", secs(t), |_| {});
    }
    assert_eq!(app.retry_write("checkout-web", "Build"), None);
    assert!(
        status_text(&app).contains("no sign"),
        "{}",
        status_text(&app)
    );
}

#[tokio::test]
async fn the_stage_cursor_stays_on_the_retried_stage() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    assert_eq!(app.selected_stage().unwrap().stage_name, "Build");
    app.update(char_key('r'));
    answer_yes(&mut app);
    // No stage has failed any more: the cursor does not jump back to Source.
    state_changes(
        &mut app,
        "checkout-web",
        secs(3),
        build_is("InProgress", secs(2)),
    );
    assert_eq!(app.selected_stage().unwrap().stage_name, "Build");
    // A stage added in front of it does not move the cursor off it either.
    state_changes(&mut app, "checkout-web", secs(6), |state| {
        let mut added = state.stages[0].clone();
        added.stage_name = "Lint".into();
        state.stages.insert(1, added);
    });
    assert_eq!(app.selected_stage().unwrap().stage_name, "Build");
}

#[tokio::test]
async fn a_new_failure_does_not_take_the_chosen_row() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(key(KeyCode::Down));
    assert_eq!(app.selected_row_name().as_deref(), Some("checkout-web"));
    // auth-service fails now: it sorts first, and the cursor stays where it was put.
    state_changes(&mut app, "auth-service", secs(5), |state| {
        let stage = state.stages.last_mut().unwrap();
        let run = stage.latest_execution.as_mut().unwrap();
        run.status = StageStatus::Failed;
        for action in &mut stage.actions {
            action.status = Some(ActionStatus::Failed);
            action.last_status_change = Some(secs(4));
        }
    });
    assert_eq!(app.rows()[0].name, "auth-service");
    assert_eq!(app.selected_row_name().as_deref(), Some("checkout-web"));
}

#[tokio::test]
async fn quitting_while_a_write_is_on_its_way_asks_first() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    answer_yes(&mut app);
    app.update(char_key('q'));
    assert!(!app.should_quit);
    assert!(matches!(
        app.confirm.as_ref().unwrap().on_confirm,
        OnConfirm::Quit
    ));
    answer_yes(&mut app);
    assert!(app.should_quit);
    // With nothing on its way, q quits at once; Ctrl-c inside any dialog too.
    let mut idle = loaded_app(&emulator, false).await;
    open(&mut idle, "checkout-web");
    idle.update(char_key('r'));
    idle.update(Action::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(idle.should_quit);
}

#[tokio::test]
async fn a_signal_closes_the_dialog_and_ends_the_dashboard() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    show_dialog(&mut app);
    assert!(app.update(Action::Signal(StopSignal::Hangup)).is_empty());
    assert!(app.confirm.is_none());
    assert!(app.should_quit);
    assert_eq!(app.stopped_by.map(StopSignal::number), Some(1));
}

/// The notices a batch of commands rings for.
fn notices(commands: &[Command]) -> Vec<String> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Notify(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_bell_rings_once_for_a_retrys_end_and_a_new_failure_never_for_old_ones() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.bell = true;
    // The demo's failures are older than the dashboard: what the person came to see.
    let quiet = state_changes(&mut app, "checkout-web", secs(1), |_| {});
    assert!(notices(&quiet).is_empty(), "{quiet:?}");
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    let Command::Send(Write::Retry { plan, .. }) = answer_yes(&mut app).remove(0) else {
        panic!("a retry");
    };
    app.update(Action::WriteAnswered(Answered::Retry {
        plan: plan.clone(),
        result: Ok(RetryReceipt {
            pipeline_execution_id: plan.pipeline_execution_id.clone(),
            request_id: None,
        }),
    }));
    let running = state_changes(
        &mut app,
        "checkout-web",
        secs(32),
        build_is("InProgress", secs(31)),
    );
    assert!(notices(&running).is_empty());
    let ended = state_changes(
        &mut app,
        "checkout-web",
        secs(50),
        build_is("Failed", secs(49)),
    );
    assert_eq!(
        notices(&ended),
        vec!["checkout-web / Build: Failed after retry; checkout-web failed".to_string()]
    );
    // Once: the same failure read again rings no more.
    let again = state_changes(&mut app, "checkout-web", secs(60), |_| {});
    assert!(notices(&again).is_empty());
    // Without the bell, nothing rings.
    app.bell = false;
    let off = state_changes(
        &mut app,
        "checkout-web",
        secs(80),
        build_is("Failed", secs(79)),
    );
    assert!(notices(&off).is_empty());
}
