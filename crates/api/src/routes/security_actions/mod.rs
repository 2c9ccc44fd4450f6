//! `security/securityActions` (Graph beta only): a client application asks one of the tenant's
//! providers to run a security action (`blockIp`, `isolateDevice`, …). The action is resolved
//! against the provider's manifest, stored `NotStarted` together with the outbox row that delivers
//! it to the provider, and moved forward by the provider's status reports
//! ([`crate::provider::action_status`]). `cancelSecurityAction` ends it `Failed` and tells the
//! provider.
//!
//! Graph grants these routes to application permissions only (`SecurityActions.Read.All`,
//! `SecurityActions.ReadWrite.All`). secgraph's token endpoint issues app-only tokens only
//! (client credentials), so every caller that gets past the permission table is an application;
//! should delegated tokens ever be issued, the principal must say so and these handlers refuse them.
//! The routes are beta only (the permission table marks them so); under `/v1.0` the path is
//! unknown, as in Graph.

mod input;

use crate::body::{EntityKey, JsonBody};
use crate::entity_set::EntitySet;
use crate::error::{ErrorCode, GraphError};
use crate::paging::PageLimits;
use crate::query::GraphRequest;
use crate::response;
use crate::response::with_location;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use store::security_actions::{
    ActionOutcome, NewSecurityAction, SecurityActionStore, SECURITY_ACTION,
};

/// `security/securityActions`.
pub const SET: EntitySet = EntitySet {
    path: "security/securityActions",
    odata_type: "#microsoft.graph.securityAction",
    name: "securityAction",
    limits: PageLimits {
        default_top: 100,
        max_top: 1000,
        max_skip: None,
    },
};

/// The caller's tenant's actions.
fn actions(app: &AppState, r: &GraphRequest) -> SecurityActionStore {
    app.store().tenant(&r.who.tenant_id).security_actions()
}

/// `GET /security/securityActions`: a page of the tenant's actions, newest first, with `$filter`
/// and `$orderby` on `id`, `status` and `createdDateTime`, `$select`, `$top`, `$skip`, `$count`
/// and server-driven paging.
pub async fn list_security_actions(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let bound = r.bind(&SECURITY_ACTION)?;
    SET.no_expand(&bound)?;
    let page_size = SET.page_size(&bound)?;
    let page = actions(&app, &r).list(&bound, page_size).await?;
    SET.page(
        &app,
        &r,
        bound.select.as_deref(),
        &page,
        serde_json::to_string,
    )
}

/// `GET /security/securityActions/$count`: how many of the tenant's actions match `$filter`.
pub async fn count_security_actions(
    State(app): State<AppState>,
    r: GraphRequest,
) -> Result<Response, GraphError> {
    let bound = r.bind(&SECURITY_ACTION)?;
    let n = actions(&app, &r).count(bound.filter.as_ref()).await?;
    Ok(response::count_response(n))
}

/// `GET /security/securityActions/{id}`: one of the tenant's actions (`$select` applies).
pub async fn get_security_action(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let bound = r.bind(&SECURITY_ACTION)?;
    SET.no_expand(&bound)?;
    let action = actions(&app, &r)
        .get(&key.0)
        .await?
        .ok_or_else(|| SET.not_found(&key.0))?;
    SET.entity(&app, &r, bound.select.as_deref(), &action, StatusCode::OK)
}

/// `POST /security/securityActions`: resolves the requested action against the manifest of the
/// enabled provider `vendorInformation` names, stores it `NotStarted` with the outbox row that
/// delivers it, and answers 201 with the action (and a `Location`).
pub async fn create_security_action(
    State(app): State<AppState>,
    r: GraphRequest,
    JsonBody(body): JsonBody,
) -> Result<Response, GraphError> {
    let request = input::parse_create(&body)?;
    let provider = input::choose_provider(&app, &r.who.tenant_id, &request).await?;
    let resolved = provider
        .manifest
        .resolve_action(&request.name, &request.parameters)
        .map_err(|e| GraphError::bad_request(format!("The security action was refused: {e}")))?;
    let new = NewSecurityAction {
        action: resolved,
        action_reason: request.action_reason,
        client_context: request.client_context,
        app_id: r.who.app_id.clone(),
        user: None,
    };
    let now = app.store().now_for(&r.who.tenant_id);
    let action = actions(&app, &r).create(&provider, new, now).await?;
    let response = SET.entity(&app, &r, None, &action, StatusCode::CREATED)?;
    let base = &app.config().public_url;
    Ok(with_location(
        response,
        base,
        r.version.segment(),
        SET.path,
        &action.id,
    ))
}

/// `POST /security/securityActions/{id}/cancelSecurityAction`: ends the action `Failed` with an
/// `errorInfo` saying who cancelled it and when, and enqueues the cancellation for its provider.
/// 200 with an empty body; 400 when the action is already `Completed` or `Failed`.
pub async fn cancel_security_action(
    State(app): State<AppState>,
    r: GraphRequest,
    key: EntityKey,
) -> Result<Response, GraphError> {
    let now = app.store().now_for(&r.who.tenant_id);
    let outcome = actions(&app, &r)
        .cancel(&key.0, r.who.app_id.clone(), now)
        .await?;
    match outcome {
        ActionOutcome::Changed(_) | ActionOutcome::Unchanged(_) => {
            Ok(StatusCode::OK.into_response())
        }
        ActionOutcome::NotFound => Err(SET.not_found(&key.0)),
        ActionOutcome::Refused(message) => Err(GraphError::bad_request(message)),
        ActionOutcome::NotOwner => Err(GraphError::internal(
            "cancel answered NotOwner, which only status reports can",
        )),
    }
}

/// `PATCH`/`DELETE /security/securityActions/{id}`: actions change only through their provider
/// and `cancelSecurityAction`, and are kept as history.
pub async fn not_allowed() -> Result<Response, GraphError> {
    Err(GraphError::new(
        ErrorCode::MethodNotAllowed,
        "Security actions cannot be changed or deleted: their provider reports their status, and \
         POST .../cancelSecurityAction cancels one.",
    ))
}
