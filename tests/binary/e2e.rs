//! End to end: the real binary in a pseudo-terminal on its built-in demo, driven by keys
//! and read back through a terminal emulator, as a person at 3 a.m. would use it.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote to the terminal.
    bytes: Arc<Mutex<Vec<u8>>>,
}

impl Session {
    fn start(args: &[&str], state_home: &Path) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_unstick"));
        command.args(args);
        command.env_clear();
        command.env("PATH", std::env::var("PATH").unwrap_or_default());
        command.env("HOME", state_home);
        command.env("XDG_STATE_HOME", state_home);
        command.env("TERM", "xterm-256color");
        command.env("NO_COLOR", "1");
        command.env("LANG", "C.UTF-8");
        command.env("AWS_EC2_METADATA_DISABLED", "true");
        // The AWS files a test may write; absent otherwise.
        command.env("AWS_CONFIG_FILE", state_home.join("aws-config"));
        command.env(
            "AWS_SHARED_CREDENTIALS_FILE",
            state_home.join("aws-credentials"),
        );
        let child = pty.slave.spawn_command(command).expect("unstick starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0)));
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let (parser, raw) = (screen.clone(), bytes.clone());
        std::thread::spawn(move || {
            let _master = pty.master;
            let mut buffer = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                raw.lock().unwrap().extend_from_slice(&buffer[..n]);
                parser.lock().unwrap().process(&buffer[..n]);
            }
        });
        Self {
            child,
            writer,
            screen,
            bytes,
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Esc alone: give the terminal reader time to see it is not the start of a sequence.
    fn escape(&mut self) {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(300));
    }

    /// Enter keeps the filter; once the footer shows the list's keys again, Enter opens.
    fn accept_filter_and_open(&mut self) {
        self.send("\r");
        self.wait_for("Enter open", PATIENCE);
        self.send("\r");
    }

    /// A person reads the dialog before answering: longer than the pause that arms it.
    fn read_dialog(&self) {
        std::thread::sleep(Duration::from_millis(600));
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, text: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let contents = self.contents();
            if contents.contains(text) {
                return contents;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {text:?}; the screen was:\n{contents}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The demo's writes go to their own log, never the real one.
fn demo_audit(state_home: &Path) -> String {
    std::fs::read_to_string(state_home.join("unstick/demo-audit.jsonl")).unwrap_or_default()
}

fn audit_attempts(state_home: &Path, pipeline: &str) -> Vec<serde_json::Value> {
    let text = demo_audit(state_home);
    text.lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|entry| entry["target"]["pipelineName"] == pipeline)
        .collect()
}

const PATIENCE: Duration = Duration::from_secs(60);

#[test]
fn retry_a_failed_stage_and_see_it_succeed_then_quit_cleanly() {
    let state = tempfile::tempdir().unwrap();
    let mut app = Session::start(&["--demo"], state.path());
    app.wait_for("checkout-web", PATIENCE);

    // Find the pipeline by typing, open it, retry the failed actions.
    app.send("/checkout");
    app.wait_for("Pipelines (1/9)", PATIENCE);
    app.accept_filter_and_open();
    app.wait_for("IntegrationTests", PATIENCE);
    app.wait_for("r retry failed: re-runs IntegrationTests", PATIENCE);
    app.send("r");
    app.wait_for("Retry failed actions?", PATIENCE);
    app.read_dialog();
    app.send("y");
    app.wait_for("Retry started", PATIENCE);
    let screen = app.wait_for("Build: Succeeded after retry", PATIENCE);
    assert!(screen.contains("✓ Build  Succeeded"), "{screen}");

    let lines = audit_attempts(state.path(), "checkout-web");
    assert_eq!(lines.len(), 2, "one attempt and one outcome: {lines:?}");
    assert_eq!(lines[0]["phase"], "attempt");
    assert_eq!(lines[1]["outcome"], "succeeded");
    assert_eq!(lines[0]["intentId"], lines[1]["intentId"]);
    assert!(
        !state.path().join("unstick/audit.jsonl").exists(),
        "a demo write reached the real audit log"
    );
    let mode = std::fs::metadata(state.path().join("unstick/demo-audit.jsonl")).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777,
        0o600
    );

    // Pressing keys fast and twice still sends one request.
    app.escape();
    app.escape();
    app.send("/payments");
    app.wait_for("Pipelines (1/9)", PATIENCE);
    app.accept_filter_and_open();
    app.wait_for("DeployEuWest1", PATIENCE);
    app.wait_for("r retry failed: re-runs", PATIENCE);
    // Typed ahead, all at once: the dialog opens, and none of the keys answers it.
    app.send("rryryRy");
    app.wait_for("Retry failed actions?", PATIENCE);
    std::thread::sleep(Duration::from_millis(800));
    let attempts = |state: &Path| -> Vec<serde_json::Value> {
        audit_attempts(state, "payments-api")
            .into_iter()
            .filter(|entry| entry["phase"] == "attempt")
            .collect()
    };
    assert!(attempts(state.path()).is_empty(), "typeahead sent a write");
    app.send("y");
    app.wait_for("Retry started", PATIENCE);
    // Mashing again while the retry is followed sends nothing more.
    app.send("ryry");
    std::thread::sleep(Duration::from_millis(800));
    app.send("ryry");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        attempts(state.path()).len(),
        1,
        "{:?}",
        attempts(state.path())
    );

