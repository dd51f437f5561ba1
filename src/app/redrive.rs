//! Redrive, from key to answer: the rules' inputs, the dialog with its client token, the
//! one command a confirmation sends, and following the execution afterwards.

use super::confirm::Question;
use super::watch::{self, Observed, Settled, Watch};
use super::*;
use crate::action::SfnRead;
use crate::eligibility::{OwnWrite, RedriveReason, explain_all};
use crate::eligibility::{RedriveInput, RedrivePlan, redrive_plan, short_id};
use crate::model::ExecutionStatus;
use crate::model::RedriveReceipt;

/// AWS keeps a client token idempotent for 15 minutes; after that a resend is a new redrive.
const TOKEN_LIFE: SignedDuration = SignedDuration::from_mins(15);

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
            own_write: self.redrive_write(arn).filter(|write| {
                // A redrive whose answer was lost may be resent with its own token: AWS
                // runs a token once, so that resend cannot redrive twice.
                !(matches!(write, OwnWrite::Unanswered { .. }) && self.resend_token(arn).is_some())
            }),
            execution,
        })
    }

    /// The token of a redrive whose answer was lost, while AWS still honours it.
    fn resend_token(&self, arn: &str) -> Option<&(String, Timestamp)> {
        self.redrives
            .unanswered
            .get(arn)
            .filter(|(_, at)| self.now.duration_since(*at) < TOKEN_LIFE)
    }

    /// A redrive of this execution this dashboard sent and still follows.
    pub fn redrive_write(&self, arn: &str) -> Option<OwnWrite> {
        self.redrives.watches.get(arn).map(|watch| watch.state)
    }

    /// Remembers a redrive whose outcome is unknown (found in the audit log at start):
    /// `r` on that execution resends it with the same token while AWS keeps it.
    pub fn remember_unanswered_redrive(&mut self, arn: String, token: String, sent: Timestamp) {
        self.redrives.unanswered.insert(arn, (token, sent));
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
                let why = explain_all(&reasons, RedriveReason::explain);
                let text = format!("Cannot redrive {}: {why}", owned.execution.name);
                self.say(Tone::Warning, text);
            }
            Ok(plan) => {
                // A redrive sent earlier that never got an answer is resent with the same
                // token, so that AWS runs it at most once.
                let resend = self.resend_token(&arn).cloned();
                let client_token = resend
                    .as_ref()
                    .map_or_else(new_client_token, |(t, _)| t.clone());
                // arn:aws:states:REGION:ACCOUNT:execution:…
                let target_account = arn.split(':').nth(4).map(str::to_string);
                let context = self.write_context(target_account.as_deref());
                let question =
                    redrive_question(plan, client_token, resend.map(|(_, at)| at), context);
                self.ask(question, target_account.as_deref());
            }
        }
        Vec::new()
    }

    /// A confirmed redrive: sent unless one for the same execution is on its way or followed.
    pub(super) fn send_redrive(
        &mut self,
        plan: RedrivePlan,
        client_token: String,
        context: WriteContext,
    ) -> Vec<Command> {
        if let Some(write) = self
            .redrive_input(&plan.execution_arn)
            .and_then(|i| i.own_write)
        {
            self.say(Tone::Warning, write.explain("redrive"));
            return Vec::new();
        }
        let mut watch = Watch::sent(self.now);
        watch.baseline = plan.redrive_count;
        self.redrives
            .watches
            .insert(plan.execution_arn.clone(), watch);
        // Until AWS answers, this token is the one to resend with.
        self.redrives
            .unanswered
            .insert(plan.execution_arn.clone(), (client_token.clone(), self.now));
        self.say(
            Tone::Running,
            format!("Sending RedriveExecution for {}…", plan.execution_name),
        );
        vec![Command::Send(Write::Redrive {
            plan,
            client_token,
            context,
        })]
    }

    pub(super) fn on_redrive_answer(
        &mut self,
        plan: RedrivePlan,
        client_token: String,
        result: Result<RedriveReceipt, AwsError>,
    ) -> Vec<Command> {
        let arn = plan.execution_arn.clone();
        match &result {
            Ok(_) => {
                self.redrives.unanswered.remove(&arn);
                let count = plan
                    .redrive_count
                    .map_or("".to_string(), |n| format!(" (redrive #{})", n + 1));
                self.say(
                    Tone::Good,
                    format!("Redrive started: {}{count}", plan.execution_name),
                );
            }
            Err(error) if error.may_have_arrived => {
                // No answer: it may have arrived. The token stays, so a resend is harmless.
                self.say(
                    Tone::Warning,
                    format!(
                        "Redrive of {} sent; no answer ({error}): it may have been applied. r resends it with the same client token ({})",
                        plan.execution_name,
                        short_id(&client_token)
                    ),
                );
            }
            Err(error) => {
                self.redrives.unanswered.remove(&arn);
                self.say(
                    Tone::Failed,
                    format!("Redrive of {} failed: {error}", plan.execution_name),
                );
            }
        }
        watch::answer(&mut self.redrives.watches, &arn, &result, self.now);
        // Either way the execution has news: read it now, even before the bucket allows.
        self.schedule
            .expire(&Read::StepFunctions(SfnRead::ExecutionHistory(arn.clone())));
        let mut commands = self.poll();
        self.read_now(
            Read::StepFunctions(SfnRead::DescribeExecution(arn)),
            &mut commands,
        );
        commands
    }

    /// Folds a fresh read of the execution into its followed redrive; says how it ended.
    pub(super) fn check_follow_execution(&mut self, arn: &str) {
        let Some(execution) = self.model.sfn.execution(arn) else {
            return;
        };
        let Some(watch) = self.redrives.watches.get_mut(arn) else {
            return;
        };
        let running = matches!(
            execution.status,
            ExecutionStatus::Running | ExecutionStatus::PendingRedrive
        );
        let counted = match (execution.redrive_count, watch.baseline) {
            (Some(now), Some(before)) => now > before,
            _ => false,
        };
        let dated = execution.redrive_date.is_some_and(|at| at > watch.sent);
        let seen = Observed {
            running,
            marked: counted || dated,
        };
        let Some(settled) = watch.observe(seen, self.now) else {
            return;
        };
        self.redrives.watches.remove(arn);
        // Its history and its list have changed too.
        self.schedule
            .expire(&Read::StepFunctions(SfnRead::ExecutionHistory(
                arn.to_string(),
            )));
        for filter in self.execution_filters() {
            let read = self.executions_read(&execution.state_machine_arn, filter);
            self.schedule.expire(&read);
        }
        let (tone, text) = match settled {
            Settled::Ended | Settled::TooLong => {
                let count = execution
                    .redrive_count
                    .map_or(String::new(), |n| format!(", redrive count {n}"));
                (
                    execution.status.tone(),
                    format!(
                        "{}: {} after redrive{count}",
                        execution.name,
                        execution.status.word()
                    ),
                )
            }
            Settled::NeverShown => (
                Tone::Warning,
                format!(
                    "{}: AWS accepted the redrive, but the execution never showed it running; check before redriving again",
                    execution.name
                ),
            ),
            Settled::NoSign => (
                Tone::Warning,
                format!(
                    "{}: AWS shows no sign of the unanswered redrive; r resends it with the same client token",
                    execution.name
                ),
            ),
        };
        self.notice(&text);
        self.say(tone, text);
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
    pub own_write: Option<OwnWrite>,
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
            own_write: self.own_write,
            read_only,
        }
    }
}

/// A fresh idempotency token: AWS allows up to 64 characters.
fn new_client_token() -> String {
    format!("unstick-{:032x}", fastrand::u128(..))
}

fn redrive_question(
    plan: RedrivePlan,
    client_token: String,
    resend_of: Option<Timestamp>,
    context: WriteContext,
) -> Question {
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
                .map_or("unknown (not reported)".into(), |n| match n {
                    0 => "not yet".to_string(),
                    1 => "once so far".to_string(),
                    n => format!("{n} times so far"),
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
    Question {
        title: "Redrive execution?".into(),
        lines,
        warning,
        on_confirm: Write::Redrive {
            context,
            plan,
            client_token,
        },
    }
}
