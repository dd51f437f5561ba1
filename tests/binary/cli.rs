//! The real binary, run as a person runs it: `unstick report`, and bad input that must
//! give one clear line, never a panic.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;
use unstick::emulator::{ApiError, EmulatorOptions, Fault, Scenario};

/// Runs the binary with a clean, controlled environment: no AWS variables but those given,
/// no real config files, no instance metadata.
fn unstick(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_unstick"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("AWS_CONFIG_FILE", home.join("aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("aws-credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the binary runs")
}

async fn run(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = home.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        unstick(&home, &args, &env)
    })
    .await
    .unwrap()
}

/// Static keys and a region, for runs that must get past credential loading.
const KEYS_AND_REGION: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY", "secret"),
    ("AWS_REGION", "us-east-1"),
];

/// `unstick report` on the built-in emulator running `scenario`.
async fn report_on(home: &Path, scenario: &serde_json::Value) -> Output {
    let path = home.join("scenario.json");
    std::fs::write(&path, scenario.to_string()).unwrap();
    run(
        home,
        &[
            "report",
            "--demo",
            "--demo-scenario",
            path.to_str().unwrap(),
        ],
        &[],
    )
    .await
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_string()
}

/// A bad-input run: fails, says one line, no panic.
fn assert_one_line_error(output: &Output, words: &str) {
    let text = stderr(output);
    assert!(!output.status.success(), "should fail: {text}");
    assert!(!text.contains("panicked"), "{text}");
    assert_eq!(text.lines().count(), 1, "one line, got: {text}");
    assert!(text.contains(words), "expected {words:?} in: {text}");
}

#[tokio::test]
async fn report_prints_what_is_failing() {
    let home = tempfile::tempdir().unwrap();
    let output = run(home.path(), &["report", "--demo"], &[]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("checkout-web"))
        .expect("checkout-web row");
    for word in [
        "Build",
        "IntegrationTests",
        "JobFailed",
        "12m ago",
        "yes: re-runs IntegrationTests",
    ] {
        assert!(line.contains(word), "{word} missing in {line}");
    }
    let orders = text
        .lines()
        .find(|l| l.starts_with("orders-service"))
        .unwrap();
    assert!(
        orders.contains("no: the pipeline changed since this run failed"),
        "{orders}"
    );
    assert!(text.contains("5 of 9 pipelines failing"), "{text}");
    let execution = text
        .lines()
        .find(|l| l.starts_with("order-fulfilment"))
        .expect("execution row");
    for word in [
        "order-58211",
        "FAILED",
        "ChargeCard",
        "PaymentGatewayTimeout",
        "yes (",
    ] {
        assert!(execution.contains(word), "{word} missing in {execution}");
    }
    assert!(
        text.contains("8 executions failed, timed out or aborted"),
        "{text}"
    );
}

