//! Writes an execution's history from a scenario trace, the way Step Functions would:
//! each event linked to the one that caused it by `previousEventId`, with the detail
//! objects the real service sends (the SDK insists on their required fields).

use jiff::Timestamp;
use serde_json::{Value, json};

use super::super::scenario::{ErrorSpec, Step};

#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub previous: i64,
    pub at: Timestamp,
    pub kind: String,
    pub details: Option<(&'static str, Value)>,
}

impl Event {
    /// Its JSON; without `with_data`, as GetExecutionHistory with
    /// `includeExecutionData=false` sends it: no state input or output.
    pub fn to_json(&self, with_data: bool) -> Value {
        let mut out = json!({
            "id": self.id,
            "previousEventId": self.previous,
            "timestamp": super::super::epoch(self.at),
            "type": self.kind,
        });
        if let Some((key, value)) = &self.details {
            let mut details = value.clone();
            if let (false, Some(members)) = (with_data, details.as_object_mut()) {
                for data in ["input", "output", "inputDetails", "outputDetails"] {
                    members.remove(data);
                }
            }
            out[*key] = details;
        }
        out
    }

    pub fn error_and_cause(&self) -> (Option<String>, Option<String>) {
        let field = |name: &str| {
            self.details
                .as_ref()
                .and_then(|(_, v)| v.get(name))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        (field("error"), field("cause"))
    }
}

/// A Distributed Map run the trace started.
#[derive(Debug, Clone)]
pub struct MapRunSeed {
    pub arn: String,
    pub state: String,
    pub items: i64,
    pub failed: i64,
    pub failures_not_redrivable: i64,
    pub tolerated_failure_percentage: f64,
}

/// How a run of steps ended.
enum Flow {
    Continue(i64),
    Failed {
        last: i64,
        state: String,
        error: String,
        cause: String,
    },
}

/// Appends events; times are spread over the run afterwards.
pub struct Recorder {
    pub events: Vec<Event>,
    pub map_runs: Vec<MapRunSeed>,
    arn_prefix: String,
    /// Makes the ids this run writes (Map Run ARNs) the same every time.
    seed: String,
}

impl Recorder {
    /// `arn_prefix`: `arn:aws:states:REGION:ACCOUNT`, for the ARNs events carry.
    pub fn new(arn_prefix: &str, seed: &str) -> Self {
        Self {
            events: Vec::new(),
            map_runs: Vec::new(),
            arn_prefix: arn_prefix.to_string(),
            seed: seed.to_string(),
        }
    }

