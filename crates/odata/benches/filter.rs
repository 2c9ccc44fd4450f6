//! Parse + bind cost of a realistic five-clause `$filter` against the alert-shaped test schema
//! (rendering to SQL is measured in the `store` crate). Target: under 20 µs per filter.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use odata::testing::ALERT;
use odata::{bind, bind_filter, parse_filter, parse_query_string, BindOptions};

const FILTER: &str = "severity eq 'high' and status ne 'resolved' and createdDateTime ge \
                      2024-01-01T00:00:00Z and evidence/any(e: e/remediationStatus eq 'notFound') \
                      and contains(title, 'powershell')";

const QUERY: &str = "$count=true&$filter=severity%20eq%20%27high%27%20and%20status%20ne%20%27resolved%27\
                     %20and%20createdDateTime%20ge%202024-01-01T00%3A00%3A00Z%20and%20evidence%2Fany\
                     %28e%3A%20e%2FremediationStatus%20eq%20%27notFound%27%29%20and%20contains%28title\
                     %2C%20%27powershell%27%29&$orderby=createdDateTime%20desc&$select=id,title,severity&$top=50";

fn filter(c: &mut Criterion) {
    let opts = BindOptions::default();
    c.bench_function("parse 5-clause filter", |b| {
        b.iter(|| parse_filter(black_box(FILTER)))
    });
    c.bench_function("parse+bind 5-clause filter", |b| {
        b.iter(|| bind_filter(black_box(FILTER), &ALERT, &opts))
    });
    c.bench_function("query string: decode+parse+bind all options", |b| {
        b.iter(|| parse_query_string(black_box(QUERY)).and_then(|q| bind(&q, &ALERT, &opts)))
    });
}

criterion_group!(benches, filter);
criterion_main!(benches);
