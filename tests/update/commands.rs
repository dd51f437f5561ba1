//! The `:` command line, judged by what it emits: views, filters, read-only, and moving
//! to another profile or region without a restart, with writes kept safe throughout.

use ratatui::crossterm::event::KeyCode;
use unstick::action::{Action, Answered, Command, Place, Read, Write};
use unstick::app::View;
use unstick::aws::{AwsError, ErrorKind};
use unstick::keymap::Mode;
use unstick::model::RetryReceipt;

use crate::common::*;

/// Types `:` and `text`, then Enter: what the app asks for.
fn run(app: &mut unstick::app::App, text: &str) -> Vec<Command> {
    app.update(char_key(':'));
    for c in text.chars() {
        app.update(char_key(c));
    }
    app.update(key(KeyCode::Enter))
}

fn status(app: &unstick::app::App) -> String {
    app.ui
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn eu_west_1() -> Place {
    Place {
        profile: None,
        region: Some("eu-west-1".into()),
    }
}

fn connects(commands: &[Command]) -> Vec<&Place> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Connect(place) => Some(place),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn colon_types_completes_recalls_and_closes() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    app.update(char_key(':'));
    assert_eq!(app.mode(), Mode::Command);
    // Every command is offered before anything is typed.
    assert!(app.command_suggestions().contains(&"region".to_string()));
    for c in "reg".chars() {
        app.update(char_key(c));
    }
    app.update(key(KeyCode::Tab));
    assert_eq!(app.ui.command.as_ref().unwrap().text, "region ");
    for c in "eu-w".chars() {
        app.update(char_key(c));
    }
    app.update(key(KeyCode::Tab));
    assert_eq!(app.ui.command.as_ref().unwrap().text, "region eu-west-");
    assert_eq!(
        app.command_suggestions(),
        ["eu-west-1", "eu-west-2", "eu-west-3"]
    );
    // The line and what may follow are on screen.
    let text = screen_text(&app, 80, 24);
    assert!(
        text.contains(":region eu-west-▏  eu-west-1  eu-west-2"),
        "{text}"
    );
    assert!(text.contains("Tab complete"), "{text}");
    // Keys are text here: q does not quit, r does not retry.
    app.update(char_key('q'));
    assert!(!app.should_quit);
    // Esc closes it and runs nothing.
    let commands = app.update(key(KeyCode::Esc));
    assert!(commands.is_empty());
    assert_eq!(app.mode(), Mode::Pipelines);
    // Backspace on an empty line closes it too.
    app.update(char_key(':'));
    app.update(key(KeyCode::Backspace));
    assert_eq!(app.mode(), Mode::Pipelines);
    // ↑ brings back what was run before, newest first.
    run(&mut app, "time utc");
    run(&mut app, "sort name");
    app.update(char_key(':'));
    app.update(key(KeyCode::Up));
    assert_eq!(app.ui.command.as_ref().unwrap().text, "sort name");
    app.update(key(KeyCode::Up));
    assert_eq!(app.ui.command.as_ref().unwrap().text, "time utc");
    app.update(key(KeyCode::Up));
    assert_eq!(app.ui.command.as_ref().unwrap().text, "time utc");
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    assert_eq!(app.ui.command.as_ref().unwrap().text, "");
    // A paste is text on the line, its first line only, and never runs it.
    let commands = app.update(Action::Paste("region eu-west-1\nq\n".into()));
    assert!(commands.is_empty());
    assert_eq!(app.ui.command.as_ref().unwrap().text, "region eu-west-1");
    assert!(!app.should_quit);
}

#[tokio::test]
async fn commands_move_between_views_filter_sort_and_say_what_is_wrong() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    run(&mut app, "executions");
    assert_eq!(app.ui.view, View::Executions);
    run(&mut app, "pp");
    assert_eq!(app.ui.view, View::Pipelines);
    run(&mut app, "filter payments");
    assert_eq!(app.ui.filter, "payments");
    assert_eq!(app.rows().len(), 1);
    assert_eq!(app.mode(), Mode::Pipelines, "the filter is kept, not typed");
    run(&mut app, "filter");
    assert_eq!(app.ui.filter, "");
    run(&mut app, "time utc");
    assert_eq!(app.ui.time, unstick::model::TimeDisplay::Utc);
    assert!(status(&app).contains("UTC"), "{}", status(&app));
    run(&mut app, "sort status");
    assert_eq!(app.ui.sort, unstick::app::SortOrder::Status);
    // Mistakes are one line, and nothing happens.
    assert!(run(&mut app, "p").is_empty());
    assert_eq!(status(&app), ":p could be :pipelines or :profile");
    run(&mut app, "region eu-wst");
    assert!(
        status(&app).contains("not a region name"),
        "{}",
        status(&app)
    );
    run(&mut app, "help");
    assert!(app.ui.help);
    app.update(key(KeyCode::Esc));
    run(&mut app, "q");
    assert!(app.should_quit);
}

#[tokio::test]
async fn readonly_turns_on_always_and_off_only_when_it_was_not_asked_for_at_start() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    run(&mut app, "readonly");
    assert!(app.settings.read_only);
    assert!(screen_text(&app, 100, 30).contains("READ-ONLY"));
    // A write asked for now is refused by the rules, with the reason.
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    assert!(app.confirm.is_none());
    assert!(status(&app).contains("read-only"), "{}", status(&app));
    run(&mut app, "ro off");
    assert!(!app.settings.read_only);

    let mut started_read_only = loaded_app(&emulator, true).await;
    run(&mut started_read_only, "readonly off");
    assert!(started_read_only.settings.read_only);
    assert!(
        status(&started_read_only).contains("restart without it"),
        "{}",
        status(&started_read_only)
    );
}

