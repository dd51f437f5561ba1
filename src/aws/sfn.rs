//! Step Functions calls, and the one conversion from SDK shapes to domain types.

use aws_config::SdkConfig;
use aws_sdk_sfn::Client;
use aws_sdk_sfn::operation::RequestId;
use aws_sdk_sfn::types as sdk;

use super::Page;
use super::error::{AwsError, from_sdk};
use super::timestamp;
use crate::model::RedriveReceipt;
use crate::model::text::{bounded, bounded_opt};
use crate::model::{
    Execution, ExecutionDetail, ExecutionStatus, HistoryEvent, ItemCounts, MachineType, MapRun,
    RedriveStatus, StateMachine, StatusFilter,
};

#[derive(Clone, Debug)]
pub struct SfnClient {
    client: Client,
}

impl SfnClient {
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            client: Client::new(config),
        }
    }

    /// One page of the state machines, from `token`.
    pub async fn list_state_machines(
        &self,
        token: Option<String>,
    ) -> Result<Page<StateMachine>, AwsError> {
        let page = self
            .client
            .list_state_machines()
            .max_results(1000)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk(e, "states:ListStateMachines"))?;
        Ok(Page {
            items: page
                .state_machines()
                .iter()
                .map(|m| StateMachine {
                    state_machine_arn: m.state_machine_arn().to_string(),
                    name: m.name().to_string(),
                    machine_type: MachineType::parse(m.r#type().as_str()),
                    creation_date: timestamp(m.creation_date()),
                })
                .collect(),
            next_token: page.next_token().map(str::to_string),
        })
    }

    /// The newest executions of one status: one small page (ListExecutions has the
    /// tightest quota of all, so the poller asks for little and often).
    pub async fn list_executions(
        &self,
        machine_arn: &str,
        filter: StatusFilter,
        max: i32,
    ) -> Result<Page<Execution>, AwsError> {
        let page = self
            .client
            .list_executions()
            .state_machine_arn(machine_arn)
            .set_status_filter(status_of(filter))
            .set_redrive_filter(
                (filter == StatusFilter::RedrivenSucceeded)
                    .then_some(sdk::ExecutionRedriveFilter::Redriven),
            )
            .max_results(max)
            .send()
            .await
            .map_err(|e| from_sdk(e, "states:ListExecutions"))?;
        Ok(Page {
            items: page.executions().iter().map(execution).collect(),
            next_token: page.next_token().map(str::to_string),
        })
    }

    pub async fn describe_execution(&self, arn: &str) -> Result<ExecutionDetail, AwsError> {
        let out = self
            .client
            .describe_execution()
            .execution_arn(arn)
            .send()
            .await
            .map_err(|e| from_sdk(e, "states:DescribeExecution"))?;
        Ok(ExecutionDetail {
            execution: Execution {
                execution_arn: out.execution_arn().to_string(),
                state_machine_arn: out.state_machine_arn().to_string(),
                name: out.name().unwrap_or_default().to_string(),
                status: ExecutionStatus::parse(out.status().as_str()),
                start_date: timestamp(out.start_date()),
                stop_date: out.stop_date().and_then(timestamp),
                map_run_arn: out.map_run_arn().map(str::to_string),
                redrive_count: out.redrive_count(),
                redrive_date: out.redrive_date().and_then(timestamp),
            },
            error: bounded_opt(out.error()),
            cause: bounded_opt(out.cause()),
            redrive_status: out
                .redrive_status()
                .map(|s| RedriveStatus::parse(s.as_str())),
            redrive_status_reason: bounded_opt(out.redrive_status_reason()),
        })
    }

    /// One page of an execution's history, oldest first, from `token`.
    pub async fn execution_history(
        &self,
        arn: &str,
        token: Option<String>,
    ) -> Result<Page<HistoryEvent>, AwsError> {
        let page = self
            .client
            .get_execution_history()
            .execution_arn(arn)
            .max_results(1000)
            .include_execution_data(false)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk(e, "states:GetExecutionHistory"))?;
        Ok(Page {
            items: page.events().iter().map(history_event).collect(),
            next_token: page.next_token().map(str::to_string),
        })
    }

    /// One page of the Distributed Map Runs an execution started, by ARN.
    pub async fn list_map_runs(
        &self,
        execution_arn: &str,
        token: Option<String>,
    ) -> Result<Page<String>, AwsError> {
        let page = self
            .client
            .list_map_runs()
            .execution_arn(execution_arn)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk(e, "states:ListMapRuns"))?;
        Ok(Page {
            items: page
                .map_runs()
                .iter()
                .map(|run| run.map_run_arn().to_string())
                .collect(),
            next_token: page.next_token().map(str::to_string),
        })
    }

    pub async fn describe_map_run(&self, map_run_arn: &str) -> Result<MapRun, AwsError> {
        let out = self
            .client
            .describe_map_run()
            .map_run_arn(map_run_arn)
            .send()
            .await
            .map_err(|e| from_sdk(e, "states:DescribeMapRun"))?;
        Ok(MapRun {
            map_run_arn: out.map_run_arn().to_string(),
            status: out.status().as_str().to_string(),
            start_date: timestamp(out.start_date()),
            stop_date: out.stop_date().and_then(timestamp),
            item_counts: out.item_counts().map(|c| ItemCounts {
                total: c.total(),
                succeeded: c.succeeded(),
                failed: c.failed(),
                running: c.running(),
                pending: c.pending(),
                timed_out: c.timed_out(),
                aborted: c.aborted(),
                pending_redrive: c.pending_redrive(),
                failures_not_redrivable: c.failures_not_redrivable(),
            }),
            redrive_count: out.redrive_count(),
            tolerated_failure_percentage: Some(out.tolerated_failure_percentage()),
            tolerated_failure_count: Some(out.tolerated_failure_count()),
        })
    }

    /// Sends one RedriveExecution with `client_token`. The token makes a resend harmless
    /// (AWS keeps the last ten for 15 minutes), so the SDK may retry this one.
    pub async fn redrive(&self, arn: &str, client_token: &str) -> Result<RedriveReceipt, AwsError> {
        let out = self
            .client
            .redrive_execution()
            .execution_arn(arn)
            .client_token(client_token)
            .send()
            .await
            .map_err(|e| from_sdk(e, "states:RedriveExecution"))?;
        Ok(RedriveReceipt {
            redrive_date: timestamp(out.redrive_date()),
            request_id: out.request_id().map(str::to_string),
        })
    }
}