    pub fn add(
        &mut self,
        kind: &str,
        previous: i64,
        details: Option<(&'static str, Value)>,
    ) -> i64 {
        let id = self.events.len() as i64 + 1;
        self.events.push(Event {
            id,
            previous,
            at: Timestamp::UNIX_EPOCH,
            kind: kind.to_string(),
            details,
        });
        id
    }

    fn entered(&mut self, kind: &str, name: &str, previous: i64) -> i64 {
        self.add(
            &format!("{kind}StateEntered"),
            previous,
            Some((
                "stateEnteredEventDetails",
                json!({ "name": name, "input": "{}" }),
            )),
        )
    }

    fn exited(&mut self, kind: &str, name: &str, previous: i64) -> i64 {
        self.add(
            &format!("{kind}StateExited"),
            previous,
            Some((
                "stateExitedEventDetails",
                json!({ "name": name, "output": "{}" }),
            )),
        )
    }

    /// Entered, scheduled, started, then succeeded and exited: a Task that worked.
    pub fn task_succeeds(&mut self, name: &str, previous: i64) -> i64 {
        let entered = self.entered("Task", name, previous);
        let started = self.attempt(name, entered);
        let done = self.add(
            "TaskSucceeded",
            started,
            Some(("taskSucceededEventDetails", task_details(None))),
        );
        self.exited("Task", name, done)
    }

    /// A Task entered and failed once, ending the run.
    pub fn task_fails(&mut self, name: &str, previous: i64, error: &ErrorSpec) -> i64 {
        let entered = self.entered("Task", name, previous);
        let started = self.attempt(name, entered);
        self.add(
            "TaskFailed",
            started,
            Some(("taskFailedEventDetails", task_details(Some(error)))),
        )
    }

    /// A Task's attempt: scheduled, then started. Every Task invokes a Lambda function
    /// named after its state (`ChargeCard` → `charge-card`), as the Lambda integration
    /// writes it: the function's ARN with its version.
    fn attempt(&mut self, name: &str, previous: i64) -> i64 {
        let mut scheduled = task_details(None);
        let (region, account) = self.region_and_account();
        let function = format!(
            "arn:aws:lambda:{region}:{account}:function:{}:$LATEST",
            function_name(name)
        );
        scheduled["region"] = json!(region);
        scheduled["parameters"] =
            json!(json!({ "FunctionName": function, "Payload.$": "$" }).to_string());
        let scheduled = self.add(
            "TaskScheduled",
            previous,
            Some(("taskScheduledEventDetails", scheduled)),
        );
        self.add(
            "TaskStarted",
            scheduled,
            Some(("taskStartedEventDetails", task_details(None))),
        )
    }

    fn region_and_account(&self) -> (String, String) {
        let mut parts = self.arn_prefix.split(':').skip(3);
        let region = parts.next().unwrap_or_default().to_string();
        let account = parts.next().unwrap_or_default().to_string();
        (region, account)
    }

    pub fn execution_started(&mut self) -> i64 {
        self.add(
            "ExecutionStarted",
            0,
            Some((
                "executionStartedEventDetails",
                json!({ "input": "{}", "roleArn": "arn:aws:iam::123456789012:role/service-role/StepFunctions" }),
            )),
        )
    }

    /// Filler Pass states, for histories that must be long.
    pub fn pad(&mut self, until: usize, mut previous: i64) -> i64 {
        while self.events.len() + 2 < until {
            let entered = self.entered("Pass", "PollForChanges", previous);
            previous = self.exited("Pass", "PollForChanges", entered);
        }
        previous
    }

    /// Runs a trace from `previous`; returns the last event and, if it failed, where and why.
    pub fn run(
        &mut self,
        steps: &[Step],
        previous: i64,
    ) -> Result<i64, (i64, String, String, String)> {
        match self.steps(steps, previous) {
            Flow::Continue(last) => Ok(last),
            Flow::Failed {
                last,
                state,
                error,
                cause,
            } => Err((last, state, error, cause)),
        }
    }

    fn steps(&mut self, steps: &[Step], mut previous: i64) -> Flow {
        for step in steps {
            match self.step(step, previous) {
                Flow::Continue(last) => previous = last,
                failed => return failed,
            }
        }
        Flow::Continue(previous)
    }

    fn step(&mut self, step: &Step, previous: i64) -> Flow {
        match step {
            Step::Pass { name } => {
                let entered = self.entered("Pass", name, previous);
                Flow::Continue(self.exited("Pass", name, entered))
            }
            Step::Wait { name } => {
                // A Wait is where a running execution sits: it has not exited yet.
                Flow::Continue(self.entered("Wait", name, previous))
            }
            Step::Fail { name, error, cause } => {
                let entered = self.entered("Fail", name, previous);
                Flow::Failed {
                    last: entered,
                    state: name.clone(),
                    error: error.clone(),
                    cause: cause.clone(),
                }
            }
            Step::Task {
                name,
                failures,
                fails,
                caught,
                ..
            } => {
                let mut last = self.entered("Task", name, previous);
                for failure in failures {
                    let started = self.attempt(name, last);
                    last = self.add(
                        "TaskFailed",
                        started,
                        Some(("taskFailedEventDetails", task_details(Some(failure)))),
                    );
                }
                if !fails {
                    let started = self.attempt(name, last);
                    let done = self.add(
                        "TaskSucceeded",
                        started,
                        Some(("taskSucceededEventDetails", task_details(None))),
                    );
                    return Flow::Continue(self.exited("Task", name, done));
                }
                if *caught {
                    return Flow::Continue(self.exited("Task", name, last));
                }
                let last_error = failures.last().cloned().unwrap_or(ErrorSpec {
                    error: "States.TaskFailed".into(),
                    cause: String::new(),
                });
                Flow::Failed {
                    last,
                    state: name.clone(),
                    error: last_error.error,
                    cause: last_error.cause,
                }
            }
            Step::Parallel { name, branches } => {
                let entered = self.entered("Parallel", name, previous);
                let started = self.add("ParallelStateStarted", entered, None);
                // Every branch runs to its end; the Parallel's own end event follows the
                // highest event any branch wrote, as Step Functions links it: when a
                // sibling that succeeds writes last, it follows that sibling.
                let mut failed = None;
                for branch in branches {
                    if let Flow::Failed {
                        state,
                        error,
                        cause,
                        ..
                    } = self.steps(branch, started)
                    {
                        failed.get_or_insert((state, error, cause));
                    }
                }
                let highest = self.events.len() as i64;
                match failed {
                    Some((state, error, cause)) => {
                        let failed = self.add("ParallelStateFailed", highest, None);
                        Flow::Failed {
                            last: failed,
                            state,
                            error,
                            cause,
                        }
                    }
                    None => {
                        let done = self.add("ParallelStateSucceeded", highest, None);
                        Flow::Continue(self.exited("Parallel", name, done))
                    }
                }
            }
            Step::Map { name, iterations } => {
                let entered = self.entered("Map", name, previous);
                let started = self.add(
                    "MapStateStarted",
                    entered,
                    Some((
                        "mapStateStartedEventDetails",
                        json!({ "length": iterations.len() }),
                    )),
                );
                let mut last = started;
                for (index, iteration) in iterations.iter().enumerate() {
                    let details = json!({ "name": name, "index": index });
                    // Iterations run one after another, each linked to the end of the one
                    // before it (as a MaxConcurrency 1 Map is, in real histories).
                    let begun = self.add(
                        "MapIterationStarted",
                        last,
                        Some(("mapIterationStartedEventDetails", details.clone())),
                    );
                    match self.steps(iteration, begun) {
                        Flow::Continue(end) => {
                            last = self.add(
                                "MapIterationSucceeded",
                                end,
                                Some(("mapIterationSucceededEventDetails", details)),
                            );
                        }
                        Flow::Failed {
                            last: end,
                            state,
                            error,
                            cause,
                        } => {
                            let failed = self.add(
                                "MapIterationFailed",
                                end,
                                Some(("mapIterationFailedEventDetails", details)),
                            );
                            let map_failed = self.add("MapStateFailed", failed, None);
                            return Flow::Failed {
                                last: map_failed,
                                state,
                                error,
                                cause,
                            };
                        }
                    }
                }
                let done = self.add("MapStateSucceeded", last, None);
                Flow::Continue(self.exited("Map", name, done))
            }
            Step::DistributedMap {
                name,
                items,
                failed,
                failures_not_redrivable,
                tolerated_failure_percentage,
            } => {
                let entered = self.entered("Map", name, previous);
                let id = fastrand::Rng::with_seed(self.seed.bytes().map(u64::from).sum()).u32(..);
                let arn = format!("{}:mapRun:{name}/{id:08x}", self.arn_prefix);
                let started = self.add(
                    "MapRunStarted",
                    entered,
                    Some(("mapRunStartedEventDetails", json!({ "mapRunArn": arn }))),
                );
                self.map_runs.push(MapRunSeed {
                    arn,
                    state: name.clone(),
                    items: *items,
                    failed: *failed,
                    failures_not_redrivable: *failures_not_redrivable,
                    tolerated_failure_percentage: *tolerated_failure_percentage,
                });
                let failed_share = if *items > 0 {
                    *failed as f64 * 100.0 / *items as f64
                } else {
                    0.0
                };
                if failed_share > *tolerated_failure_percentage {
                    let error = "States.ExceedToleratedFailureThreshold".to_string();
                    let cause = format!(
                        "{failed} of {items} items failed ({failed_share:.1}% > {tolerated_failure_percentage}% tolerated)"
                    );
                    let run_failed = self.add(
                        "MapRunFailed",
                        started,
                        Some((
                            "mapRunFailedEventDetails",
                            json!({ "error": error, "cause": cause }),
                        )),
                    );
                    return Flow::Failed {
                        last: run_failed,
                        state: name.clone(),
                        error,
                        cause,
                    };
                }
                let done = self.add("MapRunSucceeded", started, None);
                Flow::Continue(self.exited("Map", name, done))
            }
        }
    }

    /// Spreads the events from `first` onwards evenly between `start` and `end`.
    pub fn stamp(&mut self, first: usize, start: Timestamp, end: Timestamp) {
        // The last event lands exactly on `end`: it is the run's stop date.
        let gaps = self.events.len().saturating_sub(first + 1).max(1);
        let step = end.duration_since(start) / gaps as i32;
        for (offset, event) in self.events[first..].iter_mut().enumerate() {
            event.at = start + step * offset as i32;
        }
        if let Some(last) = self.events[first..].last_mut() {
            last.at = end;
        }
    }
}

fn task_details(error: Option<&ErrorSpec>) -> Value {
    let mut out = json!({ "resourceType": "lambda", "resource": "invoke" });
    if let Some(error) = error {
        out["error"] = json!(error.error);
        out["cause"] = json!(error.cause);
    }
    out
}

/// The Lambda function a Task state invokes: its name in kebab case.
pub fn function_name(state: &str) -> String {
    let mut out = String::new();
    for (index, c) in state.chars().enumerate() {
        if c.is_ascii_uppercase() && index > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}
