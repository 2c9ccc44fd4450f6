//! Reading and writing subscription rows of one tenant.

use super::{Subscription, SubscriptionStore};
use crate::dialect::statement;
use crate::error::StoreError;
use crate::value::{Row, Value};
use model::datetime;
use time::OffsetDateTime;

const COLUMNS: &str = "doc";

impl SubscriptionStore {
    /// Runs the write statement `template` (numbered placeholders) with `params`; how many rows
    /// it changed.
    async fn execute(
        &self,
        template: &'static str,
        params: Vec<Value>,
    ) -> Result<usize, StoreError> {
        self.tenant
            .store()
            .write(move |tx| tx.execute(&statement(tx.dialect(), template), &params))
            .await
    }

    /// Stores a new subscription owned by `application_id` (its resource was checked by the
    /// caller).
    pub async fn create(&self, sub: &Subscription) -> Result<(), StoreError> {
        let kind = sub.kind().ok_or_else(|| {
            StoreError::Rejected(format!("'{}' is not subscribable", sub.resource))
        })?;
        let params = vec![
            self.tenant.tenant_id().as_str().into(),
            sub.id.as_str().into(),
            sub.application_id.clone().unwrap_or_default().into(),
            kind.as_str().into(),
            sub.change_type.as_str().into(),
            datetime::format(sub.expiration_date_time).into(),
            doc_text(sub)?.into(),
        ];
        self.execute(
            "INSERT INTO subscriptions (tenant_id, id, application_id, resource_kind, \
                     change_types, expires, doc) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            params,
        )
        .await?;
        Ok(())
    }

    /// One subscription of the tenant.
    pub async fn get(&self, id: &str) -> Result<Option<Subscription>, StoreError> {
        let store = self.tenant.store();
        let sql = statement(
            store.dialect(),
            &format!("SELECT {COLUMNS} FROM subscriptions WHERE tenant_id = $1 AND id = $2"),
        );
        let params = [self.tenant.tenant_id().as_str().into(), id.into()];
        let rows = store.read(&sql, &params).await?;
        rows.into_iter().next().map(from_row).transpose()
    }

    /// A page of the tenant's subscriptions in id order (stable while they are renewed): those of
    /// `application_id` only, or every application's with `None`; at most `limit`, starting after
    /// the id `after`. The second value tells whether more follow.
    pub async fn list_page(
        &self,
        application_id: Option<&str>,
        after: Option<&str>,
        limit: usize,
    ) -> Result<(Vec<Subscription>, bool), StoreError> {
        let store = self.tenant.store();
        let mut params: Vec<Value> = vec![self.tenant.tenant_id().as_str().into()];
        let mut sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE tenant_id = $1");
        if let Some(app) = application_id {
            params.push(app.into());
            sql.push_str(&format!(" AND application_id = ${}", params.len()));
        }
        if let Some(after) = after {
            params.push(after.into());
            sql.push_str(&format!(" AND id > ${}", params.len()));
        }
        params.push(Value::Int(
            i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1),
        ));
        sql.push_str(&format!(" ORDER BY id LIMIT ${}", params.len()));
        let rows = store
            .read(&statement(store.dialect(), &sql), &params)
            .await?;
        let mut page: Vec<Subscription> =
            rows.into_iter().map(from_row).collect::<Result<_, _>>()?;
        let more = page.len() > limit;
        page.truncate(limit);
        Ok((page, more))
    }

    /// Replaces a subscription's document (renewal, URL change, reauthorization); clears the
    /// record of a queued `reauthorizationRequired` so the next one is sent when due. Returns
    /// whether it existed.
    pub async fn update(&self, sub: &Subscription) -> Result<bool, StoreError> {
        let params = vec![
            self.tenant.tenant_id().as_str().into(),
            sub.id.as_str().into(),
            datetime::format(sub.expiration_date_time).into(),
            doc_text(sub)?.into(),
        ];
        let n = self
            .execute(
                "UPDATE subscriptions SET expires = $3, doc = $4, reauth_queued = NULL \
                     WHERE tenant_id = $1 AND id = $2",
                params,
            )
            .await?;
        Ok(n > 0)
    }

    /// Deletes a subscription (its undelivered notifications are dropped when their turn comes).
    /// Returns whether it existed.
    pub async fn delete(&self, id: &str) -> Result<bool, StoreError> {
        let params = vec![self.tenant.tenant_id().as_str().into(), id.into()];
        let n = self
            .execute(
                "DELETE FROM subscriptions WHERE tenant_id = $1 AND id = $2",
                params,
            )
            .await?;
        Ok(n > 0)
    }

    /// Marks the subscription's receiver slow until `until`: changes committed before then go to
    /// the slow lane ([`super::SLOW_CHANGE_KIND`]).
    pub async fn mark_slow(&self, id: &str, until: OffsetDateTime) -> Result<(), StoreError> {
        let params = vec![
            self.tenant.tenant_id().as_str().into(),
            id.into(),
            datetime::format(until).into(),
        ];
        self.execute(
            "UPDATE subscriptions SET slow_until = $3 WHERE tenant_id = $1 AND id = $2",
            params,
        )
        .await?;
        Ok(())
    }

    /// Until when the subscription's receiver counts as slow (`None`: it does not, or the
    /// subscription is gone).
    pub async fn slow_until(&self, id: &str) -> Result<Option<OffsetDateTime>, StoreError> {
        let store = self.tenant.store();
        let sql = statement(
            store.dialect(),
            "SELECT slow_until FROM subscriptions WHERE tenant_id = $1 AND id = $2",
        );
        let params = [self.tenant.tenant_id().as_str().into(), id.into()];
        let rows = store.read(&sql, &params).await?;
        let Some(v) = rows.into_iter().next().and_then(|r| r.into_iter().next()) else {
            return Ok(None);
        };
        v.into_opt_text("subscriptions.slow_until")?
            .map(|t| crate::outbox::parse_time(&t))
            .transpose()
    }
}

/// The document text of `sub`.
pub(super) fn doc_text(sub: &Subscription) -> Result<String, StoreError> {
    serde_json::to_string(sub).map_err(|e| StoreError::Corrupt(format!("subscription: {e}")))
}

/// Decodes a row whose first column is `doc`.
pub(super) fn from_row(row: Row) -> Result<Subscription, StoreError> {
    let text = row
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Corrupt("subscription row lacks doc".into()))?
        .into_text("subscriptions.doc")?;
    serde_json::from_str(&text)
        .map_err(|e| StoreError::Corrupt(format!("subscription document: {e}")))
}
