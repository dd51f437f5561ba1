//! Step Functions' rules, kept in memory: state machines, executions with the histories
//! their traces write, Map Runs, and redrive with clientToken idempotency. Like the
//! CodePipeline half, time moves lazily: events stamped in the future are not there yet.

mod children;
mod history;
mod lambda_logs;
mod operations;
mod redrive;

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use self::history::{Event, MapRunSeed, Recorder};
use super::scenario::{Scenario, SfnRunSpec};
use super::{ApiError, epoch, required};
use crate::logs::SharedLogs;
use crate::service::{Call, Operation, Protocol, Service, unanswered, with_next};

#[derive(Debug)]
pub struct StepFunctions {
    account: String,
    /// How long each step of a redrive takes to play out.
    redrive_step: SignedDuration,
    machines: Vec<Machine>,
    runs: Vec<Run>,
}

#[derive(Debug)]
struct Machine {
    arn: String,
    name: String,
    kind: String,
    created: Timestamp,
    deny: HashSet<String>,
}

#[derive(Debug)]
struct Run {
    arn: String,
    name: String,
    machine_arn: String,
    start: Timestamp,
    events: Vec<Event>,
    /// Where the trace failed, for a redrive to start from.
    failed_state: Option<String>,
    map_runs: Vec<MapRunState>,
    /// (clientToken, when, redriveDate): AWS keeps the last ten for 15 minutes.
    tokens: Vec<(String, Timestamp, Timestamp)>,
    redrive_outcome: String,
}

#[derive(Debug)]
struct MapRunState {
    seed: MapRunSeed,
    start: Timestamp,
    stop: Timestamp,
    redrive_count: i32,
    redrive_date: Option<Timestamp>,
    /// When a redrive made the failed items succeed.
    healed_at: Option<Timestamp>,
}

const TERMINALS: &[(&str, &str)] = &[
    ("ExecutionFailed", "FAILED"),
    ("ExecutionTimedOut", "TIMED_OUT"),
    ("ExecutionAborted", "ABORTED"),
    ("ExecutionSucceeded", "SUCCEEDED"),
    ("ExecutionRedriven", "RUNNING"),
];

impl Run {
    fn visible(&self, now: Timestamp) -> impl DoubleEndedIterator<Item = &Event> {
        self.events.iter().filter(move |e| e.at <= now)
    }

    /// The last terminal (or redriven) event that has happened.
    fn terminal(&self, now: Timestamp) -> Option<(&Event, &'static str)> {
        self.visible(now).rev().find_map(|event| {
            TERMINALS
                .iter()
                .find(|(kind, _)| *kind == event.kind)
                .map(|(_, status)| (event, *status))
        })
    }

    fn status(&self, now: Timestamp) -> &'static str {
        self.terminal(now).map_or("RUNNING", |(_, status)| status)
    }

    fn stop_date(&self, now: Timestamp) -> Option<Timestamp> {
        self.terminal(now)
            .filter(|(_, status)| *status != "RUNNING")
            .map(|(event, _)| event.at)
    }

    fn redrive_count(&self, now: Timestamp) -> usize {
        self.visible(now)
            .filter(|e| e.kind == "ExecutionRedriven")
            .count()
    }

    fn redrive_date(&self, now: Timestamp) -> Option<Timestamp> {
        self.visible(now)
            .rev()
            .find(|e| e.kind == "ExecutionRedriven")
            .map(|e| e.at)
    }

    /// REDRIVABLE or NOT_REDRIVABLE, with AWS's kind of reason.
    fn redrive_status(&self, now: Timestamp) -> (&'static str, Option<String>) {
        let status = self.status(now);
        match status {
            "RUNNING" | "SUCCEEDED" => ("NOT_REDRIVABLE", Some(format!("Execution is {status}"))),
            _ if self
                .stop_date(now)
                .is_some_and(|stop| now.duration_since(stop) > redrive::WINDOW) =>
            {
                (
                    "NOT_REDRIVABLE",
                    Some("Execution redrivable period exceeded".into()),
                )
            }
            _ if self.events.len() >= redrive::HISTORY_LIMIT => (
                "NOT_REDRIVABLE",
                Some("Execution history event limit exceeded".into()),
            ),
            _ => ("REDRIVABLE", None),
        }
    }

    fn summary(&self, now: Timestamp) -> Value {
        let mut out = json!({
            "executionArn": self.arn,
            "stateMachineArn": self.machine_arn,
            "name": self.name,
            "status": self.status(now),
            "startDate": epoch(self.start),
            "redriveCount": self.redrive_count(now),
        });
        if let Some(stop) = self.stop_date(now) {
            out["stopDate"] = json!(epoch(stop));
        }
        if let Some(date) = self.redrive_date(now) {
            out["redriveDate"] = json!(epoch(date));
        }
        out
    }
}

