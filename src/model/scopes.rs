//! Where each event of a history happened: in which scope (the execution, a Parallel
//! branch, a Map iteration) and in which visit of which state.
//!
//! `previousEventId` alone cannot say this. Real interpreters link events in ways a walk
//! back along it gets wrong: a sequential Map's `MapIterationStarted` points at the last
//! event of the previous iteration; a `ParallelStateFailed` points at the highest event
//! id any branch wrote, often a sibling that succeeded; `ExecutionAborted` points at 0.
//! So scopes are built forward, in event order, from what each kind of event means: a
//! `MapIteration*` event names its Map and index; a Parallel's or Map's closing event
//! belongs to the innermost such state still open above the event it follows; a state
//! entered right after a `ParallelStateStarted` opens a branch; everything else happens
//! where the event it follows happened.

use std::collections::HashMap;

use super::execution::HistoryEvent;

/// Index into `Scopes::scopes`.
pub type ScopeId = usize;
/// Index into `Scopes::visits`.
pub type VisitId = usize;

#[derive(Debug, Clone, PartialEq)]
pub enum ScopeKind {
    Execution,
    /// A branch of the Parallel state `parallel`, known by the state it starts at.
    Branch {
        parallel: VisitId,
        starts_at: Option<String>,
    },
    Iteration {
        map: VisitId,
        index: i32,
    },
}

#[derive(Debug, Clone)]
pub struct Scope {
    pub kind: ScopeKind,
    /// The states entered in this scope, in order.
    pub visits: Vec<VisitId>,
}

/// One time a state was entered.
#[derive(Debug, Clone)]
pub struct Visit {
    pub name: String,
    /// The state type, from the event type: `Task`, `Parallel`, `Map`, `Fail`…
    pub state_type: String,
    pub scope: ScopeId,
    /// Event indexes (into the history slice).
    pub entered: usize,
    pub exited: Option<usize>,
    /// Failures inside the state itself (`TaskFailed`, `MapRunFailed`…), in order.
    pub failures: Vec<usize>,
    /// A Parallel's or Map's own end: `…StateSucceeded`, `…StateFailed`, `…StateAborted`.
    pub ended: Option<usize>,
    /// The branches or iterations it ran.
    pub children: Vec<ScopeId>,
    pub map_run_arn: Option<String>,
}

impl Visit {
    pub fn is_open(&self) -> bool {
        self.exited.is_none()
    }
}

#[derive(Debug)]
pub struct Scopes {
    pub scopes: Vec<Scope>,
    pub visits: Vec<Visit>,
    /// The scope of each event, by index.
    pub event_scope: Vec<ScopeId>,
}

/// Failures that only report that something inside a Parallel or Map failed.
pub const CONTAINER_ENDS: &[&str] = &[
    "ParallelStateSucceeded",
    "ParallelStateFailed",
    "ParallelStateAborted",
    "MapStateSucceeded",
    "MapStateFailed",
    "MapStateAborted",
];

/// A failure inside a state: any `…Failed`, `…TimedOut`, `…StartFailed`, `…SubmitFailed`
/// and `EvaluationFailed` that is neither the execution's own nor a container's.
pub fn is_failure_event(kind: &str) -> bool {
    !kind.starts_with("Execution")
        && !kind.starts_with("MapIteration")
        && !CONTAINER_ENDS.contains(&kind)
        && (kind.ends_with("Failed") || kind.ends_with("TimedOut"))
}

impl Scopes {
    pub fn build(events: &[HistoryEvent]) -> Self {
        let mut built = Self {
            scopes: vec![Scope {
                kind: ScopeKind::Execution,
                visits: Vec::new(),
            }],
            visits: Vec::new(),
            event_scope: Vec::with_capacity(events.len()),
        };
        let by_id: HashMap<i64, usize> = events
            .iter()
            .enumerate()
            .map(|(index, e)| (e.id, index))
            .collect();
        for (index, event) in events.iter().enumerate() {
            // Only an earlier event can be the one this follows (a cycle is malformed).
            let previous = event
                .previous_event_id
                .and_then(|id| by_id.get(&id).copied())
                .filter(|p| *p < index);
            let (scope, ending) = built.place(events, index, previous);
            built.event_scope.push(scope);
            built.attach(events, index, scope, ending);
        }
        built
    }

