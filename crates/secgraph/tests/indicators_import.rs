//! `secgraph indicators import` as a real process, on both backends, with the published STIX and
//! MISP samples (`crates/model/tests/fixtures/intel`, see its NOTICE.md): the indicators are owned by
//! the named application and read back through a served API with its token, re-importing adds
//! nothing, `block` on critical infrastructure is refused per item, and unknown applications and
//! unusable files are refused with what to do.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json_output, run_on, Data, Finished, Server};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::{Path, PathBuf};

const TENANT: &str = "6f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c";
const POISONIVY: &str = "bundle-poisonivy-report-or-patterns_oasis-cti-stix2-json-schemas.json";
const QAKBOT: &str = "event-qakbot-ipport-objects_pymisp.json";
const C2_COA: &str = "bundle-indicators-ipv4-sha256-coa_oasis-cti-stix2-json-schemas.json";
const C2_PRIVATE: &str = "indicator-ipv4_oasis-cti-stix2-json-schemas.json";

/// A threat-intelligence sample from the model crate's fixtures.
fn intel(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../model/tests/fixtures/intel")
        .join(name)
}

/// Runs an admin command that must succeed; its JSON.
async fn admin(dir: &Path, data: &Data, args: &[&str]) -> Value {
    json_output(args, &run_on(dir, data, args, &[]).await)
}

/// `secgraph indicators import ARGS FILE` to its end.
async fn import(dir: &Path, data: &Data, args: &[&str], file: &Path) -> Finished {
    let mut all = vec!["indicators", "import"];
    all.extend_from_slice(args);
    all.push(file.to_str().unwrap());
    run_on(dir, data, &all, &[]).await
}

/// Like [`import`], asserting success; stdout.
async fn imported(dir: &Path, data: &Data, args: &[&str], file: &Path) -> String {
    let done = import(dir, data, args, file).await;
    assert!(done.status.success(), "{}\n{}", done.stdout, done.stderr);
    done.stdout
}

/// Like [`import`], asserting failure; stderr.
async fn refused(dir: &Path, data: &Data, args: &[&str], file: &Path) -> String {
    let done = import(dir, data, args, file).await;
    assert!(!done.status.success(), "{}", done.stdout);
    done.stderr
}

/// Creates [`TENANT`] and an application in it requesting `ThreatIndicators.ReadWrite.OwnedBy`,
/// with a secret and the tenant's consent: (client id, secret).
async fn registered_app(dir: &Path, data: &Data, name: &str) -> (String, String) {
    let perm = "ThreatIndicators.ReadWrite.OwnedBy";
    let args = [
        "app",
        "create",
        "--tenant",
        TENANT,
        "--name",
        name,
        "--permission",
        perm,
    ];
    let app = admin(dir, data, &args).await;
    let cid = app["clientId"].as_str().unwrap().to_owned();
    let secret = admin(dir, data, &["app", "add-secret", "--client-id", &cid]).await;
    admin(
        dir,
        data,
        &["consent", "grant", "--tenant", TENANT, "--client-id", &cid],
    )
    .await;
    (cid, secret["secretText"].as_str().unwrap().to_owned())
}

