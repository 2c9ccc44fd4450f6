//! Push: batch validation, provider versions, the ordering rule and turning pushed alerts into
//! stored ones.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use model::{TenantId, VendorInformation};
use proptest::prelude::*;
use provider_protocol::push::{order, pushed_alert_id, MAX_BATCH_ALERTS};
use provider_protocol::{
    from_json, AlertBatch, AlertOutcome, AlertResult, Decision, ProviderVersion, PushedAlert,
};
use serde_json::{json, Value};
use time::macros::datetime;

const TENANT: &str = "8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10";

fn pushed(id: &str, version: Value) -> Value {
    json!({"providerAlertId": id, "version": version,
           "alert": {"title": "Blocked address seen again", "severity": "medium",
                     "createdDateTime": "2025-03-01T10:00:00Z"}})
}

fn batch(alerts: Vec<Value>) -> AlertBatch {
    from_json(
        json!({"protocolVersion": 1, "alerts": alerts})
            .to_string()
            .as_bytes(),
    )
    .expect("batch parses")
}

fn vendor() -> VendorInformation {
    VendorInformation {
        provider: Some("Edge Firewall".into()),
        vendor: Some("Contoso".into()),
        ..VendorInformation::default()
    }
}

#[test]
fn a_batch_parses_with_both_version_kinds_and_unknown_members() {
    let mut a = pushed("fw-1", json!(3));
    a["futureMember"] = json!(1);
    let b = batch(vec![a, pushed("fw-2", json!("2025-03-01T12:00:00+02:00"))]);
    assert_eq!(b.validate(), Ok(()));
    assert_eq!(b.alerts[0].version, ProviderVersion::Sequence(3));
    assert_eq!(
        b.alerts[1].version,
        ProviderVersion::Timestamp(datetime!(2025-03-01 10:00 UTC))
    );
    let out = serde_json::to_value(&b).expect("serialises");
    assert_eq!(out["alerts"][1]["version"], "2025-03-01T10:00:00.0000000Z");
}

#[test]
fn versions_that_are_neither_integers_nor_timestamps_are_refused() {
    for (v, needle) in [
        (json!(-1), "negative"),
        (json!(1.5), "not an integer"),
        (json!("yesterday"), "RFC 3339 timestamp"),
        (json!(true), "non-negative integer or an RFC 3339 timestamp"),
    ] {
        let body = json!({"protocolVersion": 1, "alerts": [pushed("fw-1", v.clone())]});
        let err = from_json::<AlertBatch>(body.to_string().as_bytes()).expect_err("bad");
        assert!(err.to_string().contains(needle), "{v}: {err}");
    }
}

#[test]
fn batch_size_is_one_to_a_thousand() {
    let err = batch(vec![]).validate().expect_err("empty");
    assert!(
        err.mentions("alerts", "is empty; send 1 to 1000 alerts"),
        "{err}"
    );
    let full: Vec<Value> = (0..MAX_BATCH_ALERTS)
        .map(|i| pushed(&format!("fw-{i}"), json!(1)))
        .collect();
    assert_eq!(batch(full.clone()).validate(), Ok(()));
    let mut over = full;
    over.push(pushed("fw-x", json!(1)));
    let err = batch(over).validate().expect_err("1001");
    assert!(
        err.mentions("alerts", "holds 1001 alerts; the limit is 1000"),
        "{err}"
    );
}

#[test]
fn a_batch_carrying_one_alert_twice_is_refused_naming_both_positions() {
    let b = batch(vec![
        pushed("fw-1", json!(1)),
        pushed("fw-2", json!(1)),
        pushed("fw-1", json!(2)),
    ]);
    let err = b.validate().expect_err("duplicate");
    assert!(
        err.mentions("alerts[2].providerAlertId", "'fw-1' is also alerts[0]"),
        "{err}"
    );
    assert_eq!(err.problems.len(), 1);
}

