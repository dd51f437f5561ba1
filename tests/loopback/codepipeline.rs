//! The AWS layer against the built-in emulator over loopback, through the real SDK:
//! conversion to domain types, paging, and every error mapped to plain words.

use crate::common::*;
use unstick::action::PipelineRead;

use unstick::aws::{Connection, ErrorKind};
use unstick::eligibility::{RetryMode, RetryPlan};
use unstick::emulator::{ApiError, EmulatorOptions, Fault, Scenario};
use unstick::model::{ActionStatus, StageStatus};

fn plan(pipeline: &str, stage: &str, execution: &str, mode: RetryMode) -> RetryPlan {
    RetryPlan {
        pipeline_name: pipeline.into(),
        stage_name: stage.into(),
        pipeline_execution_id: execution.into(),
        retry_mode: mode,
        reruns: Vec::new(),
        overwrites: Vec::new(),
    }
}

const CHECKOUT_RUN: &str = "5c1d7e2a-8b3f-4a6e-9d12-7f0e4b6a1c3d";

#[tokio::test]
async fn lists_every_pipeline_across_pages() {
    let options = EmulatorOptions {
        page_size: 2,
        ..EmulatorOptions::default()
    };
    let emulator = start_emulator(&Scenario::demo(), options).await;
    let client = client_for(&emulator).await;
    let pipelines = pipelines_of(&client).await.unwrap();
    assert_eq!(pipelines.len(), 9);
    assert_eq!(
        emulator.requests("ListPipelines").len(),
        5,
        "9 pipelines in pages of 2"
    );
    let checkout = pipelines.iter().find(|p| p.name == "checkout-web").unwrap();
    assert_eq!(checkout.version, Some(7));
    assert_eq!(checkout.execution_mode.as_deref(), Some("SUPERSEDED"));
}

#[tokio::test]
async fn state_carries_stages_actions_errors_and_transitions() {
    let emulator = demo_emulator().await;
    let client = client_for(&emulator).await;
    let state = client.pipeline_state("checkout-web").await.unwrap();
    assert_eq!(state.pipeline_version, Some(7));
    let build = &state.stages[1];
    assert_eq!(build.stage_name, "Build");
    let run = build.latest_execution.as_ref().unwrap();
    assert_eq!(run.status, StageStatus::Failed);
    assert_eq!(run.pipeline_execution_id, CHECKOUT_RUN);
    let failed = &build.actions[1];
    assert_eq!(failed.action_name, "IntegrationTests");
    assert_eq!(failed.status, Some(ActionStatus::Failed));
    let error = failed.error.as_ref().unwrap();
    assert_eq!(error.code, "JobFailed");
    assert!(error.message.contains("npm run test:integration"));
    assert!(
        failed
            .external_execution_url
            .as_deref()
            .unwrap()
            .starts_with("https://")
    );
    assert_eq!(
        failed.last_status_change,
        Some(t0() - jiff::SignedDuration::from_mins(12))
    );
    assert_eq!(build.actions[2].status, None, "Package never ran");

    let etl = client.pipeline_state("data-lake-etl").await.unwrap();
    let transition = etl.stages[2].inbound_transition.as_ref().unwrap();
    assert!(!transition.enabled);
    assert!(
        transition
            .disabled_reason
            .as_deref()
            .unwrap()
            .contains("Change freeze")
    );
}

#[tokio::test]
async fn structure_gives_run_order_and_account() {
    let emulator = demo_emulator().await;
    let client = client_for(&emulator).await;
    let structure = client.pipeline_structure("checkout-web").await.unwrap();
    let build = structure.stage("Build").unwrap();
    let orders: Vec<i32> = build.actions.iter().map(|a| a.run_order).collect();
    assert_eq!(orders, vec![1, 1, 2]);
    assert_eq!(structure.account(), Some("123456789012"));
}

#[tokio::test]
async fn execution_version_history_and_action_runs() {
    let emulator = demo_emulator().await;
    let client = client_for(&emulator).await;
    let execution = client
        .pipeline_execution("orders-service", "3b2a1f0e-9d8c-47b6-a5f4-e3d2c1b0a9f8")
        .await
        .unwrap();
    assert_eq!(execution.pipeline_version, Some(4));
    let history = client
        .pipeline_executions("search-indexer", 20)
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert!(
        history[0].start_time > history[1].start_time,
        "newest first"
    );
    let id = &history[1].pipeline_execution_id;
    let runs = every_page(
        unstick::action::Quota::CodePipeline,
        unstick::paging::ACTION_RUNS,
        |token| client.action_executions("search-indexer", id, token),
    )
    .await
    .unwrap();
    assert_eq!(runs.len(), 2);
    let contract = runs.iter().find(|r| r.action_name == "Contract").unwrap();
    assert_eq!(contract.status, ActionStatus::Failed);
    assert!(contract.error.as_ref().unwrap().message.contains("v2.13.0"));
}

