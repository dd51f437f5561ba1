//! `report`'s reading under throttling: it waits out what AWS throttles and reads again
//! until the picture is complete, and, when its deadline passes first, names every read it
//! could not make and never guesses a verdict from what is missing.

use std::time::{Duration, Instant};

use unstick::emulator::{EmulatorOptions, Fault, Fleet, QuotaOptions, Rate};
use unstick::poller::CODEPIPELINE_ASSUMED;
use unstick::report::{self, Reading};

use crate::common::*;

/// A small fleet: 30 pipelines (3 failing), 6 machines × 40 executions.
fn fleet() -> Fleet {
    Fleet {
        pipelines: 30,
        machines: 6,
        executions: 40,
    }
}

fn reading(within: Duration) -> Reading {
    Reading {
        deadline: Instant::now() + within,
        codepipeline: CODEPIPELINE_ASSUMED,
        logs: false,
    }
}

#[tokio::test]
async fn the_report_waits_out_throttling_until_it_is_complete() {
    // Every API far tighter than unstick assumes: it is throttled again and again.
    let options = EmulatorOptions {
        quotas: QuotaOptions {
            everything: Some(Rate {
                burst: 3,
                refill: 25.0,
            }),
            ..QuotaOptions::default()
        },
        ..EmulatorOptions::default()
    };
    let emulator = start_emulator(&fleet().scenario(), options).await;
    // And the failed runs' versions are throttled a few times more on top.
    emulator.inject(Some("GetPipelineExecution"), Fault::Throttle, 4);
    let clients = clients_for(&emulator).await;
    let collected = report::collect(
        &clients,
        settings(false),
        reading(Duration::from_secs(120)),
        |_| {},
    )
    .await
    .unwrap();
    let throttled = emulator.served().iter().filter(|s| s.throttled).count();
    assert!(
        throttled > 0,
        "the quota never bit: the test proves nothing"
    );
    assert!(collected.unread.is_empty(), "{:?}", collected.unread);
    let mut built = report::build(&collected.app, jiff::Timestamp::now());
    built.note_unread(&collected.unread);
    assert!(built.is_complete());
    let failing: Vec<_> = built
        .pipelines
        .iter()
        .filter(|p| p.status == "Failed")
        .collect();
    assert_eq!(failing.len(), 3, "every failing pipeline, none unknown");
    for pipeline in failing {
        let retry = pipeline
            .stages
            .iter()
            .find_map(|s| s.retry.as_ref())
            .expect("a failed stage has a verdict");
        // Read to the end: its version is known, so the verdict is a real one.
        assert!(
            retry.failed_actions.eligible,
            "{}: {:?}",
            pipeline.pipeline_name, retry.failed_actions.reasons
        );
    }
    // One in twenty executions failed: every one with the state it failed in.
    assert_eq!(built.executions.len(), 12);
    assert!(built.executions.iter().all(|e| e.failed_state.is_some()));
}

#[tokio::test]
async fn past_its_deadline_the_report_names_what_it_could_not_read() {
    let emulator = start_emulator(&fleet().scenario(), EmulatorOptions::default()).await;
    // The failed runs' versions and one list stay throttled past the deadline.
    emulator.inject(Some("GetPipelineExecution"), Fault::Throttle, 10_000);
    emulator.inject(Some("GetExecutionHistory"), Fault::Throttle, 10_000);
    let clients = clients_for(&emulator).await;
    let collected = report::collect(
        &clients,
        settings(false),
        reading(Duration::from_secs(20)),
        |_| {},
    )
    .await
    .unwrap();
    let mut built = report::build(&collected.app, jiff::Timestamp::now());
    built.note_unread(&collected.unread);
    assert!(!built.is_complete());
    let unread = |operation: &str| {
        built
            .unread
            .iter()
            .filter(|u| u.operation == operation)
            .count()
    };
    assert_eq!(unread("GetPipelineExecution"), 3, "{:?}", built.unread);
    assert_eq!(unread("GetExecutionHistory"), 12, "{:?}", built.unread);
    assert!(
        built.unread.iter().all(|u| u.error.contains("throttl")),
        "{:?}",
        built.unread
    );
    // No verdict is guessed from what is missing.
    for pipeline in built.pipelines.iter().filter(|p| p.status == "Failed") {
        for retry in pipeline.stages.iter().filter_map(|s| s.retry.as_ref()) {
            assert!(!retry.failed_actions.eligible, "{}", pipeline.pipeline_name);
            assert!(!retry.all_actions.eligible, "{}", pipeline.pipeline_name);
        }
    }
    for execution in &built.executions {
        assert!(!execution.redrive.eligible, "{}", execution.name);
        assert!(
            execution
                .redrive
                .reasons
                .iter()
                .any(|r| r.message.contains("still reading")),
            "{:?}",
            execution.redrive.reasons
        );
    }
    // The table says it too, and which reads.
    let table = report::table(&built, jiff::Timestamp::now());
    assert!(table.contains("⚠ incomplete: 15 reads"), "{table}");
}
