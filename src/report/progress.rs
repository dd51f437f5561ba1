//! The report's progress on stderr while it reads: reads done out of those known, as a
//! bar. Only on a terminal: piped or redirected, stderr stays quiet and stdout (the
//! table or the JSON) is never touched.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Progress;

/// A bar on stderr when stderr is a terminal, hidden otherwise.
pub fn bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("reading {bar:30} {pos}/{len} reads {elapsed}")
        .map(|style| style.progress_chars("█▌ "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Moves `bar` to `progress` (the total grows as replies name more to read).
pub fn show(bar: &ProgressBar, progress: Progress) {
    bar.set_length(progress.total as u64);
    bar.set_position(progress.done as u64);
}
