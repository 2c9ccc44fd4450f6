//! Moving a deployment between stores (`store::transfer`): SQLite to PostgreSQL and back gives the
//! same checksums, identity ids are kept and new ones do not collide, a target holding a deployment
//! is refused unless forced, and a target row changed after copying fails the verification.
//!
//! The PostgreSQL parts skip with a notice without `SECGRAPH_TEST_POSTGRES_URL` (see `testdb`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use auth::Permission;
use model::{AlertId, StoredAlert, TenantId};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use store::identity::NewApplication;
use store::indicators::NewIndicator;
use store::transfer::{self, Progress, TableChecksum, TransferError, TransferOptions};
use store::{Clock, IngestOrigin, ManualClock, Store};
use testdb::{Backend, TestDatabase};
use time::macros::datetime;

fn tenant(n: u8) -> TenantId {
    TenantId(format!("00000000-0000-0000-0000-0000000000{n:02x}"))
}

/// A store on `backend` with a manual clock.
fn open(backend: Backend) -> (TestDatabase, Store, Arc<ManualClock>) {
    let db = TestDatabase::on(backend);
    let clock = Arc::new(ManualClock::new(datetime!(2024-06-01 12:00 UTC)));
    let store = db.open_store(clock.clone());
    (db, store, clock)
}

/// Alert ids whose bytewise order differs from a case-insensitive or locale order, so that both
/// backends must agree on the key order for keyset paging and checksums.
fn alert_id(i: usize) -> String {
    const PREFIXES: [&str; 6] = ["a", "B", "é", "Z", "_", "ä"];
    format!("{}-{i:04}", PREFIXES[i % PREFIXES.len()])
}

fn alert(id: &str, i: usize) -> StoredAlert {
    let severity = ["low", "medium", "high"][i % 3];
    serde_json::from_value(json!({
        "alert": {
            "id": id, "title": format!("Alert {id} — ünïcode"), "severity": severity, "status": "new",
            "createdDateTime": format!("2024-05-{:02}T00:00:{:02}.1234567Z", 1 + i % 28, i % 60),
            "lastUpdateDateTime": "2024-05-30T00:00:00Z",
            "assignedTo": if i % 4 == 0 { json!(null) } else { json!(format!("user{i}@example.com")) },
        },
        "vendor": {"provider": "Microsoft Defender ATP", "vendor": "Microsoft"},
        "legacy": {}
    }))
    .unwrap()
}

/// Fills every table: two tenants with alerts (and changes from updates), outbox rows with a gap in
/// their ids, two applications with secrets and consents, and rotated signing keys.
/// A minimal threat indicator on domain `n.example`.
fn indicator(n: usize, expiration: time::OffsetDateTime) -> NewIndicator {
    let doc = json!({"action": "alert", "domainName": format!("{n}.example")});
    NewIndicator {
        external_id: Some(format!("x-{n}")),
        action: Some("alert".into()),
        target_product: "Azure Sentinel".into(),
        threat_type: "Botnet".into(),
        expiration,
        doc: serde_json::from_value(doc).unwrap(),
    }
}

async fn fill(store: &Store, clock: &ManualClock, alerts: usize) {
    for n in [1, 2] {
        store
            .ensure_tenant(&tenant(n), &format!("Tenant {n}"))
            .await
            .unwrap();
    }
    let all: Vec<StoredAlert> = (0..alerts).map(|i| alert(&alert_id(i), i)).collect();
    let ts = store.tenant(&tenant(1));
    ts.ingest(all[..alerts / 2].to_vec(), IngestOrigin::Import)
        .await
        .unwrap();
    store
        .tenant(&tenant(2))
        .ingest(all[alerts / 2..].to_vec(), IngestOrigin::Import)
        .await
        .unwrap();
    clock.advance(Duration::from_secs(60));
    for i in (0..alerts / 2).step_by(7) {
        ts.update_alert(&AlertId(alert_id(i)), |a| {
            a.alert.status = model::enums::AlertStatus::Resolved;
            Ok(())
        })
        .await
        .unwrap();
    }
    let outbox = store.outbox();
    for n in 0..5 {
        outbox
            .enqueue(&tenant(1), "webhook", json!({"n": n}))
            .await
            .unwrap();
    }
    let claimed = outbox
        .claim(&["webhook"], 2, Duration::from_secs(30), "w")
        .await
        .unwrap();
    outbox.complete(claimed[0].id).await.unwrap();
    let indicators = ts.indicators_of("app");
    let created = indicators
        .create(
            (0..4)
                .map(|i| indicator(i, clock.now() + Duration::from_secs(3600)))
                .collect(),
        )
        .await
        .unwrap();
    indicators
        .delete(vec![created[0].id.clone()])
        .await
        .unwrap();
    let ids = store.identity();
    for (n, name) in [(1, "soar"), (2, "siem")] {
        let app = ids
            .create_application(NewApplication {
                home_tenant_id: tenant(n),
                display_name: name.into(),
                multi_tenant: n == 1,
                requested_permissions: vec![Permission::SecurityAlertReadAll],
            })
            .await
            .unwrap();
        ids.create_secret(&app.client_id, None).await.unwrap();
        ids.grant_consent(
            &tenant(n),
            &app.client_id,
            &[Permission::SecurityAlertReadAll],
        )
        .await
        .unwrap();
    }
    let first = ids.active_signing_key().await.unwrap();
    clock.advance(Duration::from_secs(3600));
    ids.rotate_signing_key().await.unwrap();
    ids.retire_signing_key(&first.kid).await.unwrap();
}

