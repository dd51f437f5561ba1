//! CodePipeline calls, and the one conversion from SDK shapes to domain types.

use aws_config::SdkConfig;
use aws_config::retry::RetryConfig;
use aws_sdk_codepipeline::Client;
use aws_sdk_codepipeline::operation::RequestId;
use aws_sdk_codepipeline::types as sdk;

use super::Page;
use super::error::{AwsError, from_sdk};
use super::timestamp;
use crate::eligibility::RetryPlan;
use crate::model::RetryReceipt;
use crate::model::text::{bounded, bounded_opt};
use crate::model::*;

#[derive(Clone, Debug)]
pub struct PipelineClient {
    client: Client,
}

impl PipelineClient {
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            client: Client::new(config),
        }
    }

    /// One page of the pipelines, from `token`.
    pub async fn list_pipelines(
        &self,
        token: Option<String>,
    ) -> Result<Page<PipelineSummary>, AwsError> {
        let page = self
            .client
            .list_pipelines()
            .max_results(1000)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk(e, "codepipeline:ListPipelines"))?;
        Ok(Page {
            items: page.pipelines().iter().map(summary).collect(),
            next_token: page.next_token().map(str::to_string),
        })
    }

    pub async fn pipeline_state(&self, name: &str) -> Result<PipelineState, AwsError> {
        let out = self
            .client
            .get_pipeline_state()
            .name(name)
            .send()
            .await
            .map_err(|e| from_sdk(e, "codepipeline:GetPipelineState"))?;
        // AWS always sends the stages (every pipeline has at least two); a reply without
        // them says nothing about the pipeline, and must not read as "all is well".
        if out.stage_states.is_none() {
            return Err(AwsError::new(
                super::ErrorKind::Malformed,
                "GetPipelineState replied without stageStates: state unknown",
            ));
        }
        Ok(PipelineState {
            pipeline_name: out.pipeline_name().unwrap_or(name).to_string(),
            pipeline_version: out.pipeline_version(),
            stages: out.stage_states().iter().map(stage_state).collect(),
        })
    }

    pub async fn pipeline_structure(&self, name: &str) -> Result<PipelineStructure, AwsError> {
        let out = self
            .client
            .get_pipeline()
            .name(name)
            .send()
            .await
            .map_err(|e| from_sdk(e, "codepipeline:GetPipeline"))?;
        let declaration = out.pipeline();
        Ok(PipelineStructure {
            name: declaration.map_or(name, |d| d.name()).to_string(),
            version: declaration.and_then(|d| d.version()),
            pipeline_arn: out
                .metadata()
                .and_then(|m| m.pipeline_arn())
                .map(str::to_string),
            stages: declaration
                .map(|d| d.stages().iter().map(stage_declaration).collect())
                .unwrap_or_default(),
        })
    }

    pub async fn pipeline_execution(
        &self,
        name: &str,
        id: &str,
    ) -> Result<PipelineExecution, AwsError> {
        let out = self
            .client
            .get_pipeline_execution()
            .pipeline_name(name)
            .pipeline_execution_id(id)
            .send()
            .await
            .map_err(|e| from_sdk(e, "codepipeline:GetPipelineExecution"))?;
        let execution = out.pipeline_execution().ok_or_else(|| {
            AwsError::new(
                super::ErrorKind::Malformed,
                "GetPipelineExecution returned no execution",
            )
        })?;
        Ok(PipelineExecution {
            pipeline_execution_id: execution.pipeline_execution_id().unwrap_or(id).to_string(),
            status: execution
                .status()
                .map_or(PipelineExecutionStatus::Other("unknown".into()), |s| {
                    PipelineExecutionStatus::parse(s.as_str())
                }),
            pipeline_version: execution.pipeline_version(),
            status_summary: bounded_opt(execution.status_summary()),
            start_time: None,
            last_update_time: None,
            trigger: execution
                .trigger()
                .and_then(|t| t.trigger_type())
                .map(|t| t.as_str().to_string()),
        })
    }

    /// The most recent executions, newest first (one page: enough for triage).
    pub async fn pipeline_executions(
        &self,
        name: &str,
        max: i32,
    ) -> Result<Vec<PipelineExecution>, AwsError> {
        let out = self
            .client
            .list_pipeline_executions()
            .pipeline_name(name)
            .max_results(max)
            .send()
            .await
            .map_err(|e| from_sdk(e, "codepipeline:ListPipelineExecutions"))?;
        Ok(out
            .pipeline_execution_summaries()
            .iter()
            .map(|s| PipelineExecution {
                pipeline_execution_id: s.pipeline_execution_id().unwrap_or_default().to_string(),
                status: s
                    .status()
                    .map_or(PipelineExecutionStatus::Other("unknown".into()), |s| {
                        PipelineExecutionStatus::parse(s.as_str())
                    }),
                pipeline_version: None,
                status_summary: bounded_opt(s.status_summary()),
                start_time: s.start_time().and_then(timestamp),
                last_update_time: s.last_update_time().and_then(timestamp),
                trigger: s
                    .trigger()
                    .and_then(|t| t.trigger_type())
                    .map(|t| t.as_str().to_string()),
            })
            .collect())
    }

    /// One page of the action runs of one pipeline execution, from `token`.
    pub async fn action_executions(
        &self,
        name: &str,
        execution_id: &str,
        token: Option<String>,
    ) -> Result<Page<ActionRun>, AwsError> {
        let filter = sdk::ActionExecutionFilter::builder()
            .pipeline_execution_id(execution_id)
            .build();
        let page = self
            .client
            .list_action_executions()
            .pipeline_name(name)
            .filter(filter)
            .max_results(100)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| from_sdk(e, "codepipeline:ListActionExecutions"))?;
        Ok(Page {
            items: page
                .action_execution_details()
                .iter()
                .map(action_run)
                .collect(),
            next_token: page.next_token().map(str::to_string),
        })
    }

    /// Sends one RetryStageExecution. The SDK's own retries are off for this call: the API
    /// has no idempotency token, so a resend after a lost reply could retry the stage twice.
    pub async fn retry_stage(&self, plan: &RetryPlan) -> Result<RetryReceipt, AwsError> {
        let out = self
            .client
            .retry_stage_execution()
            .pipeline_name(&plan.pipeline_name)
            .stage_name(&plan.stage_name)
            .pipeline_execution_id(&plan.pipeline_execution_id)
            .retry_mode(sdk::StageRetryMode::from(plan.retry_mode.as_aws()))
            .customize()
            .config_override(
                aws_sdk_codepipeline::Config::builder().retry_config(RetryConfig::disabled()),
            )
            .send()
            .await
            .map_err(|e| from_sdk(e, "codepipeline:RetryStageExecution"))?;
        Ok(RetryReceipt {
            pipeline_execution_id: out
                .pipeline_execution_id()
                .unwrap_or(&plan.pipeline_execution_id)
                .to_string(),
            request_id: out.request_id().map(str::to_string),
        })
    }
}

