//! A confirmation's life: asked, drawn whole, armed after a pause, answered once.
//!
//! A key typed before the dialog was on screen (typeahead on a slow link, a reflex, a
//! paste into a terminal without bracketed paste) never answers it: the dialog is armed
//! only by `Action::Arm`, which the runner sends a moment after the first frame that
//! showed the dialog whole, through the same channel as the keys. Keys that were already
//! queued arrive before it and find the dialog unarmed. And before anything is sent, the
//! write is checked again against the newest data: AWS, or a colleague, may have moved
//! while the dialog was open.

use std::time::Duration;

use super::*;
use crate::eligibility::{OwnWrite, Reason, RedrivePlan, RedriveReason, explain_all, redrive_plan};

/// How long a dialog must have been on screen, whole, before a key can answer it.
pub const ARM_AFTER: Duration = Duration::from_millis(300);

/// How far the person has seen the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Not drawn yet.
    NotYet,
    /// Drawn cut short: the terminal is too small to show it whole.
    CutShort,
    /// Drawn whole; waiting out the pause.
    Shown,
    /// A key can answer it now.
    Armed,
}

/// What `y` does.
#[derive(Debug, Clone, PartialEq)]
pub enum OnConfirm {
    /// Sends this write, once.
    Send(Write),
    /// Quits although a write is on its way (its outcome is then recorded as unknown
    /// if AWS has not answered within a few seconds).
    Quit,
}

/// A confirmation is a value: while it is open it takes every key, and confirming sends
/// its command exactly once (it is taken out of the Option).
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    /// Tells this dialog's `Arm` from that of a dialog opened and closed before it.
    pub id: u64,
    pub title: String,
    pub lines: Vec<(String, String)>,
    pub warning: Option<String>,
    pub on_confirm: OnConfirm,
    pub seen: Seen,
    /// Newer data made the write ineligible while the dialog was open: why. `y` then
    /// sends nothing.
    pub no_longer: Option<String>,
}

/// What a dialog asks, before it is opened.
pub(super) struct Question {
    pub title: String,
    pub lines: Vec<(String, String)>,
    pub warning: Option<String>,
    pub on_confirm: Write,
}

impl App {
    /// Opens a dialog. Its first line says where the write goes: the account, region and
    /// profile, so that nobody retries production thinking it is staging.
    pub(super) fn ask(&mut self, question: Question, target_account: Option<&str>) {
        // The dialog says where the write goes; that must not change while it is open.
        if let Some(place) = &self.switching {
            let text = format!(
                "Not now: switching to {}; ask again once it is done",
                place.describe()
            );
            self.say(Tone::Warning, text);
            return;
        }
        let mut lines = vec![("Account".to_string(), self.destination(target_account))];
        lines.extend(question.lines);
        self.open_dialog(
            question.title,
            lines,
            question.warning,
            OnConfirm::Send(question.on_confirm),
        );
    }

    /// Every dialog opens here: a new id, not yet seen, so not yet answerable.
    fn open_dialog(
        &mut self,
        title: String,
        lines: Vec<(String, String)>,
        warning: Option<String>,
        on_confirm: OnConfirm,
    ) {
        self.next_dialog += 1;
        self.confirm = Some(Confirm {
            id: self.next_dialog,
            title,
            lines,
            warning,
            on_confirm,
            seen: Seen::NotYet,
            no_longer: None,
        });
    }

    /// The account a write to `target_account` (from its ARN) is recorded under: the
    /// credentials' own when STS said, else the target's.
    pub(super) fn write_context(&self, target_account: Option<&str>) -> WriteContext {
        WriteContext {
            account: self.account().or(target_account).map(str::to_string),
            place: self.place,
        }
    }

