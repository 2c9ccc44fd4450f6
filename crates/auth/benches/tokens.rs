//! Token issuance and request authentication throughput (one thread each).
//!
//! - `issue`: building the claims and signing one token (RS256, RSA 2048) — the token endpoint's
//!   work after its store lookup. Target: ≥ 2,000 tokens/s on the 2-core machine.
//! - `authenticate/cache_hit`: what every API request with a token seen before costs (digest +
//!   lookup). Target: ≥ 40,000/s per core.
//! - `authenticate/cold_verify`: the first request with a new token (parse + RSA verify + checks).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use auth::{
    AppGrant, Audiences, Permission, SigningKey, TokenIssuer, TokenVerifier, VerifiedTokenCache,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use time::OffsetDateTime;

const TENANT: &str = "0f4a0c5e-3d1b-4a7e-9c2f-8b6d5e4f3a21";
const CLIENT: &str = "6b1c2d3e-4f50-4a1b-8c2d-3e4f5a6b7c8d";

fn fixtures() -> (SigningKey, TokenIssuer, TokenVerifier) {
    let key = SigningKey::generate().unwrap();
    let audiences = Audiences::new("https://127.0.0.1:8443").unwrap();
    let issuer = TokenIssuer::new(&audiences);
    let verifier = TokenVerifier::new(&[key.public_key().clone()], &audiences);
    (key, issuer, verifier)
}

fn grant() -> AppGrant<'static> {
    AppGrant {
        tenant_id: TENANT,
        client_id: CLIENT,
        app_display_name: Some("SOC automation"),
        roles: &[
            Permission::SecurityAlertReadWriteAll,
            Permission::SecurityIncidentReadWriteAll,
            Permission::SecurityEventsReadWriteAll,
        ],
    }
}

fn issue(c: &mut Criterion) {
    let (key, issuer, _) = fixtures();
    let now = OffsetDateTime::now_utc();
    let mut group = c.benchmark_group("issue");
    group.throughput(Throughput::Elements(1));
    group.bench_function("token", |b| {
        b.iter(|| {
            let claims = issuer.claims(&grant(), now);
            black_box(issuer.issue(&key, &claims).unwrap())
        })
    });
    group.finish();
}

fn authenticate(c: &mut Criterion) {
    let (key, issuer, verifier) = fixtures();
    let now = OffsetDateTime::now_utc();
    let token = issuer.issue(&key, &issuer.claims(&grant(), now)).unwrap();
    let cache = VerifiedTokenCache::default();
    cache.verify(&verifier, &token, now).unwrap();
    let mut group = c.benchmark_group("authenticate");
    group.throughput(Throughput::Elements(1));
    group.bench_function("cache_hit", |b| {
        b.iter(|| black_box(cache.verify(&verifier, black_box(&token), now).unwrap()))
    });
    group.bench_function("cold_verify", |b| {
        b.iter(|| black_box(verifier.verify(black_box(&token), now).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, issue, authenticate);
criterion_main!(benches);
