//! `App::update` for Step Functions: keys and replies in, commands out. One confirmation
//! sends one RedriveExecution, with a client token that a resend reuses.

use crate::common::*;
use ratatui::crossterm::event::KeyCode;
use unstick::action::SfnRead;

use unstick::action::{Action, Answered, Command, Read, Write};
use unstick::app::{OnConfirm, View};
use unstick::aws::{AwsError, ErrorKind};
use unstick::model::RedriveReceipt;
use unstick::model::StatusFilter;

fn redrives(commands: &[Command]) -> Vec<(String, String)> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Send(Write::Redrive {
                plan, client_token, ..
            }) => Some((plan.execution_arn.clone(), client_token.clone())),
            _ => None,
        })
        .collect()
}

fn dialog_token(app: &unstick::app::App) -> String {
    match &app.confirm.as_ref().expect("dialog open").on_confirm {
        OnConfirm::Send(Write::Redrive { client_token, .. }) => client_token.clone(),
        other => panic!("{other:?}"),
    }
}

/// Opens `arn`, presses r then y, and returns what was sent: plan and client token.
async fn confirmed_redrive(
    app: &mut unstick::app::App,
    clients: &unstick::aws::Clients,
    arn: &str,
) -> (unstick::eligibility::RedrivePlan, String) {
    open_execution(app, clients, arn).await;
    app.update(char_key('r'));
    let shown = dialog_token(app);
    let Command::Send(Write::Redrive {
        plan, client_token, ..
    }) = answer_yes(app).remove(0)
    else {
        panic!("expected a redrive");
    };
    assert_eq!(
        client_token, shown,
        "the token sent is the one the dialog showed"
    );
    (plan, client_token)
}

#[tokio::test]
async fn tab_shows_executions_and_enter_opens_one() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let mut commands = app.update(key(KeyCode::Tab));
    assert_eq!(app.ui.view, View::Executions);
    let arns = app.execution_arns();
    assert_eq!(arns.len(), 8, "failed, timed out and aborted, newest first");
    assert!(arns[0].ends_with("capture-9921"));
    commands.extend(app.update(key(KeyCode::Enter)));
    assert_eq!(app.ui.view, View::Execution(arns[0].clone()));
    // The history of the row under the cursor is read as soon as the list shows, once.
    let history = Command::Fetch(Read::StepFunctions(SfnRead::ExecutionHistory(
        arns[0].clone(),
    )));
    assert_eq!(commands.iter().filter(|c| **c == history).count(), 1);
    // Tab goes back to the Pipelines half where it was; Tab again returns here.
    app.update(key(KeyCode::Tab));
    assert_eq!(app.ui.view, View::Pipelines);
    app.update(key(KeyCode::Tab));
    assert_eq!(app.ui.view, View::Execution(arns[0].clone()));
}

#[tokio::test]
async fn one_confirmation_sends_one_redrive_with_the_dialogs_token() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    let arn = execution_arn("order-fulfilment", "order-58211");
    open_execution(&mut app, &clients, &arn).await;
    assert!(app.update(char_key('r')).is_empty());
    let token = dialog_token(&app);
    assert!(token.len() <= 64);
    assert!(
        app.update(char_key('r')).is_empty(),
        "the dialog takes the second r"
    );
    let sent = redrives(&answer_yes(&mut app));
    assert_eq!(sent, vec![(arn.clone(), token)]);
    for c in ['y', 'r', 'y', 'r', 'y', 'r'] {
        assert!(redrives(&app.update(char_key(c))).is_empty());
    }
    assert!(app.ui.status.as_ref().unwrap().text.contains("on its way"));
}

#[tokio::test]
async fn an_answer_follows_the_execution_and_refreshes_it() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    let arn = execution_arn("order-fulfilment", "order-58211");
    let (plan, client_token) = confirmed_redrive(&mut app, &clients, &arn).await;
    let commands = app.update(Action::WriteAnswered(Answered::Redrive {
        plan,
        client_token,
        result: Ok(RedriveReceipt {
            redrive_date: Some(t0()),
            request_id: None,
        }),
    }));
    assert!(app.redrives.watches.contains_key(&arn));
    assert!(commands.contains(&Command::Fetch(Read::StepFunctions(
        SfnRead::DescribeExecution(arn.clone())
    ))));
    assert!(
        app.ui
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("Redrive started: order-58211 (redrive #1)")
    );
    assert!(app.redrives.unanswered.is_empty());
}

#[tokio::test]
async fn no_answer_keeps_the_token_and_a_resend_reuses_it() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    let arn = execution_arn("nightly-report", "report-2026-11-21");
    let (plan, client_token) = confirmed_redrive(&mut app, &clients, &arn).await;
    let first_token = client_token.clone();
    let lost = AwsError {
        may_have_arrived: true,
        ..AwsError::new(
            ErrorKind::Unreachable,
            "cannot reach the AWS endpoint: connection reset",
        )
    };
    app.update(Action::WriteAnswered(Answered::Redrive {
        plan,
        client_token,
        result: Err(lost),
    }));
    assert!(
        app.ui
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("resends it with the same client token")
    );
    app.update(char_key('r'));
    assert_eq!(dialog_token(&app), first_token);
    assert!(
        app.confirm
            .as_ref()
            .unwrap()
            .warning
            .as_ref()
            .unwrap()
            .contains("same client token")
    );
    assert_eq!(redrives(&answer_yes(&mut app)), vec![(arn, first_token)]);
}

