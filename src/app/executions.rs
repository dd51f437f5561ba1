//! The executions list: what it shows, in which order, and opening one.

use super::*;
use crate::action::EXECUTION_LIMITS;
use crate::action::SfnRead;
use crate::eligibility::{format_window, thousands, window_left};
use crate::model::{Execution, ExecutionDetail, MachineType, StatusFilter};

/// One row of the executions list.
#[derive(Debug, Clone)]
pub enum ExecutionRow<'a> {
    Execution {
        execution: Box<Execution>,
        machine: &'a str,
        detail: Option<&'a ExecutionDetail>,
        /// Redrive window left, for stopped executions.
        window: Option<String>,
    },
    /// EXPRESS machines keep no executions to list or redrive; they are shown so that
    /// nobody wonders where they went.
    Express { machine: &'a str },
    /// A machine of which AWS holds more executions than are listed.
    More {
        machine: &'a str,
        /// How many of its executions are listed now (of the statuses shown).
        listed: usize,
        /// The next step `m` would list, if any.
        next: Option<u16>,
    },
}

impl App {
    /// The statuses listed now.
    pub fn execution_filters(&self) -> Vec<StatusFilter> {
        let mut filters = StatusFilter::STOPPED_BADLY.to_vec();
        if self.ui.executions.show_running {
            filters.extend(StatusFilter::ALSO_ACTIVE);
        }
        filters
    }

