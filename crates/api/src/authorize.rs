//! The authorization layer every Graph route runs behind (installed by the permission table,
//! `routes::table`): authenticate the caller, check the route's [`Requirement`], and hand the
//! [`Principal`] to the handler through the request's extensions. A missing or bad token is a 401
//! `InvalidAuthenticationToken` with a `WWW-Authenticate` challenge; a valid token without a
//! permission that grants the route is a 403 `accessDenied` naming the permissions that would.
//! A permitted request of a throttled [`Category`] is then counted against its caller's quota
//! ([`crate::throttle`]): over it, a 429.

use crate::error::{ErrorCode, GraphError};
use crate::principal::Principal;
use crate::state::AppState;
use crate::throttle::admission::Admission;
use crate::throttle::{self, Category};
use auth::permission::Requirement;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// `route` behind the authorization layer for `requirement` (how every authenticated route is
/// mounted: the Graph permission table and secgraph's own routes alike), not throttled.
pub fn guarded(
    state: &AppState,
    requirement: &'static Requirement,
    route: axum::routing::MethodRouter<AppState>,
) -> axum::routing::MethodRouter<AppState> {
    guarded_in(state, requirement, None, route)
}

/// [`guarded`], with the route's requests counted against `category`'s quota.
pub fn guarded_in(
    state: &AppState,
    requirement: &'static Requirement,
    category: Option<Category>,
    route: axum::routing::MethodRouter<AppState>,
) -> axum::routing::MethodRouter<AppState> {
    let guard = axum::middleware::from_fn_with_state(
        state.clone(),
        move |axum::extract::State(s): axum::extract::State<AppState>, req: Request, next: Next| {
            authorize(s, requirement, category, req, next)
        },
    );
    route.route_layer(guard)
}

/// Authenticates the request, checks `requirement`, counts it against `category`'s quota, and
/// runs the handler with the [`Principal`].
pub async fn authorize(
    state: AppState,
    requirement: &'static Requirement,
    category: Option<Category>,
    mut req: Request,
    next: Next,
) -> Response {
    let principal = match state.auth().authenticate(&state, req.headers()).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    crate::audit::note_caller(&principal, &req);
    if !requirement.is_met_by(&principal.permissions) {
        return forbidden(requirement, &principal).into_response();
    }
    let ticket = match throttle::admission::admit(&state, &principal, category) {
        Admission::Admitted(t) => t,
        Admission::Refused(resp) => return resp,
    };
    req.extensions_mut().insert(principal);
    ticket.finish(crate::faults::run(&state, req, next).await)
}

/// 401 `InvalidAuthenticationToken`. `description` says what is wrong with the token (it goes into the
/// message and the challenge's `error_description`); `presented` is false when no token was sent, in
/// which case the challenge carries no `error` (RFC 6750 §3.1).
pub fn unauthenticated(state: &AppState, description: &str, presented: bool) -> GraphError {
    let authorize_uri = format!("{}/common/oauth2/v2.0/authorize", state.config().public_url);
    let mut challenge = format!("Bearer realm=\"\", authorization_uri=\"{authorize_uri}\"");
    if presented {
        let quoted: String = description
            .chars()
            .map(|c| {
                if c == '"' || c == '\\' || c.is_control() {
                    '\''
                } else {
                    c
                }
            })
            .collect();
        challenge.push_str(&format!(
            ", error=\"invalid_token\", error_description=\"{quoted}\""
        ));
    }
    let mut e = GraphError::new(ErrorCode::InvalidAuthenticationToken, description);
    e.www_authenticate = Some(challenge);
    e
}

/// 403 `accessDenied` naming the permissions that would grant the route.
pub fn forbidden(requirement: &Requirement, principal: &Principal) -> GraphError {
    let needed: Vec<&str> = requirement.0.iter().map(|p| p.as_str()).collect();
    let held: Vec<&str> = principal.permissions.iter().map(|p| p.as_str()).collect();
    let held = if held.is_empty() {
        "none".to_owned()
    } else {
        held.join(", ")
    };
    GraphError::new(
        ErrorCode::AccessDenied,
        format!(
            "Missing role permissions on the request. API requires one of '{}'. Roles on the request '{held}'. Grant one of them to the application (`secgraph consent grant`) and request a new token.",
            needed.join(", ")
        ),
    )
}
