//! Alert reads of one tenant: pages of a view (filter, order, keyset paging, count), counts, and
//! single alerts, as stored documents ready to send or as typed [`StoredAlert`]s.

use crate::dialect::statement;
use crate::encode::decode;
use crate::error::StoreError;
use crate::query::paging::{
    decode_token, encode_token, keyset_predicate, order_by_clause, shape_hash, sort_keys,
};
use crate::query::render::render_filter;
use crate::query::{AlertView, SqlParams};
use crate::tenant::TenantStore;
use crate::value::{Row, Value};
use model::{AlertId, StoredAlert};
use odata::bound::{BoundExpr, BoundQuery};

/// One page request.
#[derive(Debug, Clone, Copy)]
pub struct ListRequest<'a> {
    /// Which document to return and filter on.
    pub view: AlertView,
    /// `filter`, `orderby`, `count`, `skiptoken` and `skip` are used; `top` is not (see `page_size`).
    pub query: &'a BoundQuery,
    /// Rows per page, already clamped by the API.
    pub page_size: u32,
}

/// One page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The rows, in order.
    pub items: Vec<RawAlert>,
    /// The `$skiptoken` of the next page; `None` on the last page.
    pub next_skiptoken: Option<String>,
    /// The number of rows matching the filter (ignoring paging) when `$count=true`.
    pub count: Option<u64>,
}

/// An alert as its view's stored JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawAlert {
    /// The alert id.
    pub id: AlertId,
    /// The view's document.
    pub json: String,
    /// The document holds an evolvable enum member (callers without
    /// `Prefer: include-unknown-enum-members` must see `unknownFutureValue` instead).
    pub has_evolvable: bool,
    /// Where the evolvable members are: the byte ranges, in `json`, of the string values to show as
    /// `unknownFutureValue` to callers that did not opt in. `None` with `has_evolvable` means the
    /// document must be rewritten by parsing it.
    pub evolvable_spans: Option<Vec<std::ops::Range<usize>>>,
}

impl RawAlert {
    /// The document as a caller sees it: unchanged when `include_unknown_enum_members`, else with
    /// every evolvable member replaced by `unknownFutureValue`. `None` when only a full rewrite can
    /// do that (see [`RawAlert::evolvable_spans`]).
    pub fn visible_json(
        &self,
        include_unknown_enum_members: bool,
    ) -> Option<std::borrow::Cow<'_, str>> {
        if include_unknown_enum_members || !self.has_evolvable {
            return Some(std::borrow::Cow::Borrowed(&self.json));
        }
        let spans = self.evolvable_spans.as_ref()?;
        crate::evolvable::apply_spans(&self.json, spans).map(std::borrow::Cow::Owned)
    }
}

impl TenantStore {
    /// A page of alerts in `req.view`.
    pub async fn list_alerts(&self, req: ListRequest<'_>) -> Result<Page, StoreError> {
        let count = match req.query.count {
            true => Some(
                self.count_alerts(req.view, req.query.filter.as_ref())
                    .await?,
            ),
            false => None,
        };
        if req.page_size == 0 {
            return Ok(Page {
                items: Vec::new(),
                next_skiptoken: None,
                count,
            });
        }
        let list = self.list_sql(&req)?;
        let rows = self.store().read(&list.sql, &list.params).await?;
        page_from_rows(rows, req.page_size as usize, list.hash, count)
    }

    /// The query plan the backend chooses for `req`'s page query, one line per plan step
    /// (diagnostics: tests and benchmarks check that hot filters are index-driven; see
    /// [`Dialect::explain`](crate::dialect::Dialect::explain)). Runs in a write transaction, where
    /// the settings it needs stay local.
    pub async fn explain_list(&self, req: ListRequest<'_>) -> Result<Vec<String>, StoreError> {
        let list = self.list_sql(&req)?;
        let (sql, settings) = self.store().dialect().explain(&list.sql);
        let rows = self
            .store()
            .write(move |tx| {
                for setting in settings {
                    tx.execute(setting, &[])?;
                }
                tx.query(&sql, &list.params)
            })
            .await?;
        rows.into_iter()
            .filter_map(|r| r.into_iter().last())
            .map(|v| v.into_text("plan detail"))
            .collect()
    }

