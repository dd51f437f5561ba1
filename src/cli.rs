//! Flags and subcommands. Connection flags behave as in the AWS CLI.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use unstick_emulator::Fleet;

#[derive(Debug, Parser)]
#[command(
    name = "unstick",
    version,
    about = "What failed in AWS CodePipeline and Step Functions, why, and a safe retry or redrive"
)]
pub struct Cli {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Never send a write: retry and redrive are shown but refused.
    #[arg(long)]
    pub read_only: bool,
    /// Where write attempts are recorded (default: $XDG_STATE_HOME/unstick/audit.jsonl).
    #[arg(long, value_name = "PATH")]
    pub audit_log: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<CommandArg>,
}

/// Where to read from. Given to the dashboard, or to `report` (before or after the word:
/// what follows it wins). Not global, so that `emulator --help` lists only its own flags.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectionArgs {
    /// Named profile from ~/.aws/config (as AWS_PROFILE).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// AWS region (as AWS_REGION); otherwise the profile's.
    #[arg(long)]
    pub region: Option<String>,
    /// Send requests to this endpoint instead of AWS's (as AWS_ENDPOINT_URL).
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// Run on the built-in emulator with demo data; needs no AWS account.
    #[arg(long)]
    pub demo: bool,
    /// Scenario file for --demo (default: the bundled demo).
    #[arg(long, value_name = "PATH")]
    pub demo_scenario: Option<PathBuf>,
}

impl ConnectionArgs {
    /// These flags, with `outer`'s where these say nothing.
    pub fn or(self, outer: ConnectionArgs) -> ConnectionArgs {
        ConnectionArgs {
            profile: self.profile.or(outer.profile),
            region: self.region.or(outer.region),
            endpoint_url: self.endpoint_url.or(outer.endpoint_url),
            demo: self.demo || outer.demo,
            demo_scenario: self.demo_scenario.or(outer.demo_scenario),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum CommandArg {
    /// Print what is failing now, then exit.
    Report {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Judge retries and redrives as the dashboard does with --read-only.
        #[arg(long)]
        read_only: bool,
        #[command(flatten)]
        connection: ConnectionArgs,
    },
    /// Run the built-in AWS emulator alone, for the AWS CLI or tests.
    Emulator(EmulatorArgs),
}

/// What the standalone emulator serves, and how like AWS it meters requests.
#[derive(Debug, Clone, Args)]
pub struct EmulatorArgs {
    /// Port on 127.0.0.1 to listen on.
    #[arg(long, default_value_t = 4566)]
    pub port: u16,
    /// Scenario file: pipelines and state machines to serve (default: the bundled demo).
    #[arg(long, value_name = "PATH", conflicts_with = "fleet")]
    pub scenario: Option<PathBuf>,
    /// Serve a generated fleet instead: PIPELINESxMACHINESxEXECUTIONS, e.g. 200x50x100.
    #[arg(long, value_name = "SIZE")]
    pub fleet: Option<Fleet>,
    /// The region it answers as; it decides which published quotas apply.
    #[arg(long, default_value = "us-east-1")]
    pub region: String,
    /// Delay every reply by this many milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Throttle as AWS does: Step Functions' published bucket per API, and one
    /// CodePipeline bucket for the account (see --codepipeline-quota).
    #[arg(long)]
    pub aws_quotas: bool,
    /// The CodePipeline bucket with --aws-quotas, as BURST/REFILL per second.
    #[arg(long, value_name = "BURST/REFILL", default_value = "10/5")]
    pub codepipeline_quota: String,
    /// Also throttle every request above this rate (requests per second).
    #[arg(long)]
    pub throttle_rate: Option<f64>,
}
