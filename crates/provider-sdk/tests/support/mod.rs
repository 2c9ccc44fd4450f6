//! What the SDK's tests share: a loopback server, the signing secret, manifests, and `Notebook`,
//! the small provider a vendor writes with the SDK.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod broken;
pub mod notebook;

use axum::Router;
use provider_protocol::ProviderManifest;
use serde_json::json;

/// The provider's signing secret in every test.
pub const SECRET: &str = "sgps_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e";

/// Serves `app` on 127.0.0.1 port 0 and returns `http://ADDR`.
pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// A manifest of `mode` at `base` offering `blockIp {ip}` and `unblockIp {ip}`.
pub fn manifest(mode: &str, base: &str) -> ProviderManifest {
    let m: ProviderManifest = serde_json::from_value(json!({
        "protocolVersion": 1, "name": "Notebook", "vendor": "Contoso", "mode": mode,
        "callbackBaseUrl": base,
        "actions": [
            {"name": "blockIp", "parameters": [{"name": "ip", "type": "ip", "required": true},
                                               {"name": "durationMinutes", "type": "integer"}]},
            {"name": "unblockIp", "parameters": [{"name": "ip", "type": "ip", "required": true}]}
        ]
    }))
    .unwrap();
    m.validate().unwrap();
    m
}
