//! Pull pages and the retry backoff schedule.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use provider_protocol::{from_json, Backoff, PullPage};
use serde_json::{json, Value};
use std::time::Duration;

fn item(id: &str) -> Value {
    json!({"providerAlertId": id, "version": 1,
           "alert": {"severity": "low", "createdDateTime": "2025-03-01T10:00:00Z"}})
}

fn page(v: Value) -> PullPage {
    from_json(v.to_string().as_bytes()).expect("page parses")
}

#[test]
fn a_page_with_more_continues_at_once_and_a_last_page_waits() {
    let p = page(
        json!({"protocolVersion": 1, "alerts": [item("a")], "nextCursor": "c2",
                        "hasMore": true, "somethingNew": 1}),
    );
    assert_eq!(p.validate(), Ok(()));
    assert_eq!(p.next_poll_delay(Duration::from_secs(60)), Duration::ZERO);
    let last = page(json!({"protocolVersion": 1}));
    assert_eq!(last.validate(), Ok(()));
    assert!(!last.has_more && last.alerts.is_empty() && last.next_cursor.is_none());
    assert_eq!(
        last.next_poll_delay(Duration::from_secs(60)),
        Duration::from_secs(60)
    );
}

#[test]
fn every_page_problem_is_reported() {
    let cases = [
        (
            json!({"protocolVersion": 1, "alerts": [item("a")], "hasMore": true}),
            "nextCursor",
            "is required when hasMore is true",
        ),
        (
            json!({"protocolVersion": 1, "alerts": [], "nextCursor": "c", "hasMore": true}),
            "hasMore",
            "is true on a page without alerts",
        ),
        (
            json!({"protocolVersion": 1, "nextCursor": "c".repeat(2049)}),
            "nextCursor",
            "the limit is 2048",
        ),
        (
            json!({"protocolVersion": 1, "nextCursor": ""}),
            "nextCursor",
            "must not be empty",
        ),
        (
            json!({"protocolVersion": 1, "alerts": [item("a"), item("a")]}),
            "alerts[1].providerAlertId",
            "'a' is also alerts[0]",
        ),
        (json!({"protocolVersion": 9}), "protocolVersion", "send 1"),
    ];
    for (v, path, needle) in cases {
        let err = page(v).validate().expect_err(needle);
        assert!(err.mentions(path, needle), "{needle}: {err}");
    }
    let over: Vec<Value> = (0..1001).map(|i| item(&i.to_string())).collect();
    let err = page(json!({"protocolVersion": 1, "alerts": over}))
        .validate()
        .expect_err("1001");
    assert!(err.mentions("alerts", "the limit is 1000"), "{err}");
}

#[test]
fn backoff_is_a_serialisable_value() {
    let b: Backoff =
        serde_json::from_value(json!({"initialMs": 250, "maxMs": 2000})).expect("parses");
    assert_eq!(b.ceiling(0), Duration::from_millis(250));
    assert_eq!(b.ceiling(3), Duration::from_millis(2000));
    assert_eq!(
        serde_json::to_value(Backoff::default()).ok(),
        Some(json!({"initialMs": 1000, "maxMs": 300000}))
    );
}

proptest! {
    /// Waits stay within [ceiling/2, ceiling], never exceed the cap, and do not shrink as retries
    /// accumulate (for one jitter value).
    #[test]
    fn backoff_is_bounded_and_monotone(
        initial_ms in 1u64..10_000,
        max_ms in 1u64..1_000_000,
        attempt in 0u32..200,
        jitter in 0.0f64..=1.0,
    ) {
        let b = Backoff { initial_ms, max_ms };
        let d = b.delay(attempt, jitter);
        let c = b.ceiling(attempt);
        prop_assert!(d <= c && c <= Duration::from_millis(max_ms));
        prop_assert!(d >= c / 2);
        prop_assert!(b.delay(attempt + 1, jitter) >= d);
        prop_assert!(d > Duration::ZERO);
    }
}
