//! `security/incidents`: groups of alerts of one attack, formed by secgraph's correlation (see
//! `docs/incidents.md`). Listing, counting and reading (with `$expand=alerts`), the PATCH of the
//! writable set, and comments. The alerts of an incident are in [`super::incident_alerts`], the
//! manual correlation actions (`secgraph.linkAlerts`, …) in [`super::incident_actions`].
//!
//! `/beta` shows every property; `/v1.0` leaves out the beta-only `recommendedActions` and
//! `recommendedHuntingQueries` (and refuses them in `$select`/`$filter`, as Graph does). `status`
//! `awaitingAction` is evolvable: callers see it only with `Prefer: include-unknown-enum-members`.

use crate::body::{EntityKey, JsonBody};
use crate::error::{ErrorCode, GraphError};
use crate::links;
use crate::paging::{self, PageLimits};
use crate::query::{ApiVersion, GraphRequest};
use crate::response::{self, Collection, Shape};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use model::incident::schema::{INCIDENT, INCIDENT_V1};
use model::incident::IncidentPatch;
use model::Incident;
use odata::bound::BoundQuery;
use odata::schema::EntitySchema;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use store::incidents::{IncidentStore, IncidentUpdate};
use store::RawAlert;

/// The entity set below the version root.
pub const SET: &str = "security/incidents";
/// `@odata.type` of the entities.
pub const ODATA_TYPE: &str = "#microsoft.graph.security.incident";

/// Paging limits of `security/incidents` (documented in `docs/incidents.md`).
pub const LIMITS: PageLimits = PageLimits {
    default_top: 100,
    max_top: 1000,
    max_skip: None,
};

/// The property table of the request's version.
pub fn schema(version: ApiVersion) -> &'static EntitySchema {
    match version {
        ApiVersion::V1 => &INCIDENT_V1,
        ApiVersion::Beta => &INCIDENT,
    }
}

/// The caller's tenant's incidents, changes attributed to the caller.
pub fn incidents(app: &AppState, r: &GraphRequest) -> IncidentStore {
    app.store()
        .tenant(&r.who.tenant_id)
        .acting_as(r.who.actor())
        .incidents()
}

/// `GET /security/incidents`: a page of the tenant's incidents, newest first, with `$filter` and
/// `$orderby` on Graph's filterable properties, `$select`, `$top`, `$skip`, `$count`,
/// `$expand=alerts` and server-driven paging.
pub async fn list_incidents(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let bound = r.bind(schema(r.version))?;
    let expand = expands_alerts(&bound)?;
    let page_size = paging::page_size(&bound, LIMITS)?;
    let store = incidents(&app, &r);
    let page = store.list(&bound, page_size).await?;
    let mut alerts = match expand {
        true => {
            let ids: Vec<&str> = page.items.iter().map(|i| i.id.as_str()).collect();
            store.alerts_of(&ids).await?
        }
        false => HashMap::new(),
    };
    let base = &app.config().public_url;
    let select = bound.select.as_deref();
    let context = links::context_url(base, r.version, &links::collection_fragment(SET, select));
    let next = page.next_skiptoken.as_deref().map(|token| {
        let path = format!("/{}/{SET}", r.version.segment());
        links::next_link(base, &path, &r.query, token)
    });
    let mut out = Collection::start(&context, page.count, next.as_deref());
    for incident in &page.items {
        let expanded = expand.then(|| alerts.remove(incident.id.as_str()).unwrap_or_default());
        let doc = wire(incident, &r, select, expanded.as_deref())?;
        out.push(&doc.to_string(), false, &plain())?;
    }
    Ok(out.finish())
}

/// `GET /security/incidents/$count`: how many of the tenant's incidents match `$filter`.
pub async fn count_incidents(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let bound = r.bind(schema(r.version))?;
    let n = incidents(&app, &r).count(bound.filter.as_ref()).await?;
    Ok(response::count_response(n))
}

/// `GET /security/incidents/{id}`: one incident (`$select` and `$expand=alerts` apply).
pub async fn get_incident(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let bound = r.bind(schema(r.version))?;
    let expand = expands_alerts(&bound)?;
    let store = incidents(&app, &r);
    let incident = store.get(&key.0).await?.ok_or_else(|| not_found(&key.0))?;
    let alerts = match expand {
        true => Some(
            store
                .alerts_of(&[incident.id.as_str()])
                .await?
                .remove(incident.id.as_str())
                .unwrap_or_default(),
        ),
        false => None,
    };
    entity(
        &app,
        &r,
        &incident,
        bound.select.as_deref(),
        alerts.as_deref(),
    )
}

/// `PATCH /security/incidents/{id}`: changes `assignedTo`, `classification`, `determination`,
/// `status` or `customTags` and answers 200 with the incident. Any other property is a 400 naming
/// it. Resolving the incident resolves its alerts (and so stages their providers' sync-back).
pub async fn update_incident(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let patch = IncidentPatch::from_json(&body, r.prefer.include_unknown_enum_members)
        .map_err(|e| GraphError::bad_request(e.to_string()))?;
    let incident = incidents(&app, &r)
        .update(&key.0, IncidentUpdate::Patch(patch), &r.who.display_name)
        .await?
        .ok_or_else(|| not_found(&key.0))?;
    entity(&app, &r, &incident, None, None)
}

