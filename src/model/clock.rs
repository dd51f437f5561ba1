//! How a time is shown: as an age ("6m ago"), or as the time itself in the person's
//! zone or in UTC. An age is what tells at a glance; the time is what an incident
//! channel asks for ("when exactly did it fail?").

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::ago;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeDisplay {
    #[default]
    Relative,
    Local,
    Utc,
}

impl TimeDisplay {
    /// The next one, for the key that switches them.
    pub fn next(self) -> Self {
        match self {
            Self::Relative => Self::Local,
            Self::Local => Self::Utc,
            Self::Utc => Self::Relative,
        }
    }

    /// How the header says it, when not relative: "times UTC", "times local (CET)".
    pub fn label(self, now: Timestamp) -> Option<String> {
        match self {
            Self::Relative => None,
            Self::Utc => Some("times UTC".into()),
            Self::Local => Some(format!(
                "times local ({})",
                now.to_zoned(TimeZone::system()).strftime("%Z")
            )),
        }
    }

    fn zone(self) -> TimeZone {
        match self {
            Self::Local => TimeZone::system(),
            _ => TimeZone::UTC,
        }
    }

    /// `at`, short enough for a table cell: an age, the time of day when it is today in
    /// the zone shown, or the day ("Nov 05") when it is not.
    pub fn short(self, now: Timestamp, at: Timestamp) -> String {
        if self == Self::Relative {
            return ago(now, at);
        }
        let zone = self.zone();
        let (then, today) = (at.to_zoned(zone.clone()), now.to_zoned(zone));
        if then.date() == today.date() {
            then.strftime("%H:%M:%S").to_string()
        } else {
            then.strftime("%b %d").to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_display_says_the_same_time() {
        let now: Timestamp = "2026-11-21T03:10:00Z".parse().unwrap();
        let today: Timestamp = "2026-11-21T02:54:12Z".parse().unwrap();
        let earlier: Timestamp = "2026-11-05T19:58:07Z".parse().unwrap();
        assert_eq!(TimeDisplay::Relative.short(now, today), "15m ago");
        assert_eq!(TimeDisplay::Utc.short(now, today), "02:54:12");
        assert_eq!(TimeDisplay::Utc.short(now, earlier), "Nov 05");
        assert_eq!(TimeDisplay::Utc.label(now).as_deref(), Some("times UTC"));
        assert_eq!(TimeDisplay::Relative.label(now), None);
        assert_eq!(
            TimeDisplay::Relative.next().next().next(),
            TimeDisplay::Relative
        );
    }
}
