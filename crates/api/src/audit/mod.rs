//! The audit log's recording side (a secgraph extension): every write that reaches secgraph is
//! appended to the store's audit log ([`store::audit`]) before its answer leaves.
//!
//! [`record_writes`] wraps the whole application. For every request that is not `GET`, `HEAD` or
//! `OPTIONS` under `/v1.0`, `/beta`, `/secgraph/v1` or `/secgraph/admin/v1`, it taps the body
//! ([`change::Tap`]), runs the request with an empty note slot in scope (a task-local, so no
//! signature changes), and — when the layer that authenticated the caller filled in the
//! [`AuditNote`] ([`note_caller`] in the Graph authorization layer, [`note_admin`] in the
//! admin-credential layer) — appends one record: method, route template and path, the entity id the path names, status,
//! tenant, application, user, request ids, the store's time and the redacted body. A request no
//! layer authenticated (a 401, an unknown route, the outer `$batch` POST) leaves no note and is
//! not recorded: it has no tenant to be filed under, and it changed nothing. Inner `$batch`
//! requests go through the whole application, so each is recorded on its own, with its own
//! request id.
//!
//! The record is awaited before the response is returned. If the append fails, the failure is
//! logged (with the request id) and the answer is still the handler's: the write itself has
//! committed, and turning it into a 500 would make the client retry a write that happened.
//!
//! Failed token requests ([`token_failure`]) and the admin CLI record themselves.

pub mod change;
pub mod routes;

use crate::admin::ops;
use crate::principal::Principal;
use crate::request_context::RequestContext;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use model::TenantId;
use parking_lot::Mutex;
use std::sync::Arc;
use store::audit::{AuditActor, AuditActorKind, AuditApp, AuditCategory, AuditEntry, AuditResult};

/// The path prefixes whose writes are recorded.
const RECORDED: &[&str] = &["/v1.0/", "/beta/", "/secgraph/v1/", "/secgraph/admin/v1/"];

/// Filled in by the layer that authenticated the caller: who it was, which tenant the write
/// belongs to and the route template that served it.
#[derive(Debug, Clone)]
pub struct AuditNote {
    /// The tenant (`None` for global admin changes).
    pub tenant: Option<TenantId>,
    /// Who.
    pub actor: AuditActor,
    /// The route template (axum's matched path), when a route matched.
    pub route: Option<String>,
}

impl AuditNote {
    /// A note for an application calling with a verified token.
    pub fn application(tenant: &TenantId, app_id: Option<&str>, route: Option<String>) -> Self {
        AuditNote {
            tenant: Some(tenant.clone()),
            actor: AuditActor {
                app: app_id.map(|a| AuditApp {
                    app_id: a.to_owned(),
                }),
                user: None,
                kind: AuditActorKind::Application,
            },
            route,
        }
    }

    /// The route template of `req`, for [`AuditNote::route`].
    pub fn route_of(req: &Request) -> Option<String> {
        req.extensions()
            .get::<MatchedPath>()
            .map(|m| m.as_str().to_owned())
    }
}

/// The note of the request being served, shared between [`record_writes`] (which reads it after
/// the response) and the layers inside that fill it.
type Slot = Arc<Mutex<Option<AuditNote>>>;

tokio::task_local! {
    static NOTE: Slot;
}

/// Notes that the request being served is made by `principal` on `req`'s route (the Graph
/// authorization layer calls it as soon as the caller is authenticated, so 403s and 429s are
/// recorded too). Outside of a recorded request it does nothing.
pub fn note_caller(principal: &Principal, req: &Request) {
    let note = AuditNote::application(
        &principal.tenant_id,
        principal.app_id.as_deref(),
        AuditNote::route_of(req),
    );
    let _ = NOTE.try_with(|slot| *slot.lock() = Some(note));
}

/// Notes that the request being served is made with the admin credential on `route` (the
/// matched template of `path`), filed under the tenant the path names: the `{tenant_id}`, or the
/// home tenant of the application `{client_id}`. Other admin writes belong to no tenant until a
/// handler names one ([`note_tenant`]); signing keys and providers belong to none.
pub async fn note_admin(state: &AppState, route: Option<String>, path: String) {
    let tenant = admin_tenant(state, route.as_deref(), &path).await;
    let note = AuditNote {
        tenant,
        actor: AuditActor {
            app: None,
            user: None,
            kind: AuditActorKind::Admin,
        },
        route,
    };
    let _ = NOTE.try_with(|slot| *slot.lock() = Some(note));
}

/// The tenant an admin `path` (matching `route`) names, directly or through an application.
async fn admin_tenant(state: &AppState, route: Option<&str>, path: &str) -> Option<TenantId> {
    let param = |name: &str| {
        // Inside the nested admin router the path has lost its prefix: align from the end.
        route?
            .rsplit('/')
            .zip(path.rsplit('/'))
            .find(|(r, _)| *r == name)
            .map(|(_, p)| p.to_owned())
    };
    if let Some(tenant) = param("{tenant_id}") {
        return ops::parse_tenant_id(&tenant).ok();
    }
    let client_id = ops::parse_client_id(&param("{client_id}")?).ok()?;
    let app = state.store().identity().get_application(&client_id).await;
    app.ok().flatten().map(|a| a.home_tenant_id)
}

/// Files the request being served under `tenant` when nothing named its tenant before (an admin
/// handler that creates a tenant, or registers an application in its home tenant).
pub fn note_tenant(tenant: &TenantId) {
    let _ = NOTE.try_with(|slot| {
        if let Some(note) = slot.lock().as_mut() {
            note.tenant.get_or_insert_with(|| tenant.clone());
        }
    });
}

