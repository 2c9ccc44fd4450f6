//! Property tests: the index answers exactly like a linear scan of the indicators, whether built
//! at once or reached through incremental updates.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::strategies::{ask, items, Space, NOW};
use common::{all, build, shape, verdict, Ask, Value};
use matcher::{Entry, Snapshot};
use proptest::prelude::*;

const SPACE: Space = Space {
    max_labels: 3,
    max_items: 40,
};

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
    fn built_snapshot_answers_like_a_linear_scan(items in items(SPACE), asks in prop::collection::vec(ask(SPACE), 1..30)) {
        check(&build(&items), &items, &asks)?;
    }

    #[test]
    fn updates_answer_like_a_rebuild(
        items in items(SPACE),
        steps in prop::collection::vec((prop::collection::vec(0u32..12, 0..4), items(SPACE)), 1..5),
        asks in prop::collection::vec(ask(SPACE), 1..30),
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
