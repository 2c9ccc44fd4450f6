//! Wire snapshots: one alert in each view and an error body, pinned byte for byte (timestamps come
//! from the fixed demo anchor; per-request ids are redacted), so any change to what clients receive is
//! a reviewed diff. Both backends are held to the same snapshots.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use testkit::TestServer;

/// Asserts the three snapshots. A function of this module, not of the test's: insta names a
/// snapshot file after the module it is asserted in, so both backends compare with the same files.
fn assert_snapshots(v2: &Value, legacy: &Value, err: &Value) {
    insta::assert_json_snapshot!("alert_v2", v2);
    insta::assert_json_snapshot!("alert_legacy", legacy);
    insta::assert_json_snapshot!("error_unknown_enum_member", err, {
        ".error.innerError[\"request-id\"]" => "[request-id]",
        ".error.innerError[\"client-request-id\"]" => "[client-request-id]",
    });
}

testdb::conformance! {
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
        let v2: Value = serde_json::from_str(&v2).unwrap();
        let legacy: Value = serde_json::from_str(&legacy).unwrap();
        let err = server
            .get("/v1.0/security/alerts_v2?$filter=severity%20eq%20%27critical%27")
            .await
            .json();
        assert_snapshots(&v2, &legacy, &err);
    }
}