/// The statusFilter to send: none for every status.
fn status_of(filter: StatusFilter) -> Option<sdk::ExecutionStatus> {
    Some(match filter {
        StatusFilter::Any => return None,
        StatusFilter::Failed => sdk::ExecutionStatus::Failed,
        StatusFilter::TimedOut => sdk::ExecutionStatus::TimedOut,
        StatusFilter::Aborted => sdk::ExecutionStatus::Aborted,
        StatusFilter::Running => sdk::ExecutionStatus::Running,
        StatusFilter::RedrivenSucceeded => sdk::ExecutionStatus::Succeeded,
    })
}

fn execution(e: &sdk::ExecutionListItem) -> Execution {
    Execution {
        execution_arn: e.execution_arn().to_string(),
        state_machine_arn: e.state_machine_arn().to_string(),
        name: e.name().to_string(),
        status: ExecutionStatus::parse(e.status().as_str()),
        start_date: timestamp(e.start_date()),
        stop_date: e.stop_date().and_then(timestamp),
        map_run_arn: e.map_run_arn().map(str::to_string),
        redrive_count: e.redrive_count(),
        redrive_date: e.redrive_date().and_then(timestamp),
    }
}

/// Error and cause, from whichever failure details the event carries.
macro_rules! failure_details {
    ($event:expr, $($details:ident),* $(,)?) => {{
        let mut found = (None, None);
        $(
            if let Some(d) = $event.$details() {
                found = (bounded_opt(d.error()), bounded_opt(d.cause()));
            }
        )*
        found
    }};
}

fn history_event(e: &sdk::HistoryEvent) -> HistoryEvent {
    let (error, cause) = failure_details!(
        e,
        execution_failed_event_details,
        execution_aborted_event_details,
        execution_timed_out_event_details,
        task_failed_event_details,
        task_timed_out_event_details,
        task_start_failed_event_details,
        task_submit_failed_event_details,
        lambda_function_failed_event_details,
        lambda_function_timed_out_event_details,
        lambda_function_start_failed_event_details,
        lambda_function_schedule_failed_event_details,
        activity_failed_event_details,
        activity_timed_out_event_details,
        activity_schedule_failed_event_details,
        map_run_failed_event_details,
        evaluation_failed_event_details,
    );
    let iteration = [
        e.map_iteration_started_event_details(),
        e.map_iteration_failed_event_details(),
        e.map_iteration_succeeded_event_details(),
        e.map_iteration_aborted_event_details(),
    ]
    .into_iter()
    .flatten()
    .next()
    .map(|d| (d.name().unwrap_or_default().to_string(), d.index()));
    HistoryEvent {
        id: e.id(),
        previous_event_id: Some(e.previous_event_id()).filter(|id| *id > 0),
        timestamp: timestamp(e.timestamp()),
        kind: e.r#type().as_str().to_string(),
        state_name: e
            .state_entered_event_details()
            .map(|d| d.name().to_string())
            .or_else(|| e.state_exited_event_details().map(|d| d.name().to_string())),
        error,
        cause,
        iteration,
        map_run_arn: e
            .map_run_started_event_details()
            .and_then(|d| d.map_run_arn())
            .map(str::to_string),
        function: lambda_function(e),
    }
}

/// The Lambda function a task attempt invokes: `FunctionName` in a Lambda TaskScheduled's
/// parameters (a JSON text), or a LambdaFunctionScheduled's resource (its ARN).
fn lambda_function(e: &sdk::HistoryEvent) -> Option<String> {
    if let Some(scheduled) = e.lambda_function_scheduled_event_details() {
        return Some(bounded(scheduled.resource()));
    }
    let scheduled = e
        .task_scheduled_event_details()
        .filter(|d| d.resource_type() == "lambda")?;
    let parameters: serde_json::Value = serde_json::from_str(scheduled.parameters()).ok()?;
    parameters
        .get("FunctionName")
        .and_then(serde_json::Value::as_str)
        .map(bounded)
}