impl MapRunState {
    fn json(&self, execution_arn: &str, now: Timestamp) -> Value {
        let healed = self.healed_at.is_some_and(|at| at <= now);
        let failed = if healed { 0 } else { self.seed.failed };
        let redriving = self.redrive_date.is_some() && !healed && self.healed_at.is_some();
        let counts = json!({
            "pending": 0,
            "running": if redriving { self.seed.failed } else { 0 },
            "succeeded": self.seed.items - failed,
            "failed": if redriving { 0 } else { failed },
            "timedOut": 0,
            "aborted": 0,
            "total": self.seed.items,
            "resultsWritten": self.seed.items - failed,
            "failuresNotRedrivable": self.seed.failures_not_redrivable,
            "pendingRedrive": if healed || redriving { 0 } else { failed - self.seed.failures_not_redrivable },
        });
        let status = match (healed, redriving, failed) {
            (true, _, _) => "SUCCEEDED",
            (_, true, _) => "RUNNING",
            (_, _, 0) => "SUCCEEDED",
            _ => "FAILED",
        };
        let mut out = json!({
            "mapRunArn": self.seed.arn,
            "executionArn": execution_arn,
            "status": status,
            "startDate": epoch(self.start),
            "maxConcurrency": 40,
            "toleratedFailurePercentage": self.seed.tolerated_failure_percentage,
            "toleratedFailureCount": 0,
            "itemCounts": counts,
            "executionCounts": counts,
            "redriveCount": self.redrive_count,
        });
        if status != "RUNNING" {
            out["stopDate"] = json!(epoch(
                self.healed_at.filter(|_| healed).unwrap_or(self.stop)
            ));
        }
        if let Some(date) = self.redrive_date {
            out["redriveDate"] = json!(epoch(date));
        }
        out
    }
}

impl Service for StepFunctions {
    fn model_name(&self) -> &'static str {
        "stepfunctions"
    }

    fn protocol(&self) -> Protocol {
        Protocol::Json {
            target: "AWSStepFunctions",
            version: "1.0",
        }
    }

    fn operations(&self) -> &'static [Operation] {
        operations::TABLE
    }

    fn answer(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        let (input, now) = (call.input, call.now);
        match call.operation.name {
            "ListStateMachines" => self.list_state_machines(call),
            "DescribeStateMachine" => self.describe_state_machine(input),
            "ListExecutions" => self.list_executions(call),
            "DescribeExecution" => self.describe_execution(input, now),
            "GetExecutionHistory" => self.get_execution_history(call),
            "RedriveExecution" => self.redrive_execution(input, now),
            "ListMapRuns" => self.list_map_runs(call),
            "DescribeMapRun" => self.describe_map_run(input, now),
            other => Err(unanswered(other)),
        }
    }
}

