//! `security/incidents/{id}/alerts`: the alerts of an incident (those whose `incidentId` is the
//! incident's id), as alerts_v2 shows them, and comments on one of them.

use super::alert_views::{push_alerts, visible};
use super::alerts_v2;
use super::incidents::{self, SET};
use crate::body::JsonBody;
use crate::error::GraphError;
use crate::links;
use crate::paging::{self, ALERTS_V2};
use crate::query::GraphRequest;
use crate::response::{self, Collection, Shape};
use crate::state::AppState;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::response::Response;
use store::{ListRequest, RawAlert};

/// `@odata.type` of the alerts.
const ALERT_TYPE: &str = "#microsoft.graph.security.alert";

/// The incident id and alert id of `…/incidents/{id}/alerts/{alertId}`, percent-decoded.
#[derive(Debug, Clone)]
pub struct IncidentAlertKey {
    /// The incident id.
    pub incident: String,
    /// The alert id.
    pub alert: String,
}

impl<S: Send + Sync> FromRequestParts<S> for IncidentAlertKey {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, GraphError> {
        let Path((incident, alert)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                GraphError::bad_request(format!("The ids in the path are not valid: {e}."))
            })?;
        if incident.is_empty() || alert.is_empty() {
            return Err(GraphError::bad_request("An id in the path is empty."));
        }
        Ok(IncidentAlertKey { incident, alert })
    }
}

/// `GET /security/incidents/{id}/alerts`: a page of the incident's alerts, newest first, with the
/// options of `security/alerts_v2` (`$filter`, `$orderby`, `$select`, `$top`, `$skip`, `$count`).
pub async fn list_incident_alerts(
    State(app): State<AppState>,
    r: GraphRequest,
    key: crate::body::EntityKey,
) -> Result<Response, GraphError> {
    let bound = r.bind(&model::schema::ALERT)?;
    if let Some(name) = bound.expand.first() {
        return Err(GraphError::bad_request(format!(
            "'{name}' cannot be expanded: alert has no navigation properties. Remove $expand."
        ))
        .with_inner_code("invalidQueryOption"));
    }
    let store = incidents::incidents(&app, &r);
    store
        .get(&key.0)
        .await?
        .ok_or_else(|| incidents::not_found(&key.0))?;
    let page_size = paging::page_size(&bound, ALERTS_V2)?;
    let page = store
        .list_alerts(
            &key.0,
            ListRequest {
                view: store::AlertView::V2,
                query: &bound,
                page_size,
            },
        )
        .await?;
    let base = &app.config().public_url;
    let select = bound.select.as_deref();
    let set = format!("{SET}('{}')/alerts", key.0.replace('\'', "''"));
    let context = links::context_url(base, r.version, &links::collection_fragment(&set, select));
    let next = page.next_skiptoken.as_deref().map(|token| {
        let path = format!("/{}/{SET}/{}/alerts", r.version.segment(), key.0);
        links::next_link(base, &path, &r.query, token)
    });
    let shape = shape(&r, select);
    let mut out = Collection::start(&context, page.count, next.as_deref());
    push_alerts(&mut out, &page.items, &shape)?;
    Ok(out.finish())
}

/// `GET /security/incidents/{id}/alerts/$count`: how many of the incident's alerts match
/// `$filter`.
pub async fn count_incident_alerts(
    State(app): State<AppState>,
    r: GraphRequest,
    key: crate::body::EntityKey,
) -> Result<Response, GraphError> {
    let bound = r.bind(&model::schema::ALERT)?;
    let store = incidents::incidents(&app, &r);
    store
        .get(&key.0)
        .await?
        .ok_or_else(|| incidents::not_found(&key.0))?;
    let n = store.count_alerts(&key.0, bound.filter.as_ref()).await?;
    Ok(response::count_response(n))
}

/// `GET /security/incidents/{id}/alerts/{alertId}`: one alert of the incident (404 when the alert
/// belongs to another incident).
pub async fn get_incident_alert(
    State(app): State<AppState>,
    r: GraphRequest,
    key: IncidentAlertKey,
) -> Result<Response, GraphError> {
    let bound = r.bind(&model::schema::ALERT)?;
    let raw = incident_alert(&app, &r, &key).await?;
    let select = bound.select.as_deref();
    let set = format!("{SET}('{}')/alerts", key.incident.replace('\'', "''"));
    let fragment = format!("{}/$entity", links::collection_fragment(&set, select));
    let context = links::context_url(&app.config().public_url, r.version, &fragment);
    let shape = shape(&r, select);
    let (doc, rewrite) = visible(&raw, &shape);
    response::entity_response(&context, &doc, rewrite, &shape)
}

/// `POST /security/incidents/{id}/alerts/{alertId}/comments`: comments on an alert of the
/// incident, exactly as `POST /security/alerts_v2/{alertId}/comments` does.
pub async fn create_incident_alert_comment(
    State(app): State<AppState>,
    r: GraphRequest,
    key: IncidentAlertKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    incident_alert(&app, &r, &key).await?;
    alerts_v2::comment_alert(&app, &r, &key.alert, body).await
}

/// The alert of `key`, or a 404 naming what is missing.
async fn incident_alert(
    app: &AppState,
    r: &GraphRequest,
    key: &IncidentAlertKey,
) -> Result<RawAlert, GraphError> {
    let store = incidents::incidents(app, r);
    store
        .get(&key.incident)
        .await?
        .ok_or_else(|| incidents::not_found(&key.incident))?;
    store
        .alert(&key.incident, &key.alert)
        .await?
        .ok_or_else(|| {
            GraphError::new(
                crate::error::ErrorCode::ItemNotFound,
                format!(
                    "Incident '{}' has no alert with id '{}'.",
                    key.incident, key.alert
                ),
            )
        })
}

fn shape<'a>(r: &GraphRequest, select: Option<&'a [&'static str]>) -> Shape<'a> {
    Shape {
        odata_type: ALERT_TYPE,
        select,
        hide_evolvable: !r.prefer.include_unknown_enum_members,
    }
}
