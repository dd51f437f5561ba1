//! Test support: the built-in emulator at a fixed time, real SDK clients pointed at it,
//! and an `App` loaded through those real replies.
#![allow(dead_code)]

use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use unstick::action::{Action, Command, Read};
use unstick::app::{App, Settings};
use unstick::aws::{self, Clients, Connection, PipelineClient, SfnClient};
use unstick::emulator::{self, Emulator, EmulatorOptions, Scenario};
use unstick::poller::Schedule;
use unstick::runner;
use unstick::ui::{self, Theme};

/// The instant the demo scenario's "minutesAgo" count back from, and the app's clock.
pub fn t0() -> Timestamp {
    Timestamp::from_second(1_900_000_000).unwrap()
}

pub async fn start_emulator(scenario: &Scenario, options: EmulatorOptions) -> Emulator {
    emulator::start(scenario, options, 0)
        .await
        .expect("emulator starts on loopback")
}

pub async fn demo_emulator() -> Emulator {
    let options = EmulatorOptions {
        scenario_time: Some(t0()),
        ..EmulatorOptions::default()
    };
    start_emulator(&Scenario::demo(), options).await
}

/// A real SDK client for the emulator: explicit region, endpoint and credentials, and no
/// SDK retries, so each test sees exactly what one request gets.
pub async fn client_for(emulator: &Emulator) -> PipelineClient {
    client_with(Connection::emulator(emulator.endpoint_url(), "us-east-1")).await
}

/// Both real SDK clients for the emulator.
pub async fn clients_for(emulator: &Emulator) -> Clients {
    let connection = Connection::emulator(emulator.endpoint_url(), "us-east-1");
    Clients::new(&aws::sdk_config(&connection).await)
}

pub async fn sfn_client_for(emulator: &Emulator) -> SfnClient {
    let connection = Connection::emulator(emulator.endpoint_url(), "us-east-1");
    SfnClient::new(&aws::sdk_config(&connection).await)
}

pub async fn client_with(connection: Connection) -> PipelineClient {
    PipelineClient::new(&aws::sdk_config(&connection).await)
}

pub fn settings(read_only: bool) -> Settings {
    Settings {
        read_only,
        profile: None,
        region: Some("us-east-1".into()),
        endpoint_label: Some("demo emulator".into()),
    }
}

/// An app that has read everything a person would see, all at `t0`.
pub async fn loaded_app(emulator: &Emulator, read_only: bool) -> App {
    let clients = clients_for(emulator).await;
    let mut app = App::new(settings(read_only), Schedule::default(), t0());
    unstick::report::load_everything(&mut app, &clients, t0()).await;
    app
}

pub async fn load(app: &mut App, clients: &Clients, read: Read) {
    let result = runner::fetch(clients, &roomy_buckets(), &read).await;
    app.update(Action::Loaded {
        at: t0(),
        result: unstick::action::loaded(read, result),
    });
}

/// Shows the open dialog whole and lets its pause pass, as the loop and the runner do:
/// from then on `y` answers it.
pub fn show_dialog(app: &mut App) {
    let commands = app.update(Action::Drawn { dialog_whole: true });
    let id = commands
        .iter()
        .find_map(|c| match c {
            Command::Arm { dialog, .. } => Some(*dialog),
            _ => None,
        })
        .expect("a dialog drawn whole for the first time asks to be armed");
    app.update(Action::Arm(id));
}

/// `y` on a dialog the person has seen: what it sends.
pub fn answer_yes(app: &mut App) -> Vec<Command> {
    show_dialog(app);
    app.update(char_key('y'))
}

pub fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn char_key(c: char) -> Action {
    key(KeyCode::Char(c))
}

/// Opens a pipeline from the list the way a person does: select it, press Enter.
pub fn open(app: &mut App, name: &str) {
    app.ui.pipelines.selected_pipeline = Some(name.to_string());
    app.update(key(KeyCode::Enter));
}

/// Moves the cursor to a stage by name.
pub fn select_stage(app: &mut App, stage: &str) {
    let pipeline = app.open_pipeline().expect("a pipeline is open").to_string();
    let index = app
        .model
        .codepipeline
        .state(&pipeline)
        .and_then(|s| s.stages.iter().position(|st| st.stage_name == stage))
        .expect("stage exists");
    app.ui.pipelines.selected_stage = index;
}

