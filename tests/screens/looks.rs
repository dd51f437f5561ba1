//! The same screens on every terminal: the dark and light themes in 256 and 16 colours,
//! without colour, and in plain ASCII for a locale that is not UTF-8.

use unstick::app::App;
use unstick::report::load_on_screen;
use unstick::ui::Theme;
use unstick::ui::theme::{Colours, Palette};

use crate::common::*;

async fn failed_pipeline() -> (App, unstick::emulator::Emulator) {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    load_on_screen(&mut app, &clients, t0()).await;
    (app, emulator)
}

#[tokio::test]
async fn each_theme_styles_the_same_screen() {
    let (app, _emulator) = failed_pipeline().await;
    for (name, palette, colours) in [
        ("dark_256", Palette::Dark, Colours::Indexed256),
        ("dark_16", Palette::Dark, Colours::Ansi16),
        ("light_256", Palette::Light, Colours::Indexed256),
        ("light_16", Palette::Light, Colours::Ansi16),
        ("no_color", Palette::Dark, Colours::None),
    ] {
        let theme = Theme::build(palette, colours, false);
        let screen = screen_in(&app, &theme, 80, 24);
        // The cells and every style run: what a person on that terminal sees.
        insta::assert_debug_snapshot!(format!("theme_{name}_80x24"), screen.buffer());
    }
}

#[tokio::test]
async fn ascii_mode_draws_only_ascii_in_the_same_places() {
    let (mut app, _emulator) = failed_pipeline().await;
    let theme = Theme::build(Palette::Dark, Colours::None, true);
    let text = screen_in(&app, &theme, 80, 24).to_string();
    assert!(text.is_ascii(), "{text}");
    insta::assert_snapshot!("ascii_pipeline_80x24", text);
    // The same columns as in Unicode: each glyph one ASCII character.
    let unicode = screen(&app, 80, 24).to_string();
    for (plain, fancy) in text.lines().zip(unicode.lines()) {
        assert_eq!(plain.len(), fancy.chars().count(), "{plain}\n{fancy}");
    }
    app.update(key(ratatui::crossterm::event::KeyCode::Esc));
    let list = screen_in(&app, &theme, 80, 24).to_string();
    assert!(list.is_ascii(), "{list}");
    insta::assert_snapshot!("ascii_pipelines_80x24", list);
}