#[test]
fn provider_alert_ids_and_the_version_are_checked() {
    let mut b = batch(vec![
        pushed("", json!(1)),
        pushed(&"x".repeat(257), json!(1)),
        pushed("a\nb", json!(1)),
    ]);
    b.protocol_version = 0;
    let err = b.validate().expect_err("bad ids");
    assert!(
        err.mentions("protocolVersion", "version 0 is not supported"),
        "{err}"
    );
    assert!(
        err.mentions("alerts[0].providerAlertId", "must not be empty"),
        "{err}"
    );
    assert!(
        err.mentions("alerts[1].providerAlertId", "the limit is 256"),
        "{err}"
    );
    assert!(
        err.mentions("alerts[2].providerAlertId", "control characters"),
        "{err}"
    );
}

#[test]
fn the_ordering_rule_applies_newer_and_ignores_older_versions() {
    use ProviderVersion::{Sequence as S, Timestamp as T};
    let t1 = T(datetime!(2025-03-01 10:00 UTC));
    let t1_other_offset = T(datetime!(2025-03-01 12:00 +02:00));
    let t2 = T(datetime!(2025-03-01 10:00:00.001 UTC));
    let cases = [
        (None, S(0), Decision::Create),
        (Some(S(3)), S(4), Decision::Apply),
        (Some(S(3)), S(3), Decision::Duplicate),
        (Some(S(3)), S(2), Decision::Stale),
        (Some(t1), t2, Decision::Apply),
        (Some(t2), t1, Decision::Stale),
        (Some(t1), t1_other_offset, Decision::Duplicate),
        (Some(S(3)), t1, Decision::KindMismatch),
        (Some(t1), S(u64::MAX), Decision::KindMismatch),
    ];
    for (stored, incoming, want) in cases {
        assert_eq!(
            order(stored.as_ref(), &incoming),
            want,
            "{stored:?} {incoming:?}"
        );
    }
}

#[test]
fn decisions_map_to_the_reported_outcomes() {
    let id = pushed_alert_id(&TenantId(TENANT.into()), "Edge Firewall", "fw-1");
    let r = |d, stored: Option<u64>| {
        AlertResult::decided(
            "fw-1",
            id.clone(),
            d,
            stored.map(ProviderVersion::Sequence),
            &ProviderVersion::Sequence(3),
        )
    };
    let created = r(Decision::Create, None);
    assert_eq!(
        (created.outcome, created.alert_id.as_ref()),
        (AlertOutcome::Created, Some(&id))
    );
    assert_eq!(
        r(Decision::ApplyKeepingLocal, Some(2)).outcome,
        AlertOutcome::Updated
    );
    let stale = r(Decision::Stale, Some(7));
    assert_eq!(stale.outcome, AlertOutcome::Stale);
    assert_eq!(stale.stored_version, Some(ProviderVersion::Sequence(7)));
    assert_eq!(
        r(Decision::Duplicate, Some(3)).outcome,
        AlertOutcome::Unchanged
    );
    let stored_t = ProviderVersion::Timestamp(datetime!(2025-03-01 10:00 UTC));
    let mismatch = AlertResult::decided(
        "fw-1",
        id,
        Decision::KindMismatch,
        Some(stored_t),
        &ProviderVersion::Sequence(3),
    );
    assert_eq!(
        (mismatch.outcome, mismatch.alert_id),
        (AlertOutcome::Rejected, None)
    );
    let reason = mismatch.reason.expect("a reason");
    assert!(
        reason.contains("keep one kind of version per alert"),
        "{reason}"
    );
    let json = serde_json::to_value(&stale).expect("serialises");
    assert_eq!(json["outcome"], "stale");
    assert!(json.get("reason").is_none());
}

/// Changes `item`'s alert object as a map.
fn edit(
    item: &mut PushedAlert,
    change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) {
    let mut alert = item.alert.to_map();
    change(&mut alert);
    item.alert = alert.into();
}

