//! CloudWatch Logs' reads, and the replies that answer them. Logs are read only when a
//! person opens them, never in the sweep.

use super::Quota;
use crate::model::{LogLines, LogSource};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogsRead {
    /// A stream's newest lines (GetLogEvents), or one invocation's (FilterLogEvents).
    Lines(LogSource),
}

impl LogsRead {
    pub fn describe(&self) -> String {
        match self {
            Self::Lines(source) => format!("Log {}", source.describe()),
        }
    }

    pub fn operation(&self) -> (&'static str, Option<String>) {
        match self {
            Self::Lines(source @ LogSource::Stream { .. }) => {
                ("GetLogEvents", Some(source.describe()))
            }
            Self::Lines(source @ LogSource::Invocation { .. }) => {
                ("FilterLogEvents", Some(source.describe()))
            }
        }
    }

    pub fn quota(&self) -> Quota {
        match self {
            Self::Lines(LogSource::Stream { .. }) => Quota::GetLogEvents,
            Self::Lines(LogSource::Invocation { .. }) => Quota::FilterLogEvents,
        }
    }
}

#[derive(Debug, Clone)]
pub enum LogsReply {
    Lines { source: LogSource, lines: LogLines },
}

impl LogsReply {
    pub fn read(&self) -> LogsRead {
        match self {
            Self::Lines { source, .. } => LogsRead::Lines(source.clone()),
        }
    }

    pub fn cut(&self) -> Option<&str> {
        match self {
            Self::Lines { lines, .. } => lines.cut.as_deref(),
        }
    }
}
