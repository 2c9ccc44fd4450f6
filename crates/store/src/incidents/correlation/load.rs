//! The start of a write job: the tenant's engine is checked against the correlation version in
//! the database and rebuilt from the database when they differ (first use, a rolled-back job,
//! another node's write), the window slides, and a fresh version is stamped (see the module docs
//! of [`super`]).

use super::{Job, TenantCorrelation};
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::hooks::HookContext;
use crate::incidents::rows;
use crate::value::Value;
use correlate::{AlertFacts, Config, Engine, IncidentKey, Outcome, Pin};
use model::{datetime, Alert, TenantId};
use std::collections::BTreeSet;
use time::OffsetDateTime;

/// Makes `state` current for a job of `ctx`'s tenant under `config` (see the module docs).
pub(super) fn ensure_current(
    state: &mut TenantCorrelation,
    ctx: &mut HookContext<'_>,
    config: Config,
) -> Result<(), StoreError> {
    let tenant = ctx.tenant_id().clone();
    let stored = read_version(ctx.tx, &tenant)?;
    let current = state.engine.is_some() && state.version.is_some() && state.version == stored;
    state.job = Job::default();
    // Until the new version is written, the engine matches nothing: a failure from here on leaves
    // it to be rebuilt.
    state.version = None;
    if !current || state.tallies.len() > super::MAX_TALLIES {
        state.tallies.clear();
    }
    if !current {
        state.engine = None;
        let restored = restore(ctx.tx, &tenant, config)?;
        state.saved_pins = super::pins::keyed(&restored.stored_pins);
        state.held = super::pins::keyed(&restored.held);
        state.engine = Some(restored.engine);
        state.newest = restored.newest;
        state.job.record(restored.outcome, None);
    }
    if let (Some(engine), Some(newest)) = (state.engine.as_mut(), state.newest) {
        let horizon = super::horizon(engine, newest);
        engine.evict_before(horizon);
    }
    let version = uuid::Uuid::new_v4().to_string();
    write_version(ctx.tx, &tenant, &version)?;
    state.version = Some(version);
    Ok(())
}

/// An engine rebuilt from the database ([`restore`]).
pub(crate) struct Restored {
    /// The engine.
    pub(crate) engine: Engine,
    /// The newest `createdDateTime` of the tenant's alerts.
    pub(crate) newest: Option<OffsetDateTime>,
    /// What brings the database in line with the engine (none when it already is).
    pub(crate) outcome: Outcome,
    /// The pins the database holds.
    pub(crate) stored_pins: Vec<Pin>,
    /// The pins that hold the alerts of the lateness band where the database has them (never
    /// persisted).
    pub(crate) held: Vec<Pin>,
}

/// An engine rebuilt from the database: the tenant's pins and the alerts created within two
/// windows of its newest alert, each with the incident it is in.
///
/// The alerts of the older window (the lateness band) were placed, live, next to alerts that are
/// older still and not loaded; recomputed without them, some would land elsewhere. So they are
/// held where the database has them (`Pin::Link`s that are never persisted), and only the newer
/// window — whose every possible link is loaded — is recomputed: a rebuild after a restart, a
/// failed transaction or another node's write moves nothing the live engine would not have moved.
///
/// An incident of the window may also hold alerts older than both windows. The live engine
/// evicted them, but their entities stayed in the incident's entity set (its *residue*), which the
/// entity cap counts: without them, a rebuilt engine would merge into that incident what the live
/// one kept out. So those older members are loaded too, held where they are, and evicted right
/// after the rebuild (by [`ensure_current`]), leaving the same residue.
pub(crate) fn restore(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    config: Config,
) -> Result<Restored, StoreError> {
    let newest = newest_alert(tx, tenant)?;
    let from = newest.map(|n| n - config.window - config.window);
    let linking = newest.map(|n| n - config.window);
    let mut alerts = alert_facts(tx, tenant, from)?;
    if let Some(from) = from {
        let incidents: BTreeSet<u64> = alerts.iter().filter_map(|(_, k)| k.map(|k| k.0)).collect();
        alerts.extend(older_members(tx, tenant, from, &incidents)?);
    }
    let stored_pins = load_pins(tx, tenant)?;
    let pinned: std::collections::HashSet<String> =
        stored_pins.iter().map(super::pins::key).collect();
    let held: Vec<Pin> = alerts
        .iter()
        .filter(|(f, _)| linking.is_some_and(|l| f.created < l))
        .filter_map(|(f, key)| {
            let pin = Pin::Link {
                alert_id: f.alert_id.clone(),
                incident: (*key)?,
            };
            (!pinned.contains(&super::pins::key(&pin))).then_some(pin)
        })
        .collect();
    let mut pins = stored_pins.clone();
    pins.extend(held.iter().cloned());
    let next_key = u64::try_from(rows::max_num(tx, tenant)?).unwrap_or(0) + 1;
    let (engine, outcome) = Engine::restore(config, next_key, &pins, alerts);
    Ok(Restored {
        engine,
        newest,
        outcome,
        stored_pins,
        held,
    })
}