    /// The scope of event `index`, and for a Parallel's or Map's end, whose end it is.
    fn place(
        &mut self,
        events: &[HistoryEvent],
        index: usize,
        previous: Option<usize>,
    ) -> (ScopeId, Option<VisitId>) {
        let event = &events[index];
        let kind = event.kind.as_str();
        if CONTAINER_ENDS.contains(&kind) {
            let state_type = if kind.starts_with("Parallel") {
                "Parallel"
            } else {
                "Map"
            };
            if let Some(visit) = self.enclosing_container(state_type, previous) {
                return (self.visits[visit].scope, Some(visit));
            }
        }
        (self.scope_of(events, index, previous), None)
    }

    fn scope_of(
        &mut self,
        events: &[HistoryEvent],
        index: usize,
        previous: Option<usize>,
    ) -> ScopeId {
        let event = &events[index];
        let kind = event.kind.as_str();
        if kind.starts_with("Execution") {
            return 0;
        }
        let after = previous.map(|p| self.event_scope[p]);
        // A MapIteration event names its Map and index: where it happened, whatever
        // event it follows.
        if let Some((name, at)) = event
            .iteration
            .as_ref()
            .filter(|_| kind.starts_with("MapIteration"))
        {
            if kind == "MapIterationStarted" {
                if let Some(map) = self.open_visit_named(name, "Map", after) {
                    return self.new_scope(ScopeKind::Iteration { map, index: *at }, map);
                }
            } else if let Some(scope) = self.iteration_scope(name, *at, after) {
                return scope;
            }
        }
        let Some(previous) = previous else {
            return 0;
        };
        // The first state of a branch follows the Parallel's start.
        let branch_start =
            events[previous].kind == "ParallelStateStarted" && kind.ends_with("StateEntered");
        let parallel = branch_start
            .then(|| self.last_open_in(self.event_scope[previous], "Parallel"))
            .flatten();
        match parallel {
            Some(parallel) => self.new_scope(
                ScopeKind::Branch {
                    parallel,
                    starts_at: event.state_name.clone(),
                },
                parallel,
            ),
            None => self.event_scope[previous],
        }
    }

    fn new_scope(&mut self, kind: ScopeKind, owner: VisitId) -> ScopeId {
        self.scopes.push(Scope {
            kind,
            visits: Vec::new(),
        });
        let id = self.scopes.len() - 1;
        self.visits[owner].children.push(id);
        id
    }

    /// The visit a scope belongs to (None for the execution's own).
    fn owner(&self, scope: ScopeId) -> Option<VisitId> {
        match self.scopes[scope].kind {
            ScopeKind::Execution => None,
            ScopeKind::Branch { parallel, .. } => Some(parallel),
            ScopeKind::Iteration { map, .. } => Some(map),
        }
    }

    /// Scopes from `scope` outwards to the execution's.
    fn outwards(&self, scope: ScopeId) -> Vec<ScopeId> {
        let mut chain = vec![scope];
        let mut current = scope;
        while let Some(owner) = self.owner(current) {
            current = self.visits[owner].scope;
            chain.push(current);
        }
        chain
    }

    fn last_open_in(&self, scope: ScopeId, state_type: &str) -> Option<VisitId> {
        self.scopes[scope]
            .visits
            .iter()
            .rev()
            .copied()
            .find(|v| self.visits[*v].is_open() && self.visits[*v].state_type == state_type)
    }

