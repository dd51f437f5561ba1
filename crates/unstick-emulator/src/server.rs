//! The emulator's HTTP face. awsJson requests (`POST /` with `X-Amz-Target:
//! <Service>.<Operation>`) and awsQuery ones (a form with `Action=<Operation>`) are routed
//! through one table of services. What every service shares happens here, in AWS's order:
//! injected faults, latency, quotas, the operation's request shape, then its answer.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
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
use crate::codebuild::{Builds, CodeBuild};
use crate::lock;
use crate::logs::{LogStore, Logs};
use crate::pages::Pager;
use crate::quota::{QuotaOptions, Quotas};
use crate::service::{Call, Protocol, Service};
use crate::sts::Sts;
use crate::{query, shape};

#[derive(Debug, Clone)]
pub struct EmulatorOptions {
    pub region: String,
    /// Added to every reply.
    pub latency: Duration,
    /// Largest page any list operation returns, whatever maxResults asks: tests shrink it
    /// to see paging at work.
    pub page_size: usize,
    /// Which token buckets throttle requests (none by default).
    pub quotas: QuotaOptions,
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
            quotas: QuotaOptions::default(),
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
    /// Each region is its own world, as in AWS: the options' region plays the scenario;
    /// any other region a request is signed for starts empty, in the same account.
    worlds: Mutex<std::collections::BTreeMap<String, Arc<World>>>,
    /// What another region starts with.
    elsewhere: Scenario,
    clock: super::Clock,
    faults: Mutex<Faults>,
    /// Signs paging tokens: a token from another run of the emulator is refused, as AWS
    /// refuses an expired one.
    secret: u64,
    requests: Mutex<Vec<(String, Value)>>,
    served: Mutex<Vec<Served>>,
}

/// One region's services and quotas.
struct World {
    /// The table requests are dispatched through.
    services: Vec<Mutex<Box<dyn Service>>>,
    quotas: Mutex<Quotas>,
}

impl World {
    fn new(scenario: &Scenario, region: &str, start: Timestamp, quotas: &QuotaOptions) -> Self {
        // Pipelines start builds, and builds and Lambda functions write logs: the services
        // that share what they made share these stores.
        let logs = LogStore::shared();
        let builds = Builds::shared(&scenario.account_id, region, logs.clone());
        let services: Vec<Box<dyn Service>> = vec![
            Box::new(CodePipeline::new(scenario, region, start, builds.clone())),
            Box::new(StepFunctions::new(scenario, region, start, logs.clone())),
            Box::new(Sts::new(&scenario.account_id)),
            Box::new(CodeBuild::new(builds)),
            Box::new(Logs::new(logs)),
        ];
        Self {
            services: services.into_iter().map(Mutex::new).collect(),
            quotas: Mutex::new(Quotas::new(quotas.clone(), region)),
        }
    }
}

/// One request answered: which operation, when, and whether a quota throttled it. For
/// measuring a client's pace.
#[derive(Debug, Clone)]
pub struct Served {
    pub operation: String,
    pub at: std::time::Instant,
    pub throttled: bool,
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

    /// Every operation it answers, by service as the API models name them: what a
    /// client may call.
    pub fn operations(&self) -> Vec<(&'static str, &'static str)> {
        let home = self.inner.home();
        home.services
            .iter()
            .flat_map(|service| {
                let service = lock(service);
                let name = service.model_name();
                service.operations().iter().map(move |op| (name, op.name))
            })
            .collect()
    }

    pub fn request_count(&self) -> usize {
        lock(&self.inner.requests).len()
    }

