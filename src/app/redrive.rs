//! Redrive, from key to answer: the rules' inputs, the dialog with its client token, the
//! one command a confirmation sends, and following the execution afterwards.

use super::*;
use crate::action::RedriveReceipt;
use crate::aws::ErrorKind;
use crate::eligibility::{RedriveInput, RedrivePlan, redrive_plan, short_id};
use crate::model::ExecutionStatus;

/// AWS keeps a client token idempotent for 15 minutes; after that a resend is a new redrive.
const TOKEN_LIFE: SignedDuration = SignedDuration::from_mins(15);
const FOLLOW_EXECUTION_GRACE: SignedDuration = SignedDuration::from_secs(6);

impl App {
    /// What the redrive rules need for one execution, gathered from the model.
    pub fn redrive_input(&self, arn: &str) -> Option<RedriveInputOwned> {
        let sfn = &self.model.sfn;
        let execution = sfn.execution(arn)?;
        let history = sfn.history(arn);
        let failure = history.and_then(|h| h.failure.clone());
        let map_run = failure
            .as_ref()
            .and_then(|f| f.map_run_arn.as_ref())
            .and_then(|run| sfn.map_runs(arn).iter().find(|m| &m.map_run_arn == run))
            .cloned();
        Some(RedriveInputOwned {
            machine_type: sfn
                .machine(&execution.state_machine_arn)
                .map(|m| m.machine_type.clone()),
            detail: sfn.detail(arn).cloned(),
            event_count: history.map(|h| h.event_count),
            failure,
            map_run,
            execution,
            in_flight: self.redrives_in_flight.contains(arn),
        })
    }

    pub(super) fn ask_redrive(&mut self) -> Vec<Command> {
        let Some(arn) = self.focused_execution() else {
            return Vec::new();
        };
        let Some(owned) = self.redrive_input(&arn) else {
            self.say(Tone::Muted, "This execution is still being read");
            return Vec::new();
        };
        let verdict = redrive_plan(&owned.as_input(self.now, self.settings.read_only));
        match verdict {
            Err(reasons) => {
                let why: Vec<String> = reasons.iter().map(|r| r.explain()).collect();
                let text = format!(
                    "Cannot redrive {}: {}",
                    owned.execution.name,
                    why.join("; ")
                );
                self.say(Tone::Warning, text);
            }
            Ok(plan) => {
                // A redrive sent earlier that never got an answer is resent with the same
                // token, so that AWS runs it at most once.
                let resend = self
                    .unanswered_redrives
                    .get(&arn)
                    .filter(|(_, at)| self.now.duration_since(*at) < TOKEN_LIFE)
                    .cloned();
                let client_token = resend
                    .as_ref()
                    .map_or_else(new_client_token, |(t, _)| t.clone());
                self.confirm = Some(redrive_confirmation(
                    plan,
                    client_token,
                    resend.map(|(_, at)| at),
                ));
            }
        }
        Vec::new()
    }

    /// A confirmed redrive: sent unless one for the same execution is still on its way.
    pub(super) fn send_redrive(
        &mut self,
        plan: RedrivePlan,
        client_token: String,
        context: WriteContext,
    ) -> Vec<Command> {
        if !self.redrives_in_flight.insert(plan.execution_arn.clone()) {
            self.say(
                Tone::Warning,
                "A redrive of this execution is already being sent",
            );
            return Vec::new();
        }
        // Until AWS answers, this token is the one to resend with.
        self.unanswered_redrives
            .insert(plan.execution_arn.clone(), (client_token.clone(), self.now));
        self.say(
            Tone::Running,
            format!("Sending RedriveExecution for {}…", plan.execution_name),
        );
        vec![Command::Redrive {
            plan,
            client_token,
            context,
        }]
    }

    pub(super) fn on_redrive_answer(
        &mut self,
        plan: RedrivePlan,
        client_token: String,
        result: Result<RedriveReceipt, AwsError>,
    ) -> Vec<Command> {
        let arn = plan.execution_arn.clone();
        self.redrives_in_flight.remove(&arn);
        match result {
            Ok(_) => {
                self.unanswered_redrives.remove(&arn);
                let count = plan
                    .redrive_count
                    .map_or("".to_string(), |n| format!(" (redrive #{})", n + 1));
                self.say(
                    Tone::Good,
                    format!("Redrive started: {}{count}", plan.execution_name),
                );
                self.following_executions.insert(arn.clone(), self.now);
            }
            Err(error) => {
                // No answer means it may have arrived: keep the token for a resend.
                let unknown = matches!(error.kind, ErrorKind::Unreachable | ErrorKind::Service);
                let hint = if unknown {
                    format!(
                        "; r resends it with the same client token ({})",
                        short_id(&client_token)
                    )
                } else {
                    self.unanswered_redrives.remove(&arn);
                    String::new()
                };
                self.say(
                    Tone::Failed,
                    format!("Redrive of {} failed: {error}{hint}", plan.execution_name),
                );
            }
        }
        // Either way the execution has news: read it now, even before the bucket allows.
        self.schedule.expire(&Read::ExecutionHistory(arn.clone()));
        let mut commands = self.poll();
        self.read_now(Read::DescribeExecution(arn), &mut commands);
        commands
    }

