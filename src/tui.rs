//! The dashboard's loop: keys, ticks and results arrive on one channel; `App::update`
//! handles them; the runner executes the commands; the screen is redrawn.

use std::time::Duration;

use ratatui::crossterm::event::{self, Event};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::action::Action;
use crate::app::App;
use crate::runner::Runner;
use crate::ui::{self, Theme};

pub async fn run(
    mut app: App,
    theme: Theme,
    runner: Runner,
    actions: UnboundedSender<Action>,
    mut inbox: UnboundedReceiver<Action>,
) -> color_eyre::Result<()> {
    // ratatui's init installs a panic hook that restores the terminal before the report.
    let mut terminal = ratatui::try_init()?;
    spawn_input(actions.clone());
    spawn_ticker(actions.clone());
    // The first frame is drawn before any AWS reply: the first tick starts the reads.
    let _ = actions.send(Action::Tick(jiff::Timestamp::now()));
    let result = loop {
        if let Err(error) = terminal.draw(|frame| ui::render(&app, &theme, frame)) {
            break Err(error.into());
        }
        let Some(first) = inbox.recv().await else {
            break Ok(());
        };
        // Take everything already waiting, then draw once.
        let mut batch = vec![first];
        while let Ok(action) = inbox.try_recv() {
            batch.push(action);
        }
        for action in batch {
            for command in app.update(action) {
                runner.run(command);
            }
        }
        if app.should_quit {
            break Ok(());
        }
    };
    ratatui::restore();
    result
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
                Ok(Event::Resize(_, _)) => Action::Resize,
                Ok(_) => continue,
                Err(_) => return,
            };
            if actions.send(action).is_err() {
                return;
            }
        }
    });
}

fn spawn_ticker(actions: UnboundedSender<Action>) {
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
