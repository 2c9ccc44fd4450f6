//! Operations of the real binary on both backends: `serve --log-format json` writes one JSON
//! object per stderr line; `/readyz` answers 200 once the server runs its workers; `/metrics` is
//! served on the API's listener, or only on `--metrics-listen` when that is given, or not at all
//! with `SECGRAPH_METRICS=false`; `config print-default` prints a file the server starts with.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{client, run, Data, Server};
use reqwest::StatusCode;
use serde_json::Value;

/// The stderr lines of `server` parsed as JSON (panics on a line that is not JSON).
fn json_lines(server: &Server) -> Vec<Value> {
    let stderr = server.proc.stderr();
    stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

testdb::conformance! {
    async fn json_logs_readiness_and_metrics_on_the_api_listener() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let server = Server::start(dir.path(), &data, &["--log-format", "json"], &[]).await;
        let (status, body) = server.get("/readyz").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ready"));
        assert_eq!(server.get("/healthz").await.0, StatusCode::OK);
        assert_eq!(server.get("/v1.0/security/alerts_v2").await.0, StatusCode::OK);
        let (status, metrics) = server.get("/metrics").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            metrics.contains(
                "secgraph_http_requests_total{method=\"GET\",route=\"/v1.0/security/alerts_v2\",status=\"200\"} 1"
            ),
            "{metrics}"
        );
        server.proc.wait_stderr("\"request\"").await;
        let lines = json_lines(&server);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|l| l["level"].is_string() && l["timestamp"].is_string()), "{lines:?}");
        let request = lines
            .iter()
            .find(|l| l["fields"]["message"] == "request" && l["fields"]["path"] == "/readyz")
            .unwrap_or_else(|| panic!("no request line for /readyz: {lines:?}"));
        assert_eq!(request["fields"]["status"], 200);
    }

    async fn metrics_listen_moves_metrics_off_the_api_listener() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let args = ["--log-format", "json", "--metrics-listen", "127.0.0.1:0"];
        let server = Server::start(dir.path(), &data, &args, &[]).await;
        server.proc.wait_stderr("serving /metrics").await;
        let address = json_lines(&server)
            .into_iter()
            .find(|l| l["fields"]["message"] == "serving /metrics")
            .map(|l| l["fields"]["address"].as_str().unwrap().to_owned())
            .unwrap();
        let (status, body) = server.get("/metrics").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let reply = client().get(format!("http://{address}/metrics")).send().await.unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
        let text = reply.text().await.unwrap();
        assert!(text.contains("secgraph_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"), "{text}");
        let health = client().get(format!("http://{address}/healthz")).send().await.unwrap();
        assert_eq!(health.status(), StatusCode::OK);
    }

    async fn metrics_can_be_turned_off() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let server = Server::start(dir.path(), &data, &[], &[("SECGRAPH_METRICS", "false")]).await;
        assert_eq!(server.get("/metrics").await.0, StatusCode::NOT_FOUND);
        assert_eq!(server.get("/readyz").await.0, StatusCode::OK);
    }

    async fn the_printed_default_configuration_starts_a_server() {
        let dir = tempfile::tempdir().unwrap();
        let printed = run(dir.path(), &["config", "print-default"], &[]).await;
        assert!(printed.status.success(), "{}", printed.stderr);
        let text = printed.stdout;
        assert!(text.contains("log_format = \"text\"") && text.contains("[correlation]"), "{text}");
        let file = dir.path().join("secgraph.toml");
        std::fs::write(&file, &text).unwrap();
        let data = Data::new(dir.path());
        let config = file.to_str().unwrap();
        let server = Server::start(dir.path(), &data, &["--config", config], &[]).await;
        assert_eq!(server.get("/readyz").await.0, StatusCode::OK);
    }
}
