//! Recomputing a tenant's correlation from scratch (`secgraph correlate --rebuild`): every alert
//! of the tenant, in canonical order, with the analysts' pins, under the tenant's configuration.
//! The result is compared with the grouping the database holds; unless it is a dry run, the
//! database is then brought in line (incidents opened, redirected or reopened, alerts moved, every
//! touched incident rolled up) in the same transaction, through the same path as any write.
//!
//! A changed configuration takes effect on the tenant's next write anyway (its engine is rebuilt
//! under it and the window's alerts regrouped); a rebuild also regroups the alerts older than the
//! window, and alerts written before correlation existed.

use super::load::{alert_facts, load_pins};
use crate::error::StoreError;
use crate::hooks::IngestOrigin;
use crate::ingest::AlertWriter;
use crate::tenant::TenantStore;
use correlate::{AlertFacts, Engine, GroupedIncident, Grouping, GroupingDiff, IncidentKey};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a rebuild found (and did).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RebuildReport {
    /// Alerts of the tenant.
    pub alerts: usize,
    /// Alerts the database has in no incident (written before correlation existed).
    pub unassigned: usize,
    /// Incidents holding alerts, as the database groups them.
    pub incidents_before: usize,
    /// Incidents of the recomputed grouping.
    pub incidents_after: usize,
    /// The incidents (as alert sets) only the database has (`onlyLeft`) and only the
    /// recomputation has (`onlyRight`).
    pub diff: GroupingDiff,
    /// The database was changed to the recomputed grouping (false for a dry run or no difference).
    pub applied: bool,
}

impl TenantStore {
    /// Recomputes the tenant's correlation from scratch and reports the differences with what
    /// the database holds; unless `dry_run`, applies them.
    pub async fn rebuild_correlation(&self, dry_run: bool) -> Result<RebuildReport, StoreError> {
        let store = self.store().clone();
        let correlation = store.correlation().clone();
        let config = correlation.settings().config(self.tenant_id()).clone();
        let tenant = self.tenant_id().clone();
        let (hooks, now) = (store.hooks(), store.now_for(&tenant));
        store
            .write(move |tx| {
                let origin = IngestOrigin::Api;
                let mut w = AlertWriter::begin(&mut *tx, &tenant, &origin, &hooks, now)?;
                let facts = alert_facts(w.tx(), &tenant, None)?;
                let pins = load_pins(w.tx(), &tenant)?;
                let before = stored_grouping(&facts);
                let after =
                    correlate::rebuild(config.clone(), facts.iter().map(|(f, _)| f.clone()), &pins);
                let mut report = RebuildReport {
                    alerts: facts.len(),
                    unassigned: facts.iter().filter(|(_, k)| k.is_none()).count(),
                    incidents_before: before.incidents.len(),
                    incidents_after: after.incidents.len(),
                    diff: before.diff(&after),
                    applied: false,
                };
                if dry_run {
                    // The job's start may have regrouped the window under a new configuration:
                    // a dry run writes none of it, and the engine, now ahead of the database, is
                    // rebuilt by the next write.
                    let state = correlation.tenant(&tenant);
                    let mut state = state.lock();
                    state.job = super::Job::default();
                    state.version = None;
                } else if !report.diff.is_empty() {
                    let next = u64::try_from(crate::incidents::rows::max_num(w.tx(), &tenant)?)
                        .unwrap_or(0)
                        + 1;
                    let (engine, outcome) = Engine::restore(config, next, &pins, facts);
                    let state = correlation.tenant(&tenant);
                    let mut state = state.lock();
                    state.engine = Some(engine);
                    state.held.clear();
                    // What the job's start found (a window's restore) is superseded.
                    state.job = super::Job::default();
                    state.job.record(outcome, None);
                    report.applied = true;
                }
                w.finish()?;
                Ok(report)
            })
            .await
    }
}

/// The grouping the database holds: the alerts by their incident, each incident's alerts in
/// canonical order (`createdDateTime`, id); alerts in no incident are left out.
fn stored_grouping(facts: &[(AlertFacts, Option<IncidentKey>)]) -> Grouping {
    let mut groups: BTreeMap<IncidentKey, Vec<&AlertFacts>> = BTreeMap::new();
    for (f, key) in facts {
        if let Some(k) = key {
            groups.entry(*k).or_default().push(f);
        }
    }
    let mut incidents: Vec<GroupedIncident> = groups
        .into_iter()
        .map(|(incident, mut alerts)| {
            alerts.sort_by(|a, b| (a.created, &a.alert_id).cmp(&(b.created, &b.alert_id)));
            GroupedIncident {
                incident,
                alert_ids: alerts.iter().map(|a| a.alert_id.clone()).collect(),
            }
        })
        .collect();
    incidents.sort_by(|a, b| a.alert_ids.first().cmp(&b.alert_ids.first()));
    Grouping { incidents }
}
