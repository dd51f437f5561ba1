//! Decides which reads to start, and when. Pure: it is handed the time and the wish list,
//! and hands back the reads to start now. The runner does the I/O.
//!
//! The order is fair and the pace is frugal:
//! - Every read wanted is started once before anything is started twice (the first
//!   picture), at up to AWS's published rate, because that ends.
//! - After that a read starts again only within the budget: each API at a share of its
//!   refill, and all together at a total rate. Among the reads due, those that matter now
//!   (on screen, writes followed, work in progress) go first, but only up to half of the
//!   budget; the rest of it sweeps everything else, the longest unread first, so no item
//!   starves and the sweep's period follows from the budget.
//! - A read is never in flight twice, each API has a few in flight at most, and
//!   throttling pauses that API with an exponential, jittered backoff.

use std::collections::{HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};

use crate::action::{Quota, Read};

mod bucket;
mod rates;

pub use bucket::{Buckets, TokenBucket};
pub use rates::{Bucket, Budget, CODEPIPELINE_ASSUMED, published};

/// How often each kind of read repeats, at most.
#[derive(Debug, Clone)]
pub struct Intervals {
    pub pipeline_list: SignedDuration,
    /// The pipeline on screen.
    pub focused: SignedDuration,
    /// After a retry, until the stage finishes.
    pub following: SignedDuration,
    /// Work in progress: running pipelines, running executions on screen.
    pub active: SignedDuration,
    /// The sweep of everything else: never more often than this; the budget decides how
    /// much less often.
    pub idle: SignedDuration,
    pub structure: SignedDuration,
    pub history: SignedDuration,
    /// Step Functions executions lists, in the sweep.
    pub executions: SignedDuration,
}

impl Default for Intervals {
    fn default() -> Self {
        Self {
            pipeline_list: SignedDuration::from_mins(5),
            focused: SignedDuration::from_secs(5),
            following: SignedDuration::from_secs(3),
            active: SignedDuration::from_secs(15),
            idle: SignedDuration::from_secs(60),
            structure: SignedDuration::from_mins(5),
            history: SignedDuration::from_secs(30),
            executions: SignedDuration::from_secs(60),
        }
    }
}

/// How much a wanted read matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// On screen, a write being followed, work in progress: first claim on the budget.
    Urgent,
    /// Everything else: swept, the longest unread first.
    Sweep,
}

/// A read the app wants, how often at most, and how much it matters.
#[derive(Debug, Clone, PartialEq)]
pub struct Wish {
    pub read: Read,
    pub every: SignedDuration,
    pub urgency: Urgency,
}

impl Wish {
    pub fn urgent(read: Read, every: SignedDuration) -> Self {
        Self {
            read,
            every,
            urgency: Urgency::Urgent,
        }
    }

