//! `secgraph serve --demo` as a real process: the banner and its curl line, health, determinism across
//! data directories, idempotent restarts, `--demo-count`, and what it writes to a redirected stderr.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Data, Server, ANCHOR};
use reqwest::StatusCode;
use serde_json::Value;

/// The URL inside `try: curl -s '...'`.
fn curl_url(line: &str) -> String {
    let rest = line.strip_prefix("try: curl -s '").expect("curl line");
    rest.strip_suffix('\'').expect("closing quote").to_owned()
}

testdb::conformance! {
    async fn demo_banner_prints_the_url_and_a_curl_that_works() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let server =
            Server::start(dir.path(), &data, &["--demo", "--demo-anchor", ANCHOR], &[]).await;
        let banner = &server.banner;
        assert_eq!(banner.len(), 4, "{banner:?}");
        assert!(
            server.url.starts_with("http://127.0.0.1:"),
            "{}",
            server.url
        );
        assert_ne!(server.url, "http://127.0.0.1:0");
        assert!(
            banner[0].contains(&format!("{0}/v1.0 and {0}/beta", server.url)),
            "{banner:?}"
        );
        assert!(
            banner[1].starts_with("demo tenant ")
                && banner[1].contains("loaded: 640 alerts (640 new, 0 unchanged)")
                && banner[1].ends_with("anchor 2026-11-01T00:00:00.0000000Z"),
            "{banner:?}"
        );

        assert!(banner[2].starts_with("admin API: "), "{banner:?}");
        let url = curl_url(&banner[3]);
        assert!(url.starts_with(&format!("{}/v1.0/", server.url)), "{url}");
        let reply = common::client().get(&url).send().await.unwrap();
        assert_eq!(reply.status(), StatusCode::OK);
        let page: Value = reply.json().await.unwrap();
        let count = page["@odata.count"].as_u64().expect("@odata.count");
        let alerts = page["value"].as_array().unwrap();
        assert!(
            count > 0 && !alerts.is_empty() && alerts.len() <= 5,
            "{page}"
        );
        for a in alerts {
            assert_eq!(
                (&a["severity"], &a["status"]),
                (&"high".into(), &"new".into())
            );
        }

        let (status, _) = server.get("/healthz").await;
        assert_eq!(status, StatusCode::OK);
        server.stop().await;
    }

    async fn same_anchor_gives_byte_identical_alerts_on_fresh_data_dirs() {
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let args = ["--demo", "--demo-anchor", ANCHOR];
        let (data_one, data_two) = (Data::new(one.path()), Data::new(two.path()));
        let (a, b) = tokio::join!(
            Server::start(one.path(), &data_one, &args, &[]),
            Server::start(two.path(), &data_two, &args, &[]),
        );
        assert_ne!(a.url, b.url);
        let path = "/v1.0/security/alerts_v2?$top=1000";
        let ((sa, body_a), (sb, body_b)) = tokio::join!(a.get(path), b.get(path));
        assert_eq!((sa, sb), (StatusCode::OK, StatusCode::OK));
        let body_a = body_a.replace(&a.url, "http://HOST");
        let body_b = body_b.replace(&b.url, "http://HOST");
        let page: Value = serde_json::from_str(&body_a).unwrap();
        assert_eq!(page["value"].as_array().unwrap().len(), 640);
        assert!(
            body_a == body_b,
            "bodies differ ({} vs {} bytes)",
            body_a.len(),
            body_b.len()
        );
        tokio::join!(a.stop(), b.stop());
    }

    async fn restarting_with_demo_on_the_same_data_dir_adds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        // One public URL for both runs (each binds a new port): alerts link to their incident there.
        let args = ["--demo", "--demo-anchor", ANCHOR, "--public-url", "http://secgraph.test"];
        let first = Server::start(dir.path(), &data, &args, &[]).await;
        let before = first.count("alerts_v2").await;
        assert_eq!(before, 640);
        first.stop().await;

        let again = Server::start(dir.path(), &data, &args, &[]).await;
        assert!(
            again.banner[1].contains("loaded: 640 alerts (0 new, 640 unchanged)"),
            "{:?}",
            again.banner
        );
        assert_eq!(again.count("alerts_v2").await, before);
        assert_eq!(again.count("alerts").await, before);
        again.stop().await;
    }

    async fn demo_count_sets_the_number_of_alerts() {
        let dir = tempfile::tempdir().unwrap();
        let args = ["--demo", "--demo-anchor", ANCHOR, "--demo-count", "50"];
        let server = Server::start(dir.path(), &Data::new(dir.path()), &args, &[]).await;
        assert!(
            server.banner[1].contains("loaded: 50 alerts (50 new, 0 unchanged)"),
            "{:?}",
            server.banner
        );
        assert_eq!(server.count("alerts_v2").await, 50);
        let page = server.get_json("/v1.0/security/alerts_v2?$top=1000").await;
        assert_eq!(page["value"].as_array().unwrap().len(), 50);
        server.stop().await;
    }

    async fn server_log_has_no_ansi_escapes_when_stderr_is_not_a_terminal() {
        let dir = tempfile::tempdir().unwrap();
        let server = Server::start(dir.path(), &Data::new(dir.path()), &[], &[]).await;
        let (status, _) = server.get("/healthz").await;
        assert_eq!(status, StatusCode::OK);
        let proc = server.stop().await;
        let log = proc.stderr();
        assert!(log.contains("AUTHENTICATION IS OFF"), "{log}");
        assert!(log.contains("in-flight requests finished"), "{log}");
        assert!(
            !log.contains('\u{1b}'),
            "escape sequences in the log:\n{log}"
        );
    }

    /// With `--public-url` the listening line printed the public URL instead of the bound address, so the
    /// port picked for `:0` was shown nowhere; a trailing `/` doubled the slash before `/v1.0`.
    async fn public_url_banner_still_names_the_bound_address() {
        let dir = tempfile::tempdir().unwrap();
        let args = ["--public-url", "https://graph.example.test/"];
        let server = Server::start(dir.path(), &Data::new(dir.path()), &args, &[]).await;
        assert!(
            server.url.starts_with("http://127.0.0.1:"),
            "{:?}",
            server.banner
        );
        let banner = server.banner.join("\n");
        assert!(
            banner.contains("https://graph.example.test/v1.0 and"),
            "{banner}"
        );
        assert!(!banner.contains("test//"), "{banner}");
        let page = server.get_json("/v1.0/security/alerts_v2?$top=1").await;
        let context = page["@odata.context"].as_str().unwrap();
        assert!(
            context.starts_with("https://graph.example.test/v1.0/$metadata"),
            "{context}"
        );
        server.stop().await;
    }
}
