//! The scenario file the emulator starts from (assets/demo-scenario.json is the demo's).
//! Times are relative ("minutesAgo") so a scenario always looks like it happened just now.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    #[serde(default = "default_account")]
    pub account_id: String,
    /// How long a retried action runs before it ends.
    #[serde(default = "default_retry_seconds")]
    pub retry_seconds: f64,
    #[serde(default)]
    pub pipelines: Vec<PipelineSpec>,
    #[serde(default)]
    pub state_machines: Vec<MachineSpec>,
}

fn default_account() -> String {
    "123456789012".into()
}

fn default_retry_seconds() -> f64 {
    4.0
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineSpec {
    pub name: String,
    #[serde(default = "one")]
    pub version: i32,
    #[serde(default = "v2")]
    pub pipeline_type: String,
    #[serde(default = "superseded")]
    pub execution_mode: String,
    pub stages: Vec<StageSpec>,
    #[serde(default)]
    pub disabled_transitions: Vec<DisabledTransition>,
    /// Newest or oldest first: the emulator sorts them by time.
    #[serde(default)]
    pub executions: Vec<ExecutionSpec>,
    /// Action name → "Succeeded" or "Failed": how a retried action ends (default Succeeded).
    #[serde(default)]
    pub retry_outcome: BTreeMap<String, String>,
    /// Operations that answer AccessDeniedException for this pipeline.
    #[serde(default)]
    pub deny: Vec<String>,
}

fn one() -> i32 {
    1
}
fn v2() -> String {
    "V2".into()
}
fn superseded() -> String {
    "SUPERSEDED".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageSpec {
    pub name: String,
    pub actions: Vec<ActionSpec>,
    #[serde(default)]
    pub on_failure: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionSpec {
    pub name: String,
    #[serde(default = "one")]
    pub run_order: i32,
    #[serde(default = "build")]
    pub category: String,
    #[serde(default = "codebuild")]
    pub provider: String,
    /// For CodeBuild actions: the project it builds (default `<pipeline>-<action>`, lower case).
    #[serde(default)]
    pub project: Option<String>,
}

fn build() -> String {
    "Build".into()
}
fn codebuild() -> String {
    "CodeBuild".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DisabledTransition {
    pub stage: String,
    pub reason: String,
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub minutes_ago: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionSpec {
    pub id: String,
    pub minutes_ago: f64,
    #[serde(default)]
    pub pipeline_version: Option<i32>,
    #[serde(default = "webhook")]
    pub trigger: String,
    /// Stopped, Superseded…: when the status is not what the stages imply.
    #[serde(default)]
    pub status: Option<String>,
    /// Stage name → action name → how that action ran.
    #[serde(default)]
    pub stages: BTreeMap<String, BTreeMap<String, ActionRunSpec>>,
}

fn webhook() -> String {
    "Webhook".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionRunSpec {
    pub status: String,
    #[serde(default)]
    pub minutes_ago: Option<f64>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub error_message: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub percent_complete: Option<i32>,
    /// What the action ran, when the provider names it: for StepFunctions the execution
    /// ARN, in which `{region}` and `{account}` stand for the emulator's. CodeBuild
    /// actions get a build of their own instead.
    #[serde(default)]
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MachineSpec {
    pub name: String,
    /// STANDARD or EXPRESS.
    #[serde(rename = "type", default = "standard")]
    pub machine_type: String,
    #[serde(default)]
    pub executions: Vec<SfnRunSpec>,
    /// Operations that answer AccessDeniedException for this machine's executions.
    #[serde(default)]
    pub deny: Vec<String>,
}

fn standard() -> String {
    "STANDARD".into()
}

/// A Step Functions execution, described by what it did; the emulator writes its history.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SfnRunSpec {
    pub name: String,
    /// When it started.
    pub minutes_ago: f64,
    /// How long it ran (not for RUNNING).
    #[serde(default = "two")]
    pub duration_minutes: f64,
    /// FAILED (default when the trace fails), TIMED_OUT, ABORTED, RUNNING or SUCCEEDED.
    #[serde(default)]
    pub status: Option<String>,
    pub trace: Vec<Step>,
    /// Pass states added before the trace, to make a history this many events long.
    #[serde(default)]
    pub history_events: Option<usize>,
    /// A redrive already done: it happened `minutesAgo` and ended as `status`.
    #[serde(default)]
    pub redriven: Option<RedriveSpec>,
    /// How a redrive from the dashboard ends: SUCCEEDED (default) or FAILED.
    #[serde(default)]
    pub redrive_outcome: Option<String>,
}

fn two() -> f64 {
    2.0
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedriveSpec {
    pub minutes_ago: f64,
    pub status: String,
}

/// One step of a trace.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Step {
    Pass {
        name: String,
    },
    /// A Task: each failure is one failed attempt; it succeeds afterwards unless `fails`.
    /// With `caught`, its last failure goes to the next step (a Catch).
    Task {
        name: String,
        #[serde(default)]
        resource: Option<String>,
        #[serde(default)]
        failures: Vec<ErrorSpec>,
        #[serde(default)]
        fails: bool,
        #[serde(default)]
        caught: bool,
    },
    Fail {
        name: String,
        error: String,
        cause: String,
    },
    Wait {
        name: String,
    },
    Parallel {
        name: String,
        branches: Vec<Vec<Step>>,
    },
    Map {
        name: String,
        iterations: Vec<Vec<Step>>,
    },
    DistributedMap {
        name: String,
        items: i64,
        failed: i64,
        #[serde(default)]
        failures_not_redrivable: i64,
        #[serde(default)]
        tolerated_failure_percentage: f64,
    },
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorSpec {
    pub error: String,
    #[serde(default)]
    pub cause: String,
}

impl Scenario {
    pub fn demo() -> Self {
        serde_json::from_str(include_str!("../assets/demo-scenario.json"))
            .expect("the bundled demo scenario is valid")
    }

    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read scenario {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("scenario {} is not valid: {e}", path.display()))
    }
}
