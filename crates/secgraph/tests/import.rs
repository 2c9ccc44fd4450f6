//! `secgraph import` as a real process: NDJSON with bad lines, a JSON array, a Graph page and legacy
//! alerts, then served (no `--demo`) and listed through both views; re-importing changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fixture, ids_in, import, Data, Server};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The tenant the tests import into; the server is told to serve it.
const TENANT: &str = "contoso";

fn alert(id: &str, day: u32) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.security.alert",
        "id": id,
        "title": format!("Imported {id}"),
        "severity": "high",
        "status": "new",
        "createdDateTime": format!("2026-10-{day:02}T08:00:00Z"),
        "lastUpdateDateTime": format!("2026-10-{day:02}T09:00:00Z"),
        "productName": "Suricata",
        "evidence": []
    })
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `text` as Graph writes a date-time: seven fractional digits.
fn graph_time(text: &str) -> String {
    let text = text.trim_end_matches('Z');
    let (seconds, fraction) = text.split_once('.').unwrap_or((text, ""));
    format!("{seconds}.{fraction:0<7}Z")
}

/// Serves `data` for [`TENANT`].
async fn serve(dir: &Path, data: &Data) -> Server {
    Server::start(dir, data, &[], &[("SECGRAPH_DEFAULT_TENANT", TENANT)]).await
}

/// Asserts both views list exactly `ids`, and each alert reads back by id in both.
async fn assert_listed(server: &Server, ids: &[String]) {
    assert_eq!(server.ids("alerts_v2").await, ids);
    assert_eq!(server.ids("alerts").await, ids);
    for id in ids {
        let v2 = server
            .get_json(&format!("/v1.0/security/alerts_v2/{id}"))
            .await;
        assert_eq!(v2["id"], id.as_str());
        let legacy = server
            .get_json(&format!("/v1.0/security/alerts/{id}"))
            .await;
        assert_eq!(legacy["id"], id.as_str());
    }
}

