//! Why it failed, by the commands `update` emits: a pipeline action's execution opened
//! with Enter and left with Esc, copies as terminal commands, and logs read only while
//! they are on screen.

use crate::common::*;
use ratatui::crossterm::event::KeyCode;

use unstick::action::{Command, Read, SfnRead};
use unstick::app::{App, View};

fn reads_logs_or_builds(commands: &[Command]) -> bool {
    commands
        .iter()
        .any(|c| matches!(c, Command::Fetch(Read::Logs(_) | Read::CodeBuild(_))))
}

fn copied(commands: &[Command]) -> Option<String> {
    commands.iter().find_map(|c| match c {
        Command::Copy(text) => Some(text.clone()),
        _ => None,
    })
}

fn choose(app: &mut App, action: &str) {
    for _ in 0..5 {
        if app.chosen_action().map(|a| a.action_name).as_deref() == Some(action) {
            return;
        }
        app.update(key(KeyCode::Right));
    }
    panic!("{action} is not in the selected stage");
}

#[tokio::test]
async fn enter_on_a_step_functions_action_opens_its_execution_and_esc_comes_back() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "inventory-sync");
    assert_eq!(
        app.chosen_action().unwrap().action_name,
        "SyncWarehouses",
        "the first failed action until the person chooses"
    );
    choose(&mut app, "ReindexCatalog");
    let arn = execution_arn("catalog-reindex", "reindex-b7a69584");
    let commands = app.update(key(KeyCode::Enter));
    assert_eq!(app.ui.view, View::Execution(arn.clone()));
    assert!(commands.contains(&Command::Fetch(Read::StepFunctions(
        SfnRead::DescribeExecution(arn.clone())
    ))));
    // The same redrive as any other execution: `r` asks.
    app.update(key(KeyCode::Esc));
    assert_eq!(app.ui.view, View::Pipeline("inventory-sync".into()));
}

#[tokio::test]
async fn copies_are_terminal_commands_with_the_exact_text() {
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "inventory-sync");
    choose(&mut app, "ReindexCatalog");
    let arn = execution_arn("catalog-reindex", "reindex-b7a69584");
    let link = copied(&app.update(char_key('y'))).unwrap();
    assert_eq!(
        link,
        format!(
            "https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/{arn}"
        )
    );
    assert_eq!(copied(&app.update(char_key('Y'))).unwrap(), arn);
    let error = copied(&app.update(char_key('E'))).unwrap();
    assert!(
        error.starts_with("JobFailed: Execution reindex-b7a69584 failed"),
        "{error}"
    );
    assert!(
        app.ui
            .status
            .as_ref()
            .unwrap()
            .text
            .starts_with("Copied the error text")
    );
}

#[tokio::test]
async fn logs_are_read_only_while_on_screen() {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, false).await;
    // The lists: no build or log is ever read, however long the sweep runs.
    let later = t0() + jiff::SignedDuration::from_mins(30);
    assert!(!reads_logs_or_builds(
        &app.update(unstick::action::Action::Tick(later))
    ));
    // A failed CodeBuild action on screen: its build, then its log.
    app.ui.pipelines.selected_pipeline = Some("checkout-web".into());
    let mut commands = app.update(key(KeyCode::Enter));
    commands.extend(app.update(unstick::action::Action::Tick(later)));
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::Fetch(Read::CodeBuild(_))))
    );
    unstick::report::load_on_screen(&mut app, &clients, later).await;
    assert!(
        app.model.logs.logs.values().any(|t| t.data.is_some()),
        "the log's tail was read"
    );
    // Back on the list: nothing more is read for it.
    app.update(key(KeyCode::Esc));
    let much_later = later + jiff::SignedDuration::from_hours(2);
    assert!(!reads_logs_or_builds(
        &app.update(unstick::action::Action::Tick(much_later))
    ));
}

#[tokio::test]
async fn a_lambda_log_needs_a_lambda_task() {
    let (mut app, _emulator, _) = opened_execution("image-pipeline", "batch-3117", false).await;
    app.update(char_key('l'));
    assert!(app.ui.reader.is_none());
    assert!(
        app.ui
            .status
            .as_ref()
            .unwrap()
            .text
            .contains("not a Lambda task")
    );
    // `h` opens the history, Esc closes it and leaves the execution open.
    app.update(char_key('h'));
    assert!(app.ui.reader.is_some());
    app.update(key(KeyCode::Esc));
    assert!(app.ui.reader.is_none());
    assert!(matches!(app.ui.view, View::Execution(_)));
}

#[tokio::test]
async fn an_open_build_log_moves_to_the_build_a_retry_started() {
    use unstick::action::{Action, Loaded, PipelineReply, Reply};
    use unstick::app::Reading;
    let emulator = demo_emulator().await;
    let mut app = loaded_app(&emulator, false).await;
    open(&mut app, "checkout-web");
    app.update(key(KeyCode::Enter));
    let before = match &app.ui.reader.as_ref().unwrap().reading {
        Reading::BuildLog { build } => build.clone(),
        other => panic!("a build log, not {other:?}"),
    };
    // The retry re-runs the action: AWS names a new build for it.
    let mut state = app
        .model
        .codepipeline
        .state("checkout-web")
        .cloned()
        .unwrap();
    for stage in &mut state.stages {
        for action in &mut stage.actions {
            if action.action_name == "IntegrationTests" {
                action.external_execution_id = Some("checkout-web-it:new-build".into());
                action.status = Some(unstick::model::ActionStatus::InProgress);
            }
        }
    }
    app.update(Action::Loaded {
        at: t0(),
        result: Loaded::Answered(Reply::CodePipeline(PipelineReply::State {
            pipeline: "checkout-web".into(),
            state,
        })),
    });
    let reader = app.ui.reader.as_ref().unwrap();
    assert_ne!(reader.reading, Reading::BuildLog { build: before });
    assert_eq!(
        reader.reading,
        Reading::BuildLog {
            build: "checkout-web-it:new-build".into()
        }
    );
    assert!(reader.follow, "a running build's log is followed");
}
