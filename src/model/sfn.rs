//! The Step Functions data the dashboard holds, each piece with its freshness.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use serde::Serialize;

use super::execution::{
    Execution, ExecutionDetail, HistoryEvent, MapRun, StateMachine, StatusFilter,
};
use super::failure::{Failure, find_failure};
use super::freshness::Tracked;

/// A history as read, with its failure found once (histories run to 25,000 events).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionHistory {
    pub event_count: usize,
    pub failure: Option<Failure>,
    /// The Map Runs it started (`MapRunStarted`), which are worth describing.
    pub has_map_runs: bool,
    /// What the execution was when this was read: a change means the history is stale.
    pub redrive_count: usize,
    pub ended: bool,
    /// Why the history was not read to its end, when it was not (see `paging`).
    pub cut: Option<String>,
    /// Every event, for the timeline; shared, as replies are cloned on their way.
    #[serde(skip)]
    pub events: std::sync::Arc<Vec<HistoryEvent>>,
}

impl ExecutionHistory {
    pub fn from_events(events: Vec<HistoryEvent>, cut: Option<String>) -> Self {
        let ended = events.iter().rev().find_map(|e| match e.kind.as_str() {
            "ExecutionRedriven" => Some(false),
            "ExecutionFailed" | "ExecutionTimedOut" | "ExecutionAborted" | "ExecutionSucceeded" => {
                Some(true)
            }
            _ => None,
        });
        Self {
            event_count: events.len(),
            failure: find_failure(&events),
            has_map_runs: events.iter().any(|e| e.kind == "MapRunStarted"),
            redrive_count: events
                .iter()
                .filter(|e| e.kind == "ExecutionRedriven")
                .count(),
            ended: ended.unwrap_or(false),
            cut,
            events: std::sync::Arc::new(events),
        }
    }
}

#[derive(Debug, Default)]
pub struct SfnModel {
    pub machines: Tracked<Vec<StateMachine>>,
    /// ListExecutions, by (state machine ARN, status asked for).
    pub lists: BTreeMap<(String, StatusFilter), Tracked<Vec<Execution>>>,
    /// The lists of which AWS holds more than was listed (it offered a next page).
    pub more: BTreeSet<(String, StatusFilter)>,
    /// DescribeExecution, by execution ARN.
    pub details: BTreeMap<String, Tracked<ExecutionDetail>>,
    pub histories: BTreeMap<String, Tracked<ExecutionHistory>>,
    pub map_runs: BTreeMap<String, Tracked<Vec<MapRun>>>,
}

impl SfnModel {
    pub fn machine_list(&self) -> &[StateMachine] {
        self.machines.data.as_deref().unwrap_or_default()
    }

    pub fn machine(&self, arn: &str) -> Option<&StateMachine> {
        self.machine_list()
            .iter()
            .find(|m| m.state_machine_arn == arn)
    }

    pub fn detail(&self, arn: &str) -> Option<&ExecutionDetail> {
        self.details.get(arn).and_then(|t| t.data.as_ref())
    }

    pub fn history(&self, arn: &str) -> Option<&ExecutionHistory> {
        self.histories.get(arn).and_then(|t| t.data.as_ref())
    }

    pub fn map_runs(&self, arn: &str) -> &[MapRun] {
        self.map_runs
            .get(arn)
            .and_then(|t| t.data.as_deref())
            .unwrap_or_default()
    }

    /// Whether `machine` holds more executions than one unfiltered page: it is then
    /// listed status by status, and its unfiltered list no longer counts.
    pub fn is_busy(&self, machine: &str) -> bool {
        self.more
            .contains(&(machine.to_string(), StatusFilter::Any))
    }

    /// Whether `machine`'s list by `filter` counts: its unfiltered one while it is
    /// quiet, its status lists once it is busy.
    fn counts(&self, machine: &str, filter: StatusFilter) -> bool {
        (filter == StatusFilter::Any) != self.is_busy(machine)
    }

    /// The lists that count, of every machine.
    fn current_lists(&self) -> impl Iterator<Item = (StatusFilter, &Tracked<Vec<Execution>>)> {
        self.lists
            .iter()
            .filter(|((machine, filter), _)| self.counts(machine, *filter))
            .map(|((_, filter), tracked)| (*filter, tracked))
    }

    /// When the lists that count for `machine` were read: the oldest of those read, none
    /// when none was.
    pub fn listed_at(&self, machine: &str) -> Option<Timestamp> {
        self.lists
            .range((machine.to_string(), StatusFilter::Any)..)
            .take_while(|((m, _), _)| m == machine)
            .filter(|((_, filter), _)| self.counts(machine, *filter))
            .filter_map(|(_, tracked)| tracked.loaded_at())
            .min()
    }

    /// Every execution listed under the given filters, newest knowledge first: a
    /// DescribeExecution read after the list wins over the list's row.
    pub fn executions(&self, filters: &[StatusFilter]) -> Vec<Execution> {
        let mut seen = BTreeMap::new();
        for (filter, tracked) in self.current_lists() {
            let listed_at = tracked.loaded_at();
            for row in tracked.data.iter().flatten() {
                let wanted = if filter == StatusFilter::Any {
                    filters.iter().any(|f| f.matches(row))
                } else {
                    filters.contains(&filter)
                };
                if !wanted {
                    continue;
                }
                let fresher = self
                    .details
                    .get(&row.execution_arn)
                    .filter(|d| d.loaded_at() >= listed_at)
                    .and_then(|d| d.data.as_ref())
                    .map(|d| d.execution.clone());
                seen.insert(
                    row.execution_arn.clone(),
                    fresher.unwrap_or_else(|| row.clone()),
                );
            }
        }
        seen.into_values().collect()
    }

    /// The execution as last known, from a list or a describe, whichever is newer.
    pub fn execution(&self, arn: &str) -> Option<Execution> {
        let listed = self
            .current_lists()
            .filter_map(|(_, t)| {
                let row = t.data.as_ref()?.iter().find(|e| e.execution_arn == arn)?;
                Some((t.loaded_at(), row))
            })
            .max_by_key(|(at, _)| *at);
        let described = self
            .details
            .get(arn)
            .and_then(|t| Some((t.loaded_at(), &t.data.as_ref()?.execution)));
        match (listed, described) {
            (Some((listed_at, row)), Some((described_at, detail))) => Some(
                if described_at >= listed_at {
                    detail
                } else {
                    row
                }
                .clone(),
            ),
            (Some((_, row)), None) => Some(row.clone()),
            (None, Some((_, detail))) => Some(detail.clone()),
            (None, None) => None,
        }
    }
}
