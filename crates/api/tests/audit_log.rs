//! The audit log end to end on both backends: Graph writes (PATCH, POST, DELETE) are recorded with
//! who, what, the request id and the redacted change, reads are not; failed token requests, admin
//! consents and inner `$batch` requests are recorded; `/secgraph/v1/auditLogs` pages and filters
//! with OData, needs `AuditLog.Read.All`, and shows each tenant only its own records.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use auth::Permission;
use reqwest::Method;
use serde_json::{json, Value};
use testkit::{Reply, TestServer};

const LOGS: &str = "/secgraph/v1/auditLogs";

/// A server with 5 demo alerts, and a token (with every permission) of an app whose id we know.
async fn start() -> (TestServer, String, String) {
    let server = TestServer::builder().demo(5).tokens().start().await;
    let app = server.register_app(&server.tenant).await;
    server.grant(&server.tenant, &app, Permission::ALL).await;
    let token = server.token(&server.tenant, &app).await;
    (server, token, app.client_id)
}

async fn any_alert(server: &TestServer, token: &str) -> String {
    let page = server
        .get_as(token, "/v1.0/security/alerts_v2?$top=1")
        .await;
    page.json()["value"][0]["id"].as_str().unwrap().to_owned()
}

/// The records matching `filter` (a `$filter` value), newest first.
async fn records(server: &TestServer, token: &str, filter: &str) -> Vec<Value> {
    let path = format!("{LOGS}?$filter={}", urlencode(filter));
    let reply = server.get_as(token, &path).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.json()["value"].as_array().unwrap().clone()
}

fn urlencode(s: &str) -> String {
    s.replace('%', "%25")
        .replace(' ', "%20")
        .replace('\'', "%27")
        .replace('/', "%2F")
}

/// The one record of the request that got `reply`.
async fn record_of(server: &TestServer, token: &str, reply: &Reply) -> Value {
    let request_id = reply.header("request-id").expect("request-id");
    let found = records(server, token, &format!("requestId eq '{request_id}'")).await;
    assert_eq!(
        found.len(),
        1,
        "one record for request {request_id}: {found:?}"
    );
    found[0].clone()
}

async fn count(server: &TestServer, token: &str) -> String {
    server.get_as(token, &format!("{LOGS}/$count")).await.text
}