testdb::conformance! {
    async fn ndjson_bad_lines_are_reported_by_number_and_good_lines_kept() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let lines = [
            alert("nd-1", 1).to_string(),
            "this is not JSON".to_owned(),
            json!({"id": "nd-undated", "title": "no createdDateTime"}).to_string(),
            "[1, 2, 3]".to_owned(),
            alert("nd-2", 2).to_string(),
            String::new(),
            alert("nd-3", 3).to_string(),
        ];
        let file = write(dir.path(), "alerts.ndjson", &(lines.join("\n") + "\n"));
        let done = import(dir.path(), TENANT, &file, &data).await;
        let out = done.stdout;
        assert!(
            out.contains("imported 3 alerts (3 new, 0 updated, 0 unchanged); skipped 3"),
            "{out}"
        );
        assert!(out.contains("skipped line 2: not JSON"), "{out}");
        assert!(
            out.contains("skipped line 3: createdDateTime is required"),
            "{out}"
        );
        assert!(
            out.contains("skipped line 4: an alert must be a JSON object"),
            "{out}"
        );
        assert!(
            !out.contains("line 6"),
            "a blank line is not a record: {out}"
        );

        let server = serve(dir.path(), &data).await;
        assert_listed(&server, &["nd-1".into(), "nd-2".into(), "nd-3".into()]).await;
        let one = server.get_json("/v1.0/security/alerts_v2/nd-2").await;
        assert_eq!(one["title"], "Imported nd-2");
        assert_eq!(one["createdDateTime"], "2026-10-02T08:00:00.0000000Z");
        server.stop().await;

        let again = import(dir.path(), TENANT, &file, &data).await;
        assert!(
            again
                .stdout
                .contains("imported 3 alerts (0 new, 0 updated, 3 unchanged); skipped 3"),
            "{}",
            again.stdout
        );
    }

    async fn json_array_is_imported() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let alerts = vec![
            alert("arr-1", 4),
            alert("arr-2", 5),
            json!({"title": "undated"}),
        ];
        let text = serde_json::to_string_pretty(&alerts).unwrap();
        let file = write(dir.path(), "alerts.json", &text);
        let done = import(dir.path(), TENANT, &file, &data).await;
        assert!(
            done.stdout
                .contains("imported 2 alerts (2 new, 0 updated, 0 unchanged); skipped 1"),
            "{}",
            done.stdout
        );
        assert!(
            done.stdout
                .contains("skipped item 2: createdDateTime is required"),
            "{}",
            done.stdout
        );
        let server = serve(dir.path(), &data).await;
        assert_listed(&server, &["arr-1".into(), "arr-2".into()]).await;
        server.stop().await;
        let again = import(dir.path(), TENANT, &file, &data).await;
        assert!(
            again.stdout.contains("(0 new, 0 updated, 2 unchanged)"),
            "{}",
            again.stdout
        );
    }

    async fn graph_page_is_imported() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        // A page as Graph returns it (Microsoft's documented response), and one written by hand
        // with its paging annotations.
        let docs = fixture("alert-v2-list-response.json");
        let done = import(dir.path(), TENANT, &docs, &data).await;
        assert!(
            done.stdout
                .contains("(1 new, 0 updated, 0 unchanged); skipped 0"),
            "{}",
            done.stdout
        );
        let page = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2",
            "@odata.nextLink": "https://graph.microsoft.com/v1.0/security/alerts_v2?$skiptoken=x",
            "value": [alert("page-1", 6), alert("page-2", 7)]
        });
        let file = write(dir.path(), "page.json", &page.to_string());
        let done = import(dir.path(), TENANT, &file, &data).await;
        assert!(
            done.stdout
                .contains("(2 new, 0 updated, 0 unchanged); skipped 0"),
            "{}",
            done.stdout
        );

        let expected = vec![
            "da637551227677560813_-961444813".to_owned(),
            "page-1".to_owned(),
            "page-2".to_owned(),
        ];
        let server = serve(dir.path(), &data).await;
        assert_listed(&server, &expected).await;
        let docs_alert = server
            .get_json("/v1.0/security/alerts_v2/da637551227677560813_-961444813")
            .await;
        assert_eq!(docs_alert["title"], "Suspicious execution of hidden file");
        server.stop().await;
        for file in [docs, file] {
            let again = import(dir.path(), TENANT, &file, &data).await;
            assert!(
                again.stdout.contains("(0 new, 0 updated,"),
                "{}",
                again.stdout
            );
        }
    }

    async fn legacy_shape_alerts_are_imported_and_listed_in_both_views() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let file = fixture("legacy-alerts-list_4-providers_cli-microsoft365.json");
        let done = import(dir.path(), TENANT, &file, &data).await;
        assert!(
            done.stdout
                .contains("imported 4 alerts (4 new, 0 updated, 0 unchanged); skipped 0"),
            "{}",
            done.stdout
        );

        let source: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let source = source["value"].as_array().unwrap();
        let server = serve(dir.path(), &data).await;
        assert_listed(&server, &ids_in(source)).await;
        for original in source {
            let id = original["id"].as_str().unwrap();
            let legacy = server
                .get_json(&format!("/v1.0/security/alerts/{id}"))
                .await;
            for key in ["title", "severity", "status", "vendorInformation"] {
                assert_eq!(legacy[key], original[key], "{id}: {key}");
            }
            let created = original["createdDateTime"].as_str().unwrap();
            assert_eq!(legacy["createdDateTime"], graph_time(created), "{id}");
        }
        server.stop().await;
        let again = import(dir.path(), TENANT, &file, &data).await;
        assert!(
            again.stdout.contains("(0 new, 0 updated, 4 unchanged)"),
            "{}",
            again.stdout
        );
    }

    /// Without `SECGRAPH_DEFAULT_TENANT` the server serves the demo tenant; alerts imported into it
    /// are listed with the demo's.
    async fn import_into_the_demo_tenant_is_served_beside_the_demo() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let args = [
            "--demo",
            "--demo-anchor",
            common::ANCHOR,
            "--demo-count",
            "10",
        ];
        let demo = Server::start(dir.path(), &data, &args, &[]).await;
        let banner = demo.banner[1].clone();
        demo.stop().await;
        let tenant = banner
            .strip_prefix("demo tenant ")
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap();

        let file = write(
            dir.path(),
            "one.ndjson",
            &(alert("beside-demo", 8).to_string() + "\n"),
        );
        import(dir.path(), tenant, &file, &data).await;
        let server = Server::start(dir.path(), &data, &[], &[]).await;
        assert_eq!(server.count("alerts_v2").await, 11);
        assert_eq!(server.count("alerts").await, 11);
        let legacy = server.get_json("/v1.0/security/alerts/beside-demo").await;
        assert_eq!(legacy["id"], "beside-demo");
        server.stop().await;
    }
}
