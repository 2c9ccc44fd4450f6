//! Pull mode (`docs/provider-protocol.md`, Pull): secgraph polls every pull-mode provider for every
//! tenant that consented to the provider's application, `GET {base}/alerts?tenantId=…&cursor=…`,
//! on a schedule, with backoff after failures.
//!
//! **A round** ([`PullScheduler::run_once`]) visits each such (provider, tenant) pair not backing
//! off and fetches pages from the cursor held in the provider's health for the tenant. Each page's
//! alerts are stored through the one ingest path (`TenantStore::push_alerts` with
//! `Arrival::Pull`, the push ordering rules) and **only then** is the page's `nextCursor` stored,
//! so a crash between the two re-fetches a page whose versions are already stored: `unchanged`,
//! nothing moves. `hasMore: true` fetches the next page at once, up to
//! [`PullOptions::max_pages_per_round`]; `hasMore: false` ends the pair's round, keeping the page's
//! `nextCursor` or, when it has none, the cursor held. An empty page is stored too, so the health's
//! `last_pull` says when the provider was last polled successfully. Items the store rejects are
//! counted in the report and logged; they do not fail the poll.
//!
//! **Failures** — the call failed, the page is invalid, the store refused a write — are recorded
//! in the provider's health for the tenant (`record_error`) and the pair waits per the protocol's
//! [`Backoff`] (retry `n` waits between half the ceiling and the ceiling; the jitter is drawn from
//! the thread's random generator), or until the provider's `Retry-After` if that is later (capped
//! at the backoff's maximum). The count of failures resets on the next successful poll. Backoff
//! state lives in memory: a restarted secgraph polls every pair at once.
//!
//! **Time.** Scheduling and everything stored use the store's clock. The signature's
//! `X-Secgraph-Timestamp` uses the wall clock, as the callbacks do: the provider checks it against
//! its own clock.
//!
//! **The loop** ([`PullScheduler::spawn`]) runs rounds until stopped; unlike `run_once`, it polls a
//! caught-up pair again only after [`PullOptions::interval`], a pair with more pages at once, and a
//! failed pair once its backoff has passed, sleeping until the earliest of these (at most an
//! interval, so new consents and providers are picked up).

mod report;

pub use report::{Outcomes, PairReport, PairStatus, PullRound};

use crate::callbacks::target;
use crate::{CallFailure, OutboundClient};
use futures::stream::{self, StreamExt};
use model::TenantId;
use provider_protocol::{Backoff, ProviderMode};
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use store::providers::Arrival;
use store::{Provider, Store, StoreError};
use time::OffsetDateTime;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Pairs polled at once within a round.
const CONCURRENT_POLLS: usize = 8;

/// How the scheduler polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PullOptions {
    /// How long a caught-up pair waits before its next poll (the loop's round period).
    pub interval: Duration,
    /// The retry schedule after a failed poll.
    pub backoff: Backoff,
    /// Most pages fetched for one pair in one round, so one provider with a large backlog cannot
    /// hold a round for ever; the rest follows in the next round, at once.
    pub max_pages_per_round: u32,
}

impl Default for PullOptions {
    /// Every 30 s, the protocol's default backoff, 100 pages a round.
    fn default() -> Self {
        PullOptions {
            interval: Duration::from_secs(30),
            backoff: Backoff::default(),
            max_pages_per_round: 100,
        }
    }
}

/// One provider to poll for one tenant.
struct Pair {
    provider: Provider,
    tenant: TenantId,
}

type PairKey = (String, TenantId);

/// A pair's schedule between rounds.
#[derive(Debug, Clone, Copy)]
struct PairState {
    /// Failed polls in a row (0 after a success).
    failures: u32,
    /// When the pair may be polled next (store clock).
    due: OffsetDateTime,
}

/// Why a poll failed.
struct PollFailure {
    message: String,
    /// The provider's `Retry-After`, on the wall clock.
    retry_at: Option<OffsetDateTime>,
}

impl From<CallFailure> for PollFailure {
    fn from(f: CallFailure) -> Self {
        PollFailure {
            message: f.message,
            retry_at: f.retry_at,
        }
    }
}

impl From<StoreError> for PollFailure {
    fn from(e: StoreError) -> Self {
        PollFailure {
            message: format!("storing the page failed: {e}"),
            retry_at: None,
        }
    }
}

/// Which pairs a round visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    /// Every pair not backing off ([`PullScheduler::run_once`]).
    AllReady,
    /// Only pairs whose time has come (the loop).
    Due,
}

