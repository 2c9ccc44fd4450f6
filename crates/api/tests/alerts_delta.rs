//! `security/alerts_v2/delta` end to end: a client following nextLinks and deltaLinks across PATCHes,
//! comments and new alerts, concurrent writers and a server restart ends up with exactly the
//! server's alerts; `$select` shapes every round; bad tokens and options are Graph 400s.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use reqwest::Method;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use store::IngestOrigin;
use testkit::TestServer;

/// What a delta client holds: every alert it was sent, last version wins.
type Replica = BTreeMap<String, Value>;

/// The path and query of an absolute link (to follow it on a server that listens elsewhere now).
fn local(link: &str) -> String {
    let rest = link.split_once("://").map_or(link, |(_, r)| r);
    rest[rest.find('/').unwrap()..].to_owned()
}

/// Follows `start` page by page to its deltaLink, merging every item into `replica`; returns the
/// deltaLink and the ids sent in this round.
async fn round(
    server: &TestServer,
    start: &str,
    replica: &mut Replica,
) -> (String, BTreeSet<String>) {
    let mut url = start.to_owned();
    let mut sent = BTreeSet::new();
    loop {
        let reply = server.get(&local(&url)).await;
        assert_eq!(reply.status, 200, "{url}: {}", reply.text);
        let page = reply.json();
        for item in page["value"].as_array().unwrap() {
            let id = item["id"].as_str().unwrap().to_owned();
            assert!(item.get("@removed").is_none(), "alerts are never deleted");
            sent.insert(id.clone());
            replica.insert(id, item.clone());
        }
        match (
            page["@odata.nextLink"].as_str(),
            page["@odata.deltaLink"].as_str(),
        ) {
            (Some(next), None) => url = next.to_owned(),
            (None, Some(delta)) => return (delta.to_owned(), sent),
            other => panic!("a page has exactly one of nextLink and deltaLink: {other:?}"),
        }
    }
}

