//! Turning committed changes into outbox rows, in the change's own transaction — so a change is
//! notified if and only if it commits. [`Notifications`] is the ingest hook for alert changes
//! (the legacy `security/alerts` view and `security/alerts_v2`): it decides who is told as each
//! alert is written and queues the whole write job's notifications at its end
//! ([`PendingAlertNotifications`]); incident and indicator writes call [`notify`] themselves.
//!
//! A subscription receives a change when it is unexpired, watches the changed entity's resource,
//! wants the change's type, belongs to the entity's owner where the resource is owned
//! (`security/tiIndicators`: the application's own indicators only), and its `$filter`, if any,
//! holds for the entity's Graph JSON as the resource's GET returns it **after** the change (for a
//! deletion: as it was when deleted). A change that makes an entity stop matching is therefore not
//! notified — as Graph does, which evaluates the entity after the change.

use super::history::reserve_sequences;
use super::{wants, ChangeJob, SubscriptionResource, CHANGE_KIND, SLOW_CHANGE_KIND};
use crate::backend::Tx;
use crate::dialect::{placeholders, statement};
use crate::error::StoreError;
use crate::hooks::{AlertChange, HookContext, IngestHook};
use crate::outbox::{self, parse_time};
use crate::value::Value;
use model::legacy::LegacyAlert;
use model::{datetime, TenantId};
use odata::bound::BoundExpr;
use serde_json::Value as Json;
use std::collections::HashMap;
use time::OffsetDateTime;

/// The notification hook for alert changes (registered on every store).
#[derive(Debug, Clone, Copy, Default)]
pub struct Notifications;

/// A subscription as delivery decisions need it.
pub(crate) struct Watcher {
    id: String,
    kind: SubscriptionResource,
    application_id: String,
    change_types: String,
    slow: bool,
    filter: Option<BoundExpr>,
}

/// One changed entity of one resource.
pub(crate) struct Changed<'a> {
    /// The resource it was changed in.
    pub(crate) kind: SubscriptionResource,
    /// Its id.
    pub(crate) id: &'a str,
    /// `created`, `updated` or `deleted`.
    pub(crate) change_type: &'a str,
    /// The tenant's alert change sequence number of the change (0 for incidents and indicators,
    /// which are outside the alert change feed).
    pub(crate) sequence: i64,
    /// The application that owns it, for owned resources (only its subscriptions are told).
    pub(crate) owner: Option<&'a str>,
    /// Makes its Graph JSON (called at most once, and only when a filtered subscription needs it).
    pub(crate) entity: &'a dyn Fn() -> Result<Json, StoreError>,
}

/// The alert change notifications of one write job: gathered change by change, written together
/// at its end, so that a batch of a thousand alerts costs one read of the subscriptions, one
/// counter update and a few multi-row inserts instead of that many per alert.
#[derive(Default)]
pub(crate) struct PendingAlertNotifications {
    /// The tenant's subscriptions to alerts, read at the job's first change.
    watchers: Option<Vec<Watcher>>,
    /// The (subscription, change) pairs to queue, in change order.
    due: Vec<Due>,
}

/// One notification to queue: a change and the subscription (an index into the watchers) told.
struct Due {
    watcher: usize,
    id: String,
    change_type: String,
    sequence: i64,
}

impl IngestHook for Notifications {
    fn after_write(
        &self,
        ctx: &mut HookContext<'_>,
        change: &AlertChange<'_>,
    ) -> Result<(), String> {
        let kinds = [SubscriptionResource::Alerts, SubscriptionResource::AlertsV2];
        let pending = &mut ctx.job.notifications;
        let all = match &mut pending.watchers {
            Some(all) => all,
            slot => slot.insert(
                watchers(ctx.tx, ctx.tenant_id, ctx.now, &kinds).map_err(|e| e.to_string())?,
            ),
        };
        if all.is_empty() {
            return Ok(());
        }
        let legacy = || alert_view(SubscriptionResource::Alerts, change.alert);
        let v2 = || alert_view(SubscriptionResource::AlertsV2, change.alert);
        let changes = [
            alert_changed(change, SubscriptionResource::Alerts, &legacy),
            alert_changed(change, SubscriptionResource::AlertsV2, &v2),
        ];
        let due = due(all, &changes).map_err(|e| e.to_string())?;
        pending.due.extend(due);
        Ok(())
    }

