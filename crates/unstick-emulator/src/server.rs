//! The emulator's HTTP face: `POST /` with `X-Amz-Target: <Service>.<Operation>`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use jiff::Timestamp;
use serde_json::Value;
use tokio::net::TcpListener;

use super::codepipeline::CodePipeline;
use super::faults::{Fault, Faults};
use super::sfn::StepFunctions;
use super::{ApiError, Scenario, error_body, new_id};
use crate::bucket::Bucket;

const CODEPIPELINE: &str = "CodePipeline_20150709";
const STEP_FUNCTIONS: &str = "AWSStepFunctions";

#[derive(Debug, Clone)]
pub struct EmulatorOptions {
    pub region: String,
    /// Added to every reply.
    pub latency: Duration,
    /// Largest page any list operation returns, whatever maxResults asks.
    pub page_size: usize,
    /// Throttle like AWS when requests come faster than this (burst of twice the rate).
    pub throttle_per_second: Option<f64>,
    /// The "now" the scenario's relative times count back from (default: the real now).
    /// Tests fix it so that "12m ago" on screen is exact.
    pub scenario_time: Option<Timestamp>,
}

impl Default for EmulatorOptions {
    fn default() -> Self {
        Self {
            region: "us-east-1".into(),
            latency: Duration::ZERO,
            page_size: 1000,
            throttle_per_second: None,
            scenario_time: None,
        }
    }
}

/// A running emulator. Cheap to clone; tests use it to inject faults and read the
/// requests it received.
#[derive(Clone)]
pub struct Emulator {
    inner: Arc<Inner>,
}

struct Inner {
    addr: SocketAddr,
    options: EmulatorOptions,
    codepipeline: Mutex<CodePipeline>,
    sfn: Mutex<StepFunctions>,
    clock: super::Clock,
    faults: Mutex<Faults>,
    bucket: Mutex<Option<Bucket>>,
    /// The account the demo credentials belong to (STS GetCallerIdentity).
    account: String,
    requests: Mutex<Vec<(String, Value)>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Emulator {
    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.inner.addr)
    }

    pub fn region(&self) -> &str {
        &self.inner.options.region
    }

    /// Injects `fault` into the next `times` requests for `operation` (None: any).
    pub fn inject(&self, operation: Option<&str>, fault: Fault, times: u32) {
        lock(&self.inner.faults).add(operation, fault, times);
    }

    /// The bodies of the requests received for an operation, in order.
    pub fn requests(&self, operation: &str) -> Vec<Value> {
        lock(&self.inner.requests)
            .iter()
            .filter(|(op, _)| op == operation)
            .map(|(_, body)| body.clone())
            .collect()
    }

    pub fn request_count(&self) -> usize {
        lock(&self.inner.requests).len()
    }
}

/// Starts the emulator on 127.0.0.1:`port` (0 picks a free port) in the current runtime.
pub async fn start(
    scenario: &Scenario,
    options: EmulatorOptions,
    port: u16,
) -> std::io::Result<Emulator> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let bucket = options
        .throttle_per_second
        .map(|rate| Bucket::new((rate * 2.0).ceil() as u32, rate));
    let start = options.scenario_time.unwrap_or_else(Timestamp::now);
    let emulator = Emulator {
        inner: Arc::new(Inner {
            addr,
            codepipeline: Mutex::new(CodePipeline::new(scenario, &options.region, start)),
            sfn: Mutex::new(StepFunctions::new(scenario, &options.region, start)),
            clock: super::Clock::starting_at(start),
            options,
            faults: Mutex::new(Faults::default()),
            bucket: Mutex::new(bucket),
            account: scenario.account_id.clone(),
            requests: Mutex::new(Vec::new()),
        }),
    };
    let router = Router::new()
        .route("/", post(handle))
        .with_state(emulator.clone());
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::error!(%error, "emulator stopped");
        }
    });
    Ok(emulator)
}

async fn handle(State(emulator): State<Emulator>, headers: HeaderMap, body: Bytes) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    // STS speaks awsQuery: no target header, a form body, an XML reply.
    if target.is_empty() && body.starts_with(b"Action=") {
        let form = String::from_utf8_lossy(&body);
        lock(&emulator.inner.requests).push(("GetCallerIdentity".into(), Value::Null));
        let (status, xml) = super::sts::answer(&form, &emulator.inner.account);
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        return raw(status, "text/xml", &xml);
    }
    let (service, operation) = target.split_once('.').unwrap_or(("", target.as_str()));
    let content_type = match service {
        CODEPIPELINE => "application/x-amz-json-1.1",
        _ => "application/x-amz-json-1.0",
    };
    let input: Value = if body.is_empty() {
        Value::Object(Default::default())
    } else {
        match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(error) => {
                let error = ApiError::new(
                    400,
                    "SerializationException",
                    format!("request body is not JSON: {error}"),
                );
                return reply(content_type, Err(error));
            }
        }
    };
    lock(&emulator.inner.requests).push((operation.to_string(), input.clone()));

    let inner = &emulator.inner;
    if !inner.options.latency.is_zero() {
        tokio::time::sleep(inner.options.latency).await;
    }
    let fault = lock(&inner.faults).take(operation);
    match fault {
        Some(Fault::Throttle) => return reply(content_type, Err(throttled())),
        Some(Fault::ServerError) => {
            return raw(
                StatusCode::INTERNAL_SERVER_ERROR,
                content_type,
                "{\"message\":\"We encountered an internal error. Please try again.\"}",
            );
        }
        Some(Fault::Malformed) => {
            return raw(
                StatusCode::OK,
                content_type,
                "{\"pipelines\": [ {\"name\": ",
            );
        }
        Some(Fault::Error(error)) => return reply(content_type, Err(error)),
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::LoseReply(_) | Fault::Edit { .. }) | None => {}
    }
    let allowed = lock(&inner.bucket)
        .as_mut()
        .is_none_or(|bucket| bucket.try_take(inner.clock.now()));
    if !allowed {
        return reply(content_type, Err(throttled()));
    }
    let result = match service {
        CODEPIPELINE => lock(&inner.codepipeline).handle(
            &inner.clock,
            operation,
            &input,
            inner.options.page_size,
        ),
        STEP_FUNCTIONS => {
            lock(&inner.sfn).handle(&inner.clock, operation, &input, inner.options.page_size)
        }
        _ => Err(ApiError::new(
            400,
            "UnknownOperationException",
            format!("unknown target '{target}'"),
        )),
    };
    let result = match (fault, result) {
        (Some(Fault::LoseReply(hold)), result) => {
            tokio::time::sleep(hold).await;
            result
        }
        (Some(Fault::Edit { path, value }), Ok(mut body)) => {
            super::faults::edit(&mut body, &path, &value);
            Ok(body)
        }
        (_, result) => result,
    };
    reply(content_type, result)
}

fn throttled() -> ApiError {
    ApiError::new(400, "ThrottlingException", "Rate exceeded")
}

fn reply(content_type: &'static str, result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(body) => raw(StatusCode::OK, content_type, &body.to_string()),
        Err(error) => {
            let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
            raw(status, content_type, &error_body(&error).to_string())
        }
    }
}

fn raw(status: StatusCode, content_type: &'static str, body: &str) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(id) = HeaderValue::from_str(&new_id()) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}