/// Every alert of the server as the list route serves it.
async fn server_state(server: &TestServer) -> Replica {
    let page = server
        .get("/v1.0/security/alerts_v2?$top=2000")
        .await
        .json();
    assert!(page["@odata.nextLink"].is_null());
    page["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap().to_owned(), a.clone()))
        .collect()
}

/// Strips what only the list adds, so replicas compare with it.
fn same(replica: &Replica, state: &Replica) {
    assert_eq!(replica.len(), state.len(), "alert count");
    for (id, doc) in state {
        assert_eq!(
            replica.get(id),
            Some(doc),
            "alert {id} as the client holds it"
        );
    }
}

async fn patch_status(server: &TestServer, id: &str, status: &str) {
    let reply = server
        .patch(
            &format!("/v1.0/security/alerts_v2/{id}"),
            &json!({"status": status}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn new_alerts(server: &TestServer, seed: u64, n: usize) -> Vec<String> {
    let cfg = demo::DemoConfig {
        seed,
        count: n,
        ..demo::DemoConfig::new(server.tenant.clone(), testkit::test_anchor())
    };
    let alerts: Vec<model::StoredAlert> = demo::generate(&cfg).collect();
    let ids = alerts.iter().map(|a| a.alert.id.0.clone()).collect();
    server
        .store
        .tenant(&server.tenant)
        .ingest(alerts, IngestOrigin::Demo)
        .await
        .unwrap();
    ids
}

testdb::conformance! {
    async fn delta_client_sees_every_change_across_writes_and_a_restart() {
        let server = TestServer::builder().demo(60).start().await;
        let mut replica = Replica::new();
        let (delta, first) = round(&server, "/v1.0/security/alerts_v2/delta?$top=7", &mut replica).await;
        assert_eq!(first.len(), 60);
        assert!(delta.contains("$deltatoken=") && delta.contains("$top=7"), "{delta}");
        same(&replica, &server_state(&server).await);

        // Nothing changed: an empty round, and the same point.
        let (again, sent) = round(&server, &delta, &mut replica).await;
        assert!(sent.is_empty());
        assert_eq!(again, delta);

        let ids: Vec<String> = replica.keys().take(3).cloned().collect();
        patch_status(&server, &ids[0], "inProgress").await;
        patch_status(&server, &ids[1], "resolved").await;
        let c = server
            .post(&format!("/v1.0/security/alerts_v2/{}/comments", ids[2]), &json!({"comment": "seen"}))
            .await;
        assert_eq!(c.status, 200, "{}", c.text);
        let added = new_alerts(&server, 7, 4).await;
        let (delta, sent) = round(&server, &delta, &mut replica).await;
        for id in ids.iter().chain(&added) {
            assert!(sent.contains(id), "{id} changed but was not sent");
        }
        assert!(sent.len() < replica.len(), "only changed alerts are sent: {}", sent.len());
        same(&replica, &server_state(&server).await);

        // A restart keeps the point: the token holds no server state.
        let db = server.into_database().await;
        let server = TestServer::builder().start_on(db).await;
        patch_status(&server, &ids[0], "resolved").await;
        let (_, sent) = round(&server, &delta, &mut replica).await;
        assert!(sent.contains(&ids[0]));
        same(&replica, &server_state(&server).await);
        assert_eq!(replica[&ids[0]]["status"], "resolved");
    }
}

testdb::conformance! {
    async fn delta_client_converges_while_writers_run() {
        let server = std::sync::Arc::new(TestServer::builder().demo(40).start().await);
        let mut replica = Replica::new();
        let (mut delta, _) = round(&server, "/v1.0/security/alerts_v2/delta?$top=3", &mut replica).await;
        let ids: Vec<String> = replica.keys().cloned().collect();
        let writers: Vec<_> = (0..2)
            .map(|w| {
                let (server, ids) = (server.clone(), ids.clone());
                tokio::spawn(async move {
                    for (i, id) in ids.iter().enumerate().filter(|(i, _)| i % 2 == w) {
                        let status = ["inProgress", "resolved", "new"][i % 3];
                        patch_status(&server, id, status).await;
                    }
                    new_alerts(&server, 100 + w as u64, 5).await;
                })
            })
            .collect();
        // The client keeps following while the writers run.
        let mut rounds = 0;
        while !writers.iter().all(|w| w.is_finished()) {
            delta = round(&server, &delta, &mut replica).await.0;
            rounds += 1;
        }
        for w in writers {
            w.await.unwrap();
        }
        round(&server, &delta, &mut replica).await;
        assert!(rounds > 0);
        same(&replica, &server_state(&server).await);
        assert_eq!(replica.len(), 50);
    }
}

testdb::conformance! {
    async fn select_shapes_every_round_and_beta_serves_delta() {
        let server = TestServer::builder().demo(5).start().await;
        let mut replica = Replica::new();
        let (delta, _) = round(&server, "/beta/security/alerts_v2/delta?$select=severity,status", &mut replica).await;
        assert!(delta.contains("/beta/security/alerts_v2/delta?") && delta.contains("$select="));
        for doc in replica.values() {
            let keys: BTreeSet<&str> = doc.as_object().unwrap().keys().map(String::as_str).collect();
            assert!(keys.contains("id") && keys.contains("severity") && !keys.contains("title"), "{keys:?}");
        }
        let id = replica.keys().next().unwrap().clone();
        patch_status(&server, &id, "resolved").await;
        let mut changed = Replica::new();
        round(&server, &delta, &mut changed).await;
        assert_eq!(changed[&id]["status"], "resolved");
        assert!(changed[&id].get("title").is_none());
        let page = server.get("/v1.0/security/alerts_v2/delta").await.json();
        assert!(page["@odata.context"].as_str().unwrap().ends_with("#security/alerts_v2/$delta"));
    }
}

testdb::conformance! {
    async fn bad_tokens_and_options_are_graph_400s() {
        let server = TestServer::builder().demo(3).start().await;
        let mut replica = Replica::new();
        let (delta, _) = round(&server, "/v1.0/security/alerts_v2/delta", &mut replica).await;
        let token = delta.split("$deltatoken=").nth(1).unwrap().to_owned();
        let mut altered = token.clone();
        altered.insert(2, 'x');
        for path in [
            "/v1.0/security/alerts_v2/delta?$deltatoken=garbage".to_owned(),
            format!("/v1.0/security/alerts_v2/delta?$deltatoken={altered}"),
            format!("/v1.0/security/alerts_v2/delta?$deltatoken={token}&$skiptoken={token}"),
            "/v1.0/security/alerts_v2/delta?$filter=severity%20eq%20'high'".to_owned(),
            "/v1.0/security/alerts_v2/delta?$orderby=createdDateTime".to_owned(),
            "/v1.0/security/alerts_v2/delta?$select=nope".to_owned(),
        ] {
            let reply = server.send(Method::GET, &path, None, &[]).await;
            assert_eq!(reply.status, 400, "{path}: {}", reply.text);
            let error = &reply.json()["error"];
            assert!(error["code"].is_string() && error["message"].as_str().unwrap().len() > 20, "{error}");
        }
        // A token of a server that has seen more changes is ahead of a fresh one's sequence.
        new_alerts(&server, 9, 2).await;
        let (ahead, _) = round(&server, &delta, &mut replica).await;
        let fresh = TestServer::start().await;
        let reply = fresh.get(&local(&ahead)).await;
        assert_eq!(reply.status, 400, "{}", reply.text);
        assert!(reply.text.contains("start over"), "{}", reply.text);
    }
}
