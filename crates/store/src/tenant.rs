//! [`TenantStore`]: one tenant's view of the store. Every statement it runs is scoped to its tenant
//! (`WHERE tenant_id = …`), so a query cannot reach another tenant's rows. Reads live in
//! `alerts.rs`, writes in `ingest.rs` and `update.rs`; the change feed is here.

use crate::alerts::{raw_from_columns, RawAlert};
use crate::dialect::statement;
use crate::error::StoreError;
use crate::handle::Store;
use crate::hooks::{AlertChangeRecord, ChangeType};
use crate::outbox::parse_time;
use crate::query::AlertView;
use crate::value::{Row, Value};
use model::{AlertId, TenantId};

/// A page of the alerts changed after a point of the tenant's change sequence (see
/// [`TenantStore::alerts_changed_since`]).
#[derive(Debug, Clone)]
pub struct AlertDelta {
    /// The changed alerts in their current state, in the order of their latest change.
    pub items: Vec<RawAlert>,
    /// The sequence number a follow-up call continues after: the latest change of the last item,
    /// or the point asked for when nothing changed since.
    pub last_seq: i64,
    /// More changed alerts follow `last_seq` (the page was full).
    pub more: bool,
}

/// The entity queries of one tenant (cheap to clone).
#[derive(Debug, Clone)]
pub struct TenantStore {
    store: Store,
    tenant: TenantId,
    actor: Option<std::sync::Arc<str>>,
}

impl TenantStore {
    pub(crate) fn new(store: Store, tenant: TenantId) -> Self {
        TenantStore {
            store,
            tenant,
            actor: None,
        }
    }

    /// The same tenant, with the changes it makes attributed to `actor` (an application id or a
    /// user principal name): what providers are told as an update's `changedBy`.
    pub fn acting_as(mut self, actor: impl Into<String>) -> Self {
        self.actor = Some(actor.into().into());
        self
    }

    /// Who changes made through this handle are attributed to.
    pub(crate) fn actor(&self) -> Option<&str> {
        self.actor.as_deref()
    }

    /// The tenant.
    pub fn tenant_id(&self) -> &TenantId {
        &self.tenant
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Changes after `after_seq` (the per-tenant change feed), oldest first, at most `limit`.
    pub async fn changes_since(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<AlertChangeRecord>, StoreError> {
        let sql = statement(
            self.store.dialect(),
            "SELECT seq, alert_id, change_type, origin, at FROM alert_changes \
             WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        );
        let params = [
            self.tenant.as_str().into(),
            Value::Int(after_seq),
            Value::Int(i64::from(limit)),
        ];
        let rows = self.store.read(&sql, &params).await?;
        rows.into_iter().map(change_from_row).collect()
    }

    /// The alerts whose latest change comes after `after_seq` in the tenant's change sequence, as
    /// `view`'s documents in their current state, ordered by that change, at most `limit` of them.
    ///
    /// Each alert appears once, where its latest change is; an alert changed again while a client
    /// pages moves behind the page it was on, so following `last_seq` page after page sees every
    /// alert in its final state. A transaction takes its sequence numbers under the tenant's row
    /// lock and commits before the next can take any, so no committed change is ever skipped.
    pub async fn alerts_changed_since(
        &self,
        view: AlertView,
        after_seq: i64,
        limit: u32,
    ) -> Result<AlertDelta, StoreError> {
        let template = format!(
            "SELECT alerts.id, {}, alerts.evolvable, alerts.seq FROM alert_changes \
             JOIN alerts ON alerts.tenant_id = alert_changes.tenant_id \
             AND alerts.id = alert_changes.alert_id AND alerts.seq = alert_changes.seq \
             WHERE alert_changes.tenant_id = $1 AND alert_changes.seq > $2 \
             ORDER BY alert_changes.seq LIMIT $3",
            view.documents().doc_column
        );
        let sql = statement(self.store.dialect(), &template);
        let params = [
            self.tenant.as_str().into(),
            Value::Int(after_seq),
            Value::Int(i64::from(limit) + 1),
        ];
        let rows = self.store.read(&sql, &params).await?;
        let more = rows.len() > limit as usize;
        let mut delta = AlertDelta {
            items: Vec::with_capacity(rows.len().min(limit as usize)),
            last_seq: after_seq,
            more,
        };
        for row in rows.into_iter().take(limit as usize) {
            let mut cols = row.into_iter();
            delta.items.push(raw_from_columns(&mut cols)?);
            delta.last_seq = cols.next().unwrap_or(Value::Null).as_int("alerts.seq")?;
        }
        Ok(delta)
    }

    /// The tenant's latest change sequence number (0 before its first change).
    pub async fn current_change_seq(&self) -> Result<i64, StoreError> {
        let sql = statement(
            self.store.dialect(),
            "SELECT change_seq FROM tenants WHERE id = $1",
        );
        let rows = self
            .store
            .read(&sql, &[self.tenant.as_str().into()])
            .await?;
        match rows.into_iter().next().and_then(|r| r.into_iter().next()) {
            Some(v) => v.as_int("tenants.change_seq"),
            None => Ok(0),
        }
    }
}

fn change_from_row(row: Row) -> Result<AlertChangeRecord, StoreError> {
    let mut cols = row.into_iter();
    let mut next = |what: &str| {
        cols.next()
            .ok_or_else(|| StoreError::Corrupt(format!("change row lacks {what}")))
    };
    let seq = next("seq")?.as_int("alert_changes.seq")?;
    let alert_id = AlertId(next("alert_id")?.into_text("alert_changes.alert_id")?);
    let kind = next("change_type")?.into_text("alert_changes.change_type")?;
    let change_type = ChangeType::parse(&kind)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown change type '{kind}'")))?;
    let origin = next("origin")?.into_text("alert_changes.origin")?;
    let at = parse_time(&next("at")?.into_text("alert_changes.at")?)?;
    Ok(AlertChangeRecord {
        seq,
        alert_id,
        change_type,
        origin,
        at,
    })
}
