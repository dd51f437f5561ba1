//! The full-screen reader over a log or an execution's whole history: a cursor, a page,
//! search as you type with next and previous match, the next error line, and following a
//! running build's log. Rows are counted from the model each time, so lines that arrive
//! while it is open are there at once.

use super::why::Ran;
use super::*;
use crate::model::logs::is_error_line;
use crate::model::timeline::{Mark, Timeline, search, timeline};
use crate::model::{LogLine, LogSource};

/// What a reader shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// A CodeBuild build's log: its stream is known once the build was read.
    BuildLog { build: String },
    /// A Lambda invocation's lines.
    LambdaLog {
        source: LogSource,
        execution: String,
    },
    /// An execution's whole history.
    History { execution: String },
}

#[derive(Debug, Clone)]
pub struct Reader {
    pub reading: Reading,
    /// The row the cursor is on, and the first row shown.
    pub cursor: usize,
    pub top: usize,
    pub search: String,
    pub searching: bool,
    pub matches: Vec<usize>,
    /// Keep the cursor on the newest line as a running build writes more.
    pub follow: bool,
    /// The history's timeline, built when its history is read (or read again).
    pub timeline: Option<Timeline>,
    /// Rows counted when the reader last looked: new ones move a following cursor.
    seen_rows: usize,
    /// When the history the timeline was built from was read: rebuilt only when it changes.
    timeline_of: Option<Timestamp>,
}

impl Reader {
    pub fn new(reading: Reading) -> Self {
        let follow = matches!(reading, Reading::BuildLog { .. });
        Self {
            reading,
            cursor: 0,
            top: 0,
            search: String::new(),
            searching: false,
            matches: Vec::new(),
            follow,
            timeline: None,
            seen_rows: 0,
            timeline_of: None,
        }
    }
}

impl App {
    /// The log source the reader shows, once it is known.
    pub fn reader_source(&self) -> Option<LogSource> {
        match &self.ui.reader.as_ref()?.reading {
            Reading::BuildLog { build } => self.build_log_source(build),
            Reading::LambdaLog { source, .. } => Some(source.clone()),
            Reading::History { .. } => None,
        }
    }

    /// The lines of the log the reader shows, when read.
    pub fn reader_lines(&self) -> &[LogLine] {
        self.reader_source()
            .and_then(|source| self.model.logs.lines(&source))
            .map(|lines| lines.lines.as_slice())
            .unwrap_or_default()
    }

    pub fn reader_rows(&self) -> usize {
        match self.ui.reader.as_ref() {
            Some(Reader {
                reading: Reading::History { .. },
                timeline,
                ..
            }) => timeline.as_ref().map_or(0, |t| t.rows.len()),
            Some(_) => self.reader_lines().len(),
            None => 0,
        }
    }

    /// Rows a page of the reader shows: the screen less its frame, header and footer.
    pub fn reader_page(&self) -> usize {
        usize::from(self.ui.screen_rows.saturating_sub(5)).max(1)
    }

    pub(super) fn open_reader(&mut self, reading: Reading) -> Vec<Command> {
        self.ui.reader = Some(Reader::new(reading));
        self.refresh_reader();
        self.poll()
    }

    /// Keeps the reader true to the data: the timeline rebuilt when its history changed,
    /// a following cursor on the newest line, the cursor within the rows.
    pub(super) fn refresh_reader(&mut self) {
        // Every reply comes here: with no reader open there is nothing to do.
        let Some(reader) = &self.ui.reader else {
            return;
        };
        // A retry of the action whose build log is open starts a new build: the reader
        // moves to it and follows it as it runs.
        if let Reading::BuildLog { build } = &reader.reading
            && matches!(self.ui.view, View::Pipeline(_))
            && let Some(Ran::Build(current)) = self.chosen_ran()
            && *build != current
        {
            self.ui.reader = Some(Reader::new(Reading::BuildLog { build: current }));
            self.say(Tone::Running, "A new build started: following its log");
        }
        // A history's timeline is built once per read of it (25,000 events take a while).
        let history = match self.ui.reader.as_ref() {
            Some(reader) => match &reader.reading {
                Reading::History { execution } => {
                    let tracked = self.model.sfn.histories.get(execution);
                    let read_at = tracked.and_then(|t| t.loaded_at());
                    tracked
                        .and_then(|t| t.data.as_ref())
                        .filter(|_| read_at != reader.timeline_of)
                        .map(|h| (timeline(&h.events, h.failure.as_ref()), read_at))
                }
                _ => None,
            },
            None => None,
        };
        let rows_now = match &history {
            Some((built, _)) => built.rows.len(),
            None => self.reader_rows(),
        };
        let page = self.reader_page();
        // A log opens where it matters: a running build at its end (following), an ended
        // one on its first error line.
        let first_error = match self.ui.reader.as_ref() {
            Some(reader) if reader.seen_rows == 0 && rows_now > 0 => {
                let running = match &reader.reading {
                    Reading::BuildLog { build } => self
                        .model
                        .codebuild
                        .build(build)
                        .is_none_or(|b| b.running()),
                    _ => false,
                };
                let lines = self.reader_lines();
                (!running && !matches!(reader.reading, Reading::History { .. }))
                    .then(|| lines.iter().position(|l| is_error_line(&l.text)))
                    .flatten()
            }
            _ => None,
        };
        let Some(reader) = self.ui.reader.as_mut() else {
            return;
        };
        if let Some(row) = first_error {
            reader.follow = false;
            reader.cursor = row;
            reader.seen_rows = rows_now;
            centre(reader, page, rows_now);
        }
        if let Some((built, read_at)) = history {
            let first_build = reader.timeline.is_none();
            let failed_row = built.failed_row;
            reader.timeline = Some(built);
            reader.timeline_of = read_at;
            // A history opens on its failure: that is what the person came for.
            if first_build && let Some(row) = failed_row {
                reader.cursor = row;
                centre(reader, page, rows_now);
            }
        }
        if reader.follow && rows_now > reader.seen_rows {
            reader.cursor = rows_now.saturating_sub(1);
        }
        reader.seen_rows = rows_now;
        reader.cursor = reader.cursor.min(rows_now.saturating_sub(1));
        keep_in_view(reader, page);
    }

