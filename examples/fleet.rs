//! The fleet benchmark: unstick against an AWS-like endpoint at fleet size, side by side
//! with the least time any client could take.
//!
//!     cargo run --release --example fleet -- --pipelines 200 --machines 50 --executions 100
//!
//! The built-in emulator serves a generated fleet with latency and AWS's token buckets:
//! Step Functions' published bucket per API for the region, and one CodePipeline bucket
//! for the account (10 / 5 per second assumed: AWS publishes none). Then:
//! 1. `report`, as the binary runs it: its time, its ratio to the quota bound, requests
//!    and throttles per API, and whether it is complete (every failed pipeline with its
//!    retry verdict, every failed execution with its failed state).
//! 2. The dashboard, headless but through its own loop, schedule and runner, drawing into
//!    a 100×30 terminal whose bytes are counted: its time to a complete picture, then,
//!    idle, its requests per second per API and its bytes per minute.
//!
//! Figures, not assertions: machines differ and are shared. Compare runs on one machine.

#[path = "common/mod.rs"]
mod common;
#[path = "common/counted.rs"]
mod counted;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use ratatui::Terminal;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use tokio::sync::mpsc;

use unstick::action::Action;
use unstick::app::{App, Settings};
use unstick::audit::AuditLog;
use unstick::aws::{self, Clients, Connection};
use unstick::emulator::limits::{LARGEST_REGIONS, Rate, step_functions};
use unstick::emulator::scenario::Step;
use unstick::emulator::{self, Emulator, EmulatorOptions, Fleet, QuotaOptions, Scenario, Served};
use unstick::model::{MachineType, StatusFilter};
use unstick::poller::{Bucket, Budget, Schedule};
use unstick::report::{self, Reading};
use unstick::runner::{Identity, Runner};
use unstick::tui;
use unstick::ui::Theme;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 200)]
    pipelines: usize,
    #[arg(long, default_value_t = 50)]
    machines: usize,
    #[arg(long, default_value_t = 100)]
    executions: usize,
    /// Outside Step Functions' three largest regions its buckets are smallest.
    #[arg(long, default_value = "eu-central-1")]
    region: String,
    #[arg(long, default_value_t = 50)]
    latency_ms: u64,
    /// How long the dashboard is watched idle after its first picture.
    #[arg(long, default_value_t = 120)]
    idle_secs: u64,
    /// Give up on the dashboard's first picture after this long.
    #[arg(long, default_value_t = 900)]
    limit_secs: u64,
}

/// The CodePipeline account bucket the emulator enforces (and unstick assumes).
const CODEPIPELINE: Rate = Rate {
    burst: 10,
    refill: 5.0,
};

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let fleet = Fleet {
        pipelines: args.pipelines,
        machines: args.machines,
        executions: args.executions,
    };
    let scenario = fleet.scenario();
    let expected = Expected::of(&scenario);
    println!(
        "unstick fleet: {} pipelines ({} failing), {} state machines × {} executions ({} failed); {}, {} ms latency\n",
        args.pipelines,
        expected.failing_pipelines,
        args.machines,
        args.executions,
        expected.failed_executions,
        args.region,
        args.latency_ms
    );
    let bound = quota_bound(&args, &expected);
    println!("quota bound (least time any client could take): {bound:.1} s");
    for line in bound_lines(&args, &expected) {
        println!("  {line}");
    }

    // 1. The report.
    let emulator = start(&scenario, &args).await;
    let report_clients = connect(&emulator, &args.region).await;
    let started = Instant::now();
    let reading = Reading {
        deadline: Instant::now() + Duration::from_secs(600),
        codepipeline: Bucket {
            burst: CODEPIPELINE.burst,
            refill: CODEPIPELINE.refill,
        },
        logs: false,
    };
    let collected = report::collect(&report_clients, settings(&args.region), reading, |_| {})
        .await
        .expect("the report reads");
    let took = started.elapsed().as_secs_f64();
    let mut built = report::build(&collected.app, jiff::Timestamp::now());
    built.note_unread(&collected.unread);
    let failing = built
        .pipelines
        .iter()
        .filter(|p| p.status == "Failed")
        .count();
    let with_verdict = built
        .pipelines
        .iter()
        .flat_map(|p| &p.stages)
        .filter(|s| s.retry.as_ref().is_some_and(|r| r.failed_actions.eligible))
        .count();
    let with_state = built
        .executions
        .iter()
        .filter(|e| e.failed_state.is_some())
        .count();
    println!("\nreport: {took:.1} s, {:.2}× the bound", took / bound);
    println!(
        "  complete: {} ({failing}/{} failing pipelines, {with_verdict} retry verdicts eligible; {with_state}/{} failed executions with their failed state; {} unread)",
        if built.is_complete()
            && failing == expected.failing_pipelines
            && with_state == expected.failed_executions
        {
            "yes"
        } else {
            "NO"
        },
        expected.failing_pipelines,
        expected.failed_executions,
        built.unread.len()
    );
    print_requests("  ", &emulator.served(), None);
    drop(collected);

    // 2. The dashboard.
    let emulator = start(&scenario, &args).await;
    let dashboard_clients = connect(&emulator, &args.region).await;
    let rss_before = common::rss_kib();
    let watched = watch_dashboard(&emulator, dashboard_clients, &args, &expected).await;
    match watched.complete_after {
        Some(after) => println!(
            "\ndashboard: complete picture after {after:.1} s, {:.2}× the bound",
            after / bound
        ),
        None => println!(
            "\ndashboard: NOT complete within {} s ({})",
            args.limit_secs, watched.missing
        ),
    }
    if let Some(idle_from) = watched.idle_from {
        let served: Vec<Served> = emulator
            .served()
            .into_iter()
            .filter(|s| s.at >= idle_from)
            .collect();
        let secs = args.idle_secs as f64;
        println!(
            "  idle {secs:.0} s: {:.2} requests per second in all",
            served.len() as f64 / secs
        );
        print_requests("  ", &served, Some(secs));
        println!(
            "  bytes to the terminal per idle minute: {:.0}",
            watched.idle_bytes as f64 / secs * 60.0
        );
        println!("  header: {}", watched.header.trim());
    }
    println!(
        "  RSS: {} MiB in all (emulator and fleet included); {} MiB grown while the dashboard ran",
        common::rss_kib() / 1024,
        common::rss_kib().saturating_sub(rss_before) / 1024
    );
}

