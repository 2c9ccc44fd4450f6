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
//! a wrong index.
//!
//! What is indexed: active indicators (`isActive`), each observable value once, with the
//! indicator's action (`allow`, `block`; `alert` and an absent action index as `alert`;
//! `passiveOnly` indicators never block, so their `block` indexes as `alert`) and its expiry to the
//! second. Each indexing of an indicator gets a fresh matcher key; [`TenantIndex::indicator_id`]
//! maps keys back to indicator ids.

use crate::error::StoreError;
use crate::events::StoreEvent;
use crate::handle::Store;
use crate::indicators::StoredIndicator;
use matcher::{Action, Entry, Matcher, Observable, SnapshotBuilder, SnapshotGuard};
use model::indicator::{ObservableValue, TiAction, TiIndicator};
use model::TenantId;
use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::Mutex;

/// How long the follower waits after an indicator event before catching up (see
/// [`IndicatorIndex::follow`]): well under the one second within which every node must match with
/// a change.
const OWN_WRITE_GRACE: std::time::Duration = std::time::Duration::from_millis(50);

/// Most log entries read per catch-up step.
const LOG_BATCH: u32 = 10_000;

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
}

/// One tenant's hits since the last flush: indicator -> (count, latest).
type HitCounts = HashMap<Arc<str>, (u64, OffsetDateTime)>;

/// A tenant's background re-match of its alerts: at most one runs; changes that arrive while it
/// runs make it run once more.
#[derive(Default)]
struct Rematch {
    running: std::sync::atomic::AtomicBool,
    again: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for IndicatorIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndicatorIndex")
            .field("tenants", &self.inner.tenants.read().len())
            .finish()
    }
}

/// One tenant's index.
pub struct TenantIndex {
    tenant: TenantId,
    matcher: Matcher,
    /// Matcher key -> indicator id (keys are dense; a removed indicator's key maps to `None`).
    ids: RwLock<Vec<Option<Arc<str>>>>,
    /// The writer's state: serialises catch-ups.
    writer: Mutex<WriterState>,
    rematch: Rematch,
}

#[derive(Default)]
struct WriterState {
    /// The change-log position the index reflects.
    seq: i64,
    /// Indicator id -> its current matcher key.
    keys: HashMap<Arc<str>, u32>,
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
        Ok(())
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

impl TenantIndex {
    fn new(tenant: TenantId) -> Self {
        TenantIndex {
            tenant,
            matcher: Matcher::default(),
            ids: RwLock::new(Vec::new()),
            writer: Mutex::new(WriterState {
                seq: -1,
                keys: HashMap::new(),
            }),
            rematch: Rematch::default(),
        }
    }

    /// The current snapshot (lock-free; hold it only for one request's lookups).
    pub fn snapshot(&self) -> SnapshotGuard {
        self.matcher.load()
    }

    /// The id of the indicator a matcher key stands for.
    pub fn indicator_id(&self, key: u32) -> Option<Arc<str>> {
        self.ids.read().get(key as usize).cloned().flatten()
    }

    /// The change-log position the index reflects.
    pub async fn sequence(&self) -> i64 {
        self.writer.lock().await.seq
    }

    /// Loads the index (first call) or applies the change log after its position. Returns the
    /// ids of the indicators the log (re)indexed (created or changed and still active).
    async fn catch_up(&self, store: &Store) -> Result<Vec<Arc<str>>, StoreError> {
        let mut state = self.writer.lock().await;
        let indicators = store.tenant(&self.tenant).all_indicators();
        if state.seq < 0 {
            let seq = indicators.sequence().await?;
            let rows = indicators.unexpired(store.clock().now()).await?;
            self.load(&mut state, rows)?;
            state.seq = seq;
        }
        let mut indexed = Vec::new();
        loop {
            let changes = indicators.changes_since(state.seq, LOG_BATCH).await?;
            let Some(last) = changes.last() else {
                return Ok(indexed);
            };
            let last = last.seq;
            let mut ids: Vec<String> = changes.into_iter().map(|c| c.indicator_id).collect();
            ids.sort();
            ids.dedup();
            let rows = indicators.get_many(&ids).await?;
            indexed.extend(self.apply(&mut state, &ids, rows)?);
            state.seq = last;
        }
    }

    /// Builds a fresh snapshot of `rows`.
    fn load(&self, state: &mut WriterState, rows: Vec<StoredIndicator>) -> Result<(), StoreError> {
        let mut builder = SnapshotBuilder::new();
        let mut ids = Vec::with_capacity(rows.len());
        state.keys.clear();
        for row in rows {
            let key = next_key(&ids)?;
            let Some((id, entries)) = indexable(&row, key)? else {
                continue;
            };
            for (value, entry) in &entries {
                builder
                    .insert(observable(value), *entry)
                    .map_err(|e| StoreError::Corrupt(format!("indicator {id}: {e}")))?;
            }
            state.keys.insert(id.clone(), key);
            ids.push(Some(id));
        }
        *self.ids.write() = ids;
        self.matcher.store(builder.build());
        Ok(())
    }

