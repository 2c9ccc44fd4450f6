//! What one pull round did ([`PullRound`]): per (provider, tenant) pair, the pages fetched, the
//! alerts stored by outcome, and whether the pair is caught up, has more waiting, failed or was
//! left alone because it is backing off. Tests read it; the scheduler's loop logs it.

use model::TenantId;
use provider_protocol::{AlertOutcome, AlertResult};
use time::OffsetDateTime;

/// The result of one round of polls.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PullRound {
    /// One report per pair considered this round, by provider name, then tenant.
    pub pairs: Vec<PairReport>,
    /// Set when the round could not start: the providers or consents could not be read.
    pub error: Option<String>,
}

impl PullRound {
    /// The report of `provider_id` in `tenant`, if the pair was considered this round.
    pub fn pair(&self, provider_id: &str, tenant: &TenantId) -> Option<&PairReport> {
        self.pairs
            .iter()
            .find(|p| p.provider_id == provider_id && &p.tenant_id == tenant)
    }

    /// Alerts stored over all pairs, by outcome.
    pub fn outcomes(&self) -> Outcomes {
        let mut total = Outcomes::default();
        for p in &self.pairs {
            total.merge(&p.outcomes);
        }
        total
    }

    /// The pairs whose poll failed this round.
    pub fn failures(&self) -> impl Iterator<Item = &PairReport> {
        self.pairs
            .iter()
            .filter(|p| matches!(p.status, PairStatus::Failed { .. }))
    }
}

/// One (provider, tenant) pair's part of a round.
#[derive(Debug, Clone, PartialEq)]
pub struct PairReport {
    /// The provider's registry id.
    pub provider_id: String,
    /// Its name (`vendorInformation.provider`), for logs.
    pub provider: String,
    /// The tenant polled for.
    pub tenant_id: TenantId,
    /// Pages fetched and stored this round (a failure after some pages keeps those pages).
    pub pages: u32,
    /// What storing the pages' alerts did.
    pub outcomes: Outcomes,
    /// How the pair stands after the round.
    pub status: PairStatus,
}

impl PairReport {
    /// The failure of this round, if the poll failed.
    pub fn error(&self) -> Option<&str> {
        match &self.status {
            PairStatus::Failed { message, .. } => Some(message),
            _ => None,
        }
    }
}

/// How a pair stands after a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairStatus {
    /// Polled until a page said `hasMore: false`.
    CaughtUp,
    /// Polled up to the round's page limit, and the provider still has more: the next round should
    /// come at once.
    MorePending,
    /// The poll failed (call failure, invalid page, store error); it was recorded in the
    /// provider's health, and the pair is not polled again before `retry_at` (store clock).
    Failed {
        /// What went wrong.
        message: String,
        /// When the pair may be polled again.
        retry_at: OffsetDateTime,
    },
    /// Not polled: an earlier failure's backoff lasts until `until` (store clock).
    BackingOff {
        /// When the pair may be polled again.
        until: OffsetDateTime,
    },
}

/// Counts of stored alerts by [`AlertOutcome`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// New alerts.
    pub created: usize,
    /// Newer versions stored.
    pub updated: usize,
    /// Versions already stored (a page fetched again).
    pub unchanged: usize,
    /// Older than the stored version; ignored.
    pub stale: usize,
    /// Not stored (the alert object did not fit the schema, or the version kind changed).
    pub rejected: usize,
}

impl Outcomes {
    /// Counts one page's results.
    pub fn count(&mut self, results: &[AlertResult]) {
        for r in results {
            let slot = match r.outcome {
                AlertOutcome::Created => &mut self.created,
                AlertOutcome::Updated => &mut self.updated,
                AlertOutcome::Unchanged => &mut self.unchanged,
                AlertOutcome::Stale => &mut self.stale,
                AlertOutcome::Rejected => &mut self.rejected,
            };
            *slot += 1;
        }
    }

    /// Adds `other`'s counts.
    pub fn merge(&mut self, other: &Outcomes) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.stale += other.stale;
        self.rejected += other.rejected;
    }

    /// Alerts received, whatever the outcome.
    pub fn total(&self) -> usize {
        self.created + self.updated + self.unchanged + self.stale + self.rejected
    }
}

impl PullRound {
    /// Logs the round: why it could not start, or what it stored (nothing when it stored nothing).
    pub(crate) fn log(&self) {
        if let Some(e) = &self.error {
            tracing::warn!(error = %e, "a pull round could not start");
            return;
        }
        let o = self.outcomes();
        if o.total() > 0 {
            tracing::info!(
                created = o.created,
                updated = o.updated,
                unchanged = o.unchanged,
                stale = o.stale,
                rejected = o.rejected,
                "pulled alerts stored"
            );
        }
    }
}
