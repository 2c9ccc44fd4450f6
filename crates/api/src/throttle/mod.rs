//! Throttling per application per tenant (spec §2.6): each authenticated Graph request is counted
//! against the quota of its (tenant, application, [`Category`]) before its handler runs. Over a
//! limit the answer is Graph's `429 TooManyRequests` with an integer `Retry-After`; within it, the
//! response carries the quota left (`x-ratelimit-*`, see [`admission`]).
//!
//! Defaults are Microsoft's published limits (150 requests a minute on legacy alerts, security
//! actions and secure score; 1,000 a minute on tiIndicators; 10,000 per 10 minutes and 4 at once
//! on secure score) and none where Graph publishes none (alerts_v2, incidents, subscriptions);
//! [`ThrottleConfig`] changes them for everyone, per application, per tenant, or per application
//! in one tenant.
//!
//! The quota lives in this node's memory ([`buckets`]) and uses the real monotonic clock, never
//! the store's clock: N nodes behind one load balancer allow up to N times the configured quota
//! (configure limits divided by the node count for a cluster-wide figure).

pub mod admission;
pub mod bucket;
pub mod buckets;
mod category;
pub mod config;

pub use admission::Ticket;
pub use category::Category;
pub use config::{LimitOverride, Limits, TenantLimits, ThrottleConfig};

use bucket::Verdict;
use buckets::Buckets;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// A request rate: at most `requests` per `window_seconds`, refilled continuously.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// Requests per window (at least 1).
    pub requests: u32,
    /// The window in seconds (at least 1).
    pub window_seconds: u32,
}

/// The limit of one category for one application in one tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limit {
    /// Rates, all of which must allow a request (empty: no rate limit).
    pub rates: Vec<Rate>,
    /// Most requests in progress at once (0: no limit).
    pub concurrent: u32,
}

impl Limit {
    /// Whether the limit limits nothing.
    pub fn is_unlimited(&self) -> bool {
        self.rates.is_empty() && self.concurrent == 0
    }
}

/// The throttle of one node: the configuration and the buckets.
pub struct Throttle {
    config: ThrottleConfig,
    /// Per category (in [`Category::ALL`] order): whether any caller can have a limit on it.
    limited: [bool; Category::ALL.len()],
    buckets: Buckets,
    epoch: Instant,
}

impl std::fmt::Debug for Throttle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Throttle")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Throttle {
    /// A throttle enforcing `config` (checked: the error names the bad key). `None` when the
    /// configuration turns throttling off.
    pub fn new(config: &ThrottleConfig) -> Result<Option<Throttle>, String> {
        config.validate()?;
        if !config.enabled {
            return Ok(None);
        }
        Ok(Some(Self::build(config.clone())))
    }

    /// A throttle with Microsoft Graph's published limits.
    pub fn graph_defaults() -> Throttle {
        Self::build(ThrottleConfig::default())
    }

    fn build(config: ThrottleConfig) -> Throttle {
        Throttle {
            limited: Category::ALL.map(|c| config.may_limit(c)),
            config,
            buckets: Buckets::new(),
            epoch: Instant::now(),
        }
    }

    /// Counts one request of `app` (empty when unknown) in `tenant` against `category`'s quota.
    pub fn admit(&self, tenant: &str, app: &str, category: Category) -> Option<Verdict> {
        let index = Category::ALL.iter().position(|c| *c == category)?;
        if !self.limited[index] {
            return None;
        }
        let now = u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.buckets.admit((tenant, app, category), now, || {
            self.config.resolve(tenant, app, category)
        })
    }

    /// How many quotas this node keeps in memory.
    pub fn bucket_count(&self) -> usize {
        self.buckets.len()
    }
}