    /// The list as shown: filtered by machine or execution name, most recent first.
    pub fn execution_rows(&self) -> Vec<ExecutionRow<'_>> {
        let mut filter = super::fuzzy::Fuzzy::new(&self.ui.filter);
        let sfn = &self.model.sfn;
        let machine_of = |e: &Execution| {
            sfn.machine(&e.state_machine_arn)
                .map_or("", |m| m.name.as_str())
        };
        let mut executions: Vec<Execution> = sfn
            .executions(&self.execution_filters())
            .into_iter()
            .filter(|e| {
                let error = sfn
                    .detail(&e.execution_arn)
                    .and_then(|d| d.error.as_deref());
                filter.matches([machine_of(e), e.name.as_str(), error.unwrap_or("")])
            })
            .collect();
        match self.ui.sort {
            SortOrder::Failure => {
                executions.sort_by_key(|e| std::cmp::Reverse(e.stop_date.or(e.start_date)))
            }
            SortOrder::Name => {
                executions.sort_by(|a, b| (machine_of(a), &a.name).cmp(&(machine_of(b), &b.name)))
            }
            SortOrder::Status => executions.sort_by(|a, b| {
                (a.status.word(), std::cmp::Reverse(a.stop_date))
                    .cmp(&(b.status.word(), std::cmp::Reverse(b.stop_date)))
            }),
        }
        let mut rows: Vec<ExecutionRow> = executions
            .into_iter()
            .map(|execution| {
                let machine = sfn
                    .machine(&execution.state_machine_arn)
                    .map_or("?", |m| m.name.as_str());
                let detail = sfn.detail(&execution.execution_arn);
                let window = window_left(&execution, self.now).map(format_window);
                ExecutionRow::Execution {
                    execution: Box::new(execution),
                    machine,
                    detail,
                    window,
                }
            })
            .collect();
        rows.extend(
            sfn.machine_list()
                .iter()
                .filter(|m| {
                    m.machine_type == MachineType::Express && filter.matches([m.name.as_str()])
                })
                .map(|m| ExecutionRow::Express { machine: &m.name }),
        );
        let filters = self.execution_filters();
        rows.extend(
            sfn.machine_list()
                .iter()
                .filter(|m| {
                    filter.matches([m.name.as_str()]) && self.has_more(&m.state_machine_arn)
                })
                .map(|m| {
                    let listed = filters
                        .iter()
                        .filter_map(|f| sfn.lists.get(&(m.state_machine_arn.clone(), *f)))
                        .filter_map(|tracked| tracked.data.as_ref())
                        .map(Vec::len)
                        .sum();
                    ExecutionRow::More {
                        machine: &m.name,
                        listed,
                        next: self.next_execution_limit(&m.state_machine_arn),
                    }
                }),
        );
        rows
    }

    /// How many executions per status `machine` lists now.
    pub fn execution_limit(&self, machine: &str) -> u16 {
        self.ui
            .executions
            .execution_limits
            .get(machine)
            .copied()
            .unwrap_or(EXECUTION_LIMITS[0])
    }

    /// The step `m` would take `machine`'s list to, if it is not at the last already.
    fn next_execution_limit(&self, machine: &str) -> Option<u16> {
        let limit = self.execution_limit(machine);
        EXECUTION_LIMITS.into_iter().find(|step| *step > limit)
    }

    /// Whether AWS holds more of `machine`'s executions, of the statuses shown, than listed.
    fn has_more(&self, machine: &str) -> bool {
        self.execution_filters()
            .iter()
            .any(|f| self.model.sfn.more.contains(&(machine.to_string(), *f)))
    }

    /// The list read of `machine` for `filter`, as many as the person asked for.
    pub fn executions_read(&self, machine: &str, filter: StatusFilter) -> Read {
        Read::StepFunctions(SfnRead::Executions {
            machine: machine.to_string(),
            filter,
            limit: self.execution_limit(machine),
        })
    }

    /// `m`: the selected row's machine lists the next step more, read at once.
    pub(super) fn list_more(&mut self) -> Vec<Command> {
        let Some(arn) = self.selected_execution_arn() else {
            self.say(
                Tone::Muted,
                "Select an execution: m lists more of its state machine",
            );
            return Vec::new();
        };
        let Some(execution) = self.model.sfn.execution(&arn) else {
            return Vec::new();
        };
        let machine = execution.state_machine_arn;
        let name = machine.rsplit(':').next().unwrap_or(&machine).to_string();
        if !self.has_more(&machine) {
            self.say(
                Tone::Muted,
                format!("{name}: every execution of the statuses shown is listed"),
            );
            return Vec::new();
        }
        let Some(next) = self.next_execution_limit(&machine) else {
            let limit = self.execution_limit(&machine);
            self.say(
                Tone::Muted,
                format!(
                    "{name}: {} per status is the most unstick lists (one page of ListExecutions)",
                    thousands(usize::from(limit))
                ),
            );
            return Vec::new();
        };
        self.ui.executions.execution_limits.insert(machine, next);
        self.say(
            Tone::Muted,
            format!("{name}: listing the newest {next} of each status…"),
        );
        self.poll()
    }

    /// The ARNs of the listed executions, in order.
    pub fn execution_arns(&self) -> Vec<String> {
        self.execution_rows()
            .into_iter()
            .filter_map(|row| match row {
                ExecutionRow::Execution { execution, .. } => Some(execution.execution_arn.clone()),
                ExecutionRow::Express { .. } | ExecutionRow::More { .. } => None,
            })
            .collect()
    }

    /// The selected execution; the first one when nothing is selected yet.
    pub fn selected_execution_arn(&self) -> Option<String> {
        let arns = self.execution_arns();
        arns.iter()
            .find(|arn| Some(*arn) == self.ui.executions.selected_execution.as_ref())
            .or(arns.first())
            .cloned()
    }

    /// The execution the Executions half is about: the one open, else the selected row.
    pub fn focused_execution(&self) -> Option<String> {
        match &self.ui.view {
            View::Execution(arn) => Some(arn.clone()),
            View::Executions => self.selected_execution_arn(),
            _ => None,
        }
    }

    pub(super) fn open_execution(&mut self, arn: String) -> Vec<Command> {
        self.ui.executions.selected_execution = Some(arn.clone());
        self.ui.executions.detail_scroll = 0;
        self.ui.view = View::Execution(arn.clone());
        // What is on screen now should be what AWS says now.
        self.schedule
            .expire(&Read::StepFunctions(SfnRead::DescribeExecution(arn)));
        self.poll()
    }
}