impl StepFunctions {
    pub fn new(scenario: &Scenario, region: &str, now: Timestamp, logs: SharedLogs) -> Self {
        let account = scenario.account_id.clone();
        let prefix = format!("arn:aws:states:{region}:{account}");
        let mut machines = Vec::new();
        let mut runs = Vec::new();
        for spec in &scenario.state_machines {
            let arn = format!("{prefix}:stateMachine:{}", spec.name);
            for run in &spec.executions {
                let run = build_run(&prefix, &spec.name, &arn, run, now);
                lambda_logs::write(&logs, &run.name, &run.events);
                runs.push(run);
            }
            machines.push(Machine {
                arn,
                name: spec.name.clone(),
                kind: spec.machine_type.clone(),
                created: now - SignedDuration::from_hours(24 * 200),
                deny: spec.deny.iter().cloned().collect(),
            });
        }
        Self {
            account,
            redrive_step: SignedDuration::from_secs_f64(scenario.retry_seconds / 2.0),
            machines,
            runs,
        }
    }

    fn machine(&self, arn: &str, operation: &str) -> Result<&Machine, ApiError> {
        check_arn(arn)?;
        let machine = self.machines.iter().find(|m| m.arn == arn).ok_or_else(|| {
            ApiError::new(
                400,
                "StateMachineDoesNotExist",
                format!("State Machine Does Not Exist: '{arn}'"),
            )
        })?;
        self.allowed(machine, operation, arn)?;
        Ok(machine)
    }

    fn allowed(&self, machine: &Machine, operation: &str, resource: &str) -> Result<(), ApiError> {
        if machine.deny.contains(operation) {
            return Err(ApiError::new(
                400,
                "AccessDeniedException",
                format!(
                    "User: arn:aws:sts::{}:assumed-role/oncall/demo is not authorized to perform: states:{operation} on resource: {resource}",
                    self.account
                ),
            ));
        }
        Ok(())
    }

    fn run_index(&self, input: &Value, operation: &str) -> Result<usize, ApiError> {
        let arn = required(input, "executionArn")?;
        check_arn(arn)?;
        let index = self.runs.iter().position(|r| r.arn == arn).ok_or_else(|| {
            ApiError::new(
                400,
                "ExecutionDoesNotExist",
                format!("Execution Does Not Exist: '{arn}'"),
            )
        })?;
        let run = &self.runs[index];
        if let Some(machine) = self.machines.iter().find(|m| m.arn == run.machine_arn) {
            self.allowed(machine, operation, arn)?;
        }
        Ok(index)
    }

    fn list_state_machines(&self, call: &Call<'_>) -> Result<Value, ApiError> {
        let rows: Vec<Value> = self
            .machines
            .iter()
            .map(|m| {
                json!({
                    "stateMachineArn": m.arn,
                    "name": m.name,
                    "type": m.kind,
                    "creationDate": epoch(m.created),
                })
            })
            .collect();
        call.paged("stateMachines", rows)
    }

    fn describe_state_machine(&self, input: &Value) -> Result<Value, ApiError> {
        let machine = self.machine(required(input, "stateMachineArn")?, "DescribeStateMachine")?;
        Ok(json!({
            "stateMachineArn": machine.arn,
            "name": machine.name,
            "status": "ACTIVE",
            "definition": "{\"Comment\":\"emulated\",\"StartAt\":\"Start\",\"States\":{\"Start\":{\"Type\":\"Pass\",\"End\":true}}}",
            "roleArn": format!("arn:aws:iam::{}:role/service-role/StepFunctions-{}", self.account, machine.name),
            "type": machine.kind,
            "creationDate": epoch(machine.created),
        }))
    }

