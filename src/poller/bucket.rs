//! Token buckets, one per AWS quota, shared by the schedule (which starts reads) and by
//! long listings (whose later pages wait their turn in the same bucket).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::Timestamp;

use crate::action::Quota;

/// A token bucket: `capacity` starts at once, then `per_second`. Its rate adapts: each
/// throttling strike halves it, each success wins a little back, so a client that
/// shares an account's quota with others settles at what the quota leaves it.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: f64,
    per_second: f64,
    tokens: f64,
    last: Option<Timestamp>,
    /// 1.0 = full rate; lowered by throttling.
    scale: f64,
}

impl TokenBucket {
    pub fn new(capacity: u32, per_second: f64) -> Self {
        Self {
            capacity: capacity as f64,
            per_second,
            tokens: capacity as f64,
            last: None,
            scale: 1.0,
        }
    }

    fn capacity(&self) -> f64 {
        (self.capacity * self.scale).max(1.0)
    }

    /// Requests per second allowed now.
    pub fn rate(&self) -> f64 {
        self.per_second * self.scale
    }

    pub fn slow_down(&mut self) {
        self.scale = (self.scale / 2.0).max(0.02);
        self.tokens = self.tokens.min(self.capacity());
    }

    pub fn speed_up(&mut self) {
        self.scale = (self.scale + 0.01).min(1.0);
    }

    /// Whether a token is there now (refilled up to `now`), without taking it.
    pub fn ready(&mut self, now: Timestamp) -> bool {
        if let Some(last) = self.last {
            let elapsed = now.duration_since(last).as_secs_f64().max(0.0);
            self.tokens = (self.tokens + elapsed * self.rate()).min(self.capacity());
        }
        self.last = Some(now);
        self.tokens >= 1.0
    }

    /// Takes the token `ready` found.
    pub fn take(&mut self) {
        self.tokens -= 1.0;
    }

    pub fn try_take(&mut self, now: Timestamp) -> bool {
        let ready = self.ready(now);
        if ready {
            self.take();
        }
        ready
    }

    /// How long until the next token, at the current rate.
    fn wait(&self) -> Duration {
        let missing = (1.0 - self.tokens).max(0.0);
        Duration::from_secs_f64(missing / self.rate().max(1e-3))
    }
}

/// Every quota's bucket, behind one lock. Cheap to clone; clones share the buckets.
#[derive(Debug, Clone)]
pub struct Buckets {
    inner: Arc<Mutex<HashMap<Quota, TokenBucket>>>,
    /// What a quota not set explicitly starts with.
    template: TokenBucket,
}

impl Default for Buckets {
    fn default() -> Self {
        Self::new(TokenBucket::new(4, 1.0))
    }
}

impl Buckets {
    pub fn new(template: TokenBucket) -> Self {
        Self {
            inner: Arc::default(),
            template,
        }
    }

    /// What a quota not set explicitly starts with.
    pub fn template(&self) -> TokenBucket {
        self.template.clone()
    }

    /// Takes `other`'s buckets as its own, so that every clone of these sees them.
    pub fn replace_with(&self, other: &Buckets) {
        let theirs = other
            .inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        *self.inner.lock().unwrap_or_else(PoisonError::into_inner) = theirs;
    }

    pub fn set(&self, quota: Quota, bucket: TokenBucket) {
        self.with(quota, |slot| *slot = bucket);
    }

    fn with<R>(&self, quota: Quota, f: impl FnOnce(&mut TokenBucket) -> R) -> R {
        let mut buckets = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let bucket = buckets
            .entry(quota)
            .or_insert_with(|| self.template.clone());
        f(bucket)
    }

    pub fn try_take(&self, quota: Quota, now: Timestamp) -> bool {
        self.with(quota, |bucket| bucket.try_take(now))
    }

    pub fn slow_down(&self, quota: Quota) {
        self.with(quota, TokenBucket::slow_down);
    }

    pub fn speed_up(&self, quota: Quota) {
        self.with(quota, TokenBucket::speed_up);
    }

    /// Waits until `quota` has a token, and takes it: for the pages after a listing's
    /// first, which the schedule started with a token of its own.
    pub async fn take_turn(&self, quota: Quota) {
        loop {
            let wait = self.with(quota, |bucket| {
                (!bucket.try_take(Timestamp::now())).then(|| bucket.wait())
            });
            match wait {
                None => return,
                Some(wait) => tokio::time::sleep(wait.max(Duration::from_millis(5))).await,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_lowers_the_rate_and_success_wins_it_back() {
        let mut bucket = TokenBucket::new(10, 5.0);
        bucket.slow_down();
        bucket.slow_down();
        assert!((bucket.rate() - 1.25).abs() < 1e-9);
        for _ in 0..1000 {
            bucket.speed_up();
        }
        assert!((bucket.rate() - 5.0).abs() < 1e-9);
    }

    #[tokio::test]
    async fn pages_wait_their_turn_in_the_shared_bucket() {
        let buckets = Buckets::new(TokenBucket::new(2, 4.0));
        let now = Timestamp::now();
        assert!(buckets.try_take(Quota::DescribeExecution, now));
        // A clone shares the bucket: the second token is gone for both.
        assert!(buckets.clone().try_take(Quota::DescribeExecution, now));
        assert!(!buckets.try_take(Quota::DescribeExecution, now));
        // Empty: the next page is a quarter second (one token at 4/s) away.
        let wait = buckets.with(Quota::DescribeExecution, |bucket| bucket.wait());
        assert!(wait > Duration::from_millis(200) && wait <= Duration::from_millis(250));
        buckets.take_turn(Quota::DescribeExecution).await;
        // Other quotas have their own buckets.
        assert!(buckets.try_take(Quota::CodePipeline, now));
    }
}
