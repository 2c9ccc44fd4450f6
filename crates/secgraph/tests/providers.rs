//! Providers end to end, with real processes on loopback: `secgraph serve` and the example
//! firewall provider (`examples/firewall-provider`), registered and consented with the CLI. The
//! firewall blocks an address through Graph's securityActions and pushes an alert when a blocked
//! address is seen; a client's PATCH reaches it through
//! the outbox (sync-back); an update made while the provider is down, or while secgraph is killed,
//! is delivered once both are back — on both backends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json_output, run_on, Data, Secgraph, Server};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const VENDOR: &str = "00000000-0000-4000-8000-00000000f1e0";
const CUSTOMER: &str = "00000000-0000-4000-8000-00000000c057";

/// The firewall binary, built beside this test by `cargo test --workspace`.
fn firewall_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("firewall-provider");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p firewall-provider` (cargo test --workspace builds it)",
        bin.display()
    );
    bin
}

/// Everything a test needs to act as the customer and to restart the firewall.
struct Setup {
    server: Server,
    provider_id: String,
    app: (String, String),
    secret: String,
    reader: String,
}

async fn cli(dir: &Path, data: &Data, args: &[&str]) -> Value {
    json_output(args, &run_on(dir, data, args, &[]).await)
}

/// A token from the token endpoint.
async fn token(server: &Server, tenant: &str, client_id: &str, secret: &str) -> String {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("scope", "https://graph.microsoft.com/.default"),
    ];
    let reply = server
        .request(
            reqwest::Method::POST,
            &format!("/{tenant}/oauth2/v2.0/token"),
        )
        .form(&form)
        .send()
        .await
        .unwrap();
    let body: Value = reply.json().await.unwrap();
    body["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// Starts secgraph, registers the firewall's app and provider (with a placeholder callback URL:
/// the firewall's address is known only once it runs) and a reader app in the customer tenant.
/// Registers an application in `home` with `permissions` and a secret, consented in the customer
/// tenant; returns its client id and secret.
async fn consented_app(
    dir: &Path,
    data: &Data,
    home: &str,
    name: &str,
    permissions: &[&str],
) -> (String, String) {
    let mut args = vec![
        "app",
        "create",
        "--tenant",
        home,
        "--name",
        name,
        "--multi-tenant",
    ];
    for p in permissions {
        args.extend(["--permission", p]);
    }
    let client_id = cli(dir, data, &args).await["clientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let secret = cli(dir, data, &["app", "add-secret", "--client-id", &client_id]).await;
    cli(
        dir,
        data,
        &[
            "consent",
            "grant",
            "--tenant",
            CUSTOMER,
            "--client-id",
            &client_id,
        ],
    )
    .await;
    (client_id, secret["secretText"].as_str().unwrap().to_owned())
}

async fn setup(dir: &Path, data: &Data) -> Setup {
    let server = Server::start_with_auth(dir, data, "token", &[], &[]).await;
    cli(
        dir,
        data,
        &[
            "tenant",
            "create",
            "--id",
            VENDOR,
            "--name",
            "Firewall vendor",
        ],
    )
    .await;
    cli(
        dir,
        data,
        &["tenant", "create", "--id", CUSTOMER, "--name", "Customer"],
    )
    .await;
    let (client_id, secret) = consented_app(
        dir,
        data,
        VENDOR,
        "Example Firewall",
        &["SecurityAlert.ReadWrite.All"],
    )
    .await;
    let manifest = dir.join("manifest.json");
    let shipped = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/firewall-provider/manifest.json"
    );
    std::fs::copy(shipped, &manifest).unwrap();
    let manifest = manifest.to_str().unwrap();
    let register = [
        "provider",
        "register",
        "--client-id",
        &client_id,
        "--manifest",
        manifest,
        "--allow-private-addresses",
    ];
    let provider = cli(dir, data, &register).await;
    let reader_permissions = [
        "SecurityAlert.ReadWrite.All",
        "SecurityActions.ReadWrite.All",
    ];
    let (reader_id, reader_secret) =
        consented_app(dir, data, CUSTOMER, "SOC console", &reader_permissions).await;
    let reader = token(&server, CUSTOMER, &reader_id, &reader_secret).await;
    Setup {
        server,
        provider_id: provider["id"].as_str().unwrap().to_owned(),
        app: (client_id, secret),
        secret: provider["signingSecret"].as_str().unwrap().to_owned(),
        reader,
    }
}

/// Starts the firewall on `listen` and returns it with its base URL.
async fn firewall(dir: &Path, s: &Setup, listen: &str) -> (tokio::process::Child, String) {
    let mut child = tokio::process::Command::new(firewall_bin())
        .args([
            "--listen",
            listen,
            "--secgraph",
            &s.server.url,
            "--tenant",
            CUSTOMER,
            "--client-id",
            &s.app.0,
            "--state-dir",
        ])
        .arg(dir.join("firewall-state"))
        .env("FIREWALL_CLIENT_SECRET", &s.app.1)
        .env("FIREWALL_SIGNING_SECRET", &s.secret)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    use tokio::io::AsyncBufReadExt;
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let url = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .trim()
        .to_owned();
    (child, url)
}

/// Points the registered provider at the firewall's address.
async fn point_at(dir: &Path, data: &Data, s: &Setup, firewall_url: &str) {
    let mut m: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    m["callbackBaseUrl"] = json!(format!("{firewall_url}/secgraph"));
    std::fs::write(dir.join("manifest.json"), m.to_string()).unwrap();
    cli(
        dir,
        data,
        &[
            "provider",
            "update",
            "--id",
            &s.provider_id,
            "--manifest",
            dir.join("manifest.json").to_str().unwrap(),
        ],
    )
    .await;
}

/// Blocks `ip` through Graph's securityActions (routed to the firewall through the outbox) and
/// waits until the firewall reports the action `Completed`.
async fn block(s: &Setup, ip: &str) {
    let body = json!({"name": "BlockIp", "parameters": [{"name": "IP", "value": ip}],
                      "vendorInformation": {"provider": "Example Firewall", "vendor": "secgraph examples"},
                      "actionReason": "Beaconing to a known C2 address"});
    let reply = s
        .server
        .request(reqwest::Method::POST, "/beta/security/securityActions")
        .bearer_auth(&s.reader)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 201);
    let created: Value = reply.json().await.unwrap();
    assert_eq!(created["status"], "NotStarted");
    let path = format!(
        "/beta/security/securityActions/{}",
        created["id"].as_str().unwrap()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let action: Value = s
            .server
            .request(reqwest::Method::GET, &path)
            .bearer_auth(&s.reader)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if action["status"] == "Completed" {
            let states: Vec<&str> = action["states"]
                .as_array()
                .unwrap()
                .iter()
                .map(|st| st["status"].as_str().unwrap())
                .collect();
            assert_eq!(states.first(), Some(&"NotStarted"), "{action}");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "action not completed: {action}\n{}",
            s.server.proc.report()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn alert_json(s: &Setup, id: &str) -> Value {
    let reply = s
        .server
        .request(
            reqwest::Method::GET,
            &format!("/v1.0/security/alerts_v2/{id}"),
        )
        .bearer_auth(&s.reader)
        .send()
        .await
        .unwrap();
    reply.json().await.unwrap()
}

async fn patch(s: &Setup, id: &str, body: Value) -> Value {
    let reply = s
        .server
        .request(
            reqwest::Method::PATCH,
            &format!("/v1.0/security/alerts_v2/{id}"),
        )
        .bearer_auth(&s.reader)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    reply.json().await.unwrap()
}

/// Waits until the alert's sync state is `state`.
async fn wait_sync(s: &Setup, id: &str, state: &str, within: Duration) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let a = alert_json(s, id).await;
        if a["providerSync"]["state"] == state {
            return a;
        }
        assert!(
            Instant::now() < deadline,
            "sync state {} after {within:?}, expected {state}\n{}",
            a["providerSync"],
            s.server.proc.report()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

testdb::conformance! {
    async fn a_provider_pushes_and_receives_updates_across_outages_and_restarts() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let mut s = setup(dir.path(), &data).await;
        let (mut fw, fw_url) = firewall(dir.path(), &s, "127.0.0.1:0").await;
        point_at(dir.path(), &data, &s, &fw_url).await;
        block(&s, "203.0.113.7").await;
        let blocked: Value = common::client().get(format!("{fw_url}/blocklist")).send().await.unwrap().json().await.unwrap();
        assert!(blocked.to_string().contains("203.0.113.7"), "{blocked}");
        let seen = common::client().post(format!("{fw_url}/observe")).json(&json!({"sourceAddress": "203.0.113.7", "destinationAddress": "10.0.0.5"})).send().await.unwrap();
        assert_eq!(seen.status(), 200, "{}", seen.text().await.unwrap());
        let list: Value = s.server.request(reqwest::Method::GET, "/v1.0/security/alerts_v2").bearer_auth(&s.reader).send().await.unwrap().json().await.unwrap();
        let alerts = list["value"].as_array().unwrap();
        assert_eq!(alerts.len(), 1, "{list}");
        assert_eq!(alerts[0]["productName"], "Example Firewall");
        let id = alerts[0]["id"].as_str().unwrap().to_owned();

        // Provider up: the change reaches it and it answers applied.
        assert_eq!(patch(&s, &id, json!({"status": "inProgress"})).await["providerSync"]["state"], "pending");
        wait_sync(&s, &id, "applied", Duration::from_secs(10)).await;

        // Provider down during an update: delivered once it is back (same address).
        fw.kill().await.unwrap();
        patch(&s, &id, json!({"assignedTo": "analyst@customer.example"})).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(alert_json(&s, &id).await["providerSync"]["state"], "pending");
        let (fw2, _) = firewall(dir.path(), &s, fw_url.trim_start_matches("http://")).await;
        wait_sync(&s, &id, "applied", Duration::from_secs(20)).await;

        // secgraph killed with an update undelivered (provider down): delivered after its restart.
        drop(fw2);
        patch(&s, &id, json!({"status": "resolved", "classification": "falsePositive", "determination": "other"})).await;
        s.server.proc.kill().await;
        let (_fw3, _) = firewall(dir.path(), &s, fw_url.trim_start_matches("http://")).await;
        // On its old address: the firewall pushes to it.
        let addr = s.server.url.trim_start_matches("http://").to_owned();
        s.server = Server::announced(Secgraph::spawn_on(dir.path(), &data, &["serve", "--listen", &addr], &[])).await;
        let a = wait_sync(&s, &id, "applied", Duration::from_secs(20)).await;
        assert_eq!(a["status"], "resolved");
        let journal = std::fs::read_to_string(dir.path().join("firewall-state/alert-updates.jsonl")).unwrap();
        assert!(journal.contains("falsePositive") && journal.contains("analyst@customer.example"), "{journal}");

        // The firewall's next sighting (a newer version) carries the analyst's changes back.
        let seen = common::client().post(format!("{fw_url}/observe")).json(&json!({"sourceAddress": "203.0.113.7", "destinationAddress": "10.0.0.6"})).send().await.unwrap();
        assert_eq!(seen.status(), 200);
        let a = alert_json(&s, &id).await;
        assert_eq!(a["status"], "resolved", "{a}");
        let count = s.server.request(reqwest::Method::GET, "/v1.0/security/alerts_v2/$count").bearer_auth(&s.reader).send().await.unwrap().text().await.unwrap();
        assert_eq!(count, "1", "repeated sightings update one alert");
    }
}
