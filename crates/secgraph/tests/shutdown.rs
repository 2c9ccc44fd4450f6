//! Graceful shutdown of `secgraph serve`: SIGTERM lets in-flight requests finish, the exit is a
//! success, what was written survives a restart, and a signal sent as soon as the server announces
//! itself is handled like any other.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Data, Secgraph, Server, ANCHOR};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Alerts in the demo of the in-flight test: one page of the largest `$top` is several megabytes,
/// more than the socket buffers hold, so the server is still writing while the client waits.
const MANY: usize = 2000;

testdb::conformance! {
    async fn sigterm_finishes_in_flight_requests_and_exits_zero() {
        let dir = tempfile::tempdir().unwrap();
        let count = MANY.to_string();
        let args = ["--demo", "--demo-anchor", ANCHOR, "--demo-count", &count];
        let mut server = Server::start(dir.path(), &Data::new(dir.path()), &args, &[]).await;
        // No gzip: the bodies must stay large on the wire.
        let http = reqwest::Client::builder()
            .no_proxy()
            .no_gzip()
            .build()
            .unwrap();
        let url = format!("{}/v1.0/security/alerts_v2?$top={MANY}", server.url);
        let mut replies = Vec::new();
        for _ in 0..3 {
            let mut reply = http.get(&url).send().await.unwrap();
            assert_eq!(reply.status(), StatusCode::OK);
            let first = reply.chunk().await.unwrap().expect("a first chunk");
            replies.push((reply, first.to_vec()));
        }

        server.proc.terminate();
        server.proc.wait_stderr("shutdown signal received").await;
        assert!(
            !server.proc.has_exited(),
            "exited with responses unfinished\n{}",
            server.proc.report()
        );
        for (mut reply, mut body) in replies {
            while let Some(chunk) = reply.chunk().await.unwrap() {
                body.extend_from_slice(&chunk);
            }
            let page: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(page["value"].as_array().unwrap().len(), MANY);
        }
        let status = server.proc.wait_exit().await;
        assert!(status.success(), "exit {status}\n{}", server.proc.report());
        assert!(server.proc.stderr().contains("in-flight requests finished"));
    }

    async fn writes_before_sigterm_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let args = ["--demo", "--demo-anchor", ANCHOR, "--demo-count", "50"];
        let server = Server::start(dir.path(), &data, &args, &[]).await;
        let page = server
            .get_json("/v1.0/security/alerts_v2?$top=1&$select=id")
            .await;
        let id = page["value"][0]["id"].as_str().unwrap().to_owned();
        let path = format!("/v1.0/security/alerts_v2/{id}");
        let patch = json!({"status": "resolved", "classification": "truePositive",
            "determination": "malware", "assignedTo": "secops@contoso.com"});
        let reply = server
            .request(Method::PATCH, &path)
            .json(&patch)
            .send()
            .await
            .unwrap();
        assert_eq!(
            reply.status(),
            StatusCode::OK,
            "{}",
            reply.text().await.unwrap()
        );
        let comment = json!({"@odata.type": "microsoft.graph.security.alertComment",
            "comment": "Contained; host reimaged."});
        let reply = server
            .request(Method::POST, &format!("{path}/comments"))
            .json(&comment)
            .send()
            .await
            .unwrap();
        assert!(
            reply.status().is_success(),
            "{}",
            reply.text().await.unwrap()
        );
        server.stop().await;

        let again = Server::start(dir.path(), &data, &[], &[]).await;
        assert!(
            !again.banner.iter().any(|l| l.starts_with("demo tenant")),
            "no demo line: {:?}",
            again.banner
        );
        assert_eq!(again.count("alerts_v2").await, 50);
        let alert = again.get_json(&path).await;
        assert_eq!(alert["status"], "resolved");
        assert_eq!(alert["assignedTo"], "secops@contoso.com");
        let comments = alert["comments"].as_array().unwrap();
        assert!(
            comments
                .iter()
                .any(|c| c["comment"] == "Contained; host reimaged."),
            "{alert}"
        );
        again.stop().await;
    }

    /// Signal handlers used to be registered only when the server first polled its shutdown future,
    /// after the banner; a SIGTERM sent on seeing the banner could kill the process (exit by
    /// signal) instead of stopping it. Several rounds, because the window was short.
    async fn sigterm_right_after_the_listening_line_is_a_graceful_exit() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        for round in 0..15 {
            let args = ["serve", "--listen", "127.0.0.1:0"];
            let mut proc = Secgraph::spawn_on(dir.path(), &data, &args, &[]);
            proc.wait_stdout("the listening line", |l| {
                l.starts_with("secgraph listening on")
            })
            .await;
            proc.terminate();
            let status = proc.wait_exit().await;
            assert!(
                status.success(),
                "round {round}: exit {status}\n{}",
                proc.report()
            );
        }
    }
}