    /// "123456789012 · us-east-1 · profile prod": the account the credentials belong to
    /// (STS), else the one in the target's ARN.
    pub fn destination(&self, target_account: Option<&str>) -> String {
        let account = self
            .account()
            .or(target_account)
            .unwrap_or("account unknown");
        let region = self.settings.region.as_deref().unwrap_or("no region");
        let mut text = format!("{account} · {region}");
        if let Some(profile) = &self.settings.profile {
            text.push_str(&format!(" · profile {profile}"));
        }
        text
    }

    /// The account the credentials belong to, once STS has answered.
    pub fn account(&self) -> Option<&str> {
        self.model
            .identity
            .data
            .as_ref()
            .map(|identity| identity.account.as_str())
    }

    /// A frame reached the screen. The first one that shows the dialog whole starts the
    /// pause; one that cuts it short (the terminal shrank) takes the arming back.
    pub(super) fn on_drawn(&mut self, dialog_whole: bool) -> Vec<Command> {
        let Some(dialog) = &mut self.confirm else {
            return Vec::new();
        };
        if !dialog_whole {
            dialog.seen = Seen::CutShort;
            return Vec::new();
        }
        if !matches!(dialog.seen, Seen::NotYet | Seen::CutShort) {
            return Vec::new();
        }
        dialog.seen = Seen::Shown;
        vec![Command::Arm {
            dialog: dialog.id,
            after: ARM_AFTER,
        }]
    }

    pub(super) fn on_arm(&mut self, id: u64) {
        if let Some(dialog) = self
            .confirm
            .as_mut()
            .filter(|d| d.id == id && d.seen == Seen::Shown)
        {
            dialog.seen = Seen::Armed;
        }
    }

    /// `y`. The one gate every write passes: the dialog must be armed; it is then taken
    /// (so a second key press finds nothing to confirm); read-only refuses; the write is
    /// checked again against the newest data; and each kind of write guards against a
    /// second request for the same target while the first is on its way.
    pub(super) fn confirm(&mut self) -> Vec<Command> {
        match self.confirm.as_ref().map(|d| d.seen) {
            None => return Vec::new(),
            Some(Seen::Armed) => {}
            Some(Seen::CutShort) => {
                self.say(
                    Tone::Warning,
                    "Not sent: the terminal is too small to show the whole request; enlarge it",
                );
                return Vec::new();
            }
            Some(Seen::NotYet | Seen::Shown) => {
                // Typed before the dialog could be read: not an answer.
                self.say(
                    Tone::Muted,
                    "Keys typed before the dialog was on screen do not answer it",
                );
                return Vec::new();
            }
        }
        let Some(dialog) = self.confirm.take() else {
            return Vec::new();
        };
        if self.settings.read_only {
            self.say(Tone::Warning, "read-only mode: nothing was sent");
            return Vec::new();
        }
        if self.switching.is_some() && matches!(dialog.on_confirm, OnConfirm::Send(_)) {
            self.say(Tone::Warning, "Not sent: the profile or region is changing");
            return Vec::new();
        }
        let still = dialog
            .no_longer
            .map_or_else(|| self.still_eligible(&dialog.on_confirm), Err);
        if let Err(why) = still {
            self.say(Tone::Warning, format!("Not sent: {why}"));
            return Vec::new();
        }
        match dialog.on_confirm {
            OnConfirm::Quit => {
                self.should_quit = true;
                Vec::new()
            }
            OnConfirm::Send(Write::Retry { plan, context }) => self.send_retry(plan, context),
            OnConfirm::Send(Write::Redrive {
                plan,
                client_token,
                context,
            }) => self.send_redrive(plan, client_token, context),
        }
    }

