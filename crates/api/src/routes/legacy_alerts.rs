//! `security/alerts`: the legacy (deprecated) `microsoft.graph.alert` view, computed from the same stored
//! alerts as alerts_v2, so a change through either view is visible through the other.

use super::alert_views::{self, View, ViewSpec};
use crate::body::{EntityKey, JsonBody};
use crate::error::{ErrorCode, GraphError};
use crate::paging;
use crate::query::{ApiVersion, GraphRequest, Prefer};
use crate::response;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use model::legacy::LegacyAlert;
use model::patch::LegacyAlertPatch;
use model::{AlertId, StoredAlert};
use serde_json::{json, Value};
use store::AlertView;

/// The legacy alerts collection.
pub struct LegacyAlerts;

impl View for LegacyAlerts {
    const SPEC: ViewSpec = ViewSpec {
        view: AlertView::Legacy,
        schema: &model::schema::LEGACY_ALERT,
        set: "security/alerts",
        odata_type: "#microsoft.graph.alert",
        noun: "alert",
        has_evolvable_enums: false,
        limits: paging::LEGACY_ALERTS,
    };
}

/// Most items one `updateAlerts` call may carry.
pub const MAX_BULK_UPDATE: usize = 100;

/// `PATCH /security/alerts/{id}`: updates assignedTo, closedDateTime, comments, feedback, status or tags;
/// `vendorInformation` is required. 204, or 200 with the alert under `Prefer: return=representation`.
pub async fn update_alert(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let patch =
        LegacyAlertPatch::from_json(&body).map_err(|e| GraphError::bad_request(e.to_string()))?;
    let now = app.store().now_for(&r.who.tenant_id);
    let updated = app
        .store()
        .tenant(&r.who.tenant_id)
        .acting_as(r.who.actor())
        .update_alert(&AlertId(key.0.clone()), move |s| {
            patch.apply(s, now).map_err(|e| e.to_string())
        })
        .await?
        .ok_or_else(|| GraphError::not_found("alert", &key.0))?;
    if !r.prefer.return_representation {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    legacy_entity(&app, &r, &updated).map(Prefer::representation_applied)
}

/// `POST /beta/security/alerts/updateAlerts`: applies up to 100 legacy updates in one transaction.
/// 200 with every updated alert; 206 with per-item errors when some ids were unknown or rejected.
pub async fn update_alerts(
    State(app): State<AppState>,
    r: GraphRequest,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    if r.version != ApiVersion::Beta {
        return Err(GraphError::bad_request(
            "updateAlerts is available under /beta only.",
        ));
    }
    let items = bulk_items(&body)?;
    let mut ids = Vec::with_capacity(items.len());
    let mut patches = std::collections::HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let id = item
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                GraphError::bad_request(format!(
                    "value[{i}] has no 'id'; every item names the alert it updates."
                ))
            })?;
        let patch = LegacyAlertPatch::from_json(item)
            .map_err(|e| GraphError::bad_request(format!("value[{i}]: {e}")))?;
        if patches.insert(AlertId::from(id), patch).is_some() {
            return Err(GraphError::bad_request(format!(
                "value[{i}]: alert '{id}' appears more than once; send one update per alert."
            )));
        }
        ids.push(AlertId::from(id));
    }
    let now = app.store().now_for(&r.who.tenant_id);
    let results = app
        .store()
        .tenant(&r.who.tenant_id)
        .acting_as(r.who.actor())
        .update_alerts(ids.clone(), move |s| match patches.get(&s.alert.id) {
            Some(p) => p.apply(s, now).map_err(|e| e.to_string()),
            None => Err(format!(
                "alert '{}' was not part of this request",
                s.alert.id
            )),
        })
        .await?;
    let mut value = Vec::with_capacity(results.len());
    let mut failed = false;
    for (id, result) in ids.iter().zip(results) {
        match result {
            Ok(stored) => value.push(
                serde_json::to_value(LegacyAlert::from_stored(&stored))
                    .map_err(GraphError::internal)?,
            ),
            Err(e) => {
                failed = true;
                value.push(
                    json!({"id": id, "error": {"code": "itemNotFound", "message": e.to_string()}}),
                );
            }
        }
    }
    let context = crate::links::context_url(
        &app.config().public_url,
        r.version,
        "Collection(microsoft.graph.alert)",
    );
    let status = if failed {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let body = json!({"@odata.context": context, "value": value});
    Ok(response::json_response(status, response::json_bytes(&body)))
}

/// `POST /security/alerts`, `DELETE /security/alerts/{id}`.
pub async fn not_allowed() -> GraphError {
    GraphError::new(
        ErrorCode::MethodNotAllowed,
        "Legacy alerts cannot be created or deleted; use PATCH to update one.",
    )
}

fn bulk_items(body: &Value) -> Result<&Vec<Value>, GraphError> {
    let items = body.get("value").and_then(Value::as_array).ok_or_else(|| {
        GraphError::bad_request(
            "Send {\"value\": [ {\"id\": …, \"vendorInformation\": {…}, …}, … ]}.",
        )
    })?;
    if items.len() > MAX_BULK_UPDATE {
        return Err(GraphError::bad_request(format!(
            "updateAlerts takes at most {MAX_BULK_UPDATE} items per request; this one has {}.",
            items.len()
        )));
    }
    Ok(items)
}

fn legacy_entity(
    app: &AppState,
    r: &GraphRequest,
    stored: &StoredAlert,
) -> Result<Response, GraphError> {
    let doc =
        serde_json::to_string(&LegacyAlert::from_stored(stored)).map_err(GraphError::internal)?;
    alert_views::entity(app, r, LegacyAlerts::SPEC, None, &doc, false)
}
