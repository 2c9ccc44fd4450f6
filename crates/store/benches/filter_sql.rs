//! Benchmark (a) of `docs/performance.md`: parse + bind + render-to-SQL of a realistic five-clause
//! `$filter` against the real alerts_v2 property table (`model::schema::ALERT`). Target: < 20 µs.
//!
//! `cargo bench -p store --bench filter_sql`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use odata::{bind_filter, BindOptions};
use store::{render_filter_sqlite, AlertView};

const FILTER: &str = "severity eq 'high' and status ne 'resolved' and createdDateTime ge \
                      2026-10-25T00:00:00Z and evidence/any(e: e/remediationStatus eq 'notFound') \
                      and contains(title, 'powershell')";

fn filter(c: &mut Criterion) {
    let opts = BindOptions::default();
    let schema = &model::schema::ALERT;
    let bound = match bind_filter(FILTER, schema, &opts) {
        Ok(b) => b,
        Err(e) => panic!("the benchmark filter does not bind: {e:?}"),
    };
    if let Err(e) = render_filter_sqlite(AlertView::V2, &bound) {
        panic!("the benchmark filter does not render: {e:?}");
    }
    c.bench_function("render 5-clause filter to SQL", |b| {
        b.iter(|| render_filter_sqlite(AlertView::V2, black_box(&bound)))
    });
    c.bench_function("parse+bind+render 5-clause filter", |b| {
        b.iter(|| {
            bind_filter(black_box(FILTER), schema, &opts)
                .map(|f| render_filter_sqlite(AlertView::V2, &f))
        })
    });
}

criterion_group!(benches, filter);
criterion_main!(benches);
