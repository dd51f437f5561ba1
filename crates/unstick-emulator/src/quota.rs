//! The emulator's throttling: AWS's token buckets per operation (when the options ask
//! for them), one bucket per service for services that publish no rates, and a plain
//! limit on everything, for rehearsals.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::bucket::Bucket;
use crate::limits::{LARGEST_REGIONS, Rate};
use crate::service::{Operation, Quota};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuotaOptions {
    /// Meter each operation with AWS's published bucket for the emulator's region.
    pub published: bool,
    /// One bucket for each service that publishes no rates (CodePipeline).
    pub unpublished: Option<Rate>,
    /// One bucket for every request, whatever it is.
    pub everything: Option<Rate>,
}

#[derive(Debug)]
pub struct Quotas {
    options: QuotaOptions,
    largest_region: bool,
    everything: Option<Bucket>,
    /// By service, or by service and operation.
    buckets: HashMap<String, Bucket>,
}

impl Quotas {
    pub fn new(options: QuotaOptions, region: &str) -> Self {
        Self {
            everything: options.everything.map(bucket),
            options,
            largest_region: LARGEST_REGIONS.contains(&region),
            buckets: HashMap::new(),
        }
    }

    /// Takes a token for one request to `operation` of `service`: false means throttle it.
    pub fn take(&mut self, service: &str, operation: &Operation, now: Timestamp) -> bool {
        let metered = match operation.quota {
            Quota::Published { largest, elsewhere } if self.options.published => {
                let rate = if self.largest_region {
                    largest
                } else {
                    elsewhere
                };
                Some((format!("{service}.{}", operation.name), rate))
            }
            Quota::Service => self
                .options
                .unpublished
                .map(|rate| (service.to_string(), rate)),
            _ => None,
        };
        let allowed = metered.is_none_or(|(key, rate)| {
            self.buckets
                .entry(key)
                .or_insert_with(|| bucket(rate))
                .try_take(now)
        });
        allowed
            && self
                .everything
                .as_mut()
                .is_none_or(|bucket| bucket.try_take(now))
    }
}

fn bucket(rate: Rate) -> Bucket {
    Bucket::new(rate.burst, rate.refill)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::step_functions::LIST_EXECUTIONS;

    const LIST: Operation = Operation {
        name: "ListExecutions",
        input: &[],
        pages: None,
        quota: Quota::Published {
            largest: LIST_EXECUTIONS.0,
            elsewhere: LIST_EXECUTIONS.1,
        },
    };

    fn burst(quotas: &mut Quotas, at: Timestamp) -> usize {
        (0..1000)
            .take_while(|_| quotas.take("stepfunctions", &LIST, at))
            .count()
    }

    #[test]
    fn the_published_bucket_depends_on_the_region() {
        let t0 = Timestamp::from_second(1_800_000_000).unwrap();
        let published = QuotaOptions {
            published: true,
            ..QuotaOptions::default()
        };
        let mut large = Quotas::new(published.clone(), "us-east-1");
        assert_eq!(burst(&mut large, t0), 200);
        let mut other = Quotas::new(published, "eu-central-1");
        assert_eq!(burst(&mut other, t0), 100);
        // Refilled at 2 a second elsewhere.
        assert_eq!(
            burst(&mut other, t0 + jiff::SignedDuration::from_secs(5)),
            10
        );
        let mut unmetered = Quotas::new(QuotaOptions::default(), "eu-central-1");
        assert_eq!(burst(&mut unmetered, t0), 1000);
    }
}
