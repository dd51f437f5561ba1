//! How fast unstick may read: AWS's buckets as published (the first picture and
//! `report` may use them whole, once, because they end), and the budget the dashboard's
//! steady state keeps to, which leaves most of every bucket to the account's other users.

use crate::action::Quota;

/// Regions where Step Functions publishes its larger buckets (Developer Guide, "Step
/// Functions service quotas", API action throttling).
const LARGEST_REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-west-1"];

/// A token bucket as AWS states it: `burst` requests at once, then `refill` per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    pub burst: u32,
    pub refill: f64,
}

/// CodePipeline publishes no read rate; AWS.md reports throttling near 5–10 requests per
/// second per account and region. unstick assumes the low end, and adapts down when
/// AWS throttles.
pub const CODEPIPELINE_ASSUMED: Bucket = Bucket {
    burst: 10,
    refill: 5.0,
};

/// AWS's bucket for `quota` in `region` (the smaller figures when the region is not
/// known). `codepipeline` is the account bucket assumed for CodePipeline.
pub fn published(quota: Quota, region: Option<&str>, codepipeline: Bucket) -> Bucket {
    let largest = region.is_some_and(|r| LARGEST_REGIONS.contains(&r));
    let bucket = |burst, refill| Bucket { burst, refill };
    match quota {
        // STS publishes no per-API rate; one read per session.
        Quota::Sts => bucket(5, 1.0),
        Quota::CodePipeline => codepipeline,
        Quota::ListStateMachines => bucket(100, 5.0),
        Quota::ListExecutions if largest => bucket(200, 5.0),
        Quota::ListExecutions => bucket(100, 2.0),
        Quota::DescribeExecution if largest => bucket(300, 15.0),
        Quota::DescribeExecution => bucket(250, 10.0),
        Quota::ExecutionHistory => bucket(400, 20.0),
        // ListMapRuns 100/1, DescribeMapRun 200/1: one lane at the smaller.
        Quota::MapRuns => bucket(100, 1.0),
        // CodeBuild publishes no API rate: assumed like CodePipeline's low end.
        Quota::CodeBuild => bucket(10, 5.0),
        // CloudWatch Logs states these as transactions per second.
        Quota::GetLogEvents => bucket(25, 25.0),
        Quota::FilterLogEvents => bucket(5, 5.0),
    }
}

/// What the dashboard may spend once its first picture is read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Requests per second, all APIs together.
    pub total: f64,
    /// The most of any one API's published refill unstick uses (0.5: half).
    pub share: f64,
    /// The CodePipeline account bucket assumed.
    pub codepipeline: Bucket,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            total: 2.0,
            share: 0.5,
            codepipeline: CODEPIPELINE_ASSUMED,
        }
    }
}

impl Budget {
    /// The steady rate allowed for one API: its share of the refill, never more than
    /// the total.
    pub fn lane_rate(&self, quota: Quota, region: Option<&str>) -> f64 {
        (published(quota, region, self.codepipeline).refill * self.share).min(self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_executions_is_the_tight_one_outside_the_largest_regions() {
        let here = published(
            Quota::ListExecutions,
            Some("eu-central-1"),
            CODEPIPELINE_ASSUMED,
        );
        assert_eq!(
            here,
            Bucket {
                burst: 100,
                refill: 2.0
            }
        );
        let large = published(
            Quota::ListExecutions,
            Some("us-east-1"),
            CODEPIPELINE_ASSUMED,
        );
        assert_eq!(large.refill, 5.0);
        // Unknown region: the smaller figures.
        assert_eq!(
            published(Quota::ListExecutions, None, CODEPIPELINE_ASSUMED),
            here
        );
    }

    #[test]
    fn the_default_budget_leaves_half_of_every_bucket() {
        let budget = Budget::default();
        for quota in Quota::ALL {
            for region in [None, Some("us-east-1")] {
                let bucket = published(quota, region, budget.codepipeline);
                assert!(budget.lane_rate(quota, region) <= bucket.refill / 2.0);
            }
        }
        assert_eq!(
            budget.lane_rate(Quota::ListExecutions, Some("eu-central-1")),
            1.0
        );
    }
}
