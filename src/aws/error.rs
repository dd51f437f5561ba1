//! One error type for everything AWS can say, in plain words, one line each.

use std::fmt;

use aws_sdk_codepipeline::config::http::HttpResponse;
use aws_sdk_codepipeline::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_codepipeline::operation::RequestId;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    Throttled,
    AccessDenied,
    Credentials,
    Region,
    NotFound,
    /// AWS refused a write by its own rules (not retryable, not latest, busy).
    Refused,
    Validation,
    Unreachable,
    Malformed,
    Service,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AwsError {
    pub kind: ErrorKind,
    /// AWS's error code (`__type`), when it sent one.
    pub code: Option<String>,
    /// The whole sentence shown to the user.
    pub message: String,
    pub request_id: Option<String>,
    /// The request may have reached AWS and been applied although no answer came back
    /// (a timeout, a dropped connection, a reply that could not be read, an HTTP 5xx).
    /// For a write that means "outcome unknown", never "failed".
    #[serde(skip)]
    pub may_have_arrived: bool,
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AwsError {}

impl AwsError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            code: None,
            message: message.into(),
            request_id: None,
            may_have_arrived: false,
        }
    }

    /// The same error, noted as one after which a request may have arrived.
    fn arrived_maybe(mut self) -> Self {
        self.may_have_arrived = true;
        self
    }

    pub fn is_throttling(&self) -> bool {
        self.kind == ErrorKind::Throttled
    }
}

/// Throttling codes the SDK itself treats as retryable (AWS.md).
const THROTTLING: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ThrottledException",
    "RequestThrottled",
    "SlowDown",
];

/// Converts an SDK error. `iam_action` (e.g. `codepipeline:RetryStageExecution`) is named
/// when access is denied, because a missing permission is the usual cause.
pub fn from_sdk<E>(error: SdkError<E, HttpResponse>, iam_action: &str) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let request_id = error.request_id().map(str::to_string);
    let status = error
        .raw_response()
        .map(|response| response.status().as_u16());
    let chain = DisplayErrorContext(&error).to_string();
    let cause = innermost_cause(&error);
    let mut mapped = match &error {
        SdkError::ServiceError(context) => {
            let err = context.err();
            let mapped = from_code(err.code(), err.message(), iam_action, status, &cause);
            // A 5xx says AWS broke while handling it: it may have been applied.
            if status.is_some_and(|s| s >= 500) {
                mapped.arrived_maybe()
            } else {
                mapped
            }
        }
        SdkError::TimeoutError(_) => AwsError::new(
            ErrorKind::Unreachable,
            "the request timed out: the endpoint is slow or unreachable",
        )
        .arrived_maybe(),
        // A reply that could not be read: a server error page, or broken JSON.
        SdkError::ResponseError(_) => match status {
            Some(status) if status >= 500 => server_error(status),
            Some(status) => AwsError::new(
                ErrorKind::Malformed,
                format!("unreadable reply from AWS (HTTP {status}): {cause}"),
            ),
            None => AwsError::new(
                ErrorKind::Malformed,
                format!("unreadable reply from AWS: {cause}"),
            ),
        }
        .arrived_maybe(),
        SdkError::DispatchFailure(failure) if failure.is_io() || failure.is_timeout() => {
            let unreachable = AwsError::new(
                ErrorKind::Unreachable,
                format!("cannot reach the AWS endpoint: {cause}"),
            );
            // A refused connection carried no request; any other break may have come
            // after the request left.
            if never_connected(&error) {
                unreachable
            } else {
                unreachable.arrived_maybe()
            }
        }
        _ => from_setup_failure(&chain, &cause),
    };
    mapped.request_id = request_id;
    mapped
}

/// Whether the chain holds an I/O error that means no connection was ever made.
fn never_connected(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(io) = error.downcast_ref::<std::io::Error>() {
            return matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::AddrNotAvailable
            );
        }
        current = error.source();
    }
    false
}

/// The deepest error in the chain: usually the one that says what really happened.
fn innermost_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    one_line(&current.to_string())
}

fn one_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() > 160 {
        format!("{}…", line.chars().take(159).collect::<String>())
    } else {
        line.to_string()
    }
}

fn server_error(status: u16) -> AwsError {
    AwsError::new(
        ErrorKind::Service,
        format!("AWS had an internal error (HTTP {status})"),
    )
    .arrived_maybe()
}

/// Failures before a request is sent: credentials, profile, region.
fn from_setup_failure(chain: &str, cause: &str) -> AwsError {
    let lower = chain.to_lowercase();
    if lower.contains("expired") {
        AwsError::new(
            ErrorKind::Credentials,
            "AWS credentials have expired: refresh them (for SSO: aws sso login)",
        )
    } else if lower.contains("credential") {
        AwsError::new(
            ErrorKind::Credentials,
            "no AWS credentials found: use --profile, set AWS_PROFILE, run aws sso login, or export AWS_ACCESS_KEY_ID",
        )
    } else if lower.contains("region") {
        AwsError::new(
            ErrorKind::Region,
            "no AWS region: pass --region or set AWS_REGION",
        )
    } else if lower.contains("profile") {
        AwsError::new(
            ErrorKind::Credentials,
            format!("AWS profile problem: {cause}"),
        )
    } else if lower.contains("connect") || lower.contains("dns") || lower.contains("io error") {
        AwsError::new(
            ErrorKind::Unreachable,
            format!("cannot reach the AWS endpoint: {cause}"),
        )
    } else {
        AwsError::new(ErrorKind::Other, cause.to_string())
    }
}

