//! RedriveExecution: AWS's rules, clientToken idempotency, and the redrive played out.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::history::Recorder;
use super::{ApiError, Run, StepFunctions, epoch};
use crate::scenario::ErrorSpec;

pub use crate::limits::{REDRIVE_HISTORY_LIMIT as HISTORY_LIMIT, REDRIVE_WINDOW as WINDOW};
/// How long a clientToken keeps a redrive from happening twice.
const TOKEN_LIFE: SignedDuration = SignedDuration::from_mins(15);

impl StepFunctions {
    pub(super) fn redrive_execution(
        &mut self,
        input: &Value,
        now: Timestamp,
    ) -> Result<Value, ApiError> {
        let index = self.run_index(input, "RedriveExecution")?;
        let token = input
            .get("clientToken")
            .and_then(Value::as_str)
            .map(str::to_string);
        let step = self.redrive_step;
        let run = &mut self.runs[index];
        run.tokens
            .retain(|(_, at, _)| now.duration_since(*at) < TOKEN_LIFE);
        let seen = token
            .as_ref()
            .and_then(|token| run.tokens.iter().find(|(t, ..)| t == token));
        if let Some((_, _, date)) = seen {
            // The same request again: answer as before, redrive nothing.
            return Ok(json!({ "redriveDate": epoch(*date) }));
        }
        let status = run.status(now);
        let refuse = |message: String| Err(ApiError::new(400, "ExecutionNotRedrivable", message));
        if status == "RUNNING" || status == "SUCCEEDED" {
            return refuse(format!(
                "Execution with arn {} is {status} and cannot be redriven",
                run.arn
            ));
        }
        if run
            .stop_date(now)
            .is_some_and(|stop| now.duration_since(stop) > WINDOW)
        {
            return refuse(format!(
                "Execution with arn {} can no longer be redriven: the redrivable period has been exceeded",
                run.arn
            ));
        }
        if run.events.len() >= HISTORY_LIMIT {
            return refuse(format!(
                "Execution with arn {} has reached the maximum number of history events",
                run.arn
            ));
        }
        let outcome = run.redrive_outcome.clone();
        play_out(run, now, step, &outcome);
        if let Some(token) = token {
            run.tokens.push((token, now, now));
            let excess = run.tokens.len().saturating_sub(10);
            run.tokens.drain(..excess);
        }
        Ok(json!({ "redriveDate": epoch(now) }))
    }
}

/// Appends a redrive at `at`: ExecutionRedriven, the failed state run again (and its Map
/// Run's failed items), then the execution ending as `outcome`, one `step` apart.
pub fn play_out(run: &mut Run, at: Timestamp, step: SignedDuration, outcome: &str) {
    let Some((terminal, _)) = run.terminal(Timestamp::MAX) else {
        return;
    };
    let previous = terminal.id;
    let count = run.redrive_count(Timestamp::MAX) + 1;
    // The execution's ARN begins with the prefix its events' ARNs use.
    let prefix: Vec<&str> = run.arn.split(':').take(5).collect();
    let mut recorder = Recorder::new(&prefix.join(":"), &run.name);
    recorder.events = std::mem::take(&mut run.events);
    let first = recorder.events.len();
    let mut last = recorder.add(
        "ExecutionRedriven",
        previous,
        Some((
            "executionRedrivenEventDetails",
            json!({ "redriveCount": count }),
        )),
    );
    for map_run in &mut run.map_runs {
        if map_run.seed.failed > 0 && map_run.healed_at.is_none() {
            last = recorder.add(
                "MapRunRedriven",
                last,
                Some(("mapRunRedrivenEventDetails", json!({ "mapRunArn": map_run.seed.arn, "redriveCount": map_run.redrive_count + 1 }))),
            );
            map_run.redrive_count += 1;
            map_run.redrive_date = Some(at);
            if outcome == "SUCCEEDED" {
                map_run.healed_at = Some(at + step * 3);
            }
        }
    }
    let state = run.failed_state.clone().unwrap_or_else(|| "Retry".into());
    if outcome == "SUCCEEDED" {
        last = recorder.task_succeeds(&state, last);
        recorder.add(
            "ExecutionSucceeded",
            last,
            Some(("executionSucceededEventDetails", json!({ "output": "{}" }))),
        );
    } else {
        let error = ErrorSpec {
            error: "States.TaskFailed".into(),
            cause: format!("{state} failed again after the redrive"),
        };
        last = recorder.task_fails(&state, last, &error);
        let details = json!({ "error": error.error, "cause": error.cause });
        recorder.add(
            "ExecutionFailed",
            last,
            Some(("executionFailedEventDetails", details)),
        );
    }
    let count = recorder.events.len() - first;
    recorder.stamp(first, at, at + step * (count as i32));
    run.events = recorder.events;
}
