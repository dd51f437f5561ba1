//! A Distributed Map Run's child executions, as ListExecutions with `mapRunArn` lists
//! them: one per item, the failed ones first, each telling its Map Run and item count.

use serde_json::{Value, json};

use super::{ApiError, Call, MapRunState, StepFunctions, check_arn, epoch, with_next};

/// Where one child stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Child {
    Succeeded {
        redriven: bool,
    },
    /// Failed; `redrivable` unless its failure cannot be redriven.
    Failed {
        redrivable: bool,
    },
    /// Running again after a redrive of the parent.
    Redriving,
}

impl Child {
    fn status(self) -> &'static str {
        match self {
            Self::Succeeded { .. } => "SUCCEEDED",
            Self::Failed { .. } => "FAILED",
            Self::Redriving => "RUNNING",
        }
    }

    /// Whether `statusFilter` picks it: PENDING_REDRIVE picks the failed children a
    /// redrive of the parent would run again.
    fn matches(self, filter: Option<&str>) -> bool {
        match filter {
            None => true,
            Some("PENDING_REDRIVE") => self == Self::Failed { redrivable: true },
            Some(status) => self.status() == status,
        }
    }
}

impl MapRunState {
    fn child(&self, index: i64, now: jiff::Timestamp) -> Child {
        let healed = self.healed_at.is_some_and(|at| at <= now);
        let redriving = self.redrive_date.is_some() && !healed && self.healed_at.is_some();
        match (index < self.seed.failed, healed, redriving) {
            (false, ..) => Child::Succeeded { redriven: false },
            (true, true, _) => Child::Succeeded { redriven: true },
            (true, _, true) => Child::Redriving,
            (true, false, false) => Child::Failed {
                redrivable: index >= self.seed.failures_not_redrivable,
            },
        }
    }
}

impl StepFunctions {
    pub(super) fn list_map_run_children(
        &self,
        call: &Call<'_>,
        map_run_arn: &str,
    ) -> Result<Value, ApiError> {
        check_arn(map_run_arn)?;
        let now = call.now;
        let filter = call.input.get("statusFilter").and_then(Value::as_str);
        let (run, map_run) = self
            .runs
            .iter()
            .find_map(|run| {
                let map_run = run.map_runs.iter().find(|m| m.seed.arn == map_run_arn)?;
                Some((run, map_run))
            })
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "ResourceNotFound",
                    format!("Map Run Does Not Exist: '{map_run_arn}'"),
                )
            })?;
        let picked: Vec<(i64, Child)> = (0..map_run.seed.items)
            .map(|index| (index, map_run.child(index, now)))
            .filter(|(_, child)| child.matches(filter))
            .collect();
        let (range, next) = call.page(picked.len())?;
        let machine_arn = format!("{}/{}", run.machine_arn, map_run.seed.state);
        let execution_prefix = machine_arn.replacen(":stateMachine:", ":execution:", 1);
        let rows: Vec<Value> = picked[range]
            .iter()
            .map(|(index, child)| {
                let name = format!(
                    "{:08x}-item-{index}",
                    fastrand::Rng::with_seed(*index as u64).u32(..)
                );
                let redriven = matches!(
                    child,
                    Child::Redriving | Child::Succeeded { redriven: true }
                );
                let mut summary = json!({
                    "executionArn": format!("{execution_prefix}:{name}"),
                    "stateMachineArn": machine_arn,
                    "name": name,
                    "status": child.status(),
                    "startDate": epoch(map_run.start),
                    "mapRunArn": map_run.seed.arn,
                    "itemCount": 1,
                    "redriveCount": i32::from(redriven),
                });
                if *child != Child::Redriving {
                    summary["stopDate"] = json!(epoch(map_run.stop));
                }
                if let (true, Some(date)) = (redriven, map_run.redrive_date) {
                    summary["redriveDate"] = json!(epoch(date));
                }
                summary
            })
            .collect();
        Ok(with_next(json!({ "executions": rows }), next))
    }
}