    pub fn sweep(read: Read, every: SignedDuration) -> Self {
        Self {
            read,
            every,
            urgency: Urgency::Sweep,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Throttled,
    Failed,
}

/// At most this many reads of one API in flight at once.
pub const LANE_IN_FLIGHT: usize = 4;

/// One of AWS's rate limits, as this client sees it: its backoff, what is in flight, and
/// its share of the budget (its pace toward AWS is its bucket in `Buckets`, shared with
/// the pages of long listings).
#[derive(Debug, Clone, Default)]
struct Lane {
    throttle_streak: u32,
    paused_until: Option<Timestamp>,
    in_flight: usize,
    /// Re-reads of this API, within the budget (none: unlimited).
    budget: Option<TokenBucket>,
}

impl Lane {
    fn paused(&self, now: Timestamp) -> bool {
        self.paused_until.is_some_and(|until| now < until)
    }
}

/// The budget's shared buckets: all re-reads together, and the urgent ones' half.
#[derive(Debug, Clone)]
struct Spending {
    total: TokenBucket,
    urgent: TokenBucket,
}

/// A read that keeps failing (not throttled: an HTTP 500, a malformed reply, a denied
/// resource) is tried again later and later, never in a hot loop: 2 s, 4 s … 60 s.
#[derive(Debug, Clone, Copy)]
struct Failing {
    streak: u32,
    until: Timestamp,
}

/// The longest a failing read waits before it is tried again.
const FAILING_CEILING_SECS: f64 = 60.0;

/// Room left under AWS's bucket: unstick's burst is this share of AWS's, its refill a
/// little under AWS's, so that requests bunched by the network do not trip the quota.
const BURST_SHARE: f64 = 0.8;
const REFILL_SHARE: f64 = 0.97;

#[derive(Debug)]
pub struct Schedule {
    pub intervals: Intervals,
    started: HashMap<Read, Timestamp>,
    /// Reads answered at least once (well or not): a second start is a re-read.
    read_before: HashSet<Read>,
    in_flight: HashSet<Read>,
    failing: HashMap<Read, Failing>,
    /// How many times running each read was throttled: a read AWS keeps throttling waits
    /// behind the others of its lane instead of leading every retry.
    throttled: HashMap<Read, u32>,
    lanes: HashMap<Quota, Lane>,
    buckets: Buckets,
    spending: Option<Spending>,
    /// What it was made from, to make it again for another region.
    recipe: Recipe,
    rng: fastrand::Rng,
}

/// How a schedule was made: `Schedule::new` (tests, as set up), `full_rate` or
/// `dashboard` for a region.
#[derive(Debug, Clone, Copy)]
enum Recipe {
    AsSetUp,
    FullRate(Bucket),
    Dashboard(Budget),
}

impl Default for Schedule {
    /// The dashboard's schedule with the default budget, where the region is unknown.
    fn default() -> Self {
        Self::dashboard(None, Budget::default())
    }
}

impl Schedule {
    /// Every quota starts with a copy of `bucket`, and re-reads are not budgeted.
    pub fn new(intervals: Intervals, bucket: TokenBucket, rng: fastrand::Rng) -> Self {
        Self {
            intervals,
            started: HashMap::new(),
            read_before: HashSet::new(),
            in_flight: HashSet::new(),
            failing: HashMap::new(),
            throttled: HashMap::new(),
            lanes: HashMap::new(),
            buckets: Buckets::new(bucket),
            spending: None,
            recipe: Recipe::AsSetUp,
            rng,
        }
    }

    /// Paced at AWS's published buckets for `region`, re-reads without a budget: for a
    /// reader that ends (`report`).
    pub fn full_rate(region: Option<&str>, codepipeline: Bucket) -> Self {
        let mut schedule = Self::new(
            Intervals::default(),
            TokenBucket::new(1, 1.0),
            fastrand::Rng::new(),
        );
        for quota in Quota::ALL {
            let aws = published(quota, region, codepipeline);
            let burst = ((aws.burst as f64 * BURST_SHARE).floor() as u32).max(1);
            schedule.set_lane(quota, TokenBucket::new(burst, aws.refill * REFILL_SHARE));
        }
        schedule.recipe = Recipe::FullRate(codepipeline);
        schedule
    }

    /// The dashboard's: its first picture at AWS's published rate, then within `budget`.
    pub fn dashboard(region: Option<&str>, budget: Budget) -> Self {
        let mut schedule = Self::full_rate(region, budget.codepipeline);
        for quota in Quota::ALL {
            let rate = budget.lane_rate(quota, region);
            schedule.lane(quota).budget = Some(TokenBucket::new(small_burst(rate), rate));
        }
        schedule.spending = Some(Spending {
            total: TokenBucket::new(small_burst(budget.total), budget.total),
            urgent: TokenBucket::new(small_burst(budget.total / 2.0), budget.total / 2.0),
        });
        schedule.recipe = Recipe::Dashboard(budget);
        schedule
    }

    /// The same schedule made afresh for `region` (the dashboard moved there): nothing
    /// read yet, every bucket full at that region's rates. The buckets stay the same
    /// shared ones, refilled, so the runner's later pages keep pacing by them.
    pub fn for_region(&self, region: Option<&str>) -> Self {
        let mut fresh = match self.recipe {
            Recipe::AsSetUp => Self::new(
                self.intervals.clone(),
                self.buckets.template(),
                fastrand::Rng::new(),
            ),
            Recipe::FullRate(codepipeline) => Self::full_rate(region, codepipeline),
            Recipe::Dashboard(budget) => Self::dashboard(region, budget),
        };
        fresh.intervals = self.intervals.clone();
        self.buckets.replace_with(&fresh.buckets);
        fresh.buckets = self.buckets.clone();
        fresh
    }

    pub fn set_lane(&mut self, quota: Quota, bucket: TokenBucket) {
        self.buckets.set(quota, bucket);
    }

    /// The buckets that pace this schedule's reads, to pace the later pages of a long
    /// listing with the same tokens.
    pub fn buckets(&self) -> Buckets {
        self.buckets.clone()
    }

    /// Requests per second all re-reads may take together, when budgeted.
    pub fn budget_rate(&self) -> Option<f64> {
        self.spending.as_ref().map(|s| s.total.rate())
    }

    fn lane(&mut self, quota: Quota) -> &mut Lane {
        self.lanes.entry(quota).or_default()
    }

    /// Given the reads wanted (urgent ones in the order they matter), returns those to
    /// start now.
    pub fn due(&mut self, now: Timestamp, wanted: &[Wish]) -> Vec<Read> {
        let mut first = Vec::new();
        let mut urgent = Vec::new();
        let mut sweep = Vec::new();
        for wish in wanted {
            let read = &wish.read;
            if self.in_flight.contains(read) {
                continue;
            }
            let last = self.started.get(read).copied();
            let is_due = last.is_none_or(|last| now.duration_since(last) >= wish.every);
            // However soon it is wanted, a failing read waits out its back-off.
            let backing_off = self.failing.get(read).is_some_and(|f| now < f.until);
            if !is_due || backing_off {
                continue;
            }
            if !self.read_before.contains(read) {
                first.push(read);
                continue;
            }
            // The longest overdue first; a throttled read (no start kept) before all.
            let deadline = last.map(|last| last + wish.every);
            match wish.urgency {
                Urgency::Urgent => urgent.push((deadline, read)),
                Urgency::Sweep => sweep.push((deadline, read)),
            }
        }
        let mut start = Vec::new();
        // Urgent re-reads first: they are few (half the budget at most), and what is on
        // screen must not wait for a fleet's first picture.
        urgent.sort_by_key(|(deadline, _)| *deadline);
        for (deadline, read) in urgent {
            if self.try_start(read, now, Spend::Urgent) {
                start.push(read.clone());
            } else {
                // Past its half of the budget, an urgent read waits with the sweep.
                sweep.push((deadline, read));
            }
        }
        // While anything wanted has never been read, nothing is swept twice.
        first.sort_by_key(|read| self.throttled.get(*read).copied().unwrap_or(0));
        let mut first_pending = false;
        for read in first {
            if self.try_start(read, now, Spend::None) {
                start.push(read.clone());
            } else {
                first_pending = true;
            }
        }
        if first_pending {
            return start;
        }
        sweep.sort_by_key(|(deadline, _)| *deadline);
        for (_, read) in sweep {
            if self.try_start(read, now, Spend::Sweep) {
                start.push(read.clone());
            }
        }
        start
    }

    /// Starts `read` if its lane, its budget and AWS's bucket allow it now.
    fn try_start(&mut self, read: &Read, now: Timestamp, spend: Spend) -> bool {
        let quota = read.quota();
        let budgeted = spend != Spend::None && self.spending.is_some();
        let lane = self.lane(quota);
        if lane.paused(now) || lane.in_flight >= LANE_IN_FLIGHT {
            return false;
        }
        if budgeted && !lane.budget.as_mut().is_none_or(|b| b.ready(now)) {
            return false;
        }
        if let Some(spending) = self.spending.as_mut().filter(|_| budgeted) {
            let urgent_ok = spend != Spend::Urgent || spending.urgent.ready(now);
            if !urgent_ok || !spending.total.ready(now) {
                return false;
            }
        }
        if !self.buckets.try_take(quota, now) {
            return false;
        }
        if budgeted {
            if let Some(bucket) = self.lane(quota).budget.as_mut() {
                bucket.take();
            }
            if let Some(spending) = self.spending.as_mut() {
                spending.total.take();
                if spend == Spend::Urgent {
                    spending.urgent.take();
                }
            }
        }
        self.mark_started(read, now);
        true
    }

    fn mark_started(&mut self, read: &Read, now: Timestamp) {
        self.started.insert(read.clone(), now);
        self.in_flight.insert(read.clone());
        self.lane(read.quota()).in_flight += 1;
    }

    /// Marks a read started outside `due` (a forced refresh), so it is not doubled.
    pub fn started_now(&mut self, read: &Read, now: Timestamp) -> bool {
        if self.in_flight.contains(read) {
            return false;
        }
        self.mark_started(read, now);
        true
    }

    /// Whether `read` has been answered at least once.
    pub fn was_read(&self, read: &Read) -> bool {
        self.read_before.contains(read)
    }

    /// Makes a read due at the next tick.
    pub fn expire(&mut self, read: &Read) {
        self.started.remove(read);
    }

    pub fn expire_all(&mut self) {
        // Ctrl-r: the person asks for everything now, failing reads included.
        self.failing.clear();
        self.started.clear();
        for lane in self.lanes.values_mut() {
            lane.paused_until = None;
        }
    }

    pub fn finished(&mut self, read: &Read, now: Timestamp, outcome: Outcome) {
        if self.in_flight.remove(read) {
            let lane = self.lane(read.quota());
            lane.in_flight = lane.in_flight.saturating_sub(1);
        }
        // A reply that was not started here (a test) is as fresh as one that was: it is
        // not due again until its interval has passed.
        self.started.entry(read.clone()).or_insert(now);
        match outcome {
            Outcome::Throttled => {
                // It did not happen: read it again as soon as the pause ends, not a
                // whole interval later.
                self.started.remove(read);
                *self.throttled.entry(read.clone()).or_default() += 1;
                let jitter = 0.5 + self.rng.f64() * 0.5;
                let quota = read.quota();
                let lane = self.lane(quota);
                // Requests that were in flight together are throttled together: one
                // burst is one strike, not one per request.
                if lane.paused(now) {
                    return;
                }
                lane.throttle_streak = (lane.throttle_streak + 1).min(6);
                self.buckets.slow_down(quota);
                let lane = self.lane(quota);
                // 1, 2, 4 … 32 s, each scaled by a random 50–100% so that many clients
                // backing off together do not come back together.
                let ceiling = 2f64.powi(lane.throttle_streak as i32 - 1);
                lane.paused_until = Some(now + SignedDuration::from_secs_f64(ceiling * jitter));
            }
            Outcome::Ok => {
                self.read_before.insert(read.clone());
                self.failing.remove(read);
                self.throttled.remove(read);
                let quota = read.quota();
                self.lane(quota).throttle_streak = 0;
                self.buckets.speed_up(quota);
            }
            Outcome::Failed => {
                self.read_before.insert(read.clone());
                let streak = self.failing.get(read).map_or(1, |f| (f.streak + 1).min(6));
                let jitter = 0.5 + self.rng.f64() * 0.5;
                let wait = (2f64.powi(streak as i32)).min(FAILING_CEILING_SECS) * jitter;
                self.failing.insert(
                    read.clone(),
                    Failing {
                        streak,
                        until: now + SignedDuration::from_secs_f64(wait),
                    },
                );
            }
        }
    }

    /// While any quota is throttled: when all reads run again.
    pub fn paused_until(&self, now: Timestamp) -> Option<Timestamp> {
        self.lanes
            .values()
            .filter_map(|lane| lane.paused_until)
            .filter(|until| *until > now)
            .max()
    }

    /// How many reads are on their way.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }
}

/// Which of the budget's buckets a start takes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spend {
    /// A first read: only AWS's bucket.
    None,
    Urgent,
    Sweep,
}

/// A budget bucket's burst: a few seconds of its rate, at least one request.
fn small_burst(rate: f64) -> u32 {
    ((rate * 3.0).ceil() as u32).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::PipelineRead;

    fn at(secs: f64) -> Timestamp {
        Timestamp::from_second(1_800_000_000).unwrap() + SignedDuration::from_secs_f64(secs)
    }

    fn state(name: &str) -> Read {
        Read::CodePipeline(PipelineRead::State(name.into()))
    }

    fn schedule(capacity: u32, rate: f64) -> Schedule {
        Schedule::new(
            Intervals::default(),
            TokenBucket::new(capacity, rate),
            fastrand::Rng::with_seed(7),
        )
    }

    #[test]
    fn reads_repeat_at_their_interval_and_never_overlap() {
        let mut schedule = schedule(100, 100.0);
        let wanted = vec![Wish::sweep(state("a"), SignedDuration::from_secs(10))];
        assert_eq!(schedule.due(at(0.0), &wanted), vec![state("a")]);
        // Still in flight: not started again.
        assert!(schedule.due(at(20.0), &wanted).is_empty());
        schedule.finished(&state("a"), at(1.0), Outcome::Ok);
        assert!(schedule.due(at(5.0), &wanted).is_empty());
        assert_eq!(schedule.due(at(10.0), &wanted), vec![state("a")]);
    }

    #[test]
    fn bucket_paces_a_burst() {
        let mut schedule = schedule(3, 1.0);
        let wanted: Vec<_> = (0..10)
            .map(|i| Wish::sweep(state(&format!("p{i}")), SignedDuration::from_secs(60)))
            .collect();
        let started = schedule.due(at(0.0), &wanted);
        assert_eq!(started.len(), 3);
        for read in &started {
            schedule.finished(read, at(0.1), Outcome::Ok);
        }
        assert_eq!(schedule.due(at(0.5), &wanted).len(), 0);
        assert_eq!(schedule.due(at(2.0), &wanted).len(), 2);
    }

    #[test]
    fn throttling_pauses_with_growing_jittered_backoff() {
        let mut schedule = schedule(100, 100.0);
        let wanted = vec![Wish::sweep(state("a"), SignedDuration::from_secs(1))];
        schedule.due(at(0.0), &wanted);
        schedule.finished(&state("a"), at(0.0), Outcome::Throttled);
        let first = schedule
            .paused_until(at(0.0))
            .unwrap()
            .duration_since(at(0.0));
        let (half, one, two) = (
            SignedDuration::from_millis(500),
            SignedDuration::from_secs(1),
            SignedDuration::from_secs(2),
        );
        assert!(first >= half && first <= one, "{first:?}");
        assert!(schedule.due(at(0.4), &wanted).is_empty());
        schedule.due(at(3.0), &wanted);
        schedule.finished(&state("a"), at(3.0), Outcome::Throttled);
        let second = schedule
            .paused_until(at(3.0))
            .unwrap()
            .duration_since(at(3.0));
        assert!(second >= one && second <= two, "{second:?}");
        // The throttled read is retried once the pause is over, not a whole interval later.
        let resume = schedule.paused_until(at(3.0)).unwrap();
        let after = resume.duration_since(at(0.0)).as_secs_f64() + 0.1;
        assert_eq!(
            schedule.due(
                at(after),
                &[Wish::sweep(state("a"), SignedDuration::from_mins(10))]
            ),
            vec![state("a")]
        );
        schedule.finished(&state("a"), at(after), Outcome::Ok);
        // Success resets the streak.
        schedule.due(at(10.0), &wanted);
        schedule.finished(&state("a"), at(10.0), Outcome::Ok);
        assert!(schedule.paused_until(at(10.0)).is_none());
    }

    #[test]
    fn a_burst_throttled_together_is_one_strike() {
        let mut schedule = schedule(100, 100.0);
        let wanted: Vec<_> = (0..8)
            .map(|i| Wish::sweep(state(&format!("p{i}")), SignedDuration::from_secs(60)))
            .collect();
        let started = schedule.due(at(0.0), &wanted);
        for read in &started {
            schedule.finished(read, at(0.1), Outcome::Throttled);
        }
        let pause = schedule
            .paused_until(at(0.1))
            .unwrap()
            .duration_since(at(0.1));
        assert!(pause <= SignedDuration::from_secs(2), "{pause:?}");
    }

    #[test]
    fn a_read_that_keeps_failing_backs_off_instead_of_looping() {
        let mut schedule = schedule(1000, 1000.0);
        // Wanted as soon as possible, every tick: as an unread execution on screen is.
        let wanted = vec![Wish::urgent(state("a"), SignedDuration::ZERO)];
        let mut starts = 0;
        let mut t = 0.0;
        while t < 30.0 {
            for read in schedule.due(at(t), &wanted) {
                starts += 1;
                schedule.finished(&read, at(t + 0.05), Outcome::Failed);
            }
            t += 0.1;
        }
        // 2, 4, 8, 16 s (each 50-100%): a handful of tries in 30 s, not hundreds.
        assert!((3..=8).contains(&starts), "{starts} starts in 30 s");
        // Once it works again, it is read at its own pace.
        let mut t = 100.0;
        let read = loop {
            if let Some(read) = schedule.due(at(t), &wanted).pop() {
                break read;
            }
            t += 0.1;
        };
        schedule.finished(&read, at(t), Outcome::Ok);
        assert_eq!(schedule.due(at(t + 0.1), &wanted), vec![state("a")]);
    }

    #[test]
    fn forced_refresh_is_not_doubled() {
        let mut schedule = schedule(100, 100.0);
        assert!(schedule.started_now(&state("a"), at(0.0)));
        assert!(!schedule.started_now(&state("a"), at(0.1)));
        assert!(
            schedule
                .due(at(0.2), &[Wish::urgent(state("a"), SignedDuration::ZERO)])
                .is_empty()
        );
    }
}

#[cfg(test)]
mod fairness_tests;