    fn list_executions(&self, call: &Call<'_>) -> Result<Value, ApiError> {
        let (input, now) = (call.input, call.now);
        let text = |field: &str| input.get(field).and_then(Value::as_str);
        let status = text("statusFilter");
        let machine_arn = match (text("stateMachineArn"), text("mapRunArn")) {
            (Some(_), Some(_)) => {
                return Err(ApiError::validation(
                    "Only one of stateMachineArn or mapRunArn can be specified",
                ));
            }
            (None, None) => {
                return Err(ApiError::validation(
                    "Must provide a StateMachine ARN or MapRun ARN",
                ));
            }
            (None, Some(map_run)) => return self.list_map_run_children(call, map_run),
            (Some(_), None) if status == Some("PENDING_REDRIVE") => {
                return Err(ApiError::validation(
                    "The PENDING_REDRIVE status filter can only be used with a mapRunArn",
                ));
            }
            (Some(arn), None) => arn,
        };
        let machine = self.machine(machine_arn, "ListExecutions")?;
        if machine.kind == "EXPRESS" {
            return Err(ApiError::new(
                400,
                "StateMachineTypeNotSupported",
                "This operation is not supported by this type of state machine",
            ));
        }
        let redriven = text("redriveFilter");
        let mut matching: Vec<&Run> = self
            .runs
            .iter()
            .filter(|r| r.machine_arn == machine.arn)
            .filter(|r| status.is_none_or(|s| r.status(now) == s))
            .filter(|r| match redriven {
                Some("REDRIVEN") => r.redrive_count(now) > 0,
                Some("NOT_REDRIVEN") => r.redrive_count(now) == 0,
                _ => true,
            })
            .collect();
        matching.sort_by_key(|r| std::cmp::Reverse(r.start));
        let (range, next) = call.page(matching.len())?;
        let rows: Vec<Value> = matching[range].iter().map(|r| r.summary(now)).collect();
        Ok(with_next(json!({ "executions": rows }), next))
    }

    fn describe_execution(&self, input: &Value, now: Timestamp) -> Result<Value, ApiError> {
        let run = &self.runs[self.run_index(input, "DescribeExecution")?];
        let mut out = run.summary(now);
        out["input"] = json!("{}");
        out["inputDetails"] = json!({ "included": true });
        let (redrive_status, reason) = run.redrive_status(now);
        out["redriveStatus"] = json!(redrive_status);
        if let Some(reason) = reason {
            out["redriveStatusReason"] = json!(reason);
        }
        let ended_badly = run
            .terminal(now)
            .filter(|(_, status)| *status != "SUCCEEDED" && *status != "RUNNING");
        if let Some((event, _)) = ended_badly {
            let (error, cause) = event.error_and_cause();
            out["error"] = json!(error);
            out["cause"] = json!(cause);
        }
        Ok(out)
    }

    fn get_execution_history(&self, call: &Call<'_>) -> Result<Value, ApiError> {
        let (input, now) = (call.input, call.now);
        let run = &self.runs[self.run_index(input, "GetExecutionHistory")?];
        // Page first, then write JSON: histories run to 25,000 events.
        let mut rows: Vec<&Event> = run.visible(now).collect();
        if input.get("reverseOrder").and_then(Value::as_bool) == Some(true) {
            rows.reverse();
        }
        let with_data = input.get("includeExecutionData").and_then(Value::as_bool) != Some(false);
        let (range, next) = call.page(rows.len())?;
        let items: Vec<Value> = rows[range]
            .iter()
            .map(|event| event.to_json(with_data))
            .collect();
        Ok(with_next(json!({ "events": items }), next))
    }

    fn list_map_runs(&self, call: &Call<'_>) -> Result<Value, ApiError> {
        let run = &self.runs[self.run_index(call.input, "ListMapRuns")?];
        let rows: Vec<Value> = run
            .map_runs
            .iter()
            .map(|m| {
                json!({
                    "executionArn": run.arn,
                    "mapRunArn": m.seed.arn,
                    "stateMachineArn": format!("{}/{}", run.machine_arn, m.seed.state),
                    "startDate": epoch(m.start),
                    "stopDate": epoch(m.stop),
                })
            })
            .collect();
        call.paged("mapRuns", rows)
    }

