//! What the firewall's tests share: a stand-in for secgraph and the real binary as a child
//! process.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod process;
pub mod stand_in;

use provider_protocol::signing::{self, SigningKey};
use std::time::Duration;

/// The signing secret the firewall is started with.
pub const SIGNING_SECRET: &str = "sgps_firewall-test-secret-0123456789abcdef";
/// The tenant it reports to.
pub const TENANT: &str = "8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10";
pub const CLIENT_ID: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
pub const CLIENT_SECRET: &str = "firewall-client-secret";

/// POSTs `body` to `url`, signed as secgraph signs (`target` is the path the signature covers).
pub async fn signed_post(url: &str, target: &str, body: &serde_json::Value) -> reqwest::Response {
    let bytes = serde_json::to_vec(body).unwrap();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let key = SigningKey::new(SIGNING_SECRET).unwrap();
    let h = signing::sign(&key, "POST", target, now, &bytes);
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header(signing::TIMESTAMP_HEADER, h.timestamp)
        .header(signing::SIGNATURE_HEADER, h.signature)
        .body(bytes)
        .send()
        .await
        .unwrap()
}

/// Polls `probe` every 50 ms for up to 10 s until it yields a value.
pub async fn eventually<T>(mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..200 {
        if let Some(v) = probe() {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("gave up waiting after 10 s");
}
