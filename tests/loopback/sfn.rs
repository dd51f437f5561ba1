//! The Step Functions layer against the built-in emulator over loopback, through the real
//! SDK: listing, describing, whole histories, Map Runs, the failed state, and redrive.

use std::time::Duration;
use unstick::action::{SfnRead, SfnReply};

use crate::common::*;

use unstick::aws::{ErrorKind, SfnClient};
use unstick::emulator::{ApiError, EmulatorOptions, Fault, Scenario};
use unstick::model::{
    ExecutionStatus, MachineType, PathStep, RedriveStatus, StatusFilter, StatusLook, find_failure,
};

const ARN: &str = "arn:aws:states:us-east-1:123456789012";

fn execution(machine: &str, name: &str) -> String {
    format!("{ARN}:execution:{machine}:{name}")
}

fn machine(name: &str) -> String {
    format!("{ARN}:stateMachine:{name}")
}

async fn fast_emulator() -> (unstick::emulator::Emulator, SfnClient) {
    let mut scenario = Scenario::demo();
    scenario.retry_seconds = 0.2;
    let emulator = start_emulator(&scenario, EmulatorOptions::default()).await;
    let client = sfn_client_for(&emulator).await;
    (emulator, client)
}

#[tokio::test]
async fn lists_machines_and_failed_executions() {
    let emulator = demo_emulator().await;
    let client = sfn_client_for(&emulator).await;
    let machines = machines_of(&client).await.unwrap();
    assert_eq!(machines.len(), 8);
    let express = machines
        .iter()
        .find(|m| m.name == "clickstream-enrich")
        .unwrap();
    assert_eq!(express.machine_type, MachineType::Express);

    let failed = client
        .list_executions(&machine("order-fulfilment"), StatusFilter::Failed, 20)
        .await
        .unwrap();
    assert_eq!(failed.next_token, None, "all listed");
    let failed = failed.items;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].name, "order-58211");
    assert_eq!(failed[0].status, ExecutionStatus::Failed);
    assert_eq!(failed[0].redrive_count, Some(0));
    assert_eq!(
        failed[0].stop_date,
        Some(t0() - jiff::SignedDuration::from_mins(41))
    );
    let running = client
        .list_executions(&machine("order-fulfilment"), StatusFilter::Running, 20)
        .await
        .unwrap()
        .items;
    assert_eq!(running[0].name, "order-58240");

    let error = client
        .list_executions(&express.state_machine_arn, StatusFilter::Failed, 20)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Validation);
    assert!(error.message.contains("EXPRESS"), "{}", error.message);
}

#[tokio::test]
async fn describe_carries_the_redrive_fields() {
    let emulator = demo_emulator().await;
    let client = sfn_client_for(&emulator).await;
    let detail = client
        .describe_execution(&execution("order-fulfilment", "order-58211"))
        .await
        .unwrap();
    assert_eq!(detail.redrive_status, Some(RedriveStatus::Redrivable));
    assert_eq!(detail.error.as_deref(), Some("PaymentGatewayTimeout"));
    let old = client
        .describe_execution(&execution("invoice-sync", "sync-1031"))
        .await
        .unwrap();
    assert_eq!(old.redrive_status, Some(RedriveStatus::NotRedrivable));
    assert!(
        old.redrive_status_reason
            .unwrap()
            .contains("redrivable period")
    );
    let missing = client
        .describe_execution(&execution("order-fulfilment", "nope"))
        .await
        .unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
}