testdb::conformance! {
    async fn patch_post_and_delete_are_recorded_with_who_what_and_the_change() {
        let (server, token, app_id) = start().await;
        let id = any_alert(&server, &token).await;
        let path = format!("/v1.0/security/alerts_v2/{id}");
        let patch = server
            .send_as(&token, Method::PATCH, &path, Some(&json!({"status": "inProgress"})))
            .await;
        assert_eq!(patch.status, 200, "{}", patch.text);
        let r = record_of(&server, &token, &patch).await;
        assert_eq!(r["@odata.type"], "#secgraph.auditLog");
        assert_eq!(r["category"], "graph");
        assert_eq!(r["method"], "PATCH");
        assert_eq!(r["operation"], "PATCH /v1.0/security/alerts_v2/{id}");
        assert_eq!(r["resourcePath"], path.as_str());
        assert_eq!(r["resourceId"], id.as_str());
        assert_eq!(r["result"], "success");
        assert_eq!(r["statusCode"], 200);
        assert_eq!(r["tenantId"], server.tenant.as_str());
        assert_eq!(r["initiatedBy"]["app"]["appId"], app_id.as_str());
        assert_eq!(r["initiatedBy"]["user"], Value::Null);
        assert_eq!(r["initiatedBy"]["kind"], "application");
        assert_eq!(r["change"], json!({"status": "inProgress"}));
        assert!(r["activityDateTime"].as_str().unwrap().ends_with('Z'));

        let comment = server
            .send_as(&token, Method::POST, &format!("{path}/comments"), Some(&json!({"comment": "seen"})))
            .await;
        assert_eq!(comment.status, 200, "{}", comment.text);
        let r = record_of(&server, &token, &comment).await;
        assert_eq!(r["operation"], "POST /v1.0/security/alerts_v2/{id}/comments");
        assert_eq!(r["change"], json!({"comment": "seen"}));

        let delete = server.send_as(&token, Method::DELETE, &path, None).await;
        assert_eq!(delete.status, 405, "{}", delete.text);
        let r = record_of(&server, &token, &delete).await;
        assert_eq!(r["result"], "failure", "a refused write is recorded too");
        assert_eq!(r["statusCode"], 405);
        assert_eq!(r["change"], Value::Null);

        let one = server.get_as(&token, &format!("{LOGS}/{}", r["id"].as_str().unwrap())).await;
        assert_eq!(one.status, 200, "{}", one.text);
        let one = one.json();
        assert!(one["@odata.context"].as_str().unwrap().ends_with("/secgraph/v1/$metadata#auditLogs/$entity"));
        assert_eq!(one["requestId"], r["requestId"]);
    }

    async fn reads_are_not_recorded() {
        let (server, token, _) = start().await;
        let before = count(&server, &token).await;
        server.get_as(&token, "/v1.0/security/alerts_v2?$top=2").await;
        server.get_as(&token, "/beta/security/incidents").await;
        server.get_as(&token, LOGS).await;
        assert_eq!(count(&server, &token).await, before);
        assert_eq!(before, "0");
    }

    async fn secrets_in_bodies_and_headers_are_never_recorded() {
        let (server, token, _) = start().await;
        let id = any_alert(&server, &token).await;
        let body = json!({
            "status": "resolved",
            "client_secret": "s3cr3t-one",
            "nested": {"password": "s3cr3t-two", "apiKey": "s3cr3t-three", "keep": "visible"},
        });
        let reply = server
            .send_as(&token, Method::PATCH, &format!("/v1.0/security/alerts_v2/{id}"), Some(&body))
            .await;
        let r = record_of(&server, &token, &reply).await;
        let text = r.to_string();
        for secret in ["s3cr3t-one", "s3cr3t-two", "s3cr3t-three", token.as_str()] {
            assert!(!text.contains(secret), "{secret} recorded: {text}");
        }
        assert_eq!(r["change"]["client_secret"], "[redacted]");
        assert_eq!(r["change"]["nested"]["keep"], "visible");
    }

    async fn failed_token_requests_are_recorded_without_the_secret() {
        let (server, token, _) = start().await;
        let app = server.register_app(&server.tenant).await;
        server.grant(&server.tenant, &app, &[Permission::SecurityAlertReadAll]).await;
        let reply = server
            .token_request(server.tenant.as_str(), &[
                ("grant_type", "client_credentials"),
                ("client_id", &app.client_id),
                ("client_secret", "wrong-secret-value"),
                ("scope", testkit::GRAPH_SCOPE),
            ])
            .await;
        assert_eq!(reply.status, 401, "{}", reply.text);
        let found = records(&server, &token, "category eq 'token'").await;
        assert_eq!(found.len(), 1, "{found:?}");
        let r = &found[0];
        assert_eq!(r["result"], "failure");
        assert_eq!(r["statusCode"], 401);
        assert_eq!(r["initiatedBy"]["kind"], "unauthenticated");
        assert_eq!(r["initiatedBy"]["app"]["appId"], app.client_id.as_str());
        assert_eq!(r["change"]["error"], "invalid_client");
        assert_eq!(r["requestId"], reply.header("request-id").unwrap());
        let text = r.to_string();
        assert!(!text.contains("wrong-secret-value") && !text.contains(&app.secret), "{text}");
        // A tenant that does not exist has no log to file the failure in; nothing breaks.
        let unknown = server
            .token_request("11111111-1111-1111-1111-111111111111", &[("grant_type", "client_credentials")])
            .await;
        assert_eq!(unknown.status, 400);
    }

    async fn admin_consent_is_recorded_in_the_consenting_tenant() {
        let (server, token, _) = start().await;
        let other = server.create_tenant("other").await;
        let app = server.register_app(&other).await;
        let path = format!("/tenants/{}/consents/{}", server.tenant.as_str(), app.client_id);
        let body = json!({"permissions": ["SecurityAlert.Read.All"]});
        let reply = server.admin(Method::PUT, &path, Some(&body)).await;
        assert!(reply.status.is_success(), "{}", reply.text);
        let r = record_of(&server, &token, &reply).await;
        assert_eq!(r["category"], "admin");
        assert_eq!(r["operation"], "PUT /secgraph/admin/v1/tenants/{tenant_id}/consents/{client_id}");
        assert_eq!(r["initiatedBy"]["kind"], "admin");
        assert_eq!(r["initiatedBy"]["app"], Value::Null);
        assert_eq!(r["resourceId"], app.client_id.as_str());
        assert_eq!(r["change"], body);
        assert_eq!(r["tenantId"], server.tenant.as_str());
        // A new secret's answer carries its text; the record keeps the request only.
        let secret = server
            .admin(Method::POST, &format!("/apps/{}/secrets", app.client_id), Some(&json!({"expiresInDays": 5})))
            .await;
        assert_eq!(secret.status, 201, "{}", secret.text);
        let in_home = server.store.tenant(&other).audit_log().count(None).await.unwrap();
        assert_eq!(in_home, 1, "filed under the application's home tenant");
    }

    async fn lists_filter_order_count_and_page() {
        let (server, token, _) = start().await;
        let id = any_alert(&server, &token).await;
        let path = format!("/v1.0/security/alerts_v2/{id}");
        for status in ["inProgress", "resolved", "inProgress"] {
            let r = server.send_as(&token, Method::PATCH, &path, Some(&json!({"status": status}))).await;
            assert_eq!(r.status, 200);
            server.clock.advance(std::time::Duration::from_secs(1));
        }
        server.send_as(&token, Method::DELETE, &path, None).await;
        let page = server.get_as(&token, &format!("{LOGS}?$top=2&$count=true")).await;
        assert_eq!(page.status, 200, "{}", page.text);
        let page = page.json();
        assert_eq!(page["@odata.count"], 4);
        assert!(page["@odata.context"].as_str().unwrap().ends_with("/secgraph/v1/$metadata#auditLogs"));
        assert_eq!(page["value"][0]["method"], "DELETE", "newest first");
        let next = page["@odata.nextLink"].as_str().expect("nextLink");
        assert!(next.contains("/secgraph/v1/auditLogs?"), "{next}");
        let rest = server.get_as(&token, next).await.json();
        assert_eq!(rest["value"].as_array().unwrap().len(), 2);
        assert!(rest.get("@odata.nextLink").is_none());

        let patches = records(&server, &token, "method eq 'PATCH' and result eq 'success'").await;
        assert_eq!(patches.len(), 3);
        let asc = server
            .get_as(&token, &format!("{LOGS}?$orderby=activityDateTime%20asc&$select=change,statusCode"))
            .await
            .json();
        assert_eq!(asc["value"][0]["change"]["status"], "inProgress");
        assert!(asc["value"][0].get("method").is_none(), "$select applies");
        let n = server.get_as(&token, &format!("{LOGS}/$count?$filter=statusCode%20eq%20405")).await;
        assert_eq!(n.text, "1");
        let bad = server.get_as(&token, &format!("{LOGS}?$filter=change%20eq%20'x'")).await;
        assert_eq!(bad.status, 400, "{}", bad.text);
        assert!(bad.text.contains("change"), "{}", bad.text);
    }

    async fn each_tenant_sees_only_its_own_records_and_needs_the_permission() {
        let (server, token, _) = start().await;
        let id = any_alert(&server, &token).await;
        let patch = server
            .send_as(&token, Method::PATCH, &format!("/v1.0/security/alerts_v2/{id}"), Some(&json!({"status": "resolved"})))
            .await;
        let mine = record_of(&server, &token, &patch).await;
        let other = server.create_tenant("other").await;
        let other_token = server.token_with(&other, &[Permission::AuditLogReadAll]).await;
        let theirs = server.get_as(&other_token, LOGS).await;
        assert_eq!(theirs.status, 200, "{}", theirs.text);
        assert_eq!(theirs.json()["value"], json!([]));
        let by_id = server.get_as(&other_token, &format!("{LOGS}/{}", mine["id"].as_str().unwrap())).await;
        assert_eq!(by_id.status, 404, "{}", by_id.text);
        let reader = server.token_with(&server.tenant, &[Permission::SecurityAlertReadAll]).await;
        let denied = server.get_as(&reader, LOGS).await;
        assert_eq!(denied.status, 403, "{}", denied.text);
        assert!(denied.text.contains("AuditLog.Read.All"), "{}", denied.text);
    }

    async fn inner_batch_requests_are_recorded_one_by_one() {
        let (server, token, _) = start().await;
        let id = any_alert(&server, &token).await;
        let doc = json!({"requests": [
            {"id": "a", "method": "PATCH", "url": format!("/security/alerts_v2/{id}"),
             "headers": {"Content-Type": "application/json"}, "body": {"status": "inProgress"}},
            {"id": "b", "method": "POST", "url": format!("/security/alerts_v2/{id}/comments"),
             "headers": {"Content-Type": "application/json"}, "body": {"comment": "batched"},
             "dependsOn": ["a"]},
            {"id": "c", "method": "GET", "url": "/security/alerts_v2?$top=1"},
        ]});
        let reply = server.send_as(&token, Method::POST, "/v1.0/$batch", Some(&doc)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let all = server.get_as(&token, LOGS).await.json()["value"].as_array().unwrap().clone();
        assert_eq!(all.len(), 2, "the two inner writes, not the GET nor the batch: {all:?}");
        for item in reply.json()["responses"].as_array().unwrap() {
            if item["id"] == "c" {
                continue;
            }
            let rid = item["headers"]["request-id"].as_str().unwrap();
            assert!(all.iter().any(|r| r["requestId"] == rid), "{rid} recorded");
        }
        assert!(all.iter().any(|r| r["change"] == json!({"comment": "batched"})));
        assert!(all.iter().all(|r| r["resourcePath"] != "/v1.0/$batch"));
    }
}