    /// Every request a service answered (injected faults aside), in order.
    pub fn served(&self) -> Vec<Served> {
        lock(&self.inner.served).clone()
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
    let start = options.scenario_time.unwrap_or_else(Timestamp::now);
    let home = World::new(scenario, &options.region, start, &options.quotas);
    let emulator = Emulator {
        inner: Arc::new(Inner {
            addr,
            worlds: Mutex::new([(options.region.clone(), Arc::new(home))].into()),
            elsewhere: Scenario {
                pipelines: Vec::new(),
                state_machines: Vec::new(),
                ..scenario.clone()
            },
            clock: super::Clock::starting_at(start),
            options,
            faults: Mutex::new(Faults::default()),
            secret: fastrand::u64(..),
            requests: Mutex::new(Vec::new()),
            served: Mutex::new(Vec::new()),
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

/// How a reply is written: the service's protocol.
#[derive(Clone, Copy)]
enum Wire {
    Json(&'static str),
    Query(&'static str),
}

impl Wire {
    fn of(protocol: Protocol) -> Self {
        match protocol {
            Protocol::Json { version: "1.1", .. } => Self::Json("application/x-amz-json-1.1"),
            Protocol::Json { .. } => Self::Json("application/x-amz-json-1.0"),
            Protocol::Query { namespace, .. } => Self::Query(namespace),
        }
    }
}

/// A request, read off the wire: which service, which operation, its input.
struct Request {
    service: Option<usize>,
    wire: Wire,
    operation: String,
    input: Result<Value, ApiError>,
}

impl Inner {
    fn home(&self) -> Arc<World> {
        self.world(&self.options.region)
    }

    /// The world of `region`, made on first use.
    fn world(&self, region: &str) -> Arc<World> {
        lock(&self.worlds)
            .entry(region.to_string())
            .or_insert_with(|| {
                let start = self.clock.now();
                Arc::new(World::new(
                    &self.elsewhere,
                    region,
                    start,
                    &self.options.quotas,
                ))
            })
            .clone()
    }

    fn read(&self, headers: &HeaderMap, body: &[u8]) -> Request {
        let target = headers
            .get("x-amz-target")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        // The service whose protocol `wanted` accepts: its index, and how it replies.
        let home = self.home();
        let find = |wanted: &dyn Fn(Protocol) -> bool, otherwise: Wire| {
            home.services
                .iter()
                .map(|service| lock(service).protocol())
                .enumerate()
                .find(|(_, protocol)| wanted(*protocol))
                .map_or((None, otherwise), |(index, protocol)| {
                    (Some(index), Wire::of(protocol))
                })
        };
        if target.is_empty() {
            let (action, input) = query::read_form(body);
            let (service, wire) = find(
                &|protocol| matches!(protocol, Protocol::Query { .. }),
                Wire::Query(""),
            );
            return Request {
                service,
                wire,
                operation: action.unwrap_or_default(),
                input: Ok(input),
            };
        }
        let (prefix, operation) = target.split_once('.').unwrap_or(("", target));
        let (service, wire) = find(
            &|protocol| matches!(protocol, Protocol::Json { target, .. } if target == prefix),
            Wire::Json("application/x-amz-json-1.0"),
        );
        let input = if body.is_empty() {
            Ok(Value::Object(Default::default()))
        } else {
            serde_json::from_slice(body).map_err(|error| {
                ApiError::new(
                    400,
                    "SerializationException",
                    format!("request body is not JSON: {error}"),
                )
            })
        };
        Request {
            service,
            wire,
            operation: operation.to_string(),
            input,
        }
    }

    /// Quotas, shape, answer: what the named service says to a readable request.
    fn answer(
        &self,
        region: &str,
        index: usize,
        operation: &str,
        input: &Value,
    ) -> Result<Value, ApiError> {
        let world = self.world(region);
        let mut service = lock(&world.services[index]);
        let Some(operation) = service.operations().iter().find(|op| op.name == operation) else {
            return Err(crate::service::unanswered(operation));
        };
        let now = self.clock.now();
        if !lock(&world.quotas).take(service.model_name(), operation, now) {
            return Err(throttled());
        }
        shape::check(input, operation.input)?;
        let call = Call {
            operation,
            input,
            now,
            pager: Pager::new(self.secret, self.options.page_size, service.invalid_token()),
        };
        service.answer(&call)
    }
}

async fn handle(State(emulator): State<Emulator>, headers: HeaderMap, body: Bytes) -> Response {
    let inner = &emulator.inner;
    let request = inner.read(&headers, &body);
    let wire = request.wire;
    let input = match request.input {
        Ok(input) => input,
        Err(error) => return reply(wire, &request.operation, Err(error)),
    };
    lock(&inner.requests).push((request.operation.clone(), input.clone()));
    if !inner.options.latency.is_zero() {
        tokio::time::sleep(inner.options.latency).await;
    }
    let fault = lock(&inner.faults).take(&request.operation);
    match fault {
        Some(Fault::Throttle) => return reply(wire, &request.operation, Err(throttled())),
        Some(Fault::ServerError) => {
            return raw(
                StatusCode::INTERNAL_SERVER_ERROR,
                content_type(wire),
                "{\"message\":\"We encountered an internal error. Please try again.\"}",
            );
        }
        Some(Fault::Malformed) => {
            return raw(
                StatusCode::OK,
                content_type(wire),
                "{\"pipelines\": [ {\"name\": ",
            );
        }
        Some(Fault::Error(error)) => return reply(wire, &request.operation, Err(error)),
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(Fault::LoseReply(_) | Fault::Edit { .. }) | None => {}
    }
    let result = match request.service {
        Some(index) => {
            let region = signed_region(&headers).unwrap_or(&inner.options.region);
            inner.answer(region, index, &request.operation, &input)
        }
        None => Err(ApiError::new(
            400,
            "UnknownOperationException",
            format!("no service answers '{}'", request.operation),
        )),
    };
    lock(&inner.served).push(Served {
        operation: request.operation.clone(),
        at: std::time::Instant::now(),
        throttled: matches!(&result, Err(error) if error.code == "ThrottlingException"),
    });
    let result = result.map(|mut body| {
        // The JSON protocols leave an absent member out; they never send null.
        without_nulls(&mut body);
        body
    });
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
    reply(wire, &request.operation, result)
}

/// The region a SigV4 request was signed for: the third part of its credential scope,
/// `Credential=AKID/20261121/eu-west-1/codepipeline/aws4_request`.
fn signed_region(headers: &HeaderMap) -> Option<&str> {
    let authorization = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let scope = authorization.split("Credential=").nth(1)?;
    let region = scope.split('/').nth(2)?;
    let valid = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    valid.then_some(region)
}

fn without_nulls(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, member| !member.is_null());
            members.values_mut().for_each(without_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(without_nulls),
        _ => {}
    }
}

fn throttled() -> ApiError {
    ApiError::new(400, "ThrottlingException", "Rate exceeded")
}

fn content_type(wire: Wire) -> &'static str {
    match wire {
        Wire::Json(content_type) => content_type,
        Wire::Query(_) => "text/xml",
    }
}

fn status_of(error: &ApiError) -> StatusCode {
    StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST)
}

fn reply(wire: Wire, operation: &str, result: Result<Value, ApiError>) -> Response {
    match (wire, result) {
        (Wire::Query(namespace), Ok(body)) => raw(
            StatusCode::OK,
            "text/xml",
            &query::write_result(operation, namespace, &body, &new_id()),
        ),
        (Wire::Query(namespace), Err(error)) => raw(
            status_of(&error),
            "text/xml",
            &query::write_error(namespace, &error, &new_id()),
        ),
        (_, Ok(body)) => raw(StatusCode::OK, content_type(wire), &body.to_string()),
        (_, Err(error)) => raw(
            status_of(&error),
            content_type(wire),
            &error_body(&error).to_string(),
        ),
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
