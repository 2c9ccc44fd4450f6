//! Security action reads: one by id, OData pages (newest first, keyset-paged by `(created, id)`)
//! and counts.

use super::{from_columns, SecurityAction, SecurityActionStore, COLUMNS, SECURITY_ACTIONS};
use crate::dialect::statement;
use crate::error::StoreError;
use crate::query::list::{count_rows, list_page, EntityPage, PageQuery};
use crate::value::Value;
use odata::bound::{BoundExpr, BoundQuery};

/// One page of security actions.
pub type SecurityActionPage = EntityPage<SecurityAction>;

impl SecurityActionStore {
    /// The tenant scope every statement starts from.
    fn scope(&self) -> [(&'static str, Value); 1] {
        [("tenant_id", self.tenant.tenant_id().as_str().into())]
    }

    /// The action `id` of this tenant.
    pub async fn get(&self, id: &str) -> Result<Option<SecurityAction>, StoreError> {
        let sql = statement(
            self.tenant.store().dialect(),
            &format!("SELECT {COLUMNS} FROM security_actions WHERE tenant_id = $1 AND id = $2"),
        );
        let params = [self.tenant.tenant_id().as_str().into(), id.into()];
        let rows = self.tenant.store().read(&sql, &params).await?;
        rows.into_iter()
            .next()
            .map(|r| from_columns(&mut r.into_iter()))
            .transpose()
    }

    /// A page of the tenant's actions: `query`'s filter (bound against
    /// [`super::SECURITY_ACTION`]), order (newest first by default), `$count`, `$skiptoken` and
    /// `$skip`; `page_size` rows at most (already clamped by the caller).
    pub async fn list(
        &self,
        query: &BoundQuery,
        page_size: u32,
    ) -> Result<SecurityActionPage, StoreError> {
        let scope = self.scope();
        let q = PageQuery {
            docs: &SECURITY_ACTIONS,
            scope: &scope,
            columns: COLUMNS,
            query,
            page_size,
        };
        list_page(self.tenant.store(), &q, from_columns).await
    }

    /// The number of the tenant's actions matching `filter`.
    pub async fn count(&self, filter: Option<&BoundExpr>) -> Result<u64, StoreError> {
        count_rows(
            self.tenant.store(),
            &SECURITY_ACTIONS,
            &self.scope(),
            filter,
        )
        .await
    }
}
