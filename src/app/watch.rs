//! Following a write until AWS shows its effect has ended.
//!
//! GetPipelineState and DescribeExecution are eventually consistent: a read a second
//! after a retry may still show the stage as it was before it. So a write is followed
//! until the data shows its effect, not just until the next read: it was seen running,
//! or it left a mark (an action changed after it was sent, the redrive count moved), and
//! has stopped. A write whose answer was lost is settled the same way, or, when a while
//! of fresh reads shows no sign of it, taken as not applied.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use crate::aws::AwsError;
use crate::eligibility::OwnWrite;

/// Reads in the first seconds after an answer may predate the write: an ended effect
/// counts only after this long.
const GRACE: SignedDuration = SignedDuration::from_secs(8);
/// An accepted write never seen in the data: stop following and say so.
const NEVER_SHOWN: SignedDuration = SignedDuration::from_mins(2);
/// A write whose answer was lost and of which fresh reads show no sign this long after:
/// most likely not applied.
const NO_SIGN: SignedDuration = SignedDuration::from_secs(20);
/// Nothing is followed for longer than this.
const LIMIT: SignedDuration = SignedDuration::from_mins(60);

/// The CodePipeline retries this dashboard sent, by (pipeline, stage): on their way, or
/// followed until AWS shows they ended. While here, the stage cannot be retried again.
#[derive(Debug, Clone, Default)]
pub struct RetryTracking {
    pub watches: BTreeMap<(String, String), Watch>,
}

/// The Step Functions redrives this dashboard sent, by execution ARN, likewise.
#[derive(Debug, Clone, Default)]
pub struct RedriveTracking {
    pub watches: BTreeMap<String, Watch>,
    /// Redrives that never got an answer (from the audit log, or a dropped connection),
    /// by execution ARN: their client token, and when it was sent. Reused within 15
    /// minutes, so that AWS does not redrive twice.
    pub unanswered: BTreeMap<String, (String, Timestamp)>,
}

/// One write sent to one target, from the moment it was sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Watch {
    pub sent: Timestamp,
    pub state: OwnWrite,
    /// The target was seen running since the answer.
    pub seen_running: bool,
    /// A count the write moves (the redrive count before it), when there is one.
    pub baseline: Option<i32>,
}

/// What one fresh read of the target shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observed {
    pub running: bool,
    /// The write's mark is visible: activity after `sent`, or a count that moved.
    pub marked: bool,
}

/// How following ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// It ran (or left its mark) and has stopped.
    Ended,
    /// AWS accepted it, but no read ever showed it.
    NeverShown,
    /// The answer was lost and AWS shows no sign of it: most likely not applied.
    NoSign,
    /// Followed for an hour: no longer.
    TooLong,
}

impl Watch {
    pub fn sent(at: Timestamp) -> Self {
        Self {
            sent: at,
            state: OwnWrite::OnItsWay,
            seen_running: false,
            baseline: None,
        }
    }

    /// AWS answered (`accepted`), or the answer was lost, at `at`.
    pub fn answered(&mut self, accepted: bool, at: Timestamp) {
        self.state = if accepted {
            OwnWrite::Following { at }
        } else {
            OwnWrite::Unanswered { at }
        };
    }

    /// Folds in a fresh read made at `now`; says how following ended, if it did.
    pub fn observe(&mut self, seen: Observed, now: Timestamp) -> Option<Settled> {
        let (answered, lost) = match self.state {
            OwnWrite::OnItsWay => return None,
            OwnWrite::Following { at } => (at, false),
            OwnWrite::Unanswered { at } => (at, true),
        };
        let age = now.duration_since(answered);
        if age > LIMIT {
            return Some(Settled::TooLong);
        }
        if seen.running {
            self.seen_running = true;
            return None;
        }
        if (self.seen_running || seen.marked) && age >= GRACE {
            return Some(Settled::Ended);
        }
        if self.seen_running || seen.marked {
            return None;
        }
        match lost {
            true if age >= NO_SIGN => Some(Settled::NoSign),
            false if age >= NEVER_SHOWN => Some(Settled::NeverShown),
            _ => None,
        }
    }
}

/// Folds AWS's answer to the write followed under `key`: a refusal means nothing
/// happened, so there is nothing to follow; an acceptance, or no answer, is followed.
pub fn answer<K: Ord, T>(
    watches: &mut BTreeMap<K, Watch>,
    key: &K,
    result: &Result<T, AwsError>,
    now: Timestamp,
) {
    match result {
        Err(error) if !error.may_have_arrived => {
            watches.remove(key);
        }
        _ => {
            if let Some(watch) = watches.get_mut(key) {
                watch.answered(result.is_ok(), now);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_900_000_000 + secs).unwrap()
    }

    const IDLE: Observed = Observed {
        running: false,
        marked: false,
    };
    const RUNNING: Observed = Observed {
        running: true,
        marked: true,
    };
    const DONE: Observed = Observed {
        running: false,
        marked: true,
    };

    #[test]
    fn stale_reads_after_an_answer_do_not_end_it() {
        let mut watch = Watch::sent(at(0));
        assert_eq!(watch.observe(IDLE, at(1)), None, "not answered yet");
        watch.answered(true, at(1));
        // The endpoint still shows the old failure for a while.
        for t in 2..60 {
            assert_eq!(watch.observe(IDLE, at(t)), None);
        }
        assert_eq!(watch.observe(RUNNING, at(61)), None);
        assert_eq!(watch.observe(DONE, at(90)), Some(Settled::Ended));
    }

    #[test]
    fn a_mark_without_a_running_read_ends_it_after_the_grace() {
        let mut watch = Watch::sent(at(0));
        watch.answered(true, at(0));
        assert_eq!(watch.observe(DONE, at(3)), None);
        assert_eq!(watch.observe(DONE, at(9)), Some(Settled::Ended));
    }

    #[test]
    fn accepted_but_never_shown_gives_up_after_two_minutes() {
        let mut watch = Watch::sent(at(0));
        watch.answered(true, at(0));
        assert_eq!(watch.observe(IDLE, at(119)), None);
        assert_eq!(watch.observe(IDLE, at(121)), Some(Settled::NeverShown));
    }

    #[test]
    fn a_lost_answer_settles_on_a_sign_or_on_none() {
        let mut lost = Watch::sent(at(0));
        lost.answered(false, at(5));
        assert_eq!(lost.observe(IDLE, at(10)), None);
        assert_eq!(lost.observe(IDLE, at(26)), Some(Settled::NoSign));
        let mut applied = Watch::sent(at(0));
        applied.answered(false, at(5));
        assert_eq!(applied.observe(RUNNING, at(7)), None);
        assert_eq!(applied.observe(IDLE, at(30)), Some(Settled::Ended));
    }
}