#[tokio::test]
async fn finds_the_failed_state_in_each_demo_execution() {
    let emulator = demo_emulator().await;
    let client = sfn_client_for(&emulator).await;

    let history = history_of(&client, &execution("order-fulfilment", "order-58211"))
        .await
        .unwrap();
    let failure = find_failure(&history).unwrap();
    assert_eq!(
        failure.state.as_deref(),
        Some("ChargeCard"),
        "not ReserveStock, which a retry recovered"
    );
    assert_eq!(failure.error.as_deref(), Some("PaymentGatewayTimeout"));
    assert!(failure.cause.unwrap().contains("gateway did not answer"));

    let history = history_of(&client, &execution("payment-capture", "capture-9921"))
        .await
        .unwrap();
    let failure = find_failure(&history).unwrap();
    assert_eq!(failure.state.as_deref(), Some("CaptureFailed"));
    assert_eq!(failure.error.as_deref(), Some("Payment.CaptureFailed"));
    let caught = failure.caught_from.expect("a Catch routed it here");
    assert_eq!(caught.state, "CapturePayment");
    assert_eq!(caught.error.as_deref(), Some("CardDeclinedError"));

    let history = history_of(&client, &execution("nightly-report", "report-2026-11-21"))
        .await
        .unwrap();
    // As Step Functions links it, the Parallel's failure follows the highest event any
    // branch wrote: here the sibling that succeeded after UploadToS3 failed.
    let parallel_failed = history
        .iter()
        .find(|e| e.kind == "ParallelStateFailed")
        .unwrap();
    let linked = history
        .iter()
        .find(|e| Some(e.id) == parallel_failed.previous_event_id)
        .unwrap();
    assert_eq!(linked.kind, "PassStateExited");
    let failure = find_failure(&history).unwrap();
    assert_eq!(failure.state.as_deref(), Some("UploadToS3"));
    assert_eq!(
        failure.path,
        vec![
            PathStep::State {
                name: "BuildOutputs".into()
            },
            PathStep::Branch {
                parallel: "BuildOutputs".into(),
                starts_at: Some("RenderPdf".into())
            }
        ]
    );

    let history = history_of(&client, &execution("image-pipeline", "batch-3117"))
        .await
        .unwrap();
    let failure = find_failure(&history).unwrap();
    assert_eq!(failure.state.as_deref(), Some("ProcessImages"));
    assert_eq!(failure.failure_event.as_deref(), Some("MapRunFailed"));
    let map_run = failure.map_run_arn.clone().unwrap();
    let read = unstick::action::Read::StepFunctions(SfnRead::MapRuns(execution(
        "image-pipeline",
        "batch-3117",
    )));
    let clients = clients_for(&emulator).await;
    let runs = match unstick::runner::fetch(&clients, &roomy_buckets(), &read).await {
        Ok(unstick::action::Reply::StepFunctions(SfnReply::MapRuns { runs, .. })) => runs.items,
        other => panic!("{other:?}"),
    };
    assert_eq!(runs[0].map_run_arn, map_run);
    let counts = runs[0].item_counts.unwrap();
    assert_eq!((counts.total, counts.failed), (5000, 37));
    assert_eq!(counts.pending_redrive, Some(35));
    assert_eq!(counts.failures_not_redrivable, Some(2));
}

#[tokio::test]
async fn a_history_too_long_is_read_to_its_end() {
    let emulator = demo_emulator().await;
    let client = sfn_client_for(&emulator).await;
    let arn = execution("event-replay", "replay-full-2026-11");
    let history = history_of(&client, &arn).await.unwrap();
    assert!(history.len() >= 25_000, "{}", history.len());
    assert!(
        emulator.requests("GetExecutionHistory").len() >= 25,
        "every page read"
    );
    assert_eq!(
        find_failure(&history).unwrap().state.as_deref(),
        Some("ApplyBatch")
    );
    let detail = client.describe_execution(&arn).await.unwrap();
    assert!(
        detail
            .redrive_status_reason
            .unwrap()
            .contains("event limit")
    );
}

