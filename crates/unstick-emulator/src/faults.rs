//! Faults the emulator can inject, for tests, benchmarks and rehearsals: throttling,
//! server errors, malformed replies, any AWS error, and latency.

use std::time::Duration;

use super::ApiError;

#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// HTTP 400 ThrottlingException.
    Throttle,
    /// HTTP 500 with a body that names no error code.
    ServerError,
    /// HTTP 200 whose body is not JSON.
    Malformed,
    /// Any AWS error reply.
    Error(ApiError),
    /// Answer normally, but only after this long.
    Delay(Duration),
    /// Carry the request out, then hold the reply this long: to a client with a shorter
    /// timeout, a write that was applied but whose answer was lost.
    LoseReply(Duration),
    /// Answer, with the field at `path` (dot-separated, `*` for every element of a list)
    /// set to `value`, or left out when `value` is None: a reply AWS would never send.
    Edit {
        path: String,
        value: Option<serde_json::Value>,
    },
}

impl Fault {
    /// Leaves the field at `path` out of the reply.
    pub fn leave_out(path: &str) -> Self {
        Self::Edit {
            path: path.to_string(),
            value: None,
        }
    }
}

/// Applies an `Edit` to a reply body.
pub fn edit(body: &mut serde_json::Value, path: &str, value: &Option<serde_json::Value>) {
    let (head, rest) = match path.split_once('.') {
        Some((head, rest)) => (head, Some(rest)),
        None => (path, None),
    };
    let children: Vec<&mut serde_json::Value> = match (head, body) {
        ("*", serde_json::Value::Array(items)) => items.iter_mut().collect(),
        (key, serde_json::Value::Object(map)) => match rest {
            Some(_) => map.get_mut(key).into_iter().collect(),
            None => {
                match value {
                    Some(value) => {
                        map.insert(key.to_string(), value.clone());
                    }
                    None => {
                        map.remove(key);
                    }
                }
                return;
            }
        },
        _ => return,
    };
    if let Some(rest) = rest {
        for child in children {
            edit(child, rest, value);
        }
    }
}

#[derive(Debug, Clone)]
struct Rule {
    /// None: any operation.
    operation: Option<String>,
    fault: Fault,
    remaining: u32,
}

/// A queue of faults, each for one operation (or all) and a number of requests.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<Rule>,
}

impl Faults {
    pub fn add(&mut self, operation: Option<&str>, fault: Fault, times: u32) {
        self.rules.push(Rule {
            operation: operation.map(str::to_string),
            fault,
            remaining: times,
        });
    }

    /// The fault for this request, if any, counting it down.
    pub fn take(&mut self, operation: &str) -> Option<Fault> {
        let rule = self.rules.iter_mut().find(|rule| {
            rule.remaining > 0 && rule.operation.as_deref().is_none_or(|op| op == operation)
        })?;
        rule.remaining -= 1;
        let fault = rule.fault.clone();
        self.rules.retain(|rule| rule.remaining > 0);
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_count_down_and_match_operation() {
        let mut faults = Faults::default();
        faults.add(Some("GetPipelineState"), Fault::Throttle, 2);
        assert_eq!(faults.take("ListPipelines"), None);
        assert_eq!(faults.take("GetPipelineState"), Some(Fault::Throttle));
        assert_eq!(faults.take("GetPipelineState"), Some(Fault::Throttle));
        assert_eq!(faults.take("GetPipelineState"), None);
    }

    #[test]
    fn edits_reach_into_lists() {
        let mut body = serde_json::json!({
            "executions": [{"name": "a", "status": "FAILED"}, {"name": "b", "status": "FAILED"}],
            "nextToken": "t"
        });
        edit(&mut body, "executions.*.status", &None);
        edit(&mut body, "nextToken", &Some(serde_json::json!("again")));
        assert_eq!(
            body,
            serde_json::json!({
                "executions": [{"name": "a"}, {"name": "b"}],
                "nextToken": "again"
            })
        );
    }
}
