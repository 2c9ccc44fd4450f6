//! The `{tenant}` segment of identity-platform paths: a tenant GUID that exists in the store. Entra
//! also takes domain names and `common`/`organizations`; secgraph has no domains and issues
//! app-only tokens for one tenant at a time, so those are refused with Entra's errors.

use super::oauth_error::{OAuthError, OAuthFailure};
use crate::state::AppState;
use model::TenantId;

/// The tenant named by the path, canonical (lowercase GUID), or the Entra-shaped 400.
pub async fn resolve(state: &AppState, segment: &str) -> Result<TenantId, OAuthError> {
    let id = uuid::Uuid::parse_str(segment)
        .map_err(|_| OAuthFailure::InvalidTenant(segment.to_owned()))?;
    let tenant = TenantId(id.hyphenated().to_string());
    match state.store().identity().get_tenant(&tenant).await {
        Ok(Some(_)) => Ok(tenant),
        Ok(None) => Err(OAuthFailure::TenantNotFound(segment.to_owned()).into()),
        Err(e) => Err(OAuthFailure::Unavailable(e.to_string()).into()),
    }
}
