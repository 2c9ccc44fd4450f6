//! The `Prefer` header on both backends: evolvable enum members (spec §2.5) on incidents, hidden as
//! `unknownFutureValue` unless `Prefer: include-unknown-enum-members`, refused in `$filter` and
//! bodies without it; `Preference-Applied` echoing `include-unknown-enum-members` on every entity
//! set and `return=representation` on the updates that honour it — also inside a batch.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use reqwest::Method;
use serde_json::json;
use testkit::{Reply, TestServer};

const INCLUDE: (&str, &str) = ("Prefer", "include-unknown-enum-members");

fn applied(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .get_all("preference-applied")
        .iter()
        .flat_map(|v| v.to_str().unwrap().split(',').map(|p| p.trim().to_owned()))
        .collect()
}

testdb::conformance! {
    async fn incident_status_after_the_sentinel_is_shown_only_to_callers_that_opt_in() {
        let server = TestServer::builder().demo(20).start().await;
        let list = server.get("/v1.0/security/incidents?$top=1").await.json();
        let id = list["value"][0]["id"].as_str().unwrap().to_owned();
        let path = format!("/v1.0/security/incidents/{id}");
        let body = json!({"status": "awaitingAction"});
        let refused = server.patch(&path, &body).await;
        assert_eq!(refused.status, 400, "an evolvable member needs the preference: {}", refused.text);
        let set = server.send(Method::PATCH, &path, Some(&body), &[INCLUDE]).await;
        assert_eq!(set.status, 200, "{}", set.text);
        assert_eq!(set.json()["status"], "awaitingAction");
        assert_eq!(applied(&set), ["include-unknown-enum-members"]);

        let hidden = server.get(&path).await;
        assert_eq!(hidden.json()["status"], "unknownFutureValue");
        assert!(applied(&hidden).is_empty(), "nothing applied when nothing was asked");
        let shown = server.send(Method::GET, &path, None, &[INCLUDE]).await;
        assert_eq!(shown.json()["status"], "awaitingAction");

        let filter = "/v1.0/security/incidents?$filter=status%20eq%20'awaitingAction'";
        assert_eq!(server.get(filter).await.status, 400, "not filterable without the preference");
        let found = server.send(Method::GET, filter, None, &[INCLUDE]).await;
        assert_eq!(found.status, 200, "{}", found.text);
        assert_eq!(found.json()["value"][0]["id"], id.as_str());
    }

    async fn preference_applied_is_echoed_on_every_entity_set() {
        let server = TestServer::builder().demo(10).start().await;
        for path in ["/v1.0/security/alerts_v2", "/v1.0/security/incidents", "/v1.0/security/alerts",
                     "/v1.0/security/secureScores", "/v1.0/security/secureScoreControlProfiles",
                     "/beta/security/tiIndicators", "/beta/security/securityActions",
                     "/v1.0/security/alerts_v2/$count"] {
            let reply = server.send(Method::GET, path, None, &[INCLUDE]).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.text);
            assert_eq!(applied(&reply), ["include-unknown-enum-members"], "{path}");
        }
        let error = server.send(Method::GET, "/v1.0/security/alerts_v2/nope", None, &[INCLUDE]).await;
        assert!(applied(&error).is_empty(), "an error applied nothing");
    }

    async fn return_representation_is_echoed_where_it_changes_the_answer() {
        let server = TestServer::builder().demo(10).start().await;
        let alert = server.get("/v1.0/security/alerts?$top=1").await.json()["value"][0].clone();
        let path = format!("/v1.0/security/alerts/{}", alert["id"].as_str().unwrap());
        let vendor = json!({"provider": alert["vendorInformation"]["provider"], "vendor": alert["vendorInformation"]["vendor"]});
        let body = json!({"comments": ["seen"], "vendorInformation": vendor});
        let quiet = server.patch(&path, &body).await;
        assert_eq!(quiet.status, 204);
        assert!(applied(&quiet).is_empty());
        let both = [("Prefer", "return=representation, include-unknown-enum-members")];
        let full = server.send(Method::PATCH, &path, Some(&body), &both).await;
        assert_eq!(full.status, 200, "{}", full.text);
        let mut got = applied(&full);
        got.sort();
        assert_eq!(got, ["include-unknown-enum-members", "return=representation"]);

        let indicator = json!({"action": "block", "description": "C2", "domainName": "evil.example",
            "expirationDateTime": "2099-01-01T00:00:00Z", "targetProduct": "Azure Sentinel",
            "threatType": "C2", "tlpLevel": "amber"});
        let created = server.post("/beta/security/tiIndicators", &indicator).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let ti = format!("/beta/security/tiIndicators/{}", created.json()["id"].as_str().unwrap());
        let reply = server
            .send(Method::PATCH, &ti, Some(&json!({"confidence": 90})), &[("Prefer", "return=representation")])
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(applied(&reply), ["return=representation"]);

        let batch = json!({"requests": [{"id": "1", "method": "PATCH", "url": ti.trim_start_matches("/beta"),
            "headers": {"Content-Type": "application/json", "Prefer": "return=representation"},
            "body": {"confidence": 80}}]});
        let reply = server.post("/beta/$batch", &batch).await.json();
        let item = &reply["responses"][0];
        assert_eq!(item["status"], 200, "{item}");
        assert_eq!(item["headers"]["Preference-Applied"], "return=representation");
    }
}
