//! Request shapes, as the services' API models state them: which members an operation
//! takes, of which JSON type, within which limits. AWS checks a request against them
//! before it looks at anything else: a member of the wrong JSON type cannot be read
//! (SerializationException); a readable value outside its limits is refused with a
//! ValidationException that names every member and constraint it broke.

use serde_json::Value;

use crate::ApiError;

/// One member of a request.
#[derive(Debug)]
pub struct Member {
    pub name: &'static str,
    pub required: bool,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text {
        min: usize,
        max: usize,
        pattern: Option<Pattern>,
    },
    Choice(&'static [&'static str]),
    Number {
        min: i64,
        max: i64,
    },
    Flag,
    Structure(&'static [Member]),
    /// A JSON array of `min..=max` items, each of `item`'s kind.
    List {
        min: usize,
        max: usize,
        item: &'static Kind,
    },
}

/// A model pattern: its text, for the error message, and the check that stands for it.
#[derive(Debug, Clone, Copy)]
pub struct Pattern {
    pub text: &'static str,
    pub accepts: fn(&str) -> bool,
}

impl Member {
    pub const fn required(name: &'static str, kind: Kind) -> Self {
        Self {
            name,
            required: true,
            kind,
        }
    }

    pub const fn optional(name: &'static str, kind: Kind) -> Self {
        Self {
            name,
            required: false,
            kind,
        }
    }
}

/// Text of `min..=max` characters.
pub const fn text(min: usize, max: usize) -> Kind {
    Kind::Text {
        min,
        max,
        pattern: None,
    }
}

/// Checks `input` against `members`: Ok, or the error AWS would send.
pub fn check(input: &Value, members: &[Member]) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    check_structure(input, members, "", &mut problems)?;
    if problems.is_empty() {
        return Ok(());
    }
    let count = problems.len();
    let plural = if count == 1 { "" } else { "s" };
    Err(ApiError::validation(format!(
        "{count} validation error{plural} detected: {}",
        problems.join("; ")
    )))
}

fn check_structure(
    input: &Value,
    members: &[Member],
    prefix: &str,
    problems: &mut Vec<String>,
) -> Result<(), ApiError> {
    let Some(object) = input.as_object() else {
        return Err(unreadable(
            "Start of structure or map found where not expected",
        ));
    };
    for member in members {
        let path = format!("{prefix}{}", member.name);
        match object.get(member.name) {
            None | Some(Value::Null) if member.required => problems.push(format!(
                "Value null at '{path}' failed to satisfy constraint: Member must not be null"
            )),
            None | Some(Value::Null) => {}
            Some(value) => check_value(value, &member.kind, &path, problems)?,
        }
    }
    Ok(())
}