/// A bearer token of the application.
async fn token(server: &Server, cid: &str, secret: &str) -> String {
    let reply = common::client()
        .post(format!("{}/{TENANT}/oauth2/v2.0/token", server.url))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", cid),
            ("client_secret", secret),
            ("scope", "https://graph.microsoft.com/.default"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    let body: Value = reply.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// `GET /beta/security/tiIndicators` (or `/$count`) with `query`, as the bearer's application.
async fn get(server: &Server, bearer: &str, count: bool, query: &[(&str, &str)]) -> String {
    let suffix = if count { "/$count" } else { "" };
    let reply = common::client()
        .get(format!("{}/beta/security/tiIndicators{suffix}", server.url))
        .query(query)
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    reply.text().await.unwrap()
}

/// The `$filter` the summary prints for the imported indicators.
fn printed_filter(stdout: &str) -> String {
    let start = stdout.find("$filter=").unwrap() + "$filter=".len();
    let rest = &stdout[start..];
    rest[..rest.find(')').unwrap()].to_owned()
}

testdb::conformance! {
    async fn stix_and_misp_are_imported_for_the_app_and_reimports_add_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (dir, data) = (dir.path(), Data::new(dir.path()));
        admin(dir, &data, &["tenant", "create", "--id", TENANT, "--name", "Contoso"]).await;
        let (cid, secret) = registered_app(dir, &data, "feeds").await;
        let (other, other_secret) = registered_app(dir, &data, "other").await;
        let owner = ["--tenant", TENANT, "--app", cid.as_str()];

        let stix = imported(dir, &data, &owner, &intel(POISONIVY)).await;
        assert!(stix.contains("(STIX 2.1): imported 64 of 64 indicators"), "{stix}");
        assert!(stix.contains("0 already present, 0 refused, 3 skipped by the converter"), "{stix}");
        assert!(stix.contains("2 × property file:name is not supported"), "{stix}");
        assert!(stix.contains("1 × 'domain autuo.xicp.net' is not a domain name"), "{stix}");
        assert!(!stix.contains("note:"), "the app has its consent: {stix}");
        let misp_args = [&owner[..], &["--batch", "10"]].concat();
        let misp = imported(dir, &data, &misp_args, &intel(QAKBOT)).await;
        assert!(misp.contains("(MISP): imported 58 of 58 indicators"), "{misp}");
        assert!(misp.contains("14 skipped by the converter"), "{misp}");

        let again = imported(dir, &data, &owner, &intel(POISONIVY)).await;
        assert!(again.contains("imported 0 of 64 indicators"), "{again}");
        assert!(again.contains("64 already present"), "{again}");
        let misp_again = imported(dir, &data, &owner, &intel(QAKBOT)).await;
        assert!(misp_again.contains("imported 0 of 58"), "{misp_again}");

        let server = Server::start_with_auth(dir, &data, "token", &[], &[]).await;
        let bearer = token(&server, &cid, &secret).await;
        assert_eq!(get(&server, &bearer, true, &[]).await, "122");
        let filter = printed_filter(&stix);
        let batch = get(&server, &bearer, true, &[("$filter", filter.as_str())]).await;
        assert_eq!(batch, "64", "the printed $filter lists the first import: {filter}");
        let dynssl = "externalId eq 'indicator--329ae6e9-25bd-49e8-89d1-aae4ca52e4a7#1'";
        let page: Value =
            serde_json::from_str(&get(&server, &bearer, false, &[("$filter", dynssl)]).await)
                .unwrap();
        let one = &page["value"][0];
        assert_eq!(one["domainName"], "www.webserver.dynssl.com");
        assert_eq!(one["action"], "alert");
        assert_eq!(one["targetProduct"], "Azure Sentinel");
        assert_eq!(one["azureTenantId"], TENANT);
        let port = "externalId eq '5a0acc3f-9d2c-4cb7-86b7-4f26950d210f'";
        let page: Value =
            serde_json::from_str(&get(&server, &bearer, false, &[("$filter", port)]).await)
                .unwrap();
        assert_eq!(page["value"][0]["networkDestinationPort"], 995);
        let others = token(&server, &other, &other_secret).await;
        assert_eq!(get(&server, &others, true, &[]).await, "0", "owned by the importing app");
        server.stop().await;
    }

    async fn block_on_critical_infrastructure_is_refused_per_item() {
        let dir = tempfile::tempdir().unwrap();
        let (dir, data) = (dir.path(), Data::new(dir.path()));
        // The emulator's owner: the tenant is created as `serve --auth none` uses it.
        let owner = ["--tenant", "contoso", "--app", "secgraph-emulator", "--action", "block"];
        let out = imported(dir, &data, &owner, &intel(C2_COA)).await;
        assert!(out.contains("imported 1 of 2 indicators for secgraph-emulator"), "{out}");
        assert!(out.contains("refused by validation: 1"), "{out}");
        assert!(
            out.contains(
                "indicator--53fe3b22-0201-47cf-85d0-97c02164528d: networkDestinationIPv4 \
                 '10.0.0.0' is critical infrastructure (a private range)"
            ),
            "{out}"
        );
        let err = refused(dir, &data, &owner, &intel(C2_PRIVATE)).await;
        assert!(err.contains("was imported: all 1 new ones were refused"), "{err}");

        let env = [("SECGRAPH_DEFAULT_TENANT", "contoso")];
        let server = Server::start(dir, &data, &[], &env).await;
        let page = server.get_json("/beta/security/tiIndicators").await;
        let items = page["value"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{page}");
        assert_eq!(items[0]["action"], "block");
        assert_eq!(items[0]["fileHashType"], "sha256");
        server.stop().await;
    }

    async fn a_running_server_matches_indicators_imported_beside_it_within_a_second() {
        let dir = tempfile::tempdir().unwrap();
        let (dir, data) = (dir.path(), Data::new(dir.path()));
        let owner = ["--tenant", "contoso", "--app", "secgraph-emulator"];
        imported(dir, &data, &owner, &intel(C2_COA)).await;
        let env = [("SECGRAPH_DEFAULT_TENANT", "contoso")];
        let server = Server::start(dir, &data, &[], &env).await;
        // Imported while the server runs: on SQLite nothing tells the server, it polls the log.
        imported(dir, &data, &owner, &intel(POISONIVY)).await;
        let event = r#"{"type":"dns","dns":{"question":{"name":"www.webserver.dynssl.com"}}}"#;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let reply = server
                .request(reqwest::Method::POST, "/secgraph/v1/events")
                .header("content-type", "application/x-ndjson")
                .body(event)
                .send()
                .await
                .unwrap();
            assert_eq!(reply.status(), StatusCode::OK);
            let answer: Value = reply.json().await.unwrap();
            if answer["value"][0]["verdict"] == "alert" {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "the imported indicator never matched: {answer}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        server.stop().await;
    }

    /// Regression: `serve --auth none` without `--demo` acted in a tenant that did not exist, and
    /// the first indicator write failed with a 500.
    async fn the_emulator_tenant_exists_without_the_demo() {
        let dir = tempfile::tempdir().unwrap();
        let (dir, data) = (dir.path(), Data::new(dir.path()));
        let env = [("SECGRAPH_DEFAULT_TENANT", "fresh-tenant")];
        let server = Server::start(dir, &data, &[], &env).await;
        let body = serde_json::json!({"action": "alert", "description": "d", "domainName": "x.example",
            "expirationDateTime": "2099-01-01", "targetProduct": "Azure Sentinel", "threatType": "C2", "tlpLevel": "green"});
        let reply = server
            .request(reqwest::Method::POST, "/beta/security/tiIndicators")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::CREATED, "{}", reply.text().await.unwrap());
        server.stop().await;
    }

    async fn unknown_apps_and_unusable_files_are_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let (dir, data) = (dir.path(), Data::new(dir.path()));
        admin(dir, &data, &["tenant", "create", "--id", TENANT, "--name", "Contoso"]).await;
        let (cid, _) = registered_app(dir, &data, "feeds").await;
        let file = intel(POISONIVY);

        let unknown = ["--tenant", TENANT, "--app", "0b5f3c1e-2a4d-4e6f-8a9b-0c1d2e3f4a5b"];
        let err = refused(dir, &data, &unknown, &file).await;
        assert!(err.contains("no application with client id 0b5f3c1e-"), "{err}");
        assert!(err.contains("`secgraph app list`"), "{err}");
        let err = refused(dir, &data, &["--tenant", TENANT, "--app", "feeds"], &file).await;
        assert!(err.contains("--app 'feeds' is not a client id (a GUID)"), "{err}");
        let elsewhere = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
        admin(dir, &data, &["tenant", "create", "--id", elsewhere, "--name", "Other"]).await;
        let err = refused(dir, &data, &["--tenant", elsewhere, "--app", &cid], &file).await;
        assert!(err.contains("is single-tenant in tenant"), "{err}");
        let nowhere = "00000000-0000-4000-8000-000000000000";
        let err = refused(dir, &data, &["--tenant", nowhere, "--app", &cid], &file).await;
        assert!(err.contains(&format!("tenant '{nowhere}' does not exist")), "{err}");

        let owner = ["--tenant", TENANT, "--app", cid.as_str()];
        let bad = dir.join("bad.json");
        std::fs::write(&bad, "indicator--1, not JSON").unwrap();
        let err = refused(dir, &data, &owner, &bad).await;
        assert!(err.contains("bad.json is not JSON"), "{err}");
        let page = dir.join("page.json");
        std::fs::write(&page, r#"{"value": []}"#).unwrap();
        let err = refused(dir, &data, &owner, &page).await;
        assert!(err.contains("cannot tell the format of"), "{err}");
        assert!(err.contains("found an object with keys value"), "{err}");
        let as_misp = [&owner[..], &["--format", "misp"]].concat();
        let err = refused(dir, &data, &as_misp, &file).await;
        assert!(err.contains("is not MISP JSON: expected a MISP event"), "{err}");
        let err = refused(dir, &data, &owner, &dir.join("missing.json")).await;
        assert!(err.contains("cannot read"), "{err}");

        let first = imported(dir, &data, &owner, &file).await;
        assert!(first.contains("imported 64 of 64 indicators"), "nothing before: {first}");
    }
}
