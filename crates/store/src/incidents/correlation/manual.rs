//! Analysts' correlation decisions: link alerts into an incident, unlink an alert into an incident
//! of its own, merge an incident into another. Each goes through the tenant's engine (which pins
//! it, so correlation never undoes it) in one write job, like any alert write; refusals are
//! checked before the engine changes, so a refused decision changes nothing.

use super::{Correlation, TenantCorrelation};
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::hooks::{ChangeType, IngestOrigin};
use crate::incidents::rows::{self, parse_id};
use crate::incidents::IncidentStore;
use crate::ingest::AlertWriter;
use crate::value::Value;
use correlate::{CorrelateError, Engine, IncidentKey, Outcome};
use model::{Incident, IncidentStatus, TenantId};
use time::OffsetDateTime;

/// A manual correlation decision about one incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManualAction {
    /// Move these alerts into the incident (`secgraph.linkAlerts`).
    Link(Vec<String>),
    /// Take this alert of the incident into an incident of its own (`secgraph.unlink`).
    Unlink(String),
    /// Merge the incident into this one (`secgraph.mergeInto`).
    MergeInto(String),
}

/// Why a manual decision was refused (nothing changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManualRefusal {
    /// The tenant has no such incident.
    #[error("No incident with id '{0}' exists in this tenant.")]
    UnknownIncident(String),
    /// The tenant has no such alert.
    #[error("No alert with id '{0}' exists in this tenant.")]
    UnknownAlert(String),
    /// The alert belongs to another incident.
    #[error("Incident '{incident}' has no alert with id '{alert}'.")]
    AlertNotInIncident {
        /// The incident named.
        incident: String,
        /// The alert named.
        alert: String,
    },
    /// The alert is older than the correlation window: it can no longer be regrouped.
    #[error("Alert '{0}' is older than the correlation window and can no longer be regrouped.")]
    AlertOutsideWindow(String),
    /// None of the incident's alerts is within the correlation window any more.
    #[error(
        "Incident '{0}' has no alert within the correlation window and can no longer be regrouped."
    )]
    IncidentOutsideWindow(String),
    /// An incident cannot be merged into itself (or into an incident merged into it).
    #[error("Incident '{0}' cannot be merged into itself.")]
    MergeIntoSelf(String),
}

impl IncidentStore {
    /// Carries out `action` on incident `id` on behalf of `by` (stamped as `lastModifiedBy`).
    /// Answers the incident the decision leaves the alerts in (for an unlink, the alert's own new
    /// incident; for a merge, the incident merged into) as committed, or why it was refused.
    pub async fn correlate_manually(
        &self,
        id: &str,
        action: ManualAction,
        by: &str,
    ) -> Result<Result<Incident, ManualRefusal>, StoreError> {
        let Some(num) = parse_id(id) else {
            return Ok(Err(ManualRefusal::UnknownIncident(id.to_owned())));
        };
        let store = self.tenant.store().clone();
        let correlation = store.correlation().clone();
        let tenant = self.tenant.tenant_id().clone();
        let (hooks, now) = (store.hooks(), store.now_for(&tenant));
        let by = by.to_owned();
        store
            .write(move |tx| {
                let origin = IngestOrigin::Api;
                let mut w = AlertWriter::begin(&mut *tx, &tenant, &origin, &hooks, now)?;
                let decided = {
                    let state = correlation.tenant(&tenant);
                    let mut state = state.lock();
                    decide(&mut state, w.tx(), &tenant, num, &action)?
                };
                let target = match decided {
                    Ok(target) => target,
                    Err(refusal) => {
                        w.finish()?;
                        return Ok(Err(refusal));
                    }
                };
                w.finish()?;
                for n in [num, target] {
                    stamp(&mut *tx, &tenant, n, &by, now)?;
                }
                let row = rows::load(tx, &tenant, target)?;
                Ok(row
                    .map(|r| r.incident)
                    .ok_or_else(|| ManualRefusal::UnknownIncident(target.to_string())))
            })
            .await
    }
}

/// Checks `action`, then has the engine carry it out and records what it decided in the job.
/// Returns the incident number to answer with.
fn decide(
    state: &mut TenantCorrelation,
    tx: &mut dyn Tx,
    tenant: &TenantId,
    num: i64,
    action: &ManualAction,
) -> Result<Result<i64, ManualRefusal>, StoreError> {
    let id = num.to_string();
    if rows::load(tx, tenant, num)?.is_none() {
        return Ok(Err(ManualRefusal::UnknownIncident(id)));
    }
    let Some(engine) = state.engine.as_mut() else {
        return Err(StoreError::Hook(
            "correlation: no engine for the tenant's write job".into(),
        ));
    };
    let key = IncidentKey(u64::try_from(num).unwrap_or(0));
    let result = match action {
        ManualAction::Link(alerts) => link(engine, tx, tenant, key, alerts)?,
        ManualAction::Unlink(alert) => unlink(engine, tx, tenant, &id, alert)?,
        ManualAction::MergeInto(into) => merge(engine, tx, tenant, key, into)?,
    };
    Ok(result.map(|(outcome, target)| {
        state.job.pins_changed = true;
        state.job.touched.insert(key.0);
        state.job.record(outcome, None);
        target
    }))
}