    /// Replaces the entries of the indicators `changed` with those of `rows` (the ones still
    /// stored).
    fn apply(
        &self,
        state: &mut WriterState,
        changed: &[String],
        rows: Vec<StoredIndicator>,
    ) -> Result<Vec<Arc<str>>, StoreError> {
        let removed: Vec<u32> = changed
            .iter()
            .filter_map(|id| state.keys.remove(id.as_str()))
            .collect();
        let mut added: Vec<(ObservableValue, Entry)> = Vec::new();
        let mut indexed = Vec::new();
        let mut ids = self.ids.write();
        for key in &removed {
            if let Some(slot) = ids.get_mut(*key as usize) {
                *slot = None;
            }
        }
        for row in rows {
            let key = next_key(&ids)?;
            if let Some((id, entries)) = indexable(&row, key)? {
                added.extend(entries);
                state.keys.insert(id.clone(), key);
                indexed.push(id.clone());
                ids.push(Some(id));
            }
        }
        drop(ids);
        self.matcher
            .update(&removed, added.iter().map(|(v, e)| (observable(v), *e)))
            .map_err(|e| StoreError::Corrupt(format!("indicator index update: {e}")))?;
        Ok(indexed)
    }
}

impl TenantIndex {
    /// Adds indicators that are new to the index (no old entries to remove); returns the ids
    /// indexed.
    fn apply_typed(
        &self,
        state: &mut WriterState,
        created: Vec<(Arc<str>, TiIndicator)>,
    ) -> Result<Vec<Arc<str>>, StoreError> {
        let mut added: Vec<(ObservableValue, Entry)> = Vec::new();
        let mut indexed = Vec::new();
        let mut ids = self.ids.write();
        for (id, indicator) in created {
            let key = next_key(&ids)?;
            if let Some(entries) = entries_of(&indicator, key) {
                added.extend(entries);
                state.keys.insert(id.clone(), key);
                indexed.push(id.clone());
                ids.push(Some(id));
            }
        }
        drop(ids);
        self.matcher
            .update(&[], added.iter().map(|(v, e)| (observable(v), *e)))
            .map_err(|e| StoreError::Corrupt(format!("indicator index update: {e}")))?;
        Ok(indexed)
    }
}

/// The next unused matcher key.
fn next_key(ids: &[Option<Arc<str>>]) -> Result<u32, StoreError> {
    u32::try_from(ids.len())
        .map_err(|_| StoreError::Rejected("a tenant's indicator index is full".into()))
}

/// An indicator's id and its matcher entries.
type Indexed = (Arc<str>, Vec<(ObservableValue, Entry)>);

/// The id and the matcher entries of an indicator, or `None` when it is not active.
fn indexable(row: &StoredIndicator, key: u32) -> Result<Option<Indexed>, StoreError> {
    let indicator: TiIndicator = serde_json::from_value(serde_json::Value::Object(row.doc.clone()))
        .map_err(|e| StoreError::Corrupt(format!("indicator {}: {e}", row.id)))?;
    Ok(entries_of(&indicator, key).map(|entries| (Arc::from(row.id.as_str()), entries)))
}

/// The matcher entries of an indicator under `key`, or `None` when it is not active.
fn entries_of(indicator: &TiIndicator, key: u32) -> Option<Vec<(ObservableValue, Entry)>> {
    let body = &indicator.body;
    if !body.is_active {
        return None;
    }
    let action = match (body.action, body.passive_only) {
        (Some(TiAction::Allow), _) => Action::Allow,
        (Some(TiAction::Block), false) => Action::Block,
        _ => Action::Alert,
    };
    let expires = body.expiration_date_time.unix_timestamp();
    let entry = Entry::new(key, action, expires);
    Some(
        indicator
            .observables()
            .into_iter()
            .map(|o| (o.value, entry))
            .collect(),
    )
}

/// The matcher's view of a normalised value.
pub fn observable(value: &ObservableValue) -> Observable<'_> {
    match value {
        ObservableValue::Ip(ip) => Observable::Ip(*ip),
        ObservableValue::Cidr(ip, prefix) => Observable::Cidr(*ip, *prefix),
        ObservableValue::Domain(d) => Observable::Domain(d),
        ObservableValue::Url(u) => Observable::Url(u),
        ObservableValue::Hash(_, h) => Observable::Hash(h),
        ObservableValue::Email(e) => Observable::Email(e),
    }
}
