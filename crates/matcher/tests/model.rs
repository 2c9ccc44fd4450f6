//! Property tests: the index answers exactly like a linear scan of the indicators, whether built
//! at once or reached through incremental updates.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{all, build, shape, verdict, Ask, Value};
use matcher::{Action, Entry, Snapshot};
use proptest::prelude::*;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const NOW: i64 = 50;

/// Addresses from a small space, so blocks nest and collide often.
fn v4() -> impl Strategy<Value = IpAddr> {
    (0u32..4, 0u32..4, any::<u8>())
        .prop_map(|(a, b, c)| IpAddr::V4(Ipv4Addr::new(10, a as u8, b as u8, c)))
}

fn v6() -> impl Strategy<Value = IpAddr> {
    (0u16..3, any::<u16>())
        .prop_map(|(a, b)| IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, a, 0, 0, 0, 0, b)))
}

fn label() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "b", "ab", "ba", "c"]).prop_map(str::to_owned)
}

fn domain() -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 1..4).prop_map(|labels| labels.join("."))
}

fn hash() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "00ff",
        "00fe",
        "d41d8cd98f00b204e9800998ecf8427e",
        "abcdef",
    ])
    .prop_map(str::to_owned)
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        v4().prop_map(Value::Ip),
        (v4(), 0u8..=32).prop_map(|(a, l)| Value::Cidr(a, l)),
        v6().prop_map(Value::Ip),
        (v6(), 0u8..=128).prop_map(|(a, l)| Value::Cidr(a, l)),
        domain().prop_map(Value::Domain),
        domain().prop_map(|d| Value::Url(format!("https://{d}/"))),
        hash().prop_map(Value::Hash),
        domain().prop_map(|d| Value::Email(format!("x@{d}"))),
    ]
}

fn entry() -> impl Strategy<Value = Entry> {
    let action = prop::sample::select(vec![Action::Alert, Action::Block, Action::Allow]);
    (0u32..12, action, 48i64..53)
        .prop_map(|(key, action, expires)| Entry::new(key, action, expires))
}

fn ask() -> impl Strategy<Value = Ask> {
    prop_oneof![
        v4().prop_map(Ask::Ip),
        v6().prop_map(Ask::Ip),
        domain().prop_map(Ask::Domain),
        domain().prop_map(|d| Ask::Url(format!("https://{d}/"))),
        hash().prop_map(|h| Ask::Hash(h.to_uppercase())),
        domain().prop_map(|d| Ask::Email(format!("x@{d}"))),
    ]
}

fn items() -> impl Strategy<Value = Vec<(Value, Entry)>> {
    prop::collection::vec((value(), entry()), 0..40)
}

/// Every answer of `snapshot` equals the reference's over `items`.
fn check(snapshot: &Snapshot, items: &[(Value, Entry)], asks: &[Ask]) -> Result<(), TestCaseError> {
    let mut out = Vec::new();
    for ask in asks {
        for now in [NOW - 3, NOW, NOW + 1] {
            prop_assert_eq!(
                shape(snapshot.lookup(ask.query(), now)),
                verdict(items, ask, now),
                "{:?} at {}",
                ask,
                now
            );
            out.clear();
            snapshot.all_matches(ask.query(), now, &mut out);
            prop_assert_eq!(
                &out,
                &all(items, ask, now),
                "all matches of {:?} at {}",
                ask,
                now
            );
        }
    }
    prop_assert_eq!(snapshot.len(), items.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn built_snapshot_answers_like_a_linear_scan(items in items(), asks in prop::collection::vec(ask(), 1..30)) {
        check(&build(&items), &items, &asks)?;
    }

    #[test]
    fn updates_answer_like_a_rebuild(
        items in items(),
        steps in prop::collection::vec((prop::collection::vec(0u32..12, 0..4), items()), 1..5),
        asks in prop::collection::vec(ask(), 1..30),
    ) {
        let mut snapshot = build(&items);
        let mut model = items;
        for (removed, added) in &steps {
            snapshot = snapshot
                .apply(removed, added.iter().map(|(v, e)| (v.observable(), *e)))
                .unwrap();
            model.retain(|(_, e)| !removed.contains(&e.key));
            model.extend(added.iter().cloned());
            check(&snapshot, &model, &asks)?;
        }
        check(&build(&model), &model, &asks)?;
        check(&snapshot.compact().unwrap(), &model, &asks)?;
    }
}