#[tokio::test]
async fn switching_region_asks_the_runner_then_reads_the_new_place_from_nothing() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    let commands = run(&mut app, "region eu-west-1");
    assert_eq!(connects(&commands), [&eu_west_1()]);
    assert_eq!(app.switching, Some(eu_west_1()));
    assert!(status(&app).contains("Switching to region eu-west-1"));
    // Until the runner has moved, the old picture stays, and no dialog opens: the one
    // it would show names a place that is about to change.
    assert_eq!(app.settings.region.as_deref(), Some("us-east-1"));
    app.update(char_key('r'));
    assert!(app.confirm.is_none());
    assert!(
        status(&app).starts_with("Not now: switching to"),
        "{}",
        status(&app)
    );
    // A second switch waits for the first.
    assert!(connects(&run(&mut app, "region eu-west-2")).is_empty());

    let commands = app.update(Action::Connected(Ok(eu_west_1())));
    assert_eq!(app.switching, None);
    assert_eq!(app.settings.region.as_deref(), Some("eu-west-1"));
    assert_eq!(app.ui.view, View::Pipelines, "back at the list");
    assert!(
        app.model.codepipeline.list.data.is_none(),
        "nothing of the old place"
    );
    assert!(app.model.identity.data.is_none());
    // The new place is read at once, its account first among the reads.
    assert!(
        commands.contains(&Command::Fetch(Read::CallerIdentity)),
        "{commands:?}"
    );
    let text = screen_text(&app, 100, 30);
    assert!(text.contains("eu-west-1"), "{text}");
    assert!(text.contains("Switched to region eu-west-1"), "{text}");
    // Already there: nothing to do.
    assert!(connects(&run(&mut app, "region eu-west-1")).is_empty());
    assert!(status(&app).starts_with("Already on"));
}

#[tokio::test]
async fn a_switch_that_fails_keeps_the_place_and_says_why() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    let commands = run(&mut app, "profile staging");
    assert_eq!(
        connects(&commands),
        [&Place {
            profile: Some("staging".into()),
            region: None
        }],
        "with no profiles known, any name may be tried"
    );
    app.update(Action::Connected(Err(AwsError::new(
        ErrorKind::Credentials,
        "AWS profile 'staging' is not defined in ~/.aws/config or ~/.aws/credentials",
    ))));
    assert_eq!(app.switching, None);
    assert!(
        app.model.codepipeline.list.data.is_some(),
        "the picture stays"
    );
    assert_eq!(
        status(&app),
        "Cannot switch: AWS profile 'staging' is not defined in ~/.aws/config or ~/.aws/credentials; still on region us-east-1"
    );
    // Known profiles: a name that is not one is refused before anything is asked.
    app.profiles = vec!["prod".into(), "staging".into()];
    assert!(connects(&run(&mut app, "profile nosuch")).is_empty());
    assert!(status(&app).contains("Tab lists the 2 that are"));
    app.update(char_key(':'));
    for c in "profile p".chars() {
        app.update(char_key(c));
    }
    app.update(key(KeyCode::Tab));
    assert_eq!(app.ui.command.as_ref().unwrap().text, "profile prod");
}

#[tokio::test]
async fn no_switch_while_a_write_is_on_its_way_and_followed_writes_wait_for_the_return() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(char_key('r'));
    let sent = answer_yes(&mut app);
    let Some(Command::Send(Write::Retry { plan, context })) = sent.first().cloned() else {
        panic!("a retry: {sent:?}");
    };
    assert_eq!(context.place, 0);
    // On its way: its answer belongs to this place.
    assert!(connects(&run(&mut app, "region eu-west-1")).is_empty());
    assert!(status(&app).contains("on its way"), "{}", status(&app));
    app.update(Action::WriteAnswered(Answered::Retry {
        plan: plan.clone(),
        result: Ok(RetryReceipt {
            pipeline_execution_id: plan.pipeline_execution_id.clone(),
            request_id: None,
        }),
    }));
    assert!(app.following_retry("checkout-web"));
    // Answered and followed: the switch may go; the followed retry waits aside.
    assert_eq!(connects(&run(&mut app, "region eu-west-1")).len(), 1);
    app.update(Action::Connected(Ok(eu_west_1())));
    assert!(!app.following_retry("checkout-web"));
    // Back home, it is followed again, and the stage still refuses a second retry.
    let home = Place {
        profile: None,
        region: Some("us-east-1".into()),
    };
    assert_eq!(connects(&run(&mut app, "region us-east-1")), [&home]);
    app.update(Action::Connected(Ok(home)));
    assert!(app.following_retry("checkout-web"));
    assert!(app.retry_write("checkout-web", "Build").is_some());
    // A write confirmed now carries the count of switches, for the runner to check.
    let clients = clients_for(&emulator).await;
    let mut fresh = loaded_app(&emulator, false).await;
    run(&mut fresh, "region eu-west-1");
    fresh.update(Action::Connected(Ok(eu_west_1())));
    let home = Place {
        profile: None,
        region: Some("us-east-1".into()),
    };
    run(&mut fresh, "region us-east-1");
    fresh.update(Action::Connected(Ok(home)));
    unstick::report::load_everything(&mut fresh, &clients, t0()).await;
    open(&mut fresh, "payments-api");
    fresh.update(char_key('r'));
    let sent = answer_yes(&mut fresh);
    let Some(Command::Send(Write::Retry { context, .. })) = sent.first() else {
        panic!("a retry: {sent:?}");
    };
    assert_eq!(context.place, 2);
}
