//! The unstick binary: parse flags, set up logging to a file, run the chosen mode.

use std::process::ExitCode;
use std::sync::Arc;

use std::io::IsTerminal;

use clap::{CommandFactory, Parser};
use color_eyre::eyre::{WrapErr, eyre};
use tokio::sync::mpsc;

use unstick::app::{App, Settings};
use unstick::audit::AuditLog;
use unstick::aws::{self, Clients, Connection};
use unstick::cli::{Cli, CommandArg, ConnectionArgs, EmulatorArgs, Output, PaceArgs};
use unstick::config::{self, Config};
use unstick::emulator::{self, EmulatorOptions, QuotaOptions, Rate, Scenario};
use unstick::poller::{Bucket, Budget, Schedule};
use unstick::runner::{Identity, Runner};
use unstick::ui::Theme;
use unstick::{paths, report, tui};

fn main() -> ExitCode {
    let _ = color_eyre::install();
    let cli = Cli::parse();
    let _log_guard = init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("unstick: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            None => {
                let (config, problem) = config::load(&config::path(cli.config.as_deref()));
                let display = &config.display;
                let palette = cli.theme.or(display.theme).unwrap_or_default();
                let ascii = cli.ascii.then_some(true).or(display.ascii);
                let mut theme = Theme::from_env(palette, ascii);
                theme.hyperlinks &= display.hyperlinks.unwrap_or(true);
                let connection = with_config(cli.connection.clone(), &config);
                let read_only = cli.read_only || config.aws.read_only.unwrap_or(false);
                let pace = Pace {
                    args: &cli.pace,
                    file: &config.polling,
                };
                let start = Start {
                    config: &config,
                    problem,
                    theme,
                };
                dashboard(connection, read_only, cli.audit_log.clone(), pace, start).await
            }
            Some(CommandArg::Config { print_default }) => {
                if print_default {
                    print!("{}", config::DEFAULT);
                } else {
                    let path = config::path(cli.config.as_deref());
                    println!("{}", path.display());
                }
                Ok(ExitCode::SUCCESS)
            }
            Some(CommandArg::Report {
                output,
                json,
                fail_on_failure,
                read_only,
                timeout,
                logs,
                connection,
            }) => {
                let options = ReportOptions {
                    output: if json { Output::Json } else { output },
                    fail_on_failure,
                    read_only: read_only || cli.read_only,
                    timeout,
                    logs,
                };
                let (config, problem) = config::load(&config::path(cli.config.as_deref()));
                if let Some(problem) = problem {
                    eprintln!("unstick: {problem}");
                }
                let connection = with_config(connection.or(cli.connection), &config);
                let pace = Pace {
                    args: &cli.pace,
                    file: &config.polling,
                };
                run_report(connection, options, pace).await
            }
            Some(CommandArg::Completions { shell }) => {
                let mut command = Cli::command();
                clap_complete::generate(shell, &mut command, "unstick", &mut std::io::stdout());
                Ok(ExitCode::SUCCESS)
            }
            Some(CommandArg::Man) => {
                clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
                Ok(ExitCode::SUCCESS)
            }
            Some(CommandArg::Emulator(args)) => run_emulator(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("unstick: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to a file, never to the terminal the dashboard draws on. The file is private
/// (0600, in a 0700 directory): it names accounts, pipelines and executions.
fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let dir = paths::log_file_dir();
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .ok()?;
    let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
    paths::open_private(&dir.join("unstick.log")).ok()?;
    let appender = tracing_appender::rolling::never(dir, "unstick.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let mut filter = tracing_subscriber::EnvFilter::try_from_env("UNSTICK_LOG")
        .unwrap_or_else(|_| "info".into());
    // At debug and trace levels the SDK writes request headers, signing material and its
    // whole config bag, loaded credentials among them (the access key id). Whatever
    // UNSTICK_LOG asks, those targets say no more than info; signing and credentials
    // no more than warn. unstick's own targets log what it did instead.
    for directive in SDK_LOG_CEILINGS {
        if let Ok(directive) = directive.parse() {
            filter = filter.add_directive(directive);
        }
    }
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}

/// The most the SDK's and HTTP stack's targets may log (see `init_logging`).
const SDK_LOG_CEILINGS: &[&str] = &[
    "aws_sigv4=warn",
    "aws_credential_types=warn",
    "aws_config=info",
    "aws_runtime=info",
    "aws_smithy_runtime=info",
    "aws_smithy_runtime_api=info",
    "aws_smithy_http_client=info",
    "aws_sdk_codepipeline=info",
    "aws_sdk_sfn=info",
    "aws_sdk_sts=info",
    "aws_sdk_sso=info",
    "aws_sdk_ssooidc=info",
    "hyper=info",
    "hyper_util=info",
    "h2=info",
    "rustls=info",
];

/// Connection and display settings; with --demo, starts the emulator first.
/// What `connect` found wrong but could live with: shown as the first status line.
type StartupProblem = Option<aws::AwsError>;

/// `max_attempts`: the dashboard polls again anyway, so it takes one attempt per read and
/// leaves throttling to its own scheduler; the one-shot report lets the SDK retry.
async fn connect(
    global: &ConnectionArgs,
    read_only: bool,
    max_attempts: u32,
) -> color_eyre::Result<Connected> {
    // The SDK cannot use an empty endpoint; say so before it tries.
    if global
        .endpoint_url
        .as_deref()
        .is_some_and(|url| url.trim().is_empty())
    {
        return Err(eyre!(
            "--endpoint-url is empty: give a URL, or leave the flag out"
        ));
    }
    if std::env::var_os("AWS_ENDPOINT_URL")
        .is_some_and(|url| url.to_string_lossy().trim().is_empty())
    {
        return Err(eyre!(
            "AWS_ENDPOINT_URL is set but empty: unset it, or give a URL"
        ));
    }
    let mut connection = Connection {
        profile: global.profile.clone(),
        region: global.region.clone(),
        endpoint_url: global.endpoint_url.clone(),
        demo_credentials: false,
        max_attempts,
        attempt_timeout: None,
    };
    let mut endpoint_label = global.endpoint_url.clone();
    if global.demo {
        let scenario = match &global.demo_scenario {
            Some(path) => Scenario::load(path).map_err(|e| eyre!(e))?,
            None => Scenario::demo(),
        };
        let region = global.region.clone().unwrap_or_else(|| "us-east-1".into());
        let options = EmulatorOptions {
            region: region.clone(),
            ..EmulatorOptions::default()
        };
        let emulator = emulator::start(&scenario, options, 0)
            .await
            .wrap_err("cannot start the demo emulator")?;
        connection = Connection {
            max_attempts,
            ..Connection::emulator(emulator.endpoint_url(), &region)
        };
        endpoint_label = Some(unstick::app::DEMO_LABEL.into());
    }
    let problem = match &connection.profile {
        Some(profile) => aws::check_profile(profile).await.err(),
        None => None,
    };
    let config = aws::sdk_config(&connection).await;
    let region = config.region().map(|r| r.to_string());
    // AWS_PROFILE names the profile as surely as the flag: the header says so.
    let profile = connection.profile.clone().or_else(|| {
        std::env::var("AWS_PROFILE")
            .ok()
            .filter(|name| !name.is_empty() && !global.demo)
    });
    let settings = Settings {
        read_only,
        profile: profile.clone(),
        region: region.clone(),
        endpoint_label,
    };
    let identity = Identity { profile, region };
    Ok(Connected {
        clients: Clients::new(&config),
        settings,
        identity,
        problem,
        connection,
    })
}

/// What `connect` made.
struct Connected {
    clients: Clients,
    settings: Settings,
    identity: Identity,
    problem: StartupProblem,
    /// How AWS was reached, to reach it again in another profile or region.
    connection: Connection,
}

/// The connection the flags ask for, with the file's profile and region where neither
/// the flags nor the environment (AWS_PROFILE, AWS_REGION) name one.
fn with_config(mut connection: ConnectionArgs, config: &Config) -> ConnectionArgs {
    if connection.profile.is_none() {
        connection.profile = config.aws.profile.clone();
    }
    let region_in_env = ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
    if connection.region.is_none() && !region_in_env {
        connection.region = config.aws.region.clone();
    }
    connection
}

/// How fast to read: the flags, else the file, else the defaults.
struct Pace<'a> {
    args: &'a PaceArgs,
    file: &'a config::Polling,
}

/// What the dashboard starts with besides the connection.
struct Start<'a> {
    config: &'a Config,
    /// Why the settings file could not be used, for the first status line.
    problem: Option<String>,
    theme: Theme,
}

/// The budget the flags and the file ask for.
fn budget(pace: Pace) -> color_eyre::Result<Budget> {
    let rate = pace
        .args
        .codepipeline_rate
        .clone()
        .or(pace.file.codepipeline_rate.clone())
        .unwrap_or_else(|| "10/5".into());
    let codepipeline = parse_rate(&rate)?;
    let total = pace.args.budget.or(pace.file.budget).unwrap_or(2.0);
    if total.is_nan() || total <= 0.0 {
        return Err(eyre!("--budget is requests per second, more than 0"));
    }
    let share = pace
        .args
        .budget_share
        .or(pace.file.budget_share)
        .unwrap_or(50);
    Ok(Budget {
        total,
        share: f64::from(share) / 100.0,
        codepipeline: Bucket {
            burst: codepipeline.burst,
            refill: codepipeline.refill,
        },
    })
}

async fn dashboard(
    connection: ConnectionArgs,
    read_only: bool,
    audit_log: Option<std::path::PathBuf>,
    pace: Pace<'_>,
    start: Start<'_>,
) -> color_eyre::Result<ExitCode> {
    let budget = budget(pace)?;
    let Connected {
        clients,
        settings,
        identity,
        problem,
        connection: reached,
    } = connect(&connection, read_only, 1).await?;
    // A profile that is not defined would only show as "no credentials" on every read:
    // say what is wrong before taking over the terminal, as `report` and the AWS CLI do.
    if let Some(problem) = problem {
        return Err(eyre!(problem));
    }
    // Raw mode on a file or a pipe fails with an OS error that says nothing useful.
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(eyre!(
            "unstick needs a terminal; try `unstick report` for a printed report"
        ));
    }
    // The demo's writes never mix with the record of real ones.
    let default_log = if connection.demo {
        paths::demo_audit_log()
    } else {
        paths::audit_log()
    };
    let audit = Arc::new(AuditLog::new(audit_log.unwrap_or(default_log)));
    let (sender, inbox) = mpsc::unbounded_channel();
    let now = jiff::Timestamp::now();
    let schedule = Schedule::dashboard(settings.region.as_deref(), budget);
    let mut app = App::new(settings, schedule, now);
    app.keys = start.config.keys.clone();
    app.ui.time = start.config.display.time.unwrap_or_default();
    app.bell = start.config.display.bell.unwrap_or(false);
    app.profiles = aws::profile_names().await;
    if let Some(problem) = &start.problem {
        app.report_problem(problem);
    }
    // A redrive sent in the last 15 minutes that never got an answer (the process died or
    // the SSH session dropped) is resent with its own client token: AWS runs it once.
    let since = now - jiff::SignedDuration::from_mins(15);
    for open in audit.unanswered("RedriveExecution", since) {
        if let (Some(arn), Some(token)) = (open.target["executionArn"].as_str(), open.client_token)
        {
            app.remember_unanswered_redrive(arn.to_string(), token, open.time);
        }
    }
    let runner = Runner::new(
        clients,
        sender.clone(),
        audit,
        identity,
        app.schedule.buckets(),
    )
    .switchable(reached);
    let stopped_by = tui::run(app, start.theme, runner, sender, inbox).await?;
    // As shells expect of a process a signal ended: 128 + the signal's number.
    Ok(stopped_by.map_or(ExitCode::SUCCESS, |signal| {
        ExitCode::from(128 + signal.number())
    }))
}

