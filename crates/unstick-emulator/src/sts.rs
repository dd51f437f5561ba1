//! STS GetCallerIdentity, in the awsQuery protocol STS speaks: a form-encoded POST
//! (`Action=GetCallerIdentity&Version=2011-06-15`) answered with XML.

use super::new_id;

/// The reply to an awsQuery request: HTTP status and XML body.
pub fn answer(form: &str, account: &str) -> (u16, String) {
    let action = form
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "Action")
        .map(|(_, value)| value);
    let request_id = new_id();
    match action {
        Some("GetCallerIdentity") => (
            200,
            format!(
                r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:sts::{account}:assumed-role/oncall/demo</Arn>
    <UserId>AROADEMOUNSTICK:demo</UserId>
    <Account>{account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>{request_id}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>"#
            ),
        ),
        other => (
            400,
            format!(
                r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>InvalidAction</Code>
    <Message>Could not find operation {} for version 2011-06-15</Message>
  </Error>
  <RequestId>{request_id}</RequestId>
</ErrorResponse>"#,
                other.unwrap_or("(none)")
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_get_caller_identity_and_refuses_the_rest() {
        let (status, body) = answer(
            "Action=GetCallerIdentity&Version=2011-06-15",
            "111122223333",
        );
        assert_eq!(status, 200);
        assert!(body.contains("<Account>111122223333</Account>"));
        let (status, body) = answer("Action=AssumeRole&Version=2011-06-15", "1");
        assert_eq!(status, 400);
        assert!(body.contains("InvalidAction"));
    }
}
