//! The audit log's store contract on both backends: an append is read back only by its tenant,
//! listed newest first with filters and paging, and the database itself refuses `UPDATE`,
//! `DELETE` (and on PostgreSQL `TRUNCATE`) on `audit_log` — raw SQL through a connection of its
//! own, the way a bug or an intruder with the application's credentials would try.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::json;
use store::audit::{
    AuditActor, AuditActorKind, AuditApp, AuditCategory, AuditEntry, AuditResult, AUDIT_LOG,
};
use store::{Clock, Store};

fn entry(tenant: &str, method: &str, status: u16) -> AuditEntry {
    AuditEntry {
        category: AuditCategory::Graph,
        operation: format!("{method} /v1.0/security/alerts_v2/{{id}}"),
        method: Some(method.to_owned()),
        resource_path: "/v1.0/security/alerts_v2/a1".to_owned(),
        resource_id: Some("a1".to_owned()),
        result: match status < 400 {
            true => AuditResult::Success,
            false => AuditResult::Failure,
        },
        status_code: Some(status),
        request_id: Some(uuid::Uuid::new_v4().to_string()),
        client_request_id: None,
        initiated_by: AuditActor {
            app: Some(AuditApp {
                app_id: "11111111-2222-3333-4444-555555555555".to_owned(),
            }),
            user: None,
            kind: AuditActorKind::Application,
        },
        tenant_id: Some(tenant.to_owned()),
        change: Some(json!({"status": "resolved"})),
    }
}

/// Runs `sql` on a connection of its own; the database's error text, if it refuses.
fn raw(db: &testdb::TestDatabase, sql: &str) -> Result<(), String> {
    match db.sqlite_path() {
        Some(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            conn.execute_batch(sql).map_err(|e| e.to_string())
        }
        None => {
            let url = db.url().to_owned();
            let sql = sql.to_owned();
            std::thread::spawn(move || {
                let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                client
                    .batch_execute(&sql)
                    .map_err(|e| match e.as_db_error() {
                        Some(db) => db.message().to_owned(),
                        None => e.to_string(),
                    })
            })
            .join()
            .unwrap()
        }
    }
}

async fn count(store: &Store, tenant: &model::TenantId) -> u64 {
    store.tenant(tenant).audit_log().count(None).await.unwrap()
}

testdb::conformance! {
    async fn the_database_refuses_to_update_or_delete_audit_records() {
        let t = open().await;
        let a = tenant_a();
        let record = t.store.append_audit(entry(a.as_str(), "PATCH", 200)).await.unwrap();
        for sql in [
            "UPDATE audit_log SET operation = 'forged'",
            "UPDATE audit_log SET tenant_id = NULL WHERE id IS NOT NULL",
            "DELETE FROM audit_log",
        ] {
            let refused = raw(&t.db, sql).expect_err(sql);
            assert!(refused.contains("append-only"), "{sql}: {refused}");
        }
        if t.db.sqlite_path().is_none() {
            let refused = raw(&t.db, "TRUNCATE audit_log").expect_err("TRUNCATE");
            assert!(refused.contains("append-only"), "TRUNCATE: {refused}");
        }
        let kept = t.store.tenant(&a).audit_log().get(&record.id).await.unwrap();
        assert_eq!(kept, Some(record), "the record is unchanged");
        raw(&t.db, "SELECT count(*) FROM audit_log").expect("reads are allowed");
    }

    async fn records_are_read_back_by_their_tenant_only() {
        let t = open().await;
        let (a, b) = (tenant_a(), tenant_b());
        let record = t.store.append_audit(entry(a.as_str(), "POST", 201)).await.unwrap();
        assert_eq!(record.activity_date_time, t.clock.now(), "the store's clock stamps it");
        let in_a = t.store.tenant(&a).audit_log().get(&record.id).await.unwrap();
        assert_eq!(in_a.as_ref(), Some(&record));
        assert_eq!(in_a.unwrap().entry.change, Some(json!({"status": "resolved"})));
        assert_eq!(t.store.tenant(&b).audit_log().get(&record.id).await.unwrap(), None);
        assert_eq!(count(&t.store, &a).await, 1);
        assert_eq!(count(&t.store, &b).await, 0);
        // A global admin change (no tenant) is in no tenant's log.
        let mut global = entry(a.as_str(), "POST", 200);
        global.tenant_id = None;
        t.store.append_audit(global).await.unwrap();
        assert_eq!(count(&t.store, &a).await, 1);
    }

    async fn lists_filter_on_the_copied_columns_newest_first_with_paging() {
        let t = open().await;
        let a = tenant_a();
        for (i, (method, status)) in [("PATCH", 200), ("POST", 201), ("DELETE", 405), ("PATCH", 400)]
            .into_iter()
            .enumerate()
        {
            t.clock.advance(std::time::Duration::from_secs(i as u64 + 1));
            t.store.append_audit(entry(a.as_str(), method, status)).await.unwrap();
        }
        let log = t.store.tenant(&a).audit_log();
        let all = log.list(&query(&AUDIT_LOG, ""), 10).await.unwrap();
        let methods: Vec<_> = all.items.iter().map(|r| r.entry.method.clone().unwrap()).collect();
        assert_eq!(methods, ["PATCH", "DELETE", "POST", "PATCH"], "newest first");
        let q = query(&AUDIT_LOG, "$filter=method eq 'PATCH' and result eq 'failure'&$count=true");
        let failed = log.list(&q, 10).await.unwrap();
        assert_eq!(failed.count, Some(1));
        assert_eq!(failed.items[0].entry.status_code, Some(400));
        let by_app = "$filter=initiatedBy/app/appId eq '11111111-2222-3333-4444-555555555555' and statusCode ge 400";
        assert_eq!(log.list(&query(&AUDIT_LOG, by_app), 10).await.unwrap().items.len(), 2);
        let first = log.list(&query(&AUDIT_LOG, "$orderby=activityDateTime asc"), 3).await.unwrap();
        assert_eq!(first.items.len(), 3);
        let token = first.next_skiptoken.expect("a next page");
        let rest = log
            .list(&query(&AUDIT_LOG, &format!("$orderby=activityDateTime asc&$skiptoken={token}")), 3)
            .await
            .unwrap();
        assert_eq!(rest.items.len(), 1);
        assert_eq!(rest.items[0].entry.status_code, Some(400), "the newest is last in ascending order");
        let null_user = log.list(&query(&AUDIT_LOG, "$filter=initiatedBy/user eq null"), 10).await.unwrap();
        assert_eq!(null_user.items.len(), 4, "the document serves what has no column");
    }

    async fn migrate_copies_the_log_and_cannot_clear_a_target_that_has_one() {
        let t = open().await;
        let a = tenant_a();
        let record = t.store.append_audit(entry(a.as_str(), "PATCH", 200)).await.unwrap();
        let target_db = testdb::TestDatabase::new();
        let target = target_db.open_store(t.clock.clone());
        let options = store::transfer::TransferOptions::default();
        store::transfer::migrate(&t.store, &target, &options, &mut |_| {})
            .await
            .unwrap();
        let copied = target.tenant(&a).audit_log().get(&record.id).await.unwrap();
        assert_eq!(copied, Some(record), "copied and verified");
        let force = store::transfer::TransferOptions {
            force: true,
            ..options
        };
        let again = store::transfer::migrate(&t.store, &target, &force, &mut |_| {}).await;
        let refused = format!("{:?}", again.expect_err("the target's log cannot be deleted"));
        assert!(refused.contains("append-only"), "{refused}");
    }
}
