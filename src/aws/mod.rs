//! The only place that knows the AWS SDK. Everything above speaks domain types and `AwsError`.

pub mod codebuild;
pub mod codepipeline;
pub mod error;
pub mod logs;
pub mod sfn;
pub mod sts;

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_sdk_codepipeline::config::Credentials;
use aws_smithy_http_client::tls;
use aws_types::os_shim_internal::{Env, Fs};

pub use codebuild::BuildClient;
pub use codepipeline::PipelineClient;
pub use error::{AwsError, ErrorKind};
pub use logs::LogsClient;
pub use sfn::SfnClient;
pub use sts::StsClient;

/// One page of a listing, and the token for the next when AWS offers one. Walking the
/// pages (paced, and with an end) is the caller's: see `paging`.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
}

/// AWS sends times as epoch seconds; the domain uses jiff.
pub(crate) fn timestamp(time: &aws_sdk_sfn::primitives::DateTime) -> Option<jiff::Timestamp> {
    jiff::Timestamp::new(time.secs(), time.subsec_nanos() as i32).ok()
}

/// How to reach AWS, as the CLI flags and environment say (the same rules as the AWS CLI).
#[derive(Debug, Clone, Default)]
pub struct Connection {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Fixed credentials for the built-in emulator; never used against real AWS.
    pub demo_credentials: bool,
    /// SDK attempts per read (1 = no SDK retry). Writes never retry, see `retry_stage`.
    pub max_attempts: u32,
    /// How long one attempt may take before it counts as lost (default 20 s).
    pub attempt_timeout: Option<Duration>,
}

/// Every service's client, built from one configuration.
#[derive(Clone, Debug)]
pub struct Clients {
    pub pipelines: PipelineClient,
    pub sfn: SfnClient,
    pub sts: StsClient,
    pub builds: BuildClient,
    pub logs: LogsClient,
}

impl Clients {
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            pipelines: PipelineClient::new(config),
            sfn: SfnClient::new(config),
            sts: StsClient::new(config),
            builds: BuildClient::new(config),
            logs: LogsClient::new(config),
        }
    }
}

impl Connection {
    /// The built-in emulator at `endpoint_url`: fixed demo credentials, no SDK retries
    /// (each request the emulator sees is one the code sent).
    pub fn emulator(endpoint_url: String, region: &str) -> Self {
        Self {
            profile: None,
            region: Some(region.to_string()),
            endpoint_url: Some(endpoint_url),
            demo_credentials: true,
            max_attempts: 1,
            attempt_timeout: None,
        }
    }
}

/// The AWS config and credentials files, read as the SDK reads them.
async fn load_profiles()
-> Result<aws_config::profile::ProfileSet, aws_config::profile::ProfileFileLoadError> {
    aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None).await
}

/// A misspelled profile is a common mistake, and the SDK only reports it as "no
/// credentials". Checking the config files first lets us name the real problem.
pub async fn check_profile(name: &str) -> Result<(), AwsError> {
    match load_profiles().await {
        Ok(profiles) if profiles.get_profile(name).is_some() => Ok(()),
        Ok(_) => {
            let file = |variable: &str, default: &str| {
                std::env::var(variable).unwrap_or_else(|_| default.to_string())
            };
            Err(AwsError::new(
                ErrorKind::Credentials,
                format!(
                    "AWS profile '{name}' is not defined in {} or {}",
                    file("AWS_CONFIG_FILE", "~/.aws/config"),
                    file("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials")
                ),
            ))
        }
        Err(error) => Err(AwsError::new(
            ErrorKind::Credentials,
            format!("cannot read the AWS config files: {error}"),
        )),
    }
}

/// The profiles the AWS config files define, sorted: what `:profile` completes. None
/// when the files cannot be read (then any name may be tried).
pub async fn profile_names() -> Vec<String> {
    let mut names: Vec<String> = load_profiles()
        .await
        .map(|profiles| profiles.profiles().map(str::to_string).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Loads the shared SDK configuration: default credential chain (environment, profile, SSO,
/// IMDS), region, endpoint override, and short timeouts so a dead endpoint fails fast.
pub async fn sdk_config(connection: &Connection) -> SdkConfig {
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .retry_config(RetryConfig::standard().with_max_attempts(connection.max_attempts.max(1)))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(
                    connection
                        .attempt_timeout
                        .unwrap_or(Duration::from_secs(20)),
                )
                .operation_timeout(Duration::from_secs(45))
                .build(),
        );
    if let Some(profile) = &connection.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &connection.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(endpoint) = &connection.endpoint_url {
        loader = loader.endpoint_url(endpoint);
    }
    if connection.demo_credentials {
        loader = loader.credentials_provider(Credentials::new(
            "AKIDUNSTICKDEMO",
            "unstick-demo-secret",
            None,
            None,
            "unstick-demo",
        ));
    }
    loader.load().await
}
