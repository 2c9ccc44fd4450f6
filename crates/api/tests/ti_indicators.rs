//! `security/tiIndicators` over HTTP on both backends: create/read/update/delete, the lenient input
//! real clients send, per-item bulk outcomes, ownership by application and tenant, OData queries,
//! and the batch limit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::permission::Permission;
use reqwest::Method;
use serde_json::{json, Value};
use testkit::TestServer;

const BASE: &str = "/beta/security/tiIndicators";

/// A valid indicator on `domain`.
fn domain_indicator(domain: &str, action: &str) -> Value {
    json!({
        "action": action,
        "description": format!("C2 at {domain}"),
        "domainName": domain,
        "expirationDateTime": "2099-01-01T00:00:00Z",
        "targetProduct": "Azure Sentinel",
        "threatType": "C2",
        "tlpLevel": "amber",
        "tags": ["feed-a"],
        "externalId": format!("ext-{domain}")
    })
}

testdb::conformance! {
    async fn create_read_update_delete_round_trip() {
        let server = TestServer::start().await;
        let created = server.post(BASE, &domain_indicator("evil.example", "block")).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let body = created.json();
        let id = body["id"].as_str().unwrap().to_owned();
        assert_eq!(body["@odata.type"], "#microsoft.graph.tiIndicator");
        assert_eq!(body["@odata.context"], format!("{}/beta/$metadata#security/tiIndicators/$entity", server.base_url));
        assert_eq!(body["azureTenantId"], server.tenant.as_str());
        assert_eq!(body["hitCount"], 0);
        assert_eq!(body["action"], "block");
        assert_eq!(body["expirationDateTime"], "2099-01-01T00:00:00.0000000Z");
        assert_eq!(created.header("location").unwrap(), format!("{}{BASE}/{id}", server.base_url));

        let got = server.get(&format!("/beta/security/tiindicators/{id}")).await;
        assert_eq!(got.status, 200, "lowercase path segments are accepted: {}", got.text);
        assert_eq!(got.json()["domainName"], "evil.example");
        let v1 = server.get(&format!("/v1.0/security/tiIndicators/{id}")).await;
        assert_eq!(v1.status, 200, "served under /v1.0 as an extension");

        let patch = server.patch(&format!("{BASE}/{id}"), &json!({"description": "changed", "severity": 5})).await;
        assert_eq!(patch.status, 204, "{}", patch.text);
        let represented = server
            .send(Method::PATCH, &format!("{BASE}/{id}"), Some(&json!({"confidence": 90})), &[("prefer", "return=representation")])
            .await;
        assert_eq!(represented.status, 200, "{}", represented.text);
        let after = represented.json();
        assert_eq!((after["description"].clone(), after["severity"].clone(), after["confidence"].clone()), (json!("changed"), json!(5), json!(90)));
        assert_eq!(after["ingestedDateTime"], body["ingestedDateTime"]);

        let refused = server.patch(&format!("{BASE}/{id}"), &json!({"domainName": "other.example"})).await;
        assert_eq!(refused.status, 400, "{}", refused.text);
        assert!(refused.text.contains("domainName"), "{}", refused.text);

        assert_eq!(server.send(Method::DELETE, &format!("{BASE}/{id}"), None, &[]).await.status, 204);
        assert_eq!(server.get(&format!("{BASE}/{id}")).await.status, 404);
        assert_eq!(server.send(Method::DELETE, &format!("{BASE}/{id}"), None, &[]).await.status, 404);
        assert_eq!(server.patch(&format!("{BASE}/{id}"), &json!({"severity": 1})).await.status, 404);
    }

    async fn invalid_indicators_get_a_400_that_names_the_property() {
        let server = TestServer::start().await;
        let mut missing = domain_indicator("a.example", "alert");
        missing.as_object_mut().unwrap().remove("tlpLevel");
        let mut bad_ip = domain_indicator("a.example", "alert");
        bad_ip["networkDestinationIPv4"] = json!("300.1.1.1");
        let mut bad_hash = domain_indicator("a.example", "alert");
        bad_hash["fileHashType"] = json!("sha256");
        bad_hash["fileHashValue"] = json!("abc");
        let no_observable = json!({"action": "alert", "description": "d", "expirationDateTime": "2099-01-01",
            "targetProduct": "Azure Sentinel", "threatType": "Malware", "tlpLevel": "red"});
        for (body, needle) in [(missing, "tlpLevel"), (bad_ip, "networkDestinationIPv4"), (bad_hash, "fileHashValue"), (no_observable, "observable")] {
            let reply = server.post(BASE, &body).await;
            assert_eq!(reply.status, 400, "{}", reply.text);
            let error = &reply.json()["error"];
            assert!(error["message"].as_str().unwrap().contains(needle), "{needle}: {}", reply.text);
            assert!(error["innerError"]["request-id"].is_string());
        }
        assert_eq!(server.get(&format!("{BASE}/$count")).await.text, "0");
    }

    async fn misp_batches_submit_update_and_delete_by_external_id() {
        let server = TestServer::start().await;
        let empty = server.post(&format!("{BASE}/submitTiIndicators"), &json!({"value": []})).await;
        assert_eq!(empty.status, 200);
        assert_eq!(empty.json()["value"], json!([]));

        let mut items: Vec<Value> = (0..150)
            .map(|i| json!({
                "action": "alert",
                "description": format!("MISP attribute {i}"),
                "expirationDateTime": "2099-12-02",
                "lastReportedDateTime": "2019-02-21 17:42:03",
                "networkDestinationIPv4": format!("198.51.{}.{}", i / 250, i % 250 + 1),
                "targetProduct": "Azure Sentinel",
                "threatType": "watchlist",
                "tlpLevel": "green",
                "severity": 0,
                "externalId": format!("misp-{}", i % 10),
                "indicatorRequestHash": format!("hash-{i}")
            }))
            .collect();
        items[7]["networkDestinationIPv4"] = json!("not-an-ip");
        let submitted = server
            .post("/beta/security/tiindicators/microsoft.graph.submitTiIndicators", &json!({"value": items}))
            .await;
        assert_eq!(submitted.status, 206, "one item failed: {}", &submitted.text[..300.min(submitted.text.len())]);
        let results = submitted.json()["value"].as_array().unwrap().clone();
        assert_eq!(results.len(), 150);
        for (i, r) in results.iter().enumerate() {
            assert_eq!(r["indicatorRequestHash"], format!("hash-{i}"), "results keep request order and echo unknown properties");
            if i == 7 {
                assert!(r["Error"]["message"].as_str().unwrap().contains("networkDestinationIPv4"), "{r}");
                assert!(r.get("id").is_none());
            } else {
                assert!(r.get("Error").is_none(), "{r}");
                assert_eq!(r["threatType"], "WatchList");
                assert_eq!(r["expirationDateTime"], "2099-12-02T00:00:00.0000000Z");
                assert_eq!(r["lastReportedDateTime"], "2019-02-21T17:42:03.0000000Z");
            }
        }
        assert_eq!(server.get(&format!("{BASE}/$count")).await.text, "149");

        let first = results[0]["id"].as_str().unwrap();
        let update = server
            .post(&format!("{BASE}/updateTiIndicators"), &json!({"value": [
                {"id": first, "description": "updated", "expirationDateTime": "2099-01-01T00:00:00Z", "targetProduct": "Azure Sentinel"},
                {"id": "00000000-0000-0000-0000-000000000000", "description": "nope"},
                {"description": "no id"}
            ]}))
            .await;
        assert_eq!(update.status, 206, "{}", update.text);
        let outcomes = update.json()["value"].as_array().unwrap().clone();
        assert_eq!(outcomes[0]["description"], "updated");
        assert!(outcomes[1]["Error"].is_object() && outcomes[2]["Error"].is_object(), "{outcomes:?}");

        let by_external = server
            .post(&format!("{BASE}/deleteTiIndicatorsByExternalId"), &json!({"value": ["misp-3", "misp-none"]}))
            .await;
        assert_eq!(by_external.status, 206);
        let infos = by_external.json()["value"].clone();
        assert_eq!((infos[0]["code"].clone(), infos[1]["code"].clone()), (json!(200), json!(404)));
        assert!(infos[0]["message"].as_str().unwrap().contains("15"), "{infos}");
        assert_eq!(server.get(&format!("{BASE}/$count")).await.text, "134");

        let ids: Vec<Value> = results[20..23].iter().map(|r| r["id"].clone()).collect();
        let deleted = server.post(&format!("{BASE}/deleteTiIndicators"), &json!({"value": ids})).await;
        assert_eq!(deleted.status, 200, "{}", deleted.text);
        assert_eq!(server.get(&format!("{BASE}/$count")).await.text, "131");
        let bad = server.post(&format!("{BASE}/deleteTiIndicators"), &json!({"value": [1]})).await;
        assert_eq!(bad.status, 400);
        assert_eq!(server.post(&format!("{BASE}/submitTiIndicators"), &json!({"items": []})).await.status, 400);
    }

    async fn blocking_critical_infrastructure_needs_the_override_and_is_flagged() {
        let server = TestServer::start().await;
        let mut resolver = domain_indicator("x.example", "block");
        resolver.as_object_mut().unwrap().remove("domainName");
        resolver["networkDestinationIPv4"] = json!("8.8.8.8");
        let refused = server.post(BASE, &resolver).await;
        assert_eq!(refused.status, 400, "{}", refused.text);
        assert!(refused.text.contains("public DNS resolver") && refused.text.contains("criticalInfrastructureOverride"), "{}", refused.text);
        let mut alerting = resolver.clone();
        alerting["action"] = json!("alert");
        assert_eq!(server.post(BASE, &alerting).await.status, 201, "alerting on it is fine");

        resolver["criticalInfrastructureOverride"] = json!(true);
        let forced = server.post(BASE, &resolver).await;
        assert_eq!(forced.status, 201, "{}", forced.text);
        assert_eq!(forced.json()["criticalInfrastructureOverride"], true, "the override stays as a flag");

        let id = server.post(BASE, &alerting).await.json()["id"].as_str().unwrap().to_owned();
        let to_block = server.patch(&format!("{BASE}/{id}"), &json!({"action": "block"})).await;
        assert_eq!(to_block.status, 400, "a PATCH to block is checked too: {}", to_block.text);
        let mut private = domain_indicator("y.example", "block");
        private["networkDestinationCidrBlock"] = json!("10.0.0.0/8");
        let batch = server.post(&format!("{BASE}/submitTiIndicators"), &json!({"value": [private, domain_indicator("z.example", "block")]})).await;
        assert_eq!(batch.status, 206);
        assert!(batch.json()["value"][0]["Error"]["message"].as_str().unwrap().contains("private range"));
    }

    async fn bulk_calls_above_the_batch_limit_are_refused_whole() {
        let server = TestServer::builder().indicator_batch_limit(100).start().await;
        let items: Vec<Value> = (0..101).map(|i| domain_indicator(&format!("{i}.example"), "alert")).collect();
        let reply = server.post(&format!("{BASE}/submitTiIndicators"), &json!({"value": items})).await;
        assert_eq!(reply.status, 400);
        assert!(reply.text.contains("at most 100"), "{}", reply.text);
        assert_eq!(server.get(&format!("{BASE}/$count")).await.text, "0", "nothing of a refused call is stored");
    }

    async fn odata_filters_orders_selects_and_pages_indicators() {
        let server = TestServer::start().await;
        let mut items = Vec::new();
        for i in 0..12 {
            let mut item = domain_indicator(&format!("d{i}.example"), if i % 3 == 0 { "block" } else { "alert" });
            item["threatType"] = json!(if i % 2 == 0 { "Botnet" } else { "Phishing" });
            item["tags"] = json!([format!("t{}", i % 4)]);
            item["confidence"] = json!(i * 5);
            items.push(item);
        }
        let submitted = server.post(&format!("{BASE}/submitTiIndicators"), &json!({"value": items})).await;
        assert_eq!(submitted.status, 200, "{}", submitted.text);
        let count = |filter: &str| {
            let path = format!("{BASE}/$count?$filter={}", common::enc(filter));
            let server = &server;
            async move { server.get(&path).await.text }
        };
        assert_eq!(count("action eq 'block'").await, "4");
        assert_eq!(count("threatType eq 'botnet'").await, "6", "strings compare case-insensitively");
        assert_eq!(count("tags/any(t: t eq 't1')").await, "3");
        assert_eq!(count("confidence ge 30 and action eq 'alert'").await, "4");
        assert_eq!(count("expirationDateTime gt 2098-01-01T00:00:00Z").await, "12");
        assert_eq!(count("hitCount eq 0").await, "12");
        let bad = server.get(&format!("{BASE}?$filter={}", common::enc("colour eq 'red'"))).await;
        assert_eq!(bad.status, 400);

        let page = server
            .get(&format!("{BASE}?$select=domainName,confidence&$orderby=confidence%20desc&$top=5&$count=true"))
            .await
            .json();
        assert_eq!(page["@odata.count"], 12);
        let first = &page["value"][0];
        assert_eq!((first["confidence"].clone(), first["domainName"].clone()), (json!(55), json!("d11.example")));
        assert!(first.get("description").is_none(), "$select shapes items: {first}");
        let all = common::collect_all(&server, &format!("{BASE}?$orderby=confidence%20desc&$top=5")).await;
        let confidences: Vec<i64> = all.iter().map(|v| v["confidence"].as_i64().unwrap()).collect();
        assert_eq!(confidences, (0..12).rev().map(|i| i * 5).collect::<Vec<_>>());
    }

    async fn applications_see_and_change_only_their_own_indicators() {
        let server = TestServer::builder().tokens().start().await;
        let tenant = server.tenant.clone();
        let perms = [Permission::ThreatIndicatorsReadWriteOwnedBy];
        let owner = server.token_with(&tenant, &perms).await;
        let other = server.token_with(&tenant, &perms).await;
        let elsewhere_tenant = server.create_tenant("Elsewhere").await;
        let elsewhere = server.token_with(&elsewhere_tenant, &perms).await;
        let alerts_only = server.token_with(&tenant, &[Permission::SecurityAlertReadAll]).await;

        let created = server.send_as(&owner, Method::POST, BASE, Some(&domain_indicator("mine.example", "alert"))).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let id = created.json()["id"].as_str().unwrap().to_owned();
        let path = format!("{BASE}/{id}");
        assert_eq!(server.get_as(&owner, &path).await.status, 200);
        for token in [&other, &elsewhere] {
            assert_eq!(server.get_as(token, &path).await.status, 404);
            assert_eq!(server.get_as(token, BASE).await.json()["value"], json!([]));
            assert_eq!(server.send_as(token, Method::PATCH, &path, Some(&json!({"severity": 1}))).await.status, 404);
            assert_eq!(server.send_as(token, Method::DELETE, &path, None).await.status, 404);
            let bulk = server.send_as(token, Method::POST, &format!("{BASE}/deleteTiIndicators"), Some(&json!({"value": [id]}))).await;
            assert_eq!(bulk.status, 206);
            assert_eq!(bulk.json()["value"][0]["code"], 404);
        }
        assert_eq!(server.get_as(&alerts_only, BASE).await.status, 403);
        assert_eq!(server.get_as(&owner, &format!("{BASE}/$count")).await.text, "1");
    }
}
