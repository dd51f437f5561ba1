//! A client nobody here wrote: boto3 drives the emulator through every operation it
//! claims, pages every listing to its end, and holds each reply to botocore's service
//! models (botocore_client.py). Needs the test command's virtualenv, which it names in
//! UNSTICK_PYTHON; a plain `cargo test` skips it.

use std::process::Command;

use unstick_emulator::{EmulatorOptions, Scenario, start};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs boto3: the README's test command provides it"]
async fn boto3_finds_every_reply_as_botocore_models_it() {
    let python = std::env::var("UNSTICK_PYTHON")
        .expect("UNSTICK_PYTHON names a Python with boto3 (scripts/test.sh sets it)");
    let emulator = start(&Scenario::demo(), EmulatorOptions::default(), 0)
        .await
        .expect("the emulator starts on loopback");
    let claimed = serde_json::to_string(&emulator.operations()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/botocore_client.py");
    let endpoint = emulator.endpoint_url();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .args([script, &endpoint, "us-east-1", &claimed])
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env_remove("AWS_PROFILE")
            .env("NO_PROXY", "127.0.0.1")
            .output()
            .expect("the Python runs")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "{stdout}\n{stderr}");
}
