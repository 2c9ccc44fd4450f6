//! `security/alerts_v2`: Graph's current alert API over every provider's alerts.

use super::alert_views::{self, View, ViewSpec};
use crate::body::{EntityKey, JsonBody};
use crate::error::GraphError;
use crate::paging;
use crate::query::GraphRequest;
use crate::response;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use model::{AlertComment, AlertId, StoredAlert};
use serde_json::json;
use store::AlertView;

/// The alerts_v2 collection.
pub struct AlertsV2;

impl View for AlertsV2 {
    const SPEC: ViewSpec = ViewSpec {
        view: AlertView::V2,
        schema: &model::schema::ALERT,
        set: "security/alerts_v2",
        odata_type: "#microsoft.graph.security.alert",
        noun: "alert",
        has_evolvable_enums: true,
        limits: paging::ALERTS_V2,
    };
}

/// `PATCH /security/alerts_v2/{id}`: changes status, classification, determination or assignedTo and
/// answers 200 with the updated alert.
pub async fn update_alert(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let patch = model::patch::AlertPatch::from_json(&body)
        .map_err(|e| GraphError::bad_request(e.to_string()))?;
    let now = app.store().now_for(&r.who.tenant_id);
    let actor = r.who.display_name.clone();
    let updated = app
        .store()
        .tenant(&r.who.tenant_id)
        .acting_as(r.who.actor())
        .update_alert(&AlertId(key.0.clone()), move |s| {
            patch.apply(s, now, &actor);
            Ok(())
        })
        .await?
        .ok_or_else(|| GraphError::not_found("alert", &key.0))?;
    alert_entity(&app, &r, &updated)
}

/// `POST /security/alerts_v2/{id}/comments`: appends a comment (stamped with the caller and the time)
/// and answers 200 with every comment of the alert.
pub async fn create_comment(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    comment_alert(&app, &r, &key.0, body).await
}

/// Appends the comments of `body` to alert `id` and answers 200 with every comment of the alert
/// (`POST /security/alerts_v2/{id}/comments` and the same through an incident).
pub(crate) async fn comment_alert(
    app: &AppState,
    r: &GraphRequest,
    id: &str,
    body: serde_json::Value,
) -> Result<Response, GraphError> {
    let texts = model::patch::parse_comment_body(&body)
        .map_err(|e| GraphError::bad_request(e.to_string()))?;
    let now = app.store().now_for(&r.who.tenant_id);
    let author = r.who.display_name.clone();
    let updated = app
        .store()
        .tenant(&r.who.tenant_id)
        .acting_as(r.who.actor())
        .update_alert(&AlertId(id.to_owned()), move |s| {
            for comment in texts {
                s.alert.comments.push(AlertComment {
                    comment: Some(comment),
                    created_by_display_name: Some(author.clone()),
                    created_date_time: Some(now),
                });
            }
            s.alert.last_update_date_time = now;
            Ok(())
        })
        .await?
        .ok_or_else(|| GraphError::not_found("alert", id))?;
    comments_response(app, r, id, &updated)
}

/// `GET /security/alerts_v2/{id}/comments`: the alert's comments.
pub async fn list_comments(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let stored = app
        .store()
        .tenant(&r.who.tenant_id)
        .get_alert(&AlertId(key.0.clone()))
        .await?
        .ok_or_else(|| GraphError::not_found("alert", &key.0))?;
    comments_response(&app, &r, &key.0, &stored)
}

/// `POST /security/alerts_v2`, `DELETE /security/alerts_v2/{id}`: alerts come from providers.
pub async fn not_allowed() -> GraphError {
    GraphError::new(
        crate::error::ErrorCode::MethodNotAllowed,
        "Alerts cannot be created or deleted through this API: they are raised by providers. Use PATCH to change an alert.",
    )
}

fn comments_response(
    app: &AppState,
    r: &GraphRequest,
    id: &str,
    stored: &StoredAlert,
) -> Result<Response, GraphError> {
    let quoted = id.replace('\'', "''");
    let context = crate::links::context_url(
        &app.config().public_url,
        r.version,
        &format!("security/alerts_v2('{quoted}')/comments"),
    );
    let body = json!({"@odata.context": context, "value": stored.alert.comments});
    Ok(response::json_response(
        StatusCode::OK,
        response::json_bytes(&body),
    ))
}

/// The 200 response for an alert just written.
fn alert_entity(
    app: &AppState,
    r: &GraphRequest,
    stored: &StoredAlert,
) -> Result<Response, GraphError> {
    let doc = serde_json::to_string(&stored.alert).map_err(GraphError::internal)?;
    alert_views::entity(
        app,
        r,
        AlertsV2::SPEC,
        None,
        &doc,
        model::has_evolvable_text(&doc),
    )
}
