//! Who is calling: the [`Principal`] every Graph handler takes as an argument, and the
//! [`Authenticator`] that builds it from a request. The authorization layer (`authorize`) builds it
//! once per request and puts it in the request's extensions; the extractor here only takes it out,
//! so a handler reached without that layer fails loudly instead of running unauthenticated.

use crate::error::GraphError;
use crate::state::AppState;
use auth::permission::Permission;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use model::TenantId;

/// The caller of a request: its tenant (every store query is scoped to it), its application and the
/// permissions its token grants.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The tenant the caller acts in (from the verified token's `tid`).
    pub tenant_id: TenantId,
    /// The calling application's client id, when known.
    pub app_id: Option<String>,
    /// Display name used when the server stamps who did something (comments).
    pub display_name: String,
    /// Granted permissions (the token's `roles`).
    pub permissions: Vec<Permission>,
}

impl Principal {
    /// Who the caller's changes are attributed to where a name is kept (a provider's `changedBy`):
    /// its application id, else its display name.
    pub fn actor(&self) -> String {
        self.app_id
            .clone()
            .unwrap_or_else(|| self.display_name.clone())
    }
}

/// How requests are authenticated.
#[derive(Debug, Clone)]
pub enum Authenticator {
    /// Emulator mode (`serve --auth none`): no token is checked; every request acts as `tenant` with
    /// every permission. Only allowed on loopback addresses.
    None {
        /// The tenant every request is mapped to.
        tenant: TenantId,
    },
    /// Bearer tokens issued by this server's token endpoint (the default): verified against the
    /// signing keys in the store, with the tenant and permissions taken from the token alone.
    Tokens,
}

impl Authenticator {
    /// The caller of a request with these headers, or a 401.
    pub async fn authenticate(
        &self,
        state: &AppState,
        headers: &HeaderMap,
    ) -> Result<Principal, GraphError> {
        match self {
            Authenticator::None { tenant } => Ok(Principal {
                tenant_id: tenant.clone(),
                app_id: None,
                display_name: "secgraph emulator".to_owned(),
                permissions: Permission::ALL.to_vec(),
            }),
            Authenticator::Tokens => state.identity().authenticate(state, headers).await,
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Principal>().cloned().ok_or_else(|| {
            GraphError::internal(
                "a handler asked for the caller on a route outside the permission table",
            )
        })
    }
}