async fn migrate(
    source: &Store,
    target: &Store,
    options: &TransferOptions,
) -> Result<transfer::TransferReport, TransferError> {
    transfer::migrate(source, target, options, &mut |_| {}).await
}

fn batch(n: usize) -> TransferOptions {
    TransferOptions {
        batch: n,
        ..TransferOptions::default()
    }
}

/// The target's identity sequences continue after the copied ids.
async fn new_ids_follow_the_copied_ones(store: &Store, source: &[TableChecksum]) {
    let outbox = store.outbox();
    outbox
        .enqueue(&tenant(2), "webhook", json!({"new": true}))
        .await
        .unwrap();
    let all = outbox
        .claim(&["webhook"], 100, Duration::from_secs(30), "t")
        .await
        .unwrap();
    let newest = all.iter().max_by_key(|i| i.id).unwrap();
    assert_eq!(newest.payload, json!({"new": true}), "{all:?}");
    let keys = store.identity().signing_keys().await.unwrap().len();
    store.identity().rotate_signing_key().await.unwrap();
    assert_eq!(
        store.identity().signing_keys().await.unwrap().len(),
        keys + 1
    );
    let rows = |t: &str| source.iter().find(|c| c.table == t).unwrap().rows;
    assert_eq!(rows("outbox"), 4);
    assert_eq!(rows("signing_keys"), 2);
}

#[test]
fn sqlite_to_postgres_and_back_gives_identical_checksums() {
    testdb::run("sqlite_to_postgres_and_back", Backend::Postgres, || async {
        let (_a, sqlite, clock) = open(Backend::Sqlite);
        fill(&sqlite, &clock, 300).await;
        let (_b, postgres, _) = open(Backend::Postgres);
        let (_c, back, _) = open(Backend::Sqlite);
        let there = migrate(&sqlite, &postgres, &batch(64)).await.unwrap();
        let again = migrate(&postgres, &back, &batch(1000)).await.unwrap();
        let sums = transfer::checksums(&sqlite).await.unwrap();
        assert_eq!(transfer::checksums(&postgres).await.unwrap(), sums);
        assert_eq!(transfer::checksums(&back).await.unwrap(), sums);
        assert_eq!(there.rows(), again.rows());
        let reported: Vec<(&str, u64, &str)> = there
            .tables
            .iter()
            .map(|t| (t.table.as_str(), t.rows, t.sha256.as_str()))
            .collect();
        let expected: Vec<(&str, u64, &str)> = sums
            .iter()
            .map(|c| (c.table.as_str(), c.rows, c.sha256.as_str()))
            .collect();
        assert_eq!(reported, expected);
        let alerts = sums.iter().find(|c| c.table == "alerts").unwrap();
        assert_eq!(alerts.rows, 300);

        assert_eq!(auth_lookup(&postgres).await, auth_lookup(&sqlite).await);
        new_ids_follow_the_copied_ones(&postgres, &sums).await;
        new_ids_follow_the_copied_ones(&back, &sums).await;
    });
}

/// What token issuance reads for each application: the same on every copy.
async fn auth_lookup(store: &Store) -> Vec<String> {
    let ids = store.identity();
    let mut out = Vec::new();
    for app in ids.list_applications(None).await.unwrap() {
        let secrets = ids.list_secrets(&app.client_id).await.unwrap();
        let consent = ids
            .get_consent(&app.home_tenant_id, &app.client_id)
            .await
            .unwrap();
        out.push(format!("{app:?} {secrets:?} {consent:?}"));
    }
    out.sort();
    out
}

#[test]
fn the_transfer_reads_every_stored_column_of_postgres() {
    testdb::run(
        "the_transfer_reads_every_stored_column",
        Backend::Postgres,
        || async {
            let (db, _store, _) = open(Backend::Postgres);
            let schema = db.schema().unwrap().to_owned();
            let url = testdb::postgres_url().unwrap();
            let columns = std::thread::spawn(move || {
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            client
                .query(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = $1 AND is_generated = 'NEVER' \
                     AND table_name <> 'refinery_schema_history' ORDER BY table_name, ordinal_position",
                    &[&schema],
                )
                .unwrap()
                .iter()
                .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
                .collect::<Vec<_>>()
        })
        .join()
        .unwrap();
            let mut expected: Vec<(String, String)> = transfer::tables()
                .unwrap()
                .into_iter()
                .flat_map(|t| t.columns.into_iter().map(move |c| (t.name.clone(), c)))
                .collect();
            expected.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(columns, expected);
        },
    );
}