    /// Queues what the job's changes gathered (again after each round of rewrites).
    fn finish_job(&self, ctx: &mut HookContext<'_>) -> Result<Vec<model::AlertId>, String> {
        let pending = &mut ctx.job.notifications;
        let due = std::mem::take(&mut pending.due);
        let watchers = pending.watchers.as_deref().unwrap_or_default();
        write(ctx.tx, ctx.tenant_id, ctx.now, watchers, &due).map_err(|e| e.to_string())?;
        Ok(Vec::new())
    }
}

/// `change` as a change of the alert in the view `kind` serves, whose JSON `entity` makes.
fn alert_changed<'a>(
    change: &'a AlertChange<'_>,
    kind: SubscriptionResource,
    entity: &'a dyn Fn() -> Result<Json, StoreError>,
) -> Changed<'a> {
    Changed {
        kind,
        id: change.alert.alert.id.as_str(),
        change_type: change.change_type.as_str(),
        sequence: change.seq,
        owner: None,
        entity,
    }
}

/// The alert's Graph JSON in the view `kind` serves.
fn alert_view(kind: SubscriptionResource, alert: &model::StoredAlert) -> Result<Json, StoreError> {
    let json = match kind {
        SubscriptionResource::Alerts => serde_json::to_value(LegacyAlert::from_stored(alert)),
        _ => serde_json::to_value(&alert.alert),
    };
    json.map_err(|e| StoreError::Corrupt(format!("alert {}: {e}", alert.alert.id.as_str())))
}

