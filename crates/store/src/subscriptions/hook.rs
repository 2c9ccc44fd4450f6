//! [`Notifications`]: the ingest hook that turns every committed alert change into outbox rows,
//! one per subscription of the tenant that watches alerts (the legacy `security/alerts` view or
//! `security/alerts_v2`) and wants the change's type, in the change's own transaction — so a
//! change is notified if and only if it commits.
//!
//! Subscriptions with a `$filter` are refused at creation until the OData evaluator exists, so
//! every stored subscription receives every change of its resource.

use super::{wants, ChangeJob, SubscriptionResource, CHANGE_KIND, SLOW_CHANGE_KIND};
use crate::dialect::statement;
use crate::hooks::{AlertChange, HookContext, IngestHook};
use crate::outbox::parse_time;
use crate::value::Value;
use model::datetime;

/// The notification hook (registered on every store).
#[derive(Debug, Clone, Copy, Default)]
pub struct Notifications;

/// A subscription as the hook needs it.
struct Watcher {
    id: String,
    kind: SubscriptionResource,
    change_types: String,
    slow: bool,
}

impl IngestHook for Notifications {
    fn after_write(
        &self,
        ctx: &mut HookContext<'_>,
        change: &AlertChange<'_>,
    ) -> Result<(), String> {
        let watchers = watchers(ctx).map_err(|e| e.to_string())?;
        let alert_id = change.alert.alert.id.as_str();
        for w in watchers {
            if !wants(&w.change_types, change.change_type.as_str()) {
                continue;
            }
            let path = format!("{}/{alert_id}", w.kind.as_str());
            let job = ChangeJob {
                id: uuid::Uuid::now_v7().to_string(),
                subscription_id: w.id,
                change_type: change.change_type.as_str().to_owned(),
                resource: path.clone(),
                resource_data: serde_json::json!({
                    "@odata.type": w.kind.odata_type(),
                    "@odata.id": path,
                    "id": alert_id,
                }),
                sequence: change.seq,
            };
            let payload = serde_json::to_value(&job).map_err(|e| e.to_string())?;
            let kind = if w.slow {
                SLOW_CHANGE_KIND
            } else {
                CHANGE_KIND
            };
            ctx.enqueue(kind, &payload).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// The tenant's unexpired subscriptions to either alert view.
fn watchers(ctx: &mut HookContext<'_>) -> Result<Vec<Watcher>, crate::StoreError> {
    let now = ctx.now();
    let sql = statement(
        ctx.tx.dialect(),
        "SELECT id, resource_kind, change_types, slow_until FROM subscriptions \
         WHERE tenant_id = $1 AND resource_kind IN ($2, $3) AND expires > $4",
    );
    let params = [
        Value::from(ctx.tenant_id.as_str()),
        SubscriptionResource::Alerts.as_str().into(),
        SubscriptionResource::AlertsV2.as_str().into(),
        datetime::format(now).into(),
    ];
    let rows = ctx.tx.query(&sql, &params)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cols = row.into_iter();
        let mut next = |what: &str| {
            cols.next()
                .ok_or_else(|| crate::StoreError::Corrupt(format!("subscription row lacks {what}")))
        };
        let id = next("id")?.into_text("subscriptions.id")?;
        let kind_text = next("resource_kind")?.into_text("subscriptions.resource_kind")?;
        let kind = SubscriptionResource::parse(&kind_text)
            .map(|(k, _)| k)
            .ok_or_else(|| crate::StoreError::Corrupt(format!("resource kind '{kind_text}'")))?;
        let change_types = next("change_types")?.into_text("subscriptions.change_types")?;
        let slow = match next("slow_until")?.into_opt_text("subscriptions.slow_until")? {
            Some(t) => parse_time(&t)? > now,
            None => false,
        };
        out.push(Watcher {
            id,
            kind,
            change_types,
            slow,
        });
    }
    Ok(out)
}