    pub(super) fn move_reader(&mut self, delta: isize) {
        let rows = self.reader_rows();
        let page = self.reader_page();
        let Some(reader) = self.ui.reader.as_mut() else {
            return;
        };
        let target = reader.cursor.saturating_add_signed(delta);
        reader.cursor = target.min(rows.saturating_sub(1));
        // Moving up stops following; reaching the end starts it again for a build.
        if matches!(reader.reading, Reading::BuildLog { .. }) {
            reader.follow = rows > 0 && reader.cursor + 1 == rows;
        }
        keep_in_view(reader, page);
    }

    /// Search as the person types: the matches, and the cursor on the first from here.
    pub(super) fn search_reader(&mut self) {
        let matches = match self.ui.reader.as_ref() {
            Some(Reader {
                reading: Reading::History { .. },
                timeline,
                search: query,
                ..
            }) => timeline
                .as_ref()
                .map(|t| search(&t.rows, query))
                .unwrap_or_default(),
            Some(reader) => {
                let query = reader.search.trim().to_lowercase();
                if query.is_empty() {
                    Vec::new()
                } else {
                    self.reader_lines()
                        .iter()
                        .enumerate()
                        .filter(|(_, line)| line.text.to_lowercase().contains(&query))
                        .map(|(index, _)| index)
                        .collect()
                }
            }
            None => return,
        };
        let page = self.reader_page();
        let rows = self.reader_rows();
        let Some(reader) = self.ui.reader.as_mut() else {
            return;
        };
        let from = reader.cursor;
        if let Some(first) = matches.iter().find(|row| **row >= from).or(matches.first()) {
            reader.cursor = *first;
            reader.follow = false;
        }
        reader.matches = matches;
        centre(reader, page, rows);
    }

    /// The next (or previous) match from the cursor, around the end.
    pub(super) fn step_match(&mut self, forward: bool) {
        let page = self.reader_page();
        let rows = self.reader_rows();
        let Some(reader) = self.ui.reader.as_mut() else {
            return;
        };
        if reader.matches.is_empty() {
            self.say(Tone::Muted, "No search: / searches");
            return;
        }
        let cursor = reader.cursor;
        let next = if forward {
            reader
                .matches
                .iter()
                .find(|row| **row > cursor)
                .or(reader.matches.first())
        } else {
            reader
                .matches
                .iter()
                .rev()
                .find(|row| **row < cursor)
                .or(reader.matches.last())
        };
        reader.cursor = *next.expect("matches are not empty");
        reader.follow = false;
        centre(reader, page, rows);
    }

    /// The next error line of a log, or the next failure in a history, around the end.
    pub(super) fn next_error(&mut self) {
        let marked: Vec<usize> = match self.ui.reader.as_ref() {
            Some(Reader {
                reading: Reading::History { .. },
                timeline,
                ..
            }) => timeline
                .iter()
                .flat_map(|t| t.rows.iter().enumerate())
                .filter(|(_, row)| !matches!(row.mark, Mark::None | Mark::Redriven))
                .map(|(index, _)| index)
                .collect(),
            Some(_) => self
                .reader_lines()
                .iter()
                .enumerate()
                .filter(|(_, line)| is_error_line(&line.text))
                .map(|(index, _)| index)
                .collect(),
            None => return,
        };
        let page = self.reader_page();
        let rows = self.reader_rows();
        let Some(reader) = self.ui.reader.as_mut() else {
            return;
        };
        let cursor = reader.cursor;
        match marked.iter().find(|row| **row > cursor).or(marked.first()) {
            Some(row) => {
                reader.cursor = *row;
                reader.follow = false;
                centre(reader, page, rows);
            }
            None => self.say(Tone::Muted, "No error lines here"),
        }
    }

    pub(super) fn toggle_follow(&mut self) {
        let rows = self.reader_rows();
        let page = self.reader_page();
        let Some(reader) = self.ui.reader.as_mut() else {
            return;
        };
        if !matches!(reader.reading, Reading::BuildLog { .. }) {
            self.say(
                Tone::Muted,
                "Only a build's log grows: nothing to follow here",
            );
            return;
        }
        reader.follow = !reader.follow;
        if reader.follow {
            reader.cursor = rows.saturating_sub(1);
        }
        keep_in_view(reader, page);
    }
}

/// After a jump (an error, a match, the failure): the cursor a third down the page, so
/// what led to it is on screen too.
fn centre(reader: &mut Reader, page: usize, rows: usize) {
    if reader.cursor < reader.top || reader.cursor >= reader.top + page {
        // Never past the last page: a screen is full of rows when there are enough.
        reader.top = reader
            .cursor
            .saturating_sub(page / 3)
            .min(rows.saturating_sub(page));
    }
}

/// Moves the page as little as keeps the cursor on it.
fn keep_in_view(reader: &mut Reader, page: usize) {
    if reader.cursor < reader.top {
        reader.top = reader.cursor;
    } else if reader.cursor >= reader.top + page {
        reader.top = reader.cursor + 1 - page;
    }
}
