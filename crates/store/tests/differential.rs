//! Differential test of the OData → SQL renderer: thousands of generated `$filter`s (and `$orderby`s
//! paged through with skip tokens) run on a SQLite and a PostgreSQL store seeded with the same
//! alerts, which must answer with the same ids in the same order, the same counts, and the same
//! refusals. The demo generator's alerts plus hand-made edge alerts (`differential/edge.rs`) are the
//! data; the queries (`differential/cases.rs`) are hand-written ones plus filters drawn from a seeded
//! RNG over the real property tables (`differential/filters.rs`, `leaves.rs`), with literals taken
//! from the seeded documents (`pool.rs`), so a failure reproduces exactly. A mismatch prints the
//! query, the SQL each backend rendered, and both answers.
//!
//! Needs PostgreSQL (`SECGRAPH_TEST_POSTGRES_URL`); without it the test prints a notice and passes,
//! unless `SECGRAPH_TEST_REQUIRE_POSTGRES` is set (see `testdb::run`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "differential/cases.rs"]
mod cases;
mod common;
#[path = "differential/edge.rs"]
mod edge;
#[path = "differential/filters.rs"]
mod filters;
#[path = "differential/leaves.rs"]
mod leaves;
#[path = "differential/pool.rs"]
mod pool;

use cases::{bind, generate, Case};
use common::tenant_a;
use leaves::quote;
use model::schema::ALERT;
use odata::bound::BoundQuery;
use odata::BindOptions;
use pool::Pool;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::{AlertView, IngestOrigin, ListRequest, ManualClock, Store, StoreError};
use testdb::{Backend, TestDatabase};
use time::macros::datetime;

/// How many demo alerts to seed.
const DEMO_ALERTS: usize = 200;
/// The most pages an ordering query is paged through (its pages grow to fit).
const MAX_PAGES: u32 = 20;
/// Mismatches printed in full before the test fails.
const SHOWN: usize = 12;

/// What a backend answered: every id over all pages, in order, and the count; or the refusal.
#[derive(Debug, PartialEq)]
enum Answer {
    Rows {
        ids: Vec<String>,
        count: Option<u64>,
        pages: usize,
    },
    Refused(String),
}

testdb::conformance! {
    /// The divergences this test found, pinned with their answers on each backend (so that they
    /// hold on SQLite without PostgreSQL too).
    async fn nested_lambdas_and_values_of_unexpected_json_types() {
        let t = common::open().await;
        common::seed(&t.store, edge::alerts()).await;
        for (text, want) in [
            // An inner lambda over a collection of an outer variable.
            ("evidence/any(x: x/tags/any(t: x/detailedRoles/any(r: r ne t)))", vec!["edge-ß"]),
            // A dictionary value of another type than the literal is null.
            ("customDetails/flag eq true", vec!["edge-A"]),
            ("customDetails/score gt 5", vec!["edge-0", "edge-A"]),
            ("customDetails/text eq '7'", vec!["edge-A"]),
            ("contains(customDetails/list, 'a')", vec!["edge-a"]), // not edge-A's ["a", "b"]
            // A collection that is not an array has no elements.
            ("evidence/any(x: x/roles/any(r: r eq 'attacker'))", vec!["edge-ß"]),
            // `year()` of text that is not a date-time is null, not an error.
            ("evidence/any(x: year(x/createdDateTime) eq 2024)", vec!["edge-Z", "edge-ß"]),
        ] {
            let q = BoundQuery {
                filter: Some(odata::bind_filter(text, &ALERT, &BindOptions::default()).unwrap()),
                ..BoundQuery::default()
            };
            let page = common::list(&t.store, AlertView::V2, &q, 100).await;
            let mut ids: Vec<String> = page.items.into_iter().map(|r| r.id.0).collect();
            ids.sort();
            assert_eq!(ids, want, "{text}");
        }
    }
}

#[test]
fn sqlite_and_postgres_answer_generated_queries_alike() {
    testdb::run(
        "sqlite_and_postgres_answer_generated_queries_alike",
        Backend::Postgres,
        differential,
    );
}

