//! The scheduler on a simulated clock, at fleet size: every item is read once before
//! any twice, the budget is kept, urgent reads stay fresh, and nothing starves.

use std::collections::HashMap;

use super::*;
use crate::action::{PipelineRead, SfnRead};
use crate::model::StatusFilter;

fn at(secs: f64) -> Timestamp {
    Timestamp::from_second(1_800_000_000).unwrap() + SignedDuration::from_secs_f64(secs)
}

fn state(i: usize) -> Read {
    Read::CodePipeline(PipelineRead::State(format!("service-{i:04}")))
}

fn list(i: usize) -> Read {
    Read::StepFunctions(SfnRead::Executions {
        machine: format!("workflow-{i:04}"),
        filter: StatusFilter::Failed,
        limit: 25,
    })
}

/// A fleet's sweep: `pipelines` states and `machines` lists, each at most every minute.
fn fleet(pipelines: usize, machines: usize) -> Vec<Wish> {
    let minute = SignedDuration::from_secs(60);
    (0..pipelines)
        .map(|i| Wish::sweep(state(i), minute))
        .chain((0..machines).map(|i| Wish::sweep(list(i), minute)))
        .collect()
}

/// Every start, with its time; replies come back 50 ms later, all well.
struct Run {
    starts: Vec<(f64, Read)>,
}

fn simulate(schedule: &mut Schedule, seconds: f64, wanted: &[Wish]) -> Run {
    let mut starts = Vec::new();
    let mut pending: Vec<(f64, Read)> = Vec::new();
    let mut t = 0.0;
    while t < seconds {
        pending.retain(|(done, read)| {
            let keep = *done > t;
            if !keep {
                schedule.finished(read, at(*done), Outcome::Ok);
            }
            keep
        });
        for read in schedule.due(at(t), wanted) {
            starts.push((t, read.clone()));
            pending.push((t + 0.05, read));
        }
        t += 0.25;
    }
    Run { starts }
}

#[test]
fn every_item_is_read_once_before_any_is_read_twice() {
    let mut schedule = Schedule::dashboard(Some("eu-central-1"), Budget::default());
    let wanted = fleet(1000, 200);
    let run = simulate(&mut schedule, 600.0, &wanted);
    let mut seen = HashMap::new();
    for (index, (_, read)) in run.starts.iter().enumerate() {
        seen.entry(read.clone()).or_insert(index);
    }
    assert_eq!(seen.len(), 1200, "every item was read");
    let first_repeat = run
        .starts
        .iter()
        .enumerate()
        .find(|(index, (_, read))| seen[read] != *index)
        .map(|(index, _)| index)
        .expect("something was read twice in 10 minutes");
    assert!(
        first_repeat >= 1200,
        "a repeat came at start {first_repeat}"
    );
}

#[test]
fn the_first_picture_goes_at_aws_rate_and_the_sweep_within_the_budget() {
    let budget = Budget::default();
    let mut schedule = Schedule::dashboard(Some("eu-central-1"), budget);
    let wanted = fleet(200, 50);
    let run = simulate(&mut schedule, 1200.0, &wanted);
    // The first picture: 200 states at CodePipeline's assumed 5/s, the lists meanwhile.
    let first_done = run.starts[249].0;
    assert!(first_done < 50.0, "first picture took {first_done}s");
    // From then on, in any minute: within the total budget and ListExecutions' share.
    let steady: Vec<&(f64, Read)> = run.starts.iter().filter(|(t, _)| *t >= 60.0).collect();
    for minute in 1..20 {
        let window = |quota: Option<Quota>| {
            steady
                .iter()
                .filter(|(t, read)| {
                    (*t as usize) / 60 == minute && quota.is_none_or(|q| read.quota() == q)
                })
                .count() as f64
        };
        // One minute at the rate, plus the bucket's small burst.
        assert!(window(None) <= budget.total * 60.0 + 6.0, "minute {minute}");
        let lists = window(Some(Quota::ListExecutions));
        assert!(lists <= 60.0 + 3.0, "minute {minute}: {lists} lists");
    }
}

#[test]
fn no_item_starves_and_the_sweep_period_follows_from_the_budget() {
    let mut schedule = Schedule::dashboard(Some("eu-central-1"), Budget::default());
    let sweep = fleet(1000, 200);
    // An urgent read wanted every 5 s competes all along.
    let focused = Read::CodePipeline(PipelineRead::State("on-screen".into()));
    let mut wanted = vec![Wish::urgent(focused.clone(), SignedDuration::from_secs(5))];
    wanted.extend(sweep);
    let run = simulate(&mut schedule, 1800.0, &wanted);
    // After the first picture, each item's gaps between reads stay near items / budget:
    // 1,201 items at 2 per second, about 600 s.
    let mut last: HashMap<&Read, f64> = HashMap::new();
    let mut longest_gap: f64 = 0.0;
    let mut focused_gap: f64 = 0.0;
    for (t, read) in &run.starts {
        if let Some(previous) = last.insert(read, *t) {
            if read == &focused {
                focused_gap = focused_gap.max(t - previous);
            } else if previous > 300.0 {
                longest_gap = longest_gap.max(t - previous);
            }
        }
    }
    assert!(longest_gap > 0.0, "nothing was swept twice");
    assert!(longest_gap < 720.0, "an item waited {longest_gap}s");
    // The urgent read keeps its pace through it all.
    assert!(
        focused_gap <= 6.0,
        "the read on screen waited {focused_gap}s"
    );
}

#[test]
fn urgent_reads_cannot_starve_the_sweep() {
    let mut schedule = Schedule::dashboard(Some("eu-central-1"), Budget::default());
    let sweep = fleet(100, 0);
    // 50 urgent reads each wanted every second: far more than the budget.
    let urgent: Vec<Wish> = (0..50)
        .map(|i| Wish::urgent(state(5000 + i), SignedDuration::from_secs(1)))
        .collect();
    let wanted: Vec<Wish> = urgent.into_iter().chain(sweep).collect();
    let run = simulate(&mut schedule, 600.0, &wanted);
    let swept = |read: &Read| {
        run.starts
            .iter()
            .filter(|(t, r)| *t > 100.0 && r == read)
            .count()
    };
    // Each sweep item still comes round: at least half the budget is the sweep's.
    for i in 0..100 {
        assert!(swept(&state(i)) >= 3, "service-{i:04} was starved");
    }
}