#[tokio::test]
async fn report_json_has_stages_actions_and_eligibility() {
    let home = tempfile::tempdir().unwrap();
    let output = run(
        home.path(),
        &["report", "--json", "--demo", "--read-only"],
        &[],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["pipelineCount"], 9);
    let pipelines = report["pipelines"].as_array().unwrap();
    assert_eq!(pipelines.len(), 5);
    let checkout = pipelines
        .iter()
        .find(|p| p["pipelineName"] == "checkout-web")
        .unwrap();
    let build = checkout["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stageName"] == "Build")
        .unwrap();
    assert_eq!(build["status"], "Failed");
    let action = build["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["actionName"] == "IntegrationTests")
        .unwrap();
    assert_eq!(action["errorCode"], "JobFailed");
    assert!(action["errorMessage"].as_str().unwrap().contains("npm run"));
    // --read-only is a reason like any other.
    let verdict = &build["retry"]["failedActions"];
    assert_eq!(verdict["eligible"], false);
    assert_eq!(verdict["reasons"][0]["reason"], "readOnly");

    let orders = pipelines
        .iter()
        .find(|p| p["pipelineName"] == "orders-service")
        .unwrap();
    let deploy = orders["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stageName"] == "Deploy")
        .unwrap();
    let reasons = deploy["retry"]["allActions"]["reasons"].as_array().unwrap();
    let changed = reasons
        .iter()
        .find(|r| r["reason"] == "structureChanged")
        .unwrap();
    assert_eq!(changed["failedVersion"], 4);
    assert_eq!(changed["currentVersion"], 5);
    assert!(
        changed["message"]
            .as_str()
            .unwrap()
            .contains("changed since")
    );

    // Step Functions: the failed state, error, cause and redrive verdict of each.
    assert_eq!(report["stateMachineCount"], 8);
    let executions = report["executions"].as_array().unwrap();
    assert_eq!(executions.len(), 8);
    let by_name = |name: &str| {
        executions
            .iter()
            .find(|e| e["name"] == name)
            .unwrap()
            .clone()
    };
    let order = by_name("order-58211");
    assert_eq!(order["stateMachineName"], "order-fulfilment");
    assert_eq!(order["failedState"], "ChargeCard");
    assert_eq!(order["error"], "PaymentGatewayTimeout");
    assert!(
        order["cause"]
            .as_str()
            .unwrap()
            .contains("gateway did not answer")
    );
    // The report judges a redrive by AWS's rules from the list and the history; it does
    // not spend a DescribeExecution per execution on AWS's own redriveStatus.
    assert_eq!(order["redriveStatus"], serde_json::Value::Null);
    assert_eq!(order["redrive"]["reasons"][0]["reason"], "readOnly");
    assert_eq!(order["redrive"]["reasons"].as_array().unwrap().len(), 1);
    let report_run = by_name("report-2026-11-21");
    assert_eq!(report_run["failedState"], "UploadToS3");
    assert_eq!(report_run["path"][0]["name"], "BuildOutputs");
    let old = by_name("sync-1031");
    let reasons: Vec<&str> = old["redrive"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"windowClosed"), "{reasons:?}");
    let batch = by_name("batch-3117");
    assert_eq!(batch["mapRuns"][0]["itemCounts"]["failed"], 37);
}

#[tokio::test]
async fn missing_credentials() {
    let emulator = demo_emulator().await;
    let home = tempfile::tempdir().unwrap();
    let url = emulator.endpoint_url();
    let output = run(
        home.path(),
        &["report", "--endpoint-url", &url, "--region", "us-east-1"],
        &[],
    )
    .await;
    assert_one_line_error(&output, "no AWS credentials");
}

#[tokio::test]
async fn unknown_profile() {
    let emulator = demo_emulator().await;
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("aws-config"),
        "[default]\nregion = us-east-1\n",
    )
    .unwrap();
    let url = emulator.endpoint_url();
    let output = run(
        home.path(),
        &["report", "--profile", "ghost", "--endpoint-url", &url],
        &[],
    )
    .await;
    assert_one_line_error(&output, "profile 'ghost' is not defined");
    // The dashboard says the same, before it takes over the terminal.
    let output = run(
        home.path(),
        &["--profile", "ghost", "--endpoint-url", &url],
        &[],
    )
    .await;
    assert_one_line_error(&output, "profile 'ghost' is not defined");
}

#[tokio::test]
async fn expired_credentials() {
    let emulator = demo_emulator().await;
    emulator.inject(
        None,
        Fault::Error(ApiError::new(
            400,
            "ExpiredTokenException",
            "The security token included in the request is expired",
        )),
        50,
    );
    let home = tempfile::tempdir().unwrap();
    let url = emulator.endpoint_url();
    let output = run(
        home.path(),
        &["report", "--endpoint-url", &url],
        &KEYS_AND_REGION,
    )
    .await;
    assert_one_line_error(&output, "credentials have expired");
}

#[tokio::test]
async fn no_region() {
    let home = tempfile::tempdir().unwrap();
    let output = run(home.path(), &["report"], &KEYS_AND_REGION[..2]).await;
    assert_one_line_error(&output, "no AWS region");
}

#[tokio::test]
async fn endpoint_down() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let home = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let output = run(
        home.path(),
        &["report", "--endpoint-url", &url],
        &KEYS_AND_REGION,
    )
    .await;
    assert_one_line_error(&output, "cannot reach the AWS endpoint");
}

#[tokio::test]
async fn access_denied_on_one_pipeline_is_reported_and_the_rest_still_are() {
    let home = tempfile::tempdir().unwrap();
    let mut scenario: serde_json::Value = serde_json::from_str(include_str!(
        "../../crates/unstick-emulator/assets/demo-scenario.json"
    ))
    .unwrap();
    scenario["pipelines"][1]["deny"] = serde_json::json!(["GetPipelineState"]);
    let output = report_on(home.path(), &scenario).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let denied = text
        .lines()
        .find(|l| l.starts_with("payments-api"))
        .unwrap();
    assert!(denied.contains("codepipeline:GetPipelineState"), "{denied}");
    assert!(text.lines().any(|l| l.starts_with("checkout-web")));
}

