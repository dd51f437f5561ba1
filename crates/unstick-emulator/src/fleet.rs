//! A generated fleet of any size: N pipelines and M state machines with K executions
//! each, about one pipeline in ten and one execution in twenty failing, as a busy
//! account looks. The same size always gives the same fleet.

use std::str::FromStr;

use serde_json::{Value, json};

use crate::Scenario;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fleet {
    pub pipelines: usize,
    pub machines: usize,
    /// Executions per state machine.
    pub executions: usize,
}

impl FromStr for Fleet {
    type Err = String;

    /// `PIPELINESxMACHINESxEXECUTIONS`, e.g. `200x50x100`.
    fn from_str(text: &str) -> Result<Self, String> {
        let numbers: Vec<usize> = text
            .split('x')
            .map(|part| part.trim().parse::<usize>())
            .collect::<Result<_, _>>()
            .map_err(|_| {
                format!("a fleet is PIPELINESxMACHINESxEXECUTIONS, like 200x50x100, not '{text}'")
            })?;
        match numbers[..] {
            [pipelines, machines, executions] => Ok(Self {
                pipelines,
                machines,
                executions,
            }),
            _ => Err(format!(
                "a fleet is PIPELINESxMACHINESxEXECUTIONS, like 200x50x100, not '{text}'"
            )),
        }
    }
}

impl Fleet {
    pub fn scenario(&self) -> Scenario {
        let scenario = json!({
            "pipelines": (0..self.pipelines).map(pipeline).collect::<Vec<_>>(),
            "stateMachines": (0..self.machines)
                .map(|index| machine(index, self.executions))
                .collect::<Vec<_>>(),
        });
        serde_json::from_value(scenario).expect("a generated fleet is a valid scenario")
    }
}

/// A UUID that is the same for the same seed.
fn uuid(seed: u64) -> String {
    crate::uuid_from(&mut fastrand::Rng::with_seed(seed))
}

fn pipeline(index: usize) -> Value {
    let name = format!("service-{index:04}");
    let failing = index % 10 == 3;
    let failed_stage = if index % 20 == 3 { "Build" } else { "Deploy" };
    let minutes = 5.0 + (index % 180) as f64;
    let run = |stage: &str, action: &str| {
        if failing && stage == failed_stage {
            json!({ action: {
                "status": "Failed",
                "errorCode": "JobFailed",
                "errorMessage": format!("{action} of {name} failed: exit status 1"),
            }})
        } else {
            json!({ action: { "status": "Succeeded" } })
        }
    };
    let mut stages =
        json!({ "Source": run("Source", "Checkout"), "Build": run("Build", "Compile") });
    if !(failing && failed_stage == "Build") {
        stages["Deploy"] = run("Deploy", "Release");
    }
    json!({
        "name": name,
        "stages": [
            { "name": "Source", "actions": [{ "name": "Checkout", "category": "Source", "provider": "CodeStarSourceConnection" }] },
            { "name": "Build", "actions": [{ "name": "Compile" }] },
            { "name": "Deploy", "actions": [{ "name": "Release", "category": "Deploy", "provider": "ECS" }] },
        ],
        "executions": [
            { "id": uuid(index as u64 * 2), "minutesAgo": minutes, "stages": stages },
            { "id": uuid(index as u64 * 2 + 1), "minutesAgo": minutes + 600.0, "stages": {
                "Source": { "Checkout": { "status": "Succeeded" } },
                "Build": { "Compile": { "status": "Succeeded" } },
                "Deploy": { "Release": { "status": "Succeeded" } },
            }},
        ],
    })
}

fn machine(index: usize, executions: usize) -> Value {
    let runs: Vec<Value> = (0..executions)
        .map(|run| {
            let failed = (index + run) % 20 == 7;
            let running = (index + run) % 50 == 11;
            let mut spec = json!({
                "name": format!("run-{index:04}-{run:05}"),
                "minutesAgo": 3.0 + run as f64 * 7.0,
                "durationMinutes": 2.0,
                "trace": [
                    { "kind": "pass", "name": "Validate" },
                    { "kind": "task", "name": "Process", "fails": failed, "failures": if failed {
                        json!([{ "error": "States.TaskFailed", "cause": format!("item {run} could not be processed") }])
                    } else { json!([]) } },
                ],
            });
            if running {
                spec["status"] = json!("RUNNING");
            }
            spec
        })
        .collect();
    json!({ "name": format!("workflow-{index:04}"), "executions": runs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fleet_of_the_asked_size_with_some_failing() {
        let fleet: Fleet = "200x50x100".parse().unwrap();
        let scenario = fleet.scenario();
        assert_eq!(scenario.pipelines.len(), 200);
        assert_eq!(scenario.state_machines.len(), 50);
        assert!(
            scenario
                .state_machines
                .iter()
                .all(|m| m.executions.len() == 100)
        );
        let failing = scenario
            .pipelines
            .iter()
            .filter(|p| {
                p.executions[0]
                    .stages
                    .values()
                    .flat_map(|s| s.values())
                    .any(|a| a.status == "Failed")
            })
            .count();
        assert_eq!(failing, 20);
        assert!("200x50".parse::<Fleet>().is_err());
        assert!("a x b x c".parse::<Fleet>().is_err());
    }
}
