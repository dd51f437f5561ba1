//! moto as an independent peer: real state machines run by moto's Step Functions
//! interpreter write real histories, and unstick's AWS layer must list them and find
//! exactly the failed state, error and cause those histories hold. moto has no
//! RedriveExecution and omits the redrive fields: unstick shows them as unknown.
//!
//! Needs `moto_server` (PyPI moto[server]); `bash scripts/test.sh` installs it into
//! .venv and runs these with the rest.

#[path = "common/mod.rs"]
mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;

use unstick::aws::{self, Clients, Connection};
use unstick::model::{ExecutionStatus, PathStep, StatusFilter, find_failure};

const ROLE: &str = "arn:aws:iam::123456789012:role/unstick-test";
const MISSING_LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:does-not-exist";

/// moto_server on a free loopback port, stopped when dropped.
struct Moto {
    child: Child,
    port: u16,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    fn start() -> Self {
        let program =
            std::env::var("UNSTICK_MOTO_SERVER").unwrap_or_else(|_| ".venv/bin/moto_server".into());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {program} (bash scripts/test.sh installs it): {e}")
            });
        let moto = Self { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        // Run state machines for real rather than only recording them.
        moto.post(
            "/moto-api/config",
            &json!({"stepfunctions": {"execute_state_machine": true}}),
        );
        moto
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A bare HTTP POST: moto's control API is not an AWS API.
    fn post(&self, path: &str, body: &serde_json::Value) {
        let body = body.to_string();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        assert!(
            reply.starts_with("HTTP/1.1 2") || reply.starts_with("HTTP/1.0 2"),
            "{reply}"
        );
    }
}

struct Case {
    name: &'static str,
    definition: serde_json::Value,
    state: &'static str,
    error: &'static str,
    cause: &'static str,
    path: Vec<PathStep>,
    caught_from: Option<&'static str>,
}

