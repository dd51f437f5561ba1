//! Prints speed and memory figures for the parts that grow with the number of pipelines:
//! reading them over loopback, folding replies into the model, polling, and drawing.
//!
//!     cargo run --release --example bench [PIPELINES]
//!
//! Figures, not assertions: machines differ and are shared. Compare runs on one machine.

#[path = "common/mod.rs"]
mod common;

use common::rss_kib;
use std::hint::black_box;
use std::time::{Duration, Instant};
use unstick::action::{PipelineRead, PipelineReply};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

use unstick::action::{Action, Read};
use unstick::app::{App, Settings};
use unstick::aws::{self, Clients, Connection};
use unstick::emulator::{self, EmulatorOptions, Scenario};
use unstick::poller::Schedule;
use unstick::runner;
use unstick::ui::{self, Theme};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let now = jiff::Timestamp::now();
    let rss_start = rss_kib();

    let scenario = synthetic(count);
    let options = EmulatorOptions {
        scenario_time: Some(now),
        ..EmulatorOptions::default()
    };
    let emulator = emulator::start(&scenario, options, 0)
        .await
        .expect("emulator");
    let connection = Connection::emulator(emulator.endpoint_url(), "us-east-1");
    let clients = Clients::new(&aws::sdk_config(&connection).await);
    let settings = Settings {
        region: Some("us-east-1".into()),
        ..Settings::default()
    };
    let mut app = App::new(settings, Schedule::default(), now);

    println!("unstick bench: {count} pipelines, 4 stages and 6 actions each, 1 in 5 failed\n");
    let started = Instant::now();
    unstick::report::load_everything(&mut app, &clients, now).await;
    let load = started.elapsed();
    let requests = emulator.request_count();
    row(
        "read everything over loopback (sequential)",
        load,
        &format!(
            "{requests} requests, {:.2} ms each",
            ms(load) / requests as f64
        ),
    );
    let rss_loaded = rss_kib();

    // Folding a reply into the model: the work per poll result.
    let state = clients
        .pipelines
        .pipeline_state("pipeline-0007")
        .await
        .unwrap();
    let rounds = 20_000;
    let started = Instant::now();
    for _ in 0..rounds {
        app.update(Action::Loaded {
            at: now,
            result: unstick::action::Loaded::Answered(unstick::action::Reply::CodePipeline(
                PipelineReply::State {
                    pipeline: "pipeline-0007".into(),
                    state: state.clone(),
                },
            )),
        });
    }
    row(
        "update(): one GetPipelineState reply",
        started.elapsed() / rounds,
        "per reply",
    );

    // The scheduler runs every second over every pipeline.
    let rounds = 2_000;
    let started = Instant::now();
    for i in 0..rounds {
        let later = now + jiff::SignedDuration::from_secs(i as i64);
        black_box(app.update(Action::Tick(later)));
    }
    row(
        "update(): a tick (schedule every pipeline)",
        started.elapsed() / rounds,
        "per tick",
    );

    let rounds = 2_000;
    let started = Instant::now();
    for _ in 0..rounds {
        black_box(app.rows());
    }
    row(
        "sort and filter the list",
        started.elapsed() / rounds,
        "per call",
    );

    for (label, width, height) in [
        ("draw the list at 80×24", 80, 24),
        ("draw the list at 160×48", 160, 48),
    ] {
        row(label, frame_time(&app, width, height), "per frame");
    }
    app.ui.pipelines.selected_pipeline = Some("pipeline-0005".into());
    app.update(Action::Intent(unstick::action::Intent::Open));
    for (label, width, height) in [
        ("draw a failed pipeline at 80×24", 80, 24),
        ("draw a failed pipeline at 160×48", 160, 48),
    ] {
        row(label, frame_time(&app, width, height), "per frame");
    }

    // Step Functions: the longest history a redrive still allows, read and searched.
    let arn = "arn:aws:states:us-east-1:123456789012:execution:event-replay:replay-long";
    let started = Instant::now();
    // Paced like the dashboard: pages after the first wait for Step Functions tokens.
    let events = unstick::paging::every_page(
        &app.schedule.buckets(),
        unstick::action::Quota::ExecutionHistory,
        unstick::paging::HISTORY,
        |token| clients.sfn.execution_history(arn, token),
    )
    .await
    .unwrap()
    .items;
    row(
        "read a 25,000-event history (25 pages, paced)",
        started.elapsed(),
        &format!("{} events", events.len()),
    );
    let rounds = 50;
    let started = Instant::now();
    for _ in 0..rounds {
        black_box(unstick::model::find_failure(black_box(&events)));
    }
    row(
        "find the failed state in it",
        started.elapsed() / rounds,
        "per search",
    );
    let failure = unstick::model::find_failure(&events);
    let rounds = 10;
    let started = Instant::now();
    for _ in 0..rounds {
        black_box(unstick::model::timeline::timeline(
            black_box(&events),
            failure.as_ref(),
        ));
    }
    row(
        "build its timeline (the `h` view)",
        started.elapsed() / rounds,
        "once per read of the history",
    );
    let timeline = unstick::model::timeline::timeline(&events, failure.as_ref());
    let started = Instant::now();
    for _ in 0..rounds {
        black_box(unstick::model::timeline::search(
            black_box(&timeline.rows),
            "throughput",
        ));
    }
    row(
        "search every event of it (`/`)",
        started.elapsed() / rounds,
        "per keystroke",
    );
    let started = Instant::now();
    unstick::report::load_execution(&mut app, &clients, arn, now).await;
    row(
        "open that execution (describe, history)",
        started.elapsed(),
        "over loopback",
    );
    app.update(Action::Intent(unstick::action::Intent::SwitchView));
    row(
        "draw the executions list at 80×24",
        frame_time(&app, 80, 24),
        "per frame",
    );
    app.ui.view = unstick::app::View::Execution(arn.to_string());
    row(
        "draw the execution at 80×24",
        frame_time(&app, 80, 24),
        "per frame",
    );

    // A 10 MB cause and a 10 MB action error message on screen: AWS documents far less
    // (32,768 characters for a cause), but a broken or hostile source can send it.
    let huge = format!("{{\"errorMessage\": \"{}\"}}", "x".repeat(10 << 20));
    let rss_before_huge = rss_kib();
    emulator.inject(
        Some("DescribeExecution"),
        emulator::Fault::Edit {
            path: "cause".into(),
            value: Some(json!(huge)),
        },
        1,
    );
    unstick::report::load_execution(&mut app, &clients, arn, now).await;
    row(
        "draw an execution with a 10 MB cause, 80×24",
        frame_time(&app, 80, 24),
        "per frame",
    );
    emulator.inject(
        Some("GetPipelineState"),
        emulator::Fault::Edit {
            path: "stageStates.*.actionStates.*.latestExecution.errorDetails.message".into(),
            value: Some(json!(huge)),
        },
        1,
    );
    let read = Read::CodePipeline(PipelineRead::State("pipeline-0005".into()));
    let result = runner::fetch(&clients, &app.schedule.buckets(), &read).await;
    app.update(Action::Loaded {
        at: now,
        result: unstick::action::loaded(read, result),
    });
    app.ui.view = unstick::app::View::Pipeline("pipeline-0005".into());
    row(
        "draw a pipeline with a 10 MB message, 80×24",
        frame_time(&app, 80, 24),
        "per frame",
    );
    let rss_huge = rss_kib();

    // `:region`: the clients the runner builds, then the app dropping the whole picture
    // for the new place's first reads. Once each; the median of a few runs.
    let mut build = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        let config =
            aws::sdk_config(&Connection::emulator(emulator.endpoint_url(), "eu-west-1")).await;
        black_box(Clients::new(&config));
        build.push(started.elapsed());
    }
    build.sort();
    row("switch region: build the new clients", build[2], "once");
    let started = Instant::now();
    black_box(app.update(Action::Connected(Ok(unstick::action::Place {
        profile: None,
        region: Some("eu-west-1".into()),
    }))));
    row(
        &format!("switch region: drop {count} pipelines, start afresh"),
        started.elapsed(),
        "once",
    );

    println!();
    println!("{:<46} {:>10} KiB", "resident memory at start", rss_start);
    println!(
        "{:<46} {:>10} KiB",
        "after reading everything (emulator included)", rss_loaded
    );
    println!(
        "{:<46} {:>10} KiB",
        "growth from two 10 MB strings on screen",
        rss_huge.saturating_sub(rss_before_huge)
    );
}

