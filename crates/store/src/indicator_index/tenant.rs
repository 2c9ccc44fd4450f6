//! [`TenantIndex`]: one tenant's matcher and the writer side that keeps it current — the first load
//! from the store, applying the change log, and indexing a node's own new indicators directly.

use super::{Rematch, LOG_BATCH};
use crate::error::StoreError;
use crate::handle::Store;
use crate::indicators::StoredIndicator;
use matcher::{Action, Entry, Matcher, Observable, SnapshotBuilder, SnapshotGuard};
use model::indicator::{ObservableValue, TiAction, TiIndicator};
use model::TenantId;
use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Mutex;

/// One tenant's index.
pub struct TenantIndex {
    pub(super) tenant: TenantId,
    pub(super) matcher: Matcher,
    /// Matcher key -> indicator id (keys are dense; a removed indicator's key maps to `None`).
    pub(super) ids: RwLock<Vec<Option<Arc<str>>>>,
    /// The writer's state: serialises catch-ups.
    pub(super) writer: Mutex<WriterState>,
    pub(super) rematch: Rematch,
}

#[derive(Default)]
pub(super) struct WriterState {
    /// The change-log position the index reflects.
    pub(super) seq: i64,
    /// Indicator id -> its current matcher key.
    pub(super) keys: HashMap<Arc<str>, u32>,
}

impl TenantIndex {
    pub(super) fn new(tenant: TenantId) -> Self {
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
    pub(super) async fn catch_up(&self, store: &Store) -> Result<Vec<Arc<str>>, StoreError> {
        let mut state = self.writer.lock().await;
        let indicators = store.tenant(&self.tenant).all_indicators();
        if state.seq < 0 {
            let seq = indicators.sequence().await?;
            // The earlier of the two: an indicator expired in a tenant clock set ahead still matches
            // once that clock is reset (matching itself checks expiry at each call's time).
            let since = store.clock().now().min(store.now_for(&self.tenant));
            let rows = indicators.unexpired(since).await?;
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
    pub(super) fn apply_typed(
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