fn task(next: Option<&str>) -> serde_json::Value {
    match next {
        Some(next) => json!({"Type": "Task", "Resource": MISSING_LAMBDA, "Next": next}),
        None => json!({"Type": "Task", "Resource": MISSING_LAMBDA, "End": true}),
    }
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "fails-in-a-fail-state",
            definition: json!({"StartAt": "Check", "States": {
                "Check": {"Type": "Pass", "Next": "Reject"},
                "Reject": {"Type": "Fail", "Error": "Order.Invalid", "Cause": "{\"field\":\"sku\"}"}}}),
            state: "Reject",
            error: "Order.Invalid",
            cause: "{\"field\":\"sku\"}",
            path: vec![],
            caught_from: None,
        },
        Case {
            name: "fails-in-a-task",
            definition: json!({"StartAt": "Prepare", "States": {
                "Prepare": {"Type": "Pass", "Next": "Charge"},
                "Charge": task(None)}}),
            state: "Charge",
            error: "Exception",
            cause: "Function not found",
            path: vec![],
            caught_from: None,
        },
        Case {
            name: "caught-into-a-fail-state",
            definition: json!({"StartAt": "Charge", "States": {
                "Charge": {"Type": "Task", "Resource": MISSING_LAMBDA, "End": true,
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "PaymentFailed"}]},
                "PaymentFailed": {"Type": "Fail", "Error": "Payment.Declined", "Cause": "card declined"}}}),
            state: "PaymentFailed",
            error: "Payment.Declined",
            cause: "card declined",
            path: vec![],
            caught_from: Some("Charge"),
        },
        Case {
            name: "fails-in-a-parallel-branch",
            definition: json!({"StartAt": "FanOut", "States": {"FanOut": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "Audit", "States": {"Audit": {"Type": "Pass", "End": true}}},
                {"StartAt": "Notify", "States": {"Notify": task(None)}}]}}}),
            state: "Notify",
            error: "Exception",
            cause: "Function not found",
            path: vec![PathStep::State {
                name: "FanOut".into(),
            }],
            caught_from: None,
        },
        Case {
            // MaxConcurrency 1: moto chains each MapIterationStarted to the last event of
            // the iteration before it. The third item fails.
            name: "sequential-map-third-item-fails",
            definition: json!({"StartAt": "EachItem", "States": {"EachItem": {
                "Type": "Map", "End": true, "ItemsPath": "$.items", "MaxConcurrency": 1,
                "Iterator": {"StartAt": "Check", "States": {
                    "Check": {"Type": "Choice", "Choices": [
                        {"Variable": "$", "NumericEquals": 3, "Next": "BadItem"}],
                        "Default": "Fine"},
                    "Fine": {"Type": "Pass", "End": true},
                    "BadItem": {"Type": "Fail", "Error": "Item.Invalid", "Cause": "item 3"}}}}}}),
            state: "BadItem",
            error: "Item.Invalid",
            cause: "item 3",
            path: vec![
                PathStep::State {
                    name: "EachItem".into(),
                },
                PathStep::Iteration {
                    map: "EachItem".into(),
                    index: 2,
                },
            ],
            caught_from: None,
        },
        Case {
            // The failing branch ends at once; its sibling goes on and writes last.
            name: "parallel-sibling-writes-last",
            definition: json!({"StartAt": "FanOut", "States": {"FanOut": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "Reject", "States": {"Reject": {"Type": "Fail", "Error": "Order.Invalid", "Cause": "no sku"}}},
                {"StartAt": "Audit", "States": {
                    "Audit": {"Type": "Pass", "Next": "Archive"},
                    "Archive": {"Type": "Pass", "Next": "Notify"},
                    "Notify": {"Type": "Pass", "End": true}}}]}}}),
            state: "Reject",
            error: "Order.Invalid",
            cause: "no sku",
            path: vec![
                PathStep::State {
                    name: "FanOut".into(),
                },
                PathStep::Branch {
                    parallel: "FanOut".into(),
                    starts_at: Some("Reject".into()),
                },
            ],
            caught_from: None,
        },
        Case {
            name: "nested-parallel",
            definition: json!({"StartAt": "Outer", "States": {"Outer": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "Inner", "States": {"Inner": {"Type": "Parallel", "End": true, "Branches": [
                    {"StartAt": "Log", "States": {"Log": {"Type": "Pass", "End": true}}},
                    {"StartAt": "Charge", "States": {"Charge": {"Type": "Fail", "Error": "Card.Declined", "Cause": "declined"}}}]}}},
                {"StartAt": "Notify", "States": {
                    "Notify": {"Type": "Pass", "Next": "Record"},
                    "Record": {"Type": "Pass", "End": true}}}]}}}),
            state: "Charge",
            error: "Card.Declined",
            cause: "declined",
            path: vec![
                PathStep::State {
                    name: "Outer".into(),
                },
                PathStep::Branch {
                    parallel: "Outer".into(),
                    starts_at: Some("Inner".into()),
                },
                PathStep::State {
                    name: "Inner".into(),
                },
                PathStep::Branch {
                    parallel: "Inner".into(),
                    starts_at: Some("Charge".into()),
                },
            ],
            caught_from: None,
        },
        Case {
            name: "parallel-inside-a-map",
            definition: json!({"StartAt": "Each", "States": {"Each": {
                "Type": "Map", "End": true, "ItemsPath": "$.items", "MaxConcurrency": 1,
                "Iterator": {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true, "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                    {"StartAt": "B", "States": {
                        "B": {"Type": "Choice", "Choices": [
                            {"Variable": "$", "NumericEquals": 2, "Next": "BadB"}],
                            "Default": "GoodB"},
                        "GoodB": {"Type": "Pass", "End": true},
                        "BadB": {"Type": "Fail", "Error": "B.Failed", "Cause": "item 2"}}}]}}}}}}),
            state: "BadB",
            error: "B.Failed",
            cause: "item 2",
            path: vec![
                PathStep::State {
                    name: "Each".into(),
                },
                PathStep::Iteration {
                    map: "Each".into(),
                    index: 1,
                },
                PathStep::State {
                    name: "Both".into(),
                },
                PathStep::Branch {
                    parallel: "Both".into(),
                    starts_at: Some("B".into()),
                },
            ],
            caught_from: None,
        },
        Case {
            name: "fails-inside-a-map",
            definition: json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true, "ItemsPath": "$.items",
                "Iterator": {"StartAt": "Resize", "States": {"Resize": task(None)}}}}}),
            state: "Resize",
            error: "Exception",
            cause: "Function not found",
            path: vec![PathStep::State {
                name: "Each".into(),
            }],
            caught_from: None,
        },
    ]
}

