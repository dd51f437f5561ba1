//! Flags and subcommands. Connection flags behave as in the AWS CLI.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
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
    /// The settings file (default: $XDG_CONFIG_HOME/unstick/config.toml).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Where write attempts are recorded (default: $XDG_STATE_HOME/unstick/audit.jsonl;
    /// with --demo, demo-audit.jsonl beside it).
    #[arg(long, value_name = "PATH")]
    pub audit_log: Option<PathBuf>,
    #[command(flatten)]
    pub pace: PaceArgs,
    /// The background the colours are made for.
    #[arg(long, value_enum)]
    pub theme: Option<crate::terminal::looks::Palette>,
    /// Only ASCII on screen: glyphs and borders (the default when the locale is not UTF-8).
    #[arg(long)]
    pub ascii: bool,
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

/// How fast unstick may read. The account's API quotas are shared with production and
/// colleagues: after its first picture the dashboard spends a small budget.
#[derive(Debug, Clone, Args)]
pub struct PaceArgs {
    /// Requests per second the dashboard spends once its first picture is read, all
    /// APIs together [default: 2].
    #[arg(long, value_name = "PER_SECOND")]
    pub budget: Option<f64>,
    /// The most of any one API's published refill the dashboard uses once its first
    /// picture is read, in percent (50: ListExecutions at most 1 per second where AWS
    /// refills 2) [default: 50].
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(1..=100))]
    pub budget_share: Option<u8>,
    /// The CodePipeline bucket to assume, as BURST/REFILL per second (AWS publishes
    /// none; throttling lowers the pace further) [default: 10/5].
    #[arg(long, value_name = "BURST/REFILL")]
    pub codepipeline_rate: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CommandArg {
    /// Print what is failing now, then exit (0; 1 with --fail-on-failure when something
    /// is failing; 3 when some of it could not be read).
    Report {
        /// How to print it, as the AWS CLI's --output.
        #[arg(long, value_enum, default_value_t = Output::Table)]
        output: Output,
        /// The same as --output json.
        #[arg(long, conflicts_with = "output")]
        json: bool,
        /// Exit 1 when a pipeline or an execution is failing: for cron and CI.
        #[arg(long)]
        fail_on_failure: bool,
        /// Judge retries and redrives as the dashboard does with --read-only.
        #[arg(long)]
        read_only: bool,
        /// How long to keep reading what was throttled or failed before reporting what
        /// could not be read (e.g. 90s, 5m).
        #[arg(long, value_name = "DURATION", default_value = "5m")]
        timeout: jiff::SignedDuration,
        /// Also read each failure's log: the end of a failed CodeBuild action's build log,
        /// a failed Lambda task's lines (needs codebuild:BatchGetBuilds,
        /// logs:GetLogEvents and logs:FilterLogEvents).
        #[arg(long)]
        logs: bool,
        #[command(flatten)]
        connection: ConnectionArgs,
    },
    /// Print a shell's completion script: `unstick completions bash > /etc/bash_completion.d/unstick`.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page (roff): `unstick man | man -l -`.
    Man,
    /// The settings file: where it is, or a documented default to start from.
    Config {
        /// Print the default file, every setting explained: `unstick config
        /// --print-default > ~/.config/unstick/config.toml`.
        #[arg(long)]
        print_default: bool,
    },
    /// Run the built-in AWS emulator alone, for the AWS CLI or tests.
    Emulator(EmulatorArgs),
}

/// How `report` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned columns, for a person.
    Table,
    /// One JSON document, for scripts.
    Json,
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