    /// The page query: tenant scope, filter, keyset continuation, order, `LIMIT page_size + 1`.
    fn list_sql(&self, req: &ListRequest<'_>) -> Result<ListSql, StoreError> {
        let q = req.query;
        let mut p = SqlParams::new(self.store().dialect());
        let mut cond = format!(
            "alerts.tenant_id = {}",
            p.bind(self.tenant_id().as_str().into())
        );
        if let Some(f) = &q.filter {
            cond = format!("{cond} AND ({})", render_filter(&mut p, req.view, f)?);
        }
        let keys = sort_keys(&mut p, req.view, &q.orderby)?;
        let order = order_by_clause(&p, &keys);
        let params_text = format!("{:?}", p.params);
        let hash = shape_hash(&[
            req.view.name(),
            self.tenant_id().as_str(),
            &cond,
            &params_text,
            &order,
        ]);
        let offset = match &q.skiptoken {
            Some(token) => {
                let values = decode_token(token, hash, keys.len())?;
                cond = format!("{cond} AND ({})", keyset_predicate(&mut p, &keys, &values));
                0
            }
            None => q.skip.unwrap_or(0),
        };
        let key_cols: Vec<&str> = keys.iter().map(|k| k.sql.as_str()).collect();
        let limit = p.bind(Value::Int(i64::from(req.page_size) + 1));
        let offset = p.bind(Value::Int(i64::try_from(offset).unwrap_or(i64::MAX)));
        let sql = format!(
            "SELECT alerts.id, {}, alerts.evolvable, {} FROM alerts WHERE {cond} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
            req.view.doc_column(),
            key_cols.join(", "),
        );
        Ok(ListSql {
            sql,
            params: p.params,
            hash,
        })
    }

    /// The number of alerts in `view` matching `filter`.
    pub async fn count_alerts(
        &self,
        view: AlertView,
        filter: Option<&BoundExpr>,
    ) -> Result<u64, StoreError> {
        let mut p = SqlParams::new(self.store().dialect());
        let mut sql = format!(
            "SELECT COUNT(*) FROM alerts WHERE alerts.tenant_id = {}",
            p.bind(self.tenant_id().as_str().into())
        );
        if let Some(f) = filter {
            let f = render_filter(&mut p, view, f)?;
            sql = format!("{sql} AND ({f})");
        }
        let rows = self.store().read(&sql, &p.params).await?;
        let n = rows
            .first()
            .and_then(|r| r.first())
            .map_or(Ok(0), |v| v.as_int("COUNT(*)"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// One alert, typed.
    pub async fn get_alert(&self, id: &AlertId) -> Result<Option<StoredAlert>, StoreError> {
        let sql = statement(
            self.store().dialect(),
            "SELECT doc, extra FROM alerts WHERE tenant_id = $1 AND id = $2",
        );
        let rows = self
            .store()
            .read(
                &sql,
                &[self.tenant_id().as_str().into(), id.as_str().into()],
            )
            .await?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let mut cols = row.into_iter();
        let doc = cols.next().unwrap_or(Value::Null).into_text("alerts.doc")?;
        let extra = cols
            .next()
            .unwrap_or(Value::Null)
            .into_text("alerts.extra")?;
        decode(&doc, &extra).map(Some)
    }

    /// One alert as `view`'s stored document.
    pub async fn get_alert_raw(
        &self,
        view: AlertView,
        id: &AlertId,
    ) -> Result<Option<RawAlert>, StoreError> {
        let template = format!(
            "SELECT alerts.id, {}, alerts.evolvable FROM alerts WHERE alerts.tenant_id = $1 AND alerts.id = $2",
            view.doc_column()
        );
        let sql = statement(self.store().dialect(), &template);
        let rows = self
            .store()
            .read(
                &sql,
                &[self.tenant_id().as_str().into(), id.as_str().into()],
            )
            .await?;
        rows.into_iter()
            .next()
            .map(|r| raw_from_row(r).map(|(raw, _)| raw))
            .transpose()
    }
}

/// A rendered page query.
struct ListSql {
    sql: String,
    params: Vec<Value>,
    /// The query-shape hash its skip tokens carry.
    hash: u64,
}

/// Splits a row `id, doc, has_evolvable, keys...` into the alert and its sort-key values.
fn raw_from_row(row: Row) -> Result<(RawAlert, Vec<Value>), StoreError> {
    let mut cols = row.into_iter();
    let id = AlertId(cols.next().unwrap_or(Value::Null).into_text("alerts.id")?);
    let json = cols.next().unwrap_or(Value::Null).into_text("alerts.doc")?;
    let evolvable = match cols.next().unwrap_or(Value::Null) {
        Value::Null => None,
        v => Some(v.into_text("alerts.evolvable")?),
    };
    let evolvable_spans = evolvable
        .as_deref()
        .and_then(crate::evolvable::decode_spans);
    Ok((
        RawAlert {
            id,
            json,
            has_evolvable: evolvable.is_some(),
            evolvable_spans,
        },
        cols.collect(),
    ))
}

fn page_from_rows(
    rows: Vec<Row>,
    page_size: usize,
    hash: u64,
    count: Option<u64>,
) -> Result<Page, StoreError> {
    let more = rows.len() > page_size;
    let mut items = Vec::with_capacity(rows.len().min(page_size));
    let mut last_keys = Vec::new();
    for row in rows.into_iter().take(page_size) {
        let (raw, keys) = raw_from_row(row)?;
        items.push(raw);
        last_keys = keys;
    }
    let next_skiptoken = more.then(|| encode_token(hash, &last_keys));
    Ok(Page {
        items,
        next_skiptoken,
        count,
    })
}
