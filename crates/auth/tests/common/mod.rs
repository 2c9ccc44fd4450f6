//! Shared fixtures: keys are generated once per test binary (RSA generation is slow in debug builds).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use auth::{AppGrant, Audiences, Permission, SigningKey, TokenIssuer, TokenVerifier};
use std::sync::OnceLock;
use time::macros::datetime;
use time::OffsetDateTime;

pub const BASE: &str = "https://127.0.0.1:8443";
pub const TENANT: &str = "0f4a0c5e-3d1b-4a7e-9c2f-8b6d5e4f3a21";
pub const OTHER_TENANT: &str = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
pub const CLIENT: &str = "6b1c2d3e-4f50-4a1b-8c2d-3e4f5a6b7c8d";
pub const ROLES: &[Permission] = &[
    Permission::SecurityAlertReadAll,
    Permission::SecurityEventsReadWriteAll,
];

/// The instant tokens are issued at in these tests.
pub const NOW: OffsetDateTime = datetime!(2025-03-01 12:00 UTC);

/// A signing key shared by the tests of one binary.
pub fn key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::generate().unwrap())
}

/// A second, unrelated key.
pub fn other_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| SigningKey::generate().unwrap())
}

pub fn audiences() -> Audiences {
    Audiences::new(BASE).unwrap()
}

pub fn issuer() -> TokenIssuer {
    TokenIssuer::new(&audiences())
}

/// A verifier that knows [`key`].
pub fn verifier() -> TokenVerifier {
    TokenVerifier::new(&[key().public_key().clone()], &audiences())
}

pub fn grant() -> AppGrant<'static> {
    AppGrant {
        tenant_id: TENANT,
        client_id: CLIENT,
        app_display_name: Some("SOC automation"),
        roles: ROLES,
    }
}

/// A token for [`grant`] issued at [`NOW`] and signed by [`key`].
pub fn token() -> String {
    let issuer = issuer();
    issuer.issue(key(), &issuer.claims(&grant(), NOW)).unwrap()
}

/// Base64url of a JSON value's text.
pub fn b64(v: &serde_json::Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

/// The three dot-separated parts of a token.
pub fn parts(token: &str) -> Vec<String> {
    token.split('.').map(str::to_owned).collect()
}

/// A token's decoded claims.
pub fn payload(token: &str) -> serde_json::Value {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(&parts(token)[1])
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// A token for `claims` signed by [`key`].
pub fn signed(claims: &auth::Claims) -> String {
    issuer().issue(key(), claims).unwrap()
}
