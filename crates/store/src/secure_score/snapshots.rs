//! Score snapshots: one `secureScore` per tenant and day, read as OData pages (newest first),
//! written by the computation (replacing the day's earlier one), and pruned past retention.

use super::documents::{doc_text, score_from, SCORE_COLUMNS, SECURE_SCORES};
use super::SecureScoreStore;
use crate::backend::Tx;
use crate::dialect::statement;
use crate::error::StoreError;
use crate::query::list::{count_rows, list_page, EntityPage, PageQuery};
use crate::value::Value;
use model::datetime;
use model::secure_score::score::day_text;
use model::secure_score::{Peer, SecureScore};
use odata::bound::{BoundExpr, BoundQuery};
use time::Date;

/// One page of score snapshots.
pub type ScorePage = EntityPage<SecureScore>;

impl SecureScoreStore {
    /// A page of the tenant's snapshots, newest first unless `$orderby` says otherwise (so `$top=N`
    /// is the last N days), with `$filter`, `$count`, `$skiptoken` and `$skip`.
    pub async fn list_scores(
        &self,
        query: &BoundQuery,
        page_size: u32,
    ) -> Result<ScorePage, StoreError> {
        let scope = self.scope();
        let q = PageQuery {
            docs: &SECURE_SCORES,
            scope: &scope,
            columns: SCORE_COLUMNS,
            query,
            page_size,
        };
        list_page(self.store(), &q, score_from).await
    }

    /// The number of the tenant's snapshots matching `filter`.
    pub async fn count_scores(&self, filter: Option<&BoundExpr>) -> Result<u64, StoreError> {
        count_rows(self.store(), &SECURE_SCORES, &self.scope(), filter).await
    }

    /// The snapshot `id` (`{tenantId}_{yyyy-MM-dd}`).
    pub async fn get_score(&self, id: &str) -> Result<Option<SecureScore>, StoreError> {
        let sql = statement(
            self.store().dialect(),
            &format!("SELECT {SCORE_COLUMNS} FROM secure_scores WHERE tenant_id = $1 AND id = $2"),
        );
        let rows = self
            .store()
            .read(&sql, &[self.tenant_id().into(), id.into()])
            .await?;
        rows.into_iter()
            .next()
            .map(|r| score_from(&mut r.into_iter()))
            .transpose()
    }

    /// The tenant's latest snapshot, if any.
    pub async fn latest_score(&self) -> Result<Option<SecureScore>, StoreError> {
        let sql = statement(
            self.store().dialect(),
            &format!(
                "SELECT {SCORE_COLUMNS} FROM secure_scores WHERE tenant_id = $1 \
                 ORDER BY created DESC, id DESC LIMIT 1"
            ),
        );
        let rows = self.store().read(&sql, &[self.tenant_id().into()]).await?;
        rows.into_iter()
            .next()
            .map(|r| score_from(&mut r.into_iter()))
            .transpose()
    }
}

/// Writes `score` (replacing its day's earlier snapshot), copying what comparisons read.
pub(crate) fn put_score(
    tx: &mut dyn Tx,
    score: &SecureScore,
    industry: Option<&str>,
) -> Result<(), StoreError> {
    let sql = statement(
        tx.dialect(),
        "INSERT INTO secure_scores (tenant_id, id, day, created, current_score, \
         licensed_user_count, industry, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (tenant_id, id) DO UPDATE SET created = excluded.created, \
         current_score = excluded.current_score, \
         licensed_user_count = excluded.licensed_user_count, industry = excluded.industry, \
         doc = excluded.doc",
    );
    let day = score
        .created_date_time
        .to_offset(time::UtcOffset::UTC)
        .date();
    let params = [
        Value::from(score.azure_tenant_id.as_str()),
        Value::from(score.id.as_str()),
        Value::from(day_text(day)),
        Value::from(datetime::format(score.created_date_time)),
        Value::Real(score.current_score),
        Value::from(score.licensed_user_count.map(i64::from)),
        Value::from(industry.map(str::to_owned)),
        Value::from(doc_text(score, "secure score")?),
    ];
    tx.execute(&sql, &params).map(drop)
}

/// Every tenant's snapshot of `day` as comparisons see it.
pub(crate) fn peers_sql(tx_or_read: &dyn crate::dialect::Dialect) -> String {
    statement(
        tx_or_read,
        "SELECT tenant_id, current_score, licensed_user_count, industry FROM secure_scores \
         WHERE day = $1",
    )
}

/// Decodes the rows of [`peers_sql`].
pub(crate) fn peers_from(rows: Vec<Vec<Value>>) -> Result<Vec<Peer>, StoreError> {
    rows.into_iter()
        .map(|row| {
            let mut cols = row.into_iter();
            let mut next = || cols.next().unwrap_or(Value::Null);
            let tenant = next().into_text("secure_scores.tenant_id")?;
            let current_score = match next() {
                Value::Real(f) => f,
                Value::Int(i) => i as f64,
                other => {
                    return Err(StoreError::Corrupt(format!(
                        "secure_scores.current_score: expected a number, found {other:?}"
                    )))
                }
            };
            let seats = next().into_opt_int("secure_scores.licensed_user_count")?;
            Ok(Peer {
                tenant,
                current_score,
                licensed_user_count: seats.and_then(|n| i32::try_from(n).ok()),
                industry: next().into_opt_text("secure_scores.industry")?,
            })
        })
        .collect()
}

/// Deletes the snapshots of `scope`'s tenants of days before `first_kept`; returns how many.
pub(crate) fn prune(
    tx: &mut dyn Tx,
    first_kept: Date,
    scope: &crate::tenant_clocks::TimeScope,
) -> Result<usize, StoreError> {
    let (tenants, mut params) = scope.condition("tenant_id", 2);
    let sql = statement(
        tx.dialect(),
        &format!("DELETE FROM secure_scores WHERE day < $1 AND {tenants}"),
    );
    params.insert(0, day_text(first_kept).into());
    tx.execute(&sql, &params)
}
