//! `security/tiIndicators`: threat indicators an application submits for its tenant (Graph beta;
//! also served under `/v1.0` as a secgraph extension). Every call is scoped to the caller's tenant
//! and to the indicators the calling application owns (`ThreatIndicators.ReadWrite.OwnedBy`), in the
//! store. Bulk actions live in [`super::ti_indicator_actions`].

use crate::body::{EntityKey, JsonBody};
use crate::entity_set::EntitySet;
use crate::error::GraphError;
use crate::paging::PageLimits;
use crate::query::{GraphRequest, Prefer};
use crate::response;
use crate::response::with_location;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use model::indicator::{parse_new, parse_patch, InputError, TiIndicator, TiIndicatorId};
use model::schema::indicator::TI_INDICATOR;
use serde_json::{Map, Value};
use store::indicators::{IndicatorEdit, NewIndicator};
use store::{IndicatorStore, StoredIndicator};

/// `security/tiIndicators`.
pub const SET: EntitySet = EntitySet {
    path: "security/tiIndicators",
    odata_type: "#microsoft.graph.tiIndicator",
    name: "tiIndicator",
    limits: PageLimits {
        default_top: 100,
        max_top: 1000,
        max_skip: None,
    },
};
/// The owner of indicators created without an application (`serve --auth none`).
pub const EMULATOR_APP: &str = "secgraph-emulator";

/// The indicators the caller may see and change: its tenant's, submitted by its application.
pub(super) fn owned(app: &AppState, r: &GraphRequest) -> IndicatorStore {
    let owner = r.who.app_id.as_deref().unwrap_or(EMULATOR_APP);
    app.store().tenant(&r.who.tenant_id).indicators_of(owner)
}

/// Brings this node's index of the caller's tenant up to date after a write, so that the node that
/// answered the write matches with it at once (other nodes follow through the change feed).
pub(super) async fn refresh_index(app: &AppState, r: &GraphRequest) -> Result<(), GraphError> {
    app.indicators().refresh(&r.who.tenant_id).await?;
    Ok(())
}

/// Stores `indicators` (validated) for the caller's application and indexes them on this node
/// straight from the values it holds; returns them as stored, in order.
pub(super) async fn create_indexed(
    app: &AppState,
    r: &GraphRequest,
    mut indicators: Vec<TiIndicator>,
) -> Result<Vec<StoredIndicator>, GraphError> {
    let items = indicators
        .iter()
        .map(to_new)
        .collect::<Result<Vec<_>, _>>()?;
    let (created, span) = owned(app, r).create_logged(items).await?;
    if let Some(span) = span {
        let typed = created
            .iter()
            .zip(indicators.iter_mut())
            .map(|(stored, indicator)| {
                indicator.id = TiIndicatorId(stored.id.clone());
                (std::sync::Arc::from(stored.id.as_str()), indicator.clone())
            })
            .collect();
        app.indicators()
            .apply_created(&r.who.tenant_id, span, typed)
            .await?;
    }
    Ok(created)
}

/// A 400 for an indicator body that was refused, naming the property at fault.
pub(super) fn input_error(e: &InputError) -> GraphError {
    GraphError::bad_request(e.message.clone())
}

/// Refuses a `block` on critical infrastructure (unless overridden): see
/// [`model::indicator::critical`].
pub(super) fn check_critical(app: &AppState, indicator: &TiIndicator) -> Result<(), InputError> {
    match app.config().critical.refusal(&indicator.body) {
        Some(message) => Err(InputError::invalid("action", message)),
        None => Ok(()),
    }
}

/// What the store keeps of a validated indicator (see [`NewIndicator::from_indicator`]).
pub(super) fn to_new(indicator: &TiIndicator) -> Result<NewIndicator, GraphError> {
    NewIndicator::from_indicator(indicator).map_err(GraphError::internal)
}

/// A stored indicator as the model type (to apply a PATCH to it).
pub(super) fn from_stored(stored: StoredIndicator) -> Result<TiIndicator, InputError> {
    serde_json::from_value(Value::Object(stored.doc))
        .map_err(|e| InputError::body(format!("the stored indicator could not be read: {e}")))
}

/// The document of an indicator with its `@odata.type` first.
pub(super) fn typed(doc: Map<String, Value>) -> Value {
    let mut out = Map::with_capacity(doc.len() + 1);
    out.insert("@odata.type".into(), Value::String(SET.odata_type.into()));
    out.extend(doc);
    Value::Object(out)
}

