//! Why it failed, without leaving the terminal: the chosen action of a stage and what it
//! ran (a build and its log, a Step Functions execution), the failed Lambda task's log,
//! the whole history, and the links, ARNs and error text a person copies into an
//! incident channel.

use super::reader::{Reader, Reading};
use super::*;
use crate::model::links;
use crate::model::{ActionState, LogSource};

/// Around a failed Lambda attempt, the window its log lines are looked for in: from a
/// little before it was scheduled to a minute after it failed (Lambda writes its REPORT
/// line after the function returns, and CloudWatch Logs takes a moment to ingest).
const BEFORE_ATTEMPT_MS: i64 = 5_000;
const AFTER_FAILURE_MS: i64 = 60_000;

/// What a pipeline action ran, by its provider.
#[derive(Debug, Clone, PartialEq)]
pub enum Ran {
    Build(String),
    Execution(String),
    /// Another provider: what it ran, as far as CodePipeline says.
    Other {
        provider: String,
        id: Option<String>,
        url: Option<String>,
    },
}

/// The action chosen in the selected stage, its declared provider, and what it ran (known
/// once the pipeline's structure is read).
#[derive(Debug, Clone)]
pub struct Chosen {
    pub action: ActionState,
    pub provider: Option<String>,
    pub ran: Option<Ran>,
}

/// What an action of `provider` ran, by its externalExecutionId.
fn ran_by(provider: String, action: &ActionState) -> Ran {
    match (provider.as_str(), action.external_execution_id.clone()) {
        ("CodeBuild", Some(id)) => Ran::Build(id),
        ("StepFunctions", Some(arn)) if arn.starts_with("arn:") => Ran::Execution(arn),
        (_, id) => Ran::Other {
            provider,
            id,
            url: action.external_execution_url.clone(),
        },
    }
}

/// What the copy keys copy where the person is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CopyTargets {
    pub link: Option<String>,
    pub arn: Option<String>,
    pub error: Option<String>,
}

impl App {
    pub fn region(&self) -> &str {
        self.settings.region.as_deref().unwrap_or("us-east-1")
    }

    /// The action of the selected stage the person chose with ←/→; until they choose,
    /// its first failed action, or its first.
    /// Found once per use, with its provider and what it ran: the stages on screen are
    /// rebuilt each time they are asked for.
    pub fn chosen(&self) -> Option<Chosen> {
        let stage = self.selected_stage()?;
        let chosen = self.ui.pipelines.chosen_action.as_deref();
        let action = stage
            .actions
            .iter()
            .find(|a| Some(a.action_name.as_str()) == chosen)
            .or_else(|| {
                stage
                    .actions
                    .iter()
                    .find(|a| a.status == Some(crate::model::ActionStatus::Failed))
            })
            .or(stage.actions.first())?
            .clone();
        let provider = self
            .open_pipeline()
            .and_then(|pipeline| self.model.codepipeline.structure(pipeline))
            .and_then(|s| s.provider(&stage.stage_name, &action.action_name))
            .map(str::to_string);
        let ran = provider.clone().map(|provider| ran_by(provider, &action));
        Some(Chosen {
            action,
            provider,
            ran,
        })
    }

    pub fn chosen_action(&self) -> Option<ActionState> {
        self.chosen().map(|chosen| chosen.action)
    }

    pub(super) fn step_action(&mut self, delta: isize) {
        let Some(stage) = self.selected_stage() else {
            return;
        };
        let names: Vec<&str> = stage
            .actions
            .iter()
            .map(|a| a.action_name.as_str())
            .collect();
        if names.is_empty() {
            return;
        }
        let current = self
            .chosen_action()
            .and_then(|a| names.iter().position(|n| *n == a.action_name))
            .unwrap_or(0);
        let next = (current as isize + delta).rem_euclid(names.len() as isize) as usize;
        self.ui.pipelines.chosen_action = Some(names[next].to_string());
    }

    /// What the chosen action ran, when CodePipeline says.
    pub fn chosen_ran(&self) -> Option<Ran> {
        self.chosen()?.ran
    }

    /// The chosen action stays chosen once something it ran is open: a retry that clears
    /// its failure must not move the choice to another action.
    fn pin_chosen_action(&mut self) {
        self.ui.pipelines.chosen_action = self.chosen_action().map(|a| a.action_name);
    }