#[tokio::test]
async fn retry_succeeds_with_one_request_and_a_request_id() {
    let emulator = demo_emulator().await;
    let client = client_for(&emulator).await;
    let receipt = client
        .retry_stage(&plan(
            "checkout-web",
            "Build",
            CHECKOUT_RUN,
            RetryMode::FailedActions,
        ))
        .await
        .unwrap();
    assert_eq!(receipt.pipeline_execution_id, CHECKOUT_RUN);
    assert!(receipt.request_id.is_some());
    let sent = emulator.requests("RetryStageExecution");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["retryMode"], "FAILED_ACTIONS");
    let state = client.pipeline_state("checkout-web").await.unwrap();
    let build = &state.stages[1];
    assert_eq!(
        build.latest_execution.as_ref().unwrap().status,
        StageStatus::InProgress
    );
    assert_eq!(
        build.retry.as_ref().unwrap().manual_stage_retry_attempt,
        Some(1)
    );
}

#[tokio::test]
async fn a_failed_retry_is_never_resent_by_the_sdk() {
    let emulator = demo_emulator().await;
    // Even with SDK retries on for reads, the write goes out once.
    let client = client_with(Connection {
        max_attempts: 3,
        ..Connection::emulator(emulator.endpoint_url(), "us-east-1")
    })
    .await;
    for fault in [Fault::Throttle, Fault::ServerError] {
        emulator.inject(Some("RetryStageExecution"), fault, 1);
    }
    let first = client
        .retry_stage(&plan(
            "checkout-web",
            "Build",
            CHECKOUT_RUN,
            RetryMode::FailedActions,
        ))
        .await
        .unwrap_err();
    assert_eq!(first.kind, ErrorKind::Throttled);
    let second = client
        .retry_stage(&plan(
            "checkout-web",
            "Build",
            CHECKOUT_RUN,
            RetryMode::FailedActions,
        ))
        .await
        .unwrap_err();
    assert_eq!(second.kind, ErrorKind::Service);
    assert_eq!(
        emulator.requests("RetryStageExecution").len(),
        2,
        "one request per call"
    );
}

#[tokio::test]
async fn aws_refusals_in_plain_words() {
    let emulator = demo_emulator().await;
    let client = client_for(&emulator).await;
    let cases = [
        (
            plan(
                "orders-service",
                "Deploy",
                "3b2a1f0e-9d8c-47b6-a5f4-e3d2c1b0a9f8",
                RetryMode::FailedActions,
            ),
            "StageNotRetryableException",
            "refused the retry",
        ),
        (
            plan(
                "search-indexer",
                "Test",
                "1a2b3c4d-5e6f-4701-8293-a4b5c6d7e8f9",
                RetryMode::FailedActions,
            ),
            "NotLatestPipelineExecutionException",
            "a later execution has run this stage",
        ),
        (
            plan(
                "inventory-sync",
                "Deploy",
                "b7a69584-7362-4514-9a0b-c9d8e7f60514",
                RetryMode::AllActions,
            ),
            "StageNotRetryableException",
            "in progress",
        ),
        (
            plan(
                "checkout-web",
                "Bulid",
                CHECKOUT_RUN,
                RetryMode::FailedActions,
            ),
            "StageNotFoundException",
            "stage not found",
        ),
        (
            plan(
                "no-such-pipeline",
                "Build",
                CHECKOUT_RUN,
                RetryMode::FailedActions,
            ),
            "PipelineNotFoundException",
            "pipeline not found",
        ),
    ];
    for (plan, code, words) in cases {
        let error = client.retry_stage(&plan).await.unwrap_err();
        assert_eq!(error.code.as_deref(), Some(code), "{plan:?}");
        assert!(error.message.contains(words), "{code}: {}", error.message);
        assert!(error.request_id.is_some());
    }
}

