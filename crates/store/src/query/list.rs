//! One page of a document table, for any entity: the scope (tenant, and owner where the entity has
//! one), the rendered `$filter`, the order with its `id` tiebreaker, the keyset continuation of a
//! `$skiptoken` or the `$skip` offset, and `LIMIT page_size + 1` (the extra row says whether a
//! next page exists). Each entity module chooses the columns it selects and decodes its rows.

use super::paging::{
    decode_token, encode_token, keyset_predicate, order_by_clause, shape_hash, sort_keys,
};
use super::render::render_filter;
use super::{Documents, SqlParams};
use crate::dialect::Dialect;
use crate::error::StoreError;
use crate::handle::Store;
use crate::value::{Row, Value};
use odata::bound::{BoundExpr, BoundQuery};

/// One page of an entity set (tiIndicators, securityActions).
#[derive(Debug, Clone)]
pub struct EntityPage<T> {
    /// The entities, in order.
    pub items: Vec<T>,
    /// The `$skiptoken` of the next page; `None` on the last page.
    pub next_skiptoken: Option<String>,
    /// The number matching the filter (ignoring paging) when `$count=true`.
    pub count: Option<u64>,
}

/// The page `q` describes, counted first when its query asks `$count=true` (what every entity
/// set's `list` does).
pub(crate) async fn list_page<T>(
    store: &Store,
    q: &PageQuery<'_>,
    decode: impl FnMut(&mut std::vec::IntoIter<Value>) -> Result<T, StoreError>,
) -> Result<EntityPage<T>, StoreError> {
    let count = match q.query.count {
        true => Some(count_rows(store, q.docs, q.scope, q.query.filter.as_ref()).await?),
        false => None,
    };
    read_page(store, q, count, decode).await
}

/// The number of rows of `docs` in `scope` matching `filter`.
pub(crate) async fn count_rows(
    store: &Store,
    docs: &'static Documents,
    scope: &[(&'static str, Value)],
    filter: Option<&BoundExpr>,
) -> Result<u64, StoreError> {
    let (sql, params) = count_sql(store.dialect(), docs, scope, filter)?;
    count_from_rows(&store.read(&sql, &params).await?)
}

/// Reads the page `q` describes, decoding each row with `decode`; `count` is the already counted
/// total of a `$count=true` query. A page size of 0 reads nothing.
async fn read_page<T>(
    store: &Store,
    q: &PageQuery<'_>,
    count: Option<u64>,
    decode: impl FnMut(&mut std::vec::IntoIter<Value>) -> Result<T, StoreError>,
) -> Result<EntityPage<T>, StoreError> {
    if q.page_size == 0 {
        return Ok(EntityPage {
            items: Vec::new(),
            next_skiptoken: None,
            count,
        });
    }
    let page = page_sql(store.dialect(), q)?;
    let rows = store.read(&page.sql, &page.params).await?;
    let (items, next_skiptoken) = split_page(rows, q.page_size as usize, page.hash, decode)?;
    Ok(EntityPage {
        items,
        next_skiptoken,
        count,
    })
}

/// A page query before rendering.
pub(crate) struct PageQuery<'a> {
    /// The documents queried.
    pub(crate) docs: &'static Documents,
    /// Equalities every row must meet (`tenant_id` first), as (unqualified column, value).
    pub(crate) scope: &'a [(&'static str, Value)],
    /// The selected columns before the sort keys (qualified, comma-separated).
    pub(crate) columns: &'static str,
    /// `filter`, `orderby`, `skiptoken` and `skip` are used.
    pub(crate) query: &'a BoundQuery,
    /// Rows per page.
    pub(crate) page_size: u32,
}

/// A rendered page query.
pub(crate) struct PageSql {
    pub(crate) sql: String,
    pub(crate) params: Vec<Value>,
    /// The query-shape hash its skip tokens carry.
    pub(crate) hash: u64,
}

/// The scope and filter as one predicate.
fn condition(
    p: &mut SqlParams,
    docs: &'static Documents,
    scope: &[(&'static str, Value)],
    filter: Option<&BoundExpr>,
) -> Result<String, StoreError> {
    let mut terms: Vec<String> = scope
        .iter()
        .map(|(column, value)| format!("{}.{column} = {}", docs.table, p.bind(value.clone())))
        .collect();
    if let Some(f) = filter {
        terms.push(format!("({})", render_filter(p, docs, f)?));
    }
    Ok(terms.join(" AND "))
}

/// Renders `q`.
pub(crate) fn page_sql(
    dialect: &'static dyn Dialect,
    q: &PageQuery<'_>,
) -> Result<PageSql, StoreError> {
    let mut p = SqlParams::new(dialect);
    let mut cond = condition(&mut p, q.docs, q.scope, q.query.filter.as_ref())?;
    let keys = sort_keys(&mut p, q.docs, &q.query.orderby)?;
    let order = order_by_clause(&p, &keys);
    let params_text = format!("{:?}", p.params);
    let hash = shape_hash(&[q.docs.name, &cond, &params_text, &order]);
    let offset = match &q.query.skiptoken {
        Some(token) => {
            let values = decode_token(token, hash, keys.len())?;
            cond = format!("{cond} AND ({})", keyset_predicate(&mut p, &keys, &values));
            0
        }
        None => q.query.skip.unwrap_or(0),
    };
    let key_cols: Vec<&str> = keys.iter().map(|k| k.sql.as_str()).collect();
    let limit = p.bind(Value::Int(i64::from(q.page_size) + 1));
    let offset = p.bind(Value::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
    let sql = format!(
        "SELECT {}, {} FROM {} WHERE {cond} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
        q.columns,
        key_cols.join(", "),
        q.docs.table,
    );
    Ok(PageSql {
        sql,
        params: p.params,
        hash,
    })
}

/// `SELECT COUNT(*)` of the rows in `scope` matching `filter`.
fn count_sql(
    dialect: &'static dyn Dialect,
    docs: &'static Documents,
    scope: &[(&'static str, Value)],
    filter: Option<&BoundExpr>,
) -> Result<(String, Vec<Value>), StoreError> {
    let mut p = SqlParams::new(dialect);
    let cond = condition(&mut p, docs, scope, filter)?;
    Ok((
        format!("SELECT COUNT(*) FROM {} WHERE {cond}", docs.table),
        p.params,
    ))
}

/// The single integer a `COUNT(*)` returned.
fn count_from_rows(rows: &[Row]) -> Result<u64, StoreError> {
    let n = rows
        .first()
        .and_then(|r| r.first())
        .map_or(Ok(0), |v| v.as_int("COUNT(*)"))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The items of a page's rows (`columns` decoded by `decode`, which takes them from the front of
/// the row and leaves the sort keys) and the `$skiptoken` of the next page.
pub(crate) fn split_page<T>(
    rows: Vec<Row>,
    page_size: usize,
    hash: u64,
    mut decode: impl FnMut(&mut std::vec::IntoIter<Value>) -> Result<T, StoreError>,
) -> Result<(Vec<T>, Option<String>), StoreError> {
    let more = rows.len() > page_size;
    let mut items = Vec::with_capacity(rows.len().min(page_size));
    let mut last_keys = Vec::new();
    for row in rows.into_iter().take(page_size) {
        let mut cols = row.into_iter();
        items.push(decode(&mut cols)?);
        last_keys = cols.collect();
    }
    Ok((items, more.then(|| encode_token(hash, &last_keys))))
}