    /// Enter in the pipeline view: what the chosen action ran.
    pub(super) fn open_action(&mut self) -> Vec<Command> {
        self.pin_chosen_action();
        match self.chosen_ran() {
            Some(Ran::Build(id)) => self.open_reader(Reading::BuildLog { build: id }),
            Some(Ran::Execution(arn)) => {
                self.ui.return_to = Some(self.ui.view.clone());
                self.say(
                    Tone::Muted,
                    "The execution this action ran; Esc goes back to the pipeline",
                );
                self.open_execution(arn)
            }
            Some(Ran::Other { provider, url, id }) => {
                let link = url.or(id).unwrap_or_else(|| "no link given".into());
                self.say(
                    Tone::Muted,
                    format!("{provider} action: unstick has no view of it; y copies {link}"),
                );
                Vec::new()
            }
            None => {
                let text = match self.chosen_action() {
                    Some(action) if action.external_execution_id.is_none() => {
                        format!("{} has not run anything yet", action.action_name)
                    }
                    Some(_) => "Reading the pipeline's structure…".to_string(),
                    None => "No action here".to_string(),
                };
                self.say(Tone::Muted, text);
                Vec::new()
            }
        }
    }

    /// `l`: the build log of the chosen action, or the failed Lambda task's log.
    pub(super) fn open_log(&mut self) -> Vec<Command> {
        match &self.ui.view {
            View::Pipeline(_) => match self.chosen_ran() {
                Some(Ran::Build(id)) => {
                    self.pin_chosen_action();
                    self.open_reader(Reading::BuildLog { build: id })
                }
                _ => {
                    self.say(Tone::Muted, "Only a CodeBuild action has a build log here");
                    Vec::new()
                }
            },
            View::Execution(arn) => {
                let arn = arn.clone();
                match self.lambda_log_source(&arn) {
                    Some(source) => self.open_reader(Reading::LambdaLog {
                        source,
                        execution: arn,
                    }),
                    None => {
                        let text = if self.model.sfn.history(&arn).is_none() {
                            "Still reading the history"
                        } else {
                            "The failed state is not a Lambda task: no log to show"
                        };
                        self.say(Tone::Muted, text);
                        Vec::new()
                    }
                }
            }
            _ => Vec::new(),
        }
    }

    /// `h`: the open execution's whole history.
    pub(super) fn open_history(&mut self) -> Vec<Command> {
        match &self.ui.view {
            View::Execution(arn) => {
                let execution = arn.clone();
                self.open_reader(Reading::History { execution })
            }
            _ => Vec::new(),
        }
    }

    /// A build's log stream, once BatchGetBuilds named it.
    pub fn build_log_source(&self, build: &str) -> Option<LogSource> {
        let log = self.model.codebuild.build(build)?.log.as_ref()?;
        Some(LogSource::Stream {
            group: log.group.clone(),
            stream: log.stream.clone(),
        })
    }

    /// Where the failed Lambda task of an execution logged, when it was one.
    pub fn lambda_log_source(&self, execution: &str) -> Option<LogSource> {
        let call = self
            .model
            .sfn
            .history(execution)?
            .failure
            .as_ref()?
            .lambda
            .as_ref()?;
        let failed = call.failed_at.or(call.scheduled_at)?;
        let scheduled = call.scheduled_at.unwrap_or(failed);
        Some(LogSource::Invocation {
            group: format!("/aws/lambda/{}", call.function),
            from_ms: scheduled.as_millisecond() - BEFORE_ATTEMPT_MS,
            to_ms: failed.as_millisecond() + AFTER_FAILURE_MS,
            request_id: call.request_id.clone(),
        })
    }

    /// Leaves the reader, or an execution reached from a pipeline action, for where the
    /// person came from. True when it did.
    pub(super) fn back_from_why(&mut self) -> bool {
        if self.ui.reader.take().is_some() {
            return true;
        }
        if matches!(self.ui.view, View::Execution(_))
            && let Some(view) = self.ui.return_to.take()
        {
            self.ui.view = view;
            return true;
        }
        false
    }