type Decided = Result<(Outcome, i64), ManualRefusal>;

fn link(
    engine: &mut Engine,
    tx: &mut dyn Tx,
    tenant: &TenantId,
    key: IncidentKey,
    alerts: &[String],
) -> Result<Decided, StoreError> {
    for alert in alerts {
        if alert_incident(tx, tenant, alert)?.is_none() {
            return Ok(Err(ManualRefusal::UnknownAlert(alert.clone())));
        }
        if engine.incident_of(alert).is_none() {
            return Ok(Err(ManualRefusal::AlertOutsideWindow(alert.clone())));
        }
    }
    let mut outcome = Outcome::default();
    for alert in alerts {
        match engine.link(alert, key) {
            Ok(o) => outcome.extend(o),
            Err(e) => return refusal(e, outcome.is_empty()),
        }
    }
    let target = alerts
        .first()
        .and_then(|a| engine.incident_of(a))
        .map_or(key.0, |k| k.0);
    Ok(Ok((outcome, i64::try_from(target).unwrap_or(0))))
}

fn unlink(
    engine: &mut Engine,
    tx: &mut dyn Tx,
    tenant: &TenantId,
    id: &str,
    alert: &str,
) -> Result<Decided, StoreError> {
    match alert_incident(tx, tenant, alert)? {
        None => return Ok(Err(ManualRefusal::UnknownAlert(alert.to_owned()))),
        Some(Some(i)) if i == id => {}
        Some(_) => {
            return Ok(Err(ManualRefusal::AlertNotInIncident {
                incident: id.to_owned(),
                alert: alert.to_owned(),
            }))
        }
    }
    let outcome = match engine.unlink(alert) {
        Ok(o) => o,
        Err(e) => return refusal(e, true),
    };
    let target = engine.incident_of(alert).map_or(0, |k| k.0);
    Ok(Ok((outcome, i64::try_from(target).unwrap_or(0))))
}

fn merge(
    engine: &mut Engine,
    tx: &mut dyn Tx,
    tenant: &TenantId,
    from: IncidentKey,
    into: &str,
) -> Result<Decided, StoreError> {
    let Some(n) = parse_id(into) else {
        return Ok(Err(ManualRefusal::UnknownIncident(into.to_owned())));
    };
    let Some(target) = rows::load(tx, tenant, n)? else {
        return Ok(Err(ManualRefusal::UnknownIncident(into.to_owned())));
    };
    let into_key = IncidentKey(u64::try_from(n).unwrap_or(0));
    match engine.merge(from, into_key) {
        Ok(outcome) => {
            // A redirected target answers with the incident it redirects to.
            let live = match (
                target.incident.status,
                &target.incident.redirect_incident_id,
            ) {
                (IncidentStatus::Redirected, Some(r)) => parse_id(r).unwrap_or(n),
                _ => n,
            };
            Ok(Ok((outcome, live)))
        }
        Err(e) => refusal(e, true),
    }
}

/// The refusal for an engine error; `clean` says the engine has not changed yet in this
/// decision (otherwise the job must fail, so its transaction and the engine are discarded).
fn refusal(e: CorrelateError, clean: bool) -> Result<Decided, StoreError> {
    if !clean {
        return Err(StoreError::Hook(format!(
            "correlation refused half a decision: {e}"
        )));
    }
    Ok(Err(match e {
        CorrelateError::UnknownAlert(a) => ManualRefusal::AlertOutsideWindow(a),
        CorrelateError::UnknownIncident(k) => ManualRefusal::IncidentOutsideWindow(k.to_string()),
        CorrelateError::MergeIntoSelf(k) => ManualRefusal::MergeIntoSelf(k.to_string()),
    }))
}

/// `None` when the tenant has no alert `id`, else its `incidentId`.
fn alert_incident(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    id: &str,
) -> Result<Option<Option<String>>, StoreError> {
    let sql = statement(
        tx.dialect(),
        "SELECT incident_id FROM alerts WHERE tenant_id = $1 AND id = $2",
    );
    match tx
        .query(&sql, &[tenant.as_str().into(), id.into()])?
        .into_iter()
        .next()
    {
        None => Ok(None),
        Some(row) => Ok(Some(
            row.into_iter()
                .next()
                .unwrap_or(Value::Null)
                .into_opt_text("alerts.incident_id")?,
        )),
    }
}

/// Stamps `lastModifiedBy` and `lastUpdateDateTime` on incident `num`.
fn stamp(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    num: i64,
    by: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    if let Some(mut row) = rows::load(tx, tenant, num)? {
        row.incident.last_modified_by = Some(by.to_owned());
        row.incident.last_update_date_time = now;
        rows::save(tx, tenant, &row, ChangeType::Updated, now)?;
    }
    Ok(())
}

impl Correlation {
    /// The engine's statistics for `tenant`, when its engine is loaded on this node.
    pub fn stats(&self, tenant: &TenantId) -> Option<correlate::Stats> {
        let state = self.tenant(tenant);
        let state = state.lock();
        state.engine.as_ref().map(Engine::stats)
    }
}
