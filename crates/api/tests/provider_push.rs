//! The provider registry over the admin API and the push endpoint over HTTP, on both backends: a
//! vendor's multi-tenant app registered as a provider, consented in a customer tenant, pushing
//! alerts with a token from the token endpoint; then a client's PATCH staged for sync-back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use auth::permission::Permission;
use model::TenantId;
use reqwest::Method;
use serde_json::{json, Value};
use testkit::{TestApp, TestServer};

const PUSH: &str = "/secgraph/v1/provider/alerts";

fn manifest() -> Value {
    json!({"protocolVersion": 1, "name": "Edge Firewall", "vendor": "Contoso", "mode": "push",
           "callbackBaseUrl": "https://fw.contoso.example/secgraph",
           "actions": [{"name": "blockIp", "parameters": [{"name": "ip", "type": "ip", "required": true}]}]})
}

fn batch(items: Value) -> Value {
    json!({"protocolVersion": 1, "alerts": items})
}

fn fw_alert(id: &str, version: u64, title: &str) -> Value {
    json!({"providerAlertId": id, "version": version,
           "alert": {"title": title, "severity": "high", "createdDateTime": "2025-03-01T10:00:00Z",
                     "evidence": [{"@odata.type": "#microsoft.graph.security.ipEvidence",
                                   "ipAddress": "203.0.113.9", "createdDateTime": "2025-03-01T10:00:00Z",
                                   "verdict": "suspicious", "remediationStatus": "none"}]}})
}

