//! Every dataset on screen knows how fresh it is.

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, PartialEq)]
pub enum Freshness {
    /// Never loaded yet.
    Loading,
    Loaded {
        at: Timestamp,
    },
    /// The last attempt failed; `last_good` is when the data we still show was loaded.
    Failed {
        error: String,
        at: Timestamp,
        last_good: Option<Timestamp>,
    },
}

/// A piece of remote data plus what we know about its age.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracked<T> {
    pub data: Option<T>,
    pub freshness: Freshness,
}

impl<T> Default for Tracked<T> {
    fn default() -> Self {
        Self {
            data: None,
            freshness: Freshness::Loading,
        }
    }
}

impl<T> Tracked<T> {
    pub fn loaded(data: T, at: Timestamp) -> Self {
        Self {
            data: Some(data),
            freshness: Freshness::Loaded { at },
        }
    }

    pub fn succeed(&mut self, data: T, at: Timestamp) {
        self.data = Some(data);
        self.freshness = Freshness::Loaded { at };
    }

    /// Keeps the last good data on screen and remembers when it was good.
    pub fn fail(&mut self, error: String, at: Timestamp) {
        let last_good = self.loaded_at();
        self.freshness = Freshness::Failed {
            error,
            at,
            last_good,
        };
    }

    /// When the data we hold was fetched.
    pub fn loaded_at(&self) -> Option<Timestamp> {
        match &self.freshness {
            Freshness::Loading => None,
            Freshness::Loaded { at } => Some(*at),
            Freshness::Failed { last_good, .. } => *last_good,
        }
    }

    pub fn error(&self) -> Option<&str> {
        match &self.freshness {
            Freshness::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Stale: the last refresh failed, or the data is older than `max_age`.
    pub fn is_stale(&self, now: Timestamp, max_age: SignedDuration) -> bool {
        match &self.freshness {
            Freshness::Loading => false,
            Freshness::Failed { .. } => true,
            Freshness::Loaded { at } => now.duration_since(*at) > max_age,
        }
    }
}

/// "just now", "40s ago", "12m ago", "3h ago", "5d ago": short enough for a table cell.
/// Seconds move in steps of ten, so that an idle screen changes a few times a minute, not
/// every second (every change is bytes down a slow link).
pub fn ago(now: Timestamp, then: Timestamp) -> String {
    let secs = now.duration_since(then).as_secs();
    if secs < 0 {
        return "just now".to_string();
    }
    match secs {
        0..=9 => "just now".to_string(),
        10..=59 => format!("{}s ago", secs / 10 * 10),
        60..=3599 => format!("{}m ago", secs / 60),
        3600..=86_399 => format!("{}h ago", secs / 3600),
        _ => format!("{}d ago", secs / 86_400),
    }
}

/// A span of time in the same words, for "within 2m05s": minutes and seconds below an
/// hour, hours and minutes above.
pub fn span(duration: SignedDuration) -> String {
    let secs = duration.as_secs().max(0);
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, secs % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).unwrap()
    }

    #[test]
    fn failure_keeps_last_good_data_and_its_time() {
        let mut tracked = Tracked::loaded(7, at(0));
        tracked.fail("throttled".into(), at(30));
        assert_eq!(tracked.data, Some(7));
        assert_eq!(tracked.loaded_at(), Some(at(0)));
        assert_eq!(tracked.error(), Some("throttled"));
        assert!(tracked.is_stale(at(31), SignedDuration::from_secs(600)));
    }

    #[test]
    fn old_data_is_stale() {
        let tracked = Tracked::loaded(1, at(0));
        assert!(!tracked.is_stale(at(50), SignedDuration::from_secs(60)));
        assert!(tracked.is_stale(at(61), SignedDuration::from_secs(60)));
    }

    #[test]
    fn ago_is_short() {
        assert_eq!(ago(at(3), at(0)), "just now");
        assert_eq!(ago(at(40), at(0)), "40s ago");
        // Seconds in steps of ten: the screen does not change every second.
        assert_eq!(ago(at(47), at(0)), "40s ago");
        assert_eq!(ago(at(12 * 60 + 5), at(0)), "12m ago");
        assert_eq!(ago(at(3 * 3600), at(0)), "3h ago");
        assert_eq!(ago(at(2 * 86_400), at(0)), "2d ago");
        assert_eq!(ago(at(0), at(10)), "just now");
    }

    #[test]
    fn spans_read_as_minutes_and_seconds() {
        assert_eq!(span(SignedDuration::from_secs(45)), "45s");
        assert_eq!(span(SignedDuration::from_secs(100)), "1m40s");
        assert_eq!(span(SignedDuration::from_secs(2 * 3600 + 5 * 60)), "2h05m");
    }
}