    /// The open Map or Parallel called `name`: the innermost around `near`, else the
    /// latest anywhere.
    fn open_visit_named(
        &self,
        name: &str,
        state_type: &str,
        near: Option<ScopeId>,
    ) -> Option<VisitId> {
        let matches = |v: &VisitId| {
            let visit = &self.visits[*v];
            visit.is_open() && visit.name == name && visit.state_type == state_type
        };
        near.and_then(|scope| {
            self.outwards(scope)
                .into_iter()
                .find_map(|s| self.scopes[s].visits.iter().rev().copied().find(matches))
        })
        .or_else(|| (0..self.visits.len()).rev().find(matches))
    }

    /// The latest scope of iteration `index` of the open Map called `name`.
    fn iteration_scope(&self, name: &str, index: i32, near: Option<ScopeId>) -> Option<ScopeId> {
        let map = self.open_visit_named(name, "Map", near)?;
        self.visits[map].children.iter().rev().copied().find(
            |s| matches!(self.scopes[*s].kind, ScopeKind::Iteration { index: i, .. } if i == index),
        )
    }

    /// The innermost Parallel or Map still running above the event `previous`: the one
    /// whose end this is. It may also be the state `previous` itself belongs to (a Map
    /// with no iterations ends right after it starts).
    fn enclosing_container(&self, state_type: &str, previous: Option<usize>) -> Option<VisitId> {
        let running = |v: VisitId| {
            let visit = &self.visits[v];
            visit.state_type == state_type && visit.is_open() && visit.ended.is_none()
        };
        if let Some(previous) = previous {
            let scope = self.event_scope[previous];
            let mut current = scope;
            while let Some(owner) = self.owner(current) {
                if running(owner) {
                    return Some(owner);
                }
                current = self.visits[owner].scope;
            }
            // Ended straight after it started: the container is in the event's own scope.
            if let Some(v) = self.last_open_in(scope, state_type).filter(|v| running(*v)) {
                return Some(v);
            }
        }
        (0..self.visits.len()).rev().find(|v| running(*v))
    }

    fn attach(
        &mut self,
        events: &[HistoryEvent],
        index: usize,
        scope: ScopeId,
        ending: Option<VisitId>,
    ) {
        let event = &events[index];
        let kind = event.kind.as_str();
        if kind == "ExecutionRedriven" {
            // A redrive runs the unsuccessful states again: what was left open before it
            // is history now, and will be entered anew.
            for visit in self.visits.iter_mut().filter(|v| v.is_open()) {
                visit.exited = Some(index);
            }
            return;
        }
        if let Some(state_type) = kind.strip_suffix("StateEntered") {
            self.visits.push(Visit {
                name: event.state_name.clone().unwrap_or_default(),
                state_type: state_type.to_string(),
                scope,
                entered: index,
                exited: None,
                failures: Vec::new(),
                ended: None,
                children: Vec::new(),
                map_run_arn: None,
            });
            let id = self.visits.len() - 1;
            self.scopes[scope].visits.push(id);
            return;
        }
        if kind.ends_with("StateExited") {
            let name = event.state_name.as_deref().unwrap_or_default();
            let open = |v: &VisitId| self.visits[*v].is_open() && self.visits[*v].name == name;
            let visit = self.scopes[scope]
                .visits
                .iter()
                .rev()
                .copied()
                .find(open)
                .or_else(|| (0..self.visits.len()).rev().find(open));
            if let Some(visit) = visit {
                self.visits[visit].exited = Some(index);
            }
            return;
        }
        if CONTAINER_ENDS.contains(&kind) {
            if let Some(visit) = ending {
                self.visits[visit].ended = Some(index);
            }
            return;
        }
        // Anything else happens in the state currently open in this scope.
        let Some(current) = self.scopes[scope]
            .visits
            .iter()
            .rev()
            .copied()
            .find(|v| self.visits[*v].is_open())
        else {
            return;
        };
        if let Some(arn) = &event.map_run_arn {
            self.visits[current].map_run_arn = Some(arn.clone());
        }
        if is_failure_event(kind) {
            self.visits[current].failures.push(index);
        }
    }
}
