//! Decides which reads to start, and when. Pure: it is handed the time and the wish list,
//! and hands back the reads to start now. The runner does the I/O.
//!
//! Three brakes keep us inside AWS's quotas on an account with hundreds of pipelines:
//! a read is never in flight twice, a token bucket paces request starts, and throttling
//! pauses every read with an exponential, jittered backoff.

use std::collections::{HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};

use crate::action::{Quota, Read};

mod bucket;

pub use bucket::{Buckets, TokenBucket};

/// How often each kind of read repeats.
#[derive(Debug, Clone)]
pub struct Intervals {
    pub pipeline_list: SignedDuration,
    /// The pipeline on screen.
    pub focused: SignedDuration,
    /// After a retry, until the stage finishes.
    pub following: SignedDuration,
    /// Failed or running pipelines.
    pub active: SignedDuration,
    /// Everything else.
    pub idle: SignedDuration,
    pub structure: SignedDuration,
    pub history: SignedDuration,
    /// Step Functions executions lists.
    pub executions: SignedDuration,
}

impl Default for Intervals {
    fn default() -> Self {
        Self {
            pipeline_list: SignedDuration::from_mins(5),
            focused: SignedDuration::from_secs(5),
            following: SignedDuration::from_secs(2),
            active: SignedDuration::from_secs(20),
            idle: SignedDuration::from_secs(90),
            structure: SignedDuration::from_mins(5),
            history: SignedDuration::from_secs(30),
            executions: SignedDuration::from_secs(60),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Throttled,
    Failed,
}

/// One of AWS's rate limits, as this client sees it: its backoff (its pace is its
/// bucket in `Buckets`, shared with the pages of long listings).
#[derive(Debug, Clone, Default)]
struct Lane {
    throttle_streak: u32,
    paused_until: Option<Timestamp>,
}

impl Lane {
    fn paused(&self, now: Timestamp) -> bool {
        self.paused_until.is_some_and(|until| now < until)
    }
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

#[derive(Debug)]
pub struct Schedule {
    pub intervals: Intervals,
    started: HashMap<Read, Timestamp>,
    in_flight: HashSet<Read>,
    failing: HashMap<Read, Failing>,
    lanes: HashMap<Quota, Lane>,
    buckets: Buckets,
    rng: fastrand::Rng,
}

impl Default for Schedule {
    fn default() -> Self {
        // AWS publishes no CodePipeline read rate; reports put it near 5–10 req/s per
        // account and region (AWS.md). Start at 8 and let throttling lower it.
        let mut schedule = Self::new(
            Intervals::default(),
            TokenBucket::new(16, 8.0),
            fastrand::Rng::new(),
        );
        // Step Functions publishes its buckets; outside its three largest regions
        // ListExecutions refills at 2 per second, and the quota is the account's.
        schedule.set_lane(Quota::ListExecutions, TokenBucket::new(10, 2.0));
        schedule.set_lane(Quota::StepFunctions, TokenBucket::new(20, 10.0));
        schedule
    }
}

impl Schedule {
    /// Every quota starts with a copy of `bucket`.
    pub fn new(intervals: Intervals, bucket: TokenBucket, rng: fastrand::Rng) -> Self {
        Self {
            intervals,
            started: HashMap::new(),
            in_flight: HashSet::new(),
            failing: HashMap::new(),
            lanes: HashMap::new(),
            buckets: Buckets::new(bucket),
            rng,
        }
    }

    pub fn set_lane(&mut self, quota: Quota, bucket: TokenBucket) {
        self.buckets.set(quota, bucket);
    }

    /// The buckets that pace this schedule's reads, to pace the later pages of a long
    /// listing with the same tokens.
    pub fn buckets(&self) -> Buckets {
        self.buckets.clone()
    }

    fn lane(&mut self, quota: Quota) -> &mut Lane {
        self.lanes.entry(quota).or_default()
    }

    /// Given the reads wanted, most urgent first, each with how often it should repeat,
    /// returns those to start now.
    pub fn due(&mut self, now: Timestamp, wanted: &[(Read, SignedDuration)]) -> Vec<Read> {
        let mut start = Vec::new();
        for (read, every) in wanted {
            if self.in_flight.contains(read) {
                continue;
            }
            let is_due = self
                .started
                .get(read)
                .is_none_or(|last| now.duration_since(*last) >= *every);
            // However soon it is wanted, a failing read waits out its back-off.
            let backing_off = self.failing.get(read).is_some_and(|f| now < f.until);
            if !is_due || backing_off {
                continue;
            }
            let quota = read.quota();
            if self.lane(quota).paused(now) || !self.buckets.try_take(quota, now) {
                continue;
            }
            self.started.insert(read.clone(), now);
            self.in_flight.insert(read.clone());
            start.push(read.clone());
        }
        start
    }

    /// Marks a read started outside `due` (a forced refresh), so it is not doubled.
    pub fn started_now(&mut self, read: &Read, now: Timestamp) -> bool {
        if !self.in_flight.insert(read.clone()) {
            return false;
        }
        self.started.insert(read.clone(), now);
        true
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
        self.in_flight.remove(read);
        // A reply that was not started here (the report, a test) is as fresh as one
        // that was: it is not due again until its interval has passed.
        self.started.entry(read.clone()).or_insert(now);
        match outcome {
            Outcome::Throttled => {
                // It did not happen: read it again as soon as the pause ends, not a
                // whole interval later.
                self.started.remove(read);
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
                // 2, 4, 8 … 64 s, each scaled by a random 50–100% so that many clients
                // backing off together do not come back together.
                let ceiling = 2f64.powi(lane.throttle_streak as i32);
                lane.paused_until = Some(now + SignedDuration::from_secs_f64(ceiling * jitter));
            }
            Outcome::Ok => {
                self.failing.remove(read);
                let quota = read.quota();
                self.lane(quota).throttle_streak = 0;
                self.buckets.speed_up(quota);
            }
            Outcome::Failed => {
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
        let wanted = vec![(state("a"), SignedDuration::from_secs(10))];
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
            .map(|i| (state(&format!("p{i}")), SignedDuration::from_secs(60)))
            .collect();
        assert_eq!(schedule.due(at(0.0), &wanted).len(), 3);
        assert_eq!(schedule.due(at(0.5), &wanted).len(), 0);
        assert_eq!(schedule.due(at(2.0), &wanted).len(), 2);
    }

    #[test]
    fn throttling_pauses_with_growing_jittered_backoff() {
        let mut schedule = schedule(100, 100.0);
        let wanted = vec![(state("a"), SignedDuration::from_secs(1))];
        schedule.due(at(0.0), &wanted);
        schedule.finished(&state("a"), at(0.0), Outcome::Throttled);
        let first = schedule
            .paused_until(at(0.0))
            .unwrap()
            .duration_since(at(0.0));
        assert!(first >= SignedDuration::from_secs(1) && first <= SignedDuration::from_secs(2));
        assert!(schedule.due(at(0.9), &wanted).is_empty());
        schedule.due(at(3.0), &wanted);
        schedule.finished(&state("a"), at(3.0), Outcome::Throttled);
        let second = schedule
            .paused_until(at(3.0))
            .unwrap()
            .duration_since(at(3.0));
        assert!(second >= SignedDuration::from_secs(2) && second <= SignedDuration::from_secs(4));
        // The throttled read is retried once the pause is over, not a whole interval later.
        let resume = schedule.paused_until(at(3.0)).unwrap();
        let after = resume.duration_since(at(0.0)).as_secs_f64() + 0.1;
        assert_eq!(
            schedule.due(at(after), &[(state("a"), SignedDuration::from_mins(10))]),
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
            .map(|i| (state(&format!("p{i}")), SignedDuration::from_secs(60)))
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
        let wanted = vec![(state("a"), SignedDuration::ZERO)];
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
                .due(at(0.2), &[(state("a"), SignedDuration::ZERO)])
                .is_empty()
        );
    }
}
