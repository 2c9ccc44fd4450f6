//! `POST /secgraph/v1/connectors/{kind}/events` on both backends: real Suricata and Wazuh output
//! (the connectors crate's fixtures) becomes alerts_v2 alerts with evidence; a replay stores
//! nothing new and keeps an analyst's change; unreadable lines are reported by number.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use reqwest::Method;
use serde_json::json;
use testkit::TestServer;

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../connectors/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn post(server: &TestServer, kind: &str, body: &str) -> testkit::Reply {
    let resp = server
        .client
        .post(server.url(&format!("/secgraph/v1/connectors/{kind}/events")))
        .header("content-type", "application/x-ndjson")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    testkit::Reply {
        status: resp.status(),
        headers: resp.headers().clone(),
        text: resp.text().await.unwrap(),
    }
}

testdb::conformance! {
    async fn suricata_alerts_become_alerts_once() {
        let server = TestServer::start().await;
        let eve = fixture("eve-alerts-flow-stats_crowdsec-hub.ndjson");
        let reply = post(&server, "suricata", &eve).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let answer = reply.json();
        assert_eq!(answer["created"], 4, "{answer}");
        assert_eq!(answer["skipped"], 4, "flow and stats lines are not alerts: {answer}");
        assert_eq!(answer["rejected"], json!([]));
        let list = server.get("/v1.0/security/alerts_v2?$filter=productName eq 'Suricata'").await;
        let alerts = list.json()["value"].as_array().unwrap().clone();
        assert_eq!(alerts.len(), 4, "{}", list.text);
        assert!(alerts.iter().all(|a| !a["evidence"].as_array().unwrap().is_empty()));
        assert!(alerts.iter().all(|a| a["tenantId"] == server.tenant.as_str()));

        // An analyst resolves one; the same output sent again changes nothing.
        let id = alerts[0]["id"].as_str().unwrap();
        let patched = server.patch(&format!("/v1.0/security/alerts_v2/{id}"), &json!({"status": "resolved"})).await;
        assert_eq!(patched.status, 200, "{}", patched.text);
        let again = post(&server, "suricata", &eve).await.json();
        assert_eq!((again["created"].clone(), again["alreadyStored"].clone()), (json!(0), json!(4)));
        let got = server.get(&format!("/v1.0/security/alerts_v2/{id}")).await.json();
        assert_eq!(got["status"], "resolved");
    }

    async fn wazuh_alerts_and_bad_lines() {
        let server = TestServer::start().await;
        let wazuh = fixture("alerts-logstash-wrapped-vulndetector-sshd-pam_wazuh-indexer.ndjson");
        let wazuh = wazuh.trim_end();
        let body = format!("{wazuh}\n{{\"not\": \"wazuh\"}}\nnot json at all\n");
        let reply = post(&server, "Wazuh", &body).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        let answer = reply.json();
        let lines = wazuh.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(answer["created"].as_u64().unwrap() + answer["alreadyStored"].as_u64().unwrap(), lines as u64, "{answer}");
        let rejected = answer["rejected"].as_array().unwrap();
        assert_eq!(rejected.len(), 2, "{answer}");
        assert_eq!(rejected[0]["line"], lines + 1);
        assert!(rejected[1]["message"].as_str().unwrap().len() > 5);
    }

    async fn unknown_connectors_and_empty_bodies_are_refused() {
        let server = TestServer::start().await;
        let reply = post(&server, "snort", "{}\n").await;
        assert_eq!(reply.status, 400);
        assert!(reply.json()["error"]["message"].as_str().unwrap().contains("suricata, wazuh"));
        let reply = post(&server, "suricata", "  \n").await;
        assert_eq!(reply.status, 400);
        let reply = server.send(Method::GET, "/secgraph/v1/connectors/suricata/events", None, &[]).await;
        assert_eq!(reply.status, 405);
    }
}
