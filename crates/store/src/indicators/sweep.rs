//! The sweeper's query: deleting, in every tenant, indicators expired past the retention period.

use super::rows::first_text;
use super::time_text;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::Value;
use model::TenantId;
use time::OffsetDateTime;

impl crate::handle::Store {
    /// Deletes, in every tenant, the indicators that expired before `cutoff` (the sweeper: expired
    /// indicators already stopped matching at their expiry; this reclaims them after the retention
    /// period). Returns how many were deleted.
    pub async fn sweep_expired_indicators(
        &self,
        cutoff: OffsetDateTime,
    ) -> Result<usize, StoreError> {
        self.sweep_indicators_where(cutoff, "1 = 1", Vec::new())
            .await
    }

    /// [`Store::sweep_expired_indicators`] with each tenant's cutoff `retention` before its own
    /// now ([`Store::now_for`]: emulator mode may move a tenant's clock).
    pub async fn sweep_indicators_retaining(
        &self,
        retention: std::time::Duration,
    ) -> Result<usize, StoreError> {
        let mut deleted = 0;
        for scope in self.time_scopes() {
            let (tenants, params) = scope.condition("tenant_id", 2);
            deleted += self
                .sweep_indicators_where(scope.now - retention, &tenants, params)
                .await?;
        }
        Ok(deleted)
    }

    /// Deletes the indicators expired before `cutoff` of the tenants `tenants` selects (a condition
    /// whose parameters, `params`, start at `$2`).
    async fn sweep_indicators_where(
        &self,
        cutoff: OffsetDateTime,
        tenants: &str,
        mut params: Vec<Value>,
    ) -> Result<usize, StoreError> {
        let sql = statement(
            self.dialect(),
            &format!(
                "SELECT DISTINCT tenant_id FROM ti_indicators \
                 WHERE expiration_date_time < $1 AND {tenants}"
            ),
        );
        params.insert(0, time_text(cutoff));
        let rows = self.read(&sql, &params).await?;
        let mut deleted = 0;
        for row in rows {
            let tenant = TenantId(first_text(row, "ti_indicators.tenant_id")?);
            deleted += self
                .tenant(&tenant)
                .all_indicators()
                .delete_expired(cutoff)
                .await?;
        }
        Ok(deleted)
    }
}