/// Whether a request with `method` on `path` is a write this layer records.
fn is_recorded(method: &Method, path: &str) -> bool {
    let read = [Method::GET, Method::HEAD, Method::OPTIONS].contains(method);
    !read && RECORDED.iter().any(|p| path.starts_with(p))
}

/// Middleware: records every write (see the module documentation).
pub async fn record_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !is_recorded(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let tap = change::Tap::default();
    let (parts, body) = req.into_parts();
    let slot = Slot::default();
    let run = next.run(Request::from_parts(parts, tap.wrap(body)));
    let resp = NOTE.scope(slot.clone(), run).await;
    let Some(note) = slot.lock().take() else {
        return resp;
    };
    let status = resp.status();
    let route = note.route.clone().unwrap_or_else(|| path.clone());
    let category = match path.starts_with("/secgraph/admin/") {
        true => AuditCategory::Admin,
        false if path.starts_with("/secgraph/") => AuditCategory::Secgraph,
        false => AuditCategory::Graph,
    };
    let entry = AuditEntry {
        category,
        operation: format!("{method} {route}"),
        resource_id: resource_id(&route, &path),
        method: Some(method),
        resource_path: path,
        result: match status.is_success() {
            true => AuditResult::Success,
            false => AuditResult::Failure,
        },
        status_code: Some(status.as_u16()),
        initiated_by: note.actor,
        tenant_id: note.tenant.map(|t| t.0),
        change: tap.change(content_type.as_deref()),
        ..request_ids()
    };
    append(&state, entry).await;
    resp
}

/// An entry carrying only the current request's ids (the rest to be filled in).
fn request_ids() -> AuditEntry {
    let ctx = RequestContext::current();
    let client = (ctx.client_request_id != ctx.request_id).then_some(ctx.client_request_id);
    AuditEntry {
        category: AuditCategory::Graph,
        operation: String::new(),
        method: None,
        resource_path: String::new(),
        resource_id: None,
        result: AuditResult::Success,
        status_code: None,
        request_id: Some(ctx.request_id),
        client_request_id: client,
        initiated_by: AuditActor {
            app: None,
            user: None,
            kind: AuditActorKind::Application,
        },
        tenant_id: None,
        change: None,
    }
}

/// Appends `entry`, logging (not returning) a failure: see the module documentation.
async fn append(state: &AppState, entry: AuditEntry) {
    if let Err(e) = state.store().append_audit(entry).await {
        let ctx = RequestContext::current();
        tracing::error!(request_id = %ctx.request_id, error = %e, "audit record not written");
    }
}

/// The value of the last `{parameter}` of `route` in `path` (the entity the path names): `abc`
/// for `/v1.0/security/alerts_v2/{id}` and `/v1.0/security/alerts_v2/abc`.
fn resource_id(route: &str, path: &str) -> Option<String> {
    let route: Vec<&str> = route.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    if route.len() != path.len() {
        return None;
    }
    route
        .iter()
        .zip(&path)
        .rev()
        .find(|(r, _)| r.starts_with('{') && r.ends_with('}'))
        .map(|(_, p)| {
            percent_encoding::percent_decode_str(p)
                .decode_utf8_lossy()
                .into_owned()
        })
}

/// Records a failed token request for `tenant` (which exists): the client id the caller presented
/// (unproven, hence `unauthenticated`), the scope, the error and its description — never the
/// secret.
pub async fn token_failure(
    state: &AppState,
    tenant: &TenantId,
    path: &str,
    client_id: Option<String>,
    scope: Option<String>,
    failure: &crate::identity::oauth_error::OAuthFailure,
) {
    let (status, error, code) = failure.parts();
    let entry = AuditEntry {
        category: AuditCategory::Token,
        operation: "POST /{tenant}/oauth2/v2.0/token".to_owned(),
        method: Some("POST".to_owned()),
        resource_path: path.to_owned(),
        resource_id: client_id.clone(),
        result: AuditResult::Failure,
        status_code: Some(status.as_u16()),
        initiated_by: AuditActor {
            app: client_id.clone().map(|app_id| AuditApp { app_id }),
            user: None,
            kind: AuditActorKind::Unauthenticated,
        },
        tenant_id: Some(tenant.0.clone()),
        change: Some(serde_json::json!({
            "clientId": client_id,
            "scope": scope,
            "error": error,
            "errorCodes": [code],
            "errorDescription": failure.description(),
        })),
        ..request_ids()
    };
    append(state, entry).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_parameter_of_the_route_is_the_resource() {
        let id = resource_id(
            "/v1.0/security/alerts_v2/{id}",
            "/v1.0/security/alerts_v2/a%20b",
        );
        assert_eq!(id.as_deref(), Some("a b"));
        let nested = resource_id(
            "/v1.0/security/incidents/{id}/alerts/{alertId}/comments",
            "/v1.0/security/incidents/7/alerts/da1/comments",
        );
        assert_eq!(nested.as_deref(), Some("da1"));
        assert_eq!(
            resource_id("/v1.0/subscriptions", "/v1.0/subscriptions"),
            None
        );
    }

    #[test]
    fn only_writes_under_the_api_roots_are_recorded() {
        assert!(is_recorded(&Method::PATCH, "/v1.0/security/alerts_v2/x"));
        assert!(is_recorded(
            &Method::PUT,
            "/secgraph/admin/v1/tenants/t/consents/c"
        ));
        assert!(!is_recorded(&Method::GET, "/v1.0/security/alerts_v2"));
        assert!(!is_recorded(&Method::POST, "/healthz"));
    }
}
