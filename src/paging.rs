//! Listings that span pages. The schedule starts a read with one token of its quota;
//! every later page waits for a token of the same quota, so a long listing is paced
//! like any other reads and never bursts past AWS's rate. And every listing ends: an
//! endpoint that offers a next page forever (or the same page twice) is stopped at a
//! cap, and the stop is said in one line.

use std::collections::HashSet;
use std::future::Future;

use crate::action::Quota;
use crate::aws::{AwsError, Page};
use crate::model::Paged;
use crate::model::text::thousands;
use crate::poller::Buckets;

/// How far one listing goes.
#[derive(Debug, Clone, Copy)]
pub struct Cap {
    pub items: usize,
    pub pages: usize,
    /// What is listed, in the plural: "pipelines".
    pub noun: &'static str,
}

/// Ten times the largest fleets unstick was measured on; at 1,000 a page, 10 pages.
pub const PIPELINES: Cap = Cap {
    items: 10_000,
    pages: 100,
    noun: "pipelines",
};

pub const STATE_MACHINES: Cap = Cap {
    items: 10_000,
    pages: 100,
    noun: "state machines",
};

/// An execution's history stops near 25,000 events (AWS's hard limit), and the event
/// that ends it comes last: the cap leaves room, so a history at the limit is read whole.
pub const HISTORY: Cap = Cap {
    items: 30_000,
    pages: 100,
    noun: "events",
};

/// A pipeline execution runs each action a handful of times at most.
pub const ACTION_RUNS: Cap = Cap {
    items: 2_000,
    pages: 40,
    noun: "action runs",
};

/// One Lambda invocation's lines: FilterLogEvents may answer empty pages while it scans.
pub const LOG_SEARCH: Cap = Cap {
    items: 10_000,
    pages: 20,
    noun: "log lines",
};

pub const MAP_RUNS: Cap = Cap {
    items: 100,
    pages: 10,
    noun: "Map Runs",
};

/// Reads pages with `page` until AWS offers no next one, or `cap` is reached. The first
/// page goes at once (its token was taken when the read was started); the others each
/// wait their turn in `quota`'s bucket.
pub async fn every_page<T, F, Fut>(
    buckets: &Buckets,
    quota: Quota,
    cap: Cap,
    mut page: F,
) -> Result<Paged<T>, AwsError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, AwsError>>,
{
    let mut items = Vec::new();
    let mut tokens_seen = HashSet::new();
    let mut token = None;
    let mut pages = 0;
    loop {
        if pages > 0 {
            buckets.take_turn(quota).await;
        }
        let got = page(token.take()).await?;
        pages += 1;
        items.extend(got.items);
        let Some(next) = got.next_token else {
            return Ok(Paged { items, cut: None });
        };
        let cut = if !tokens_seen.insert(next.clone()) {
            Some(format!(
                "stopped after {pages} pages: AWS offered the same page twice"
            ))
        } else if items.len() >= cap.items {
            Some(format!(
                "stopped at {} {}, the most unstick reads; AWS has more",
                thousands(cap.items),
                cap.noun
            ))
        } else if pages >= cap.pages {
            Some(format!(
                "stopped after {pages} pages ({} {}); AWS offered more",
                thousands(items.len()),
                cap.noun
            ))
        } else {
            None
        };
        if let Some(cut) = cut {
            items.truncate(cap.items);
            tracing::warn!(quota = ?quota, "{cut}");
            return Ok(Paged {
                items,
                cut: Some(cut),
            });
        }
        token = Some(next);
    }
}

/// Keeps the first of each item by `key`: a misbehaving endpoint that hands out the same
/// page twice must not show a pipeline twice, or count an event twice.
pub fn first_of_each<T, K: std::hash::Hash + Eq>(paged: &mut Paged<T>, key: impl Fn(&T) -> K) {
    let mut seen = HashSet::new();
    paged.items.retain(|item| seen.insert(key(item)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poller::TokenBucket;

    fn buckets() -> Buckets {
        Buckets::new(TokenBucket::new(1000, 1000.0))
    }

    const SMALL: Cap = Cap {
        items: 10,
        pages: 4,
        noun: "things",
    };

    async fn listing(pages: Vec<(Vec<u32>, Option<&str>)>) -> Paged<u32> {
        let pages = std::sync::Mutex::new(pages.into_iter());
        every_page(&buckets(), Quota::CodePipeline, SMALL, |_| {
            let next = pages.lock().unwrap().next().expect("asked past the end");
            async move {
                Ok(Page {
                    items: next.0,
                    next_token: next.1.map(str::to_string),
                })
            }
        })
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn reads_to_the_last_page() {
        let paged = listing(vec![(vec![1, 2], Some("a")), (vec![3], None)]).await;
        assert_eq!(paged.items, vec![1, 2, 3]);
        assert_eq!(paged.cut, None);
    }

    #[tokio::test]
    async fn stops_at_the_item_cap_and_says_so() {
        let paged = listing(vec![(vec![0; 6], Some("a")), (vec![0; 6], Some("b"))]).await;
        assert_eq!(paged.items.len(), 10);
        assert_eq!(
            paged.cut.as_deref(),
            Some("stopped at 10 things, the most unstick reads; AWS has more")
        );
    }

    #[tokio::test]
    async fn stops_when_pages_never_end() {
        let endless = (0..10)
            .map(|i| (vec![], Some(["a", "b", "c", "d", "e", "f"][i % 6])))
            .collect();
        let paged = listing(endless).await;
        assert_eq!(
            paged.cut.as_deref(),
            Some("stopped after 4 pages (0 things); AWS offered more")
        );
    }

    #[tokio::test]
    async fn stops_when_a_page_comes_round_again() {
        let mut paged = listing(vec![(vec![1, 2], Some("a")), (vec![1, 2], Some("a"))]).await;
        assert_eq!(
            paged.cut.as_deref(),
            Some("stopped after 2 pages: AWS offered the same page twice")
        );
        first_of_each(&mut paged, |n| *n);
        assert_eq!(paged.items, vec![1, 2]);
    }
}