#[tokio::test]
async fn a_region_with_no_pipelines() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("empty.json");
    std::fs::write(&path, r#"{"pipelines": []}"#).unwrap();
    let output = run(
        home.path(),
        &[
            "report",
            "--demo",
            "--demo-scenario",
            path.to_str().unwrap(),
        ],
        &[],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("0 of 0 pipelines failing")
    );
}

#[tokio::test]
async fn a_bad_scenario_file_is_one_line() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("bad.json");
    std::fs::write(&path, "{ not json").unwrap();
    let output = run(
        home.path(),
        &[
            "report",
            "--demo",
            "--demo-scenario",
            path.to_str().unwrap(),
        ],
        &[],
    )
    .await;
    assert_one_line_error(&output, "is not valid");
}

#[test]
fn emulator_options_default_to_loopback_and_real_time() {
    let options = EmulatorOptions::default();
    assert!(options.scenario_time.is_none());
    assert!(Scenario::demo().pipelines.len() >= 8);
}

#[tokio::test]
async fn the_emulator_runs_alone_for_other_clients() {
    use std::io::BufRead;
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_unstick"))
        .args(["emulator", "--port", "0"])
        .env("XDG_STATE_HOME", home.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .unwrap();
        line
    })
    .await
    .unwrap();
    let url = first.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    let client = client_with(unstick::aws::Connection::emulator(url, "us-east-1")).await;
    let pipelines = pipelines_of(&client).await;
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(pipelines.unwrap().len(), 9);
}

#[tokio::test]
async fn report_shows_control_characters_from_aws_as_escapes() {
    let home = tempfile::tempdir().unwrap();
    // AWS refuses to read a pipeline whose name breaks its pattern, so the hostile name
    // is listed with that refusal; the hostile error code comes from a readable pipeline.
    let scenario = serde_json::json!({
        "pipelines": [{
            "name": "deploy-\u{202E}dorp",
            "stages": [{"name": "Build", "actions": [{"name": "Compile"}]}]
        }, {
            "name": "deploy-web",
            "stages": [{"name": "Build", "actions": [{"name": "Compile"}]}],
            "executions": [{
                "id": "11111111-2222-4333-8444-555555555555",
                "minutesAgo": 3,
                "stages": {"Build": {"Compile": {
                    "status": "Failed",
                    "errorCode": "Job\u{1b}[2JFailed",
                    "errorMessage": "boom"
                }}}
            }]
        }]
    });
    let output = report_on(home.path(), &scenario).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        !text.contains('\u{202E}') && !text.contains('\u{1b}'),
        "{text:?}"
    );
    assert!(text.contains("deploy-\\u{202e}dorp"), "{text}");
    assert!(text.contains("Job\\u{001b}[2JFailed"), "{text}");
}

#[tokio::test]
async fn the_log_is_private_and_never_holds_credentials_even_at_trace() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let output = run(
        home.path(),
        &["report", "--demo"],
        &[("UNSTICK_LOG", "trace")],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let dir = home.path().join("state/unstick");
    let log = std::fs::read_to_string(dir.join("unstick.log")).unwrap();
    assert!(
        log.lines().count() > 10,
        "trace logging wrote little: {log}"
    );
    // The demo's credentials: neither the key id nor the secret may be written.
    for secret in ["AKIDUNSTICKDEMO", "unstick-demo-secret"] {
        assert!(!log.contains(secret), "{secret} is in the log");
    }
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir.join("unstick.log")), 0o600);
    assert_eq!(mode(&dir), 0o700);
}

#[test]
fn each_command_lists_only_the_flags_it_uses() {
    let help = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_unstick"))
            .args(args)
            .arg("--help")
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let emulator = help(&["emulator"]);
    for foreign in ["--read-only", "--demo", "--audit-log", "--profile"] {
        assert!(!emulator.contains(foreign), "{foreign} in:\n{emulator}");
    }
    // Its own --region: the region it answers as.
    assert!(emulator.contains("published quotas apply"), "{emulator}");
    assert!(emulator.contains("--scenario <PATH>"), "{emulator}");
    assert!(emulator.contains("Scenario file"), "{emulator}");
    let report = help(&["report"]);
    assert!(!report.contains("--audit-log"), "{report}");
    let top = help(&[]);
    assert!(top.contains("Step Functions"), "{top}");
}