#[test]
fn sqlite_to_sqlite_copies_exactly_and_continues_identities() {
    testdb::run("sqlite_to_sqlite", Backend::Sqlite, || async {
        let (_a, source, clock) = open(Backend::Sqlite);
        fill(&source, &clock, 40).await;
        let (_b, target, _) = open(Backend::Sqlite);
        let mut events = Vec::new();
        let report = transfer::migrate(&source, &target, &batch(3), &mut |p| {
            events.push(match p {
                Progress::Cleared { table, .. } => format!("cleared {table}"),
                Progress::Batch { table, rows } => format!("batch {table} {rows}"),
                Progress::Copied { table, rows, .. } => format!("copied {table} {rows}"),
                Progress::Verified(r) => format!("verified {} {}", r.table, r.rows),
            });
        })
        .await
        .unwrap();
        let sums = transfer::checksums(&source).await.unwrap();
        assert_eq!(transfer::checksums(&target).await.unwrap(), sums);
        assert!(report.cleared.is_empty());
        assert!(events.contains(&"batch alerts 3".to_owned()), "{events:?}");
        assert!(
            events.contains(&"copied alerts 40".to_owned()),
            "{events:?}"
        );
        let last_table = transfer::tables().unwrap().last().unwrap().name.clone();
        let last = events.last().unwrap();
        assert!(
            last.starts_with(&format!("verified {last_table} ")),
            "every table is verified, in order: {last}"
        );
        assert!(
            events.contains(&"copied ti_indicators 3".to_owned()),
            "{events:?}"
        );
        new_ids_follow_the_copied_ones(&target, &sums).await;
    });
}

testdb::conformance! {
    /// The target is on the test's backend; the source is SQLite.
    async fn a_target_holding_a_deployment_is_refused_unless_forced() {
        let (_a, source, clock) = open(Backend::Sqlite);
        fill(&source, &clock, 10).await;
        let (_b, target, _) = open(testdb::current());
        target.ensure_tenant(&tenant(9), "Already here").await.unwrap();
        let refused = migrate(&source, &target, &batch(4)).await.unwrap_err();
        assert!(
            matches!(refused, TransferError::TargetNotEmpty { tenants: 1, applications: 0 }),
            "{refused:?}"
        );
        assert!(refused.to_string().contains("--force"), "{refused}");
        assert_eq!(target.identity().list_tenants().await.unwrap().len(), 1, "nothing was written");

        let forced = TransferOptions { batch: 4, force: true };
        let report = migrate(&source, &target, &forced).await.unwrap();
        assert_eq!(report.cleared, [("tenants".to_owned(), 1)]);
        assert_eq!(
            transfer::checksums(&target).await.unwrap(),
            transfer::checksums(&source).await.unwrap()
        );
    }
}

testdb::conformance! {
    /// A server started once on the target leaves a signing key but no deployment.
    async fn a_signing_key_left_by_a_server_start_is_replaced() {
        let (_a, source, clock) = open(Backend::Sqlite);
        fill(&source, &clock, 4).await;
        let (_b, target, _) = open(testdb::current());
        target.identity().active_signing_key().await.unwrap();
        let report = migrate(&source, &target, &batch(1000)).await.unwrap();
        assert_eq!(report.cleared, [("signing_keys".to_owned(), 1)]);
        let active = |s: Store| async move { s.identity().active_signing_key().await.unwrap().kid };
        assert_eq!(active(target.clone()).await, active(source.clone()).await);
    }
}

testdb::conformance! {
    async fn a_target_row_changed_after_copying_fails_the_verification() {
        let (_a, source, clock) = open(Backend::Sqlite);
        fill(&source, &clock, 20).await;
        let (db, target, _) = open(testdb::current());
        let result = transfer::migrate(&source, &target, &batch(8), &mut |p| {
            if let Progress::Copied { table: "signing_keys", .. } = p {
                corrupt(&db, "UPDATE alerts SET doc = doc || ' ' WHERE id = 'a-0006'");
            }
        })
        .await;
        match result {
            Err(TransferError::Mismatch { table, source_rows, target_rows, source_sha256, target_sha256 }) => {
                assert_eq!(table, "alerts");
                assert_eq!((source_rows, target_rows), (20, 20));
                assert_ne!(source_sha256, target_sha256);
            }
            other => panic!("expected a mismatch in alerts, got {other:?}"),
        }
    }
}

/// Runs `sql` on `db` behind the store's back.
fn corrupt(db: &TestDatabase, sql: &str) {
    match db.sqlite_path() {
        Some(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.busy_timeout(Duration::from_secs(10)).unwrap();
            assert_eq!(conn.execute(sql, []).unwrap(), 1);
        }
        None => {
            let (url, sql) = (db.url().to_owned(), sql.to_owned());
            std::thread::spawn(move || {
                let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                assert_eq!(client.execute(sql.as_str(), &[]).unwrap(), 1);
            })
            .join()
            .unwrap();
        }
    }
}