/// A server, the vendor's app registered as a provider (through the admin API) and consented in a
/// customer tenant; returns the customer tenant, the vendor app and the provider record.
async fn setup() -> (TestServer, TenantId, TestApp, Value) {
    let server = TestServer::builder().tokens().start().await;
    let vendor_home = server.create_tenant("Contoso").await;
    let customer = server.create_tenant("Fabrikam").await;
    let app = server.register_app(&vendor_home).await;
    let reply = server
        .admin(
            Method::POST,
            "/providers",
            Some(&json!({"clientId": app.client_id, "manifest": manifest()})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let provider = reply.json();
    server
        .grant(&customer, &app, &[Permission::SecurityAlertReadWriteAll])
        .await;
    (server, customer, app, provider)
}

testdb::conformance! {
    async fn a_registered_provider_pushes_alerts_into_the_consenting_tenant() {
        let (server, customer, app, provider) = setup().await;
        assert!(provider["signingSecret"].as_str().unwrap().len() >= 32);
        assert_eq!(provider["mode"], "push");
        let token = server.token(&customer, &app).await;
        let items = json!([fw_alert("fw-1", 1, "Blocked address seen"), fw_alert("fw-2", 1, "Another")]);
        let reply = server.send_as(&token, Method::POST, PUSH, Some(&batch(items))).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let results = reply.json()["results"].clone();
        assert_eq!(results[0]["outcome"], "created");
        assert_eq!(results[1]["outcome"], "created");
        let id = results[0]["alertId"].as_str().unwrap().to_owned();

        // Pushed again (a retry) and out of order: one alert, the newest state.
        let again = json!([fw_alert("fw-1", 3, "v3"), fw_alert("fw-2", 1, "Another")]);
        let reply = server.send_as(&token, Method::POST, PUSH, Some(&batch(again))).await;
        assert_eq!(reply.json()["results"][0]["outcome"], "updated");
        assert_eq!(reply.json()["results"][1]["outcome"], "unchanged");
        let late = json!([fw_alert("fw-1", 2, "v2 arriving late")]);
        let reply = server.send_as(&token, Method::POST, PUSH, Some(&batch(late))).await;
        assert_eq!(reply.json()["results"][0]["outcome"], "stale");
        assert_eq!(reply.json()["results"][0]["storedVersion"], 3);

        let reader = server.token_with(&customer, &[Permission::SecurityAlertReadWriteAll]).await;
        let got = server.get_as(&reader, &format!("/v1.0/security/alerts_v2/{id}")).await;
        assert_eq!(got.status, 200, "{}", got.text);
        let a = got.json();
        assert_eq!(a["title"], "v3");
        assert_eq!(a["providerAlertId"], "fw-1");
        assert_eq!(a["productName"], "Edge Firewall");
        assert!(a.get("providerSync").is_none(), "no local change yet");
        let count = server.get_as(&reader, "/v1.0/security/alerts_v2/$count").await;
        assert_eq!(count.text, "2");

        // A client's change is staged for the provider and shows as pending in both views.
        let patch = json!({"status": "resolved", "classification": "falsePositive", "determination": "other"});
        let reply = server.send_as(&reader, Method::PATCH, &format!("/v1.0/security/alerts_v2/{id}"), Some(&patch)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json()["providerSync"]["state"], "pending");
        assert_eq!(reply.json()["providerSync"]["provider"], "Edge Firewall");
        assert_eq!(server.store.outbox().pending(Some("provider.alertUpdate")).await.unwrap(), 1);
        let legacy_reader = server.token_with(&customer, &[Permission::SecurityEventsReadAll]).await;
        let legacy = server.get_as(&legacy_reader, &format!("/v1.0/security/alerts/{id}")).await;
        assert_eq!(legacy.json()["providerSync"]["state"], "pending", "{}", legacy.text);

        let health = server.admin(Method::GET, &format!("/tenants/{customer}/providers"), None).await;
        assert_eq!(health.status, 200, "{}", health.text);
        assert_eq!(health.json()[0]["providerId"], provider["id"]);
        assert_eq!(health.json()[0]["alertsReceived"], 5);
        assert!(health.json()[0]["lastPushDateTime"].is_string());
    }

    async fn bad_batches_are_refused_with_every_problem() {
        let (server, customer, app, _) = setup().await;
        let token = server.token(&customer, &app).await;
        let dup = batch(json!([fw_alert("fw-1", 1, "a"), fw_alert("fw-1", 2, "b")]));
        let reply = server.send_as(&token, Method::POST, PUSH, Some(&dup)).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.contains("alerts[1].providerAlertId") && message.contains("alerts[0]"), "{message}");
        let wrong = json!({"protocolVersion": 2, "alerts": []});
        let reply = server.send_as(&token, Method::POST, PUSH, Some(&wrong)).await;
        assert_eq!(reply.status, 400);
        let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.contains("protocolVersion") && message.contains("alerts"), "{message}");
        let reply = server.send_as(&token, Method::POST, PUSH, None).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        let one_bad = batch(json!([fw_alert("fw-1", 1, "fine"), {"providerAlertId": "fw-2", "version": 1, "alert": {"title": "no time"}}]));
        let reply = server.send_as(&token, Method::POST, PUSH, Some(&one_bad)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let results = reply.json()["results"].clone();
        assert_eq!(results[0]["outcome"], "created");
        assert_eq!(results[1]["outcome"], "rejected");
        assert!(results[1]["reason"].as_str().unwrap().contains("createdDateTime"), "{results}");
    }

    async fn only_registered_providers_with_a_token_may_push() {
        let (server, customer, _, _) = setup().await;
        let body = batch(json!([fw_alert("fw-1", 1, "a")]));
        let reply = server.send(Method::POST, PUSH, Some(&body), &[]).await;
        assert_eq!(reply.status, 401);
        let stranger = server.token_with(&customer, &[Permission::SecurityAlertReadWriteAll]).await;
        let reply = server.send_as(&stranger, Method::POST, PUSH, Some(&body)).await;
        assert_eq!(reply.status, 403, "{}", reply.text);
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains("registered provider"));
        let reader = server.token_with(&customer, &[Permission::SecurityAlertReadAll]).await;
        let reply = server.send_as(&reader, Method::POST, PUSH, Some(&body)).await;
        assert_eq!(reply.status, 403);
    }

    async fn control_states_are_reported_for_the_token_s_tenant() {
        let (server, customer, app, provider) = setup().await;
        let token = server.token(&customer, &app).await;
        let report = json!({"protocolVersion": 1, "controls": [
            {"controlName": "MFARegistrationV2", "state": "thirdparty", "score": 6.5, "maxScore": 10,
             "affectedItemCount": 12, "updatedDateTime": "2025-03-01T00:00:00Z"}]});
        let path = "/secgraph/v1/provider/controlStates";
        let reply = server.send_as(&token, Method::POST, path, Some(&report)).await;
        assert_eq!(reply.status, 204, "{}", reply.text);
        let states = server.store.providers().control_states(&customer).await.unwrap();
        assert_eq!(states.len(), 1);
        assert_eq!(states[0].provider_id, provider["id"].as_str().unwrap());
        assert_eq!(states[0].state.state.as_str(), "ThirdParty");
        let bad = json!({"protocolVersion": 1, "controls": [{"controlName": "X", "state": "Default", "score": 11, "maxScore": 10, "updatedDateTime": "2025-03-01T00:00:00Z"}]});
        let reply = server.send_as(&token, Method::POST, path, Some(&bad)).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains("score"));
    }

    async fn the_admin_api_manages_the_registry() {
        let (server, _, app, provider) = setup().await;
        let id = provider["id"].as_str().unwrap();
        let list = server.admin(Method::GET, "/providers", None).await;
        assert_eq!(list.json().as_array().unwrap().len(), 1);
        assert!(list.json()[0].get("signingSecret").is_none(), "secrets are shown once");
        let again = server
            .admin(Method::POST, "/providers", Some(&json!({"clientId": app.client_id, "manifest": manifest()})))
            .await;
        assert_eq!(again.status, 400, "{}", again.text);
        let bad = server
            .admin(Method::POST, "/providers", Some(&json!({"clientId": app.client_id, "manifest": {"name": "x"}})))
            .await;
        assert_eq!(bad.status, 400, "{}", bad.text);
        let rotated = server.admin(Method::POST, &format!("/providers/{id}/secrets/rotate"), None).await;
        assert_eq!(rotated.status, 201, "{}", rotated.text);
        assert_eq!(rotated.json()["activeSecrets"], 2);
        let retired = server.admin(Method::POST, &format!("/providers/{id}/secrets/retire"), None).await;
        assert_eq!(retired.json()["activeSecrets"], 1);
        let mut m = manifest();
        m["name"] = json!("Renamed");
        let renamed = server.admin(Method::PUT, &format!("/providers/{id}"), Some(&json!({"manifest": m}))).await;
        assert_eq!(renamed.status, 400, "{}", renamed.text);
        let deleted = server.admin(Method::DELETE, &format!("/providers/{id}"), None).await;
        assert_eq!(deleted.status, 204);
        let gone = server.admin(Method::GET, &format!("/providers/{id}"), None).await;
        assert_eq!(gone.status, 404);
    }
}