/// What a complete picture holds, counted from the scenario itself.
struct Expected {
    failing_pipelines: usize,
    failed_executions: usize,
    machines: usize,
}

impl Expected {
    fn of(scenario: &Scenario) -> Self {
        let failing_pipelines = scenario
            .pipelines
            .iter()
            .filter(|p| {
                p.executions.first().is_some_and(|run| {
                    run.stages
                        .values()
                        .flat_map(|actions| actions.values())
                        .any(|action| action.status == "Failed")
                })
            })
            .count();
        let failed_executions = scenario
            .state_machines
            .iter()
            .flat_map(|m| &m.executions)
            .filter(|run| {
                run.status.is_none()
                    && run
                        .trace
                        .iter()
                        .any(|step| matches!(step, Step::Task { fails: true, .. }))
            })
            .count();
        Self {
            failing_pipelines,
            failed_executions,
            machines: scenario.state_machines.len(),
        }
    }
}

/// Each bucket's minimal requests: one list page per 1,000, one state per pipeline, one
/// pipeline execution per failing pipeline, one executions page per machine, one history
/// per failed execution.
fn minimal(args: &Args, expected: &Expected) -> Vec<(&'static str, usize, Rate)> {
    let largest = LARGEST_REGIONS.contains(&args.region.as_str());
    let pick = |(large, other): (Rate, Rate)| if largest { large } else { other };
    let pages = |n: usize| n.div_ceil(1000).max(1);
    vec![
        (
            "CodePipeline",
            pages(args.pipelines) + args.pipelines + expected.failing_pipelines,
            CODEPIPELINE,
        ),
        (
            "ListStateMachines",
            pages(args.machines),
            pick(step_functions::LIST_STATE_MACHINES),
        ),
        (
            "ListExecutions",
            expected.machines * pages(args.executions),
            pick(step_functions::LIST_EXECUTIONS),
        ),
        (
            "GetExecutionHistory",
            expected.failed_executions,
            pick(step_functions::GET_EXECUTION_HISTORY),
        ),
    ]
}

fn quota_bound(args: &Args, expected: &Expected) -> f64 {
    minimal(args, expected)
        .into_iter()
        .map(|(_, n, rate)| (n as f64 - rate.burst as f64).max(0.0) / rate.refill)
        .fold(0.0, f64::max)
}

fn bound_lines(args: &Args, expected: &Expected) -> Vec<String> {
    minimal(args, expected)
        .into_iter()
        .map(|(api, n, rate)| {
            format!(
                "{api}: {n} requests, bucket {}/{} → {:.1} s",
                rate.burst,
                rate.refill,
                (n as f64 - rate.burst as f64).max(0.0) / rate.refill
            )
        })
        .collect()
}

async fn start(scenario: &Scenario, args: &Args) -> Emulator {
    let options = EmulatorOptions {
        region: args.region.clone(),
        latency: Duration::from_millis(args.latency_ms),
        quotas: QuotaOptions {
            published: true,
            unpublished: Some(CODEPIPELINE),
            everything: None,
        },
        ..EmulatorOptions::default()
    };
    emulator::start(scenario, options, 0)
        .await
        .expect("the emulator starts")
}

/// One attempt per request, as `report` and the dashboard make them.
async fn connect(emulator: &Emulator, region: &str) -> Clients {
    let connection = Connection {
        max_attempts: 1,
        ..Connection::emulator(emulator.endpoint_url(), region)
    };
    Clients::new(&aws::sdk_config(&connection).await)
}

