//! Log lines from CloudWatch Logs: what a build or a Lambda invocation wrote, where it is,
//! and which lines say what went wrong.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::freshness::Tracked;

/// What a log view shows: a whole stream (a build's), or one Lambda invocation found by
/// time window (and request id) in its function's group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum LogSource {
    Stream {
        group: String,
        stream: String,
    },
    Invocation {
        group: String,
        /// Epoch milliseconds: FilterLogEvents' window.
        from_ms: i64,
        to_ms: i64,
        request_id: Option<String>,
    },
}

impl LogSource {
    pub fn group(&self) -> &str {
        match self {
            LogSource::Stream { group, .. } | LogSource::Invocation { group, .. } => group,
        }
    }

    /// A few words for titles: the stream, or the function and request id.
    pub fn describe(&self) -> String {
        match self {
            LogSource::Stream { group, stream } => format!("{group} › {stream}"),
            LogSource::Invocation {
                group, request_id, ..
            } => match request_id {
                Some(id) => format!("{group} › request {id}"),
                None => format!("{group} › around the failure"),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogLine {
    pub at: Option<Timestamp>,
    /// Without the trailing newline CodeBuild sends, bounded like all free text.
    pub text: String,
    /// The stream it came from, when a search spans several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
}

/// The lines read, oldest first.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogLines {
    pub lines: Vec<LogLine>,
    /// AWS holds older lines than these (one page of the newest was read).
    pub earlier: bool,
    /// Why reading stopped before the end, when it did.
    pub cut: Option<String>,
}

/// The logs the dashboard has read, by source. Only what was opened is ever read.
#[derive(Debug, Default)]
pub struct LogsModel {
    pub logs: BTreeMap<LogSource, Tracked<LogLines>>,
}

impl LogsModel {
    pub fn lines(&self, source: &LogSource) -> Option<&LogLines> {
        self.logs
            .get(source)
            .and_then(|tracked| tracked.data.as_ref())
    }
}

/// A message as a line: its trailing newline and carriage return gone.
pub fn line_text(message: &str) -> &str {
    message.trim_end_matches(['\n', '\r'])
}

/// Whether a line reports a failure: compiler and test errors, failed commands, Lambda's
/// ERROR lines, stack traces' exceptions. Case matters: "error" in a file name or a
/// passing test's title ("retries on error") is not a failure.
pub fn is_error_line(text: &str) -> bool {
    const MARKERS: &[&str] = &[
        "ERROR",
        "Error:",
        "Error ",
        "FAIL ",
        "FAILED",
        "Failed",
        "Exception",
        "✕",
        "●",
        "Traceback",
        "panicked at",
        "npm ERR!",
        "fatal:",
        "exit status",
        "Task timed out",
    ];
    let text = text.trim_start();
    if text.starts_with("[Container]") {
        // The agent's own lines: only its verdicts on commands and phases count.
        return text.contains("did not exit successfully")
            || text.contains("State: FAILED")
            || text.contains("COMMAND_EXECUTION_ERROR");
    }
    if text.starts_with("REPORT RequestId:") || text.starts_with("Phase context status code:  ") {
        return false;
    }
    MARKERS.iter().any(|marker| text.contains(marker))
}

/// The index of the first error line.
pub fn first_error(lines: &[LogLine]) -> Option<usize> {
    lines.iter().position(|line| is_error_line(&line.text))
}

/// The last `count` lines, and the index the first of them has.
pub fn tail(lines: &[LogLine], count: usize) -> (usize, &[LogLine]) {
    let start = lines.len().saturating_sub(count);
    (start, &lines[start..])
}

/// The lines around the first error when it is earlier than the tail: the test that
/// failed is often far above the summary at the end.
pub fn excerpt(lines: &[LogLine], count: usize) -> (usize, &[LogLine]) {
    let (start, last) = tail(lines, count);
    match first_error(lines) {
        Some(first) if first < start => {
            // A little of what led to it, when there is room.
            let lead = if count >= 8 { 2 } else { 0 };
            let from = first.saturating_sub(lead);
            let to = (from + count).min(lines.len());
            (from, &lines[from..to])
        }
        _ => (start, last),
    }
}

/// The request id in a Lambda failure's cause (`"requestId": "…"`), when it carries one.
pub fn request_id(cause: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(cause).ok()?;
    let id = value.get("requestId")?.as_str()?;
    let plausible = !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    plausible.then(|| id.to_string())
}

/// A Lambda function's name from what a Task names: an ARN (maybe with a version or an
/// alias), a partial ARN (`123456789012:function:name`), or the name itself.
pub fn lambda_function_name(function: &str) -> Option<String> {
    let name = match function.split_once("function:") {
        Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
        None => function,
    };
    let valid = !name.is_empty()
        && name.len() <= 140
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<LogLine> {
        texts
            .iter()
            .map(|text| LogLine {
                at: None,
                text: (*text).into(),
                stream: None,
            })
            .collect()
    }

    #[test]
    fn error_lines_are_failures_not_words() {
        for failing in [
            "FAIL test/integration/checkout/totals-1.test.ts (6.02 s)",
            "    ✕ rounds the VAT on mixed-rate baskets (230 ms)",
            "  ● checkout totals-1 › rounds the VAT",
            "[Container] 2026/11/21 03:12:01.123456 Command did not exit successfully npm run test:integration exit status 1",
            "[Container] 2026/11/21 03:12:01.123456 Phase complete: BUILD State: FAILED",
            "2026-11-21T03:12:01.123Z\t7d9c\tERROR\tInvoke Error \t{\"errorType\":\"PaymentGatewayTimeout\"}",
            "npm ERR! code ELIFECYCLE",
            "Traceback (most recent call last):",
            "java.lang.IllegalStateException: boom",
            "Task timed out after 900.00 seconds",
        ] {
            assert!(is_error_line(failing), "{failing}");
        }
        for fine in [
            "PASS test/integration/cart/basket-1.test.ts (1.21 s)",
            "    ✓ retries on error once (12 ms)",
            "[Container] 2026/11/21 03:12:01.123456 Phase complete: BUILD State: SUCCEEDED",
            "[Container] 2026/11/21 03:12:01.123456 Phase context status code:  Message: ",
            "REPORT RequestId: 7d9c\tDuration: 10012.33 ms",
            "src/errors.ts compiled",
            "",
        ] {
            assert!(!is_error_line(fine), "{fine}");
        }
    }

    #[test]
    fn the_excerpt_shows_the_first_error_when_it_is_above_the_tail() {
        let mut texts: Vec<String> = (0..100).map(|n| format!("PASS suite {n}")).collect();
        texts[30] = "FAIL suite 30".into();
        let all = lines(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        let (start, shown) = excerpt(&all, 20);
        assert_eq!(start, 28);
        assert_eq!(shown.len(), 20);
        assert_eq!(first_error(&all), Some(30));
        let (start, shown) = tail(&all, 20);
        assert_eq!((start, shown.len()), (80, 20));
        let short = lines(&["a", "b"]);
        assert_eq!(tail(&short, 20).1.len(), 2);
        assert_eq!(excerpt(&[], 20).1.len(), 0);
    }

    #[test]
    fn trailing_newlines_go_and_request_ids_and_function_names_are_read() {
        assert_eq!(line_text("[Container] done\n"), "[Container] done");
        assert_eq!(line_text("\r\n"), "");
        assert_eq!(
            request_id(
                r#"{"errorMessage":"x","requestId":"7d9c1f0e-2b3a-4c5d-8e9f-0a1b2c3d4e5f"}"#
            ),
            Some("7d9c1f0e-2b3a-4c5d-8e9f-0a1b2c3d4e5f".into())
        );
        assert_eq!(request_id("Rate exceeded"), None);
        assert_eq!(request_id(r#"{"requestId":"\" OR evil"}"#), None);
        assert_eq!(
            lambda_function_name(
                "arn:aws:lambda:us-east-1:123456789012:function:charge-card:$LATEST"
            ),
            Some("charge-card".into())
        );
        assert_eq!(
            lambda_function_name("123456789012:function:charge_card"),
            Some("charge_card".into())
        );
        assert_eq!(
            lambda_function_name("charge-card"),
            Some("charge-card".into())
        );
        assert_eq!(lambda_function_name("arn:aws:lambda:::function:"), None);
        assert_eq!(lambda_function_name("bad name\u{1b}[2J"), None);
    }
}
