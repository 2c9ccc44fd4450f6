//! Incidents with the real binary: `serve --demo` correlates the demo alerts into incidents that
//! link to the server's own URL; `secgraph correlate --rebuild` finds nothing to change in what
//! the server wrote, and applies a changed `[correlation]` configuration; a mistake in that section
//! stops the server, naming it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{run, run_on, Data, Server, ANCHOR};
use serde_json::Value;

/// Every alert of the server (one page of up to 1000).
async fn alerts(server: &Server) -> Vec<Value> {
    let page = server
        .get_json("/v1.0/security/alerts_v2?$select=id,incidentId,incidentWebUrl&$top=1000")
        .await;
    page["value"].as_array().unwrap().clone()
}

testdb::conformance! {
    async fn the_demo_forms_incidents_and_a_rebuild_agrees_with_them() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let server =
            Server::start(dir.path(), &data, &["--demo", "--demo-anchor", ANCHOR], &[]).await;
        let all = alerts(&server).await;
        assert_eq!(all.len(), 640);
        for a in &all {
            let id = a["incidentId"].as_str().expect("every alert has an incident");
            assert_eq!(
                a["incidentWebUrl"],
                format!("{}/v1.0/security/incidents/{id}", server.url)
            );
        }
        let live = server
            .get_json("/v1.0/security/incidents?$count=true&$filter=status%20ne%20%27redirected%27&$top=0")
            .await;
        let incidents = live["@odata.count"].as_u64().unwrap();
        assert!(incidents > 0 && incidents < 640, "{incidents} incidents");
        let page = server
            .get_json("/v1.0/security/incidents?$top=50&$expand=alerts")
            .await;
        for i in page["value"].as_array().unwrap() {
            let held = i["alerts"].as_array().unwrap().len();
            assert_eq!(held == 0, i["status"] == "redirected", "{i}");
        }
        server.stop().await;

        let dry = run_on(dir.path(), &data, &["correlate", "--rebuild", "--dry-run"], &[]).await;
        assert!(dry.status.success(), "{}\n{}", dry.stdout, dry.stderr);
        assert!(dry.stdout.contains("640 alerts (0 in no incident)"), "{}", dry.stdout);
        assert!(dry.stdout.contains("no differences"), "{}", dry.stdout);

        // Without rules nothing links: the rebuild splits every incident (but those an analyst or
        // their resolution froze), and a second rebuild finds nothing left to change.
        let config = dir.path().join("alone.toml");
        std::fs::write(&config, "[correlation]\nrules = []\n").unwrap();
        let config = config.to_str().unwrap();
        let rebuild = ["correlate", "--rebuild", "--config", config];
        let applied = run_on(dir.path(), &data, &rebuild, &[]).await;
        assert!(applied.status.success(), "{}\n{}", applied.stdout, applied.stderr);
        assert!(applied.stdout.contains("applied"), "{}", applied.stdout);
        let again = run_on(dir.path(), &data, &[&rebuild[..], &["--dry-run"]].concat(), &[]).await;
        assert!(again.stdout.contains("no differences"), "{}", again.stdout);
        let server = Server::start(dir.path(), &data, &["--config", config], &[]).await;
        let open = server
            .get_json("/v1.0/security/incidents?$count=true&$filter=status%20ne%20%27redirected%27&$top=0")
            .await;
        assert!(open["@odata.count"].as_u64().unwrap() > incidents);
        server.stop().await;
    }
}

// Single-backend (SQLite): configuration only (refused before the store opens).
#[tokio::test]
async fn a_mistake_in_the_correlation_section_stops_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "[correlation.tenants.\"t1\"]\nfrequency_cap = 0\n").unwrap();
    let args = [
        "serve",
        "--auth",
        "none",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        "data",
        "--config",
        config.to_str().unwrap(),
    ];
    let done = run(dir.path(), &args, &[]).await;
    assert!(!done.status.success(), "{}", done.stdout);
    assert!(
        done.stderr.contains("[correlation.tenants.\"t1\"]")
            && done.stderr.contains("frequency_cap"),
        "{}",
        done.stderr
    );
}