async fn differential() {
    let started = Instant::now();
    let clock = Arc::new(ManualClock::new(datetime!(2026-11-01 00:00 UTC)));
    let (sqlite_db, postgres_db) = (
        TestDatabase::on(Backend::Sqlite),
        TestDatabase::on(Backend::Postgres),
    );
    let sqlite = sqlite_db.open_store(clock.clone());
    let postgres = postgres_db.open_store(clock.clone());
    let mut alerts: Vec<model::StoredAlert> = demo::generate(&demo::DemoConfig {
        count: DEMO_ALERTS,
        ..demo::DemoConfig::new(tenant_a(), datetime!(2026-11-01 00:00 UTC))
    })
    .collect();
    alerts.extend(edge::alerts());
    for store in [&sqlite, &postgres] {
        store.ensure_tenant(&tenant_a(), "Tenant A").await.unwrap();
        store
            .tenant(&tenant_a())
            .ingest(alerts.clone(), IngestOrigin::Import)
            .await
            .unwrap();
    }
    let v2_pool = pool_of(&sqlite, AlertView::V2).await;
    let legacy_pool = pool_of(&sqlite, AlertView::Legacy).await;
    let seeded = started.elapsed();

    let generated = generate(&v2_pool, &legacy_pool);
    let total = generated.len();
    let cases: Arc<Vec<(Case, BoundQuery)>> = Arc::new(
        generated
            .into_iter()
            .filter_map(|c| bind(&c).map(|q| (c, q)))
            .collect(),
    );
    // Each backend answers every case in tasks of its own, so that they run side by side; the
    // PostgreSQL half is split in two, since its server works in processes of its own.
    let (sqlite_answers, postgres_answers) = tokio::join!(
        answer_all(&sqlite, &cases, 1),
        answer_all(&postgres, &cases, 2)
    );
    let (mut matched, mut orderings, mut refused) = (0, 0, 0);
    let mut failures = Vec::new();
    for (((case, query), (a, _)), (b, _)) in
        cases.iter().zip(&sqlite_answers).zip(&postgres_answers)
    {
        orderings += usize::from(case.orderby.is_some());
        match a {
            Answer::Rows { ids, .. } if !ids.is_empty() => matched += 1,
            Answer::Refused(_) => refused += 1,
            _ => {}
        }
        // A database error is a bug even when both backends fail alike.
        let server_error = [a, b]
            .iter()
            .any(|x| matches!(x, Answer::Refused(e) if !e.starts_with("InvalidQuery")));
        if a != b || server_error {
            failures.push(describe(case, query, a, b));
        }
    }
    let busy = |answers: &[(Answer, Duration)]| answers.iter().map(|(_, d)| *d).sum::<Duration>();
    let bound = cases.len();
    println!(
        "differential: {bound} filters, {matched} matched something, {orderings} orderings, \
         {refused} refused by both ({total} generated, {} did not bind); seeded in {seeded:.1?}, \
         queries busy {:.1?} on SQLite and {:.1?} on PostgreSQL, total {:.1?}",
        total - bound,
        busy(&sqlite_answers),
        busy(&postgres_answers),
        started.elapsed()
    );
    for f in failures.iter().take(SHOWN) {
        println!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {bound} queries answered differently on SQLite and PostgreSQL (first {SHOWN} above)",
        failures.len()
    );
    assert!(
        bound >= 3_000 && matched * 2 >= bound,
        "too few usable filters"
    );
}

/// Every case's answer from `store` (with the time it took), computed by `tasks` tasks that take
/// every `tasks`-th case.
async fn answer_all(
    store: &Store,
    cases: &Arc<Vec<(Case, BoundQuery)>>,
    tasks: usize,
) -> Vec<(Answer, Duration)> {
    let handles: Vec<_> = (0..tasks)
        .map(|first| {
            let (store, cases) = (store.clone(), cases.clone());
            tokio::spawn(async move {
                let mut out = Vec::new();
                for (case, query) in cases.iter().skip(first).step_by(tasks) {
                    let start = Instant::now();
                    let a = answer(&store, case, query).await;
                    out.push((a, start.elapsed()));
                }
                out
            })
        })
        .collect();
    let mut parts = Vec::new();
    for h in handles {
        parts.push(h.await.unwrap().into_iter());
    }
    // Interleave the parts back into case order.
    let mut answers = Vec::with_capacity(cases.len());
    for i in 0..cases.len() {
        answers.push(parts[i % tasks].next().unwrap());
    }
    answers
}

