//! Helpers for the token-endpoint tests: forms, decoding a token's claims, and the identity
//! platform's error shape.

use auth::Permission;
use base64::Engine;
use serde_json::Value;
use testkit::{Reply, TestApp, TestServer};

/// A token request's form fields.
pub type Form<'a> = Vec<(&'a str, &'a str)>;

/// The client-credentials form for `app` and `scope`.
pub fn form<'a>(app: &'a TestApp, scope: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "client_credentials"),
        ("client_id", &app.client_id),
        ("client_secret", &app.secret),
        ("scope", scope),
    ]
}

/// `form` without the field `name`.
pub fn without<'a>(form: &[(&'a str, &'a str)], name: &str) -> Vec<(&'a str, &'a str)> {
    form.iter().copied().filter(|(k, _)| *k != name).collect()
}

/// The claims of a JWT (not verified).
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Asserts an identity-platform error: status, `error`, the AADSTS code first in the description
/// and in `error_codes`, and the correlation fields.
pub fn assert_oauth_error(reply: &Reply, status: u16, error: &str, code: u32) {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["error"], error, "{body}");
    let description = body["error_description"].as_str().unwrap();
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    assert_eq!(body["error_codes"], serde_json::json!([code]));
    let ts = body["timestamp"].as_str().unwrap();
    assert!(
        ts.len() == 20 && ts.ends_with('Z') && &ts[10..11] == " ",
        "{ts}"
    );
    assert_eq!(body["trace_id"].as_str(), reply.header("request-id"));
    assert!(body["correlation_id"].is_string());
    assert_eq!(reply.header("cache-control"), Some("no-store, no-cache"));
}

/// An app of the server's tenant, consented there for `perms`.
pub async fn consented(server: &TestServer, perms: &[Permission]) -> TestApp {
    let app = server.register_app(&server.tenant).await;
    server.grant(&server.tenant, &app, perms).await;
    app
}
