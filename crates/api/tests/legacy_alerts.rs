//! The legacy `security/alerts` view: computed from the stored alert, updatable with
//! `vendorInformation`, and consistent with alerts_v2 in both directions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{collect_all, enc, DEMO};
use reqwest::Method;
use serde_json::{json, Value};
use testkit::TestServer;

async fn first(server: &TestServer) -> Value {
    server
        .get("/v1.0/security/alerts?$top=1&$filter=status%20eq%20%27newAlert%27")
        .await
        .json()["value"][0]
        .clone()
}

fn vendor(a: &Value) -> Value {
    json!({"provider": a["vendorInformation"]["provider"], "vendor": a["vendorInformation"]["vendor"]})
}

testdb::conformance! {
    async fn lists_every_alert_in_the_legacy_shape() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let page = server
            .get("/v1.0/security/alerts?$top=5&$count=true")
            .await
            .json();
        assert_eq!(page["@odata.count"], DEMO);
        assert_eq!(
            page["@odata.context"],
            format!("{}/v1.0/$metadata#security/alerts", server.base_url)
        );
        for a in page["value"].as_array().unwrap() {
            assert_eq!(a["@odata.type"], "#microsoft.graph.alert");
            for required in [
                "azureTenantId",
                "createdDateTime",
                "eventDateTime",
                "id",
                "severity",
                "status",
                "vendorInformation",
            ] {
                assert!(
                    !a[required].is_null(),
                    "{required} is required in the legacy shape: {a}"
                );
            }
            assert!(
                ["unknown", "newAlert", "inProgress", "resolved", "dismissed"]
                    .contains(&a["status"].as_str().unwrap())
            );
        }
        assert_eq!(
            collect_all(&server, "/beta/security/alerts?$top=300")
                .await
                .len(),
            DEMO
        );
    }

    async fn top_and_skip_limits_are_graphs() {
        let server = TestServer::builder().demo(10).start().await;
        let top = server.get("/v1.0/security/alerts?$top=1001").await;
        assert_eq!(top.status, 400);
        assert!(top.text.contains("1000"));
        let skip = server.get("/v1.0/security/alerts?$skip=501").await;
        assert_eq!(skip.status, 400);
        assert!(skip.text.contains("500"));
        assert_eq!(
            server.get("/v1.0/security/alerts?$skip=500").await.status,
            200
        );
    }

    async fn patch_is_204_or_200_with_prefer_and_visible_through_v2() {
        let server = TestServer::builder().demo(40).start().await;
        let a = first(&server).await;
        let id = a["id"].as_str().unwrap();
        let path = format!("/v1.0/security/alerts/{}", enc(id));
        let body = json!({"assignedTo": "analyst@contoso.com", "status": "inProgress", "tags": ["triage"], "vendorInformation": vendor(&a)});
        let plain = server.patch(&path, &body).await;
        assert_eq!(plain.status, 204, "{}", plain.text);
        assert!(plain.text.is_empty());
        let v2 = server
            .get(&format!("/v1.0/security/alerts_v2/{}", enc(id)))
            .await
            .json();
        assert_eq!(v2["status"], "inProgress");
        assert_eq!(v2["assignedTo"], "analyst@contoso.com");
        let body = json!({"status": "dismissed", "feedback": "falsePositive", "comments": ["Closed in IPC"], "vendorInformation": vendor(&a)});
        let rep = server
            .send(
                Method::PATCH,
                &path,
                Some(&body),
                &[("Prefer", "return=representation")],
            )
            .await;
        assert_eq!(rep.status, 200, "{}", rep.text);
        let rep = rep.json();
        assert_eq!(rep["status"], "dismissed");
        assert_eq!(rep["feedback"], "falsePositive");
        assert_eq!(rep["comments"], json!(["Closed in IPC"]));
        assert_eq!(rep["tags"], json!(["triage"]));
        let v2 = server
            .get(&format!("/v1.0/security/alerts_v2/{}", enc(id)))
            .await
            .json();
        assert_eq!(v2["status"], "resolved");
        assert_eq!(v2["classification"], "falsePositive");
    }

    async fn patch_requires_matching_vendor_information() {
        let server = TestServer::builder().demo(10).start().await;
        let a = first(&server).await;
        let path = format!("/v1.0/security/alerts/{}", enc(a["id"].as_str().unwrap()));
        let missing = server.patch(&path, &json!({"status": "resolved"})).await;
        assert_eq!(missing.status, 400);
        assert!(missing.text.contains("vendorInformation"));
        let wrong = server.patch(&path, &json!({"status": "resolved", "vendorInformation": {"provider": "Nope", "vendor": "Nobody"}})).await;
        assert_eq!(wrong.status, 400, "{}", wrong.text);
        let unknown = server
            .patch(
                &path,
                &json!({"title": "x", "vendorInformation": vendor(&a)}),
            )
            .await;
        assert_eq!(unknown.status, 400);
        assert!(unknown.text.contains("title"));
    }

    async fn v2_changes_show_in_the_legacy_view() {
        let server = TestServer::builder().demo(10).start().await;
        let a = first(&server).await;
        let id = a["id"].as_str().unwrap();
        server
            .patch(
                &format!("/v1.0/security/alerts_v2/{}", enc(id)),
                &json!({"status": "resolved"}),
            )
            .await;
        let legacy = server
            .get(&format!("/v1.0/security/alerts/{}", enc(id)))
            .await
            .json();
        assert_eq!(legacy["status"], "resolved");
        assert!(legacy["closedDateTime"].is_string());
    }

    async fn update_alerts_in_bulk_on_beta_with_qualified_name() {
        let server = TestServer::builder().demo(30).start().await;
        let page = server.get("/beta/security/alerts?$top=3").await.json();
        let items: Vec<Value> = page["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| json!({"id": a["id"], "assignedTo": "bulk@contoso.com", "vendorInformation": vendor(a)}))
            .collect();
        for path in [
            "/beta/security/alerts/updateAlerts",
            "/beta/security/alerts/microsoft.graph.updateAlerts",
        ] {
            let reply = server.post(path, &json!({"value": items})).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.text);
            let value = reply.json()["value"].as_array().unwrap().clone();
            assert_eq!(value.len(), 3);
            assert!(value.iter().all(|a| a["assignedTo"] == "bulk@contoso.com"));
        }
        let mut with_unknown = items.clone();
        with_unknown.push(json!({"id": "no-such", "status": "resolved", "vendorInformation": {"provider": "x", "vendor": "y"}}));
        let partial = server
            .post(
                "/beta/security/alerts/updateAlerts",
                &json!({"value": with_unknown}),
            )
            .await;
        assert_eq!(partial.status, 206, "{}", partial.text);
        let v1 = server
            .post(
                "/v1.0/security/alerts/updateAlerts",
                &json!({"value": items}),
            )
            .await;
        assert_eq!(v1.status, 400);
        let not_array = server
            .post("/beta/security/alerts/updateAlerts", &json!({"value": 3}))
            .await;
        assert_eq!(not_array.status, 400);
    }
}
