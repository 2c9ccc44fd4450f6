//! [`IndicatorIndex`]: this node's live threat-indicator index, one [`matcher::Matcher`] per
//! tenant, kept current from the store.
//!
//! A tenant's index is built on first use from its unexpired indicators and then follows the
//! tenant's indicator change log (`ti_indicator_changes`): every [`StoreEvent::Indicators`] — from
//! this node's writes or, on PostgreSQL, any node's — wakes [`IndicatorIndex::follow`], which reads
//! the log after the index's position, re-reads the changed indicators and swaps in a snapshot with
//! their old entries removed and their current ones added. Readers never wait: they load the
//! current snapshot lock-free. Because the log is durable and gap-free, a missed or late event
//! (a lagging subscriber, a reconnected feed: [`StoreEvent::Resync`]) costs only a catch-up, never
//! a wrong index. The node that writes new indicators indexes them from the values it holds
//! ([`IndicatorIndex::apply_created`]) instead of reading them back; its follower waits a moment
//! after an event so that it then finds nothing left to read. Each loaded tenant's log is also
//! polled once a second (writes by another process on the same SQLite file announce nothing here).
//!
//! What is indexed: active indicators (`isActive`), each observable value once, with the
//! indicator's action (`allow`, `block`; `alert` and an absent action index as `alert`;
//! `passiveOnly` indicators never block, so their `block` indexes as `alert`) and its expiry to the
//! second. Each indexing of an indicator gets a fresh matcher key; [`TenantIndex::indicator_id`]
//! maps keys back to indicator ids.

use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::handle::Store;
use model::indicator::TiIndicator;
use model::TenantId;
use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::sync::broadcast::error::RecvError;

mod tenant;

pub use tenant::{observable, TenantIndex};

/// How long the follower waits after an indicator event before catching up (see
/// [`IndicatorIndex::follow`]): well under the one second within which every node must match with
/// a change.
const OWN_WRITE_GRACE: std::time::Duration = std::time::Duration::from_millis(50);

/// Most log entries read per catch-up step.
pub(super) const LOG_BATCH: u32 = 10_000;

/// Every loaded tenant's index on this node (cheap to clone).
#[derive(Clone)]
pub struct IndicatorIndex {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    tenants: RwLock<HashMap<TenantId, Arc<TenantIndex>>>,
    /// Seconds of the detection window (one alert per indicator and value per window).
    window: std::sync::atomic::AtomicI64,
    /// Hits counted since the last flush: tenant -> indicator -> (count, latest).
    hits: parking_lot::Mutex<HashMap<TenantId, HitCounts>>,
    /// Set once [`IndicatorIndex::load_all`] has loaded every tenant (readiness).
    all_loaded: std::sync::atomic::AtomicBool,
}

/// One tenant's hits since the last flush: indicator -> (count, latest).
type HitCounts = HashMap<Arc<str>, (u64, OffsetDateTime)>;

/// A tenant's background re-match of its alerts: at most one runs; changes that arrive while it
/// runs make it run once more.
#[derive(Default)]
pub(crate) struct Rematch {
    pub(crate) running: std::sync::atomic::AtomicBool,
    pub(crate) again: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for IndicatorIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndicatorIndex")
            .field("tenants", &self.inner.tenants.read().len())
            .finish()
    }
}

impl IndicatorIndex {
    /// This node's index over `store`, running: the enrichment hook registered, every tenant
    /// loaded, and a task following the change feed (call once per process, inside a runtime).
    pub async fn start(store: &Store) -> Result<IndicatorIndex, StoreError> {
        let index = IndicatorIndex::new(store.clone());
        store.add_hook(index.enrichment_hook());
        index.load_all().await?;
        tokio::spawn(index.clone().follow());
        Ok(index)
    }

    /// An empty index over `store` (tenants load on first use).
    pub fn new(store: Store) -> Self {
        IndicatorIndex {
            inner: Arc::new(Inner {
                store,
                tenants: RwLock::new(HashMap::new()),
                window: std::sync::atomic::AtomicI64::new(
                    crate::detections::DEFAULT_WINDOW_SECONDS,
                ),
                hits: parking_lot::Mutex::new(HashMap::new()),
                all_loaded: std::sync::atomic::AtomicBool::new(false),
            }),
        }
    }