    app.send("q");
    let status = app.child.wait().expect("unstick exits");
    assert!(status.success());
    // The terminal is handed back: the alternate screen is gone.
    std::thread::sleep(Duration::from_millis(200));
    assert!(!app.screen.lock().unwrap().screen().alternate_screen());
}

#[test]
fn read_only_refuses_and_says_so() {
    let state = tempfile::tempdir().unwrap();
    let mut app = Session::start(&["--demo", "--read-only"], state.path());
    app.wait_for("READ-ONLY", PATIENCE);
    app.send("/checkout");
    app.wait_for("Pipelines (1/9)", PATIENCE);
    app.accept_filter_and_open();
    app.wait_for("IntegrationTests", PATIENCE);
    app.send("r");
    app.wait_for("Cannot retry Build: read-only mode", PATIENCE);
    // `y` answers only a dialog; here it copies the link, and nothing is sent.
    app.send("y");
    app.wait_for("Copied the console link", PATIENCE);
    assert!(audit_attempts(state.path(), "checkout-web").is_empty());
    app.send("\x03");
    assert!(app.child.wait().unwrap().success());
}

fn audit_lines(state_home: &Path, operation: &str) -> Vec<serde_json::Value> {
    let text = demo_audit(state_home);
    text.lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|entry| entry["operation"] == operation)
        .collect()
}

#[test]
fn redrive_a_failed_execution_and_see_it_succeed() {
    let state = tempfile::tempdir().unwrap();
    let mut app = Session::start(&["--demo"], state.path());
    app.wait_for("checkout-web", PATIENCE);
    app.send("\t");
    app.wait_for("Executions (", PATIENCE);
    app.send("/order-58211");
    app.wait_for("Executions (1)", PATIENCE);
    app.accept_filter_and_open();
    app.wait_for("Failed state ChargeCard", PATIENCE);
    app.wait_for("r redrive: re-runs ChargeCard", PATIENCE);
    app.send("r");
    app.wait_for("Redrive execution?", PATIENCE);
    app.read_dialog();
    app.send("rry");
    app.wait_for("Redrive started: order-58211", PATIENCE);
    app.wait_for("◔ RUNNING", PATIENCE);
    let screen = app.wait_for("SUCCEEDED after redrive, redrive count 1", PATIENCE);
    assert!(screen.contains("redriven 1×"), "{screen}");

    let lines = audit_lines(state.path(), "RedriveExecution");
    let attempts: Vec<_> = lines.iter().filter(|l| l["phase"] == "attempt").collect();
    assert_eq!(attempts.len(), 1, "{lines:?}");
    let token = attempts[0]["clientToken"]
        .as_str()
        .expect("the token is recorded");
    assert!(
        attempts[0]["target"]["executionArn"]
            .as_str()
            .unwrap()
            .ends_with("order-58211")
    );
    let outcome = lines.iter().find(|l| l["phase"] == "outcome").unwrap();
    assert_eq!(outcome["clientToken"], token);
    assert_eq!(outcome["outcome"], "succeeded");

    app.send("q");
    assert!(app.child.wait().unwrap().success());
}