#[tokio::test]
async fn report_for_cron_fails_on_failure_in_the_dashboards_order_with_numbers() {
    let home = tempfile::tempdir().unwrap();
    let output = run(
        home.path(),
        &["report", "--output", "json", "--fail-on-failure", "--demo"],
        &[],
    )
    .await;
    // Something is failing, and the picture is whole: 1, as cron and CI expect.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["account"], "123456789012");
    assert_eq!(report["region"], "us-east-1");
    // As the dashboard lists them: the most recent failure first.
    let names: Vec<&str> = report["pipelines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pipelineName"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "inventory-sync", "{names:?}");
    assert_eq!(names.last(), Some(&"orders-service"), "{names:?}");
    let execution = &report["executions"][0];
    let left = execution["redriveWindowLeftSeconds"].as_i64().unwrap();
    assert!(left > 13 * 86_400 && left <= 14 * 86_400, "{left}");
    assert!(
        execution["stopDate"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .is_ok()
    );

    // The table says where and when, in ISO 8601.
    let table = run(home.path(), &["report", "--demo"], &[]).await;
    assert!(table.status.success(), "{}", stderr(&table));
    let text = String::from_utf8(table.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("Account 123456789012 · us-east-1 · read 20"),
        "{first}"
    );
    assert!(first.ends_with('Z'), "{first}");
    let row = text
        .lines()
        .find(|l| l.starts_with("inventory-sync"))
        .unwrap();
    assert!(row.contains("Z (6m ago)"), "{row}");
}

#[tokio::test]
async fn completions_and_the_manual_page_are_printed() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let output = run(home.path(), &["completions", shell], &[]).await;
        assert!(output.status.success(), "{}", stderr(&output));
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains("--read-only"), "{shell}: {script}");
        assert!(script.contains("fail-on-failure"), "{shell}");
    }
    let man = run(home.path(), &["man"], &[]).await;
    assert!(man.status.success(), "{}", stderr(&man));
    let page = String::from_utf8(man.stdout).unwrap();
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH unstick"),
        "{page}"
    );
    assert!(page.contains("read\\-only"), "{page}");
}

#[tokio::test]
async fn without_a_terminal_the_dashboard_points_to_report() {
    let home = tempfile::tempdir().unwrap();
    // Output() gives the program no terminal: stdin is /dev/null, stdout a pipe.
    let output = run(home.path(), &["--demo"], &[]).await;
    assert_one_line_error(&output, "unstick needs a terminal; try `unstick report`");
}

#[tokio::test]
async fn the_settings_file_is_documented_read_and_forgiven() {
    let home = tempfile::tempdir().unwrap();
    // The documented default is a file unstick reads as its own defaults.
    let output = run(home.path(), &["config", "--print-default"], &[]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(unstick::config::parse(&text).is_ok());
    let output = run(home.path(), &["config"], &[]).await;
    let path = String::from_utf8(output.stdout).unwrap();
    assert!(path.trim().ends_with("unstick/config.toml"), "{path}");

    // A file with a mistake: one line naming it, its line and the setting, and the
    // report still runs on the defaults.
    let dir = home.path().join(".config/unstick");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "[polling]\nbudget = 2\nburst = 9\n",
    )
    .unwrap();
    let output = run(home.path(), &["report", "--demo"], &[]).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let warning = stderr(&output);
    assert_eq!(warning.lines().count(), 1, "{warning}");
    assert!(
        warning.contains("config.toml line 3: unknown field `burst`"),
        "{warning}"
    );
    assert!(warning.ends_with("using the defaults"), "{warning}");

    // A good one is used: its region is the report's, unless a flag names another.
    let config = home.path().join("mine.toml");
    std::fs::write(&config, "[aws]\nregion = \"eu-west-1\"\n").unwrap();
    let output = run(
        home.path(),
        &[
            "--config",
            config.to_str().unwrap(),
            "report",
            "--json",
            "--demo",
        ],
        &[],
    )
    .await;
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["region"], "eu-west-1");
}
