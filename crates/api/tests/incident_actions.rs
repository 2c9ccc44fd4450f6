//! [ext] The manual correlation actions on both backends (`secgraph.linkAlerts`,
//! `secgraph.unlink`, `secgraph.mergeInto`), their refusals, and generated bad input on every
//! incident route never yielding a server error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::collect_all;
use odata::encode_query_value;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use reqwest::Method;
use serde_json::{json, Value};
use testkit::TestServer;

/// An EDR alert `minutes` after 2026-10-31T08:00Z on device `host`.
fn edr(id: &str, minutes: i64, host: &str) -> model::StoredAlert {
    let at = time::macros::datetime!(2026-10-31 08:00 UTC) + time::Duration::minutes(minutes);
    let at = model::datetime::format(at);
    serde_json::from_value(json!({
        "alert": {"id": id, "title": format!("Alert on {host}"), "severity": "medium", "status": "new",
                  "createdDateTime": at, "lastUpdateDateTime": at,
                  "evidence": [{"@odata.type": "#microsoft.graph.security.deviceEvidence",
                                "deviceDnsName": host, "createdDateTime": at, "verdict": "suspicious",
                                "remediationStatus": "none", "roles": [], "tags": [], "detailedRoles": []}]},
        "vendor": {"provider": "Microsoft Defender ATP", "vendor": "Microsoft"}
    }))
    .unwrap()
}

