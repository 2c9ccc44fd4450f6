//! Audit log reads, always of one tenant: one record by id, OData pages (newest first,
//! keyset-paged by `(at, id)`) and counts.

use super::{AuditLogStore, AuditRecord, AUDIT_RECORDS};
use crate::dialect::statement;
use crate::error::StoreError;
use crate::query::list::{count_rows, list_page, EntityPage, PageQuery};
use crate::value::Value;
use odata::bound::{BoundExpr, BoundQuery};

/// One page of audit records.
pub type AuditPage = EntityPage<AuditRecord>;

/// The selected column of a record.
const COLUMNS: &str = "audit_log.doc";

/// Decodes the [`COLUMNS`] at the front of a row.
fn from_columns(cols: &mut std::vec::IntoIter<Value>) -> Result<AuditRecord, StoreError> {
    let text = cols
        .next()
        .ok_or_else(|| StoreError::Corrupt("audit row lacks doc".into()))?
        .into_text("audit_log.doc")?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("audit record: {e}")))
}

impl AuditLogStore {
    /// The tenant scope every statement starts from.
    fn scope(&self) -> [(&'static str, Value); 1] {
        [("tenant_id", self.tenant.tenant_id().as_str().into())]
    }

    /// The record `id` of this tenant.
    pub async fn get(&self, id: &str) -> Result<Option<AuditRecord>, StoreError> {
        let sql = statement(
            self.tenant.store().dialect(),
            &format!("SELECT {COLUMNS} FROM audit_log WHERE tenant_id = $1 AND id = $2"),
        );
        let params = [self.tenant.tenant_id().as_str().into(), id.into()];
        let rows = self.tenant.store().read(&sql, &params).await?;
        rows.into_iter()
            .next()
            .map(|r| from_columns(&mut r.into_iter()))
            .transpose()
    }

    /// A page of the tenant's records: `query`'s filter (bound against [`super::AUDIT_LOG`]),
    /// order (newest first by default), `$count`, `$skiptoken` and `$skip`; `page_size` rows at
    /// most (already clamped by the caller).
    pub async fn list(&self, query: &BoundQuery, page_size: u32) -> Result<AuditPage, StoreError> {
        let scope = self.scope();
        let q = PageQuery {
            docs: &AUDIT_RECORDS,
            scope: &scope,
            columns: COLUMNS,
            query,
            page_size,
        };
        list_page(self.tenant.store(), &q, from_columns).await
    }

    /// The number of the tenant's records matching `filter`.
    pub async fn count(&self, filter: Option<&BoundExpr>) -> Result<u64, StoreError> {
        count_rows(self.tenant.store(), &AUDIT_RECORDS, &self.scope(), filter).await
    }
}
