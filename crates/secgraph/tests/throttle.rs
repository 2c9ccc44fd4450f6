//! Throttling in the real binary: `[throttle]` limits from the configuration file apply per
//! application per tenant, `--no-throttle` switches them off, and a bad limit is refused at start
//! naming its key.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{client, run, Data, Server};
use std::path::Path;

const LEGACY: &str = "/v1.0/security/alerts?$top=1";

fn config_file(dir: &Path, text: &str) -> String {
    let path = dir.join("secgraph.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Status and `x-ratelimit-remaining` of `n` GETs of `path`.
async fn statuses(server: &Server, path: &str, n: usize) -> Vec<(u16, Option<String>)> {
    let http = client();
    let mut out = Vec::new();
    for _ in 0..n {
        let r = http
            .get(format!("{}{path}", server.url))
            .send()
            .await
            .unwrap();
        let remaining = r
            .headers()
            .get("x-ratelimit-remaining")
            .map(|v| v.to_str().unwrap().to_owned());
        out.push((r.status().as_u16(), remaining));
    }
    out
}

// Single-backend (SQLite): the throttle is in memory; the store only serves the requests.
#[tokio::test]
async fn the_file_sets_limits_and_no_throttle_turns_them_off() {
    let dir = tempfile::tempdir().unwrap();
    let file = config_file(
        dir.path(),
        "[throttle.limits]\nlegacy_alerts = { rates = [{ requests = 2, window_seconds = 60 }] }\n",
    );
    let data = Data::new(dir.path());
    let mut args = vec!["--config", file.as_str()];
    let server = Server::start(dir.path(), &data, &args, &[]).await;
    let got = statuses(&server, LEGACY, 3).await;
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(got, [(200, some("1")), (200, some("0")), (429, some("0"))]);
    server.stop().await;

    args.push("--no-throttle");
    let server = Server::start(dir.path(), &data, &args, &[]).await;
    let got = statuses(&server, LEGACY, 5).await;
    assert!(got.iter().all(|g| *g == (200, None)), "{got:?}");
    server.stop().await;
}

// Single-backend (SQLite): configuration only (refused before the store opens).
#[tokio::test]
async fn a_rate_of_zero_is_refused_naming_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = config_file(
        dir.path(),
        "[throttle.apps.\"app-1\"]\nti_indicators = { rates = [{ requests = 0, window_seconds = 60 }] }\n",
    );
    let done = run(dir.path(), &["serve", "--config", &file], &[]).await;
    assert!(!done.status.success());
    assert!(
        done.stderr
            .contains("throttle.apps.\"app-1\".ti_indicators"),
        "{}",
        done.stderr
    );
    let unknown = config_file(
        dir.path(),
        "[throttle.limits]\nalerts = { concurrent = 1 }\n",
    );
    let done = run(dir.path(), &["serve", "--config", &unknown], &[]).await;
    assert!(!done.status.success());
    assert!(done.stderr.contains("alerts_v2"), "{}", done.stderr);
}
