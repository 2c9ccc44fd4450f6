//! The sweeper's query: deleting, in every tenant, indicators expired past the retention period.

use super::rows::first_text;
use super::time_text;
use crate::dialect::statement;
use crate::error::StoreError;
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
        let sql = statement(
            self.dialect(),
            "SELECT DISTINCT tenant_id FROM ti_indicators WHERE expiration_date_time < $1",
        );
        let rows = self.read(&sql, &[time_text(cutoff)]).await?;
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
