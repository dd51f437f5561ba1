//! CloudWatch Logs (awsJson 1.1, `Logs_20140328`): GetLogEvents and FilterLogEvents over
//! the log store the other services write to. Times are epoch milliseconds here, not the
//! epoch seconds of the other JSON services.

mod filter;
mod operations;
mod store;

pub use store::{LogEvent, LogStore, SharedLogs};

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::service::{Call, Operation, Protocol, Service, unanswered};
use crate::{ApiError, lock};
use filter::Pattern;
use store::ingested_by;

/// A page holds at most 10,000 events or 1 MB of them, whichever comes first.
const MAX_EVENTS: usize = 10_000;
const MAX_BYTES: usize = 1_048_576;
/// What AWS adds to each event's size when it counts a page's bytes.
const EVENT_OVERHEAD: usize = 26;

pub struct Logs {
    store: SharedLogs,
}

impl Logs {
    pub fn new(store: SharedLogs) -> Self {
        Self { store }
    }
}

impl Service for Logs {
    fn model_name(&self) -> &'static str {
        "logs"
    }

    fn protocol(&self) -> Protocol {
        Protocol::Json {
            target: "Logs_20140328",
            version: "1.1",
        }
    }

    fn operations(&self) -> &'static [Operation] {
        operations::TABLE
    }

    fn invalid_token(&self) -> &'static str {
        "InvalidParameterException"
    }

    fn answer(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        match call.operation.name {
            "GetLogEvents" => self.get_log_events(call.input, call.now, call.page_cap()),
            "FilterLogEvents" => self.filter_log_events(call.input, call.now, call.page_cap()),
            other => Err(unanswered(other)),
        }
    }
}

impl Logs {
    fn get_log_events(&self, input: &Value, now: Timestamp, cap: usize) -> Result<Value, ApiError> {
        let group = group_name(input)?;
        let stream = crate::required(input, "logStreamName")?;
        let mut store = lock(&self.store);
        let events = within(
            ingested_by(store.stream(group, stream, now)?, now),
            input,
            |event| event.at,
        );
        let limit = limit(input).min(cap);
        // Without a token the first page is the newest events, unless startFromHead.
        let from_head = input
            .get("startFromHead")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let range = match input.get("nextToken").and_then(Value::as_str) {
            Some(token) => match Token::open(token)? {
                Token::Forward(at) => forward(&events, at.min(events.len()), limit),
                Token::Backward(at) => backward(&events, at.min(events.len()), limit),
            },
            None if from_head => forward(&events, 0, limit),
            None => backward(&events, events.len(), limit),
        };
        let rows: Vec<Value> = events[range.clone()]
            .iter()
            .map(|event| {
                json!({
                    "timestamp": event.at.as_millisecond(),
                    "message": event.message,
                    "ingestionTime": event.ingested.as_millisecond(),
                })
            })
            .collect();
        Ok(json!({
            "events": rows,
            "nextForwardToken": Token::Forward(range.end).seal(),
            "nextBackwardToken": Token::Backward(range.start).seal(),
        }))
    }

    fn filter_log_events(
        &self,
        input: &Value,
        now: Timestamp,
        cap: usize,
    ) -> Result<Value, ApiError> {
        let group = group_name(input)?;
        let pattern = Pattern::parse(
            input
                .get("filterPattern")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        )?;
        let named: Option<Vec<&str>> = input
            .get("logStreamNames")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect());
        let prefix = input.get("logStreamNamePrefix").and_then(Value::as_str);
        if named.is_some() && prefix.is_some() {
            return Err(ApiError::new(
                400,
                "InvalidParameterException",
                "logStreamNames and logStreamNamePrefix cannot both be specified",
            ));
        }
        let mut store = lock(&self.store);
        let mut found: Vec<(&str, usize, &LogEvent)> = Vec::new();
        for (name, events) in store.group(group)? {
            let wanted = named
                .as_ref()
                .is_none_or(|names| names.contains(&name.as_str()))
                && prefix.is_none_or(|prefix| name.starts_with(prefix));
            if !wanted {
                continue;
            }
            for (index, event) in ingested_by(events, now).iter().enumerate() {
                found.push((name.as_str(), index, event));
            }
        }
        let mut found = within(&found, input, |(_, _, event)| event.at);
        found.retain(|(_, _, event)| pattern.matches(&event.message));
        found.sort_by_key(|(name, index, event)| (event.at, *name, *index));
        let start = match input.get("nextToken").and_then(Value::as_str) {
            Some(token) => match Token::open(token)? {
                Token::Forward(at) => at.min(found.len()),
                Token::Backward(_) => return Err(bad_token(token)),
            },
            None => 0,
        };
        let range = forward(&found, start, limit(input).min(cap));
        let rows: Vec<Value> = found[range.clone()]
            .iter()
            .map(|(name, index, event)| {
                json!({
                    "logStreamName": name,
                    "timestamp": event.at.as_millisecond(),
                    "message": event.message,
                    "ingestionTime": event.ingested.as_millisecond(),
                    "eventId": format!("{:056}", event.at.as_millisecond() as u128 * 1_000_000 + *index as u128),
                })
            })
            .collect();
        let mut out = json!({ "events": rows, "searchedLogStreams": [] });
        if range.end < found.len() {
            out["nextToken"] = json!(Token::Forward(range.end).seal());
        }
        Ok(out)
    }
}

