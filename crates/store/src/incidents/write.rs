//! Analysts' changes of an incident: PATCH of the writable set and comments. Each is one write job
//! (an alert writer job, which locks the tenant's row): the incident row, the correlation engine's
//! view of the incident (its guards read status, assignee and classification), the alerts a
//! resolution resolves, and the roll-up commit together.
//!
//! Resolving an incident (`status` becomes `resolved`) resolves every alert of it that is not
//! resolved yet through the one alert update path ([`crate::update::modify`], origin `api`, the
//! caller as actor), so each provider's alert gets its sync-back staged in the outbox like any
//! alert PATCH. Reopening an incident leaves its alerts as they are.

use super::rows::{self, parse_id, IncidentRow};
use super::IncidentStore;
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::hooks::{ChangeType, IngestOrigin};
use crate::ingest::AlertWriter;
use crate::update::modify;
use model::enums::AlertStatus;
use model::incident::IncidentPatch;
use model::patch::AlertPatch;
use model::{AlertComment, AlertId, Incident, IncidentStatus, TenantId};
use time::OffsetDateTime;

/// An analyst's change of one incident.
#[derive(Debug, Clone, PartialEq)]
pub enum IncidentUpdate {
    /// `PATCH /security/incidents/{id}`.
    Patch(IncidentPatch),
    /// `POST /security/incidents/{id}/comments`: the comment texts, in order.
    Comment(Vec<String>),
}

impl IncidentStore {
    /// Applies `update` to incident `id`, on behalf of `by` (`lastModifiedBy`, comment author); the
    /// alert changes it causes are attributed to this handle's actor
    /// ([`TenantStore::acting_as`](crate::TenantStore::acting_as)). `Ok(None)` when the tenant
    /// has no such incident. Returns the incident as committed (after the roll-up).
    pub async fn update(
        &self,
        id: &str,
        update: IncidentUpdate,
        by: &str,
    ) -> Result<Option<Incident>, StoreError> {
        let Some(num) = parse_id(id) else {
            return Ok(None);
        };
        let store = self.tenant.store().clone();
        let correlation = store.correlation().clone();
        let tenant = self.tenant.tenant_id().clone();
        let (hooks, now) = (store.hooks(), store.now_for(&tenant));
        let actor = self.tenant.actor().map(str::to_owned);
        let by = by.to_owned();
        store
            .write(move |tx| {
                let origin = IngestOrigin::Api;
                let mut w = AlertWriter::begin(&mut *tx, &tenant, &origin, &hooks, now)?;
                let Some(mut row) = rows::load(w.tx(), &tenant, num)? else {
                    w.finish()?;
                    return Ok(None);
                };
                let resolves = apply(&mut row, &update, now, &by);
                rows::save(w.tx(), &tenant, &row, ChangeType::Updated, now)?;
                correlation.incident_changed(&tenant, &row);
                if resolves {
                    resolve_alerts(&mut w, &tenant, num, now, &by, &actor)?;
                }
                w.finish()?;
                Ok(rows::load(tx, &tenant, num)?.map(|r| r.incident))
            })
            .await
    }
}

/// Applies `update` to `row`; true when it resolves the incident.
fn apply(row: &mut IncidentRow, update: &IncidentUpdate, now: OffsetDateTime, by: &str) -> bool {
    let was_resolved = row.incident.status == IncidentStatus::Resolved;
    match update {
        IncidentUpdate::Patch(patch) => {
            patch.apply(&mut row.incident, now, by);
            if patch.status.is_some() {
                row.status_by_user = true;
            }
        }
        IncidentUpdate::Comment(texts) => {
            for text in texts {
                row.incident.comments.push(AlertComment {
                    comment: Some(text.clone()),
                    created_by_display_name: Some(by.to_owned()),
                    created_date_time: Some(now),
                });
            }
            row.incident.last_update_date_time = now;
            row.incident.last_modified_by = Some(by.to_owned());
        }
    }
    !was_resolved && row.incident.status == IncidentStatus::Resolved
}

/// Resolves every alert of incident `num` that is not resolved, through the alert update path.
fn resolve_alerts(
    w: &mut AlertWriter<'_>,
    tenant: &TenantId,
    num: i64,
    now: OffsetDateTime,
    by: &str,
    actor: &Option<String>,
) -> Result<(), StoreError> {
    let ids = open_alerts(w.tx(), tenant, num)?;
    let patch = AlertPatch {
        status: Some(AlertStatus::Resolved),
        ..AlertPatch::default()
    };
    let mut change = |a: &mut model::StoredAlert| {
        patch.apply(a, now, by);
        Ok(())
    };
    for id in ids {
        // An alert that vanished or refused the change stays as it is; the others are resolved.
        let _ = modify(w, &id, &mut change, Some(actor))?;
    }
    Ok(())
}

/// The alerts of incident `num` whose status is not `resolved`.
fn open_alerts(tx: &mut dyn Tx, tenant: &TenantId, num: i64) -> Result<Vec<AlertId>, StoreError> {
    let d = tx.dialect();
    let sql = statement(
        d,
        &format!(
            "SELECT id FROM alerts WHERE tenant_id = $1 AND {} AND status <> $3 ORDER BY id",
            d.ci_eq("incident_id", "$2")
        ),
    );
    let params = [
        tenant.as_str().into(),
        num.to_string().into(),
        AlertStatus::Resolved.as_str().into(),
    ];
    tx.query(&sql, &params)?
        .into_iter()
        .map(|r| {
            r.into_iter()
                .next()
                .ok_or_else(|| StoreError::Corrupt("alert row lacks id".into()))?
                .into_text("alerts.id")
                .map(AlertId)
        })
        .collect()
}
