//! One quota's state: a GCRA token bucket per rate (Generic Cell Rate Algorithm: one "theoretical
//! arrival time" per rate, integer nanoseconds, no floating point) and a counter of requests in
//! progress. A rate of `requests` per `window` lets a burst of `requests` through at once and then
//! one request every `window / requests`; the quota refills continuously, not at window edges.

use super::Rate;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

const NANOS_PER_SECOND: u64 = 1_000_000_000;

/// The state of one rate.
#[derive(Debug)]
struct RateState {
    requests: u32,
    window: u64,
    interval: u64,
    /// When the bucket is full again (nanoseconds since the throttle's epoch); ≤ now: full.
    tat: u64,
}

/// The quota shown on a response: the rate closest to running out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Requests the rate allows per window.
    pub limit: u32,
    /// Requests that would be allowed now, after this one.
    pub remaining: u32,
    /// Whole seconds (rounded up) until the quota is full again.
    pub reset: u64,
    /// The rate's window in seconds.
    pub window: u64,
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A rate ran out.
    Rate {
        /// The rate that ran out (requests per window).
        limit: u32,
        /// Its window in seconds.
        window: u64,
    },
    /// Too many requests are in progress.
    Concurrency {
        /// The most allowed at once.
        limit: u32,
    },
}

/// A request slot held until the response has been sent (or dropped).
#[derive(Debug)]
pub struct Permit(Arc<AtomicU32>);

impl Drop for Permit {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What the bucket decided.
#[derive(Debug)]
pub enum Verdict {
    /// Go ahead; show `quota` (when the category has rates) and hold `permit` (when it has a
    /// concurrency limit) until the response is sent.
    Allowed {
        /// The quota after this request.
        quota: Option<Quota>,
        /// The concurrency slot.
        permit: Option<Permit>,
    },
    /// Refused: retry after `retry_after` whole seconds (at least 1).
    Refused {
        /// Seconds to wait.
        retry_after: u64,
        /// The quota now (nothing taken).
        quota: Option<Quota>,
        /// Which limit refused.
        refusal: Refusal,
    },
}

/// One (tenant, application, category) quota.
#[derive(Debug)]
pub struct Bucket {
    rates: Box<[RateState]>,
    concurrent: u32,
    in_flight: Arc<AtomicU32>,
}

impl Bucket {
    /// A full bucket for `rates` and at most `concurrent` requests at once (0: no limit).
    pub fn new(rates: &[Rate], concurrent: u32) -> Bucket {
        let rates = rates
            .iter()
            .map(|r| {
                let window = u64::from(r.window_seconds) * NANOS_PER_SECOND;
                RateState {
                    requests: r.requests,
                    window,
                    interval: (window / u64::from(r.requests.max(1))).max(1),
                    tat: 0,
                }
            })
            .collect();
        Bucket {
            rates,
            concurrent,
            in_flight: Arc::new(AtomicU32::new(0)),
        }
    }

    /// Whether the bucket has nothing to enforce.
    pub fn is_unlimited(&self) -> bool {
        self.rates.is_empty() && self.concurrent == 0
    }

    /// Whether forgetting the bucket changes nothing: every rate full, nothing in progress.
    pub fn is_idle(&self, now: u64) -> bool {
        self.rates.iter().all(|r| r.tat <= now) && self.in_flight.load(Ordering::Acquire) == 0
    }

    /// Admits or refuses one request at `now` (nanoseconds since the throttle's epoch). A refused
    /// request takes nothing from any rate.
    pub fn admit(&mut self, now: u64) -> Verdict {
        let permit = match self.acquire() {
            Ok(p) => p,
            Err(refusal) => {
                return Verdict::Refused {
                    retry_after: 1,
                    quota: self.quota(now),
                    refusal,
                }
            }
        };
        let mut wait = 0;
        let mut refusal = None;
        for r in self.rates.iter() {
            let next = r.tat.max(now) + r.interval;
            if next > now + r.window {
                let w = next - r.window - now;
                if w >= wait {
                    wait = w;
                    refusal = Some(Refusal::Rate {
                        limit: r.requests,
                        window: r.window / NANOS_PER_SECOND,
                    });
                }
            }
        }
        if let Some(refusal) = refusal {
            drop(permit);
            return Verdict::Refused {
                retry_after: seconds_up(wait).max(1),
                quota: self.quota(now),
                refusal,
            };
        }
        for r in self.rates.iter_mut() {
            r.tat = r.tat.max(now) + r.interval;
        }
        Verdict::Allowed {
            quota: self.quota(now),
            permit,
        }
    }

    fn acquire(&self) -> Result<Option<Permit>, Refusal> {
        if self.concurrent == 0 {
            return Ok(None);
        }
        let limit = self.concurrent;
        self.in_flight
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < limit).then_some(n + 1)
            })
            .map(|_| Some(Permit(self.in_flight.clone())))
            .map_err(|_| Refusal::Concurrency { limit })
    }

    /// The rate with the fewest requests left (ties: the shorter window), as of `now`.
    fn quota(&self, now: u64) -> Option<Quota> {
        self.rates
            .iter()
            .map(|r| {
                let used = r.tat.saturating_sub(now);
                let free = r.window.saturating_sub(used) / r.interval;
                Quota {
                    limit: r.requests,
                    remaining: u32::try_from(free.min(u64::from(r.requests))).unwrap_or(0),
                    reset: seconds_up(used),
                    window: r.window / NANOS_PER_SECOND,
                }
            })
            .min_by_key(|q| (q.remaining, q.window))
    }
}

/// Nanoseconds as whole seconds, rounded up.
fn seconds_up(nanos: u64) -> u64 {
    nanos.div_ceil(NANOS_PER_SECOND)
}

#[cfg(test)]
#[path = "bucket_tests.rs"]
mod tests;