fn settings(region: &str) -> Settings {
    Settings {
        region: Some(region.to_string()),
        ..Settings::default()
    }
}

/// Requests and throttles per operation; per second when `secs` is given.
fn print_requests(indent: &str, served: &[Served], secs: Option<f64>) {
    let mut by_operation: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for request in served {
        let entry = by_operation.entry(&request.operation).or_default();
        entry.0 += 1;
        entry.1 += usize::from(request.throttled);
    }
    let total: usize = by_operation.values().map(|(n, _)| n).sum();
    let throttled: usize = by_operation.values().map(|(_, t)| t).sum();
    println!("{indent}requests {total}, throttled {throttled}");
    for (operation, (n, throttled)) in by_operation {
        match secs {
            Some(secs) => println!(
                "{indent}  {operation:<24} {:>6.2}/s  throttled {throttled}",
                n as f64 / secs
            ),
            None => println!("{indent}  {operation:<24} {n:>6}  throttled {throttled}"),
        }
    }
}

struct Watched {
    complete_after: Option<f64>,
    missing: String,
    idle_from: Option<Instant>,
    idle_bytes: usize,
    header: String,
}

/// Runs the dashboard's own loop until its picture is complete and it has idled.
async fn watch_dashboard(
    emulator: &Emulator,
    clients: Clients,
    args: &Args,
    expected: &Expected,
) -> Watched {
    let region = args.region.clone();
    let now = jiff::Timestamp::now();
    let schedule = Schedule::dashboard(Some(&region), Budget::default());
    let mut app = App::new(settings(&region), schedule, now);
    let (sender, inbox) = mpsc::unbounded_channel();
    let audit_dir = tempfile::tempdir().expect("a temporary directory");
    let audit = Arc::new(AuditLog::new(audit_dir.path().join("audit.jsonl")));
    let identity = Identity {
        profile: None,
        region: Some(region.clone()),
    };
    let runner = Runner::new(
        clients,
        sender.clone(),
        audit,
        identity,
        app.schedule.buckets(),
    );
    let (mut terminal, bytes) = counted::terminal(100, 30);
    tui::spawn_ticker(sender.clone());
    let started = Instant::now();
    let mut complete_after = None;
    let mut idle_from = None;
    let mut idle_bytes_from = 0;
    let mut missing = String::new();
    let quit = sender.clone();
    let idle = Duration::from_secs(args.idle_secs);
    let limit = Duration::from_secs(args.limit_secs);
    let observe = |app: &App| {
        if complete_after.is_none() {
            match incomplete(app, args, expected) {
                None => {
                    complete_after = Some(started.elapsed().as_secs_f64());
                    idle_from = Some(Instant::now());
                    idle_bytes_from = bytes.bytes();
                }
                Some(what) => missing = what,
            }
        }
        let done = match idle_from {
            Some(from) => from.elapsed() >= idle,
            None => started.elapsed() >= limit,
        };
        if done {
            let _ = quit.send(Action::Key(KeyEvent::from(KeyCode::Char('q'))));
        }
    };
    tui::drive(
        &mut terminal,
        &mut app,
        &Theme::new(true),
        &runner,
        inbox,
        observe,
    )
    .await
    .expect("the dashboard runs");
    let _ = emulator;
    let idle_bytes = bytes.bytes() - idle_bytes_from;
    let header = header_text(&app);
    Watched {
        complete_after,
        missing,
        idle_from,
        idle_bytes,
        header,
    }
}

/// The header line as drawn (its first row).
fn header_text(app: &App) -> String {
    let mut terminal = Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|frame| {
            unstick::ui::render(app, &Theme::new(true), frame);
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..100)
        .map(|x| buffer[(x, 0)].symbol().to_string())
        .collect()
}

/// What the dashboard still lacks for a complete picture, if anything: every pipeline's
/// state, every STANDARD machine's list, every failed execution among the rows.
fn incomplete(app: &App, args: &Args, expected: &Expected) -> Option<String> {
    let codepipeline = &app.model.codepipeline;
    let states = codepipeline
        .pipeline_names()
        .iter()
        .filter(|name| codepipeline.state(name).is_some())
        .count();
    let sfn = &app.model.sfn;
    let machines: Vec<&str> = sfn
        .machine_list()
        .iter()
        .filter(|m| m.machine_type == MachineType::Standard)
        .map(|m| m.state_machine_arn.as_str())
        .collect();
    let lists = machines
        .iter()
        .filter(|arn| {
            sfn.lists
                .iter()
                .any(|((machine, _), tracked)| machine == *arn && tracked.data.is_some())
        })
        .count();
    let failed = sfn.executions(&StatusFilter::STOPPED_BADLY).len();
    let whole = states == args.pipelines
        && lists == expected.machines
        && failed == expected.failed_executions;
    (!whole).then(|| {
        format!(
            "{states}/{} pipelines, {lists}/{} lists, {failed}/{} failed executions",
            args.pipelines, expected.machines, expected.failed_executions
        )
    })
}