/// Polls pull-mode providers (see the module docs).
#[derive(Debug)]
pub struct PullScheduler {
    store: Store,
    client: OutboundClient,
    options: PullOptions,
    state: Mutex<HashMap<PairKey, PairState>>,
}

impl PullScheduler {
    /// A scheduler storing into `store` and calling out through `client`.
    pub fn new(store: Store, client: OutboundClient, options: PullOptions) -> Self {
        PullScheduler {
            store,
            client,
            options,
            state: Mutex::new(HashMap::new()),
        }
    }

    /// Runs one round now: polls every (pull provider, consenting tenant) pair that is not backing
    /// off, whatever the interval, and reports what happened.
    pub async fn run_once(&self) -> PullRound {
        self.round(Visit::AllReady).await
    }

    /// Runs rounds until `stop` turns true (or its sender is dropped); a round under way finishes
    /// first. See the module docs for the schedule.
    pub fn spawn(self, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
        tokio::spawn(async move {
            while !stopped(&stop) {
                let round = self.round(Visit::Due).await;
                round.log();
                if pause(&mut stop, self.next_wait()).await {
                    break;
                }
            }
        })
    }

    async fn round(&self, visit: Visit) -> PullRound {
        let pairs = match self.pairs().await {
            Ok(pairs) => pairs,
            Err(e) => {
                return PullRound {
                    pairs: Vec::new(),
                    error: Some(format!("the pulled providers could not be listed: {e}")),
                }
            }
        };
        self.forget_gone(&pairs);
        let mut reports: Vec<PairReport> = stream::iter(pairs)
            .map(|pair| self.visit(pair, visit))
            .buffer_unordered(CONCURRENT_POLLS)
            .filter_map(|r| async move { r })
            .collect()
            .await;
        reports.sort_by(|a, b| (&a.provider, &a.tenant_id).cmp(&(&b.provider, &b.tenant_id)));
        PullRound {
            pairs: reports,
            error: None,
        }
    }

    /// Every pull-mode provider with each tenant that consented to its application.
    async fn pairs(&self) -> Result<Vec<Pair>, StoreError> {
        let providers = self.store.providers().list().await?;
        let pulled: Vec<Provider> = providers
            .into_iter()
            .filter(|p| p.mode() == ProviderMode::Pull)
            .collect();
        if pulled.is_empty() {
            return Ok(Vec::new());
        }
        let consents = self.store.identity().list_consents(None).await?;
        let mut pairs = Vec::new();
        for provider in &pulled {
            for c in consents
                .iter()
                .filter(|c| c.client_id == provider.client_id)
            {
                pairs.push(Pair {
                    provider: provider.clone(),
                    tenant: c.tenant_id.clone(),
                });
            }
        }
        Ok(pairs)
    }

    /// Drops the schedule of pairs that no longer exist (consent withdrawn, provider removed).
    fn forget_gone(&self, pairs: &[Pair]) {
        let live: HashSet<PairKey> = pairs.iter().map(key).collect();
        self.lock().retain(|k, _| live.contains(k));
    }

    /// Polls `pair` unless it must wait; `None` when it was not due (the loop only).
    async fn visit(&self, pair: Pair, visit: Visit) -> Option<PairReport> {
        let now = self.store.clock().now();
        let state = self.lock().get(&key(&pair)).copied();
        let mut report = PairReport {
            provider_id: pair.provider.id.clone(),
            provider: pair.provider.name().to_owned(),
            tenant_id: pair.tenant.clone(),
            pages: 0,
            outcomes: Outcomes::default(),
            status: PairStatus::CaughtUp,
        };
        if let Some(s) = state.filter(|s| s.due > now) {
            if s.failures > 0 {
                report.status = PairStatus::BackingOff { until: s.due };
                return Some(report);
            }
            if visit == Visit::Due {
                return None;
            }
        }
        report.status = match self.fetch(&pair, &mut report).await {
            Ok(true) => {
                self.succeeded(&pair, Duration::ZERO);
                PairStatus::MorePending
            }
            Ok(false) => {
                self.succeeded(&pair, self.options.interval);
                PairStatus::CaughtUp
            }
            Err(f) => self.failed(&pair, f).await,
        };
        Some(report)
    }

