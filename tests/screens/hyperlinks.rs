//! Names with a console page are hyperlinks (OSC 8) on the terminal: written once when
//! they appear, written again only when their cells change, and never on an idle screen.

use std::io::Write;
use std::sync::{Arc, Mutex};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use unstick::app::{App, StatusLine};
use unstick::model::Tone;
use unstick::report::load_on_screen;
use unstick::terminal::Written;
use unstick::tui::draw_if_changed;
use unstick::ui::{self, Theme};

use crate::common::*;

/// What a terminal would be sent, kept to be read.
#[derive(Clone, Default)]
struct Recorded(Arc<Mutex<Vec<u8>>>);

impl Recorded {
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
    }
}

impl Write for Recorded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Screen {
    terminal: Terminal<CrosstermBackend<Recorded>>,
    sent: Option<Buffer>,
    links: Written,
    wire: Recorded,
}

impl Screen {
    fn new(width: u16, height: u16) -> Self {
        let wire = Recorded::default();
        let options = ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, width, height)),
        };
        let terminal =
            Terminal::with_options(CrosstermBackend::new(wire.clone()), options).unwrap();
        Self {
            terminal,
            sent: None,
            links: Written::default(),
            wire,
        }
    }

    /// Draws as the dashboard's loop does, and returns what went over the wire.
    fn draw(&mut self, app: &App) -> String {
        let theme = Theme::new(false);
        let (rendered, changed) = draw_if_changed(&mut self.terminal, &mut self.sent, |frame| {
            ui::render(app, &theme, frame)
        })
        .unwrap();
        if changed && let Some(buffer) = &self.sent {
            self.links
                .update(self.terminal.backend_mut(), buffer, rendered.links);
        }
        self.wire.take()
    }
}

/// The text each hyperlink on the wire covers, with its address; styles left out.
fn links_in(wire: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = wire;
    while let Some(start) = rest.find("\u{1b}]8;;https://") {
        let after = &rest[start + 5..];
        let url_end = after.find("\u{1b}\\").unwrap();
        let url = after[..url_end].to_string();
        let body = &after[url_end + 2..];
        let end = body.find("\u{1b}]8;;\u{1b}\\").unwrap();
        out.push((visible(&body[..end]), url));
        rest = &body[end..];
    }
    out
}

/// Text without its CSI sequences (cursor moves, colours).
fn visible(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters, ended by a letter.
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[tokio::test]
async fn a_pipeline_and_its_build_are_links_written_once() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    let mut screen = Screen::new(100, 30);
    // The lists link nothing: every row rewritten at each scroll would cost a slow link.
    assert!(links_in(&screen.draw(&app)).is_empty());

    open(&mut app, "checkout-web");
    load_on_screen(&mut app, &clients, t0()).await;
    let links = links_in(&screen.draw(&app));
    assert_eq!(links.len(), 2, "{links:?}");
    assert_eq!(links[0].0, "checkout-web");
    assert!(
        links[0]
            .1
            .starts_with("https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/checkout-web/"),
        "{links:?}"
    );
    assert!(links[1].0.starts_with("checkout-web-it:"), "{links:?}");
    assert!(links[1].1.contains("/codesuite/codebuild/"), "{links:?}");

    // Nothing new on screen: not a byte, links included.
    assert_eq!(screen.draw(&app), "");

    // The help covers the view: its text is no longer a link, and the pipeline's name
    // comes back as one when the help closes.
    app.update(char_key('?'));
    assert!(links_in(&screen.draw(&app)).is_empty());
    app.update(key(KeyCode::Esc));
    let again = links_in(&screen.draw(&app));
    assert!(
        again.iter().any(|(text, _)| text == "checkout-web"),
        "{again:?}"
    );

    // An address in the status line is a link to itself.
    app.ui.status = Some(StatusLine {
        text: "Deploy runs on https://deploy.example/runs/7 (copied)".into(),
        tone: Tone::Muted,
        at: t0(),
        view: app.ui.view.clone(),
        reading: false,
    });
    let status = links_in(&screen.draw(&app));
    assert_eq!(
        status,
        vec![(
            "https://deploy.example/runs/7".to_string(),
            "https://deploy.example/runs/7".to_string()
        )]
    );
}

#[tokio::test]
async fn an_execution_links_to_its_console_page() {
    let (app, _emulator, _clients) =
        opened_execution("order-fulfilment", "order-58211", false).await;
    let mut screen = Screen::new(100, 30);
    let links = links_in(&screen.draw(&app));
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].0, "order-58211");
    assert!(
        links[0]
            .1
            .ends_with(":execution:order-fulfilment:order-58211"),
        "{links:?}"
    );
}

#[tokio::test]
async fn terminals_without_hyperlinks_get_none() {
    let (app, _emulator, _clients) =
        opened_execution("order-fulfilment", "order-58211", false).await;
    let mut theme = Theme::new(false);
    theme.hyperlinks = false;
    let mut terminal = Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    let frame = terminal.draw(|frame| assert!(ui::render(&app, &theme, frame).links.is_empty()));
    assert!(frame.is_ok());
}