/// With UNSTICK_RECORD_FIXTURES=DIR, writes each history moto wrote, with what the case
/// expects of it, to DIR/<case>.json: the fixtures the failed-state unit tests replay.
fn record_fixture(case: &Case, history: &[unstick::model::HistoryEvent]) {
    let Ok(dir) = std::env::var("UNSTICK_RECORD_FIXTURES") else {
        return;
    };
    let fixture = json!({
        "recordedFrom": "moto's Step Functions interpreter, through unstick's AWS layer",
        "case": case.name,
        "definition": case.definition,
        "expected": {"state": case.state, "error": case.error, "path": case.path,
            "caughtFrom": case.caught_from},
        "events": history,
    });
    let path = std::path::Path::new(&dir).join(format!("{}.json", case.name));
    std::fs::write(path, serde_json::to_string_pretty(&fixture).unwrap()).unwrap();
}

/// Creates and runs every case on moto; returns the clients and (case, execution ARN).
async fn run_cases(moto: &Moto) -> (Clients, aws_sdk_sfn::Client, Vec<(Case, String)>) {
    let connection = Connection::emulator(moto.url(), "us-east-1");
    let config = aws::sdk_config(&connection).await;
    let raw = aws_sdk_sfn::Client::new(&config);
    let clients = Clients::new(&config);
    let mut started = Vec::new();
    for case in cases() {
        let machine = raw
            .create_state_machine()
            .name(case.name)
            .definition(case.definition.to_string())
            .role_arn(ROLE)
            .send()
            .await
            .unwrap();
        let execution = raw
            .start_execution()
            .state_machine_arn(machine.state_machine_arn())
            .input(json!({"items": [1, 2, 3]}).to_string())
            .send()
            .await
            .unwrap();
        started.push((case, execution.execution_arn().to_string()));
    }
    for (case, arn) in &started {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let detail = clients.sfn.describe_execution(arn).await.unwrap();
            if detail.execution.status != ExecutionStatus::Running {
                assert_eq!(
                    detail.execution.status,
                    ExecutionStatus::Failed,
                    "{}",
                    case.name
                );
                break;
            }
            assert!(Instant::now() < deadline, "{} never finished", case.name);
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    (clients, raw, started)
}

#[tokio::test]
#[ignore = "needs moto_server: bash scripts/test.sh runs it"]
async fn finds_exactly_the_failed_state_moto_recorded() {
    let moto = Moto::start();
    let (clients, raw, started) = run_cases(&moto).await;

    let machines = machines_of(&clients.sfn).await.unwrap();
    for (case, arn) in &started {
        let machine = machines
            .iter()
            .find(|m| m.name == case.name)
            .expect("listed");
        let failed = clients
            .sfn
            .list_executions(&machine.state_machine_arn, StatusFilter::Failed, 25)
            .await
            .unwrap();
        assert!(
            failed.items.iter().any(|e| &e.execution_arn == arn),
            "{} not listed as FAILED",
            case.name
        );

        let history = history_of(&clients.sfn, arn).await.unwrap();
        record_fixture(case, &history);
        let failure =
            find_failure(&history).unwrap_or_else(|| panic!("{}: no failure found", case.name));
        assert_eq!(failure.state.as_deref(), Some(case.state), "{}", case.name);
        assert_eq!(failure.error.as_deref(), Some(case.error), "{}", case.name);
        assert!(
            failure
                .cause
                .as_deref()
                .unwrap_or_default()
                .contains(case.cause),
            "{}: {:?}",
            case.name,
            failure.cause
        );
        assert_eq!(
            &failure.path[..case.path.len().min(failure.path.len())],
            &case.path[..],
            "{}",
            case.name
        );
        assert_eq!(
            failure.caught_from.as_ref().map(|c| c.state.as_str()),
            case.caught_from,
            "{}",
            case.name
        );

        // The same error and cause moto reports for the execution.
        let described = raw
            .describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .unwrap();
        assert_eq!(described.error(), failure.error.as_deref(), "{}", case.name);
        assert_eq!(described.cause(), failure.cause.as_deref(), "{}", case.name);
    }
}

#[tokio::test]
#[ignore = "needs moto_server: bash scripts/test.sh runs it"]
async fn missing_redrive_fields_show_as_unknown() {
    let moto = Moto::start();
    let (clients, _raw, started) = run_cases(&moto).await;
    let (_, arn) = &started[1];
    let detail = clients.sfn.describe_execution(arn).await.unwrap();
    assert_eq!(detail.redrive_status, None);
    assert_eq!(detail.execution.redrive_count, None);

    // The whole dashboard on moto: lists, opens, renders, and says "unknown".
    let mut app = unstick::app::App::new(
        settings(false),
        unstick::poller::Schedule::default(),
        jiff::Timestamp::now(),
    );
    unstick::report::load_everything(&mut app, &clients, jiff::Timestamp::now()).await;
    unstick::report::load_execution(&mut app, &clients, arn, jiff::Timestamp::now()).await;
    app.update(unstick::action::Action::Intent(
        unstick::action::Intent::SwitchView,
    ));
    assert_eq!(app.ui.view, unstick::app::View::Executions);
    app.ui.executions.selected_execution = Some(arn.clone());
    app.update(key(ratatui::crossterm::event::KeyCode::Enter));
    let screen = screen_text(&app, 100, 30);
    assert!(screen.contains("Charge"), "{screen}");
    assert!(screen.contains("unknown"), "{screen}");
    assert!(screen.contains("redrive count unknown"), "{screen}");

    // The redrive rules leave the decision to AWS, and the dialog says so.
    app.update(char_key('r'));
    let dialog = app
        .confirm
        .as_ref()
        .expect("redrive offered: the local rules allow it");
    assert!(dialog.warning.as_ref().unwrap().contains("did not report"));

    // And the report does not trip over the missing fields either.
    let report = unstick::report::build(&app, jiff::Timestamp::now());
    let listed = report
        .executions
        .iter()
        .find(|e| &e.execution_arn == arn)
        .unwrap();
    assert_eq!(listed.redrive_status, None);
    assert_eq!(listed.failed_state.as_deref(), Some("Charge"));
}

#[tokio::test]
#[ignore = "needs moto_server: bash scripts/test.sh runs it"]
async fn an_aborted_execution_names_the_state_it_was_stopped_in() {
    let moto = Moto::start();
    let connection = Connection::emulator(moto.url(), "us-east-1");
    let config = aws::sdk_config(&connection).await;
    let raw = aws_sdk_sfn::Client::new(&config);
    let clients = Clients::new(&config);
    let definition = json!({"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Next": "WaitForApproval"},
        "WaitForApproval": {"Type": "Wait", "Seconds": 600, "End": true}}});
    let machine = raw
        .create_state_machine()
        .name("stopped-while-waiting")
        .definition(definition.to_string())
        .role_arn(ROLE)
        .send()
        .await
        .unwrap();
    let arn = raw
        .start_execution()
        .state_machine_arn(machine.state_machine_arn())
        .send()
        .await
        .unwrap()
        .execution_arn()
        .to_string();
    // Wait until the interpreter is in the Wait state, then stop it.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let history = history_of(&clients.sfn, &arn).await.unwrap();
        if history.iter().any(|e| e.kind == "WaitStateEntered") {
            break;
        }
        assert!(Instant::now() < deadline, "never reached the Wait state");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    raw.stop_execution()
        .execution_arn(&arn)
        .send()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let history = loop {
        let history = history_of(&clients.sfn, &arn).await.unwrap();
        if history.iter().any(|e| e.kind == "ExecutionAborted") {
            break history;
        }
        assert!(Instant::now() < deadline, "never aborted");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let failure = find_failure(&history).expect("an aborted run is a failure to look at");
    assert_eq!(failure.terminal_event, "ExecutionAborted");
    assert_eq!(failure.state.as_deref(), Some("WaitForApproval"));
    assert!(failure.path.is_empty());
}
