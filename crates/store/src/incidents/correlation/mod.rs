//! Correlation inside the write path: every alert write of every tenant runs through the tenant's
//! `correlate::Engine`, in the write transaction, so `alerts_v2.incidentId` (and
//! `incidentWebUrl`) is always set and incidents commit with the alerts that form them.
//!
//! [`Correlation`] is an [`IngestHook`] every [`Store`](crate::Store) registers when it opens:
//!
//! 1. `before_write` puts a placeholder incident id into the alert (the encoding happens before
//!    the transaction, and only the engine, under the tenant's write, knows the real one);
//! 2. `begin_job` makes sure the tenant's engine matches the database (`load`), rebuilding it when
//!    it does not, and stamps a fresh correlation version;
//! 3. `settle` correlates the alert (`Engine::ingest`), and has the store substitute its incident
//!    id for the placeholder in the already encoded row;
//! 4. `finish_job` applies what the engine decided (`flush`): opens, redirects, reopens incidents,
//!    records their `correlationReasons`, has the alerts the engine moved rewritten through the
//!    ingest path, rolls every touched incident up ([`super::rollup`]) and persists the analysts'
//!    pins.
//!
//! # The engine never diverges from the database
//!
//! A tenant's engine lives in memory and is mutated under the tenant's write (the tenant row is
//! locked by the writer job, so jobs of one tenant run one at a time on every node). Each job
//! writes a new random *version* into `correlation_state` before it changes the engine, and the
//! engine remembers the version it was changed under. If the transaction fails (the job's error,
//! a failed COMMIT, a panic), the database keeps the old version while the engine holds the new
//! one; the next job sees the difference and rebuilds the engine from the database. With several
//! nodes on one PostgreSQL database, a write by another node leaves a version this node's engine
//! does not hold, so the engine is rebuilt the same way before it is used: correlation is always
//! computed from what is committed. (Rebuilding reads the alerts of the window, so a tenant whose
//! writes alternate between nodes pays that read on each switch; route a tenant's writes to one
//! node where that matters — see `docs/incidents.md`.)
//!
//! # The window
//!
//! The engine holds the alerts created within two windows of the newest alert it has seen (one
//! window for linking, one for lateness: see `correlate`'s `evict` docs); the window slides with
//! the alerts, not the wall clock, so imported history correlates as it would have live. Beyond
//! that horizon an alert's placement is final: a stored alert older than it keeps its incident when
//! it is written again, and manual decisions about it are refused (a new alert that old is still
//! correlated, against what the engine holds).

mod flush;
mod job;
mod load;
mod manual;
mod naming;
mod pins;
mod rebuild;

pub use manual::{ManualAction, ManualRefusal};
pub use rebuild::RebuildReport;

pub(crate) use job::Job;

use super::rows::{parse_id, IncidentRow};
use super::tally::{AlertStat, Tally};
use crate::hooks::{AlertChange, HookContext, IngestHook, Substitution, WriteInfo};
use correlate::{AlertFacts, Engine, IncidentKey, IncidentState};
use model::{AlertId, IncidentStatus, StoredAlert, TenantId};
use parking_lot::{Mutex, RwLock};
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

/// The correlation settings of a store: the configuration of every tenant and the public base URL
/// `incidentWebUrl`s point at.
#[derive(Debug, Clone, Default)]
pub struct CorrelationSettings {
    /// The configuration of tenants without their own.
    pub default: correlate::Config,
    /// Per-tenant configurations.
    pub tenants: HashMap<TenantId, correlate::Config>,
    /// The server's public base URL (`https://host:port`); without one, `incidentWebUrl` is `null`.
    pub public_url: Option<String>,
}

impl CorrelationSettings {
    /// The configuration of `tenant`.
    pub fn config(&self, tenant: &TenantId) -> &correlate::Config {
        self.tenants.get(tenant).unwrap_or(&self.default)
    }
}

/// Correlation of every tenant of one store (cheap to clone; see the module docs).
#[derive(Clone)]
pub struct Correlation {
    inner: Arc<Inner>,
}

struct Inner {
    settings: RwLock<CorrelationSettings>,
    tenants: Mutex<HashMap<TenantId, Arc<Mutex<TenantCorrelation>>>>,
    /// The placeholder `before_write` puts where the incident id goes: printable ASCII (no JSON
    /// escaping) with a per-process random part, so it cannot occur in an alert otherwise.
    placeholder: String,
}

impl std::fmt::Debug for Correlation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Correlation")
            .field("tenants", &self.inner.tenants.lock().len())
            .finish()
    }
}

