//! `security/incidents` end to end on both backends: listing, paging, shaping and reading (with
//! `$expand=alerts`), the v1.0/beta difference, the alerts of an incident, PATCH and comments,
//! the 405s, and Graph-shaped errors for bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{collect_all, enc};
use reqwest::Method;
use serde_json::{json, Value};
use testkit::TestServer;

/// Demo alerts these tests load.
const DEMO: usize = 300;

/// An incident with at least two alerts, expanded.
async fn shared_incident(server: &TestServer) -> Value {
    let all = collect_all(server, "/v1.0/security/incidents?$expand=alerts&$top=200").await;
    all.into_iter()
        .find(|i| i["alerts"].as_array().unwrap().len() >= 2)
        .expect("the demo data correlates some alerts")
}

testdb::conformance! {
    async fn every_alert_is_in_exactly_one_listed_incident() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let incidents = collect_all(&server, "/v1.0/security/incidents?$expand=alerts&$top=37").await;
        let alerts = collect_all(&server, "/v1.0/security/alerts_v2?$top=500").await;
        assert_eq!(alerts.len(), DEMO);
        let mut seen = std::collections::HashMap::new();
        for i in &incidents {
            assert_eq!(i["@odata.type"], "#microsoft.graph.security.incident");
            let n = i["alerts"].as_array().unwrap().len();
            match i["status"].as_str().unwrap() {
                "redirected" => assert_eq!(n, 0, "a redirected incident's alerts moved"),
                _ => assert!(n > 0, "incident {} holds no alert: {i}", i["id"]),
            }
            for a in i["alerts"].as_array().unwrap() {
                assert_eq!(a["incidentId"], i["id"]);
                assert!(seen.insert(a["id"].as_str().unwrap().to_owned(), i["id"].clone()).is_none());
            }
        }
        for a in &alerts {
            let id = a["incidentId"].as_str().expect("every alert has an incident");
            assert_eq!(seen[a["id"].as_str().unwrap()], id);
            assert_eq!(
                a["incidentWebUrl"],
                format!("{}/v1.0/security/incidents/{id}", server.base_url)
            );
        }
        assert!(incidents.len() < DEMO, "correlation grouped some alerts");
        let count = server.get("/v1.0/security/incidents/$count").await;
        assert_eq!(count.text, incidents.len().to_string());
        assert!(count.header("content-type").unwrap().starts_with("text/plain"));
    }

    async fn lists_newest_first_with_count_filter_and_select() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let page = server.get("/v1.0/security/incidents?$count=true&$top=5").await;
        assert_eq!(page.status, 200, "{}", page.text);
        let page = page.json();
        assert_eq!(
            page["@odata.context"],
            format!("{}/v1.0/$metadata#security/incidents", server.base_url)
        );
        let items = page["value"].as_array().unwrap();
        assert_eq!(items.len(), 5);
        assert!(page["@odata.count"].as_u64().unwrap() > 5);
        assert!(page["@odata.nextLink"].as_str().unwrap().contains("$skiptoken="));
        let created: Vec<&str> = items.iter().map(|i| i["createdDateTime"].as_str().unwrap()).collect();
        assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
        for i in items {
            for name in ["severity", "status", "displayName", "incidentWebUrl", "lastUpdateDateTime",
                         "tenantId", "summary", "comments", "customTags", "systemTags", "correlationReasons"] {
                assert!(i.get(name).is_some(), "{name} missing");
            }
            assert!(i.get("recommendedActions").is_none(), "beta-only under v1.0");
        }
        let beta = server.get("/beta/security/incidents?$top=1").await.json();
        assert!(beta["value"][0].get("recommendedHuntingQueries").is_some());

        let high = collect_all(&server, &format!("/v1.0/security/incidents?$filter={}", enc("severity eq 'high'"))).await;
        assert!(high.iter().all(|i| i["severity"] == "high"));
        let selected = server.get("/v1.0/security/incidents?$select=severity,status&$top=2").await.json();
        let keys: Vec<&String> = selected["value"][0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["@odata.type", "id", "severity", "status"]);
        for (query, names) in [
            ("$filter=displayName eq 'x'", "displayName"),
            ("$select=recommendedActions", "recommendedActions"),
            ("$expand=evidence", "evidence"),
        ] {
            let reply = server.get(&format!("/v1.0/security/incidents?{query}")).await;
            assert_eq!(reply.status, 400, "{query}: {}", reply.text);
            assert!(reply.text.contains(names), "{query}: {}", reply.text);
        }
        assert_eq!(server.get("/beta/security/incidents?$select=recommendedActions").await.status, 200);
    }

    async fn reads_one_incident_and_its_alerts() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let shared = shared_incident(&server).await;
        let id = shared["id"].as_str().unwrap();
        let one = server.get(&format!("/v1.0/security/incidents/{id}")).await;
        assert_eq!(one.status, 200);
        let one = one.json();
        assert_eq!(one["id"], id);
        assert_eq!(
            one["@odata.context"],
            format!("{}/v1.0/$metadata#security/incidents/$entity", server.base_url)
        );
        assert!(one.get("alerts").is_none(), "alerts only with $expand");
        let reasons = one["correlationReasons"].as_array().unwrap();
        assert!(!reasons.is_empty(), "a shared incident says why");
        assert!(reasons[0]["alertIds"].as_array().unwrap().len() >= 2);

        let alerts = collect_all(&server, &format!("/v1.0/security/incidents/{id}/alerts?$top=1")).await;
        assert_eq!(alerts.len(), shared["alerts"].as_array().unwrap().len());
        let n = server.get(&format!("/v1.0/security/incidents/{id}/alerts/$count")).await.text;
        assert_eq!(n, alerts.len().to_string());
        let alert_id = alerts[0]["id"].as_str().unwrap();
        let alert = server.get(&format!("/v1.0/security/incidents/{id}/alerts/{alert_id}")).await;
        assert_eq!(alert.status, 200);
        assert_eq!(alert.json()["@odata.type"], "#microsoft.graph.security.alert");
        let other = server.get("/v1.0/security/incidents?$top=1&$filter=id ne '1'").await.json();
        let other_id = other["value"][0]["id"].as_str().unwrap().to_owned();
        if other_id != id {
            let reply = server.get(&format!("/v1.0/security/incidents/{other_id}/alerts/{alert_id}")).await;
            assert_eq!(reply.status, 404, "{}", reply.text);
        }
        for missing in ["/v1.0/security/incidents/999999", "/v1.0/security/incidents/abc",
                        "/v1.0/security/incidents/999999/alerts"] {
            let reply = server.get(missing).await;
            assert_eq!(reply.status, 404, "{missing}");
            assert_eq!(reply.json()["error"]["code"], "itemNotFound");
        }
        let reply = server
            .post(&format!("/v1.0/security/incidents/{id}/alerts/{alert_id}/comments"),
                  &json!({"@odata.type": "microsoft.graph.security.alertComment", "comment": "seen"}))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let comments = reply.json()["value"].as_array().unwrap().clone();
        assert_eq!(comments.last().unwrap()["comment"], "seen");
    }

    async fn patch_changes_the_writable_set_and_resolving_resolves_the_alerts() {
        let server = TestServer::builder().demo(DEMO).start().await;
        let shared = shared_incident(&server).await;
        let id = shared["id"].as_str().unwrap();
        let path = format!("/v1.0/security/incidents/{id}");
        let body = json!({"classification": "TruePositive", "determination": "MultiStagedAttack",
                          "customTags": ["Demo"], "assignedTo": "KaiC@contoso.onmicrosoft.com"});
        let reply = server.patch(&path, &body).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let i = reply.json();
        assert_eq!((i["classification"].as_str(), i["determination"].as_str()),
                   (Some("truePositive"), Some("multiStagedAttack")));
        assert_eq!(i["customTags"], json!(["Demo"]));
        assert_eq!(i["lastModifiedBy"], "secgraph emulator");
        let reply = server.patch(&path, &json!({"severity": "high"})).await;
        assert_eq!(reply.status, 400);
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains("'severity'"));
        let reply = server.patch(&path, &json!({"status": "awaitingAction"})).await;
        assert_eq!(reply.status, 400, "evolvable without the Prefer header");
        let prefer = [("prefer", "include-unknown-enum-members")];
        let reply = server.send(Method::PATCH, &path, Some(&json!({"status": "awaitingAction"})), &prefer).await;
        assert_eq!(reply.json()["status"], "awaitingAction");
        assert_eq!(server.get(&path).await.json()["status"], "unknownFutureValue");

        let reply = server.patch(&path, &json!({"status": "resolved"})).await;
        assert_eq!(reply.json()["status"], "resolved");
        for a in collect_all(&server, &format!("{path}/alerts")).await {
            assert_eq!(a["status"], "resolved", "{}", a["id"]);
        }
        let reply = server
            .post(&format!("{path}/comments"), &json!({"comment": "contained"}))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let comments = reply.json()["value"].clone();
        assert_eq!(comments[0]["comment"], "contained");
        assert_eq!(comments[0]["createdByDisplayName"], "secgraph emulator");
    }

    async fn creating_and_deleting_are_not_allowed() {
        let server = TestServer::builder().demo(20).start().await;
        let reply = server.post("/v1.0/security/incidents", &json!({})).await;
        assert_eq!(reply.status, 405);
        assert_eq!(reply.json()["error"]["code"], "notAllowed");
        let reply = server.send(Method::DELETE, "/beta/security/incidents/1", None, &[]).await;
        assert_eq!(reply.status, 405);
        let reply = server.get("/V1.0/Security/Incidents/$count").await;
        assert_eq!(reply.status, 200, "segments are case-insensitive");
    }
}
