//! [`TenantStore`]: one tenant's view of the store. Every statement it runs is scoped to its tenant
//! (`WHERE tenant_id = …`), so a query cannot reach another tenant's rows. Reads live in
//! `alerts.rs`, writes in `ingest.rs` and `update.rs`; the change feed is here.

use crate::dialect::statement;
use crate::error::StoreError;
use crate::handle::Store;
use crate::hooks::{AlertChangeRecord, ChangeType};
use crate::outbox::parse_time;
use crate::value::{Row, Value};
use model::{AlertId, TenantId};

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
