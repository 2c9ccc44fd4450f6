//! Secure-score control states providers report (`POST /secgraph/v1/provider/controlStates`): the
//! latest state of each control per provider and tenant. A later report replaces the states of the
//! controls it names (names compared without case) and leaves the others; the secure-score
//! computation reads them with [`ProviderStore::control_states`].

use super::ProviderStore;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::Value;
use model::{datetime, TenantId};
use provider_protocol::ControlState;

/// One stored control state.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredControlState {
    /// The reporting provider's registry id.
    pub provider_id: String,
    /// The state as reported.
    pub state: ControlState,
}

impl ProviderStore {
    /// Stores a validated report of `provider_id` for `tenant` in one transaction.
    pub async fn report_control_states(
        &self,
        tenant: &TenantId,
        provider_id: &str,
        controls: Vec<ControlState>,
    ) -> Result<(), StoreError> {
        let now = datetime::format(self.store.clock().now());
        let mut rows = Vec::with_capacity(controls.len());
        for c in &controls {
            let doc = serde_json::to_string(c)
                .map_err(|e| StoreError::Corrupt(format!("control state: {e}")))?;
            rows.push(vec![
                Value::from(tenant.as_str()),
                Value::from(provider_id),
                Value::from(c.control_name.to_lowercase()),
                Value::from(doc),
                Value::from(now.as_str()),
            ]);
        }
        self.store
            .write(move |tx| {
                let sql = statement(
                    tx.dialect(),
                    "INSERT INTO provider_control_states \
                     (tenant_id, provider_id, control_key, doc, received) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (tenant_id, provider_id, control_key) DO UPDATE SET \
                     doc = excluded.doc, received = excluded.received",
                );
                for params in &rows {
                    tx.execute(&sql, params)?;
                }
                Ok(())
            })
            .await
    }

    /// Every control state reported for `tenant`, by provider and control.
    pub async fn control_states(
        &self,
        tenant: &TenantId,
    ) -> Result<Vec<StoredControlState>, StoreError> {
        let sql = statement(
            self.store.dialect(),
            "SELECT provider_id, doc FROM provider_control_states WHERE tenant_id = $1 \
             ORDER BY provider_id, control_key",
        );
        let rows = self.store.read(&sql, &[tenant.as_str().into()]).await?;
        rows.into_iter()
            .map(|row| {
                let mut it = row.into_iter();
                let mut next = |what: &str| {
                    it.next()
                        .unwrap_or(Value::Null)
                        .into_text(&format!("provider_control_states.{what}"))
                };
                let provider_id = next("provider_id")?;
                let state = serde_json::from_str(&next("doc")?)?;
                Ok(StoredControlState { provider_id, state })
            })
            .collect()
    }
}
