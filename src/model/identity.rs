//! Who the credentials belong to: the account a write lands in.

use serde::Serialize;

/// STS GetCallerIdentity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerIdentity {
    pub account: String,
    /// The user or role, e.g. `arn:aws:sts::123456789012:assumed-role/oncall/alice`.
    pub arn: String,
}
