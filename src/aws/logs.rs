//! CloudWatch Logs: a build's log stream, newest page first, and a Lambda invocation's
//! lines found by time window and request id. Needs `logs:GetLogEvents` and
//! `logs:FilterLogEvents`.

use aws_config::SdkConfig;
use aws_sdk_cloudwatchlogs::Client;

use super::Page;
use super::error::{AwsError, from_sdk};
use crate::model::LogLine;
use crate::model::logs::line_text;
use crate::model::text::bounded;

#[derive(Clone, Debug)]
pub struct LogsClient {
    client: Client,
}

/// One page of a stream read backwards from its end: the lines, oldest first, and
/// whether AWS holds older ones.
#[derive(Debug, Clone, PartialEq)]
pub struct NewestPage {
    pub lines: Vec<LogLine>,
    pub earlier: bool,
}

impl LogsClient {
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            client: Client::new(config),
        }
    }

    /// The newest lines of a stream: one request (up to 10,000 lines or 1 MB). A build
    /// log longer than that shows its end, which is where a build says why it failed.
    pub async fn newest(&self, group: &str, stream: &str) -> Result<NewestPage, AwsError> {
        let out = self
            .client
            .get_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .start_from_head(false)
            .send()
            .await
            .map_err(|e| from_sdk(e, "logs:GetLogEvents"))?;
        let lines: Vec<LogLine> = out
            .events()
            .iter()
            .map(|e| line(e.timestamp(), e.message(), None))
            .collect();
        // A full page may have more before it; the backward token says where. An empty
        // stream or a short page is the whole stream.
        let bytes: usize = lines.iter().map(|line| line.text.len() + 26).sum();
        let earlier =
            out.next_backward_token().is_some() && (lines.len() >= 10_000 || bytes >= 1_000_000);
        Ok(NewestPage { lines, earlier })
    }

    /// One page of the events in `group` between `from_ms` and `to_ms` matching `pattern`.
    pub async fn search(
        &self,
        group: &str,
        from_ms: i64,
        to_ms: i64,
        pattern: Option<&str>,
        token: Option<String>,
    ) -> Result<Page<LogLine>, AwsError> {
        let out = self
            .client
            .filter_log_events()
            .log_group_name(group)
            .start_time(from_ms)
            .end_time(to_ms)
            .set_filter_pattern(pattern.map(str::to_string))
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk(e, "logs:FilterLogEvents"))?;
        Ok(Page {
            items: out
                .events()
                .iter()
                .map(|e| line(e.timestamp(), e.message(), e.log_stream_name()))
                .collect(),
            next_token: out.next_token().map(str::to_string),
        })
    }
}

fn line(at_ms: Option<i64>, message: Option<&str>, stream: Option<&str>) -> LogLine {
    LogLine {
        at: at_ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok()),
        text: bounded(line_text(message.unwrap_or_default())),
        stream: stream.map(str::to_string),
    }
}
