//! Makes the README's screenshots: runs the demo scenario on the built-in emulator,
//! drives the app to each scene, and writes each screen as SVG (with colour) and text.
//!
//!     cargo run --example screenshots
//!
//! Output goes to screenshots/. The clock is fixed, so the pictures only change when
//! the UI does.

use std::fmt::Write as _;
use std::path::Path;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};

use unstick::action::Action;
use unstick::app::{App, Settings};
use unstick::aws::{self, Clients, Connection};
use unstick::emulator::{self, EmulatorOptions, Scenario};
use unstick::poller::Schedule;
use unstick::terminal::looks::{Colours, Palette};
use unstick::ui::{self, Theme};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let now = jiff::Timestamp::from_second(1_900_000_000).unwrap();
    let options = EmulatorOptions {
        scenario_time: Some(now),
        ..EmulatorOptions::default()
    };
    let emulator = emulator::start(&Scenario::demo(), options, 0)
        .await
        .expect("emulator");
    let connection = Connection::emulator(emulator.endpoint_url(), "us-east-1");
    let clients = Clients::new(&aws::sdk_config(&connection).await);
    let settings = Settings {
        read_only: false,
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_label: Some("demo emulator".into()),
    };
    let mut app = App::new(settings, Schedule::default(), now);
    unstick::report::load_everything(&mut app, &clients, now).await;

    let out = Path::new("screenshots");
    std::fs::create_dir_all(out).unwrap();
    shoot(&app, out, "pipelines", 100, 26);
    // The command line, completing a region.
    press(&mut app, KeyCode::Char(':'));
    for c in "region eu-".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    shoot(&app, out, "command-line", 100, 26);
    press(&mut app, KeyCode::Esc);
    app.ui.pipelines.selected_pipeline = Some("checkout-web".into());
    press(&mut app, KeyCode::Enter);
    // The failed CodeBuild action's build and the end of its log, as the detail shows them.
    unstick::report::load_on_screen(&mut app, &clients, now).await;
    shoot(&app, out, "pipeline", 100, 30);
    shoot(&app, out, "pipeline-wide", 160, 36);
    shoot(&app, out, "pipeline-80x24", 80, 24);
    // What a terminal without UTF-8 (LANG=C) or with --ascii shows.
    let ascii = Theme::build(Palette::Dark, Colours::Ansi16, true);
    shoot_with(&app, &ascii, out, "pipeline-80x24-ascii", 80, 24);
    press(&mut app, KeyCode::Enter);
    unstick::report::load_on_screen(&mut app, &clients, now).await;
    shoot(&app, out, "build-log", 100, 30);
    shoot(&app, out, "build-log-80x24", 80, 24);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('R'));
    shoot(&app, out, "confirm-retry-all", 100, 30);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    app.ui.pipelines.selected_pipeline = Some("orders-service".into());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('r'));
    shoot(&app, out, "not-retryable", 100, 30);

    // The Step Functions half.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Tab);
    shoot(&app, out, "executions", 100, 26);
    shoot(&app, out, "executions-wide", 160, 30);
    let arn = "arn:aws:states:us-east-1:123456789012:execution:order-fulfilment:order-58211";
    unstick::report::load_execution(&mut app, &clients, arn, now).await;
    app.ui.executions.selected_execution = Some(arn.into());
    press(&mut app, KeyCode::Enter);
    shoot(&app, out, "execution", 100, 30);
    press(&mut app, KeyCode::Char('h'));
    shoot(&app, out, "history", 100, 30);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('l'));
    unstick::report::load_on_screen(&mut app, &clients, now).await;
    shoot(&app, out, "lambda-log", 100, 30);
    press(&mut app, KeyCode::Esc);
    let batch = "arn:aws:states:us-east-1:123456789012:execution:image-pipeline:batch-3117";
    unstick::report::load_execution(&mut app, &clients, batch, now).await;
    press(&mut app, KeyCode::Esc);
    app.ui.executions.selected_execution = Some(batch.into());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('r'));
    // The client token is random: show a fixed one so the picture only changes with the UI.
    if let Some(dialog) = app.confirm.as_mut() {
        for (label, value) in &mut dialog.lines {
            if label == "Token" {
                *value = "unstick-5f0c1d2e3a4b59687a8b9c0d1e2f3a4b".into();
            }
        }
    }
    shoot(&app, out, "confirm-redrive", 100, 30);
    println!("wrote screenshots to {}", out.display());
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn shoot(app: &App, dir: &Path, name: &str, width: u16, height: u16) {
    shoot_with(app, &Theme::new(true), dir, name, width, height);
}

fn shoot_with(app: &App, theme: &Theme, dir: &Path, name: &str, width: u16, height: u16) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            ui::render(app, theme, frame);
        })
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    std::fs::write(dir.join(format!("{name}.svg")), svg(&buffer)).unwrap();
    let text: String = (0..height)
        .map(|y| {
            let line: String = (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            format!("{}\n", line.trim_end())
        })
        .collect();
    std::fs::write(dir.join(format!("{name}.txt")), text).unwrap();
}

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;
const BACKGROUND: &str = "#1d1f21";
const FOREGROUND: &str = "#d8dee9";

/// A terminal screen as SVG: one text run per stretch of same-styled cells.
fn svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let (width, height) = (area.width as f32 * CELL_W, area.height as f32 * CELL_H);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{BACKGROUND}"/>"#
    );
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let cell = &buffer[(x, y)];
            let style = (cell.fg, cell.bg, cell.modifier);
            let start = x;
            let mut text = String::new();
            while x < area.width {
                let next = &buffer[(x, y)];
                if (next.fg, next.bg, next.modifier) != style {
                    break;
                }
                text.push_str(next.symbol());
                x += 1;
            }
            let reversed = style.2.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (color(style.0, FOREGROUND), color(style.1, BACKGROUND));
            if reversed {
                std::mem::swap(&mut fg, &mut bg);
            }
            let (px, py) = (start as f32 * CELL_W, y as f32 * CELL_H);
            if bg != BACKGROUND {
                let w = (x - start) as f32 * CELL_W;
                let _ = writeln!(
                    out,
                    r#"<rect x="{px}" y="{py}" width="{w}" height="{CELL_H}" fill="{bg}"/>"#
                );
            }
            if text.trim().is_empty() {
                continue;
            }
            let weight = if style.2.contains(Modifier::BOLD) {
                r#" font-weight="bold""#
            } else {
                ""
            };
            let _ = writeln!(
                out,
                r#"<text x="{px}" y="{}" fill="{fg}"{weight} xml:space="preserve" textLength="{}" lengthAdjust="spacingAndGlyphs">{}</text>"#,
                py + CELL_H * 0.78,
                (x - start) as f32 * CELL_W,
                escape(&text)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

fn color(color: Color, default: &str) -> String {
    match color {
        Color::Reset => default.to_string(),
        Color::Black => "#1d1f21".into(),
        Color::Red | Color::LightRed => "#ff6b6b".into(),
        Color::Green | Color::LightGreen => "#8cc265".into(),
        Color::Yellow => "#e5c07b".into(),
        Color::LightYellow => "#ffd580".into(),
        Color::Blue | Color::LightBlue => "#61afef".into(),
        Color::Magenta | Color::LightMagenta => "#c678dd".into(),
        Color::Cyan | Color::LightCyan => "#56b6c2".into(),
        Color::Gray => "#abb2bf".into(),
        Color::DarkGray => "#7f848e".into(),
        Color::White => "#ffffff".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(_) => default.to_string(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
