//! The runs an execution is made of, and how their statuses roll up into a stage's and
//! an execution's, as time passes.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use super::super::new_id;
use super::super::scenario::{ActionRunSpec, StageSpec};

#[derive(Debug)]
pub(super) struct Execution {
    pub(super) id: String,
    pub(super) pipeline_version: i32,
    pub(super) start: Timestamp,
    pub(super) trigger: String,
    pub(super) status_override: Option<String>,
    pub(super) stages: BTreeMap<String, StageRun>,
}

#[derive(Debug, Default)]
pub(super) struct StageRun {
    pub(super) actions: BTreeMap<String, ActionRun>,
    pub(super) manual_retries: i32,
}

#[derive(Debug, Clone)]
pub(super) struct ActionRun {
    pub(super) id: String,
    pub(super) status: String,
    pub(super) summary: Option<String>,
    pub(super) error: Option<(String, String)>,
    pub(super) url: Option<String>,
    pub(super) percent: Option<i32>,
    /// What the action ran: a build id, an execution ARN.
    pub(super) external_id: Option<String>,
    pub(super) started: Timestamp,
    pub(super) last_change: Timestamp,
    /// A run planned for later is invisible until then.
    pub(super) visible_from: Timestamp,
    /// Changes still to come, in time order.
    pub(super) pending: Vec<Change>,
}

/// A status an action will take at a given time.
#[derive(Debug, Clone)]
pub(super) struct Change {
    pub(super) at: Timestamp,
    pub(super) status: String,
    pub(super) error: Option<(String, String)>,
    /// A new run of the action (a new build) when it starts again.
    pub(super) external_id: Option<String>,
}

impl ActionRun {
    pub(super) fn settle(&mut self, now: Timestamp) {
        while self.pending.first().is_some_and(|change| change.at <= now) {
            let change = self.pending.remove(0);
            self.summary = match (change.status.as_str(), &change.error) {
                ("InProgress", _) => Some("Running".into()),
                (_, Some(_)) => Some("Failed again".into()),
                _ => Some("Succeeded".into()),
            };
            self.percent = (change.status == "InProgress").then_some(0);
            self.status = change.status;
            self.error = change.error;
            if change.external_id.is_some() {
                self.external_id = change.external_id;
            }
            self.last_change = change.at;
        }
    }

    /// A run that starts at `start` and ends at `end` with `outcome`.
    pub(super) fn planned(
        start: Timestamp,
        end: Timestamp,
        outcome: &str,
        error: Option<(String, String)>,
        external_id: Option<String>,
    ) -> Self {
        Self {
            id: new_id(),
            status: "InProgress".into(),
            summary: Some("Running".into()),
            error: None,
            url: None,
            percent: Some(0),
            external_id,
            started: start,
            last_change: start,
            visible_from: start,
            pending: vec![Change {
                at: end,
                status: outcome.to_string(),
                error,
                external_id: None,
            }],
        }
    }
}

impl StageRun {
    pub(super) fn visible(&self, now: Timestamp) -> impl Iterator<Item = (&String, &ActionRun)> {
        self.actions
            .iter()
            .filter(move |(_, run)| run.visible_from <= now)
    }

    pub(super) fn status(&self, declared: &StageSpec, now: Timestamp) -> Option<&'static str> {
        let statuses: Vec<&str> = self
            .visible(now)
            .map(|(_, run)| run.status.as_str())
            .collect();
        if statuses.is_empty() {
            return None;
        }
        Some(if statuses.contains(&"Failed") {
            "Failed"
        } else if statuses.contains(&"InProgress") {
            "InProgress"
        } else if statuses.contains(&"Abandoned") {
            "Stopped"
        } else if statuses.len() == declared.actions.len() {
            "Succeeded"
        } else {
            "InProgress"
        })
    }
}

impl Execution {
    pub(super) fn status(&self, stages: &[StageSpec], now: Timestamp) -> String {
        if let Some(status) = &self.status_override {
            return status.clone();
        }
        let statuses: Vec<&str> = stages
            .iter()
            .filter_map(|stage| self.stages.get(&stage.name)?.status(stage, now))
            .collect();
        if statuses.contains(&"InProgress") {
            "InProgress"
        } else if statuses.contains(&"Failed") {
            "Failed"
        } else if statuses.contains(&"Stopped") {
            "Stopped"
        } else if statuses.len() == stages.len() {
            "Succeeded"
        } else {
            "InProgress"
        }
        .to_string()
    }

    pub(super) fn last_change(&self) -> Timestamp {
        self.stages
            .values()
            .flat_map(|stage| stage.actions.values())
            .map(|run| run.last_change)
            .max()
            .unwrap_or(self.start)
    }
}

pub(super) fn minutes_before(now: Timestamp, minutes: f64) -> Timestamp {
    now - SignedDuration::from_secs_f64(minutes * 60.0)
}

pub(super) fn action_run(spec: &ActionRunSpec, default_minutes: f64, now: Timestamp) -> ActionRun {
    let changed = minutes_before(now, spec.minutes_ago.unwrap_or(default_minutes));
    ActionRun {
        id: new_id(),
        status: spec.status.clone(),
        summary: spec.summary.clone(),
        error: spec
            .error_code
            .as_ref()
            .map(|code| (code.clone(), spec.error_message.clone().unwrap_or_default())),
        url: spec.url.clone(),
        percent: spec.percent_complete,
        external_id: None,
        started: changed - SignedDuration::from_secs(90),
        last_change: changed,
        visible_from: Timestamp::UNIX_EPOCH,
        pending: Vec::new(),
    }
}
