//! The admin HTTP API under `/secgraph/admin/v1/` (JSON; not part of Graph): tenants, application
//! registrations, their secrets, admin consents and signing keys. Every route requires the admin
//! credential as a bearer token (`Authorization: Bearer <contents of <data-dir>/admin-token>`),
//! checked in one route layer; the operations are the ones the CLI runs ([`ops`]).
//!
//! | method and path | does |
//! | --- | --- |
//! | `GET /tenants`, `POST /tenants` `{displayName, id?}` | list, create |
//! | `GET /apps[?homeTenantId=]`, `POST /apps` `{displayName, homeTenantId, multiTenant?, requestedPermissions}` | list, register |
//! | `POST /apps/{clientId}/secrets` `{expiresInDays?}` | add a secret (its text is in this answer only) |
//! | `DELETE /apps/{clientId}/secrets/{secretId}` | remove a secret |
//! | `GET /consents[?tenantId=]` | list consents |
//! | `PUT /tenants/{tenantId}/consents/{clientId}` `{permissions?}` | grant (all requested when absent) |
//! | `DELETE /tenants/{tenantId}/consents/{clientId}` | revoke |
//! | `GET /signing-keys`, `POST /signing-keys/rotate`, `DELETE /signing-keys/{kid}` | list, rotate, retire |
//! | `GET /providers`, `POST /providers` `{clientId, manifest, allowPrivateAddresses?}` | list, register (the answer carries the signing secret, once) |
//! | `GET`, `PUT`, `DELETE /providers/{id}` | show, replace the manifest, remove |
//! | `POST /providers/{id}/secrets/rotate`, `POST /providers/{id}/secrets/retire` | rotate the signing secret, end the rotation |
//! | `GET /tenants/{tenantId}/providers` | each provider's health and freshness in the tenant |
//! | `GET`, `PUT`, `DELETE /tenants/{tenantId}/faultProfile` | the tenant's emulator fault profile ([`fault_profile`]) |
//! | `GET`, `POST /tenants/{tenantId}/export-keys`, `DELETE /tenants/{tenantId}/export-keys/{keyId}` | indicator export keys ([`export_keys`]) |
//! | `/secureScore/…`, `/tenants/{tenantId}/secureScore/…` | secure-score catalogue, settings, control states, snapshots ([`secure_score`]) |
//! | `GET`, `PUT`, `DELETE /tenants/{tenantId}/clock`, `POST /tenants/{tenantId}/clock/advance` | the tenant's emulator clock ([`clock`]; emulator mode only) |

pub mod clock;
pub mod credential;
mod duration;
pub mod export_keys;
mod fault_profile;
pub mod ops;
pub mod provider_ops;
mod providers;
mod routes;
pub mod secure_score;
pub mod secure_score_ops;

pub use credential::AdminCredential;
pub use ops::AdminError;

use crate::error::{ErrorCode, GraphError};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::Router;

/// The admin routes (nested under `/secgraph/admin/v1`), behind the admin-credential check.
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/tenants",
            get(routes::list_tenants).post(routes::create_tenant),
        )
        .route("/apps", get(routes::list_apps).post(routes::create_app))
        .route("/apps/{client_id}/secrets", post(routes::add_secret))
        .route(
            "/apps/{client_id}/secrets/{secret_id}",
            delete(routes::remove_secret),
        )
        .route("/consents", get(routes::list_consents))
        .route(
            "/tenants/{tenant_id}/consents/{client_id}",
            put(routes::grant_consent).delete(routes::revoke_consent),
        )
        .route("/signing-keys", get(routes::list_signing_keys))
        .route("/signing-keys/rotate", post(routes::rotate_signing_key))
        .route("/signing-keys/{kid}", delete(routes::retire_signing_key))
        .route(
            "/tenants/{tenant_id}/export-keys",
            get(export_keys::list_keys).post(export_keys::create_key),
        )
        .route(
            "/tenants/{tenant_id}/export-keys/{key_id}",
            delete(export_keys::revoke_key),
        )
        .route(
            "/tenants/{tenant_id}/faultProfile",
            get(fault_profile::get_fault_profile)
                .put(fault_profile::put_fault_profile)
                .delete(fault_profile::delete_fault_profile),
        )
        .route(
            "/providers",
            get(providers::list_providers).post(providers::register_provider),
        )
        .route(
            "/providers/{id}",
            get(providers::get_provider)
                .put(providers::update_provider)
                .delete(providers::delete_provider),
        )
        .route(
            "/providers/{id}/secrets/rotate",
            post(providers::rotate_secret),
        )
        .route(
            "/providers/{id}/secrets/retire",
            post(providers::retire_secrets),
        )
        .route(
            "/tenants/{tenant_id}/providers",
            get(providers::tenant_health),
        )
        .merge(secure_score_routes())
        .route(
            "/tenants/{tenant_id}/clock",
            get(clock::get_clock)
                .put(clock::set_clock)
                .delete(clock::reset_clock),
        )
        .route(
            "/tenants/{tenant_id}/clock/advance",
            post(clock::advance_clock),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), require_admin))
}

/// The secure-score admin routes ([`secure_score`]).
fn secure_score_routes() -> Router<AppState> {
    use secure_score as ss;
    Router::new()
        .route("/secureScore/controls", get(ss::get_catalogue))
        .route("/secureScore/snapshots", post(ss::compute_all))
        .route(
            "/tenants/{tenant_id}/secureScore/settings",
            get(ss::get_settings).patch(ss::update_settings),
        )
        .route(
            "/tenants/{tenant_id}/secureScore/controlStates",
            get(ss::list_control_states).post(ss::report_control_states),
        )
        .route(
            "/tenants/{tenant_id}/secureScore/snapshots",
            post(ss::compute_snapshot),
        )
}

/// Route layer: the request must carry the admin credential.
async fn require_admin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let allowed = state
        .admin_credential()
        .is_some_and(|c| c.accepts(req.headers()));
    if !allowed {
        let mut e = GraphError::new(
            ErrorCode::InvalidAuthenticationToken,
            "The admin API requires 'Authorization: Bearer <admin credential>'; the credential is in the data directory's admin-token file.",
        );
        e.www_authenticate = Some("Bearer realm=\"secgraph-admin\"".to_owned());
        return e.into_response();
    }
    let route = crate::audit::AuditNote::route_of(&req);
    crate::audit::note_admin(&state, route, req.uri().path().to_owned()).await;
    next.run(req).await
}

impl From<AdminError> for GraphError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::Invalid(m) => GraphError::bad_request(m),
            AdminError::NotFound(m) => GraphError::new(ErrorCode::ItemNotFound, m),
            AdminError::Store(m) => GraphError::internal(m),
        }
    }
}
