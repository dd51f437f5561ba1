//! The one interface every emulated service offers the server: how it is addressed, the
//! operations it answers with their request shapes, paging and quotas, and the answer
//! itself. The server owns what is the same for every service (faults, latency, quotas,
//! shape checks, paging tokens, the wire format) and dispatches through a table of these.

use std::ops::Range;

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::ApiError;
use crate::limits::Rate;
use crate::pages::{PageRule, Pager};
use crate::shape::Member;

/// How requests reach a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// awsJson: `POST /` with `X-Amz-Target: <target>.<Operation>` and a JSON body.
    Json {
        target: &'static str,
        version: &'static str,
    },
    /// awsQuery: a form-encoded `Action=<Operation>&Version=<version>`, answered in XML.
    Query {
        version: &'static str,
        namespace: &'static str,
    },
}

/// How AWS meters an operation.
#[derive(Debug, Clone, Copy)]
pub enum Quota {
    /// Its own published token bucket: in the largest regions, and elsewhere.
    Published { largest: Rate, elsewhere: Rate },
    /// No published rate: one bucket for the whole service, sized by the emulator's options.
    Service,
    /// Not metered by the emulator.
    Unmetered,
}

/// One operation of a service, as its API model states it.
#[derive(Debug)]
pub struct Operation {
    pub name: &'static str,
    pub input: &'static [Member],
    /// How it pages, for the list operations.
    pub pages: Option<PageRule>,
    pub quota: Quota,
}

pub trait Service: Send {
    /// Its name in the AWS API models (botocore's and the SDKs'): `codepipeline`.
    fn model_name(&self) -> &'static str;

    fn protocol(&self) -> Protocol;

    /// Every operation it answers: the table the server dispatches through.
    fn operations(&self) -> &'static [Operation];

    /// The error code for a paging token it did not hand out.
    fn invalid_token(&self) -> &'static str {
        "InvalidToken"
    }

    /// Answers a request whose shape the server has checked.
    fn answer(&mut self, call: &Call<'_>) -> Result<Value, ApiError>;
}

/// One request, as a service sees it.
pub struct Call<'a> {
    pub operation: &'static Operation,
    pub input: &'a Value,
    pub now: Timestamp,
    pub(crate) pager: Pager,
}

impl Call<'_> {
    /// The most rows a page may hold in this emulator (tests shrink it to see paging).
    pub fn page_cap(&self) -> usize {
        self.pager.cap()
    }

    /// This request's page of a listing `total` rows long, and the next page's token.
    pub fn page(&self, total: usize) -> Result<(Range<usize>, Option<String>), ApiError> {
        let rule = self.operation.pages.unwrap_or(PageRule { default: 100 });
        self.pager
            .page(self.operation.name, self.input, rule, total)
    }

    /// A list reply: this request's page of `rows` under `key`, and `nextToken` when
    /// there is more.
    pub fn paged(&self, key: &str, rows: Vec<Value>) -> Result<Value, ApiError> {
        let (range, next) = self.page(rows.len())?;
        Ok(with_next(json!({ key: rows[range].to_vec() }), next))
    }
}

/// The error for an operation in a service's table that its `answer` does not handle.
pub fn unanswered(operation: &str) -> ApiError {
    ApiError::new(
        400,
        "UnknownOperationException",
        format!("the emulator does not implement {operation}"),
    )
}

/// A list reply with its `nextToken` when there is more.
pub fn with_next(mut out: Value, next: Option<String>) -> Value {
    if let Some(token) = next {
        out["nextToken"] = json!(token);
    }
    out
}