/// `GET /security/tiIndicators`: a page of the caller's indicators, newest first, with `$filter`,
/// `$orderby`, `$select`, `$top`, `$skip`, `$count` and server-driven paging.
pub async fn list_indicators(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let bound = r.bind(&TI_INDICATOR)?;
    SET.no_expand(&bound)?;
    let page_size = SET.page_size(&bound)?;
    let page = owned(&app, &r).list(&bound, page_size).await?;
    SET.page(&app, &r, bound.select.as_deref(), &page, |item| {
        serde_json::to_string(&item.doc)
    })
}

/// `GET /security/tiIndicators/$count`: how many of the caller's indicators match `$filter`.
pub async fn count_indicators(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let bound = r.bind(&TI_INDICATOR)?;
    let n = owned(&app, &r).count(bound.filter.as_ref()).await?;
    Ok(response::count_response(n))
}

/// `GET /security/tiIndicators/{id}`: one of the caller's indicators (`$select` applies).
pub async fn get_indicator(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let bound = r.bind(&TI_INDICATOR)?;
    SET.no_expand(&bound)?;
    let stored = owned(&app, &r)
        .get(&key.0)
        .await?
        .ok_or_else(|| not_found(&key.0))?;
    SET.entity(
        &app,
        &r,
        bound.select.as_deref(),
        &stored.doc,
        StatusCode::OK,
    )
}

/// `POST /security/tiIndicators`: validates and stores one indicator owned by the caller's
/// application; 201 with the indicator as stored.
pub async fn create_indicator(
    State(app): State<AppState>,
    r: GraphRequest,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let parsed = parse_new(&body).map_err(|e| input_error(&e))?;
    let now = app.store().now_for(&r.who.tenant_id);
    let indicator = TiIndicator::new(
        TiIndicatorId(String::new()),
        r.who.tenant_id.clone(),
        now,
        parsed,
    );
    check_critical(&app, &indicator).map_err(|e| input_error(&e))?;
    let created = create_indexed(&app, &r, vec![indicator]).await?;
    let stored = created
        .into_iter()
        .next()
        .ok_or_else(|| GraphError::internal("the store returned no created indicator"))?;
    let base = &app.config().public_url;
    let (version, id) = (r.version.segment(), stored.id.to_string());
    let response = SET.entity(&app, &r, None, &stored.doc, StatusCode::CREATED)?;
    Ok(with_location(response, base, version, SET.path, &id))
}

/// `PATCH /security/tiIndicators/{id}`: changes the editable properties of one of the caller's
/// indicators. 204, or 200 with the indicator under `Prefer: return=representation`.
pub async fn update_indicator(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let rails = app.clone();
    let outcome = owned(&app, &r)
        .update(vec![key.0.clone()], move |stored| {
            let existing = from_stored(stored)?;
            let patch = parse_patch(&body, &existing)?;
            check_critical(&rails, &patch.indicator)?;
            to_new(&patch.indicator).map_err(|e| InputError::body(e.message))
        })
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| GraphError::internal("the store returned no outcome"))?;
    refresh_index(&app, &r).await?;
    let stored = match outcome {
        Ok(stored) => stored,
        Err(IndicatorEdit::NotFound) => return Err(not_found(&key.0)),
        Err(IndicatorEdit::Refused(e)) => return Err(input_error(&e)),
    };
    if !r.prefer.return_representation {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    SET.entity(&app, &r, None, &stored.doc, StatusCode::OK)
        .map(Prefer::representation_applied)
}

/// `DELETE /security/tiIndicators/{id}`: deletes one of the caller's indicators; 204.
pub async fn delete_indicator(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let deleted = owned(&app, &r).delete(vec![key.0.clone()]).await?;
    refresh_index(&app, &r).await?;
    match deleted.first() {
        Some(true) => Ok(StatusCode::NO_CONTENT.into_response()),
        _ => Err(not_found(&key.0)),
    }
}

/// 404 for an indicator the caller's application does not have (it may belong to another app).
fn not_found(id: &str) -> GraphError {
    GraphError::new(
        crate::error::ErrorCode::ItemNotFound,
        format!("No tiIndicator with id '{id}' exists for this application (an application sees only the indicators it submitted)."),
    )
}
