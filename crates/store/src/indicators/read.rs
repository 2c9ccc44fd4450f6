//! Indicator reads: one by id, OData pages and counts, everything in scope (the matcher's
//! snapshot), and the tenant's indicator change log.

use super::{time_text, IndicatorStore, StoredIndicator, COLUMNS, TI_INDICATORS};
use crate::dialect::{placeholders, statement};
use crate::error::StoreError;
use crate::outbox::parse_time;
use crate::query::list::{count_rows, list_page, EntityPage, PageQuery};
use crate::value::Value;
use odata::bound::{BoundExpr, BoundQuery};
use std::collections::HashSet;
use time::OffsetDateTime;

/// One page of indicators.
pub type IndicatorPage = EntityPage<StoredIndicator>;

/// One entry of a tenant's indicator change log: indicator `indicator_id` was created, changed or
/// deleted (read it to know which).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorChange {
    /// The position in the tenant's log (gap-free, increasing).
    pub seq: i64,
    /// The indicator.
    pub indicator_id: String,
    /// When it was written.
    pub at: OffsetDateTime,
}

impl IndicatorStore {
    /// One indicator in scope.
    pub async fn get(&self, id: &str) -> Result<Option<StoredIndicator>, StoreError> {
        let (scope, mut params) = self.scope_sql();
        let n = params.len() + 1;
        params.push(id.into());
        let sql = statement(
            self.tenant.store().dialect(),
            &format!("SELECT {COLUMNS} FROM ti_indicators WHERE {scope} AND id = ${n}"),
        );
        let rows = self.tenant.store().read(&sql, &params).await?;
        rows.into_iter()
            .next()
            .map(|r| StoredIndicator::from_columns(&mut r.into_iter()))
            .transpose()
    }

    /// A page of the indicators in scope: `query`'s filter, order, `$count`, `$skiptoken` and
    /// `$skip`, `page_size` rows at most (already clamped by the caller).
    pub async fn list(
        &self,
        query: &BoundQuery,
        page_size: u32,
    ) -> Result<IndicatorPage, StoreError> {
        let scope = self.scope();
        let q = PageQuery {
            docs: &TI_INDICATORS,
            scope: &scope,
            columns: COLUMNS,
            query,
            page_size,
        };
        list_page(self.tenant.store(), &q, StoredIndicator::from_columns).await
    }

    /// The number of indicators in scope matching `filter`.
    pub async fn count(&self, filter: Option<&BoundExpr>) -> Result<u64, StoreError> {
        count_rows(self.tenant.store(), &TI_INDICATORS, &self.scope(), filter).await
    }

    /// Every indicator in scope that has not expired at `now`, in id order (what a matcher
    /// snapshot is built from).
    pub async fn unexpired(&self, now: OffsetDateTime) -> Result<Vec<StoredIndicator>, StoreError> {
        let (scope, mut params) = self.scope_sql();
        let n = params.len() + 1;
        params.push(time_text(now));
        let sql = statement(
            self.tenant.store().dialect(),
            &format!(
                "SELECT {COLUMNS} FROM ti_indicators WHERE {scope} AND expiration_date_time > ${n} \
                 ORDER BY id"
            ),
        );
        let rows = self.tenant.store().read(&sql, &params).await?;
        rows.into_iter()
            .map(|r| StoredIndicator::from_columns(&mut r.into_iter()))
            .collect()
    }

    /// The distinct `externalId`s of the indicators in scope (indicators without one are not
    /// counted): what an import checks so that loading the same feed again adds nothing.
    pub async fn external_ids(&self) -> Result<HashSet<String>, StoreError> {
        let (scope, params) = self.scope_sql();
        let sql = statement(
            self.tenant.store().dialect(),
            &format!(
                "SELECT DISTINCT external_id FROM ti_indicators WHERE {scope} \
                 AND external_id IS NOT NULL"
            ),
        );
        let rows = self.tenant.store().read(&sql, &params).await?;
        rows.into_iter()
            .map(|row| match row.into_iter().next() {
                Some(v) => v.into_text("ti_indicators.external_id"),
                None => Err(StoreError::Corrupt("external id row lacks a column".into())),
            })
            .collect()
    }

    /// The indicators of `ids` in scope (those still stored), in id order.
    pub async fn get_many(&self, ids: &[String]) -> Result<Vec<StoredIndicator>, StoreError> {
        let mut found = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let (scope, mut params) = self.scope_sql();
            let list = placeholders(params.len() + 1, chunk.len());
            params.extend(chunk.iter().map(|id| Value::from(id.as_str())));
            let sql = statement(
                self.tenant.store().dialect(),
                &format!(
                    "SELECT {COLUMNS} FROM ti_indicators WHERE {scope} AND id IN ({list}) ORDER BY id"
                ),
            );
            for row in self.tenant.store().read(&sql, &params).await? {
                found.push(StoredIndicator::from_columns(&mut row.into_iter())?);
            }
        }
        Ok(found)
    }

    /// The tenant's indicator sequence: the position of the latest entry of its change log.
    pub async fn sequence(&self) -> Result<i64, StoreError> {
        let sql = statement(
            self.tenant.store().dialect(),
            "SELECT ti_seq FROM tenants WHERE id = $1",
        );
        let rows = self
            .tenant
            .store()
            .read(&sql, &[self.tenant.tenant_id().as_str().into()])
            .await?;
        match rows.first().and_then(|r| r.first()) {
            Some(v) => v.as_int("tenants.ti_seq"),
            None => Err(StoreError::UnknownTenant(self.tenant.tenant_id().clone())),
        }
    }

    /// The tenant's indicator change log after `after_seq`, oldest first, at most `limit` entries
    /// (the log is the tenant's, whatever this store's owner).
    pub async fn changes_since(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<IndicatorChange>, StoreError> {
        let sql = statement(
            self.tenant.store().dialect(),
            "SELECT seq, indicator_id, at FROM ti_indicator_changes \
             WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        );
        let params = [
            self.tenant.tenant_id().as_str().into(),
            Value::Int(after_seq),
            Value::Int(i64::from(limit)),
        ];
        let rows = self.tenant.store().read(&sql, &params).await?;
        rows.into_iter()
            .map(|row| {
                let mut cols = row.into_iter();
                let mut next = |what: &str| {
                    cols.next()
                        .ok_or_else(|| StoreError::Corrupt(format!("change row lacks {what}")))
                };
                Ok(IndicatorChange {
                    seq: next("seq")?.as_int("ti_indicator_changes.seq")?,
                    indicator_id: next("indicator_id")?
                        .into_text("ti_indicator_changes.indicator_id")?,
                    at: parse_time(&next("at")?.into_text("ti_indicator_changes.at")?)?,
                })
            })
            .collect()
    }
}
