//! Configuration of the real binary: `--auth none` stays on loopback, and the layers (defaults < TOML
//! file < `SECGRAPH_*` environment < flags) apply in that order, with unknown keys refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{run, Data, Secgraph, Server};
use reqwest::{Method, StatusCode};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

// Single-backend (SQLite): configuration only (refused before the store opens).
#[tokio::test]
async fn auth_none_refuses_a_non_loopback_address() {
    let dir = tempfile::tempdir().unwrap();
    for listen in ["0.0.0.0:0", "[::]:0"] {
        let args = [
            "serve",
            "--auth",
            "none",
            "--listen",
            listen,
            "--data-dir",
            "data",
        ];
        let done = run(dir.path(), &args, &[]).await;
        assert!(!done.status.success(), "{listen}: {}", done.stdout);
        assert!(
            done.stderr.contains("loopback"),
            "{listen}: {}",
            done.stderr
        );
        assert!(done.stdout.is_empty(), "announced anyway: {}", done.stdout);
    }
    let from_env = run(
        dir.path(),
        &["serve", "--data-dir", "data"],
        &[("SECGRAPH_LISTEN", "0.0.0.0:0"), ("SECGRAPH_AUTH", "none")],
    )
    .await;
    assert!(!from_env.status.success());
    assert!(from_env.stderr.contains("loopback"), "{}", from_env.stderr);
}

// Single-backend (SQLite): configuration only (the listen address).
#[tokio::test]
async fn secgraph_listen_env_sets_the_address() {
    let dir = tempfile::tempdir().unwrap();
    // 127.0.0.2 is loopback but not the default, so only the variable can have chosen it.
    let proc = Secgraph::spawn(
        dir.path(),
        &["serve", "--data-dir", "data"],
        &[("SECGRAPH_LISTEN", "127.0.0.2:0")],
    );
    let server = Server::announced(proc).await;
    assert!(
        server.url.starts_with("http://127.0.0.2:"),
        "{}",
        server.url
    );
    assert_eq!(server.get("/healthz").await.0, StatusCode::OK);
    server.stop().await;
}

// Single-backend (SQLite): configuration only (refused before the store opens).
#[tokio::test]
async fn unknown_key_in_the_config_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "secgraph.toml",
        "listen = \"127.0.0.1:0\"\nlisten_port = 8080\n",
    );
    let done = run(dir.path(), &["serve", "--config", &file], &[]).await;
    assert!(!done.status.success());
    for part in ["unknown field", "listen_port", "secgraph.toml"] {
        assert!(done.stderr.contains(part), "{part}: {}", done.stderr);
    }
    assert!(done.stdout.is_empty(), "{}", done.stdout);
}

// Single-backend (SQLite): configuration only (refused before the store opens).
#[tokio::test]
async fn missing_config_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let done = run(dir.path(), &["serve", "--config", "absent.toml"], &[]).await;
    assert!(!done.status.success());
    assert!(done.stderr.contains("absent.toml"), "{}", done.stderr);
}

// Single-backend (SQLite): configuration and the default SQLite file in the data directory.
#[tokio::test]
async fn flag_overrides_the_file_and_the_file_sets_what_flags_leave_out() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "secgraph.toml",
        "listen = \"0.0.0.0:9\"\ndata_dir = \"from-file\"\nauth = \"none\"\n",
    );
    let refused = run(dir.path(), &["serve", "--config", &file], &[]).await;
    assert!(!refused.status.success(), "the file's address is used");
    assert!(refused.stderr.contains("0.0.0.0:9"), "{}", refused.stderr);

    let args = ["serve", "--config", &file, "--listen", "127.0.0.1:0"];
    let server = Server::announced(Secgraph::spawn(dir.path(), &args, &[])).await;
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    server.stop().await;
    assert!(dir.path().join("from-file/secgraph.sqlite").exists());
}

// Single-backend (SQLite): configuration only (the listen address).
#[tokio::test]
async fn environment_overrides_the_file_and_flags_override_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "secgraph.toml",
        "listen = \"0.0.0.0:9\"\nauth = \"none\"\n",
    );
    let env = [("SECGRAPH_LISTEN", "127.0.0.2:0")];
    let args = ["serve", "--config", &file, "--data-dir", "data"];
    let server = Server::announced(Secgraph::spawn(dir.path(), &args, &env)).await;
    assert!(
        server.url.starts_with("http://127.0.0.2:"),
        "{}",
        server.url
    );
    server.stop().await;

    let env = [("SECGRAPH_LISTEN", "0.0.0.0:9"), ("SECGRAPH_AUTH", "none")];
    let args = ["serve", "--data-dir", "data", "--listen", "127.0.0.1:0"];
    let server = Server::announced(Secgraph::spawn(dir.path(), &args, &env)).await;
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    server.stop().await;
}

// Single-backend (SQLite): configuration only (refused before the store opens).
#[tokio::test]
async fn invalid_environment_value_names_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["serve", "--data-dir", "data"];
    for (var, value) in [
        ("SECGRAPH_LISTEN", "nonsense"),
        ("SECGRAPH_MAX_BODY_BYTES", "lots"),
    ] {
        let done = run(dir.path(), &args, &[(var, value)]).await;
        assert!(!done.status.success(), "{var}={value}");
        assert!(done.stderr.contains(var), "{var}: {}", done.stderr);
    }
}

testdb::conformance! {
    async fn max_body_bytes_from_the_environment_limits_request_bodies() {
        let dir = tempfile::tempdir().unwrap();
        let env = [("SECGRAPH_MAX_BODY_BYTES", "256")];
        let args = [
            "--demo",
            "--demo-anchor",
            common::ANCHOR,
            "--demo-count",
            "5",
        ];
        let server = Server::start(dir.path(), &Data::new(dir.path()), &args, &env).await;
        let page = server
            .get_json("/v1.0/security/alerts_v2?$top=1&$select=id")
            .await;
        let id = page["value"][0]["id"].as_str().unwrap();
        let body = serde_json::json!({"assignedTo": "x".repeat(1000)});
        let reply = server
            .request(Method::PATCH, &format!("/v1.0/security/alerts_v2/{id}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), StatusCode::PAYLOAD_TOO_LARGE);
        server.stop().await;
    }

    /// figment's `Env` guessed value types, so `SECGRAPH_DEFAULT_TENANT=12345` became a number and
    /// the server refused to start ("expected a string"). The second start takes its database from
    /// `SECGRAPH_DATABASE_URL`, so the data directory `2024` holds only the admin credential.
    async fn numeric_default_tenant_from_the_environment_is_a_string() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let file = common::fixture("alert-v2-list-response.json");
        common::import(dir.path(), "12345", &file, &data).await;
        let env = [("SECGRAPH_DEFAULT_TENANT", "12345")];
        let server = Server::start(dir.path(), &data, &[], &env).await;
        assert_eq!(
            server.ids("alerts_v2").await,
            ["da637551227677560813_-961444813"]
        );
        server.stop().await;
        let env = [
            ("SECGRAPH_DATA_DIR", "2024"),
            ("SECGRAPH_DATABASE_URL", data.db().url()),
            ("SECGRAPH_LISTEN", "127.0.0.1:0"),
        ];
        let server = Server::announced(Secgraph::spawn(dir.path(), &["serve"], &env)).await;
        server.stop().await;
        assert!(dir.path().join("2024/admin-token").exists());
    }
}