#[test]
fn a_pushed_alert_becomes_a_stored_alert_with_secgraph_owned_members() {
    let tenant = TenantId(TENANT.into());
    let mut item: PushedAlert = serde_json::from_value(pushed("fw-1", json!(1))).expect("item");
    edit(&mut item, |alert| {
        alert.insert("id".into(), json!("chosen-by-provider"));
        alert.insert("tenantId".into(), json!("someone-else"));
        alert.insert(
            "vendorInformation".into(),
            json!({"provider": "Spoofed", "vendor": "Other", "subProvider": "edge-2"}),
        );
    });
    let s = item.into_stored(&tenant, &vendor()).expect("stores");
    assert_eq!(
        s.alert.id,
        pushed_alert_id(&tenant, "Edge Firewall", "fw-1")
    );
    assert_eq!(s.alert.provider_alert_id.as_deref(), Some("fw-1"));
    assert_eq!(s.alert.tenant_id.as_deref(), Some(TENANT));
    assert_eq!(s.alert.product_name.as_deref(), Some("Edge Firewall"));
    assert_eq!(s.alert.status, model::enums::AlertStatus::New);
    assert_eq!(s.alert.last_update_date_time, s.alert.created_date_time);
    assert_eq!(s.vendor.provider.as_deref(), Some("Edge Firewall"));
    assert_eq!(s.vendor.vendor.as_deref(), Some("Contoso"));
    assert_eq!(s.vendor.sub_provider.as_deref(), Some("edge-2"));
}

#[test]
fn a_pushed_alert_that_does_not_fit_alerts_v2_is_rejected_with_the_property() {
    let tenant = TenantId(TENANT.into());
    let mut item: PushedAlert = serde_json::from_value(pushed("fw-1", json!(1))).expect("item");
    edit(&mut item, |alert| {
        alert.remove("createdDateTime");
    });
    let err = item
        .into_stored(&tenant, &vendor())
        .expect_err("no createdDateTime");
    assert!(err.contains("createdDateTime"), "{err}");
    let mut item: PushedAlert = serde_json::from_value(pushed("fw-1", json!(1))).expect("item");
    edit(&mut item, |alert| {
        alert.insert("severity".into(), json!("catastrophic"));
    });
    let err = item
        .into_stored(&tenant, &vendor())
        .expect_err("bad severity");
    assert!(err.starts_with("severity"), "{err}");
}

#[test]
fn pushed_alert_ids_are_stable_and_distinct_per_tenant_and_provider() {
    let a = TenantId(TENANT.into());
    let b = TenantId("0f6a2b41-1111-4c3b-8d3e-5f9b2b8f2d11".into());
    let id = pushed_alert_id(&a, "Edge Firewall", "fw-1");
    assert_eq!(id, pushed_alert_id(&a, "Edge Firewall", "fw-1"));
    assert_ne!(id, pushed_alert_id(&b, "Edge Firewall", "fw-1"));
    assert_ne!(id, pushed_alert_id(&a, "Mail Gateway", "fw-1"));
    assert_ne!(id, pushed_alert_id(&a, "Edge Firewall", "fw-2"));
    assert!(uuid::Uuid::parse_str(id.as_str()).is_ok());
}

fn version() -> impl Strategy<Value = ProviderVersion> {
    prop_oneof![
        any::<u64>().prop_map(ProviderVersion::Sequence),
        (0i64..4_102_444_800, 0u32..1_000_000_000).prop_map(|(s, n)| {
            let t = time::OffsetDateTime::from_unix_timestamp(s).expect("in range");
            ProviderVersion::Timestamp(t.replace_nanosecond(n / 100 * 100).expect("valid"))
        }),
    ]
}

proptest! {
    /// Out-of-order delivery converges: of two versions of one kind, exactly one order applies
    /// the second, and re-sending either is a duplicate.
    #[test]
    fn ordering_is_antisymmetric(a in version(), b in version()) {
        let ab = order(Some(&a), &b);
        let ba = order(Some(&b), &a);
        match a.compare(&b) {
            None => prop_assert!(ab == Decision::KindMismatch && ba == Decision::KindMismatch),
            Some(std::cmp::Ordering::Equal) => prop_assert!(ab == Decision::Duplicate && ba == Decision::Duplicate),
            Some(_) => prop_assert!(
                (ab == Decision::Apply && ba == Decision::Stale) || (ab == Decision::Stale && ba == Decision::Apply)
            ),
        }
        prop_assert_eq!(order(Some(&a), &a), Decision::Duplicate);
    }

    /// A version survives its JSON form.
    #[test]
    fn versions_round_trip_through_json(v in version()) {
        let text = serde_json::to_string(&v).expect("serialises");
        let back: ProviderVersion = serde_json::from_str(&text).expect("parses");
        prop_assert_eq!(back, v);
    }
}
