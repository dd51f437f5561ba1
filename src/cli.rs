//! Flags and subcommands. Connection flags behave as in the AWS CLI.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "unstick",
    version,
    about = "See what failed in AWS CodePipeline, why, and retry it safely"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<CommandArg>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Named profile from ~/.aws/config (as AWS_PROFILE).
    #[arg(long, global = true, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// AWS region (as AWS_REGION); otherwise the profile's.
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Send requests to this endpoint instead of AWS's (as AWS_ENDPOINT_URL).
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
    /// Never send a write: retry is shown but refused.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Run on the built-in emulator with demo data; needs no AWS account.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Scenario file for --demo (default: the bundled demo).
    #[arg(long, global = true, value_name = "PATH")]
    pub demo_scenario: Option<PathBuf>,
    /// Where write attempts are recorded (default: $XDG_STATE_HOME/unstick/audit.jsonl).
    #[arg(long, global = true, value_name = "PATH")]
    pub audit_log: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CommandArg {
    /// Print what is failing now, then exit.
    Report {
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Run the built-in AWS emulator alone, for the AWS CLI or tests.
    Emulator {
        #[arg(long, default_value_t = 4566)]
        port: u16,
        #[arg(long, value_name = "PATH")]
        scenario: Option<PathBuf>,
        /// Delay every reply by this many milliseconds.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Throttle requests above this rate (requests per second).
        #[arg(long)]
        throttle_rate: Option<f64>,
    },
}
