//! What the Lambda functions behind an execution's Task states wrote to CloudWatch Logs:
//! one invocation per attempt, in `/aws/lambda/<function>`, with the START, END and REPORT
//! lines Lambda adds and the function's own lines tagged with the request id. A failed
//! attempt whose cause carries a `requestId` uses that one, as the real cause does; an
//! attempt that failed to invoke (a `Lambda.*` error without a request id) never ran and
//! wrote nothing.

use jiff::Timestamp;
use serde_json::Value;

use super::history::Event;
use crate::logs::SharedLogs;
use crate::{lock, uuid_from};

struct Invocation {
    state: String,
    request_id: String,
    start: Timestamp,
    end: Timestamp,
    /// errorType, errorMessage and stack of a failure the function itself raised.
    failure: Option<(String, String, Vec<String>)>,
}

/// Registers the execution's Lambda logs; their lines are made when first read.
pub fn write(logs: &SharedLogs, execution: &str, events: &[Event]) {
    let mut rng = fastrand::Rng::with_seed(execution.bytes().map(u64::from).sum());
    let mut by_function: Vec<(String, Vec<Invocation>)> = Vec::new();
    for event in events {
        let ended = matches!(event.kind.as_str(), "TaskFailed" | "TaskSucceeded");
        let Some((scheduled, started)) = ended.then(|| attempt(events, event)).flatten() else {
            continue;
        };
        let Some(function) = function_of(scheduled) else {
            continue;
        };
        let (error, cause) = event.error_and_cause();
        let cause: Value = cause
            .as_deref()
            .and_then(|cause| serde_json::from_str(cause).ok())
            .unwrap_or(Value::Null);
        let request_id = cause.get("requestId").and_then(Value::as_str);
        let never_ran = error.as_deref().is_some_and(|e| e.starts_with("Lambda."));
        if never_ran && request_id.is_none() {
            continue;
        }
        let failure = error.map(|error| {
            let text = |key: &str| cause.get(key).and_then(Value::as_str).map(str::to_string);
            let stack = cause
                .get("stackTrace")
                .and_then(Value::as_array)
                .map(|lines| {
                    lines
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            (
                text("errorType").unwrap_or(error),
                text("errorMessage").unwrap_or_default(),
                stack,
            )
        });
        let invocation = Invocation {
            state: state_of(events, scheduled).unwrap_or_default(),
            request_id: request_id.map_or_else(|| uuid_from(&mut rng), str::to_string),
            start: started.at,
            end: event.at,
            failure,
        };
        match by_function.iter_mut().find(|(name, _)| *name == function) {
            Some((_, invocations)) => invocations.push(invocation),
            None => by_function.push((function, vec![invocation])),
        }
    }
    let execution = execution.to_string();
    for (function, invocations) in by_function {
        let Some(first) = invocations.first() else {
            continue;
        };
        let stream = format!(
            "{}/[$LATEST]{:032x}",
            first.start.strftime("%Y/%m/%d"),
            rng.u128(..)
        );
        let execution = execution.clone();
        lock(logs).write_later(
            &format!("/aws/lambda/{function}"),
            &stream,
            Box::new(move || {
                invocations
                    .iter()
                    .flat_map(|invocation| lines(invocation, &execution))
                    .collect()
            }),
        );
    }
}

/// The TaskScheduled and TaskStarted events of the attempt that `ended` ends.
fn attempt<'a>(events: &'a [Event], ended: &Event) -> Option<(&'a Event, &'a Event)> {
    let started = event(events, ended.previous).filter(|e| e.kind == "TaskStarted")?;
    let scheduled = event(events, started.previous).filter(|e| e.kind == "TaskScheduled")?;
    Some((scheduled, started))
}

fn event(events: &[Event], id: i64) -> Option<&Event> {
    usize::try_from(id - 1)
        .ok()
        .and_then(|index| events.get(index))
}

/// The Task state an attempt belongs to: back along `previousEventId` to its entry.
fn state_of(events: &[Event], from: &Event) -> Option<String> {
    let mut current = from;
    for _ in 0..events.len() {
        if current.kind == "TaskStateEntered" {
            return current
                .details
                .as_ref()
                .and_then(|(_, details)| details.get("name"))
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        current = event(events, current.previous)?;
    }
    None
}

/// The function's name from TaskScheduled's parameters (an ARN, maybe with a version).
fn function_of(scheduled: &Event) -> Option<String> {
    let parameters = scheduled.details.as_ref()?.1.get("parameters")?.as_str()?;
    let parameters: Value = serde_json::from_str(parameters).ok()?;
    let function = parameters.get("FunctionName")?.as_str()?;
    let name = match function.split_once(":function:") {
        Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
        None => function,
    };
    Some(name.to_string())
}

fn lines(invocation: &Invocation, execution: &str) -> Vec<(Timestamp, String)> {
    let id = &invocation.request_id;
    let span = invocation.end.duration_since(invocation.start);
    let at = |share: f64| invocation.start + span.mul_f64(share);
    let iso = |time: Timestamp| time.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    let mut out = vec![
        (at(0.0), format!("START RequestId: {id} Version: $LATEST")),
        (
            at(0.05),
            format!(
                "{}\t{id}\tINFO\tstate {} of execution {execution}: handling input",
                iso(at(0.05)),
                invocation.state
            ),
        ),
    ];
    match &invocation.failure {
        Some((kind, message, stack)) => {
            let error = serde_json::json!({
                "errorType": kind,
                "errorMessage": message,
                "stack": stack,
            });
            out.push((
                at(0.9),
                format!("{}\t{id}\tERROR\tInvoke Error \t{error}", iso(at(0.9))),
            ));
        }
        None => out.push((at(0.9), format!("{}\t{id}\tINFO\tdone", iso(at(0.9))))),
    }
    let ms = span.as_secs_f64() * 1000.0;
    out.push((at(1.0), format!("END RequestId: {id}")));
    out.push((
        at(1.0),
        format!(
            "REPORT RequestId: {id}\tDuration: {ms:.2} ms\tBilled Duration: {:.0} ms\tMemory Size: 512 MB\tMax Memory Used: 87 MB",
            ms.ceil()
        ),
    ));
    out
}