/// One tenant's engine and what the running job has gathered for `finish_job`.
#[derive(Default)]
pub(crate) struct TenantCorrelation {
    /// The engine, once loaded.
    pub(crate) engine: Option<Engine>,
    /// The correlation version the engine matches.
    pub(crate) version: Option<String>,
    /// The newest `createdDateTime` the engine has seen.
    pub(crate) newest: Option<OffsetDateTime>,
    /// The pins the database holds, by key (see [`pins`]).
    pub(crate) saved_pins: HashMap<String, correlate::Pin>,
    /// The pins a rebuild added to hold the lateness band in place, by key (never persisted).
    pub(crate) held: HashMap<String, correlate::Pin>,
    /// The running job's bookkeeping.
    pub(crate) job: Job,
    /// The alerts of incidents that jobs rolled up, counted ([`Tally`]), by incident: kept current
    /// by every alert write (`after_write`), so the next roll-up of the incident reads nothing.
    /// Valid while the engine is (dropped with it when the database changed under it) and
    /// bounded by [`MAX_TALLIES`].
    pub(crate) tallies: HashMap<u64, Tally>,
}

/// Most incidents whose tallies a tenant keeps between jobs (about 200 bytes each); past it a job
/// starts with none and reads what it rolls up.
const MAX_TALLIES: usize = 10_000;

impl TenantCorrelation {
    /// Counts an alert write into the tallies it changes: out of the incident the alert was in
    /// (`previous`), into the one it is in now. Only tallies held are changed; one of an incident
    /// the job opened starts empty (no committed alert was ever in it).
    fn count_write(&mut self, previous: Option<&StoredAlert>, alert: &StoredAlert) {
        let key_of = |a: &StoredAlert| {
            let n = a.alert.incident_id.as_deref().and_then(parse_id)?;
            u64::try_from(n).ok()
        };
        if let Some(prev) = previous {
            if let Some(tally) = key_of(prev).and_then(|k| self.tallies.get_mut(&k)) {
                tally.remove(&AlertStat::of(prev));
            }
        }
        let Some(key) = key_of(alert) else { return };
        if self.job.opened.contains(&key) {
            self.tallies.entry(key).or_default();
        }
        if let Some(tally) = self.tallies.get_mut(&key) {
            tally.add(&AlertStat::of(alert));
        }
    }
}

impl Default for Correlation {
    fn default() -> Self {
        Correlation::new(CorrelationSettings::default())
    }
}

impl Correlation {
    /// Correlation with `settings`.
    pub fn new(settings: CorrelationSettings) -> Self {
        Correlation {
            inner: Arc::new(Inner {
                settings: RwLock::new(settings),
                tenants: Mutex::new(HashMap::new()),
                placeholder: format!("~secgraph-incident-{}~", uuid::Uuid::new_v4().simple()),
            }),
        }
    }

    /// Replaces the settings. Every tenant's engine is dropped and rebuilt from the database by
    /// its next write, under the new configuration.
    pub fn configure(&self, settings: CorrelationSettings) {
        *self.inner.settings.write() = settings;
        self.inner.tenants.lock().clear();
    }

    /// The current settings.
    pub fn settings(&self) -> CorrelationSettings {
        self.inner.settings.read().clone()
    }

    /// The state of `tenant` (created empty on first use).
    pub(crate) fn tenant(&self, tenant: &TenantId) -> Arc<Mutex<TenantCorrelation>> {
        self.inner
            .tenants
            .lock()
            .entry(tenant.clone())
            .or_default()
            .clone()
    }

    /// The `incidentWebUrl` of incident `id`.
    pub(crate) fn web_url(&self, id: &str) -> Option<String> {
        super::incident_web_url(self.inner.settings.read().public_url.as_deref(), id)
    }

    /// Tells the engine that an analyst changed incident `row` (its guard state: resolved,
    /// assignee, classification). Inside a write job of the tenant.
    pub(crate) fn incident_changed(&self, tenant: &TenantId, row: &IncidentRow) {
        let state = self.tenant(tenant);
        let mut state = state.lock();
        let st = &mut *state;
        let Some(engine) = st.engine.as_mut() else {
            return;
        };
        let outcome = engine.set_incident_state(IncidentKey(row_key(row)), guard_state(row));
        st.job.pins_changed = true;
        st.job.touched.insert(row_key(row));
        st.job.record(outcome, None);
    }
}

/// The engine's horizon given the newest alert: two windows before it (one to link, one for
/// lateness); older alerts leave the engine.
pub(crate) fn horizon(engine: &Engine, newest: OffsetDateTime) -> OffsetDateTime {
    let window = engine.config().window;
    newest - window - window
}

/// The engine key of an incident row.
pub(crate) fn row_key(row: &IncidentRow) -> u64 {
    u64::try_from(row.num).unwrap_or(0)
}

/// The guard state of an incident as the engine sees it.
pub(crate) fn guard_state(row: &IncidentRow) -> IncidentState {
    let i = &row.incident;
    IncidentState {
        resolved: i.status == IncidentStatus::Resolved,
        assigned_to: i.assigned_to.clone(),
        classification: i.classification,
    }
}

