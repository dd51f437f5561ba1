//! The CodeBuild and CloudWatch Logs readers against the built-in emulator over loopback,
//! through the real SDK: a build and its failing phase, a log's newest page, a Lambda
//! invocation found across pages, and what a denial or a missing stream says.

use crate::common::*;

use unstick::action::{LogsRead, LogsReply, Read, Reply};
use unstick::aws::ErrorKind;
use unstick::emulator::{ApiError, EmulatorOptions, Fault, Scenario};
use unstick::model::LogSource;
use unstick::runner::fetch;

/// The build the demo's failed IntegrationTests action ran, from the pipeline's state.
async fn failed_build(clients: &unstick::aws::Clients) -> String {
    let state = clients
        .pipelines
        .pipeline_state("checkout-web")
        .await
        .unwrap();
    state
        .stages
        .iter()
        .flat_map(|stage| &stage.actions)
        .find(|action| action.action_name == "IntegrationTests")
        .and_then(|action| action.external_execution_id.clone())
        .expect("a CodeBuild action names its build")
}

fn denied(operation: &str) -> Fault {
    Fault::Error(ApiError::new(
        400,
        "AccessDeniedException",
        format!("not authorized to perform {operation}"),
    ))
}

#[tokio::test]
async fn a_failed_build_its_phase_and_its_log() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let id = failed_build(&clients).await;
    assert!(id.starts_with("checkout-web-it:"), "{id}");
    let build = clients.builds.build(&id).await.unwrap();
    assert_eq!(build.status, "FAILED");
    let phase = build.failed_phase().unwrap();
    assert_eq!(phase.phase, "BUILD");
    assert_eq!(phase.code.as_deref(), Some("COMMAND_EXECUTION_ERROR"));
    let log = build.log.clone().unwrap();
    assert_eq!(log.group, "/aws/codebuild/checkout-web-it");
    assert!(log.deep_link.is_some());

    let page = clients.logs.newest(&log.group, &log.stream).await.unwrap();
    assert!(
        page.lines.len() > 200,
        "a few hundred lines: {}",
        page.lines.len()
    );
    assert!(!page.earlier);
    assert!(page.lines.iter().all(|line| !line.text.ends_with('\n')));
    let first = unstick::model::logs::first_error(&page.lines).unwrap();
    assert!(
        page.lines[first]
            .text
            .starts_with("FAIL test/integration/checkout/totals"),
        "{:?}",
        page.lines[first]
    );
    assert!(
        page.lines.windows(2).all(|w| w[0].at <= w[1].at),
        "oldest first"
    );
}

#[tokio::test]
async fn what_is_missing_or_denied_is_said_by_name() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let missing = clients
        .builds
        .build("gone:00000000-0000-4000-8000-000000000000")
        .await;
    assert_eq!(missing.unwrap_err().kind, ErrorKind::NotFound);

    let id = failed_build(&clients).await;
    emulator.inject(
        Some("BatchGetBuilds"),
        denied("codebuild:BatchGetBuilds"),
        1,
    );
    let error = clients.builds.build(&id).await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::AccessDenied);
    assert!(
        error.message.contains("codebuild:BatchGetBuilds"),
        "{}",
        error.message
    );

    let log = clients.builds.build(&id).await.unwrap().log.unwrap();
    let stream = clients.logs.newest(&log.group, "no-such-stream").await;
    let stream = stream.unwrap_err();
    assert_eq!(stream.kind, ErrorKind::NotFound);
    assert!(
        stream.message.contains("log stream does not exist"),
        "{}",
        stream.message
    );
    let group = clients
        .logs
        .newest("/aws/codebuild/nope", &log.stream)
        .await;
    assert_eq!(group.unwrap_err().kind, ErrorKind::NotFound);

    emulator.inject(Some("GetLogEvents"), denied("logs:GetLogEvents"), 1);
    let error = clients
        .logs
        .newest(&log.group, &log.stream)
        .await
        .unwrap_err();
    assert!(
        error.message.contains("logs:GetLogEvents"),
        "{}",
        error.message
    );
    emulator.inject(Some("FilterLogEvents"), denied("logs:FilterLogEvents"), 1);
    let error = clients
        .logs
        .search("/aws/lambda/charge-card", 0, i64::MAX, None, None)
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::AccessDenied);
    assert!(
        error.message.contains("logs:FilterLogEvents"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn a_lambda_invocation_is_found_across_pages_by_its_request_id() {
    let options = EmulatorOptions {
        page_size: 2,
        ..EmulatorOptions::default()
    };
    let emulator = start_emulator(&Scenario::demo(), options).await;
    let clients = clients_for(&emulator).await;
    let source = LogSource::Invocation {
        group: "/aws/lambda/charge-card".into(),
        from_ms: 0,
        to_ms: i64::MAX,
        request_id: Some("7d9c1f0e-2b3a-4c5d-8e9f-0a1b2c3d4e5f".into()),
    };
    let read = Read::Logs(LogsRead::Lines(source));
    let reply = fetch(&clients, &roomy_buckets(), &read).await.unwrap();
    let Reply::Logs(LogsReply::Lines { lines, .. }) = reply else {
        panic!("a log reply");
    };
    assert!(lines.cut.is_none(), "{:?}", lines.cut);
    // START, the function's lines, END and REPORT: more than a page of 2.
    assert!(lines.lines.len() >= 4, "{:?}", lines.lines);
    assert!(lines.lines.iter().all(|l| l.text.contains("7d9c1f0e")));
    assert!(lines.lines[0].text.starts_with("START RequestId:"));
    assert!(lines.lines.iter().all(|l| l.stream.is_some()));
    assert!(emulator.requests("FilterLogEvents").len() >= 2, "it paged");
}
