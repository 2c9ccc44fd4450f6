//! Computing snapshots: one tenant on demand ([`SecureScoreStore::compute_snapshot`]), every
//! tenant at once ([`SnapshotRunner::run`], what the daily job calls), and a given history
//! ([`SecureScoreStore::store_history`], for the demo). Scoring itself is
//! [`model::secure_score::compute`]; comparisons are [`model::secure_score::averages`] over the
//! snapshots of the same day.

use super::snapshots::{peers_from, peers_sql, prune, put_score};
use super::{catalogue, SecureScoreStore};
use crate::error::StoreError;
use crate::handle::Store;
use model::secure_score::state::ControlState;
use model::secure_score::{averages, compute, Peer, ScoreInputs, SecureScore};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

/// The computation across tenants (cheap to clone).
#[derive(Debug, Clone)]
pub struct SnapshotRunner {
    pub(super) store: Store,
}

/// What one run of the snapshot job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRun {
    /// The day scored (UTC).
    pub day: Date,
    /// Tenants scored.
    pub tenants: usize,
    /// Snapshots deleted for being older than the retention.
    pub pruned: usize,
}

impl SecureScoreStore {
    /// What the tenant's score at `created` is computed from: every reported measurement, the
    /// state the tenant set on each profile, and its settings; with its industry.
    pub async fn score_inputs(
        &self,
        created: OffsetDateTime,
    ) -> Result<(ScoreInputs, Option<String>), StoreError> {
        let profiles = self.profiles().await?;
        let decisions = profiles
            .iter()
            .map(|p| (p.id.to_ascii_lowercase(), p.state()))
            .filter(|(_, s)| *s != ControlState::Default)
            .collect();
        let measurements = self
            .reported_states()
            .await?
            .iter()
            .map(|r| r.measurement())
            .collect();
        let settings = self.settings().await?;
        let inputs = ScoreInputs {
            tenant: self.tenant_id().to_owned(),
            created,
            measurements,
            decisions,
            licensed_user_count: settings.licensed_user_count,
            active_user_count: settings.active_user_count,
        };
        Ok((inputs, settings.industry))
    }

    /// Computes the tenant's snapshot of today from what is stored now and stores it (replacing
    /// today's earlier one), compared with the other tenants' snapshots of today.
    pub async fn compute_snapshot(&self) -> Result<SecureScore, StoreError> {
        let now = self.tenant.now();
        let (inputs, industry) = self.score_inputs(now).await?;
        let mut stored = self.store_history(vec![(inputs, industry)]).await?;
        stored
            .pop()
            .ok_or_else(|| StoreError::Corrupt("no snapshot was computed".into()))
    }

    /// Scores each of `days` (inputs with the tenant's industry at the time), compares each with
    /// the other tenants' snapshots of its day, and stores them (each replacing its day's earlier
    /// snapshot). Returns the snapshots as stored.
    pub async fn store_history(
        &self,
        days: Vec<(ScoreInputs, Option<String>)>,
    ) -> Result<Vec<SecureScore>, StoreError> {
        let cat = catalogue()?;
        let mut out = Vec::with_capacity(days.len());
        for (inputs, industry) in days {
            let mut score = compute(cat, &inputs);
            let day = day_of(score.created_date_time);
            let sql = peers_sql(self.store().dialect());
            let rows = self.store().read(&sql, &[day_text(day).into()]).await?;
            let mut peers: Vec<Peer> = peers_from(rows)?
                .into_iter()
                .filter(|p| p.tenant != inputs.tenant)
                .collect();
            let me = peer_of(&score, industry.clone());
            peers.push(me.clone());
            score.average_comparative_scores = averages(&me, &peers);
            out.push((score, industry));
        }
        let written: Vec<SecureScore> = out.iter().map(|(s, _)| s.clone()).collect();
        self.store()
            .write(move |tx| {
                for (score, industry) in &out {
                    put_score(tx, score, industry.as_deref())?;
                }
                Ok(())
            })
            .await?;
        Ok(written)
    }
}

impl SnapshotRunner {
    /// Scores every tenant as of its now (its own clock in emulator mode), compares each with the
    /// tenants scored for the same day, stores the snapshots in one transaction, then deletes
    /// snapshots older than `retention_days` days (today counts as the first; 0 keeps everything).
    pub async fn run(&self, retention_days: u32) -> Result<SnapshotRun, StoreError> {
        let cat = catalogue()?;
        let mut scored = Vec::new();
        for tenant in self.store.identity().list_tenants().await? {
            let ts = self.store.tenant(&tenant.id).secure_score();
            let (inputs, industry) = ts.score_inputs(self.store.now_for(&tenant.id)).await?;
            scored.push((compute(cat, &inputs), industry));
        }
        let peers: Vec<(Date, Peer)> = scored
            .iter()
            .map(|(s, industry)| (day_of(s.created_date_time), peer_of(s, industry.clone())))
            .collect();
        for ((score, _), (day, me)) in scored.iter_mut().zip(&peers) {
            let same_day: Vec<Peer> = peers
                .iter()
                .filter(|(d, _)| d == day)
                .map(|(_, p)| p.clone())
                .collect();
            score.average_comparative_scores = averages(me, &same_day);
        }
        let tenants = scored.len();
        self.store
            .write(move |tx| {
                for (score, industry) in &scored {
                    put_score(tx, score, industry.as_deref())?;
                }
                Ok(())
            })
            .await?;
        let pruned = self.prune(retention_days).await?;
        Ok(SnapshotRun {
            day: day_of(self.store.clock().now()),
            tenants,
            pruned,
        })
    }

    /// Deletes every tenant's snapshots older than `retention_days` days of its today (today
    /// counts as the first day; 0 keeps everything); returns how many.
    pub async fn prune(&self, retention_days: u32) -> Result<usize, StoreError> {
        if retention_days == 0 {
            return Ok(0);
        }
        let kept = Duration::days(i64::from(retention_days) - 1);
        let scopes = self.store.time_scopes();
        self.store
            .write(move |tx| {
                let mut pruned = 0;
                for scope in &scopes {
                    pruned += prune(tx, day_of(scope.now) - kept, scope)?;
                }
                Ok(pruned)
            })
            .await
    }
}

/// The snapshot as comparisons see it.
fn peer_of(score: &SecureScore, industry: Option<String>) -> Peer {
    Peer {
        tenant: score.azure_tenant_id.clone(),
        current_score: score.current_score,
        licensed_user_count: score.licensed_user_count,
        industry,
    }
}

/// The UTC day of `t`.
fn day_of(t: OffsetDateTime) -> Date {
    t.to_offset(UtcOffset::UTC).date()
}

fn day_text(day: Date) -> String {
    model::secure_score::score::day_text(day)
}
