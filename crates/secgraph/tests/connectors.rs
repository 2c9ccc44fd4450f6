//! A configured connector in the real `secgraph serve`: it follows a Suricata EVE file, stores each
//! alert once, resumes after being killed without duplicates or gaps, and follows a rename
//! rotation — on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{run_on, Data, Server};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const TENANT: &str = "00000000-0000-4000-8000-0000000c0ec7";

/// The alert lines and the other lines of a real EVE sample.
fn eve_lines() -> (Vec<String>, Vec<String>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/tests/fixtures/eve-alerts-http_crowdsec-hub.ndjson"
    );
    let more = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../connectors/tests/fixtures/eve-alerts-flow-stats_crowdsec-hub.ndjson"
    );
    let text =
        std::fs::read_to_string(path).unwrap() + "\n" + &std::fs::read_to_string(more).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .partition(|l| l.contains("\"event_type\":\"alert\""))
}

fn append(path: &Path, lines: &[String]) {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    f.sync_all().unwrap();
}

/// Waits until the tenant holds `n` alerts (and still does a moment later).
async fn wait_count(server: &Server, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let count = server.count("alerts_v2").await;
        if count == n {
            tokio::time::sleep(Duration::from_millis(600)).await;
            assert_eq!(
                server.count("alerts_v2").await,
                n,
                "more alerts arrived than lines were written"
            );
            return;
        }
        assert!(
            count < n,
            "{count} alerts, expected {n}: a line was stored twice"
        );
        assert!(
            Instant::now() < deadline,
            "{count} of {n} alerts after 30 s\n{}",
            server.proc.report()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

testdb::conformance! {
    async fn a_followed_eve_file_resumes_after_a_kill_and_follows_rotation() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let created = run_on(dir.path(), &data, &["tenant", "create", "--id", TENANT, "--name", "SOC"], &[]).await;
        assert!(created.status.success(), "{}", created.stderr);
        let eve = dir.path().join("eve.json");
        let config = dir.path().join("secgraph.toml");
        std::fs::write(
            &config,
            format!("[[connectors]]\nkind = \"suricata\"\npath = \"{}\"\ntenant = \"{TENANT}\"\n", eve.display()),
        )
        .unwrap();
        let (alerts, others) = eve_lines();
        assert!(alerts.len() >= 6 && !others.is_empty());
        let config = config.to_str().unwrap();
        let env = [("SECGRAPH_DEFAULT_TENANT", TENANT)];

        let mut server = Server::start(dir.path(), &data, &["--config", config], &env).await;
        append(&eve, &[alerts[0].clone(), others[0].clone(), alerts[1].clone()]);
        wait_count(&server, 2).await;

        // Killed: what was written while it was down is read after the restart, once.
        server.proc.kill().await;
        append(&eve, &[alerts[2].clone(), alerts[3].clone()]);
        let server = Server::start(dir.path(), &data, &["--config", config], &env).await;
        wait_count(&server, 4).await;

        // Rotation by rename: the rest of the old file, then the new one.
        append(&eve, &[alerts[4].clone()]);
        std::fs::rename(&eve, dir.path().join("eve.json.1")).unwrap();
        append(&eve, &[others[0].clone(), alerts[5].clone()]);
        wait_count(&server, 6).await;
        let page = server.get_json("/v1.0/security/alerts_v2?$top=10").await;
        let alerts = page["value"].as_array().unwrap();
        assert!(alerts.iter().all(|a| a["productName"] == "Suricata" && a["tenantId"] == TENANT));
        server.stop().await;
    }

    async fn a_connector_naming_an_unknown_tenant_refuses_to_start() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let config = dir.path().join("secgraph.toml");
        std::fs::write(&config, format!("[[connectors]]\nkind = \"wazuh\"\npath = \"/nonexistent/alerts.json\"\ntenant = \"{TENANT}\"\n")).unwrap();
        let done = run_on(dir.path(), &data, &["serve", "--auth", "none", "--listen", "127.0.0.1:0", "--config", config.to_str().unwrap()], &[]).await;
        assert!(!done.status.success());
        assert!(done.stderr.contains("does not exist"), "{}", done.stderr);
    }
}
