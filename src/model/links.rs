//! Console deep links and ARNs for everything unstick shows, so a person can paste the
//! exact object into an incident channel. The console's host depends on the partition
//! (China and GovCloud have their own); each link names its region, because a console
//! opened in another region shows nothing.

/// An AWS partition, as a region belongs to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    Aws,
    China,
    GovCloud,
}

impl Partition {
    pub fn of(region: &str) -> Self {
        if region.starts_with("cn-") {
            Partition::China
        } else if region.starts_with("us-gov-") {
            Partition::GovCloud
        } else {
            Partition::Aws
        }
    }

    /// Its name in ARNs.
    pub fn arn_name(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::China => "aws-cn",
            Partition::GovCloud => "aws-us-gov",
        }
    }

    /// The console's address for `region`.
    fn console(self, region: &str) -> String {
        match self {
            Partition::Aws => format!("https://{region}.console.aws.amazon.com"),
            Partition::China => "https://console.amazonaws.cn".to_string(),
            Partition::GovCloud => "https://console.amazonaws-us-gov.com".to_string(),
        }
    }
}

/// Percent-encodes a path segment or a fragment part: everything but unreserved ASCII.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The CloudWatch console's own escaping inside its `#logsV2:` fragment: each `%` of the
/// percent-encoding is written `$25`.
fn cloudwatch_encode(text: &str) -> String {
    encode(text).replace('%', "$25")
}

pub fn pipeline(region: &str, name: &str) -> String {
    format!(
        "{}/codesuite/codepipeline/pipelines/{}/view?region={region}",
        Partition::of(region).console(region),
        encode(name)
    )
}

pub fn pipeline_execution(region: &str, name: &str, execution_id: &str) -> String {
    format!(
        "{}/codesuite/codepipeline/pipelines/{}/executions/{}/timeline?region={region}",
        Partition::of(region).console(region),
        encode(name),
        encode(execution_id)
    )
}

/// A CodeBuild build, by its id (`project:uuid`).
pub fn build(region: &str, account: &str, build_id: &str) -> String {
    let project = build_id.split(':').next().unwrap_or(build_id);
    format!(
        "{}/codesuite/codebuild/{account}/projects/{}/build/{}/?region={region}",
        Partition::of(region).console(region),
        encode(project),
        encode(build_id)
    )
}

pub fn execution(region: &str, execution_arn: &str) -> String {
    // The console reads the ARN as it is; only what no ARN may hold is left out.
    let arn: String = execution_arn
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    format!(
        "{}/states/home?region={region}#/v2/executions/details/{arn}",
        Partition::of(region).console(region)
    )
}

pub fn log_stream(region: &str, group: &str, stream: &str) -> String {
    format!(
        "{}/cloudwatch/home?region={region}#logsV2:log-groups/log-group/{}/log-events/{}",
        Partition::of(region).console(region),
        cloudwatch_encode(group),
        cloudwatch_encode(stream)
    )
}

/// A log group's events, filtered as a search for one invocation would be.
pub fn log_search(region: &str, group: &str, filter: Option<&str>) -> String {
    let mut link = format!(
        "{}/cloudwatch/home?region={region}#logsV2:log-groups/log-group/{}/log-events",
        Partition::of(region).console(region),
        cloudwatch_encode(group)
    );
    if let Some(filter) = filter {
        link.push_str(&format!("$3FfilterPattern$3D{}", cloudwatch_encode(filter)));
    }
    link
}

pub fn pipeline_arn(region: &str, account: &str, name: &str) -> String {
    format!(
        "arn:{}:codepipeline:{region}:{account}:{name}",
        Partition::of(region).arn_name()
    )
}

pub fn log_stream_arn(region: &str, account: &str, group: &str, stream: &str) -> String {
    format!(
        "arn:{}:logs:{region}:{account}:log-group:{group}:log-stream:{stream}",
        Partition::of(region).arn_name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_the_partition_and_name_the_region() {
        assert_eq!(
            pipeline("eu-west-1", "checkout-web"),
            "https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/checkout-web/view?region=eu-west-1"
        );
        assert_eq!(
            pipeline("cn-north-1", "p"),
            "https://console.amazonaws.cn/codesuite/codepipeline/pipelines/p/view?region=cn-north-1"
        );
        assert_eq!(
            execution(
                "us-gov-west-1",
                "arn:aws-us-gov:states:us-gov-west-1:1:execution:m:e"
            ),
            "https://console.amazonaws-us-gov.com/states/home?region=us-gov-west-1#/v2/executions/details/arn:aws-us-gov:states:us-gov-west-1:1:execution:m:e"
        );
        assert_eq!(
            pipeline_execution("us-east-1", "p", "5c1d7e2a"),
            "https://us-east-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/p/executions/5c1d7e2a/timeline?region=us-east-1"
        );
        assert_eq!(
            build("us-east-1", "123456789012", "checkout-web-it:8c21"),
            "https://us-east-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/checkout-web-it/build/checkout-web-it%3A8c21/?region=us-east-1"
        );
        assert_eq!(
            log_stream(
                "eu-central-1",
                "/aws/lambda/charge-card",
                "2026/11/21/[$LATEST]ab"
            ),
            "https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Fcharge-card/log-events/2026$252F11$252F21$252F$255B$2524LATEST$255Dab"
        );
        assert!(
            log_search("us-east-1", "/aws/lambda/f", Some("\"abc\"")).ends_with(
                "log-group/$252Faws$252Flambda$252Ff/log-events$3FfilterPattern$3D$2522abc$2522"
            )
        );
        assert_eq!(
            pipeline_arn("cn-northwest-1", "1", "p"),
            "arn:aws-cn:codepipeline:cn-northwest-1:1:p"
        );
        assert_eq!(
            log_stream_arn("us-east-1", "1", "/aws/codebuild/p", "u"),
            "arn:aws:logs:us-east-1:1:log-group:/aws/codebuild/p:log-stream:u"
        );
    }

    #[test]
    fn names_with_odd_characters_are_encoded() {
        assert_eq!(encode("a b/c?d#e"), "a%20b%2Fc%3Fd%23e");
        assert!(!pipeline("us-east-1", "x\u{1b}]8;;evil").contains('\u{1b}'));
    }
}
