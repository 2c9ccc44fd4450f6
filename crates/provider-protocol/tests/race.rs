//! The race rule: a provider update racing a local PATCH of the same alert.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use model::enums::{AlertClassification, AlertStatus};
use model::{AlertPatch, LegacyAlertPatch, StoredAlert, TenantId, VendorInformation};
use provider_protocol::push::{decide, keep_local, LocalChange};
use provider_protocol::{AlertChanges, Decision, ProviderVersion, PushedAlert};
use serde_json::json;
use time::macros::datetime;

use ProviderVersion::Sequence as S;

fn applied(v: Option<u64>) -> LocalChange {
    LocalChange::Applied {
        provider_version: v.map(S),
    }
}

#[test]
fn a_pending_patch_keeps_its_properties_against_newer_provider_updates() {
    let cases = [
        // ordering first: stale, duplicate and mismatched updates are never applied
        (
            Some(S(5)),
            S(4),
            Some(LocalChange::Pending),
            Decision::Stale,
        ),
        (
            Some(S(5)),
            S(5),
            Some(LocalChange::Pending),
            Decision::Duplicate,
        ),
        (
            Some(S(5)),
            ProviderVersion::Timestamp(datetime!(2025-03-01 10:00 UTC)),
            Some(LocalChange::Pending),
            Decision::KindMismatch,
        ),
        (None, S(1), Some(LocalChange::Pending), Decision::Create),
        // no local change: the newer update wins
        (Some(S(5)), S(6), None, Decision::Apply),
        // pending: the local PATCH wins for what it changed
        (
            Some(S(5)),
            S(6),
            Some(LocalChange::Pending),
            Decision::ApplyKeepingLocal,
        ),
        (
            Some(S(5)),
            S(99),
            Some(LocalChange::Pending),
            Decision::ApplyKeepingLocal,
        ),
        // applied at version 8: updates before 8 predate it, from 8 on they include it
        (
            Some(S(5)),
            S(7),
            Some(applied(Some(8))),
            Decision::ApplyKeepingLocal,
        ),
        (Some(S(5)), S(8), Some(applied(Some(8))), Decision::Apply),
        (Some(S(5)), S(9), Some(applied(Some(8))), Decision::Apply),
        // applied without a version, or rejected: the guard is lifted
        (Some(S(5)), S(6), Some(applied(None)), Decision::Apply),
        (
            Some(S(5)),
            S(6),
            Some(LocalChange::Rejected),
            Decision::Apply,
        ),
        // an acknowledged version of the other kind counts as none
        (
            Some(S(5)),
            S(6),
            Some(LocalChange::Applied {
                provider_version: Some(ProviderVersion::Timestamp(datetime!(2030-01-01 0:00 UTC))),
            }),
            Decision::Apply,
        ),
    ];
    for (stored, incoming, local, want) in cases {
        assert_eq!(
            decide(stored.as_ref(), &incoming, local.as_ref()),
            want,
            "{stored:?} {incoming:?} {local:?}"
        );
    }
}

fn provider_alert(status: &str, title: &str) -> StoredAlert {
    let item: PushedAlert = serde_json::from_value(json!({
        "providerAlertId": "fw-1", "version": 1,
        "alert": {"title": title, "severity": "high", "status": status,
                  "assignedTo": "provider-queue",
                  "createdDateTime": "2025-03-01T10:00:00Z"}}))
    .expect("item");
    let vendor = VendorInformation {
        provider: Some("Edge Firewall".into()),
        vendor: Some("Contoso".into()),
        ..VendorInformation::default()
    };
    item.into_stored(&TenantId("t1".into()), &vendor)
        .expect("stores")
}

#[test]
fn keeping_local_restores_only_the_patched_properties() {
    let before = provider_alert("new", "v1");
    let mut local = before.clone();
    let patch =
        AlertPatch::from_json(&json!({"status": "resolved", "classification": "falsePositive"}))
            .expect("patch");
    patch.apply(
        &mut local,
        datetime!(2025-03-01 10:05 UTC),
        "analyst@contoso.example",
    );
    let changes = AlertChanges::between(&before, &local);

    // The provider, not yet aware of the PATCH, changes the title and reassigns the alert.
    let mut incoming = provider_alert("inProgress", "v2");
    incoming.alert.assigned_to = Some("tier-2".into());
    keep_local(&mut incoming, &local, &changes);

    assert_eq!(incoming.alert.status, AlertStatus::Resolved);
    assert_eq!(
        incoming.alert.resolved_date_time,
        Some(datetime!(2025-03-01 10:05 UTC))
    );
    assert_eq!(
        incoming.alert.classification,
        Some(AlertClassification::FalsePositive)
    );
    assert_eq!(incoming.alert.title.as_deref(), Some("v2"));
    assert_eq!(incoming.alert.assigned_to.as_deref(), Some("tier-2"));
}

#[test]
fn keeping_local_restores_legacy_properties_and_adds_missing_comments() {
    let before = provider_alert("new", "v1");
    let mut local = before.clone();
    let legacy = LegacyAlertPatch::from_json(&json!({
        "status": "dismissed", "tags": ["noise"], "comments": ["Closed in IPC"],
        "vendorInformation": {"provider": "Edge Firewall", "vendor": "Contoso"}}))
    .expect("legacy patch");
    legacy
        .apply(&mut local, datetime!(2025-03-01 10:05 UTC))
        .expect("applies");
    local.alert.comments.push(model::AlertComment {
        comment: Some("checked with the owner".into()),
        created_by_display_name: Some("analyst".into()),
        created_date_time: Some(datetime!(2025-03-01 10:06 UTC)),
    });
    let changes = AlertChanges::between(&before, &local);
    assert_eq!(changes.dismissed, Some(true));
    assert_eq!(changes.comments.len(), 1);

    let mut incoming = provider_alert("new", "v2");
    keep_local(&mut incoming, &local, &changes);
    assert_eq!(incoming.alert.status, AlertStatus::Resolved);
    assert!(incoming.legacy.dismissed);
    assert_eq!(incoming.legacy.tags, ["noise"]);
    assert_eq!(incoming.legacy.comments, ["Closed in IPC"]);
    assert_eq!(incoming.alert.comments, local.alert.comments);
    // applying twice does not duplicate the comment
    keep_local(&mut incoming, &local, &changes);
    assert_eq!(incoming.alert.comments.len(), 1);
}
