//! STS: whose credentials these are. Needs no IAM permission.

use aws_config::SdkConfig;
use aws_sdk_sts::Client;

use super::error::{AwsError, from_sdk};
use crate::model::CallerIdentity;

#[derive(Clone, Debug)]
pub struct StsClient {
    client: Client,
}

impl StsClient {
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            client: Client::new(config),
        }
    }

    pub async fn caller_identity(&self) -> Result<CallerIdentity, AwsError> {
        let out = self
            .client
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| from_sdk(e, "sts:GetCallerIdentity"))?;
        Ok(CallerIdentity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
        })
    }
}
