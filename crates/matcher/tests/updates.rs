//! Incremental updates and the lock-free holder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{build, shape, Ask, Value};
use matcher::{Action, Entry, Matcher, Observable, Query, Snapshot, MIN_OVERLAY_LIMIT};
use std::sync::Arc;

const NOW: i64 = 100;

fn domain(i: u32) -> String {
    format!("d{i}.test")
}

#[test]
fn removal_by_key_uncovers_the_next_level() {
    let snapshot = build(&[
        (
            Value::Cidr("10.0.0.0".parse().unwrap(), 8),
            Entry::new(1, Action::Allow, 200),
        ),
        (
            Value::Ip("10.0.0.1".parse().unwrap()),
            Entry::new(2, Action::Block, 200),
        ),
        (
            Value::Domain("x.test".into()),
            Entry::new(2, Action::Block, 200),
        ),
    ]);
    let next = snapshot.apply(&[2], []).unwrap();
    let v = next.lookup_ip("10.0.0.1".parse().unwrap(), NOW).unwrap();
    assert_eq!((v.action, v.specificity), (Action::Allow, 8));
    assert!(
        next.lookup_domain("x.test", NOW).is_none(),
        "every entry of the key goes"
    );
    assert_eq!((snapshot.len(), next.len()), (3, 1));
    assert!(
        snapshot.lookup_domain("x.test", NOW).is_some(),
        "the old snapshot is unchanged"
    );
}

#[test]
fn a_key_removed_and_added_in_one_update_is_replaced() {
    let snapshot = build(&[(
        Value::Domain("old.test".into()),
        Entry::new(7, Action::Block, 200),
    )]);
    let added = [(
        Observable::Domain("new.test"),
        Entry::new(7, Action::Alert, 200),
    )];
    let next = snapshot.apply(&[7], added).unwrap();
    assert!(next.lookup_domain("old.test", NOW).is_none());
    assert_eq!(
        next.lookup_domain("new.test", NOW).unwrap().keys.to_vec(),
        [7]
    );
    let again = next.apply(&[7], []).unwrap();
    assert!(again.lookup_domain("new.test", NOW).is_none());
    assert!(again.is_empty());
}

/// Applies many small updates, crossing the overlay limit so the base is rebuilt, and checks the
/// result against a snapshot built from scratch.
#[test]
fn many_small_updates_equal_a_full_rebuild() {
    let base: Vec<(Value, Entry)> = (0..20_000)
        .map(|i| (Value::Domain(domain(i)), Entry::new(i, Action::Block, 200)))
        .collect();
    let mut current = build(&base);
    let mut model = base.clone();
    let mut rebuilt = false;
    let mut changed = Vec::new();
    for round in 0..(MIN_OVERLAY_LIMIT as u32 / 50 + 10) {
        let keys: Vec<u32> = (0..50).map(|i| (round * 50 + i) * 7919 % 20_000).collect();
        let values: Vec<String> = keys.iter().map(|k| format!("n{round}.d{k}.test")).collect();
        let added = keys
            .iter()
            .zip(&values)
            .map(|(k, v)| (Observable::Domain(v), Entry::new(*k, Action::Allow, 200)));
        current = current.apply(&keys, added).unwrap();
        model.retain(|(_, e)| !keys.contains(&e.key));
        model.extend(
            keys.iter()
                .zip(&values)
                .map(|(k, v)| (Value::Domain(v.clone()), Entry::new(*k, Action::Allow, 200))),
        );
        rebuilt |= current.pending_changes() <= 100;
        changed.extend(values);
    }
    assert!(rebuilt, "the overlay limit was crossed");
    let fresh = build(&model);
    assert_eq!(current.len(), fresh.len());
    let asks = (0..20_000).step_by(37).map(|i| Ask::Domain(domain(i)));
    for ask in asks.chain(
        changed
            .iter()
            .step_by(13)
            .map(|v| Ask::Domain(format!("x.{v}"))),
    ) {
        let q = ask.query();
        assert_eq!(
            shape(current.lookup(q, NOW)),
            shape(fresh.lookup(q, NOW)),
            "{ask:?}"
        );
    }
    let compacted = current.compact().unwrap();
    assert_eq!(compacted.pending_changes(), 0);
    assert_eq!(compacted.len(), fresh.len());
}

#[test]
fn the_holder_publishes_updates_to_lock_free_readers() {
    let matcher = Arc::new(Matcher::default());
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let matcher = Arc::clone(&matcher);
            std::thread::spawn(move || {
                let mut seen = 0;
                while seen < 200 {
                    let snapshot = matcher.load();
                    let hits = (0..200)
                        .filter(|i| snapshot.lookup(Query::Domain(&domain(*i)), NOW).is_some());
                    seen = seen.max(hits.count());
                    std::thread::yield_now();
                }
            })
        })
        .collect();
    for i in 0..200 {
        let name = domain(i);
        matcher
            .update(
                &[],
                [(Observable::Domain(&name), Entry::new(i, Action::Block, 200))],
            )
            .unwrap();
    }
    readers.into_iter().for_each(|r| r.join().unwrap());
    assert_eq!(matcher.load_full().len(), 200);
    matcher.store(Snapshot::empty());
    assert!(matcher.load().is_empty());
    let bad = matcher.update(
        &[],
        [(Observable::Hash("q"), Entry::new(1, Action::Block, 1))],
    );
    assert!(bad.is_err());
    assert!(
        matcher.load().is_empty(),
        "a failed update publishes nothing"
    );
}
