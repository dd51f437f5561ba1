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

macro_rules! aws_status {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $glyph:literal, $tone:ident;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
        pub enum $name {
            $($variant,)*
            /// A value this build does not know; shown as AWS sent it.
            Other(String),
        }

        impl $name {
            pub fn parse(word: &str) -> Self {
                match word {
                    $(stringify!($variant) => Self::$variant,)*
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl StatusLook for $name {
            fn word(&self) -> &str {
                match self {
                    $(Self::$variant => stringify!($variant),)*
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
        Failed => "✗", Failed;
        InProgress => "◔", Running;
        Stopping => "◔", Running;
        Succeeded => "✓", Good;
        Stopped => "■", Warning;
        Cancelled => "■", Muted;
        Skipped => "↷", Muted;
    }
);

aws_status!(
    /// `ActionExecutionStatus`.
    ActionStatus {
        Failed => "✗", Failed;
        InProgress => "◔", Running;
        Succeeded => "✓", Good;
        Abandoned => "⊘", Muted;
    }
);

aws_status!(
    /// `PipelineExecutionStatus`.
    PipelineExecutionStatus {
        Failed => "✗", Failed;
        InProgress => "◔", Running;
        Stopping => "◔", Running;
        Succeeded => "✓", Good;
        Stopped => "■", Warning;
        Superseded => "↷", Muted;
        Cancelled => "■", Muted;
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
    }
}
