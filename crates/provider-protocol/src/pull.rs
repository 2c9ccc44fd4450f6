//! Pull: secgraph polls `GET {base}/alerts?tenantId=...&cursor=...` and the provider answers with a
//! [`PullPage`]; failed polls (and failed callbacks) are retried on a [`Backoff`] schedule.
//!
//! ```json
//! {"protocolVersion": 1, "alerts": [{"providerAlertId": "fw-4711", "version": 3, "alert": {...}}],
//!  "nextCursor": "opaque-token-42", "hasMore": true}
//! ```
//!
//! * The first poll of a tenant has no `cursor`. Each page's `nextCursor` is stored once the page's
//!   alerts are stored and sent with the next poll; the provider returns what changed after it.
//! * `hasMore: true` means another page is ready now: secgraph asks again at once. `hasMore: false`
//!   means caught up: secgraph waits for its poll interval, then asks again with `nextCursor` (or,
//!   when the page has none, the cursor it already holds).
//! * Alerts are exactly the push items ([`PushedAlert`]) under the same rules: at most 1,000 a page,
//!   each `providerAlertId` once, ordered by `version`, so a page fetched twice changes nothing.

use crate::problem::{Invalid, Problems};
use crate::push::{check_alerts, PushedAlert};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Longest cursor.
pub const MAX_CURSOR_LEN: usize = 2048;

/// The answer to `GET {base}/alerts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PullPage {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// Alerts changed since the cursor; may be empty.
    #[serde(default)]
    pub alerts: Vec<PushedAlert>,
    /// Where the next poll continues; opaque to secgraph.
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// Another page is ready now.
    #[serde(default)]
    pub has_more: bool,
}

impl PullPage {
    /// Checks the page (see the module docs).
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.version(self.protocol_version);
        check_alerts(&mut p, "alerts", &self.alerts);
        match &self.next_cursor {
            Some(c) => p.text("nextCursor", c, MAX_CURSOR_LEN),
            None if self.has_more => p.push(
                "nextCursor",
                "is required when hasMore is true; send the cursor of the next page",
            ),
            None => {}
        }
        if self.has_more && self.alerts.is_empty() {
            p.push(
                "hasMore",
                "is true on a page without alerts; send hasMore: false when caught up",
            );
        }
        p.finish()
    }

    /// How long to wait before the next poll: none when `hasMore`, else `interval`.
    pub fn next_poll_delay(&self, interval: Duration) -> Duration {
        if self.has_more {
            Duration::ZERO
        } else {
            interval
        }
    }
}

/// An exponential retry schedule with a cap and "equal jitter": retry `n` (from 0) waits
/// `c × (1 + j) / 2` where `c = min(maxMs, initialMs × 2ⁿ)` and `j` in `[0, 1]` is drawn by the
/// caller, so the wait is between half the ceiling and the ceiling: never zero, never above the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Backoff {
    /// Ceiling of the first retry, in milliseconds.
    pub initial_ms: u64,
    /// Cap, in milliseconds.
    pub max_ms: u64,
}

impl Default for Backoff {
    /// 1 s, doubling, capped at 5 minutes.
    fn default() -> Self {
        Backoff {
            initial_ms: 1_000,
            max_ms: 300_000,
        }
    }
}

impl Backoff {
    /// The ceiling of retry `attempt` (0 for the first retry).
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u64.checked_shl(attempt.min(63)).unwrap_or(u64::MAX);
        let ms = self.initial_ms.saturating_mul(factor).min(self.max_ms);
        Duration::from_millis(ms)
    }

    /// The wait before retry `attempt`; `jitter` is clamped to `[0, 1]` (NaN counts as 0).
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let j = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        self.ceiling(attempt).mul_f64((1.0 + j) / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let b = Backoff::default();
        let ceilings: Vec<u64> = (0..12).map(|n| b.ceiling(n).as_millis() as u64).collect();
        assert_eq!(
            ceilings,
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300].map(|s| s * 1000)
        );
        assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(300));
    }

    #[test]
    fn jitter_spans_half_the_ceiling_to_the_ceiling() {
        let b = Backoff::default();
        assert_eq!(b.delay(3, 0.0), Duration::from_secs(4));
        assert_eq!(b.delay(3, 1.0), Duration::from_secs(8));
        assert_eq!(b.delay(3, 0.5), Duration::from_secs(6));
        assert_eq!(b.delay(3, -3.0), Duration::from_secs(4));
        assert_eq!(b.delay(3, 7.0), Duration::from_secs(8));
        assert_eq!(b.delay(3, f64::NAN), Duration::from_secs(4));
    }
}
