//! Wire snapshots: one alert in each view and an error body, pinned byte for byte (timestamps come
//! from the fixed demo anchor; per-request ids are redacted), so any change to what clients receive is
//! a reviewed diff.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use testkit::TestServer;

#[tokio::test]
async fn one_alert_in_both_views_and_an_error() {
    let server = TestServer::builder().demo(12).start().await;
    let page = server
        .get("/v1.0/security/alerts_v2?$top=1&$orderby=createdDateTime%20asc")
        .await
        .json();
    let id = page["value"][0]["id"].as_str().unwrap().to_owned();
    let base = server.base_url.clone();
    let v2 = server
        .get(&format!("/v1.0/security/alerts_v2/{id}"))
        .await
        .text
        .replace(&base, "http://secgraph");
    let legacy = server
        .get(&format!("/v1.0/security/alerts/{id}"))
        .await
        .text
        .replace(&base, "http://secgraph");
    let v2: serde_json::Value = serde_json::from_str(&v2).unwrap();
    let legacy: serde_json::Value = serde_json::from_str(&legacy).unwrap();
    insta::assert_json_snapshot!("alert_v2", v2);
    insta::assert_json_snapshot!("alert_legacy", legacy);
    let err = server
        .get("/v1.0/security/alerts_v2?$filter=severity%20eq%20%27critical%27")
        .await
        .json();
    insta::assert_json_snapshot!("error_unknown_enum_member", err, {
        ".error.innerError[\"request-id\"]" => "[request-id]",
        ".error.innerError[\"client-request-id\"]" => "[client-request-id]",
    });
}
