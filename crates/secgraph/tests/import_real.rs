//! Real-world exports (MIT-licensed, see `tests/fixtures/NOTICE.md`) through `secgraph import`, then
//! served: the cli-microsoft365 legacy alerts from four providers and the alerts the demisto Graph
//! Security integration is tested with (legacy and alerts_v2 shapes), all in one tenant.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{fixture, ids_in, import, Data, Server};
use serde_json::Value;
use std::path::PathBuf;

const TENANT: &str = "fabrikam";

/// The fixtures and the alerts each holds.
fn sources() -> Vec<(PathBuf, Vec<Value>)> {
    [
        "legacy-alerts-list_4-providers_cli-microsoft365.json",
        "legacy-alerts_demisto.json",
        "alerts-v2_demisto.json",
    ]
    .into_iter()
    .map(|name| {
        let path = fixture(name);
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let alerts = match doc {
            Value::Array(items) => items,
            page => page["value"].as_array().unwrap().clone(),
        };
        (path, alerts)
    })
    .collect()
}

testdb::conformance! {
    async fn real_world_exports_are_imported_and_served_in_both_views() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let sources = sources();
        let mut all = Vec::new();
        for (path, alerts) in &sources {
            let done = import(dir.path(), TENANT, path, &data).await;
            let summary = format!("imported {} alerts", alerts.len());
            assert!(done.stdout.contains(&summary), "{}", done.stdout);
            assert!(done.stdout.contains("; skipped 0"), "{}", done.stdout);
            all.extend(alerts.iter().cloned());
        }
        let expected = ids_in(&all);
        // demisto's two alerts_v2 records share the placeholder id "pid".
        assert_eq!(expected.len(), all.len() - 1);

        let env = [("SECGRAPH_DEFAULT_TENANT", TENANT)];
        let server = Server::start(dir.path(), &data, &[], &env).await;
        assert_eq!(server.ids("alerts_v2").await, expected);
        assert_eq!(server.ids("alerts").await, expected);
        for id in &expected {
            let legacy = server
                .get_json(&format!("/beta/security/alerts/{id}"))
                .await;
            assert_eq!(legacy["id"], id.as_str());
            assert!(
                legacy["vendorInformation"]["provider"].is_string(),
                "{legacy}"
            );
        }
        // Of two records with one id, the later in the file is kept.
        let pid = server.get_json("/v1.0/security/alerts_v2/pid").await;
        assert_eq!(pid["status"], "resolved");
        assert_eq!(pid["title"], "Automated investigation started manually");
        let resolved = server
            .get_json("/v1.0/security/alerts?$filter=status%20eq%20%27resolved%27&$select=id")
            .await;
        let resolved = ids_in(resolved["value"].as_array().unwrap());
        assert_eq!(resolved, ["da637226278996299656_1986871053", "pid"]);
        server.stop().await;

        for (path, alerts) in &sources[..2] {
            let again = import(dir.path(), TENANT, path, &data).await;
            let unchanged = format!("(0 new, 0 updated, {} unchanged)", alerts.len());
            assert!(again.stdout.contains(&unchanged), "{}", again.stdout);
        }
    }
}