#[tokio::test]
async fn injected_errors_map_to_plain_words() {
    let emulator = demo_emulator().await;
    let client = client_for(&emulator).await;
    let retry = plan(
        "checkout-web",
        "Build",
        CHECKOUT_RUN,
        RetryMode::FailedActions,
    );
    let cases = [
        (
            "ConflictException",
            "Pipeline is busy",
            ErrorKind::Refused,
            "the pipeline is busy",
        ),
        (
            "AccessDeniedException",
            "User: arn:aws:sts::123456789012:assumed-role/ro/me is not authorized",
            ErrorKind::AccessDenied,
            "codepipeline:RetryStageExecution",
        ),
        (
            "ConcurrentPipelineExecutionsLimitExceededException",
            "limit",
            ErrorKind::Refused,
            "too many executions",
        ),
        (
            "ValidationException",
            "bad id",
            ErrorKind::Validation,
            "rejected the request",
        ),
        (
            "ExpiredTokenException",
            "The security token included in the request is expired",
            ErrorKind::Credentials,
            "expired",
        ),
        (
            "UnrecognizedClientException",
            "invalid token",
            ErrorKind::Credentials,
            "rejected the credentials",
        ),
    ];
    for (code, message, kind, words) in cases {
        emulator.inject(
            Some("RetryStageExecution"),
            Fault::Error(ApiError::new(400, code, message)),
            1,
        );
        let error = client.retry_stage(&retry).await.unwrap_err();
        assert_eq!(error.kind, kind, "{code}");
        assert!(error.message.contains(words), "{code}: {}", error.message);
    }
}

#[tokio::test]
async fn throttling_malformed_and_server_errors_on_reads() {
    let emulator = demo_emulator().await;
    let client = client_for(&emulator).await;

    emulator.inject(Some("GetPipelineState"), Fault::Throttle, 1);
    let error = client.pipeline_state("checkout-web").await.unwrap_err();
    assert!(error.is_throttling());
    assert!(error.message.contains("throttling"));

    emulator.inject(Some("ListPipelines"), Fault::Malformed, 1);
    let error = pipelines_of(&client).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Malformed, "{}", error.message);
    assert!(
        error.message.starts_with("unreadable reply from AWS"),
        "{}",
        error.message
    );

    emulator.inject(Some("GetPipeline"), Fault::ServerError, 1);
    let error = client.pipeline_structure("checkout-web").await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Service, "{}", error.message);
    assert!(error.message.contains("HTTP 500"));

    // After the faults, the same client works again.
    assert!(client.pipeline_state("checkout-web").await.is_ok());
}

#[tokio::test]
async fn access_denied_on_one_pipeline_leaves_the_others_readable() {
    let mut scenario = Scenario::demo();
    scenario.pipelines[0].deny = vec!["GetPipelineState".into()];
    let denied = scenario.pipelines[0].name.clone();
    let emulator = start_emulator(&scenario, EmulatorOptions::default()).await;
    let client = client_for(&emulator).await;
    let error = client.pipeline_state(&denied).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::AccessDenied);
    assert!(error.message.contains("codepipeline:GetPipelineState"));
    assert!(client.pipeline_state("payments-api").await.is_ok());
}

#[tokio::test]
async fn an_endpoint_that_is_down_fails_fast_and_clearly() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let client = client_with(Connection::emulator(url, "us-east-1")).await;
    let error = pipelines_of(&client).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unreachable, "{}", error.message);
    assert!(
        error.message.starts_with("cannot reach the AWS endpoint"),
        "{}",
        error.message
    );
    assert!(!error.message.contains('\n'));
}

#[tokio::test]
async fn emulator_plays_out_a_retry_that_fails_again() {
    let mut scenario = Scenario::demo();
    scenario.retry_seconds = 0.2;
    let options = EmulatorOptions::default();
    let emulator = start_emulator(&scenario, options).await;
    let client = client_for(&emulator).await;
    client
        .retry_stage(&plan(
            "search-indexer",
            "Test",
            "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910",
            RetryMode::FailedActions,
        ))
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let state = client.pipeline_state("search-indexer").await.unwrap();
    let test = &state.stages[1];
    assert_eq!(
        test.latest_execution.as_ref().unwrap().status,
        StageStatus::Failed
    );
    assert!(
        test.actions[0]
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("failed again")
    );
    assert_eq!(
        state.stages[2].latest_execution, None,
        "a failed retry does not go on"
    );
}