    /// Stops following a redriven execution once it has stopped, and says how it ended.
    pub(super) fn check_follow_execution(&mut self, arn: &str) {
        let Some(since) = self.following_executions.get(arn).copied() else {
            return;
        };
        let Some(execution) = self.model.sfn.execution(arn) else {
            return;
        };
        let running = matches!(
            execution.status,
            ExecutionStatus::Running | ExecutionStatus::PendingRedrive
        );
        let age = self.now.duration_since(since);
        if age > FOLLOW_LIMIT || (!running && age > FOLLOW_EXECUTION_GRACE) {
            self.following_executions.remove(arn);
            // Its history and its list have changed too.
            self.schedule
                .expire(&Read::ExecutionHistory(arn.to_string()));
            for filter in self.execution_filters() {
                self.schedule.expire(&Read::Executions {
                    machine: execution.state_machine_arn.clone(),
                    filter,
                });
            }
            let count = execution
                .redrive_count
                .map_or(String::new(), |n| format!(", redrive count {n}"));
            self.say(
                execution.status.tone(),
                format!(
                    "{}: {} after redrive{count}",
                    execution.name,
                    execution.status.word()
                ),
            );
        }
    }
}

/// The owned parts of `RedriveInput`, so the rules can borrow them.
#[derive(Debug, Clone)]
pub struct RedriveInputOwned {
    pub execution: crate::model::Execution,
    pub detail: Option<crate::model::ExecutionDetail>,
    pub machine_type: Option<crate::model::MachineType>,
    pub event_count: Option<usize>,
    pub failure: Option<crate::model::Failure>,
    pub map_run: Option<crate::model::MapRun>,
    pub in_flight: bool,
}

impl RedriveInputOwned {
    pub fn as_input(&self, now: Timestamp, read_only: bool) -> RedriveInput<'_> {
        RedriveInput {
            execution: &self.execution,
            detail: self.detail.as_ref(),
            machine_type: self.machine_type.as_ref(),
            event_count: self.event_count,
            failure: self.failure.as_ref(),
            map_run: self.map_run.as_ref(),
            now,
            request_in_flight: self.in_flight,
            read_only,
        }
    }
}

/// A fresh idempotency token: AWS allows up to 64 characters.
fn new_client_token() -> String {
    format!("unstick-{:032x}", fastrand::u128(..))
}

fn redrive_confirmation(
    plan: RedrivePlan,
    client_token: String,
    resend_of: Option<Timestamp>,
) -> Confirm {
    let machine = crate::model::machine_name_of(&plan.execution_arn)
        .unwrap_or(&plan.state_machine_arn)
        .to_string();
    let mut lines = vec![
        ("Machine".to_string(), machine),
        ("Execution".into(), plan.execution_name.clone()),
        (
            "Failed in".into(),
            plan.failed_state
                .clone()
                .unwrap_or_else(|| "(history not read yet)".into()),
        ),
        (
            "Redriven".into(),
            plan.redrive_count
                .map_or("unknown (not reported)".into(), |n| {
                    format!("{n} time(s) so far")
                }),
        ),
    ];
    for (index, line) in plan.reruns.iter().enumerate() {
        let label = if index == 0 { "Re-runs" } else { "" };
        lines.push((label.into(), line.clone()));
    }
    lines.push(("Token".into(), client_token.clone()));
    let warning = match resend_of {
        Some(at) => Some(format!(
            "Resends the unanswered redrive from {} with the same client token: AWS will not redrive twice.",
            at.strftime("%H:%M:%S UTC")
        )),
        None if plan.status_unknown => {
            Some("AWS did not report whether this execution is redrivable; it will decide.".into())
        }
        None => None,
    };
    Confirm {
        title: "Redrive execution?".into(),
        lines,
        warning,
        on_confirm: Command::Redrive {
            context: WriteContext {
                // arn:aws:states:REGION:ACCOUNT:execution:…
                account: plan.execution_arn.split(':').nth(4).map(str::to_string),
            },
            plan,
            client_token,
        },
    }
}
