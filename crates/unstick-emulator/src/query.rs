//! The awsQuery wire format (STS): a form-encoded request in, XML out.

use serde_json::{Map, Value};

use crate::ApiError;

/// The request's parameters: `Action` names the operation, the rest are its input.
pub fn read_form(body: &[u8]) -> (Option<String>, Value) {
    let mut action = None;
    let mut input = Map::new();
    for (key, value) in form_urlencoded::parse(body) {
        match key.as_ref() {
            "Action" => action = Some(value.into_owned()),
            "Version" => {}
            _ => {
                input.insert(key.into_owned(), Value::String(value.into_owned()));
            }
        }
    }
    (action, Value::Object(input))
}

/// `<{Operation}Response><{Operation}Result>…</…><ResponseMetadata>…` around `result`'s
/// members (strings and numbers, as GetCallerIdentity's are).
pub fn write_result(operation: &str, namespace: &str, result: &Value, request_id: &str) -> String {
    let members: String = result
        .as_object()
        .into_iter()
        .flatten()
        .map(|(key, value)| {
            let text = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_string);
            format!("    <{key}>{}</{key}>\n", escape(&text))
        })
        .collect();
    format!(
        "<{operation}Response xmlns=\"{namespace}\">\n  <{operation}Result>\n{members}  </{operation}Result>\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</{operation}Response>\n"
    )
}

/// AWS's awsQuery error body.
pub fn write_error(namespace: &str, error: &ApiError, request_id: &str) -> String {
    let kind = if error.status >= 500 {
        "Receiver"
    } else {
        "Sender"
    };
    format!(
        "<ErrorResponse xmlns=\"{namespace}\">\n  <Error>\n    <Type>{kind}</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n",
        escape(&error.code),
        escape(&error.message)
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_a_form_and_writes_a_result_and_an_error() {
        let (action, input) = read_form(b"Action=GetCallerIdentity&Version=2011-06-15&X=a%26b");
        assert_eq!(action.as_deref(), Some("GetCallerIdentity"));
        assert_eq!(input, json!({"X": "a&b"}));
        let xml = write_result("GetCallerIdentity", "ns", &json!({"Account": "1<2"}), "r");
        assert!(xml.contains("<GetCallerIdentityResult>\n    <Account>1&lt;2</Account>"));
        let error = write_error("ns", &ApiError::new(400, "InvalidAction", "no"), "r");
        assert!(error.contains("<Code>InvalidAction</Code>"));
    }
}
