//! JSON batching end to end on both backends (spec §2.7): a mixed batch of reads, a PATCH, a
//! comment and a `$count`; `dependsOn` chains with a failing dependency (424 down the chain);
//! duplicate ids, 21 requests and other malformed batches (400 for the whole); an inner request
//! the token does not permit (403 inside a 200 batch); base64 bodies; the batch's own 401.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use auth::Permission;
use base64::Engine;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;
use testkit::{Reply, TestServer};

async fn batch_as(server: &TestServer, token: &str, version: &str, doc: &Value) -> Reply {
    server
        .send_as(
            token,
            Method::POST,
            &format!("/{version}/$batch"),
            Some(doc),
        )
        .await
}

/// The response items by id (the order is the server's to choose).
fn by_id(reply: &Reply) -> HashMap<String, Value> {
    assert_eq!(reply.status, 200, "{}", reply.text);
    let doc = reply.json();
    let items = doc["responses"].as_array().expect("responses");
    items
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r.clone()))
        .collect()
}

async fn any_alert(server: &TestServer, token: &str) -> String {
    let page = server
        .get_as(token, "/v1.0/security/alerts_v2?$top=1")
        .await;
    page.json()["value"][0]["id"].as_str().unwrap().to_owned()
}

testdb::conformance! {
    async fn a_mixed_batch_reads_writes_comments_and_counts() {
        let server = TestServer::builder().demo(40).tokens().start().await;
        let token = server.token_with(&server.tenant, Permission::ALL).await;
        let id = any_alert(&server, &token).await;
        let doc = json!({"requests": [
            {"id": "list", "method": "GET", "url": "/security/alerts_v2?$top=3&$filter=severity ne 'unknown'"},
            {"id": "one", "method": "GET", "url": format!("security/alerts_v2/{id}")},
            {"id": "absolute", "method": "GET", "url": format!("{}/v1.0/security/incidents?$top=1", server.base_url)},
            {"id": "patch", "method": "PATCH", "url": format!("/security/alerts_v2/{id}"),
             "headers": {"Content-Type": "application/json"}, "body": {"status": "inProgress"}},
            {"id": "comment", "method": "POST", "url": format!("/security/alerts_v2/{id}/comments"),
             "headers": {"Content-Type": "application/json"}, "body": {"comment": "from a batch"},
             "dependsOn": ["patch"]},
            {"id": "count", "method": "GET", "url": "/security/alerts_v2/$count"},
        ]});
        let reply = batch_as(&server, &token, "v1.0", &doc).await;
        assert!(reply.header("content-type").unwrap().starts_with("application/json"));
        let r = by_id(&reply);
        assert_eq!(r.len(), 6);
        assert_eq!(r["absolute"]["status"], 200, "the absolute URLs Microsoft's Python SDK sends");
        assert_eq!(r["list"]["status"], 200, "{}", r["list"]);
        assert_eq!(r["list"]["body"]["value"].as_array().unwrap().len(), 3);
        assert!(r["list"]["headers"]["Content-Type"].as_str().unwrap().starts_with("application/json"));
        assert!(r["list"]["headers"]["request-id"].is_string(), "each inner request has its own id");
        assert_eq!(r["one"]["status"], 200);
        assert_eq!(r["one"]["body"]["id"], id.as_str());
        assert_eq!(r["patch"]["status"], 200, "{}", r["patch"]);
        assert_eq!(r["patch"]["body"]["status"], "inProgress");
        assert_eq!(r["comment"]["status"], 200, "{}", r["comment"]);
        let comments = r["comment"]["body"]["value"].as_array().unwrap();
        assert!(comments.iter().any(|c| c["comment"] == "from a batch"));
        assert_eq!(r["count"]["status"], 200);
        let count = base64::engine::general_purpose::STANDARD
            .decode(r["count"]["body"].as_str().unwrap())
            .unwrap();
        assert_eq!(String::from_utf8(count).unwrap(), "40", "a text body comes back as base64");
        // The writes happened.
        let after = server.get_as(&token, &format!("/v1.0/security/alerts_v2/{id}")).await.json();
        assert_eq!(after["status"], "inProgress");
    }

    async fn a_failed_dependency_fails_its_chain_with_424_and_spares_the_rest() {
        let server = TestServer::builder().demo(5).tokens().start().await;
        let token = server.token_with(&server.tenant, Permission::ALL).await;
        let doc = json!({"requests": [
            {"id": "1", "method": "GET", "url": "/security/alerts_v2/no-such-alert"},
            {"id": "2", "method": "GET", "url": "/security/alerts_v2?$top=1", "dependsOn": ["1"]},
            {"id": "3", "method": "GET", "url": "/security/incidents?$top=1", "dependsOn": ["2"]},
            {"id": "4", "method": "GET", "url": "/security/alerts_v2?$top=1"},
            {"id": "5", "method": "GET", "url": "/security/incidents?$top=1", "dependsOn": ["4"]},
        ]});
        let r = by_id(&batch_as(&server, &token, "beta", &doc).await);
        assert_eq!(r["1"]["status"], 404);
        assert_eq!(r["1"]["body"]["error"]["code"], "itemNotFound");
        for id in ["2", "3"] {
            assert_eq!(r[id]["status"], 424, "{}", r[id]);
            assert_eq!(r[id]["body"]["error"]["code"], "FailedDependency");
        }
        assert!(r["2"]["body"]["error"]["message"].as_str().unwrap().contains("'1'"));
        assert_eq!(r["4"]["status"], 200);
        assert_eq!(r["5"]["status"], 200);
    }

    async fn dependent_requests_run_in_order() {
        let server = TestServer::builder().demo(5).tokens().start().await;
        let token = server.token_with(&server.tenant, Permission::ALL).await;
        let id = any_alert(&server, &token).await;
        let url = format!("/security/alerts_v2/{id}");
        let h = json!({"Content-Type": "application/json"});
        let mut requests = Vec::new();
        for (n, status) in ["inProgress", "resolved", "new", "resolved", "inProgress"].iter().enumerate() {
            let mut r = json!({"id": n.to_string(), "method": "PATCH", "url": url, "headers": h,
                               "body": {"status": status}});
            if n > 0 {
                r["dependsOn"] = json!([(n - 1).to_string()]);
            }
            requests.push(r);
        }
        let r = by_id(&batch_as(&server, &token, "v1.0", &json!({"requests": requests})).await);
        assert!(r.values().all(|i| i["status"] == 200));
        let after = server.get_as(&token, &format!("/v1.0{url}")).await.json();
        assert_eq!(after["status"], "inProgress", "the last of the chain ran last");
    }

    async fn malformed_batches_are_a_400_for_the_whole_batch() {
        let server = TestServer::builder().tokens().start().await;
        let token = server.token_with(&server.tenant, Permission::ALL).await;
        let get = |id: &str| json!({"id": id, "method": "GET", "url": "/security/alerts_v2"});
        let many: Vec<Value> = (0..21).map(|n| get(&n.to_string())).collect();
        let cases = [
            (json!({"requests": [get("a"), get("A")]}), "more than one request"),
            (json!({"requests": many}), "at most 20"),
            (json!({"requests": []}), "no requests"),
            (json!({"value": []}), "'requests' array"),
            (json!({"requests": [{"method": "GET", "url": "/security/alerts_v2"}]}), "no 'id'"),
            (json!({"requests": [{"id": "1", "method": "FETCH", "url": "/x"}]}), "method 'FETCH'"),
            (json!({"requests": [{"id": "1", "method": "GET", "url": "https://graph.microsoft.com/beta/security/alerts_v2"}]}), "not below /v1.0"),
            (json!({"requests": [{"id": "1", "method": "GET", "url": "/beta/security/alerts_v2"}]}), "not below /v1.0"),
            (json!({"requests": [{"id": "1", "method": "POST", "url": "/$batch"}]}), "cannot contain a request to $batch"),
            (json!({"requests": [{"id": "1", "method": "POST", "url": "/security/incidents", "body": {}}]}), "no Content-Type"),
            (json!({"requests": [get("1"), {"id": "2", "method": "GET", "url": "/x", "dependsOn": ["9"]}]}), "not a request of this batch"),
            (json!({"requests": [{"id": "1", "method": "GET", "url": "/x", "dependsOn": ["2"]},
                                 {"id": "2", "method": "GET", "url": "/x", "dependsOn": ["1"]}]}), "cycle"),
        ];
        for (doc, says) in cases {
            let reply = batch_as(&server, &token, "v1.0", &doc).await;
            assert_eq!(reply.status, 400, "{doc}: {}", reply.text);
            let err = reply.json()["error"].clone();
            assert_eq!(err["code"], "BadRequest");
            assert!(err["message"].as_str().unwrap().contains(says), "{doc}: {err}");
        }
        let not_json = server
            .send_raw(Method::POST, "/v1.0/$batch", b"{".to_vec(),
                      &[("authorization", &format!("Bearer {token}")), ("content-type", "application/json")])
            .await;
        assert_eq!(not_json.status, 400, "{}", not_json.text);
        let anonymous = server.post("/v1.0/$batch", &json!({"requests": [get("1")]})).await;
        assert_eq!(anonymous.status, 401, "{}", anonymous.text);
    }

    async fn each_inner_request_is_authorized_on_its_own() {
        let server = TestServer::builder().demo(5).tokens().start().await;
        let token = server.token_with(&server.tenant, &[Permission::SecurityAlertReadAll]).await;
        let id = any_alert(&server, &token).await;
        let doc = json!({"requests": [
            {"id": "read", "method": "GET", "url": "/security/alerts_v2?$top=1"},
            {"id": "incidents", "method": "GET", "url": "/security/incidents"},
            {"id": "write", "method": "PATCH", "url": format!("/security/alerts_v2/{id}"),
             "headers": {"content-type": "application/json"}, "body": {"status": "resolved"}},
            {"id": "unknown", "method": "GET", "url": "/security/nothingHere"},
        ]});
        let r = by_id(&batch_as(&server, &token, "v1.0", &doc).await);
        assert_eq!(r["read"]["status"], 200);
        for denied in ["incidents", "write"] {
            assert_eq!(r[denied]["status"], 403, "{}", r[denied]);
            assert_eq!(r[denied]["body"]["error"]["code"], "accessDenied");
        }
        assert_eq!(r["unknown"]["status"], 400, "an unknown segment, as Graph answers");
        let after = server.get_as(&token, &format!("/v1.0/security/alerts_v2/{id}")).await.json();
        assert_ne!(after["status"], "resolved", "the refused PATCH did nothing");
    }

    async fn base64_bodies_are_decoded_and_beta_routes_answer_under_beta() {
        let server = TestServer::builder().demo(5).tokens().start().await;
        let token = server.token_with(&server.tenant, Permission::ALL).await;
        let id = any_alert(&server, &token).await;
        let b64 = |v: Value| base64::engine::general_purpose::STANDARD.encode(v.to_string());
        let doc = json!({"requests": [
            {"id": "1", "method": "POST", "url": format!("/security/alerts_v2/{id}/comments"),
             "headers": {"Content-Type": "application/json"},
             "body": b64(json!([{"comment": "sent as base64"}]))},
            {"id": "2", "method": "PATCH", "url": format!("/security/alerts_v2/{id}"),
             "headers": {"Content-Type": "application/json"},
             "body": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"assignedTo":"batch@contoso.com"}"#)},
            {"id": "3", "method": "GET", "url": "/security/securityActions?$top=1"},
            {"id": "4", "method": "POST", "url": format!("/security/alerts_v2/{id}/comments"),
             "headers": {"Content-Type": "application/json"}, "body": "not base64!"},
        ]});
        let reply = batch_as(&server, &token, "beta", &doc).await;
        assert_eq!(reply.status, 400, "an undecodable body makes the batch malformed");
        assert!(reply.text.contains("base64"), "{}", reply.text);
        let doc = json!({"requests": doc["requests"].as_array().unwrap()[..3]});
        let r = by_id(&batch_as(&server, &token, "beta", &doc).await);
        assert_eq!(r["1"]["status"], 200, "{}", r["1"]);
        assert!(r["1"]["body"]["value"].as_array().unwrap().iter().any(|c| c["comment"] == "sent as base64"));
        assert_eq!(r["2"]["status"], 200, "{}", r["2"]);
        assert_eq!(r["2"]["body"]["assignedTo"], "batch@contoso.com");
        assert_eq!(r["3"]["status"], 200, "{}", r["3"]);
        let v1 = json!({"requests": [{"id": "3", "method": "GET", "url": "/security/securityActions"}]});
        let r = by_id(&batch_as(&server, &token, "v1.0", &v1).await);
        assert_eq!(r["3"]["status"], 400, "securityActions is beta-only, inside a batch too");
    }
}