/// The newest `createdDateTime` of the tenant's alerts.
fn newest_alert(tx: &mut dyn Tx, tenant: &TenantId) -> Result<Option<OffsetDateTime>, StoreError> {
    let sql = statement(
        tx.dialect(),
        "SELECT MAX(created_date_time) FROM alerts WHERE tenant_id = $1",
    );
    let rows = tx.query(&sql, &[tenant.as_str().into()])?;
    let text = match rows.into_iter().next().and_then(|r| r.into_iter().next()) {
        Some(v) => v.into_opt_text("MAX(alerts.created_date_time)")?,
        None => None,
    };
    text.map(|t| datetime::parse(&t).map_err(StoreError::Corrupt))
        .transpose()
}

/// The facts of the tenant's alerts created at or after `from` (all of them without `from`), each
/// with the incident the database has it in.
pub(crate) fn alert_facts(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    from: Option<OffsetDateTime>,
) -> Result<Vec<(AlertFacts, Option<IncidentKey>)>, StoreError> {
    let mut params: Vec<Value> = vec![tenant.as_str().into()];
    let mut sql = "SELECT incident_id, doc FROM alerts WHERE tenant_id = $1".to_owned();
    if let Some(from) = from {
        sql.push_str(" AND created_date_time >= $2");
        params.push(datetime::format(from).into());
    }
    facts_of(tx, &sql, &params)
}

/// How many incident ids one query of [`older_members`] names.
const INCIDENTS_PER_QUERY: usize = 500;

/// The facts of the alerts of `incidents` created before `before`, with their incident.
fn older_members(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    before: OffsetDateTime,
    incidents: &BTreeSet<u64>,
) -> Result<Vec<(AlertFacts, Option<IncidentKey>)>, StoreError> {
    let ids: Vec<u64> = incidents.iter().copied().collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(INCIDENTS_PER_QUERY) {
        let mut params: Vec<Value> = vec![tenant.as_str().into(), datetime::format(before).into()];
        let marks: Vec<String> = chunk
            .iter()
            .map(|id| {
                params.push(id.to_string().into());
                format!("${}", params.len())
            })
            .collect();
        let sql = format!(
            "SELECT incident_id, doc FROM alerts WHERE tenant_id = $1 AND created_date_time < $2 \
             AND incident_id IN ({})",
            marks.join(", ")
        );
        out.extend(facts_of(tx, &sql, &params)?);
    }
    Ok(out)
}

/// The facts of the alerts `sql` (selecting `incident_id, doc`) returns, with their incident.
fn facts_of(
    tx: &mut dyn Tx,
    sql: &str,
    params: &[Value],
) -> Result<Vec<(AlertFacts, Option<IncidentKey>)>, StoreError> {
    let sql = statement(tx.dialect(), sql);
    let mut out = Vec::new();
    for row in tx.query(&sql, params)? {
        let mut cols = row.into_iter();
        let incident = cols
            .next()
            .unwrap_or(Value::Null)
            .into_opt_text("alerts.incident_id")?;
        let doc = cols.next().unwrap_or(Value::Null).into_text("alerts.doc")?;
        let alert: Alert = serde_json::from_str(&doc)?;
        let key = incident
            .as_deref()
            .and_then(rows::parse_id)
            .and_then(|n| u64::try_from(n).ok())
            .map(IncidentKey);
        out.push((AlertFacts::from_alert(&alert), key));
    }
    Ok(out)
}

/// The tenant's persisted pins, in order.
pub(crate) fn load_pins(tx: &mut dyn Tx, tenant: &TenantId) -> Result<Vec<Pin>, StoreError> {
    let sql = statement(
        tx.dialect(),
        "SELECT pin FROM incident_pins WHERE tenant_id = $1 ORDER BY pin_key",
    );
    tx.query(&sql, &[tenant.as_str().into()])?
        .into_iter()
        .map(|row| {
            let text = row
                .into_iter()
                .next()
                .unwrap_or(Value::Null)
                .into_text("incident_pins.pin")?;
            serde_json::from_str(&text)
                .map_err(|e| StoreError::Corrupt(format!("correlation pin: {e}")))
        })
        .collect()
}

/// The correlation version the database holds for `tenant`.
fn read_version(tx: &mut dyn Tx, tenant: &TenantId) -> Result<Option<String>, StoreError> {
    let sql = statement(
        tx.dialect(),
        "SELECT version FROM correlation_state WHERE tenant_id = $1",
    );
    match tx
        .query(&sql, &[tenant.as_str().into()])?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
    {
        Some(v) => v.into_opt_text("correlation_state.version"),
        None => Ok(None),
    }
}

/// Stores `version` as the tenant's correlation version.
fn write_version(tx: &mut dyn Tx, tenant: &TenantId, version: &str) -> Result<(), StoreError> {
    let sql = statement(
        tx.dialect(),
        "INSERT INTO correlation_state (tenant_id, version) VALUES ($1, $2) \
         ON CONFLICT (tenant_id) DO UPDATE SET version = excluded.version",
    );
    tx.execute(&sql, &[tenant.as_str().into(), version.into()])?;
    Ok(())
}

/// The incident the database has alert `id` in, if any.
pub(super) fn stored_incident(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    id: &str,
) -> Result<Option<u64>, StoreError> {
    let sql = statement(
        tx.dialect(),
        "SELECT incident_id FROM alerts WHERE tenant_id = $1 AND id = $2",
    );
    let text = match tx
        .query(&sql, &[tenant.as_str().into(), id.into()])?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next())
    {
        Some(v) => v.into_opt_text("alerts.incident_id")?,
        None => None,
    };
    Ok(text
        .as_deref()
        .and_then(rows::parse_id)
        .and_then(|n| u64::try_from(n).ok()))
}
