//! A listing read page by page, and whether it reached AWS's last page.

use serde::Serialize;

/// What a listing gave, and why it stopped early if it did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// One line, for the screen and the report; None when AWS's last page was reached.
    pub cut: Option<String>,
}
