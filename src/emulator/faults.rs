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
}
