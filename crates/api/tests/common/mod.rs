//! Shared helpers for the API tests: collecting every page of a collection.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)]

pub mod notifications;
pub mod oauth;

use serde_json::Value;
use testkit::TestServer;

/// Number of demo alerts the API tests load.
pub const DEMO: usize = 640;

/// Follows `@odata.nextLink` from `path` to the end and returns every item.
pub async fn collect_all(server: &TestServer, path: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut next = Some(path.to_owned());
    while let Some(url) = next {
        let reply = server.get(&url).await;
        assert_eq!(reply.status, 200, "{url}: {}", reply.text);
        let page = reply.json();
        items.extend(page["value"].as_array().cloned().unwrap_or_default());
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
    }
    items
}

/// Percent-encodes a query value the way kiota does (the server's own encoder for nextLinks).
#[allow(unused_imports)]
pub use odata::encode_query_value as enc;

/// The ids of `items`, sorted.
pub fn ids(items: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = items
        .iter()
        .map(|a| a["id"].as_str().unwrap_or_default().to_owned())
        .collect();
    v.sort();
    v
}