fn summary(s: &sdk::PipelineSummary) -> PipelineSummary {
    PipelineSummary {
        name: s.name().unwrap_or_default().to_string(),
        version: s.version(),
        pipeline_type: s.pipeline_type().map(|t| t.as_str().to_string()),
        execution_mode: s.execution_mode().map(|m| m.as_str().to_string()),
        updated: s.updated().and_then(timestamp),
    }
}

fn stage_state(s: &sdk::StageState) -> StageState {
    StageState {
        stage_name: s.stage_name().unwrap_or_default().to_string(),
        latest_execution: s.latest_execution().map(|run| StageExecution {
            pipeline_execution_id: run.pipeline_execution_id().to_string(),
            status: StageStatus::parse(run.status().as_str()),
            rollback: run.r#type() == Some(&sdk::ExecutionType::Rollback),
        }),
        inbound_transition: s.inbound_transition_state().map(|t| Transition {
            enabled: t.enabled(),
            disabled_reason: bounded_opt(t.disabled_reason()),
            last_changed_by: t.last_changed_by().map(str::to_string),
            last_changed_at: t.last_changed_at().and_then(timestamp),
        }),
        actions: s.action_states().iter().map(action_state).collect(),
        retry: s.retry_stage_metadata().map(|m| RetryMetadata {
            auto_stage_retry_attempt: m.auto_stage_retry_attempt(),
            manual_stage_retry_attempt: m.manual_stage_retry_attempt(),
            latest_retry_trigger: m.latest_retry_trigger().map(|t| t.as_str().to_string()),
        }),
    }
}

fn action_state(a: &sdk::ActionState) -> ActionState {
    let run = a.latest_execution();
    ActionState {
        action_name: a.action_name().unwrap_or_default().to_string(),
        status: run
            .and_then(|r| r.status())
            .map(|s| ActionStatus::parse(s.as_str())),
        summary: bounded_opt(run.and_then(|r| r.summary())),
        last_status_change: run.and_then(|r| r.last_status_change()).and_then(timestamp),
        external_execution_url: run
            .and_then(|r| r.external_execution_url())
            .map(str::to_string),
        external_execution_id: run.and_then(|r| r.external_execution_id()).map(bounded),
        error: run.and_then(|r| r.error_details()).map(error_details),
        percent_complete: run.and_then(|r| r.percent_complete()),
    }
}

fn error_details(e: &sdk::ErrorDetails) -> ErrorDetails {
    ErrorDetails {
        code: bounded(e.code().unwrap_or_default()),
        message: bounded(e.message().unwrap_or_default()),
    }
}

fn stage_declaration(s: &sdk::StageDeclaration) -> StageDeclaration {
    StageDeclaration {
        name: s.name().to_string(),
        actions: s
            .actions()
            .iter()
            .map(|a| ActionDeclaration {
                name: a.name().to_string(),
                run_order: a.run_order().unwrap_or(1),
                category: a
                    .action_type_id()
                    .map(|t| t.category().as_str().to_string())
                    .unwrap_or_default(),
                provider: a
                    .action_type_id()
                    .map(|t| t.provider().to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        on_failure: s
            .on_failure()
            .and_then(|f| f.result())
            .map(|r| r.as_str().to_string()),
    }
}

fn action_run(detail: &sdk::ActionExecutionDetail) -> ActionRun {
    let result = detail.output().and_then(|o| o.execution_result());
    ActionRun {
        pipeline_execution_id: detail
            .pipeline_execution_id()
            .unwrap_or_default()
            .to_string(),
        stage_name: detail.stage_name().unwrap_or_default().to_string(),
        action_name: detail.action_name().unwrap_or_default().to_string(),
        status: detail
            .status()
            .map_or(ActionStatus::Other("unknown".into()), |s| {
                ActionStatus::parse(s.as_str())
            }),
        pipeline_version: detail.pipeline_version(),
        last_update_time: detail.last_update_time().and_then(timestamp),
        error: result.and_then(|r| r.error_details()).map(error_details),
        external_execution_url: result
            .and_then(|r| r.external_execution_url())
            .map(str::to_string),
        external_execution_id: result.and_then(|r| r.external_execution_id()).map(bounded),
        summary: bounded_opt(result.and_then(|r| r.external_execution_summary())),
    }
}