impl IngestHook for Correlation {
    fn before_write(&self, alert: &mut StoredAlert, _: &WriteInfo<'_>) -> Result<(), String> {
        let placeholder = &self.inner.placeholder;
        alert.alert.incident_id = Some(placeholder.clone());
        alert.alert.incident_web_url = self.web_url(placeholder);
        Ok(())
    }

    fn begin_job(&self, ctx: &mut HookContext<'_>) -> Result<(), String> {
        let config = self.inner.settings.read().config(ctx.tenant_id()).clone();
        let state = self.tenant(ctx.tenant_id());
        let mut state = state.lock();
        load::ensure_current(&mut state, ctx, config).map_err(|e| e.to_string())
    }

    /// The batch's new alerts are correlated together (`Engine::ingest_batch`): when they arrive
    /// after later ones, one replay places them all. `settle` then finds each one placed.
    fn prepare_batch(
        &self,
        ctx: &mut HookContext<'_>,
        fresh: &[&StoredAlert],
    ) -> Result<(), String> {
        let state = self.tenant(ctx.tenant_id());
        let mut state = state.lock();
        let st = &mut *state;
        let Some(engine) = st.engine.as_mut() else {
            return Err("correlation: no engine for the tenant's write job".into());
        };
        // The alerts `settle` would correlate, decided as it would, one after another.
        let mut batch = Vec::with_capacity(fresh.len());
        let mut ids = std::collections::HashSet::with_capacity(fresh.len());
        let mut newest = st.newest;
        for alert in fresh {
            let created = alert.alert.created_date_time;
            let known = engine.incident_of(&alert.alert.id.0).is_some();
            let beyond = newest.is_some_and(|n| created < horizon(engine, n));
            if known || beyond {
                continue;
            }
            newest = Some(newest.map_or(created, |n| n.max(created)));
            ids.insert(alert.alert.id.0.as_str());
            batch.push(AlertFacts::from_alert(&alert.alert));
        }
        if batch.len() < 2 {
            return Ok(());
        }
        st.newest = newest;
        for outcome in engine.ingest_batch(batch) {
            st.job.record_with(outcome, |id| ids.contains(id));
        }
        st.job.batched.extend(ids.into_iter().map(str::to_owned));
        Ok(())
    }

    fn settle(
        &self,
        ctx: &mut HookContext<'_>,
        alert: &mut StoredAlert,
    ) -> Result<Vec<Substitution>, String> {
        let state = self.tenant(ctx.tenant_id());
        let mut state = state.lock();
        let st = &mut *state;
        let Some(engine) = st.engine.as_mut() else {
            return Err("correlation: no engine for the tenant's write job".into());
        };
        let id = alert.alert.id.0.clone();
        let created = alert.alert.created_date_time;
        let key = match engine.incident_of(&id) {
            // Correlated by `prepare_batch` with the rest of its batch: placed already.
            Some(placed) if st.job.batched.remove(&id) => Some(placed.0),
            Some(before) => {
                st.job.touched.insert(before.0);
                None
            }
            // Beyond the horizon a stored alert keeps its incident: the engine no longer holds
            // what it was correlated with.
            None if st.newest.is_some_and(|n| created < horizon(engine, n)) => {
                load::stored_incident(ctx.tx, ctx.tenant_id, &id).map_err(|e| e.to_string())?
            }
            None => None,
        };
        let key = match key {
            Some(key) => key,
            None => {
                st.newest = Some(st.newest.map_or(created, |n| n.max(created)));
                let outcome = engine.ingest(AlertFacts::from_alert(&alert.alert));
                st.job.record(outcome, Some(&id));
                engine
                    .incident_of(&id)
                    .ok_or_else(|| format!("correlation: alert {id} has no incident after ingest"))?
                    .0
            }
        };
        st.job.touched.insert(key);
        st.job
            .note_first(key, alert.alert.title.as_deref(), created);
        let value = key.to_string();
        alert.alert.incident_web_url = self.web_url(&value);
        alert.alert.incident_id = Some(value.clone());
        Ok(vec![Substitution {
            placeholder: self.inner.placeholder.clone(),
            value,
        }])
    }

    fn after_write(
        &self,
        ctx: &mut HookContext<'_>,
        change: &AlertChange<'_>,
    ) -> Result<(), String> {
        let state = self.tenant(ctx.tenant_id());
        state.lock().count_write(change.previous, change.alert);
        Ok(())
    }

    fn finish_job(&self, ctx: &mut HookContext<'_>) -> Result<Vec<AlertId>, String> {
        let state = self.tenant(ctx.tenant_id());
        let mut state = state.lock();
        flush::finish(self, &mut state, ctx).map_err(|e| e.to_string())
    }
}
