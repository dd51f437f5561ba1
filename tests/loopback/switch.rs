//! The runner moving to another region against the emulator (each region its own world,
//! as in AWS): the new clients are used from the answer on, a reply from the old place
//! never arrives after it, and a write confirmed before the move is never sent.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use unstick::action::{
    Action, Answered, Command, Loaded, PipelineRead, PipelineReply, Place, Read, Reply, Write,
    WriteContext,
};
use unstick::audit::AuditLog;
use unstick::aws::Connection;
use unstick::eligibility::{RetryMode, RetryPlan};
use unstick::emulator::Fault;
use unstick::runner::{Identity, Runner};

use crate::common::*;

fn eu_west_1() -> Place {
    Place {
        profile: None,
        region: Some("eu-west-1".into()),
    }
}

async fn next(inbox: &mut UnboundedReceiver<Action>) -> Action {
    tokio::time::timeout(Duration::from_secs(20), inbox.recv())
        .await
        .expect("an answer in time")
        .expect("the channel is open")
}

fn retry(context: WriteContext) -> Command {
    Command::Send(Write::Retry {
        plan: RetryPlan {
            pipeline_name: "checkout-web".into(),
            stage_name: "Build".into(),
            pipeline_execution_id: "00000000-0000-0000-0000-000000000001".into(),
            retry_mode: RetryMode::FailedActions,
            reruns: vec!["Build".into()],
            overwrites: Vec::new(),
        },
        context,
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_region_switch_reads_the_new_world_and_drops_what_the_old_one_answers_late() {
    let emulator = demo_emulator().await;
    let audit_dir = tempfile::tempdir().unwrap();
    let audit = Arc::new(AuditLog::new(audit_dir.path().join("audit.jsonl")));
    let (sender, mut inbox) = unbounded_channel();
    let connection = Connection::emulator(emulator.endpoint_url(), "us-east-1");
    let runner = Runner::new(
        clients_for(&emulator).await,
        sender,
        audit.clone(),
        Identity {
            profile: None,
            region: Some("us-east-1".into()),
        },
        roomy_buckets(),
    )
    .switchable(connection);

    // A listing of the old region that is slow to answer…
    emulator.inject(
        Some("ListPipelines"),
        Fault::Delay(Duration::from_millis(600)),
        1,
    );
    let list = Read::CodePipeline(PipelineRead::ListPipelines);
    runner.run(Command::Fetch(list.clone()));
    while emulator.requests("ListPipelines").is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // …is overtaken by the switch: its answer never arrives after `Connected`.
    runner.run(Command::Connect(eu_west_1()));
    match next(&mut inbox).await {
        Action::Connected(Ok(place)) => assert_eq!(place, eu_west_1()),
        other => panic!("the switch first: {other:?}"),
    }
    let late = tokio::time::timeout(Duration::from_millis(1500), inbox.recv()).await;
    assert!(
        late.is_err(),
        "a reply from the old region arrived: {late:?}"
    );

    // The new region is its own world: the same account, no pipelines.
    runner.run(Command::Fetch(list.clone()));
    match next(&mut inbox).await {
        Action::Loaded { result, .. } => match result {
            Loaded::Answered(Reply::CodePipeline(PipelineReply::Pipelines(listed))) => {
                assert!(listed.items.is_empty(), "{listed:?}")
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }

    // A write confirmed before the switch is not sent, and so not audited either.
    runner.run(retry(WriteContext {
        account: Some("123456789012".into()),
        place: 0,
    }));
    match next(&mut inbox).await {
        Action::WriteAnswered(Answered::Retry { result, .. }) => {
            let error = result.expect_err("not sent");
            assert!(!error.may_have_arrived);
            assert!(error.message.contains("changed after you confirmed"));
        }
        other => panic!("{other:?}"),
    }
    assert!(emulator.requests("RetryStageExecution").is_empty());
    assert!(!audit.path().exists());

    // One confirmed after it goes to the new region, and the audit log says which.
    runner.run(retry(WriteContext {
        account: Some("123456789012".into()),
        place: 1,
    }));
    let Action::WriteAnswered(Answered::Retry { result, .. }) = next(&mut inbox).await else {
        panic!("an answer");
    };
    assert!(result.is_err(), "eu-west-1 has no such pipeline");
    assert_eq!(emulator.requests("RetryStageExecution").len(), 1);
    let lines = std::fs::read_to_string(audit.path()).unwrap();
    let first: serde_json::Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(first["region"], "eu-west-1");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_runner_that_cannot_switch_says_so_and_keeps_reading_where_it_was() {
    let emulator = demo_emulator().await;
    let (sender, mut inbox) = unbounded_channel();
    let runner = Runner::new(
        clients_for(&emulator).await,
        sender,
        Arc::new(AuditLog::new(
            tempfile::tempdir().unwrap().path().join("a.jsonl"),
        )),
        Identity::default(),
        roomy_buckets(),
    );
    // Not switchable: said so, in one line.
    runner.run(Command::Connect(eu_west_1()));
    match next(&mut inbox).await {
        Action::Connected(Err(error)) => assert!(error.message.contains("not offered")),
        other => panic!("{other:?}"),
    }
    // The runner still reads the old place.
    runner.run(Command::Fetch(Read::CodePipeline(
        PipelineRead::ListPipelines,
    )));
    match next(&mut inbox).await {
        Action::Loaded { result, .. } => match result {
            Loaded::Answered(Reply::CodePipeline(PipelineReply::Pipelines(listed))) => {
                assert_eq!(listed.items.len(), 9)
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}