/// `POST /security/incidents/{id}/comments`: appends a comment (stamped with the caller and the
/// time) and answers 200 with every comment of the incident.
pub async fn create_comment(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let texts = model::patch::parse_comment_body(&body)
        .map_err(|e| GraphError::bad_request(e.to_string()))?;
    let incident = incidents(&app, &r)
        .update(&key.0, IncidentUpdate::Comment(texts), &r.who.display_name)
        .await?
        .ok_or_else(|| not_found(&key.0))?;
    let quoted = key.0.replace('\'', "''");
    let context = links::context_url(
        &app.config().public_url,
        r.version,
        &format!("{SET}('{quoted}')/comments"),
    );
    let body = json!({"@odata.context": context, "value": incident.comments});
    Ok(response::json_response(
        StatusCode::OK,
        response::json_bytes(&body),
    ))
}

/// `POST /security/incidents`, `DELETE /security/incidents/{id}`: incidents are formed by
/// correlation and kept as history.
pub async fn not_allowed() -> GraphError {
    GraphError::new(
        ErrorCode::MethodNotAllowed,
        "Incidents cannot be created or deleted through this API: secgraph's correlation forms \
         them from alerts. Use PATCH to change one, or POST .../secgraph.linkAlerts and \
         .../secgraph.mergeInto to regroup alerts.",
    )
}

/// The 200 response with one incident, as the caller's version and preferences show it.
pub fn entity(
    app: &AppState,
    r: &GraphRequest,
    incident: &Incident,
    select: Option<&[&'static str]>,
    alerts: Option<&[RawAlert]>,
) -> Result<Response, GraphError> {
    let fragment = format!("{}/$entity", links::collection_fragment(SET, select));
    let context = links::context_url(&app.config().public_url, r.version, &fragment);
    let doc = wire(incident, r, select, alerts)?;
    response::entity_response(&context, &doc.to_string(), false, &plain())
}

/// 404 for an incident id the tenant does not have.
pub fn not_found(id: &str) -> GraphError {
    GraphError::not_found("incident", id)
}

/// Documents already shaped by [`wire`].
fn plain() -> Shape<'static> {
    Shape {
        odata_type: "",
        select: None,
        hide_evolvable: false,
    }
}

/// `$expand=alerts` asked for (the only navigation property); anything else is a 400.
fn expands_alerts(bound: &BoundQuery) -> Result<bool, GraphError> {
    let mut alerts = false;
    for name in &bound.expand {
        if name.eq_ignore_ascii_case("alerts") || name == "*" {
            alerts = true;
        } else {
            return Err(GraphError::bad_request(format!(
                "'{name}' cannot be expanded: the navigation property of an incident is 'alerts'."
            ))
            .with_inner_code("invalidQueryOption"));
        }
    }
    Ok(alerts)
}

/// The incident as the caller sees it: `@odata.type` first, its version's properties, evolvable
/// members hidden unless asked for, `$select` applied, and its alerts when expanded.
fn wire(
    incident: &Incident,
    r: &GraphRequest,
    select: Option<&[&'static str]>,
    alerts: Option<&[RawAlert]>,
) -> Result<Value, GraphError> {
    let include = r.prefer.include_unknown_enum_members;
    let full = incident.to_wire(r.version == ApiVersion::Beta, include);
    let Value::Object(props) = full else {
        return Err(GraphError::internal(
            "an incident did not serialise to an object",
        ));
    };
    let mut out = Map::with_capacity(props.len() + 2);
    out.insert("@odata.type".into(), Value::String(ODATA_TYPE.into()));
    for (k, v) in props {
        if select.is_none_or(|s| k == "id" || s.iter().any(|p| *p == k)) {
            out.insert(k, v);
        }
    }
    if let Some(alerts) = alerts {
        let items = alerts
            .iter()
            .map(|a| alert_value(a, include))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert("alerts".into(), Value::Array(items));
    }
    Ok(Value::Object(out))
}

/// An expanded alert as the caller sees it (with `@odata.type`, evolvable members hidden unless
/// asked for).
fn alert_value(raw: &RawAlert, include_unknown: bool) -> Result<Value, GraphError> {
    let text = raw.visible_json(include_unknown);
    let mut v: Value = match &text {
        Some(t) => serde_json::from_str(t),
        None => serde_json::from_str(&raw.json),
    }
    .map_err(GraphError::internal)?;
    if text.is_none() && !include_unknown {
        model::hide_evolvable_members(&mut v);
    }
    if let Value::Object(m) = &mut v {
        m.insert(
            "@odata.type".into(),
            Value::String("#microsoft.graph.security.alert".into()),
        );
    }
    Ok(v)
}