#[tokio::test]
async fn redrive_runs_the_execution_again_and_it_succeeds() {
    let (emulator, client) = fast_emulator().await;
    let arn = execution("order-fulfilment", "order-58211");
    let receipt = client.redrive(&arn, "token-1").await.unwrap();
    assert!(receipt.redrive_date.is_some());
    assert!(receipt.request_id.is_some());
    let sent = emulator.requests("RedriveExecution");
    assert_eq!(sent[0]["clientToken"], "token-1");
    let detail = client.describe_execution(&arn).await.unwrap();
    assert_eq!(detail.execution.status, ExecutionStatus::Running);
    assert_eq!(detail.execution.redrive_count, Some(1));
    tokio::time::sleep(Duration::from_millis(800)).await;
    let detail = client.describe_execution(&arn).await.unwrap();
    assert_eq!(detail.execution.status, ExecutionStatus::Succeeded);
    assert_eq!(detail.execution.redrive_count, Some(1));
    let history = history_of(&client, &arn).await.unwrap();
    assert!(history.iter().any(|e| e.kind == "ExecutionRedriven"));
    assert!(find_failure(&history).is_none());
}

#[tokio::test]
async fn the_same_client_token_redrives_once() {
    let (_emulator, client) = fast_emulator().await;
    let arn = execution("nightly-report", "report-2026-11-21");
    let first = client.redrive(&arn, "same-token").await.unwrap();
    let again = client.redrive(&arn, "same-token").await.unwrap();
    assert_eq!(first.redrive_date, again.redrive_date);
    let history = history_of(&client, &arn).await.unwrap();
    assert_eq!(
        history
            .iter()
            .filter(|e| e.kind == "ExecutionRedriven")
            .count(),
        1
    );
    // A new token is a new request, and the execution is running now.
    let refused = client.redrive(&arn, "other-token").await.unwrap_err();
    assert_eq!(refused.code.as_deref(), Some("ExecutionNotRedrivable"));
}

#[tokio::test]
async fn redrive_refusals_in_plain_words() {
    let emulator = demo_emulator().await;
    let client = sfn_client_for(&emulator).await;
    for (machine_name, name, words) in [
        ("invoice-sync", "sync-1031", "redrivable period"),
        (
            "event-replay",
            "replay-full-2026-11",
            "maximum number of history events",
        ),
        ("order-fulfilment", "order-58240", "RUNNING"),
        ("order-fulfilment", "order-57990", "SUCCEEDED"),
    ] {
        let error = client
            .redrive(&execution(machine_name, name), "t")
            .await
            .unwrap_err();
        assert_eq!(
            error.code.as_deref(),
            Some("ExecutionNotRedrivable"),
            "{name}"
        );
        assert!(
            error.message.starts_with("AWS refused the redrive"),
            "{}",
            error.message
        );
        assert!(error.message.contains(words), "{}", error.message);
    }
    emulator.inject(
        Some("RedriveExecution"),
        Fault::Error(ApiError::new(
            400,
            "AccessDeniedException",
            "not authorized",
        )),
        1,
    );
    let denied = client
        .redrive(&execution("nightly-report", "report-2026-11-21"), "t")
        .await
        .unwrap_err();
    assert_eq!(denied.kind, ErrorKind::AccessDenied);
    assert!(denied.message.contains("states:RedriveExecution"));
    emulator.inject(
        Some("RedriveExecution"),
        Fault::Error(ApiError::new(400, "ExecutionLimitExceeded", "too many")),
        1,
    );
    let limited = client
        .redrive(&execution("nightly-report", "report-2026-11-21"), "t")
        .await
        .unwrap_err();
    assert!(limited.message.contains("ExecutionLimitExceeded"));
    emulator.inject(Some("ListExecutions"), Fault::Throttle, 1);
    let throttled = client
        .list_executions(&machine("nightly-report"), StatusFilter::Failed, 20)
        .await
        .unwrap_err();
    assert!(throttled.is_throttling());
}