fn frame_time(app: &App, width: u16, height: u16) -> Duration {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::new(true);
    // Up to 500 frames, or two seconds' worth when frames are slow.
    let started = Instant::now();
    let mut rounds = 0;
    while rounds < 500 && started.elapsed() < Duration::from_secs(2) {
        terminal
            .draw(|frame| {
                ui::render(app, &theme, frame);
            })
            .unwrap();
        rounds += 1;
    }
    started.elapsed() / rounds
}

fn row(label: &str, time: Duration, unit: &str) {
    let micros = time.as_secs_f64() * 1e6;
    if micros >= 10_000.0 {
        println!("{label:<46} {:>10.1} ms  {unit}", micros / 1e3);
    } else {
        println!("{label:<46} {:>10.1} µs  {unit}", micros);
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// `count` pipelines: Source, Build (two parallel actions and a package step), Test, Deploy.
fn synthetic(count: usize) -> Scenario {
    let pipelines: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            let failed = i % 5 == 0;
            let build = if failed {
                json!({ "Unit": { "status": "Succeeded" }, "Lint": { "status": "Failed", "errorCode": "JobFailed", "errorMessage": "exit status 1" } })
            } else {
                json!({ "Unit": { "status": "Succeeded" }, "Lint": { "status": "Succeeded" }, "Package": { "status": "Succeeded" } })
            };
            let mut stages = json!({ "Source": { "Src": { "status": "Succeeded" } }, "Build": build });
            if !failed {
                stages["Test"] = json!({ "E2E": { "status": "Succeeded" } });
                stages["Deploy"] = json!({ "Cfn": { "status": "Succeeded" } });
            }
            json!({
                "name": format!("pipeline-{i:04}"),
                "version": 3,
                "stages": [
                    { "name": "Source", "actions": [{ "name": "Src", "category": "Source", "provider": "S3" }] },
                    { "name": "Build", "actions": [{ "name": "Unit" }, { "name": "Lint" }, { "name": "Package", "runOrder": 2 }] },
                    { "name": "Test", "actions": [{ "name": "E2E" }] },
                    { "name": "Deploy", "actions": [{ "name": "Cfn", "category": "Deploy", "provider": "CloudFormation" }] }
                ],
                "executions": [{ "id": format!("{i:08x}-0000-4000-8000-000000000000"), "minutesAgo": (i % 600) as f64 + 1.0, "stages": stages }]
            })
        })
        .collect();
    let long_history = json!({
        "name": "event-replay",
        "executions": [{
            "name": "replay-long", "minutesAgo": 90, "durationMinutes": 60, "historyEvents": 24_990,
            "trace": [{ "kind": "task", "name": "ApplyBatch", "fails": true,
                        "failures": [{ "error": "Throttled", "cause": "slow down" }] }]
        }]
    });
    serde_json::from_value(json!({ "pipelines": pipelines, "stateMachines": [long_history] }))
        .expect("valid scenario")
}
