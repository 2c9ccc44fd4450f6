//! Who is calling: the [`Principal`] every Graph handler takes as an argument. Handlers consume it;
//! only [`Authenticator`] knows how it is built, so the identity work replaces that alone.

use crate::error::GraphError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use model::TenantId;

/// The caller of a request: its tenant (every store query is scoped to it), its application and the
/// permissions its token grants.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The tenant the caller acts in.
    pub tenant_id: TenantId,
    /// The calling application's client id, when known.
    pub app_id: Option<String>,
    /// Display name used when the server stamps who did something (comments).
    pub display_name: String,
    /// Granted permissions (Graph role names such as `SecurityAlert.ReadWrite.All`).
    pub permissions: Vec<String>,
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
}

/// Every Graph permission, granted to the emulator principal.
pub const ALL_PERMISSIONS: &[&str] = &[
    "SecurityAlert.Read.All",
    "SecurityAlert.ReadWrite.All",
    "SecurityEvents.Read.All",
    "SecurityEvents.ReadWrite.All",
];

impl Authenticator {
    fn principal(&self, _parts: &Parts) -> Result<Principal, GraphError> {
        match self {
            Authenticator::None { tenant } => Ok(Principal {
                tenant_id: tenant.clone(),
                app_id: None,
                display_name: "secgraph emulator".to_owned(),
                permissions: ALL_PERMISSIONS.iter().map(|p| (*p).to_owned()).collect(),
            }),
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = GraphError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        state.auth().principal(parts)
    }
}
