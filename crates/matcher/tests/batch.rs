//! Batch lookups answer exactly like one lookup at a time: `lookup_batch` like `lookup`,
//! `all_matches_batch` like `all_matches`, on built snapshots and on snapshots reached through
//! updates (overlay, removed keys), at instants around the entries' expiry.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::strategies::{ask, items, Space, NOW};
use common::{build, Ask, Value};
use matcher::{Action, Entry, Hit, Query, Snapshot};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const SPACE: Space = Space {
    max_labels: 9,
    max_items: 60,
};

/// Both batch forms answer every query of `asks` as the single lookups do.
fn check(snapshot: &Snapshot, asks: &[Ask]) -> Result<(), TestCaseError> {
    let queries: Vec<Query<'_>> = asks.iter().map(Ask::query).collect();
    for now in [NOW - 3, NOW, NOW + 1] {
        let mut batch = vec![None];
        snapshot.lookup_batch(&queries, now, &mut batch);
        prop_assert_eq!(batch.remove(0), None, "appends after what `out` held");
        let single: Vec<_> = queries.iter().map(|q| snapshot.lookup(*q, now)).collect();
        prop_assert_eq!(batch, single, "lookup_batch at {}", now);

        let mut seen = Vec::new();
        snapshot.all_matches_batch(&queries, now, |i, hits| seen.push((i, hits.to_vec())));
        let expected: Vec<(usize, Vec<Hit>)> = queries
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let mut hits = Vec::new();
                snapshot.all_matches(*q, now, &mut hits);
                (i, hits)
            })
            .collect();
        prop_assert_eq!(seen, expected, "all_matches_batch at {}", now);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn batch_answers_like_single_lookups(
        items in items(SPACE),
        asks in prop::collection::vec(ask(SPACE), 0..70),
    ) {
        check(&build(&items), &asks)?;
    }

    #[test]
    fn batch_answers_like_single_lookups_after_updates(
        items in items(SPACE),
        steps in prop::collection::vec((prop::collection::vec(0u32..12, 0..4), items(SPACE)), 1..4),
        asks in prop::collection::vec(ask(SPACE), 0..70),
    ) {
        let mut snapshot = build(&items);
        for (removed, added) in &steps {
            snapshot = snapshot
                .apply(removed, added.iter().map(|(v, e)| (v.observable(), *e)))
                .unwrap();
            check(&snapshot, &asks)?;
        }
        check(&snapshot.compact().unwrap(), &asks)?;
    }
}

/// SplitMix64, for the larger deterministic case below.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Tens of thousands of indicators: radix directories with many buckets, lines that overflow
/// into their neighbours, arena records; half the queries hit, some entries expired, some keys
/// removed and replaced in an overlay.
#[test]
fn large_snapshot_batch_answers_like_single_lookups() {
    let mut rng = Rng(7);
    let mut items = Vec::new();
    for key in 0..30_000u32 {
        let value = match rng.below(6) {
            0 => Value::Ip(IpAddr::V4(Ipv4Addr::from(rng.next() as u32))),
            1 => Value::Cidr(
                IpAddr::V6(Ipv6Addr::from(u128::from(rng.next()) << 64)),
                16 + rng.below(64) as u8,
            ),
            2 => Value::Domain(format!("d{}.example{}.test", rng.below(5000), key % 7)),
            3 => Value::Url(format!(
                "https://u{}.test/{}",
                key,
                "x".repeat(key as usize % 90)
            )),
            4 => Value::Hash(format!("{:016x}{:016x}", rng.next(), rng.next())),
            _ => Value::Cidr(
                IpAddr::V4(Ipv4Addr::from(rng.next() as u32)),
                8 + rng.below(24) as u8,
            ),
        };
        let action = [Action::Alert, Action::Block, Action::Allow][rng.below(3) as usize];
        items.push((value, Entry::new(key, action, 1_000 + rng.below(20) as i64)));
    }
    let mut asks = Vec::new();
    for _ in 0..6_000 {
        let ask = match &items[rng.below(items.len() as u64) as usize].0 {
            _ if rng.below(2) == 0 => Ask::Ip(IpAddr::V4(Ipv4Addr::from(rng.next() as u32))),
            Value::Ip(addr) => Ask::Ip(*addr),
            Value::Cidr(addr, _) => Ask::Ip(*addr),
            Value::Domain(d) => Ask::Domain(format!("www.{d}")),
            Value::Url(u) => Ask::Url(u.clone()),
            Value::Hash(h) => Ask::Hash(h.clone()),
            Value::Email(e) => Ask::Email(e.clone()),
        };
        asks.push(ask);
    }
    let snapshot = build(&items);
    let updated = snapshot
        .apply(
            &(0..500).collect::<Vec<u32>>(),
            items[..300].iter().map(|(v, e)| (v.observable(), *e)),
        )
        .unwrap();
    let queries: Vec<Query<'_>> = asks.iter().map(Ask::query).collect();
    for snapshot in [&snapshot, &updated] {
        for now in [999, 1_010, 1_030] {
            let mut batch = Vec::new();
            snapshot.lookup_batch(&queries, now, &mut batch);
            let single: Vec<_> = queries.iter().map(|q| snapshot.lookup(*q, now)).collect();
            assert_eq!(batch, single);
            assert!(single.iter().filter(|v| v.is_some()).count() > 1_000 || now == 1_030);
            let mut hits = Vec::new();
            snapshot.all_matches_batch(&queries, now, |i, found| {
                hits.clear();
                snapshot.all_matches(queries[i], now, &mut hits);
                assert_eq!(found, &hits[..]);
            });
        }
    }
}