/// Maps an AWS error code and message to a kind and a sentence.
pub fn from_code(
    code: Option<&str>,
    message: Option<&str>,
    iam_action: &str,
    status: Option<u16>,
    cause: &str,
) -> AwsError {
    let detail = message.unwrap_or("").trim();
    let with_detail = |text: &str| {
        if detail.is_empty() {
            text.to_string()
        } else {
            format!("{text}: {detail}")
        }
    };
    let (kind, text) = match code {
        Some(code) if THROTTLING.contains(&code) => (
            ErrorKind::Throttled,
            format!("AWS is throttling requests ({code}); backing off"),
        ),
        Some("AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation") => (
            ErrorKind::AccessDenied,
            format!("access denied: your AWS identity needs the IAM permission {iam_action}"),
        ),
        Some("ExpiredTokenException" | "ExpiredToken" | "RequestExpired") => (
            ErrorKind::Credentials,
            "AWS credentials have expired: refresh them (for SSO: aws sso login)".to_string(),
        ),
        Some(
            code @ ("UnrecognizedClientException"
            | "InvalidClientTokenId"
            | "InvalidSignatureException"
            | "SignatureDoesNotMatch"
            | "IncompleteSignature"),
        ) => (
            ErrorKind::Credentials,
            format!("AWS rejected the credentials ({code}): check the profile and keys"),
        ),
        Some("PipelineNotFoundException") => {
            (ErrorKind::NotFound, with_detail("pipeline not found"))
        }
        Some("StageNotFoundException") => (ErrorKind::NotFound, with_detail("stage not found")),
        Some("PipelineExecutionNotFoundException") => (
            ErrorKind::NotFound,
            with_detail("pipeline execution not found"),
        ),
        Some("StageNotRetryableException") => (
            ErrorKind::Refused,
            with_detail("AWS refused the retry (StageNotRetryableException)"),
        ),
        Some("NotLatestPipelineExecutionException") => (
            ErrorKind::Refused,
            with_detail(
                "AWS refused the retry: a later execution has run this stage (NotLatestPipelineExecutionException)",
            ),
        ),
        Some("ConflictException") => (
            ErrorKind::Refused,
            with_detail("the pipeline is busy, try again shortly (ConflictException)"),
        ),
        Some("ConcurrentPipelineExecutionsLimitExceededException") => (
            ErrorKind::Refused,
            with_detail(
                "too many executions are running (ConcurrentPipelineExecutionsLimitExceededException)",
            ),
        ),
        Some("ExecutionNotRedrivable") => (
            ErrorKind::Refused,
            with_detail("AWS refused the redrive (ExecutionNotRedrivable)"),
        ),
        Some("ExecutionLimitExceeded") => (
            ErrorKind::Refused,
            with_detail("too many executions are running (ExecutionLimitExceeded)"),
        ),
        Some("ExecutionDoesNotExist") => (ErrorKind::NotFound, with_detail("execution not found")),
        Some("StateMachineDoesNotExist") => {
            (ErrorKind::NotFound, with_detail("state machine not found"))
        }
        Some("ResourceNotFound") => (ErrorKind::NotFound, with_detail("not found")),
        // CloudWatch Logs: a group or stream that does not exist (yet: a build's stream
        // appears only once the build was provisioned).
        Some("ResourceNotFoundException") => (ErrorKind::NotFound, with_detail("not found")),
        Some("InvalidParameterException") => (
            ErrorKind::Validation,
            with_detail("AWS rejected the request (InvalidParameterException)"),
        ),
        Some("StateMachineTypeNotSupported") => (
            ErrorKind::Validation,
            "not supported for EXPRESS state machines (StateMachineTypeNotSupported)".to_string(),
        ),
        Some("InvalidArn") => (
            ErrorKind::Validation,
            with_detail("invalid ARN (InvalidArn)"),
        ),
        Some("ValidationException") => (
            ErrorKind::Validation,
            with_detail("AWS rejected the request (ValidationException)"),
        ),
        Some(code) => (ErrorKind::Other, with_detail(code)),
        None => match status {
            Some(status) if status >= 500 => return server_error(status),
            Some(status) => (
                ErrorKind::Malformed,
                format!("unexpected reply from AWS (HTTP {status}): {cause}"),
            ),
            None => (ErrorKind::Other, cause.to_string()),
        },
    };
    AwsError {
        kind,
        code: code.map(str::to_string),
        message: text,
        request_id: None,
        may_have_arrived: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_denied_names_the_iam_action() {
        let error = from_code(
            Some("AccessDeniedException"),
            Some("User x is not authorized"),
            "codepipeline:RetryStageExecution",
            Some(400),
            "",
        );
        assert_eq!(error.kind, ErrorKind::AccessDenied);
        assert!(error.message.contains("codepipeline:RetryStageExecution"));
    }

    #[test]
    fn throttling_codes() {
        for code in [
            "ThrottlingException",
            "TooManyRequestsException",
            "RequestLimitExceeded",
        ] {
            assert!(from_code(Some(code), None, "x", Some(400), "").is_throttling());
        }
    }

    #[test]
    fn unknown_code_keeps_code_and_message() {
        let error = from_code(Some("WeirdException"), Some("odd"), "x", Some(400), "");
        assert_eq!(error.message, "WeirdException: odd");
    }

    #[test]
    fn server_error_without_code() {
        let error = from_code(None, None, "x", Some(500), "unhandled error");
        assert_eq!(error.kind, ErrorKind::Service);
        assert!(error.message.contains("HTTP 500"));
    }
}