#[tokio::test]
async fn the_emulator_pages_histories_both_ways() {
    let emulator = demo_emulator().await;
    let connection = unstick::aws::Connection::emulator(emulator.endpoint_url(), "us-east-1");
    let raw = aws_sdk_sfn::Client::new(&unstick::aws::sdk_config(&connection).await);
    let arn = execution("order-fulfilment", "order-58211");
    let newest = raw
        .get_execution_history()
        .execution_arn(&arn)
        .reverse_order(true)
        .max_results(3)
        .send()
        .await
        .unwrap();
    assert_eq!(newest.events()[0].r#type().as_str(), "ExecutionFailed");
    assert_eq!(newest.events().len(), 3);
    assert!(newest.next_token().is_some());
}

/// A client that gives up on an attempt after `timeout`, as a slow link makes it.
async fn impatient_client(emulator: &unstick::emulator::Emulator, timeout: Duration) -> SfnClient {
    let connection = unstick::aws::Connection {
        attempt_timeout: Some(timeout),
        ..unstick::aws::Connection::emulator(emulator.endpoint_url(), "us-east-1")
    };
    SfnClient::new(&unstick::aws::sdk_config(&connection).await)
}

#[tokio::test]
async fn a_redrive_whose_answer_is_lost_may_have_arrived_and_its_token_resends_harmlessly() {
    let (emulator, _) = fast_emulator().await;
    let client = impatient_client(&emulator, Duration::from_millis(300)).await;
    let arn = execution("nightly-report", "report-2026-11-21");
    emulator.inject(
        Some("RedriveExecution"),
        Fault::LoseReply(Duration::from_secs(2)),
        1,
    );
    let lost = client.redrive(&arn, "token-lost").await.unwrap_err();
    assert!(lost.may_have_arrived, "{lost:?}");
    assert_eq!(lost.kind, ErrorKind::Unreachable);
    // It was applied. Resending with the same token returns the same redrive, not a new one.
    let again = client.redrive(&arn, "token-lost").await.unwrap();
    assert!(again.redrive_date.is_some());
    let history = history_of(&client, &arn).await.unwrap();
    let redriven = history
        .iter()
        .filter(|e| e.kind == "ExecutionRedriven")
        .count();
    assert_eq!(redriven, 1);
}

#[tokio::test]
async fn a_5xx_may_have_arrived_and_a_refused_connection_did_not() {
    let (emulator, client) = fast_emulator().await;
    let arn = execution("nightly-report", "report-2026-11-21");
    emulator.inject(Some("RedriveExecution"), Fault::ServerError, 1);
    let broken = client.redrive(&arn, "t-500").await.unwrap_err();
    assert!(broken.may_have_arrived, "{broken:?}");
    let refusal = client
        .redrive(&execution("invoice-sync", "sync-1031"), "t-400")
        .await
        .unwrap_err();
    assert!(!refusal.may_have_arrived, "AWS said no: {refusal:?}");
    // Nothing listens here: the request never left.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = SfnClient::new(
        &unstick::aws::sdk_config(&unstick::aws::Connection::emulator(
            format!("http://127.0.0.1:{port}"),
            "us-east-1",
        ))
        .await,
    );
    let unsent = dead.redrive(&arn, "t-dead").await.unwrap_err();
    assert_eq!(unsent.kind, ErrorKind::Unreachable);
    assert!(!unsent.may_have_arrived, "{unsent:?}");
}

#[tokio::test]
async fn an_execution_without_a_status_is_unknown_never_healthy() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    let arn = execution("order-fulfilment", "order-58211");
    emulator.inject(
        Some("ListExecutions"),
        Fault::leave_out("executions.*.status"),
        1,
    );
    let read = unstick::action::Read::StepFunctions(SfnRead::Executions {
        machine: machine("order-fulfilment"),
        filter: StatusFilter::Failed,
        limit: 25,
    });
    load(&mut app, &clients, read).await;
    emulator.inject(Some("DescribeExecution"), Fault::leave_out("status"), 1);
    load(
        &mut app,
        &clients,
        unstick::action::Read::StepFunctions(SfnRead::DescribeExecution(arn.clone())),
    )
    .await;
    let shown = app.model.sfn.execution(&arn).unwrap();
    assert_eq!(shown.status.word(), "no status");
    app.update(key(ratatui::crossterm::event::KeyCode::Tab));
    let screen = screen_text(&app, 120, 30);
    let row = screen.lines().find(|l| l.contains("order-58211")).unwrap();
    assert!(row.contains("? no status"), "{row}");
    // Not redrivable on a status nobody knows, and the report says what AWS sent.
    let input = app.redrive_input(&arn).unwrap();
    let refused = unstick::eligibility::redrive_plan(&input.as_input(t0(), false)).unwrap_err();
    assert!(!refused.is_empty());
    let report = unstick::report::build(&app, t0());
    let entry = report
        .executions
        .iter()
        .find(|e| e.execution_arn == arn)
        .unwrap();
    assert_eq!(entry.status, "no status");
}