    fn describe_map_run(&self, input: &Value, now: Timestamp) -> Result<Value, ApiError> {
        let arn = required(input, "mapRunArn")?;
        check_arn(arn)?;
        self.runs
            .iter()
            .find_map(|run| {
                run.map_runs
                    .iter()
                    .find(|m| m.seed.arn == arn)
                    .map(|m| m.json(&run.arn, now))
            })
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "ResourceNotFound",
                    format!("Map Run Does Not Exist: '{arn}'"),
                )
            })
    }
}

/// Writes one scenario execution's history, stamped in time.
fn build_run(
    prefix: &str,
    machine: &str,
    machine_arn: &str,
    spec: &SfnRunSpec,
    now: Timestamp,
) -> Run {
    let minutes = |m: f64| SignedDuration::from_secs_f64(m * 60.0);
    let start = now - minutes(spec.minutes_ago);
    let running = spec.status.as_deref() == Some("RUNNING");
    let stop = if running {
        now - SignedDuration::from_secs(5)
    } else {
        (start + minutes(spec.duration_minutes)).min(now)
    };
    let mut recorder = Recorder::new(prefix, &spec.name);
    let mut last = recorder.execution_started();
    if let Some(length) = spec.history_events {
        last = recorder.pad(length, last);
    }
    let outcome = recorder.run(&spec.trace, last);
    let failed_state = outcome.as_ref().err().map(|(_, state, _, _)| state.clone());
    match (spec.status.as_deref(), outcome) {
        (Some("RUNNING"), _) => {}
        (Some("TIMED_OUT"), result) => {
            let previous = result.unwrap_or_else(|(last, ..)| last);
            let details = json!({ "error": "States.Timeout", "cause": "The execution timed out after its TimeoutSeconds" });
            recorder.add(
                "ExecutionTimedOut",
                previous,
                Some(("executionTimedOutEventDetails", details)),
            );
        }
        (Some("ABORTED"), _) => {
            // StopExecution's event follows nothing: its previousEventId is 0.
            let previous = 0;
            let details = json!({ "error": "Aborted", "cause": "Stopped by arn:aws:iam::123456789012:user/on-call" });
            recorder.add(
                "ExecutionAborted",
                previous,
                Some(("executionAbortedEventDetails", details)),
            );
        }
        (_, Err((previous, _, error, cause))) => {
            let details = json!({ "error": error, "cause": cause });
            recorder.add(
                "ExecutionFailed",
                previous,
                Some(("executionFailedEventDetails", details)),
            );
        }
        (_, Ok(previous)) => {
            recorder.add(
                "ExecutionSucceeded",
                previous,
                Some(("executionSucceededEventDetails", json!({ "output": "{}" }))),
            );
        }
    }
    recorder.stamp(0, start, stop);
    let seeds = std::mem::take(&mut recorder.map_runs);
    let mut run = Run {
        arn: format!("{prefix}:execution:{machine}:{}", spec.name),
        name: spec.name.clone(),
        machine_arn: machine_arn.to_string(),
        start,
        events: recorder.events,
        failed_state,
        map_runs: seeds
            .into_iter()
            .map(|seed| MapRunState {
                seed,
                start,
                stop,
                redrive_count: 0,
                redrive_date: None,
                healed_at: None,
            })
            .collect(),
        tokens: Vec::new(),
        redrive_outcome: spec
            .redrive_outcome
            .clone()
            .unwrap_or_else(|| "SUCCEEDED".into()),
    };
    if let Some(redriven) = &spec.redriven {
        let at = now - minutes(redriven.minutes_ago);
        redrive::play_out(
            &mut run,
            at,
            SignedDuration::from_secs(20),
            &redriven.status,
        );
    }
    run
}

fn check_arn(arn: &str) -> Result<(), ApiError> {
    if arn.starts_with("arn:") {
        Ok(())
    } else {
        Err(ApiError::new(
            400,
            "InvalidArn",
            format!("Invalid Arn: 'Resource type not valid in this context: {arn}'"),
        ))
    }
}
