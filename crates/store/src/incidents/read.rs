//! Incident reads: one by id, OData pages (newest first, keyset-paged by `(created, id)`) and
//! counts; and the alerts of incidents (their `incidentId`), as pages of the alerts_v2 view or all
//! at once for `$expand=alerts`.

use super::rows::{from_columns, parse_id, COLUMNS};
use super::{IncidentStore, INCIDENTS};
use crate::alerts::{ListRequest, Page, RawAlert};
use crate::dialect::statement;
use crate::error::StoreError;
use crate::query::list::{count_rows, list_page, EntityPage, PageQuery};
use crate::query::AlertView;
use crate::value::Value;
use model::Incident;
use odata::bound::{BoundExpr, BoundQuery};
use std::collections::HashMap;

/// One page of incidents.
pub type IncidentPage = EntityPage<Incident>;

/// Incidents whose alerts one statement reads (well under either backend's parameter limit).
const CHUNK: usize = 200;

impl IncidentStore {
    /// The tenant scope every statement starts from.
    fn scope(&self) -> [(&'static str, Value); 1] {
        [("tenant_id", self.tenant.tenant_id().as_str().into())]
    }

    /// The incident `id` of this tenant (`None` for an unknown or malformed id).
    pub async fn get(&self, id: &str) -> Result<Option<Incident>, StoreError> {
        if parse_id(id).is_none() {
            return Ok(None);
        }
        let store = self.tenant.store();
        let sql = statement(
            store.dialect(),
            &format!("SELECT {COLUMNS} FROM incidents WHERE tenant_id = $1 AND id = $2"),
        );
        let params = [self.tenant.tenant_id().as_str().into(), id.into()];
        let rows = store.read(&sql, &params).await?;
        rows.into_iter()
            .next()
            .map(|r| from_columns(&mut r.into_iter()).map(|row| row.incident))
            .transpose()
    }

    /// A page of the tenant's incidents: `query`'s filter (bound against
    /// [`model::incident::schema::INCIDENT`] or its v1.0 twin), order (newest first by default),
    /// `$count`, `$skiptoken` and `$skip`; `page_size` rows at most.
    pub async fn list(
        &self,
        query: &BoundQuery,
        page_size: u32,
    ) -> Result<IncidentPage, StoreError> {
        let scope = self.scope();
        let q = PageQuery {
            docs: &INCIDENTS,
            scope: &scope,
            columns: COLUMNS,
            query,
            page_size,
        };
        list_page(self.tenant.store(), &q, |cols| {
            from_columns(cols).map(|row| row.incident)
        })
        .await
    }

    /// The number of the tenant's incidents matching `filter`.
    pub async fn count(&self, filter: Option<&BoundExpr>) -> Result<u64, StoreError> {
        count_rows(self.tenant.store(), &INCIDENTS, &self.scope(), filter).await
    }

    /// A page of the alerts of incident `id` (alerts_v2 view; `req.query` bound against the alert
    /// schema and narrowed to the incident).
    pub async fn list_alerts(&self, id: &str, req: ListRequest<'_>) -> Result<Page, StoreError> {
        let query = BoundQuery {
            filter: Some(of_incident(id, req.query.filter.as_ref())?),
            ..req.query.clone()
        };
        self.tenant
            .list_alerts(ListRequest {
                view: AlertView::V2,
                query: &query,
                page_size: req.page_size,
            })
            .await
    }

    /// The number of alerts of incident `id` matching `filter`.
    pub async fn count_alerts(
        &self,
        id: &str,
        filter: Option<&BoundExpr>,
    ) -> Result<u64, StoreError> {
        let filter = of_incident(id, filter)?;
        self.tenant.count_alerts(AlertView::V2, Some(&filter)).await
    }

    /// Alert `alert_id` (alerts_v2 document) if it belongs to incident `id`.
    pub async fn alert(&self, id: &str, alert_id: &str) -> Result<Option<RawAlert>, StoreError> {
        let store = self.tenant.store();
        let sql = statement(
            store.dialect(),
            "SELECT alerts.incident_id, alerts.id, alerts.doc, alerts.evolvable FROM alerts \
             WHERE alerts.tenant_id = $1 AND alerts.id = $2",
        );
        let params = [self.tenant.tenant_id().as_str().into(), alert_id.into()];
        let Some(row) = store.read(&sql, &params).await?.into_iter().next() else {
            return Ok(None);
        };
        let mut cols = row.into_iter();
        let incident = cols
            .next()
            .unwrap_or(Value::Null)
            .into_opt_text("alerts.incident_id")?;
        if incident.as_deref() != Some(id) {
            return Ok(None);
        }
        crate::alerts::raw_from_columns(&mut cols).map(Some)
    }

    /// Every alert of each of the incidents `ids` (alerts_v2 documents, newest first), for
    /// `$expand=alerts`.
    pub async fn alerts_of(
        &self,
        ids: &[&str],
    ) -> Result<HashMap<String, Vec<RawAlert>>, StoreError> {
        let store = self.tenant.store();
        let d = store.dialect();
        let mut out: HashMap<String, Vec<RawAlert>> = HashMap::new();
        for chunk in ids.chunks(CHUNK) {
            let items: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = statement(
                d,
                &format!(
                    "SELECT alerts.incident_id, alerts.id, alerts.doc, alerts.evolvable FROM alerts \
                     WHERE alerts.tenant_id = $1 AND {} \
                     ORDER BY alerts.created_date_time DESC, alerts.id DESC",
                    d.ci_in("alerts.incident_id", &items)
                ),
            );
            let mut params = Vec::with_capacity(chunk.len() + 1);
            params.push(self.tenant.tenant_id().as_str().into());
            params.extend(chunk.iter().map(|id| Value::from(*id)));
            for row in store.read(&sql, &params).await? {
                let mut cols = row.into_iter();
                let incident = cols
                    .next()
                    .unwrap_or(Value::Null)
                    .into_text("alerts.incident_id")?;
                let raw = crate::alerts::raw_from_columns(&mut cols)?;
                out.entry(incident).or_default().push(raw);
            }
        }
        Ok(out)
    }
}

/// `filter` narrowed to the alerts whose `incidentId` is `id`.
fn of_incident(id: &str, filter: Option<&BoundExpr>) -> Result<BoundExpr, StoreError> {
    let text = format!("incidentId eq '{}'", id.replace('\'', "''"));
    let own = odata::bind_filter(&text, &model::schema::ALERT, &odata::BindOptions::default())
        .map_err(|e| StoreError::InvalidQuery(e.to_string()))?;
    Ok(match filter {
        Some(f) => BoundExpr::And(Box::new(own), Box::new(f.clone())),
        None => own,
    })
}
