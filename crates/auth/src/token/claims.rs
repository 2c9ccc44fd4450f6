//! [`Claims`]: the payload of an access token, and the service-principal id derived for an app in a
//! tenant.

use crate::permission::Permission;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The claims of an app-only access token (names and meanings as in Entra's v2.0 tokens).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Audience: the resource the token is for (our public base URL).
    pub aud: String,
    /// Issuer: `{public base URL}/{tid}/v2.0`.
    pub iss: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Not valid before (Unix seconds).
    pub nbf: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
    /// The client id of the application (v1 name, kept because many tools read it).
    pub appid: String,
    /// The client id of the application (v2 name).
    pub azp: String,
    /// How the client authenticated: `1` = client secret.
    pub azpacr: String,
    /// The application's display name, when known (stamped on the app's comments and changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_displayname: Option<String>,
    /// Identity type: `app` for app-only tokens.
    pub idtyp: String,
    /// The app's service-principal object id in the tenant.
    pub oid: String,
    /// Granted application permissions (wire names).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Subject: the service principal, as `oid`.
    pub sub: String,
    /// The tenant the token acts in.
    pub tid: String,
    /// Unique token identifier.
    pub uti: String,
    /// Token version: `2.0`.
    pub ver: String,
}

impl Claims {
    /// The known permissions among `roles` (unknown names are ignored).
    pub fn permissions(&self) -> Vec<Permission> {
        Permission::from_names(&self.roles)
    }
}

/// What a token is issued for: an app, acting in a tenant, with the permissions the tenant granted.
#[derive(Debug, Clone, Copy)]
pub struct AppGrant<'a> {
    /// The tenant the token acts in (a GUID).
    pub tenant_id: &'a str,
    /// The application's client id (a GUID).
    pub client_id: &'a str,
    /// The application's display name, written to `app_displayname`.
    pub app_display_name: Option<&'a str>,
    /// The permissions the tenant granted the app (becomes `roles`).
    pub roles: &'a [Permission],
}

/// Namespace of the name-based (v5) service-principal ids.
const SERVICE_PRINCIPAL_NAMESPACE: Uuid =
    Uuid::from_u128(0x7b1e_42d5_93c4_4f0a_a6e2_5c0d_38f1_b9a7);

/// The stable object id of an app's service principal in a tenant: a name-based UUID of the
/// (tenant id, client id) pair, ASCII case-insensitive, so every node computes the same id.
pub fn service_principal_id(tenant_id: &str, client_id: &str) -> String {
    let name = format!(
        "{}/{}",
        tenant_id.to_ascii_lowercase(),
        client_id.to_ascii_lowercase()
    );
    Uuid::new_v5(&SERVICE_PRINCIPAL_NAMESPACE, name.as_bytes()).to_string()
}