    /// `q`. Quitting while a write is on its way asks first: leaving now means its
    /// answer may never be seen (it is then recorded as possibly applied).
    pub(super) fn quit(&mut self) {
        // Ctrl-c inside a dialog (this one included) quits at once: quitting sends nothing.
        if self.confirm.take().is_some() {
            self.should_quit = true;
            return;
        }
        let on_its_way = self.writes_on_their_way();
        if on_its_way == 0 {
            self.should_quit = true;
            return;
        }
        self.open_dialog(
            "Quit while a write is on its way?".into(),
            vec![(
                "Waiting".into(),
                format!("{on_its_way} write(s) sent, not yet answered by AWS"),
            )],
            Some(
                "If AWS has not answered within a few seconds, the audit log records the outcome as unknown: it may have been applied.".into(),
            ),
            OnConfirm::Quit,
        );
    }

    /// Writes sent and not yet answered by AWS: quitting asks first, and switching place
    /// waits, so that each answer is seen where it belongs.
    pub(super) fn writes_on_their_way(&self) -> usize {
        self.retries
            .watches
            .values()
            .chain(self.redrives.watches.values())
            .filter(|w| w.state == OwnWrite::OnItsWay)
            .count()
    }

    /// After new data: if the open dialog's write is no longer what the rules allow, the
    /// dialog says so (and `y` will send nothing).
    pub(super) fn recheck_dialog(&mut self) {
        let Some(command) = self.confirm.as_ref().map(|d| d.on_confirm.clone()) else {
            return;
        };
        let verdict = self.still_eligible(&command).err();
        if let Some(dialog) = &mut self.confirm {
            // Once ineligible, it stays so: a dialog does not flip back under a finger.
            if dialog.no_longer.is_none() {
                dialog.no_longer = verdict;
            }
        }
    }

    /// The write in a dialog, checked against the newest data: the same rules that
    /// offered it, and the same target and effect the dialog shows.
    fn still_eligible(&self, on_confirm: &OnConfirm) -> Result<(), String> {
        match on_confirm {
            OnConfirm::Send(Write::Retry { plan, .. }) => self.retry_still_eligible(plan),
            OnConfirm::Send(Write::Redrive { plan, .. }) => self.redrive_still_eligible(plan),
            OnConfirm::Quit => Ok(()),
        }
    }

    fn retry_still_eligible(&self, plan: &RetryPlan) -> Result<(), String> {
        let stage = self
            .model
            .codepipeline
            .state(&plan.pipeline_name)
            .and_then(|state| {
                state
                    .stages
                    .iter()
                    .find(|s| s.stage_name == plan.stage_name)
            })
            .ok_or_else(|| format!("stage {} is no longer in the pipeline", plan.stage_name))?;
        let latest = stage
            .latest_execution
            .as_ref()
            .map(|run| run.pipeline_execution_id.as_str());
        if latest != Some(plan.pipeline_execution_id.as_str()) {
            return Err(format!(
                "a later execution ({}) has run {} since the dialog opened",
                latest.map_or("?", crate::eligibility::short_id),
                plan.stage_name
            ));
        }
        let input = self.live_retry_input(&plan.pipeline_name, stage);
        let now = retry_plan(&input, plan.retry_mode)
            .map_err(|reasons| explain_all(&reasons, Reason::explain))?;
        if now.reruns != plan.reruns || now.overwrites != plan.overwrites {
            return Err(format!(
                "what would re-run changed since the dialog opened (now: {})",
                now.reruns.join(", ")
            ));
        }
        Ok(())
    }

    fn redrive_still_eligible(&self, plan: &RedrivePlan) -> Result<(), String> {
        let owned = self
            .redrive_input(&plan.execution_arn)
            .ok_or_else(|| "the execution is no longer listed".to_string())?;
        let now = redrive_plan(&owned.as_input(self.now, self.settings.read_only))
            .map_err(|reasons| explain_all(&reasons, RedriveReason::explain))?;
        if now.redrive_count != plan.redrive_count {
            return Err(format!(
                "it was redriven since the dialog opened (redrive count {} → {})",
                plan.redrive_count.map_or("?".into(), |n| n.to_string()),
                now.redrive_count.map_or("?".into(), |n| n.to_string())
            ));
        }
        Ok(())
    }
}