/// Renders the app as a person would see it, without colour (snapshots compare text).
pub fn screen(app: &App, width: u16, height: u16) -> TestBackend {
    screen_in(app, &Theme::new(false), width, height)
}

/// Renders the app in `theme`.
pub fn screen_in(app: &App, theme: &Theme, width: u16, height: u16) -> TestBackend {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            ui::render(app, theme, frame);
        })
        .unwrap();
    terminal.backend().clone()
}

pub fn screen_text(app: &App, width: u16, height: u16) -> String {
    screen(app, width, height).to_string()
}

pub const SFN_ARN: &str = "arn:aws:states:us-east-1:123456789012";

pub fn execution_arn(machine: &str, name: &str) -> String {
    format!("{SFN_ARN}:execution:{machine}:{name}")
}

/// Switches to the Executions half and opens one execution, its history read.
pub async fn open_execution(app: &mut App, clients: &Clients, arn: &str) {
    if app.ui.view.is_pipelines_section() {
        app.update(key(KeyCode::Tab));
    }
    unstick::report::load_execution(app, clients, arn, t0()).await;
    app.ui.view = unstick::app::View::Executions;
    if !app.execution_arns().iter().any(|listed| listed == arn) {
        // Running and redriven executions are listed on request, as a person presses a.
        app.update(char_key('a'));
        let (machine, _) = arn.rsplit_once(':').unwrap();
        let machine = machine.replace(":execution:", ":stateMachine:");
        for filter in unstick::model::StatusFilter::ALSO_ACTIVE {
            let read = app.executions_read(&machine, filter);
            load(app, clients, read).await;
        }
    }
    app.ui.executions.selected_execution = Some(arn.to_string());
    app.update(key(KeyCode::Enter));
    assert_eq!(app.ui.view, unstick::app::View::Execution(arn.to_string()));
}

/// The demo, read, with one execution opened as a person opens it; the clients too, for
/// reading what it shows next.
pub async fn opened_execution(
    machine: &str,
    name: &str,
    read_only: bool,
) -> (App, Emulator, Clients) {
    let emulator = demo_emulator().await;
    let clients = clients_for(&emulator).await;
    let mut app = loaded_app(&emulator, read_only).await;
    open_execution(&mut app, &clients, &execution_arn(machine, name)).await;
    (app, emulator, clients)
}

/// Buckets that never make a test wait.
pub fn roomy_buckets() -> unstick::poller::Buckets {
    unstick::poller::Buckets::new(unstick::poller::TokenBucket::new(10_000, 10_000.0))
}

/// Every page of a listing, as the dashboard reads it.
pub async fn every_page<T, F, Fut>(
    quota: unstick::action::Quota,
    cap: unstick::paging::Cap,
    page: F,
) -> Result<Vec<T>, aws::AwsError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<aws::Page<T>, aws::AwsError>>,
{
    Ok(
        unstick::paging::every_page(&roomy_buckets(), quota, cap, page)
            .await?
            .items,
    )
}

/// An execution's whole history, every page.
pub async fn history_of(
    client: &SfnClient,
    arn: &str,
) -> Result<Vec<unstick::model::HistoryEvent>, aws::AwsError> {
    use unstick::{action::Quota, paging::HISTORY};
    every_page(Quota::ExecutionHistory, HISTORY, |token| {
        client.execution_history(arn, token)
    })
    .await
}

pub async fn pipelines_of(
    client: &PipelineClient,
) -> Result<Vec<unstick::model::PipelineSummary>, aws::AwsError> {
    use unstick::{action::Quota, paging::PIPELINES};
    every_page(Quota::CodePipeline, PIPELINES, |token| {
        client.list_pipelines(token)
    })
    .await
}

pub async fn machines_of(
    client: &SfnClient,
) -> Result<Vec<unstick::model::StateMachine>, aws::AwsError> {
    use unstick::{action::Quota, paging::STATE_MACHINES};
    every_page(Quota::ListStateMachines, STATE_MACHINES, |token| {
        client.list_state_machines(token)
    })
    .await
}