#[tokio::test]
async fn a_refusal_drops_the_token() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    let arn = execution_arn("nightly-report", "report-2026-11-21");
    let (plan, client_token) = confirmed_redrive(&mut app, &clients, &arn).await;
    let first_token = client_token.clone();
    let mut denied = AwsError::new(
        ErrorKind::AccessDenied,
        "access denied: your AWS identity needs the IAM permission states:RedriveExecution",
    );
    denied.code = Some("AccessDeniedException".into());
    app.update(Action::WriteAnswered(Answered::Redrive {
        plan,
        client_token,
        result: Err(denied),
    }));
    assert!(
        app.ui
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("states:RedriveExecution")
    );
    app.update(char_key('r'));
    assert_ne!(
        dialog_token(&app),
        first_token,
        "AWS answered: a new intent gets a new token"
    );
}

#[tokio::test]
async fn an_unanswered_redrive_from_before_a_restart_is_resent_with_its_token() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    let arn = execution_arn("order-fulfilment", "order-58211");
    let earlier = t0() - jiff::SignedDuration::from_mins(3);
    app.remember_unanswered_redrive(arn.clone(), "unstick-from-the-audit-log".into(), earlier);
    open_execution(&mut app, &clients, &arn).await;
    app.update(char_key('r'));
    assert_eq!(dialog_token(&app), "unstick-from-the-audit-log");
    // After 15 minutes AWS has forgotten the token: a new one is made.
    app.remember_unanswered_redrive(
        arn.clone(),
        "stale".into(),
        t0() - jiff::SignedDuration::from_mins(16),
    );
    app.update(key(KeyCode::Esc));
    app.update(char_key('r'));
    assert_ne!(dialog_token(&app), "stale");
}

#[tokio::test]
async fn not_redrivable_sends_nothing_and_says_why() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    for (machine, name, words) in [
        ("invoice-sync", "sync-1031", "redrive window closed"),
        ("event-replay", "replay-full-2026-11", "24,999"),
    ] {
        let arn = execution_arn(machine, name);
        open_execution(&mut app, &clients, &arn).await;
        assert!(app.update(char_key('r')).is_empty());
        assert!(app.confirm.is_none(), "{name}");
        let status = &app.ui.status.as_ref().unwrap().text;
        assert!(status.contains(words), "{name}: {status}");
        app.update(key(KeyCode::Esc));
    }
}

#[tokio::test]
async fn read_only_never_opens_the_dialog() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, true).await;
    let arn = execution_arn("order-fulfilment", "order-58211");
    open_execution(&mut app, &clients, &arn).await;
    for c in ['r', 'y', 'r'] {
        assert!(redrives(&app.update(char_key(c))).is_empty());
    }
    assert!(app.confirm.is_none());
    assert!(app.ui.status.as_ref().unwrap().text.contains("read-only"));
}

#[tokio::test]
async fn a_lists_running_executions_too() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(key(KeyCode::Tab));
    let running = |app: &unstick::app::App| {
        app.model
            .sfn
            .executions(&app.execution_filters())
            .iter()
            .filter(|e| e.status == unstick::model::ExecutionStatus::Running)
            .count()
    };
    assert_eq!(running(&app), 0);
    app.update(char_key('a'));
    assert!(app.ui.executions.show_running);
    // A quiet machine's one unfiltered page already holds its running executions: they
    // show at once, and nothing is listed again by status.
    assert!(running(&app) > 0);
    let commands = app.update(Action::Tick(t0() + jiff::SignedDuration::from_secs(10)));
    let by_status = commands.iter().any(|c| {
        matches!(
            c,
            Command::Fetch(Read::StepFunctions(SfnRead::Executions {
                filter: StatusFilter::Running,
                ..
            }))
        )
    });
    assert!(!by_status, "{commands:?}");
}

#[tokio::test]
async fn redrive_from_the_list_acts_on_the_selected_row() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(key(KeyCode::Tab));
    app.ui.executions.selected_execution = Some(execution_arn("invoice-sync", "sync-1031"));
    app.update(char_key('r'));
    assert!(app.confirm.is_none());
    assert!(app.ui.status.as_ref().unwrap().text.contains("sync-1031"));
}

#[tokio::test]
async fn m_reads_nothing_when_a_machine_has_no_more_to_list() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(key(KeyCode::Tab));
    let commands = app.update(char_key('m'));
    assert!(
        !commands.iter().any(|c| matches!(
            c,
            Command::Fetch(Read::StepFunctions(SfnRead::Executions { .. }))
        )),
        "{commands:?}"
    );
    let status = app.ui.status.as_ref().unwrap().text.clone();
    assert_eq!(
        status,
        "payment-capture: every execution of the statuses shown is listed"
    );
}