/// `logGroupName`, or the name in `logGroupIdentifier` (a name or an ARN); exactly one.
fn group_name(input: &Value) -> Result<&str, ApiError> {
    let name = input.get("logGroupName").and_then(Value::as_str);
    let identifier = input.get("logGroupIdentifier").and_then(Value::as_str);
    match (name, identifier) {
        (Some(name), None) => Ok(name),
        (None, Some(identifier)) => Ok(identifier
            .split_once(":log-group:")
            .map_or(identifier, |(_, rest)| rest.trim_end_matches(":*"))),
        _ => Err(ApiError::new(
            400,
            "InvalidParameterException",
            "Exactly one of logGroupName or logGroupIdentifier must be specified",
        )),
    }
}

fn limit(input: &Value) -> usize {
    input
        .get("limit")
        .and_then(Value::as_u64)
        .map_or(MAX_EVENTS, |limit| limit as usize)
        .min(MAX_EVENTS)
}

/// The events inside `startTime..endTime` (epoch milliseconds; the end is exclusive).
fn within<T: Clone>(events: &[T], input: &Value, at: impl Fn(&T) -> Timestamp) -> Vec<T> {
    let bound = |name: &str| input.get(name).and_then(Value::as_i64);
    let (start, end) = (bound("startTime"), bound("endTime"));
    events
        .iter()
        .filter(|event| {
            let ms = at(event).as_millisecond();
            start.is_none_or(|start| ms >= start) && end.is_none_or(|end| ms < end)
        })
        .cloned()
        .collect()
}

/// Up to `limit` events, and no more than 1 MB of them, from `start` on.
fn forward<T: Message>(events: &[T], start: usize, limit: usize) -> std::ops::Range<usize> {
    let mut bytes = 0;
    let mut end = start;
    while end < events.len() && end - start < limit {
        bytes += size(&events[end]);
        if bytes > MAX_BYTES && end > start {
            break;
        }
        end += 1;
    }
    start..end
}

/// Up to `limit` events, and no more than 1 MB of them, ending just before `end`.
fn backward<T: Message>(events: &[T], end: usize, limit: usize) -> std::ops::Range<usize> {
    let mut bytes = 0;
    let mut start = end;
    while start > 0 && end - start < limit {
        bytes += size(&events[start - 1]);
        if bytes > MAX_BYTES && start < end {
            break;
        }
        start -= 1;
    }
    start..end
}

/// An event's size as AWS counts it against a page's megabyte.
fn size(event: &impl Message) -> usize {
    event.message().len() + EVENT_OVERHEAD
}

/// What a page is made of: events, alone or with their stream.
trait Message {
    fn message(&self) -> &str;
}

impl Message for LogEvent {
    fn message(&self) -> &str {
        &self.message
    }
}

impl Message for (&str, usize, &LogEvent) {
    fn message(&self) -> &str {
        &self.2.message
    }
}

/// GetLogEvents' tokens say a position and a direction ("f/…" or "b/…", as AWS's do); the
/// same token back means the end of the stream in that direction.
enum Token {
    Forward(usize),
    Backward(usize),
}

impl Token {
    fn seal(&self) -> String {
        match self {
            Token::Forward(at) => format!("f/{at:056}/s"),
            Token::Backward(at) => format!("b/{at:056}/s"),
        }
    }

    fn open(token: &str) -> Result<Self, ApiError> {
        let position = |rest: &str| {
            rest.strip_suffix("/s")
                .and_then(|digits| digits.parse::<usize>().ok())
        };
        if let Some(at) = token.strip_prefix("f/").and_then(position) {
            return Ok(Token::Forward(at));
        }
        if let Some(at) = token.strip_prefix("b/").and_then(position) {
            return Ok(Token::Backward(at));
        }
        Err(bad_token(token))
    }
}

fn bad_token(token: &str) -> ApiError {
    ApiError::new(
        400,
        "InvalidParameterException",
        format!("The specified nextToken is invalid: {token}"),
    )
}