    /// Fetches and stores pages for `pair`; true when the page limit stopped it with more waiting.
    async fn fetch(&self, pair: &Pair, report: &mut PairReport) -> Result<bool, PollFailure> {
        let provider = &pair.provider;
        let keys = provider.signing_keys()?;
        let target = target(provider, &keys);
        let mut cursor = self.held_cursor(pair).await?;
        let tenant = self.store.tenant(&pair.tenant);
        for _ in 0..self.options.max_pages_per_round {
            let wall = OffsetDateTime::now_utc().unix_timestamp();
            let page = self
                .client
                .pull(&target, pair.tenant.as_str(), cursor.as_deref(), wall)
                .await?;
            let results = tenant
                .push_alerts(provider, page.alerts, Arrival::Pull)
                .await?;
            report.pages += 1;
            let before = report.outcomes.rejected;
            report.outcomes.count(&results);
            log_rejected(pair, &results, report.outcomes.rejected - before);
            if let Some(next) = page.next_cursor.filter(|n| cursor.as_ref() != Some(n)) {
                self.store
                    .providers()
                    .set_pull_cursor(&pair.tenant, &provider.id, &next)
                    .await?;
                cursor = Some(next);
            }
            if !page.has_more {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The cursor held for `pair` (none before its first stored page).
    async fn held_cursor(&self, pair: &Pair) -> Result<Option<String>, StoreError> {
        let health = self.store.providers().health(&pair.tenant).await?;
        Ok(health
            .into_iter()
            .find(|h| h.provider_id == pair.provider.id)
            .and_then(|h| h.pull_cursor))
    }

    /// Resets the pair's failures; its next poll is `after` from now.
    fn succeeded(&self, pair: &Pair, after: Duration) {
        let due = self.store.clock().now() + after;
        self.lock()
            .insert(key(pair), PairState { failures: 0, due });
    }

    /// Records the failure in the provider's health and schedules the pair's retry.
    async fn failed(&self, pair: &Pair, f: PollFailure) -> PairStatus {
        let message = format!("pull failed: {}", f.message);
        tracing::warn!(provider = %pair.provider.name(), tenant = %pair.tenant, error = %message,
            "polling a provider failed");
        if let Err(e) = self
            .store
            .providers()
            .record_error(&pair.tenant, &pair.provider.id, &message)
            .await
        {
            tracing::warn!(error = %e, "recording a provider failure failed");
        }
        let failures = self.lock().get(&key(pair)).map_or(0, |s| s.failures);
        let backoff = self.options.backoff;
        let mut wait = backoff.delay(failures, rand::random::<f64>());
        if let Some(at) = f.retry_at {
            let asked = (at - OffsetDateTime::now_utc()).max(time::Duration::ZERO);
            let asked = Duration::try_from(asked).unwrap_or_default();
            wait = wait.max(asked.min(backoff.ceiling(u32::MAX)));
        }
        let retry_at = self.store.clock().now() + wait;
        let state = PairState {
            failures: failures.saturating_add(1),
            due: retry_at,
        };
        self.lock().insert(key(pair), state);
        PairStatus::Failed { message, retry_at }
    }

    /// How long the loop sleeps: until the earliest pair is due, at most an interval.
    fn next_wait(&self) -> Duration {
        let now = self.store.clock().now();
        let earliest = self.lock().values().map(|s| s.due).min();
        let until = earliest.map_or(self.options.interval, |due| {
            Duration::try_from((due - now).max(time::Duration::ZERO)).unwrap_or_default()
        });
        until.min(self.options.interval)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PairKey, PairState>> {
        // The map holds plain schedule data; a panic elsewhere cannot leave it half-written.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn key(pair: &Pair) -> PairKey {
    (pair.provider.id.clone(), pair.tenant.clone())
}

fn log_rejected(pair: &Pair, results: &[provider_protocol::AlertResult], rejected: usize) {
    if rejected == 0 {
        return;
    }
    let first = results
        .iter()
        .find_map(|r| r.reason.as_deref())
        .unwrap_or_default();
    tracing::warn!(provider = %pair.provider.name(), tenant = %pair.tenant, rejected,
        first_reason = %first, "a pulled page held alerts the store rejected");
}

/// True when a stop was requested or nobody can request one any more.
fn stopped(stop: &watch::Receiver<bool>) -> bool {
    stop.has_changed().is_err() || *stop.borrow()
}

/// Waits `d` or until a stop is requested; true when stopped.
async fn pause(stop: &mut watch::Receiver<bool>, d: Duration) -> bool {
    if stopped(stop) {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(d) => stopped(stop),
        changed = stop.changed() => changed.is_err() || *stop.borrow(),
    }
}