/// Where `needle` last occurs in `haystack`.
fn last_index(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

const ENTER_ALTERNATE: &[u8] = b"\x1b[?1049h";
const LEAVE_ALTERNATE: &[u8] = b"\x1b[?1049l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const PASTE_OFF: &[u8] = b"\x1b[?2004l";

#[test]
fn every_stop_signal_restores_the_terminal_and_exits_as_shells_expect() {
    for (name, number) in [("TERM", 15), ("HUP", 1), ("INT", 2), ("QUIT", 3)] {
        let state = tempfile::tempdir().unwrap();
        let app = Session::start(&["--demo"], state.path());
        app.wait_for("checkout-web", PATIENCE);
        let pid = app.child.process_id().expect("a pid").to_string();
        let sent = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let mut child = app.child;
        let status = child.wait().expect("unstick exits");
        assert_eq!(status.exit_code(), 128 + number, "SIG{name}");
        std::thread::sleep(Duration::from_millis(200));
        let bytes = app.bytes.lock().unwrap().clone();
        let entered = last_index(&bytes, ENTER_ALTERNATE).expect("entered the alternate screen");
        for (what, sequence) in [
            ("left the alternate screen", LEAVE_ALTERNATE),
            ("showed the cursor", SHOW_CURSOR),
            ("turned bracketed paste off", PASTE_OFF),
        ] {
            let at = last_index(&bytes, sequence).unwrap_or(0);
            assert!(at > entered, "SIG{name}: never {what} at the end");
        }
    }
}

#[test]
fn strings_from_aws_never_write_control_sequences_to_the_terminal() {
    let state = tempfile::tempdir().unwrap();
    // A name with a right-to-left override, and an error message and a cause that try
    // to retitle the terminal, ring its bell and move the cursor.
    // AWS refuses to read a pipeline whose name breaks its pattern: that one is listed
    // with the refusal, and the hostile action name and messages come from another.
    let hostile_name = "deploy-\u{202E}dorp\u{202C}-web";
    let scenario = serde_json::json!({
        "pipelines": [{
            "name": hostile_name,
            "stages": [{"name": "Source", "actions": [{"name": "Src", "category": "Source", "provider": "S3"}]}]
        }, {
            "name": "deploy-web",
            "stages": [
                {"name": "Source", "actions": [{"name": "Src", "category": "Source", "provider": "S3"}]},
                {"name": "Build", "actions": [{"name": "Compile\u{2066}x"}]}
            ],
            "executions": [{
                "id": "11111111-2222-4333-8444-555555555555",
                "minutesAgo": 3,
                "stages": {
                    "Source": {"Src": {"status": "Succeeded"}},
                    "Build": {"Compile\u{2066}x": {
                        "status": "Failed",
                        "errorCode": "Job\u{1b}[2JFailed",
                        "errorMessage": "boom \u{1b}]0;owned\u{7} \u{9b}31m red \u{202E}esrever"
                    }}
                }
            }]
        }],
        "stateMachines": [{
            "name": "orders\u{202E}",
            "executions": [{
                "name": "run-\u{1b}[5mblink",
                "minutesAgo": 10,
                "durationMinutes": 1,
                "trace": [{"kind": "fail", "name": "Reject\u{2067}",
                    "error": "Bad\u{1b}[1mInput", "cause": "line one\u{85}\u{202D}two\u{1b}]8;;http://evil\u{7}"}]
            }]
        }]
    });
    let path = state.path().join("hostile.json");
    std::fs::write(&path, scenario.to_string()).unwrap();
    let mut app = Session::start(
        &["--demo", "--demo-scenario", path.to_str().unwrap()],
        state.path(),
    );
    app.wait_for("dorp", PATIENCE);
    app.send("/deploy-web");
    app.accept_filter_and_open();
    app.wait_for("boom", PATIENCE);
    app.escape();
    app.send("\t");
    app.wait_for("blink", PATIENCE);
    app.send("\r");
    app.wait_for("line one", PATIENCE);
    app.send("q");
    assert!(app.child.wait().unwrap().success());
    let bytes = app.bytes.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&bytes);
    for forbidden in [
        '\u{202E}', '\u{202D}', '\u{202C}', '\u{2066}', '\u{2067}', '\u{85}', '\u{9b}', '\u{7}',
    ] {
        assert!(
            !text.contains(forbidden),
            "U+{:04X} reached the terminal",
            forbidden as u32
        );
    }
    for forbidden in ["]0;owned", "[2J", "[5m", "]8;;http://evil", "[1mInput"] {
        assert!(
            !text.contains(&format!("\u{1b}{forbidden}")),
            "ESC{forbidden} reached the terminal"
        );
    }
}

#[test]
fn a_failed_build_shows_its_failing_line_and_an_action_opens_its_execution() {
    let state = tempfile::tempdir().unwrap();
    let mut app = Session::start(&["--demo"], state.path());
    app.wait_for("9 pipelines", PATIENCE);
    app.send("/checkout");
    app.wait_for("Pipelines (1/9)", PATIENCE);
    app.accept_filter_and_open();
    // The stage detail reads the failed build and shows its log around the failing test.
    app.wait_for("FAILED in BUILD", PATIENCE);
    app.wait_for("FAIL test/integration/checkout/totals.test.ts", PATIENCE);
    // Enter: the whole log, on its first error line; `/` finds the assertion.
    app.send("\r");
    app.wait_for("Build log checkout-web-it:", PATIENCE);
    app.send("/Expected:\r");
    app.wait_for("Expected: 2143", PATIENCE);
    app.escape();
    app.escape();
    app.escape();
    app.send("/inventory");
    app.wait_for("Pipelines (1/9)", PATIENCE);
    app.accept_filter_and_open();
    app.wait_for("SyncWarehouses", PATIENCE);
    // → chooses the next action: the Step Functions one; Enter opens what it ran.
    app.send("\x1b[C");
    app.wait_for("ran execution reindex-b7a69584", PATIENCE);
    app.send("\r");
    app.wait_for("Failed state RebuildIndex", PATIENCE);
    app.wait_for("r redrive", PATIENCE);
    app.escape();
    app.wait_for("inventory-sync v6", PATIENCE);
    app.send("q");
    assert!(app.child.wait().unwrap().success());
}

/// Types a command on the `:` line and runs it.
fn command(app: &mut Session, text: &str) {
    app.send(":");
    app.wait_for("Tab complete", PATIENCE);
    app.send(text);
    app.send("\r");
}

#[test]
fn switching_region_inside_the_app_reads_the_other_region_and_comes_back() {
    let state = tempfile::tempdir().unwrap();
    let mut app = Session::start(&["--demo"], state.path());
    app.wait_for("checkout-web", PATIENCE);
    app.wait_for("123456789012 · us-east-1", PATIENCE);
    // Completion as a person uses it: a beginning, Tab, the rest.
    app.send(":reg\t");
    app.wait_for(":region ▏", PATIENCE);
    app.send("eu-west-1\r");
    let screen = app.wait_for("No pipelines in eu-west-1", PATIENCE);
    assert!(screen.contains("123456789012 · eu-west-1"), "{screen}");
    assert!(!screen.contains("checkout-web"), "{screen}");
    // The other half moved too.
    app.send("\t");
    app.wait_for("No state machines in eu-west-1", PATIENCE);
    // Back home, the whole picture returns.
    command(&mut app, "region us-east-1");
    app.wait_for("Switched to region us-east-1", PATIENCE);
    command(&mut app, "pipelines");
    let screen = app.wait_for("checkout-web", PATIENCE);
    assert!(screen.contains("123456789012 · us-east-1"), "{screen}");
    // A name that is not a region is one line, and nothing moves.
    command(&mut app, "region mars-1");
    app.wait_for("'mars-1' is not a region name", PATIENCE);
    command(&mut app, "q");
    assert!(app.child.wait().unwrap().success());
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_profile_inside_the_app_uses_its_credentials_and_region() {
    let emulator = crate::common::demo_emulator().await;
    let url = emulator.endpoint_url();
    let state = tempfile::tempdir().unwrap();
    let keys = "aws_access_key_id = AKIDTEST\naws_secret_access_key = secret\n";
    std::fs::write(
        state.path().join("aws-config"),
        format!(
            "[profile blue]\nregion = us-east-1\n{keys}\n[profile green]\nregion = eu-west-1\n{keys}"
        ),
    )
    .unwrap();
    let home = state.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut app = Session::start(&["--profile", "blue", "--endpoint-url", &url], &home);
        let screen = app.wait_for("checkout-web", PATIENCE);
        assert!(screen.contains("us-east-1 · blue"), "{screen}");
        // The profiles the config defines are offered.
        app.send(":profile ");
        app.wait_for("blue  green", PATIENCE);
        app.send("gr\t\r");
        let screen = app.wait_for("No pipelines in eu-west-1", PATIENCE);
        assert!(screen.contains("eu-west-1 · green"), "{screen}");
        command(&mut app, "profile ghost");
        app.wait_for("AWS profile 'ghost' is not defined", PATIENCE);
        app.send("\x03");
        assert!(app.child.wait().unwrap().success());
    })
    .await
    .unwrap();
}
