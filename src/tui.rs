//! The dashboard's loop: keys, ticks, results and signals arrive on one channel;
//! `App::update` handles them; the runner executes the commands; the screen is redrawn.

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{self, Event};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::action::{Action, Command, StopSignal};
use crate::app::App;
use crate::runner::Runner;
use crate::terminal::{self, Passthrough, osc};
use crate::ui::{self, Theme};

/// How long, on the way out, a write already sent may take to answer before it is
/// recorded as "outcome unknown".
pub const WRITE_GRACE: Duration = Duration::from_secs(5);

/// Runs the dashboard until the person quits or a signal arrives. Returns the signal
/// that ended it, if one did (the exit status is then 128 + its number).
pub async fn run(
    mut app: App,
    theme: Theme,
    runner: Runner,
    actions: UnboundedSender<Action>,
    inbox: UnboundedReceiver<Action>,
) -> color_eyre::Result<Option<StopSignal>> {
    let mut terminal = terminal::enter()?;
    let _restore = terminal::RestoreOnDrop;
    spawn_input(actions.clone());
    spawn_ticker(actions.clone());
    spawn_signals(actions.clone());
    // The first frame is drawn before any AWS reply: the first tick starts the reads.
    let _ = actions.send(Action::Tick(jiff::Timestamp::now()));
    let result = drive(&mut terminal, &mut app, &theme, &runner, inbox, |_| {}).await;
    // A write already on its way is answered, or recorded as possibly applied.
    let reason = match app.stopped_by {
        Some(signal) => format!("unstick was stopped by {}", signal.name()),
        None => "unstick quit".to_string(),
    };
    runner.finish_writes(WRITE_GRACE, &reason).await;
    terminal::restore();
    result.map(|()| app.stopped_by)
}

/// The loop itself, on any backend: handles what arrives, runs the commands, and draws.
/// `observe` sees the app after each batch (benchmarks).
pub async fn drive<B: Backend + Passthrough>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    theme: &Theme,
    runner: &Runner,
    mut inbox: UnboundedReceiver<Action>,
    mut observe: impl FnMut(&App),
) -> color_eyre::Result<()> {
    let mut sent = None;
    let mut links = terminal::Written::default();
    let mut rows = 0;
    loop {
        // The reader pages by the terminal's height: tell the app when it changes.
        let height = terminal.size().map_or(24, |size| size.height);
        if height != rows {
            rows = height;
            app.update(Action::Resize { rows });
        }
        let (rendered, changed) =
            draw_if_changed(terminal, &mut sent, |frame| ui::render(app, theme, frame))
                .map_err(|error| color_eyre::eyre::eyre!("cannot draw: {error}"))?;
        if changed && let Some(buffer) = &sent {
            links.update(terminal.backend_mut(), buffer, rendered.links);
        }
        if rendered.detail_scroll_limit != app.ui.executions.detail_scroll_limit {
            app.update(Action::Measured {
                detail_scroll_limit: rendered.detail_scroll_limit,
            });
        }
        let dialog_whole = rendered.dialog_whole;
        // Only a frame that reached the screen can show a dialog to a person.
        for command in app.update(Action::Drawn { dialog_whole }) {
            carry_out(terminal, runner, command);
        }
        let Some(first) = inbox.recv().await else {
            return Ok(());
        };
        // Take everything already waiting, then draw once.
        let mut batch = vec![first];
        while let Ok(action) = inbox.try_recv() {
            batch.push(action);
        }
        let replies = batch.iter().any(|a| matches!(a, Action::Loaded { .. }));
        for action in batch {
            for command in app.update(action) {
                carry_out(terminal, runner, command);
            }
        }
        // A reply frees a place in its lane: start what waits for it now, not at the
        // next tick.
        if replies {
            for command in app.update(Action::Tick(jiff::Timestamp::now())) {
                carry_out(terminal, runner, command);
            }
        }
        observe(app);
        if app.should_quit {
            return Ok(());
        }
    }
}

/// Runs a command: the terminal's own (the clipboard) here, the rest by the runner.
fn carry_out<B: Backend + Passthrough>(
    terminal: &mut Terminal<B>,
    runner: &Runner,
    command: Command,
) {
    match command {
        Command::Copy(text) => {
            let (sequence, _) = osc::clipboard(&text);
            // A terminal that cannot take it ignores it; nothing is lost but the copy.
            let _ = terminal.backend_mut().pass_through(&sequence);
        }
        Command::Notify(text) => {
            let _ = terminal
                .backend_mut()
                .pass_through(&osc::notification(&text));
        }
        command => runner.run(command),
    }
}

/// Renders a frame and sends the cells that changed since the last frame sent (`sent`);
/// when none did, sends nothing at all, not even the colour resets and cursor codes a
/// draw ends with: an idle dashboard costs a slow link next to nothing. The cursor stays
/// hidden as `terminal::enter` left it. Returns what `render` returned, and whether the
/// frame was sent.
pub fn draw_if_changed<B: Backend, T>(
    terminal: &mut Terminal<B>,
    sent: &mut Option<Buffer>,
    render: impl FnOnce(&mut ratatui::Frame) -> T,
) -> Result<(T, bool), B::Error> {
    terminal.autoresize()?;
    terminal.current_buffer_mut().reset();
    let mut frame = terminal.get_frame();
    let answer = render(&mut frame);
    let drawn = terminal.current_buffer_mut();
    let changed = sent.as_ref() != Some(drawn);
    if changed {
        *sent = Some(drawn.clone());
        terminal.flush()?;
        terminal.swap_buffers();
        terminal.backend_mut().flush()?;
    }
    Ok((answer, changed))
}

/// Reads the terminal on its own thread, so a slow link never blocks the loop.
fn spawn_input(actions: UnboundedSender<Action>) {
    std::thread::spawn(move || {
        while !actions.is_closed() {
            match event::poll(Duration::from_millis(200)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => return,
            }
            let action = match event::read() {
                Ok(Event::Key(key)) => Action::Key(key),
                Ok(Event::Paste(text)) => Action::Paste(text),
                Ok(Event::Resize(_, rows)) => Action::Resize { rows },
                Ok(_) => continue,
                Err(_) => return,
            };
            if actions.send(action).is_err() {
                return;
            }
        }
    });
}

/// A tick a second: the clock on screen, and the schedule's chance to start reads.
pub fn spawn_ticker(actions: UnboundedSender<Action>) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(1));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            interval.tick().await;
            if actions.send(Action::Tick(jiff::Timestamp::now())).is_err() {
                return;
            }
        }
    });
}

/// SIGTERM, SIGHUP (the SSH session dropped), SIGINT and SIGQUIT end the dashboard
/// through the loop, so the terminal is restored and writes are recorded.
fn spawn_signals(actions: UnboundedSender<Action>) {
    use tokio::signal::unix::{SignalKind, signal};
    let kinds = [
        (SignalKind::terminate(), StopSignal::Terminate),
        (SignalKind::hangup(), StopSignal::Hangup),
        (SignalKind::interrupt(), StopSignal::Interrupt),
        (SignalKind::quit(), StopSignal::Quit),
    ];
    for (kind, stop) in kinds {
        let Ok(mut stream) = signal(kind) else {
            tracing::warn!(?stop, "cannot listen for this signal");
            continue;
        };
        let actions = actions.clone();
        tokio::spawn(async move {
            while stream.recv().await.is_some() {
                if actions.send(Action::Signal(stop)).is_err() {
                    return;
                }
            }
        });
    }
}
