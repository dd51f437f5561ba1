//! Status words as AWS spells them, and how each one should look.
//!
//! Every status carries a word, a glyph and a tone, so the screen never relies on
//! colour alone (NO_COLOR users and colour-blind users see the same facts).

use serde::Serialize;

/// What a status means to the person on call; the theme maps each tone to a style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Failed,
    Running,
    Good,
    Muted,
    Warning,
}

/// What every status word can tell the screen.
pub trait StatusLook {
    fn word(&self) -> &str;
    fn glyph(&self) -> &'static str;
    fn tone(&self) -> Tone;
}

/// What a status reads when AWS left it out of a reply (the SDK then hands over an
/// empty word): shown as such, never taken for a known state.
pub const NO_STATUS: &str = "no status";

/// The word the SDK puts in a required status that a reply left out, rather than fail
/// the whole reply.
const SDK_FILLED_IN: &str = "no value was set";

macro_rules! aws_status {
    ($(#[$doc:meta])* $name:ident { $($variant:ident $word:literal => $glyph:literal, $tone:ident;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        pub enum $name {
            $($variant,)*
            /// A value this build does not know; shown as AWS sent it.
            Other(String),
        }

        impl $name {
            /// Every known status: its glyph and word (the help's legend is checked
            /// against these).
            pub const LOOKS: &[(&'static str, &'static str)] = &[$(($glyph, $word),)*];

            pub fn parse(word: &str) -> Self {
                match word {
                    $($word => Self::$variant,)*
                    "" | SDK_FILLED_IN => Self::Other(NO_STATUS.to_string()),
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl StatusLook for $name {
            fn word(&self) -> &str {
                match self {
                    $(Self::$variant => $word,)*
                    Self::Other(word) => word,
                }
            }

            fn glyph(&self) -> &'static str {
                match self {
                    $(Self::$variant => $glyph,)*
                    Self::Other(_) => "?",
                }
            }

            fn tone(&self) -> Tone {
                match self {
                    $(Self::$variant => Tone::$tone,)*
                    Self::Other(_) => Tone::Warning,
                }
            }
        }
    };
}

aws_status!(
    /// `StageExecutionStatus`.
    StageStatus {
        Failed "Failed" => "✗", Failed;
        InProgress "InProgress" => "◔", Running;
        Stopping "Stopping" => "◔", Running;
        Succeeded "Succeeded" => "✓", Good;
        Stopped "Stopped" => "■", Warning;
        Cancelled "Cancelled" => "■", Muted;
        Skipped "Skipped" => "↷", Muted;
    }
);

aws_status!(
    /// `ActionExecutionStatus`.
    ActionStatus {
        Failed "Failed" => "✗", Failed;
        InProgress "InProgress" => "◔", Running;
        Succeeded "Succeeded" => "✓", Good;
        Abandoned "Abandoned" => "⊘", Muted;
    }
);

aws_status!(
    /// `PipelineExecutionStatus`.
    PipelineExecutionStatus {
        Failed "Failed" => "✗", Failed;
        InProgress "InProgress" => "◔", Running;
        Stopping "Stopping" => "◔", Running;
        Succeeded "Succeeded" => "✓", Good;
        Stopped "Stopped" => "■", Warning;
        Superseded "Superseded" => "↷", Muted;
        Cancelled "Cancelled" => "■", Muted;
    }
);

aws_status!(
    /// Step Functions `ExecutionStatus`.
    ExecutionStatus {
        Failed "FAILED" => "✗", Failed;
        TimedOut "TIMED_OUT" => "⏱", Failed;
        Aborted "ABORTED" => "■", Warning;
        Running "RUNNING" => "◔", Running;
        PendingRedrive "PENDING_REDRIVE" => "◔", Running;
        Succeeded "SUCCEEDED" => "✓", Good;
    }
);

aws_status!(
    /// Step Functions `ExecutionRedriveStatus`.
    RedriveStatus {
        Redrivable "REDRIVABLE" => "↻", Good;
        NotRedrivable "NOT_REDRIVABLE" => "⊘", Warning;
        RedrivableByMapRun "REDRIVABLE_BY_MAP_RUN" => "↻", Muted;
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_words_survive_round_trip() {
        let status = StageStatus::parse("Paused");
        assert_eq!(status.word(), "Paused");
        assert_eq!(status.tone(), Tone::Warning);
        assert_eq!(StageStatus::parse("Failed"), StageStatus::Failed);
        assert_eq!(ExecutionStatus::parse("").word(), NO_STATUS);
        assert_eq!(ExecutionStatus::parse(SDK_FILLED_IN).word(), NO_STATUS);
    }
}