    /// What `y`, `Y` and `E` copy where the person is.
    pub fn copy_targets(&self) -> CopyTargets {
        let region = self.region();
        let account = self.account().unwrap_or("ACCOUNT");
        if let Some(reader) = &self.ui.reader {
            return match &reader.reading {
                Reading::History { execution } => self.execution_targets(execution),
                Reading::BuildLog { .. } | Reading::LambdaLog { .. } => {
                    self.log_targets(reader, region, account)
                }
            };
        }
        match &self.ui.view {
            View::Pipeline(name) => {
                let mut targets = CopyTargets {
                    link: Some(links::pipeline(region, name)),
                    arn: Some(
                        self.model
                            .codepipeline
                            .structure(name)
                            .and_then(|s| s.pipeline_arn.clone())
                            .unwrap_or_else(|| links::pipeline_arn(region, account, name)),
                    ),
                    error: None,
                };
                let execution = self
                    .selected_stage()
                    .and_then(|s| s.latest_execution.map(|e| e.pipeline_execution_id));
                if let Some(id) = &execution {
                    targets.link = Some(links::pipeline_execution(region, name, id));
                }
                if let Some(Chosen { action, ran, .. }) = self.chosen() {
                    match ran {
                        Some(Ran::Build(id)) => {
                            targets.link = Some(links::build(region, account, &id));
                            targets.arn = Some(
                                self.model
                                    .codebuild
                                    .build(&id)
                                    .and_then(|b| b.arn.clone())
                                    .unwrap_or(id),
                            );
                        }
                        Some(Ran::Execution(arn)) => {
                            targets.link = Some(links::execution(region, &arn));
                            targets.arn = Some(arn);
                        }
                        Some(Ran::Other { url, id, .. }) => {
                            if let Some(url) = url {
                                targets.link = Some(url);
                            }
                            if let Some(id) = id {
                                targets.arn = Some(id);
                            }
                        }
                        None => {}
                    }
                    targets.error = action
                        .error
                        .as_ref()
                        .map(|e| format!("{}: {}", e.code, e.message));
                }
                targets
            }
            View::Execution(arn) => self.execution_targets(arn),
            View::Executions => self
                .selected_execution_arn()
                .map(|arn| self.execution_targets(&arn))
                .unwrap_or_default(),
            View::Pipelines => match self.selected_row_name() {
                Some(name) => CopyTargets {
                    link: Some(links::pipeline(region, &name)),
                    arn: Some(links::pipeline_arn(region, account, &name)),
                    error: None,
                },
                None => CopyTargets::default(),
            },
        }
    }

    fn execution_targets(&self, arn: &str) -> CopyTargets {
        let failure = self.model.sfn.history(arn).and_then(|h| h.failure.as_ref());
        CopyTargets {
            link: Some(links::execution(self.region(), arn)),
            arn: Some(arn.to_string()),
            error: failure.map(|f| {
                let mut text = f.error.clone().unwrap_or_else(|| f.terminal_event.clone());
                if let Some(state) = &f.state {
                    text = format!("{state}: {text}");
                }
                if let Some(cause) = &f.cause {
                    text.push_str(&format!("\n{cause}"));
                }
                text
            }),
        }
    }

    fn log_targets(&self, reader: &Reader, region: &str, account: &str) -> CopyTargets {
        let error_line = self
            .reader_lines()
            .get(reader.cursor)
            .map(|line| line.text.clone());
        match self.reader_source() {
            Some(LogSource::Stream { group, stream }) => {
                let deep_link = match &reader.reading {
                    Reading::BuildLog { build } => self
                        .model
                        .codebuild
                        .build(build)
                        .and_then(|b| b.log.as_ref())
                        .and_then(|l| l.deep_link.clone()),
                    _ => None,
                };
                CopyTargets {
                    link: Some(
                        deep_link.unwrap_or_else(|| links::log_stream(region, &group, &stream)),
                    ),
                    arn: Some(links::log_stream_arn(region, account, &group, &stream)),
                    error: error_line,
                }
            }
            Some(LogSource::Invocation {
                group, request_id, ..
            }) => CopyTargets {
                link: Some(links::log_search(
                    region,
                    &group,
                    request_id.as_ref().map(|id| format!("\"{id}\"")).as_deref(),
                )),
                arn: request_id,
                error: error_line,
            },
            None => CopyTargets::default(),
        }
    }

    /// Copies one of the targets to the person's clipboard, through the terminal.
    pub(super) fn copy(
        &mut self,
        pick: fn(CopyTargets) -> (Option<String>, &'static str),
    ) -> Vec<Command> {
        let (text, what) = pick(self.copy_targets());
        match text {
            Some(text) => {
                let shown: String = text
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(60)
                    .collect();
                self.say(Tone::Good, format!("Copied the {what}: {shown}"));
                vec![Command::Copy(text)]
            }
            None => {
                self.say(Tone::Muted, format!("No {what} to copy here"));
                Vec::new()
            }
        }
    }
}