/// What `report` was asked for.
struct ReportOptions {
    output: Output,
    fail_on_failure: bool,
    read_only: bool,
    timeout: jiff::SignedDuration,
    logs: bool,
}

async fn run_report(
    connection: ConnectionArgs,
    options: ReportOptions,
    pace: Pace<'_>,
) -> color_eyre::Result<ExitCode> {
    let budget = budget(pace)?;
    // The report never writes; `read_only` only changes what it says a write would do.
    // One attempt per request: the report's own schedule waits out throttling and
    // passing faults, within its deadline, at the pace AWS's buckets allow.
    let Connected {
        clients,
        settings,
        problem,
        ..
    } = connect(&connection, options.read_only, 1).await?;
    if let Some(problem) = problem {
        return Err(eyre!(problem));
    }
    let timeout = std::time::Duration::try_from(options.timeout)
        .map_err(|_| eyre!("--timeout must be a positive duration, like 5m"))?;
    let reading = report::Reading {
        deadline: std::time::Instant::now() + timeout,
        codepipeline: budget.codepipeline,
        logs: options.logs,
    };
    let bar = report::progress::bar();
    let collected = report::collect(&clients, settings, reading, |progress| {
        report::progress::show(&bar, progress)
    })
    .await;
    bar.finish_and_clear();
    let collected = collected.map_err(|error| eyre!(error))?;
    let now = jiff::Timestamp::now();
    let mut report = report::build(&collected.app, now);
    report.note_unread(&collected.unread);
    match options.output {
        Output::Json => println!("{}", serde_json::to_string_pretty(&report)?),
        Output::Table => print!("{}", report::table(&report, now)),
    }
    // Cron and CI must be able to tell an incomplete picture from a whole one, and, when
    // they ask, a failing one from a healthy one. A failure seen is certain even in an
    // incomplete picture, so it decides first.
    Ok(if options.fail_on_failure && report.is_failing() {
        ExitCode::FAILURE
    } else if report.is_complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

async fn run_emulator(args: EmulatorArgs) -> color_eyre::Result<ExitCode> {
    let scenario = match (&args.scenario, args.fleet) {
        (Some(path), _) => Scenario::load(path).map_err(|e| eyre!(e))?,
        (None, Some(fleet)) => fleet.scenario(),
        (None, None) => Scenario::demo(),
    };
    let codepipeline = parse_rate(&args.codepipeline_quota)?;
    let options = EmulatorOptions {
        region: args.region.clone(),
        latency: std::time::Duration::from_millis(args.latency_ms),
        quotas: QuotaOptions {
            published: args.aws_quotas,
            unpublished: args.aws_quotas.then_some(codepipeline),
            everything: args.throttle_rate.map(|rate| Rate {
                burst: (rate * 2.0).ceil() as u32,
                refill: rate,
            }),
        },
        ..EmulatorOptions::default()
    };
    let port = args.port;
    let emulator = emulator::start(&scenario, options, port)
        .await
        .wrap_err_with(|| format!("cannot listen on 127.0.0.1:{port}"))?;
    println!("unstick emulator listening on {}", emulator.endpoint_url());
    println!(
        "try: aws codepipeline list-pipelines --endpoint-url {} --region {}",
        emulator.endpoint_url(),
        args.region
    );
    tokio::signal::ctrl_c().await?;
    Ok(ExitCode::SUCCESS)
}

/// `BURST/REFILL`, as `10/5`.
fn parse_rate(text: &str) -> color_eyre::Result<Rate> {
    let parsed = text
        .split_once('/')
        .and_then(|(burst, refill)| Some((burst.trim().parse().ok()?, refill.trim().parse().ok()?)))
        .filter(|(burst, refill): &(u32, f64)| *burst > 0 && *refill > 0.0);
    let (burst, refill) =
        parsed.ok_or_else(|| eyre!("a quota is BURST/REFILL, like 10/5, not '{text}'"))?;
    Ok(Rate { burst, refill })
}