/// The documents of `view` (from SQLite; both stores hold the same), as a value pool.
async fn pool_of(store: &Store, view: AlertView) -> Pool {
    let q = BoundQuery::default();
    let page = store
        .tenant(&tenant_a())
        .list_alerts(ListRequest {
            view,
            query: &q,
            page_size: 10_000,
        })
        .await
        .unwrap();
    let docs: Vec<serde_json::Value> = page
        .items
        .iter()
        .map(|r| serde_json::from_str(&r.json).unwrap())
        .collect();
    Pool::new(&docs)
}

/// Runs `query` on `store`: the count (when the case asks for it), then every page to the end
/// (pages made larger where `case.page_size` would take more than [`MAX_PAGES`]).
async fn answer(store: &Store, case: &Case, query: &BoundQuery) -> Answer {
    let tenant = store.tenant(&tenant_a());
    let count = match case.count {
        true => match tenant.count_alerts(case.view, query.filter.as_ref()).await {
            Ok(count) => Some(count),
            Err(e) => return Answer::Refused(variant(&e)),
        },
        false => None,
    };
    let rows = u32::try_from(count.unwrap_or(0)).unwrap();
    let page_size = case.page_size.max(rows.div_ceil(MAX_PAGES));
    let mut q = query.clone();
    let (mut ids, mut pages) = (Vec::new(), 0);
    loop {
        let page = tenant
            .list_alerts(ListRequest {
                view: case.view,
                query: &q,
                page_size,
            })
            .await;
        let page = match page {
            Ok(page) => page,
            Err(e) => return Answer::Refused(variant(&e)),
        };
        pages += 1;
        ids.extend(page.items.into_iter().map(|r| r.id.0));
        match page.next_skiptoken {
            Some(token) if pages <= 2 * MAX_PAGES as usize => q.skiptoken = Some(token),
            _ => break,
        }
    }
    Answer::Rows { ids, count, pages }
}

/// The error's variant name, with its message for the log.
fn variant(e: &StoreError) -> String {
    let name = match e {
        StoreError::InvalidQuery(_) => "InvalidQuery",
        StoreError::InvalidSkipToken(_) => "InvalidSkipToken",
        StoreError::Backend(_) => "Backend",
        _ => "Other",
    };
    // Messages differ by backend for server errors; refusals carry the same text on both.
    match e {
        StoreError::InvalidQuery(m) => format!("{name}: {m}"),
        other => format!("{name} ({other})"),
    }
}

/// A mismatch, with what it takes to reproduce it.
fn describe(case: &Case, query: &BoundQuery, a: &Answer, b: &Answer) -> String {
    let mut out = format!(
        "MISMATCH view={:?} $filter={} $orderby={} page_size={} skip={:?}\n",
        case.view,
        case.filter.as_deref().map_or("-".into(), quote),
        case.orderby.as_deref().unwrap_or("-"),
        case.page_size,
        case.skip,
    );
    if let Some(f) = &query.filter {
        for backend in ["sqlite", "postgres"] {
            match store::render_filter_sql(backend, case.view, f) {
                Ok((sql, params)) => {
                    out += &format!("  {backend} SQL: {sql}\n    params: {params:?}\n")
                }
                Err(e) => out += &format!("  {backend} SQL: refused: {e}\n"),
            }
        }
    }
    for (name, x, other) in [("sqlite", a, b), ("postgres", b, a)] {
        match x {
            Answer::Rows { ids, count, pages } => {
                let only: Vec<&String> = match other {
                    Answer::Rows { ids: o, .. } => ids.iter().filter(|i| !o.contains(i)).collect(),
                    Answer::Refused(_) => Vec::new(),
                };
                let head: Vec<&String> = ids.iter().take(30).collect();
                out += &format!(
                    "  {name}: {} ids in {pages} pages, count {count:?}; only here: {only:?}\n    first ids: {head:?}\n",
                    ids.len()
                );
            }
            Answer::Refused(e) => out += &format!("  {name}: refused: {e}\n"),
        }
    }
    out
}
