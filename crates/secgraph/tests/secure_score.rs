//! Secure score through the real binary: `serve --demo` serves 90 days of history ending at the
//! anchor (today), kept current by the snapshot job, with the demo tenant's decisions on its
//! profiles; `secgraph secure-score …` reports control states, changes settings and computes a
//! snapshot beside the running server, which then serves it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json_output, run_on, Data, Server};
use serde_json::Value;

const TENANT: &str = demo::DEMO_TENANT_ID;

fn today() -> String {
    model::secure_score::score::day_text(time::OffsetDateTime::now_utc().date())
}

testdb::conformance! {
    async fn the_demo_serves_history_and_the_cli_feeds_the_score() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let server = Server::start(dir.path(), &data, &["--demo", "--demo-count", "10"], &[]).await;
        let scores = "/v1.0/security/secureScores";
        assert_eq!(server.count("secureScores").await, 90);
        let latest = server.get_json(&format!("{scores}?$top=1")).await;
        let latest = &latest["value"][0];
        assert_eq!(latest["id"], format!("{TENANT}_{}", today()).as_str());
        assert_eq!((latest["licensedUserCount"].as_i64(), latest["activeUserCount"].as_i64()), (Some(250), Some(212)));
        assert_eq!(latest["averageComparativeScores"], serde_json::json!([]), "one tenant is no basis");
        let oldest = server.get_json(&format!("{scores}?$orderby=createdDateTime asc&$top=1")).await;
        assert!(oldest["value"][0]["currentScore"].as_f64() < latest["currentScore"].as_f64(), "the demo tenant improves");
        let wipe = server.get_json("/v1.0/security/secureScoreControlProfiles/MobileRemoteWipe").await;
        assert_eq!(wipe["controlStateUpdates"][0]["state"], "Ignored");
        let ignored = latest["controlScores"].as_array().unwrap().iter().find(|c| c["controlName"] == "MobileRemoteWipe").unwrap();
        assert_eq!(ignored["score"], 0.0);

        let cli = |args: &'static [&'static str]| {
            let (dir, data) = (dir.path().to_owned(), data.clone());
            async move {
                let mut all = vec!["secure-score"];
                all.extend_from_slice(args);
                let done = run_on(&dir, &data, &all, &[]).await;
                (done.status.success(), json_output_or_text(&all, &done))
            }
        };
        let (ok, out) = cli(&["report", "--tenant", TENANT, "--control", "adminMFA", "--score", "100"]).await;
        assert!(ok, "{out}");
        assert!(out.as_array().unwrap().iter().any(|s| s["controlName"] == "adminMFA" && s["source"] == "admin"));
        let (ok, out) = cli(&["report", "--tenant", TENANT, "--control", "NoSuchControl"]).await;
        assert!(!ok && out.as_str().unwrap().contains("not in the control catalogue"), "{out}");
        let (ok, out) = cli(&["settings", "--tenant", TENANT, "--industry", "Retail"]).await;
        assert!(ok && out["industry"] == "Retail" && out["licensedUserCount"] == 250, "{out}");
        let (ok, out) = cli(&["snapshot", "--tenant", TENANT]).await;
        assert!(ok, "{out}");
        let part = out["controlScores"].as_array().unwrap().iter().find(|c| c["controlName"] == "AdminMfa").unwrap().clone();
        assert_eq!(part["score"], 10.0, "{part}");
        let (ok, out) = cli(&["catalogue"]).await;
        assert!(ok && out["controls"].as_array().unwrap().len() >= 40);

        let served = server.get_json(&format!("{scores}/{TENANT}_{}", today())).await;
        let part = served["controlScores"].as_array().unwrap().iter().find(|c| c["controlName"] == "AdminMfa").unwrap().clone();
        assert_eq!(part["score"], 10.0);
        assert_eq!(server.count("secureScores").await, 90);
        server.stop().await;
    }
}

/// The JSON a command printed, or its stderr as a string when it failed.
fn json_output_or_text(what: &[&str], done: &common::Finished) -> Value {
    match done.status.success() {
        true => json_output(what, done),
        false => Value::from(done.stderr.clone()),
    }
}