/// The row of `name` in the pipelines list, as drawn at 140 columns.
fn pipeline_row(app: &unstick::app::App, name: &str) -> String {
    screen_text(app, 140, 30)
        .lines()
        .find(|line| line.contains(name))
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_pipelines_own_error_marked_stale_until_it_recovers() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    let read = unstick::action::Read::CodePipeline(PipelineRead::State("checkout-web".into()));
    let row = pipeline_row(&app, "checkout-web");
    assert!(row.contains("Failed") && row.contains("JobFailed"), "{row}");

    for fault in [Fault::ServerError, Fault::Throttle] {
        emulator.inject(Some("GetPipelineState"), fault, 1);
        load(&mut app, &clients, read.clone()).await;
        let row = pipeline_row(&app, "checkout-web");
        assert!(
            row.contains("✗ Failed") && row.contains("⚠ JobFailed (stale)"),
            "{row}"
        );
    }
    // The endpoint answers again: the row is the pipeline's own again, with no mark.
    load(&mut app, &clients, read).await;
    let row = pipeline_row(&app, "checkout-web");
    assert!(row.contains("JobFailed") && !row.contains("stale"), "{row}");
}

#[tokio::test]
async fn replies_without_fields_aws_always_sends_are_unknown_never_healthy() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    // docs-site is healthy in the demo; none of these replies says how it is doing.
    let healthy = "docs-site";
    let read = unstick::action::Read::CodePipeline(PipelineRead::State(healthy.into()));
    let unknown_in_report = |app: &unstick::app::App| {
        let report = unstick::report::build(app, t0());
        let entry = report
            .pipelines
            .iter()
            .find(|p| p.pipeline_name == healthy)
            .expect("a pipeline in an unknown state is in the report");
        assert_eq!(entry.status, "Unknown");
        entry.error.clone().expect("with the reason")
    };

    // A status word this build does not know is not taken for success.
    let mut app = loaded_app(&emulator, false).await;
    assert!(pipeline_row(&app, healthy).contains("Succeeded"));
    emulator.inject(
        Some("GetPipelineState"),
        Fault::Edit {
            path: "stageStates.*.latestExecution.status".into(),
            value: Some(serde_json::json!("Paused")),
        },
        1,
    );
    load(&mut app, &clients, read.clone()).await;
    let row = pipeline_row(&app, healthy);
    assert!(
        row.contains("? Unknown") && row.contains("\"Paused\""),
        "{row}"
    );
    assert!(unknown_in_report(&app).contains("Paused"));

    // Fields left out: the stages, or a stage's status (which the SDK cannot read).
    for missing in ["stageStates", "stageStates.*.latestExecution.status"] {
        emulator.inject(Some("GetPipelineState"), Fault::leave_out(missing), 1);
        let error = clients.pipelines.pipeline_state(healthy).await.unwrap_err();
        assert_eq!(
            error.kind,
            ErrorKind::Malformed,
            "{missing}: {}",
            error.message
        );

        // Never read well: the row says so, and the report lists it as Unknown.
        let mut app = loaded_app(&emulator, false).await;
        app.model.codepipeline.states.remove(healthy);
        emulator.inject(Some("GetPipelineState"), Fault::leave_out(missing), 1);
        load(&mut app, &clients, read.clone()).await;
        let row = pipeline_row(&app, healthy);
        assert!(
            row.contains("⚠ error") && !row.contains("Succeeded"),
            "{row}"
        );
        assert!(!unknown_in_report(&app).is_empty());
    }
}

#[tokio::test]
async fn a_listing_whose_every_page_offers_another_ends_with_one_clear_line() {
    let options = EmulatorOptions {
        page_size: 2,
        scenario_time: Some(t0()),
        ..EmulatorOptions::default()
    };
    let emulator = start_emulator(&Scenario::demo(), options).await;
    let clients = clients_for(&emulator).await;
    let mut app =
        unstick::app::App::new(settings(false), unstick::poller::Schedule::default(), t0());
    // A real token for the second page; every reply then offers it as the next page.
    let first = clients.pipelines.list_pipelines(None).await.unwrap();
    emulator.inject(
        Some("ListPipelines"),
        Fault::Edit {
            path: "nextToken".into(),
            value: Some(serde_json::json!(first.next_token.unwrap())),
        },
        1_000,
    );
    let before = emulator.request_count();
    load(
        &mut app,
        &clients,
        unstick::action::Read::CodePipeline(PipelineRead::ListPipelines),
    )
    .await;
    assert_eq!(
        emulator.request_count() - before,
        2,
        "stopped at the repeat"
    );
    // The two pages read are kept.
    assert_eq!(app.model.codepipeline.pipeline_names().len(), 4);
    let status = app.ui.status.as_ref().unwrap().text.clone();
    assert_eq!(
        status,
        "Listing pipelines: stopped after 2 pages: AWS offered the same page twice"
    );
    assert!(screen_text(&app, 100, 30).contains("⚠ not all listed"));
    let report = unstick::report::build(&app, t0());
    assert_eq!(report.listings_cut_short, vec![status]);
}
