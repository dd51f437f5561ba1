//! Paging as AWS does it: a page of `maxResults` (the operation's default when absent,
//! and for Step Functions when 0), and an opaque `nextToken` that only continues the
//! listing it came from. A token the emulator did not hand out for this very listing
//! (made up, from another listing, or from an earlier run of the emulator) is refused
//! with the service's own error code, never answered with page 1.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

use serde_json::Value;

use crate::ApiError;

/// How one list operation pages.
#[derive(Debug, Clone, Copy)]
pub struct PageRule {
    /// The page size when `maxResults` is absent (or 0, where the model allows 0).
    pub default: usize,
}

/// What a service's pages need to know: the emulator's secret, its test cap on page sizes,
/// and the code the service uses for a token it does not know.
#[derive(Debug, Clone, Copy)]
pub struct Pager {
    secret: u64,
    /// Tests shrink pages to see paging at work; AWS's own limits still apply below it.
    cap: usize,
    invalid_token: &'static str,
}

impl Pager {
    pub fn new(secret: u64, cap: usize, invalid_token: &'static str) -> Self {
        Self {
            secret,
            cap: cap.max(1),
            invalid_token,
        }
    }

    /// The test cap on page sizes (AWS's own limits still apply below it).
    pub fn cap(&self) -> usize {
        self.cap
    }

    /// The rows of `total` this request's page holds, and the token for the next page.
    /// `operation` and the request's other members tie the token to this listing.
    pub fn page(
        &self,
        operation: &str,
        input: &Value,
        rule: PageRule,
        total: usize,
    ) -> Result<(Range<usize>, Option<String>), ApiError> {
        let listing = self.listing(operation, input);
        let start = match input.get("nextToken").and_then(Value::as_str) {
            None => 0,
            Some(token) => self.open(listing, token).ok_or_else(|| {
                ApiError::new(
                    400,
                    self.invalid_token,
                    format!("Invalid pagination token: '{token}'"),
                )
            })?,
        };
        let asked = input
            .get("maxResults")
            .and_then(Value::as_u64)
            .filter(|asked| *asked > 0)
            .map_or(rule.default, |asked| asked as usize);
        let size = asked.min(self.cap);
        let start = start.min(total);
        let end = (start + size).min(total);
        let next = (end < total).then(|| self.seal(listing, end));
        Ok((start..end, next))
    }

    /// A fingerprint of the listing: the operation and every member but the paging ones.
    fn listing(&self, operation: &str, input: &Value) -> u64 {
        let mut members = input.as_object().cloned().unwrap_or_default();
        members.remove("nextToken");
        members.remove("maxResults");
        let mut hasher = DefaultHasher::new();
        (self.secret, operation, Value::Object(members).to_string()).hash(&mut hasher);
        hasher.finish()
    }

    fn seal(&self, listing: u64, offset: usize) -> String {
        format!("{:016x}{offset:x}", Self::mac(listing, offset))
    }

    fn open(&self, listing: u64, token: &str) -> Option<usize> {
        let mac = u64::from_str_radix(token.get(..16)?, 16).ok()?;
        let offset = usize::from_str_radix(token.get(16..)?, 16).ok()?;
        (mac == Self::mac(listing, offset)).then_some(offset)
    }

    fn mac(listing: u64, offset: usize) -> u64 {
        let mut hasher = DefaultHasher::new();
        (listing, offset).hash(&mut hasher);
        hasher.finish()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const RULE: PageRule = PageRule { default: 100 };

    fn pager() -> Pager {
        Pager::new(42, 1000, "InvalidToken")
    }

    #[test]
    fn pages_to_the_end_with_the_default_size() {
        let input = json!({"executionArn": "arn:x"});
        let (first, token) = pager().page("Op", &input, RULE, 250).unwrap();
        assert_eq!(first, 0..100);
        let mut next = input.clone();
        next["nextToken"] = json!(token.unwrap());
        next["maxResults"] = json!(0);
        let (second, token) = pager().page("Op", &next, RULE, 250).unwrap();
        assert_eq!(second, 100..200);
        next["nextToken"] = json!(token.unwrap());
        next["maxResults"] = json!(500);
        assert_eq!(
            pager().page("Op", &next, RULE, 250).unwrap(),
            (200..250, None)
        );
    }

    #[test]
    fn a_token_continues_only_its_own_listing() {
        let input = json!({"stateMachineArn": "arn:a"});
        let (_, token) = pager()
            .page("Op", &input, PageRule { default: 1 }, 5)
            .unwrap();
        let token = token.unwrap();
        let refused = |input: Value, pager: Pager| {
            pager
                .page("Op", &input, RULE, 5)
                .expect_err("a token from elsewhere")
                .code
        };
        let other = json!({"stateMachineArn": "arn:b", "nextToken": token});
        assert_eq!(refused(other, pager()), "InvalidToken");
        let made_up = json!({"stateMachineArn": "arn:a", "nextToken": "page-1"});
        assert_eq!(refused(made_up, pager()), "InvalidToken");
        let restarted = Pager::new(7, 1000, "InvalidNextTokenException");
        let old = json!({"stateMachineArn": "arn:a", "nextToken": token});
        assert_eq!(refused(old, restarted), "InvalidNextTokenException");
    }
}
