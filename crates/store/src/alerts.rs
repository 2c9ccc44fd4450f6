//! Alert reads of one tenant: pages of a view (filter, order, keyset paging, count), counts, and
//! single alerts, as stored documents ready to send or as typed [`StoredAlert`]s.

use crate::dialect::statement;
use crate::encode::decode;
use crate::error::StoreError;
use crate::query::list::{count_rows, page_sql, split_page, PageQuery, PageSql};
use crate::query::AlertView;
use crate::tenant::TenantStore;
use crate::value::Value;
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
        if self.shown_verbatim(include_unknown_enum_members) {
            return Some(std::borrow::Cow::Borrowed(&self.json));
        }
        let spans = self.evolvable_spans.as_ref()?;
        crate::evolvable::apply_spans(&self.json, spans).map(std::borrow::Cow::Owned)
    }

    /// Whether the caller sees the document as stored (it opted in, or nothing is hidden).
    fn shown_verbatim(&self, include_unknown_enum_members: bool) -> bool {
        include_unknown_enum_members || !self.has_evolvable
    }

    /// The most bytes [`RawAlert::write_visible`] appends (each hidden member may grow).
    pub fn visible_len_bound(&self) -> usize {
        let spans = self.evolvable_spans.as_ref().map_or(0, Vec::len);
        self.json.len() + spans * crate::evolvable::HIDDEN.len()
    }

    /// Appends `json[from..]` to `out` as [`RawAlert::visible_json`] shows it, without an
    /// intermediate copy. False, with nothing appended, when only a full rewrite can show it.
    pub fn write_visible(
        &self,
        out: &mut String,
        from: usize,
        include_unknown_enum_members: bool,
    ) -> bool {
        if self.shown_verbatim(include_unknown_enum_members) {
            return match self.json.get(from..) {
                Some(rest) => {
                    out.push_str(rest);
                    true
                }
                None => false,
            };
        }
        match &self.evolvable_spans {
            Some(spans) => crate::evolvable::write_spans(out, &self.json, from, spans),
            None => false,
        }
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
        let (items, next_skiptoken) =
            split_page(rows, req.page_size as usize, list.hash, raw_from_columns)?;
        Ok(Page {
            items,
            next_skiptoken,
            count,
        })
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

    /// The page query of `req`.
    fn list_sql(&self, req: &ListRequest<'_>) -> Result<PageSql, StoreError> {
        let columns = match req.view {
            AlertView::V2 => "alerts.id, alerts.doc, alerts.evolvable",
            AlertView::Legacy => "alerts.id, alerts.legacy_doc, alerts.evolvable",
        };
        page_sql(
            self.store().dialect(),
            &PageQuery {
                docs: req.view.documents(),
                scope: &[("tenant_id", self.tenant_id().as_str().into())],
                columns,
                query: req.query,
                page_size: req.page_size,
            },
        )
    }

    /// The number of alerts in `view` matching `filter`.
    pub async fn count_alerts(
        &self,
        view: AlertView,
        filter: Option<&BoundExpr>,
    ) -> Result<u64, StoreError> {
        let scope = [("tenant_id", self.tenant_id().as_str().into())];
        count_rows(self.store(), view.documents(), &scope, filter).await
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
            view.documents().doc_column
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
            .map(|r| raw_from_columns(&mut r.into_iter()))
            .transpose()
    }
}

/// Decodes the columns `id, doc, evolvable` of an alert row.
pub(crate) fn raw_from_columns(
    cols: &mut std::vec::IntoIter<Value>,
) -> Result<RawAlert, StoreError> {
    let id = AlertId(cols.next().unwrap_or(Value::Null).into_text("alerts.id")?);
    let json = cols.next().unwrap_or(Value::Null).into_text("alerts.doc")?;
    let evolvable = match cols.next().unwrap_or(Value::Null) {
        Value::Null => None,
        v => Some(v.into_text("alerts.evolvable")?),
    };
    let evolvable_spans = evolvable
        .as_deref()
        .and_then(crate::evolvable::decode_spans);
    Ok(RawAlert {
        id,
        json,
        has_evolvable: evolvable.is_some(),
        evolvable_spans,
    })
}