    /// The index of `tenant`, built from the store on first use.
    pub async fn tenant(&self, tenant: &TenantId) -> Result<Arc<TenantIndex>, StoreError> {
        if let Some(index) = self.loaded(tenant) {
            return Ok(index);
        }
        let index = {
            let mut tenants = self.inner.tenants.write();
            tenants
                .entry(tenant.clone())
                .or_insert_with(|| Arc::new(TenantIndex::new(tenant.clone())))
                .clone()
        };
        index.catch_up(&self.inner.store).await?;
        Ok(index)
    }

    /// The length of the detection window in seconds.
    pub fn detection_window(&self) -> i64 {
        self.inner.window.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Sets the length of the detection window (at startup, from the configuration).
    pub fn set_detection_window(&self, seconds: i64) {
        self.inner
            .window
            .store(seconds.max(1), std::sync::atomic::Ordering::Relaxed);
    }

    /// Counts matches of `tenant`'s indicators at `at`. Counts are kept in memory and written to
    /// the indicators' `hitCount`/`lastHitDateTime` about once a second by [`follow`](Self::follow)
    /// (statistics: a crash loses at most the last second's counts).
    pub fn count_hits(
        &self,
        tenant: &TenantId,
        hits: impl IntoIterator<Item = Arc<str>>,
        at: OffsetDateTime,
    ) {
        let mut all = self.inner.hits.lock();
        let counts = all.entry(tenant.clone()).or_default();
        for id in hits {
            let slot = counts.entry(id).or_insert((0, at));
            slot.0 += 1;
            slot.1 = slot.1.max(at);
        }
    }

    /// Writes the hits counted since the last flush.
    pub async fn flush_hits(&self) -> Result<(), StoreError> {
        let pending = std::mem::take(&mut *self.inner.hits.lock());
        for (tenant, counts) in pending {
            let hits = counts
                .into_iter()
                .map(|(id, (n, at))| (id.to_string(), n, at))
                .collect();
            self.inner
                .store
                .tenant(&tenant)
                .all_indicators()
                .record_hits(hits)
                .await?;
        }
        Ok(())
    }

    /// The index of `tenant` if this node has loaded it (synchronous: for ingest hooks).
    pub fn loaded(&self, tenant: &TenantId) -> Option<Arc<TenantIndex>> {
        self.inner.tenants.read().get(tenant).cloned()
    }

    /// Loads the index of every tenant (at startup, so that enrichment never sees an unloaded
    /// tenant that has indicators).
    pub async fn load_all(&self) -> Result<(), StoreError> {
        for tenant in self.inner.store.identity().list_tenants().await? {
            self.tenant(&tenant.id).await?;
        }
        self.inner
            .all_loaded
            .store(true, std::sync::atomic::Ordering::Release);
        Ok(())
    }

    /// Whether every tenant's index has been loaded ([`IndicatorIndex::load_all`] finished).
    pub fn is_loaded(&self) -> bool {
        self.inner
            .all_loaded
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// How many tenants this node has loaded, and how many indicator entries (observable values
    /// that can match, expired ones included until they are swept) their matchers hold.
    pub fn size(&self) -> (usize, usize) {
        let tenants = self.inner.tenants.read();
        let entries = tenants.values().map(|t| t.snapshot().len()).sum();
        (tenants.len(), entries)
    }

    /// The ingest hook that enriches alerts from this index (register it with
    /// [`Store::add_hook`]).
    pub fn enrichment_hook(&self) -> Arc<dyn crate::hooks::IngestHook> {
        Arc::new(crate::enrichment::EnrichmentHook {
            index: self.clone(),
        })
    }

    /// Brings `tenant`'s index up to the store's change log (loading it if this node has not yet)
    /// and, when anything changed, re-matches the tenant's alerts in the background.
    pub async fn refresh(&self, tenant: &TenantId) -> Result<(), StoreError> {
        let (index, fresh) = match self.loaded(tenant) {
            Some(index) => (index, false),
            None => (self.tenant(tenant).await?, true),
        };
        let before = index.sequence().await;
        let indexed = index.catch_up(&self.inner.store).await?;
        let changed = fresh || index.sequence().await != before;
        self.after_change(index, changed, indexed);
        Ok(())
    }

    /// Indexes indicators this node just created — `created` as (id, indicator) in the order
    /// stored, taking positions `first..=last` of the tenant's change log — without reading them
    /// back, when the index is exactly at `first - 1`; otherwise catches up from the log.
    pub async fn apply_created(
        &self,
        tenant: &TenantId,
        (first, last): (i64, i64),
        created: Vec<(Arc<str>, TiIndicator)>,
    ) -> Result<(), StoreError> {
        let Some(index) = self.loaded(tenant) else {
            return self.refresh(tenant).await;
        };
        let indexed = {
            let mut state = index.writer.lock().await;
            if state.seq != first - 1 {
                drop(state);
                return self.refresh(tenant).await;
            }
            let indexed = index.apply_typed(&mut state, created)?;
            state.seq = last;
            indexed
        };
        self.after_change(index, true, indexed);
        Ok(())
    }

    /// What follows a change of a tenant's index: re-matching its alerts (when anything changed)
    /// and back-matching kept events against the indicators (re)indexed.
    fn after_change(&self, index: Arc<TenantIndex>, changed: bool, indexed: Vec<Arc<str>>) {
        if changed {
            self.rematch(index.clone());
        }
        let tenant = index.tenant.clone();
        if !indexed.is_empty() {
            let store = self.inner.store.tenant(&tenant);
            let window = self.detection_window();
            tokio::spawn(async move {
                match store.back_match(&index, &indexed, window).await {
                    Ok(0) => {}
                    Ok(n) => {
                        tracing::info!(tenant = %index.tenant.as_str(), alerts = n, "kept events matched new indicators")
                    }
                    Err(e) => {
                        tracing::warn!(tenant = %index.tenant.as_str(), error = %e, "back-matching kept events failed")
                    }
                }
            });
        }
    }

    /// Starts (or asks for one more run of) the background re-match of `index`'s tenant.
    fn rematch(&self, index: Arc<TenantIndex>) {
        use std::sync::atomic::Ordering::SeqCst;
        index.rematch.again.store(true, SeqCst);
        if index.rematch.running.swap(true, SeqCst) {
            return;
        }
        let store = self.inner.store.tenant(&index.tenant);
        tokio::spawn(async move {
            loop {
                while index.rematch.again.swap(false, SeqCst) {
                    match store.rematch_alerts(&index).await {
                        Ok(n) if n > 0 => {
                            tracing::info!(tenant = %index.tenant.as_str(), alerts = n, "alerts re-matched against changed indicators")
                        }
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(tenant = %index.tenant.as_str(), error = %e, "re-matching alerts failed")
                        }
                    }
                }
                index.rematch.running.store(false, SeqCst);
                // A request that arrived after the last check but saw `running` still set is
                // served here, unless a new task took it.
                if !index.rematch.again.load(SeqCst) || index.rematch.running.swap(true, SeqCst) {
                    return;
                }
            }
        });
    }

    /// Follows the store's change feed until it closes, refreshing tenants whose indicators
    /// changed (every loaded tenant after a resync or a lag). Also polls every loaded tenant's
    /// change log once a second, so writes that announce nowhere this node hears — another process
    /// on the same SQLite file, such as `secgraph indicators import` — are live within a second too.
    /// Spawn it once per node.
    pub async fn follow(self) {
        let mut events = self.inner.store.subscribe();
        let mut poll = tokio::time::interval(std::time::Duration::from_secs(1));
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let stale: Vec<TenantId> = tokio::select! {
                event = events.recv() => match event {
                    Ok(StoreEvent::Indicators { tenant, .. }) => {
                        // The node that wrote indexes its own write from the values it holds
                        // (`apply_created`) right after the commit; give it that moment, so that
                        // this catch-up finds nothing to re-read, and fold in what else arrived.
                        tokio::time::sleep(OWN_WRITE_GRACE).await;
                        let mut stale = vec![tenant];
                        while let Ok(StoreEvent::Indicators { tenant, .. }) = events.try_recv() {
                            if !stale.contains(&tenant) {
                                stale.push(tenant);
                            }
                        }
                        stale
                    }
                    Ok(StoreEvent::Resync) | Err(RecvError::Lagged(_)) => self.loaded_tenants(),
                    Ok(_) => continue,
                    Err(RecvError::Closed) => return,
                },
                _ = poll.tick() => {
                    if let Err(e) = self.flush_hits().await {
                        tracing::warn!(error = %e, "recording indicator hits failed");
                    }
                    self.loaded_tenants()
                }
            };
            for tenant in stale {
                if let Err(e) = self.refresh(&tenant).await {
                    tracing::warn!(tenant = %tenant.as_str(), error = %e, "indicator index refresh failed");
                }
            }
        }
    }

    fn loaded_tenants(&self) -> Vec<TenantId> {
        self.inner.tenants.read().keys().cloned().collect()
    }
}
