//! Filtered subscriptions and the extension resources, end to end on both backends with a real
//! receiver on loopback and the real delivery worker: a subscription with a `$filter` receives
//! exactly the changes whose entity (as its GET returns it, after the change) matches — checked
//! against the same filter run by the store's SQL on the GET route; `security/incidents` receives
//! the incidents correlation opens and the ones analysts change; `security/tiIndicators` receives
//! created/updated/deleted for the subscribing application's own indicators only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use auth::permission::Permission;
use common::notifications::{drain, fast_delivery, received, subscribe, subscription};
use common::{collect_all, enc};
use reqwest::Method;
use serde_json::json;
use std::collections::BTreeSet;
use store::IngestOrigin;
use testkit::{TestServer, WebhookReceiver};

/// Ingests `n` demo alerts.
async fn ingest(server: &TestServer, n: usize) {
    let mut cfg = demo::DemoConfig::new(server.tenant.clone(), testkit::test_anchor());
    cfg.count = n;
    let alerts: Vec<_> = demo::generate(&cfg).collect();
    let tenant = server.store.tenant(&server.tenant);
    tenant.ingest(alerts, IngestOrigin::Demo).await.unwrap();
}

/// The ids `path` (a collection with a `$filter`) returns: what the store's SQL selects.
async fn ids_of(server: &TestServer, path: &str) -> BTreeSet<String> {
    let items = collect_all(server, path).await;
    items
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

fn ids(pairs: &[(String, String)], change: &str) -> BTreeSet<String> {
    pairs
        .iter()
        .filter(|(c, _)| c == change)
        .map(|(_, id)| id.clone())
        .collect()
}

/// Graph's documented filter forms for `security/alerts`, and alerts_v2 ones.
const FILTERS: &[(&str, &str)] = &[
    ("security/alerts", "severity eq 'high'"),
    ("security/alerts", "status eq 'NewAlert'"),
    (
        "security/alerts",
        "vendorInformation/provider eq 'Microsoft Defender for Endpoint'",
    ),
    (
        "security/alerts",
        "category eq 'Malware' or severity eq 'low'",
    ),
    (
        "security/alerts_v2",
        "severity eq 'medium' and status eq 'new'",
    ),
    (
        "security/alerts_v2",
        "evidence/any(e: e/remediationStatus eq 'remediated')",
    ),
];

testdb::conformance! {
    async fn filtered_subscriptions_receive_exactly_the_matching_changes() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let mut subs = Vec::new();
        for (set, filter) in FILTERS {
            let id = subscribe(&server, &rx, &format!("{set}?$filter={filter}"), "created,updated").await;
            subs.push((id, *set, *filter));
        }
        ingest(&server, 200).await;
        let worker = fast_delivery(&server);
        drain(&server, &worker).await;
        let mut some_but_not_all = 0;
        for (id, set, filter) in &subs {
            let expected = ids_of(&server, &format!("/v1.0/{set}?$filter={}", enc(filter))).await;
            let got = ids(&received(&rx, id), "created");
            assert_eq!(got, expected, "{set} {filter}");
            if !got.is_empty() && got.len() < 200 {
                some_but_not_all += 1;
            }
        }
        assert!(some_but_not_all >= 4, "the filters select real subsets of the demo alerts");

        // A change is evaluated on the alert after it: resolving a new alert is not notified to
        // `status eq 'NewAlert'`; reopening a resolved one is, as `updated`.
        let (new_id, _, _) = &subs[1];
        let matching = ids_of(&server, "/v1.0/security/alerts?$filter=status eq 'newAlert'").await;
        let leaving = matching.iter().next().unwrap().clone();
        let before = received(&rx, new_id).len();
        let path = format!("/v1.0/security/alerts_v2/{}", enc(&leaving));
        assert_eq!(server.patch(&path, &json!({"status": "resolved"})).await.status, 200);
        drain(&server, &worker).await;
        assert_eq!(received(&rx, new_id).len(), before, "an alert that stops matching is not notified");
        assert_eq!(server.patch(&path, &json!({"status": "new"})).await.status, 200);
        drain(&server, &worker).await;
        let after = received(&rx, new_id);
        assert_eq!(after.len(), before + 1);
        assert_eq!(after.last().unwrap(), &("updated".to_owned(), leaving));
    }

    async fn bad_filters_are_400s_naming_the_problem() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let cases = [
            ("security/alerts?$filter=status eq 'sleeping'", "'sleeping' is not a member"),
            ("security/incidents?$filter=colour eq 'red'", "colour"),
            ("security/tiIndicators?$filter=severity eq", "expected a value"),
        ];
        for (resource, needle) in cases {
            let reply = server.post("/v1.0/subscriptions", &subscription(&server, &rx, resource, "created")).await;
            assert_eq!(reply.status, 400, "{resource}: {}", reply.text);
            let message = reply.json()["error"]["message"].as_str().unwrap().to_owned();
            assert!(message.contains(needle), "{resource}: {message}");
        }
    }

    async fn incident_subscriptions_hear_of_opened_and_changed_incidents() {
        let server = TestServer::start().await;
        let rx = WebhookReceiver::start().await;
        let all = subscribe(&server, &rx, "security/incidents", "created,updated").await;
        let high = subscribe(&server, &rx, "security/incidents?$filter=severity eq 'high'", "created,updated").await;
        let updates_only = subscribe(&server, &rx, "security/incidents", "updated").await;
        ingest(&server, 150).await;
        let worker = fast_delivery(&server);
        drain(&server, &worker).await;

        let incidents = ids_of(&server, "/beta/security/incidents").await;
        assert!(incidents.len() > 5, "correlation opened incidents: {}", incidents.len());
        let notified = received(&rx, &all);
        assert_eq!(ids(&notified, "created"), incidents, "one created per incident");
        for (_, id) in &notified {
            assert!(incidents.contains(id), "{id} is an incident");
        }
        let n = rx.changes().into_iter().find(|n| n["subscriptionId"] == all.as_str()).unwrap();
        let id = n["resourceData"]["id"].as_str().unwrap();
        assert_eq!(n["resource"], format!("security/incidents/{id}"));
        assert_eq!(n["resourceData"]["@odata.type"], "#microsoft.graph.security.incident");
        // The roll-up sets an incident's severity from its alerts as they arrive, so a filtered
        // subscription hears of each incident whose final state matches (created or updated).
        let high_now = ids_of(&server, "/beta/security/incidents?$filter=severity eq 'high'").await;
        let heard: BTreeSet<String> = received(&rx, &high).into_iter().map(|(_, id)| id).collect();
        assert!(high_now.is_subset(&heard), "{high_now:?} ⊄ {heard:?}");

        let target = incidents.iter().next().unwrap().clone();
        let before = received(&rx, &updates_only).len();
        let path = format!("/v1.0/security/incidents/{target}");
        let reply = server.patch(&path, &json!({"assignedTo": "kai@contoso.com"})).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let reply = server.post(&format!("{path}/comments"), &json!({"comment": "looking"})).await;
        assert!(reply.status.is_success(), "{}", reply.text);
        drain(&server, &worker).await;
        let after = received(&rx, &updates_only);
        assert_eq!(after[before..], [("updated".to_owned(), target.clone()), ("updated".to_owned(), target)]);
        assert!(ids(&received(&rx, &updates_only), "created").is_empty());
    }

    async fn indicator_subscriptions_see_only_their_applications_indicators() {
        let server = TestServer::builder().tokens().start().await;
        let tenant = server.tenant.clone();
        let perms = [Permission::ThreatIndicatorsReadWriteOwnedBy];
        let (owner, other) = (server.token_with(&tenant, &perms).await, server.token_with(&tenant, &perms).await);
        let alerts_only = server.token_with(&tenant, &[Permission::SecurityAlertReadAll]).await;
        let rx = WebhookReceiver::start().await;
        let mut subs = Vec::new();
        for (token, resource) in [
            (&owner, "security/tiIndicators"),
            (&other, "security/tiIndicators"),
            (&owner, "security/tiIndicators?$filter=action eq 'block'"),
        ] {
            let body = subscription(&server, &rx, resource, "created,updated,deleted");
            let reply = server.send_as(token, Method::POST, "/v1.0/subscriptions", Some(&body)).await;
            assert_eq!(reply.status, 201, "{}", reply.text);
            subs.push(reply.json()["id"].as_str().unwrap().to_owned());
        }
        let body = subscription(&server, &rx, "security/tiIndicators", "created");
        let refused = server.send_as(&alerts_only, Method::POST, "/v1.0/subscriptions", Some(&body)).await;
        assert_eq!(refused.status, 403, "{}", refused.text);

        let base = "/beta/security/tiIndicators";
        let indicator = |domain: &str, action: &str| json!({
            "action": action, "domainName": domain, "description": "c2",
            "expirationDateTime": "2099-01-01T00:00:00Z", "targetProduct": "Azure Sentinel",
            "threatType": "C2", "tlpLevel": "amber"});
        let mut mine = Vec::new();
        for (domain, action) in [("a.example", "block"), ("b.example", "alert")] {
            let reply = server.send_as(&owner, Method::POST, base, Some(&indicator(domain, action))).await;
            assert_eq!(reply.status, 201, "{}", reply.text);
            mine.push(reply.json()["id"].as_str().unwrap().to_owned());
        }
        let theirs = server.send_as(&other, Method::POST, base, Some(&indicator("c.example", "block"))).await;
        let theirs = theirs.json()["id"].as_str().unwrap().to_owned();
        let patch = json!({"description": "changed"});
        let reply = server.send_as(&owner, Method::PATCH, &format!("{base}/{}", mine[1]), Some(&patch)).await;
        assert!(reply.status.is_success(), "{}", reply.text);
        let reply = server.send_as(&owner, Method::DELETE, &format!("{base}/{}", mine[0]), None).await;
        assert_eq!(reply.status, 204, "{}", reply.text);
        drain(&server, &fast_delivery(&server)).await;

        let pair = |c: &str, id: &str| (c.to_owned(), id.to_owned());
        assert_eq!(received(&rx, &subs[0]), vec![pair("created", &mine[0]), pair("created", &mine[1]),
                                                 pair("updated", &mine[1]), pair("deleted", &mine[0])]);
        assert_eq!(received(&rx, &subs[1]), vec![pair("created", &theirs)], "the other app's own only");
        assert_eq!(received(&rx, &subs[2]), vec![pair("created", &mine[0]), pair("deleted", &mine[0])],
                   "filters see a deleted indicator as it was");
        let n = rx.changes().into_iter().find(|n| n["subscriptionId"] == subs[0].as_str()).unwrap();
        assert_eq!(n["resourceData"]["@odata.type"], "#microsoft.graph.tiIndicator");
        assert_eq!(n["resource"], format!("security/tiIndicators/{}", mine[0]));
    }
}
