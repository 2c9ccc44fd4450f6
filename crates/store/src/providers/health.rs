//! Each provider's health and freshness in each tenant: when its alerts last arrived (pushed or
//! pulled), how late they were, how many arrived, the last failure talking to it, and the pull
//! cursor. Written in the same transaction as the alerts it describes.

use super::ProviderStore;
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::identity::Cols;
use crate::value::{Row, Value};
use model::{datetime, TenantId};
use time::OffsetDateTime;

/// One provider's state in one tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderHealth {
    /// The provider's registry id.
    pub provider_id: String,
    /// When a push last stored its alerts.
    pub last_push: Option<OffsetDateTime>,
    /// When a pull last stored its alerts.
    pub last_pull: Option<OffsetDateTime>,
    /// The pull cursor secgraph holds.
    pub pull_cursor: Option<String>,
    /// Lag of the last batch: how long after its newest `lastUpdateDateTime` it was stored, in
    /// milliseconds (0 when the provider's clock is ahead).
    pub lag_ms: Option<i64>,
    /// Alerts received in this tenant, all outcomes but rejected.
    pub alerts_received: i64,
    /// The last failure calling the provider for this tenant.
    pub last_error: Option<String>,
    /// When it happened.
    pub last_error_at: Option<OffsetDateTime>,
}

/// How a provider's batch reached secgraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// The provider pushed it.
    Push,
    /// secgraph pulled it.
    Pull,
}

/// Records a stored batch of `count` alerts inside the batch's transaction.
pub(crate) fn record_batch(
    tx: &mut dyn Tx,
    tenant: &TenantId,
    provider_id: &str,
    arrival: Arrival,
    count: usize,
    lag_ms: Option<i64>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let column = match arrival {
        Arrival::Push => "last_push",
        Arrival::Pull => "last_pull",
    };
    let sql = statement(
        tx.dialect(),
        &format!(
            "INSERT INTO provider_tenants (tenant_id, provider_id, {column}, lag_ms, alerts_received) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, provider_id) DO UPDATE SET \
             {column} = excluded.{column}, lag_ms = COALESCE(excluded.lag_ms, provider_tenants.lag_ms), \
             alerts_received = provider_tenants.alerts_received + excluded.alerts_received"
        ),
    );
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let params = [
        tenant.as_str().into(),
        provider_id.into(),
        datetime::format(now).into(),
        Value::from(lag_ms),
        Value::Int(count),
    ];
    tx.execute(&sql, &params)?;
    Ok(())
}

const COLUMNS: &str = "provider_id, last_push, last_pull, pull_cursor, lag_ms, alerts_received, \
                       last_error, last_error_at";

impl ProviderStore {
    /// The health of every provider that has delivered to or failed for `tenant`, by provider id.
    pub async fn health(&self, tenant: &TenantId) -> Result<Vec<ProviderHealth>, StoreError> {
        let sql = statement(
            self.store.dialect(),
            &format!(
                "SELECT {COLUMNS} FROM provider_tenants WHERE tenant_id = $1 ORDER BY provider_id"
            ),
        );
        let rows = self.store.read(&sql, &[tenant.as_str().into()]).await?;
        rows.into_iter().map(health_from_row).collect()
    }

    /// Records a failure calling `provider_id` for `tenant` (a callback or a poll).
    pub async fn record_error(
        &self,
        tenant: &TenantId,
        provider_id: &str,
        message: &str,
    ) -> Result<(), StoreError> {
        self.upsert(tenant, provider_id, "last_error", message.into(), true)
            .await
    }

    /// Stores the pull cursor after a page's alerts were stored.
    pub async fn set_pull_cursor(
        &self,
        tenant: &TenantId,
        provider_id: &str,
        cursor: &str,
    ) -> Result<(), StoreError> {
        self.upsert(tenant, provider_id, "pull_cursor", cursor.into(), false)
            .await
    }

    async fn upsert(
        &self,
        tenant: &TenantId,
        provider_id: &str,
        column: &'static str,
        value: Value,
        stamp_error: bool,
    ) -> Result<(), StoreError> {
        let now = datetime::format(self.store.clock().now());
        let (stamp_col, stamp_val, stamp_set) = if stamp_error {
            (
                ", last_error_at",
                ", $4",
                ", last_error_at = excluded.last_error_at",
            )
        } else {
            ("", "", "")
        };
        let template = format!(
            "INSERT INTO provider_tenants (tenant_id, provider_id, {column}{stamp_col}) \
             VALUES ($1, $2, $3{stamp_val}) ON CONFLICT (tenant_id, provider_id) DO UPDATE SET \
             {column} = excluded.{column}{stamp_set}"
        );
        let mut params = vec![tenant.as_str().into(), provider_id.into(), value];
        if stamp_error {
            params.push(now.into());
        }
        self.store
            .write(move |tx| {
                let sql = statement(tx.dialect(), &template);
                tx.execute(&sql, &params).map(|_| ())
            })
            .await
    }
}

fn health_from_row(row: Row) -> Result<ProviderHealth, StoreError> {
    let mut c = Cols::new("provider_tenants", row);
    Ok(ProviderHealth {
        provider_id: c.text("provider_id")?,
        last_push: c.opt_time("last_push")?,
        last_pull: c.opt_time("last_pull")?,
        pull_cursor: c.opt_text("pull_cursor")?,
        lag_ms: c.next("lag_ms")?.into_opt_int("provider_tenants.lag_ms")?,
        alerts_received: c
            .next("alerts_received")?
            .as_int("provider_tenants.alerts_received")?,
        last_error: c.opt_text("last_error")?,
        last_error_at: c.opt_time("last_error_at")?,
    })
}