/// Enqueues, inside `tx`, the notifications of `changes` (all of one resource) to the tenant's
/// subscriptions that should receive them (see the module docs). Reads the subscriptions once.
pub(crate) fn notify(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    now: OffsetDateTime,
    changes: &[Changed<'_>],
) -> Result<(), StoreError> {
    let Some(kind) = changes.first().map(|c| c.kind) else {
        return Ok(());
    };
    let all = watchers(tx, tenant, now, &[kind])?;
    if all.is_empty() {
        return Ok(());
    }
    enqueue(tx, tenant, now, &all, changes)
}

/// Whether `w` should be told of `changed` (its `$filter` evaluated on the entity, made at most
/// once per change and kept in `entity`).
fn receives(
    w: &Watcher,
    changed: &Changed<'_>,
    entity: &mut Option<Json>,
) -> Result<bool, StoreError> {
    let receives = w.kind == changed.kind
        && wants(&w.change_types, changed.change_type)
        && changed.owner.is_none_or(|o| o == w.application_id);
    let Some(filter) = w.filter.as_ref().filter(|_| receives) else {
        return Ok(receives);
    };
    let json = match entity {
        Some(json) => json,
        slot => slot.insert((changed.entity)()?),
    };
    Ok(odata::eval::matches(filter, json))
}

/// Queues one outbox row per (watcher, change) pair that should be told, in change order.
fn enqueue(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    now: OffsetDateTime,
    watchers: &[Watcher],
    changes: &[Changed<'_>],
) -> Result<(), StoreError> {
    let due = due(watchers, changes)?;
    write(tx, tenant, now, watchers, &due)
}

/// The (watcher, change) pairs that should be told, in change order.
fn due(watchers: &[Watcher], changes: &[Changed<'_>]) -> Result<Vec<Due>, StoreError> {
    let mut due = Vec::new();
    for changed in changes {
        let mut entity = None;
        for (watcher, w) in watchers.iter().enumerate() {
            if receives(w, changed, &mut entity)? {
                due.push(Due {
                    watcher,
                    id: changed.id.to_owned(),
                    change_type: changed.change_type.to_owned(),
                    sequence: changed.sequence,
                });
            }
        }
    }
    Ok(due)
}

/// Writes the outbox rows of `due`: the subscriptions' counters advanced by one statement per
/// distinct count and the rows written by multi-row inserts, whatever the number of subscribers.
fn write(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    now: OffsetDateTime,
    watchers: &[Watcher],
    due: &[Due],
) -> Result<(), StoreError> {
    let pairs: Vec<(&Watcher, &Due)> = due
        .iter()
        .filter_map(|d| watchers.get(d.watcher).map(|w| (w, d)))
        .collect();
    if pairs.is_empty() {
        return Ok(());
    }
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for (w, _) in &pairs {
        *counts.entry(w.id.as_str()).or_default() += 1;
    }
    let counts: Vec<(&str, i64)> = counts.into_iter().collect();
    let mut next = reserve_sequences(tx, tenant, &counts)?;
    let mut rows = Vec::with_capacity(pairs.len());
    for (w, changed) in pairs {
        let path = format!("{}/{}", w.kind.as_str(), changed.id);
        let subscription_sequence = match next.get_mut(&w.id) {
            Some(seq) => {
                *seq += 1;
                *seq - 1
            }
            None => 0,
        };
        let job = ChangeJob {
            id: uuid::Uuid::now_v7().to_string(),
            subscription_id: w.id.clone(),
            change_type: changed.change_type.clone(),
            resource: path.clone(),
            resource_data: serde_json::json!({
                "@odata.type": w.kind.odata_type(),
                "@odata.id": path,
                "id": changed.id,
            }),
            sequence: changed.sequence,
            subscription_sequence,
            replay: false,
        };
        let lane = if w.slow {
            SLOW_CHANGE_KIND
        } else {
            CHANGE_KIND
        };
        rows.push((lane, serde_json::to_string(&job)?));
    }
    outbox::insert_many(tx, tenant, &rows, now)
}

/// The tenant's unexpired subscriptions to any of `kinds`, their filters bound.
fn watchers(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    now: OffsetDateTime,
    kinds: &[SubscriptionResource],
) -> Result<Vec<Watcher>, StoreError> {
    let sql = statement(
        tx.dialect(),
        &format!(
            "SELECT id, resource_kind, application_id, change_types, slow_until, doc \
             FROM subscriptions WHERE tenant_id = $1 AND expires > $2 AND resource_kind IN ({})",
            placeholders(3, kinds.len())
        ),
    );
    let mut params = vec![Value::from(tenant.as_str()), datetime::format(now).into()];
    params.extend(kinds.iter().map(|k| Value::from(k.as_str())));
    let rows = tx.query(&sql, &params)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cols = row.into_iter();
        let mut next = |what: &str| {
            cols.next()
                .ok_or_else(|| StoreError::Corrupt(format!("subscription row lacks {what}")))
        };
        let id = next("id")?.into_text("subscriptions.id")?;
        let kind_text = next("resource_kind")?.into_text("subscriptions.resource_kind")?;
        let application_id = next("application_id")?.into_text("subscriptions.application_id")?;
        let change_types = next("change_types")?.into_text("subscriptions.change_types")?;
        let slow = match next("slow_until")?.into_opt_text("subscriptions.slow_until")? {
            Some(t) => parse_time(&t)? > now,
            None => false,
        };
        let doc = next("doc")?.into_text("subscriptions.doc")?;
        let (kind, filter) = stored_resource(&id, &kind_text, &doc)?;
        out.push(Watcher {
            id,
            kind,
            application_id,
            change_types,
            slow,
            filter,
        });
    }
    Ok(out)
}

/// The resource kind and bound filter of a stored subscription (both were checked at creation).
fn stored_resource(
    id: &str,
    kind_text: &str,
    doc: &str,
) -> Result<(SubscriptionResource, Option<BoundExpr>), StoreError> {
    #[derive(serde::Deserialize)]
    struct Resource {
        resource: String,
    }
    let corrupt = |why: String| StoreError::Corrupt(format!("subscription {id}: {why}"));
    let resource: Resource =
        serde_json::from_str(doc).map_err(|e| corrupt(format!("document: {e}")))?;
    let (kind, filter) = SubscriptionResource::parse(&resource.resource)
        .ok_or_else(|| corrupt(format!("resource '{}'", resource.resource)))?;
    if kind.as_str() != kind_text {
        return Err(corrupt(format!("resource kind '{kind_text}'")));
    }
    let filter = filter
        .map(|f| kind.bind_filter(&f))
        .transpose()
        .map_err(|e| corrupt(format!("$filter: {e}")))?;
    Ok((kind, filter))
}