fn check_value(
    value: &Value,
    kind: &Kind,
    path: &str,
    problems: &mut Vec<String>,
) -> Result<(), ApiError> {
    let mut refuse = |shown: &str, rule: String| {
        problems.push(format!(
            "Value {shown} at '{path}' failed to satisfy constraint: {rule}"
        ))
    };
    match kind {
        Kind::Text { min, max, pattern } => {
            let text = value.as_str().ok_or_else(|| wrong_type(path, "a string"))?;
            let length = text.chars().count();
            let shown = format!("'{text}'");
            if length < *min {
                refuse(
                    &shown,
                    format!("Member must have length greater than or equal to {min}"),
                );
            }
            if length > *max {
                refuse(
                    &shown,
                    format!("Member must have length less than or equal to {max}"),
                );
            }
            let breaks_pattern = pattern
                .as_ref()
                .filter(|pattern| length > 0 && !(pattern.accepts)(text));
            if let Some(pattern) = breaks_pattern {
                refuse(
                    &shown,
                    format!(
                        "Member must satisfy regular expression pattern: {}",
                        pattern.text
                    ),
                );
            }
        }
        Kind::Choice(allowed) => {
            let text = value.as_str().ok_or_else(|| wrong_type(path, "a string"))?;
            if !allowed.contains(&text) {
                refuse(
                    &format!("'{text}'"),
                    format!(
                        "Member must satisfy enum value set: [{}]",
                        allowed.join(", ")
                    ),
                );
            }
        }
        Kind::Number { min, max } => {
            let number = value
                .as_i64()
                .ok_or_else(|| wrong_type(path, "an integer"))?;
            if number < *min {
                refuse(
                    &number.to_string(),
                    format!("Member must have value greater than or equal to {min}"),
                );
            }
            if number > *max {
                refuse(
                    &number.to_string(),
                    format!("Member must have value less than or equal to {max}"),
                );
            }
        }
        Kind::Flag => {
            value
                .as_bool()
                .ok_or_else(|| wrong_type(path, "a boolean"))?;
        }
        Kind::Structure(members) => {
            check_structure(value, members, &format!("{path}."), problems)?;
        }
        Kind::List { min, max, item } => {
            let items = value.as_array().ok_or_else(|| wrong_type(path, "a list"))?;
            let shown = format!(
                "[{}]",
                items
                    .iter()
                    .map(|item| item
                        .as_str()
                        .map_or_else(|| item.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if items.len() < *min {
                refuse(
                    &shown,
                    format!("Member must have length greater than or equal to {min}"),
                );
            }
            if items.len() > *max {
                refuse(
                    &shown,
                    format!("Member must have length less than or equal to {max}"),
                );
            }
            for (index, value) in items.iter().enumerate() {
                check_value(value, item, &format!("{path}.{}", index + 1), problems)?;
            }
        }
    }
    Ok(())
}

fn wrong_type(path: &str, wanted: &str) -> ApiError {
    unreadable(&format!("'{path}' must be {wanted}"))
}

fn unreadable(message: &str) -> ApiError {
    ApiError::new(400, "SerializationException", message)
}

/// CodePipeline's names: `[A-Za-z0-9.@\-_]+`.
pub const CODEPIPELINE_NAME: Pattern = Pattern {
    text: "[A-Za-z0-9.@\\-_]+",
    accepts: |text| {
        text.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '@' | '-' | '_'))
    },
};

/// CodePipeline's execution ids: a lower-case UUID.
pub const UUID: Pattern = Pattern {
    text: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    accepts: |text| {
        let groups: Vec<&str> = text.split('-').collect();
        let lengths = [8, 4, 4, 4, 12];
        groups.len() == lengths.len()
            && groups.iter().zip(lengths).all(|(group, length)| {
                group.len() == length
                    && group
                        .chars()
                        .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
            })
    },
};

/// Step Functions' client tokens: printable ASCII without spaces.
pub const PRINTABLE: Pattern = Pattern {
    text: "[!-~]+",
    accepts: |text| text.chars().all(|c| ('!'..='~').contains(&c)),
};

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const MEMBERS: &[Member] = &[
        Member::required(
            "name",
            Kind::Text {
                min: 1,
                max: 100,
                pattern: Some(CODEPIPELINE_NAME),
            },
        ),
        Member::optional("maxResults", Kind::Number { min: 1, max: 100 }),
        Member::optional("status", Kind::Choice(&["FAILED", "RUNNING"])),
        Member::optional(
            "filter",
            Kind::Structure(&[Member::optional(
                "id",
                Kind::Text {
                    min: 0,
                    max: 64,
                    pattern: Some(UUID),
                },
            )]),
        ),
    ];

    #[test]
    fn a_good_request_passes() {
        let input = json!({"name": "web-app", "maxResults": 5, "status": "FAILED",
            "filter": {"id": "5c1d7e2a-8b3f-4a6e-9d12-7f0e4b6a1c3d"}});
        assert_eq!(check(&input, MEMBERS), Ok(()));
    }

    #[test]
    fn every_broken_constraint_is_named_in_one_validation_error() {
        let input = json!({"name": "web app", "maxResults": 0, "status": "Paused",
            "filter": {"id": "not-a-uuid"}});
        let error = check(&input, MEMBERS).unwrap_err();
        assert_eq!(error.code, "ValidationException");
        assert!(
            error.message.starts_with("4 validation errors detected"),
            "{}",
            error.message
        );
        assert!(error.message.contains("'filter.id'"), "{}", error.message);
        assert!(error.message.contains("enum value set: [FAILED, RUNNING]"));
        let missing = check(&json!({}), MEMBERS).unwrap_err();
        assert!(missing.message.contains("Value null at 'name'"));
    }

    #[test]
    fn a_member_of_the_wrong_type_cannot_be_read() {
        for input in [
            json!({"name": 7}),
            json!({"name": "a", "maxResults": "5"}),
            json!({"name": "a", "filter": "x"}),
            json!([]),
        ] {
            let error = check(&input, MEMBERS).unwrap_err();
            assert_eq!(error.code, "SerializationException", "{input}");
        }
    }
}