/// A server whose tenant has two incidents of two alerts each (ws-a and ws-b), expanded.
async fn two_shared() -> (TestServer, Value, Value) {
    let server = TestServer::start().await;
    let alerts = vec![
        edr("a1", 0, "ws-a"),
        edr("a2", 1, "ws-a"),
        edr("b1", 2, "ws-b"),
        edr("b2", 3, "ws-b"),
    ];
    server
        .store
        .tenant(&server.tenant)
        .ingest(alerts, store::IngestOrigin::Import)
        .await
        .unwrap();
    let all = collect_all(&server, "/v1.0/security/incidents?$expand=alerts").await;
    let of = |alert: &str| {
        all.iter()
            .find(|i| {
                i["alerts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["id"] == alert)
            })
            .unwrap()
            .clone()
    };
    let (a, b) = (of("a1"), of("b1"));
    assert_eq!(a["alerts"].as_array().unwrap().len(), 2);
    (server, a, b)
}

fn alert_ids(incident: &Value) -> Vec<String> {
    incident["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn incident_of(server: &TestServer, alert: &str) -> String {
    let a = server
        .get(&format!("/v1.0/security/alerts_v2/{alert}"))
        .await
        .json();
    a["incidentId"].as_str().unwrap().to_owned()
}

testdb::conformance! {
    async fn analysts_link_unlink_and_merge() {
        let (server, a, b) = two_shared().await;
        let (a_id, b_id) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
        let moved = alert_ids(&b)[0].clone();

        let reply = server
            .post(&format!("/v1.0/security/incidents/{a_id}/secgraph.linkAlerts"), &json!({"alertIds": [moved]}))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json()["id"], a_id);
        assert_eq!(incident_of(&server, &moved).await, a_id);

        let path = format!("/v1.0/Security/Incidents/{a_id}/alerts/{moved}/Secgraph.Unlink");
        let reply = server.send(Method::POST, &path, None, &[]).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let own = reply.json()["id"].as_str().unwrap().to_owned();
        assert!(own != a_id && own != b_id);
        assert_eq!(incident_of(&server, &moved).await, own);

        let reply = server
            .post(&format!("/beta/security/incidents/{b_id}/secgraph.mergeInto"), &json!({"incidentId": a_id}))
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.json()["id"], a_id);
        let merged = server.get(&format!("/v1.0/security/incidents/{b_id}")).await.json();
        assert_eq!((merged["status"].as_str(), merged["redirectIncidentId"].as_str()), (Some("redirected"), Some(a_id)));
        for alert in alert_ids(&b).iter().skip(1) {
            assert_eq!(incident_of(&server, alert).await, a_id, "{alert}");
        }
        let reply = server.patch(&format!("/v1.0/security/incidents/{b_id}"), &json!({"status": "redirected"})).await;
        assert_eq!(reply.status, 400, "only merging redirects");
    }

    async fn refused_decisions_say_why() {
        let (server, first, _) = two_shared().await;
        let id = first["id"].as_str().unwrap();
        let alert = alert_ids(&first)[0].clone();
        let base = format!("/v1.0/security/incidents/{id}");
        for (path, body, status, says) in [
            (format!("{base}/secgraph.linkAlerts"), json!({"alertIds": []}), 400, "non-empty"),
            (format!("{base}/secgraph.linkAlerts"), json!({"alertIds": ["nope"]}), 400, "nope"),
            (format!("{base}/secgraph.linkAlerts"), json!({"alerts": [alert]}), 400, "'alerts'"),
            (format!("{base}/secgraph.mergeInto"), json!({"incidentId": id}), 400, "itself"),
            (format!("{base}/secgraph.mergeInto"), json!({"incidentId": "424242"}), 404, "424242"),
            ("/v1.0/security/incidents/424242/secgraph.mergeInto".into(), json!({"incidentId": id}), 404, "424242"),
        ] {
            let reply = server.post(&path, &body).await;
            assert_eq!(reply.status, status, "{path} {body}: {}", reply.text);
            assert!(reply.text.contains(says), "{path} {body}: {}", reply.text);
        }
        let reply = server.send(Method::POST, &format!("/v1.0/security/incidents/424242/alerts/{alert}/secgraph.unlink"), None, &[]).await;
        assert_eq!(reply.status, 404, "{}", reply.text);
    }

    async fn generated_input_never_gets_a_server_error() {
        let server = TestServer::builder().demo(40).start().await;
        let mut rng = ChaCha8Rng::seed_from_u64(13);
        let pieces = ["severity", "status", "assignedTo", "displayName", "eq", "'high'", "'awaitingAction'",
                      "and", "(", ")", "null", "2026-10-01T00:00:00Z", "alerts", "*", "'", "%", "id", "1"];
        let options = ["$filter", "$orderby", "$select", "$top", "$skip", "$count", "$expand", "$skiptoken"];
        let sets = ["incidents", "incidents/$count", "incidents/1/alerts", "incidents/1"];
        for _ in 0..300 {
            let n = rng.gen_range(1..8);
            let value: Vec<&str> = (0..n).map(|_| pieces[rng.gen_range(0..pieces.len())]).collect();
            let opt = options[rng.gen_range(0..options.len())];
            let set = sets[rng.gen_range(0..sets.len())];
            let path = format!("/beta/security/{set}?{opt}={}", encode_query_value(&value.join(" ")));
            let r = server.get(&path).await;
            assert!(r.status.as_u16() < 500, "{path}: {}", r.text);
        }
        let bodies = [json!(null), json!([]), json!("x"), json!({"status": 3}), json!({"customTags": "x"}),
                      json!({"assignedTo": ["a"]}), json!({"incidentId": 1}), json!({"alertIds": [null]}),
                      json!({"comment": ""}), json!({"classification": "nope"})];
        for body in &bodies {
            for (method, path) in [
                (Method::PATCH, "/v1.0/security/incidents/1"),
                (Method::POST, "/v1.0/security/incidents/1/comments"),
                (Method::POST, "/v1.0/security/incidents/1/secgraph.linkAlerts"),
                (Method::POST, "/v1.0/security/incidents/1/secgraph.mergeInto"),
                (Method::PATCH, "/v1.0/security/incidents/x%27y"),
            ] {
                let r = server.send(method.clone(), path, Some(body), &[]).await;
                assert!(r.status.as_u16() < 500, "{method} {path} {body}: {}", r.text);
                if r.status.as_u16() >= 400 {
                    assert!(r.json()["error"]["code"].is_string(), "{}", r.text);
                }
            }
        }
    }
}