#[tokio::test]
async fn a_ten_megabyte_cause_is_kept_as_one_short_copy_and_drawn() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    let arn = execution("order-fulfilment", "order-58211");
    let huge = format!("{{\"errorMessage\": \"{}\"}}", "\u{202e}x".repeat(5 << 20));
    emulator.inject(
        Some("DescribeExecution"),
        Fault::Edit {
            path: "cause".into(),
            value: Some(serde_json::json!(huge)),
        },
        1,
    );
    open_execution(&mut app, &clients, &arn).await;
    let cause = app.model.sfn.detail(&arn).unwrap().cause.clone().unwrap();
    assert!(cause.chars().count() < 32_768 + 60, "{}", cause.len());
    assert!(cause.ends_with("… [cut: 32,768 of 10,485,780 characters shown]"));
    // The history's failure carries its own cause; the detail's is what is drawn here.
    let screen = screen_text(&app, 80, 24);
    assert!(screen.contains("Cause"), "{screen}");
    assert!(!screen.contains('\u{202e}'));
}

#[tokio::test]
async fn a_machine_with_more_failures_than_listed_says_so_and_m_lists_more() {
    use ratatui::crossterm::event::KeyCode;
    use unstick::action::{Command, Read};
    // order-fulfilment fails 40 times: more than the 25 listed at first.
    let mut scenario = Scenario::demo();
    let machine_spec = scenario
        .state_machines
        .iter_mut()
        .find(|m| m.name == "order-fulfilment")
        .unwrap();
    let failed = machine_spec
        .executions
        .iter()
        .find(|e| e.name == "order-58211")
        .unwrap()
        .clone();
    for n in 0..39 {
        let mut copy = failed.clone();
        copy.name = format!("order-6{n:04}");
        copy.minutes_ago += f64::from(n) + 1.0;
        machine_spec.executions.push(copy);
    }
    // Pages of 40: more than one unfiltered page, so the machine counts as busy and is
    // listed status by status (a quiet machine is listed whole, up to 1,000).
    let options = EmulatorOptions {
        scenario_time: Some(t0()),
        page_size: 40,
        ..EmulatorOptions::default()
    };
    let emulator = start_emulator(&scenario, options).await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(key(KeyCode::Tab));
    // The note is the list's last row: older executions are what is left out.
    let screen = screen_text(&app, 80, 60);
    assert!(screen.contains("more in AWS"), "{screen}");
    let note = screen.lines().find(|l| l.contains("⋯ more")).unwrap();
    assert!(
        note.contains(": 25+ listed") && note.contains("m lists 100"),
        "{screen}"
    );

    // m on one of its rows asks for 100, and nothing is read twice.
    app.ui.executions.selected_execution = Some(execution("order-fulfilment", "order-60003"));
    let commands = app.update(char_key('m'));
    let asked: Vec<&Read> = commands
        .iter()
        .filter_map(|c| match c {
            Command::Fetch(read @ Read::StepFunctions(SfnRead::Executions { limit: 100, .. })) => {
                Some(read)
            }
            _ => None,
        })
        .collect();
    assert!(!asked.is_empty(), "{commands:?}");
    let report = unstick::report::build(&app, t0());
    assert_eq!(report.state_machines_with_more, vec!["order-fulfilment"]);
    for read in asked.clone() {
        load(&mut app, &clients, read.clone()).await;
    }
    let screen = screen_text(&app, 80, 60);
    assert!(!screen.contains("more in AWS"), "{screen}");
    let listed = app
        .execution_arns()
        .iter()
        .filter(|arn| arn.contains("order-fulfilment"))
        .count();
    assert_eq!(listed, 40);
}
