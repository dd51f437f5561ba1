//! STS, for GetCallerIdentity: who the demo credentials belong to. STS speaks awsQuery
//! (a form-encoded POST answered with XML); the server handles the wire format.

use serde_json::{Value, json};

use crate::ApiError;
use crate::service::{Call, Operation, Protocol, Quota, Service, unanswered};

pub struct Sts {
    account: String,
}

impl Sts {
    pub fn new(account: &str) -> Self {
        Self {
            account: account.to_string(),
        }
    }
}

static TABLE: &[Operation] = &[Operation {
    name: "GetCallerIdentity",
    input: &[],
    pages: None,
    quota: Quota::Unmetered,
}];

impl Service for Sts {
    fn model_name(&self) -> &'static str {
        "sts"
    }

    fn protocol(&self) -> Protocol {
        Protocol::Query {
            version: "2011-06-15",
            namespace: "https://sts.amazonaws.com/doc/2011-06-15/",
        }
    }

    fn operations(&self) -> &'static [Operation] {
        TABLE
    }

    fn answer(&mut self, call: &Call<'_>) -> Result<Value, ApiError> {
        match call.operation.name {
            "GetCallerIdentity" => Ok(json!({
                "UserId": "AROADEMOUNSTICK:demo",
                "Account": self.account,
                "Arn": format!("arn:aws:sts::{}:assumed-role/oncall/demo", self.account),
            })),
            other => Err(unanswered(other)),
        }
    }
}
