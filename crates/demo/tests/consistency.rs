//! Each alert is internally consistent: timestamps in order inside the window, triage fields
//! that agree with each other, the configured tenant everywhere, and a lossless round trip.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use model::datetime;
use model::enums::{AlertClassification as C, AlertDetermination as D, AlertStatus as S};
use model::StoredAlert;
use time::Duration;

fn allowed(class: C) -> &'static [D] {
    match class {
        C::TruePositive => &[
            D::Apt,
            D::Malware,
            D::UnwantedSoftware,
            D::Other,
            D::MultiStagedAttack,
            D::CompromisedAccount,
            D::Phishing,
            D::MaliciousUserActivity,
        ],
        C::FalsePositive => &[D::NotMalicious, D::NotEnoughDataToValidate, D::Other],
        C::InformationalExpectedActivity => &[
            D::SecurityTesting,
            D::LineOfBusinessApplication,
            D::ConfirmedActivity,
            D::SecurityPersonnel,
            D::Other,
        ],
        _ => &[D::Unknown],
    }
}

#[test]
fn timestamps_are_ordered_and_inside_the_30_day_window() {
    let start = common::ANCHOR - Duration::days(30);
    for a in common::alerts() {
        let x = &a.alert;
        let first = x.first_activity_date_time.unwrap();
        let last = x.last_activity_date_time.unwrap();
        assert!(start <= first && first <= last, "{}", x.id);
        assert!(
            last <= x.created_date_time && x.created_date_time <= x.last_update_date_time,
            "{}",
            x.id
        );
        assert!(x.last_update_date_time <= common::ANCHOR, "{}", x.id);
        match (x.status, x.resolved_date_time) {
            (S::Resolved, Some(r)) => {
                assert!(x.created_date_time <= r && r <= x.last_update_date_time)
            }
            (S::Resolved, None) => panic!("{} resolved without resolvedDateTime", x.id),
            (_, r) => assert!(
                r.is_none(),
                "{} not resolved but has resolvedDateTime",
                x.id
            ),
        }
        for c in &x.comments {
            let t = c.created_date_time.unwrap();
            assert!(
                x.created_date_time <= t && t <= x.last_update_date_time,
                "{}",
                x.id
            );
            assert!(c.comment.is_some() && c.created_by_display_name.is_some());
        }
    }
}

#[test]
fn evidence_is_stamped_with_the_alert_creation_time() {
    for a in common::alerts_json() {
        let created = &a["alert"]["createdDateTime"];
        for e in a["alert"]["evidence"].as_array().unwrap() {
            assert_eq!(&e["createdDateTime"], created);
        }
    }
}

#[test]
fn classification_and_determination_agree() {
    for a in common::alerts() {
        let x = &a.alert;
        assert_eq!(
            x.classification.is_some(),
            x.determination.is_some(),
            "{}",
            x.id
        );
        if let (Some(c), Some(d)) = (x.classification, x.determination) {
            assert!(allowed(c).contains(&d), "{}: {c} with {d}", x.id);
        }
        if x.status == S::Resolved {
            assert!(x.classification.is_some(), "{} resolved but ungraded", x.id);
        }
        if x.status == S::New {
            assert!(
                matches!(x.classification, None | Some(C::Unknown)),
                "{}",
                x.id
            );
        }
        if let Some(feedback) = a.legacy.feedback.as_deref() {
            let expected = match x.classification {
                Some(C::TruePositive) => "truePositive",
                Some(C::FalsePositive) => "falsePositive",
                Some(C::InformationalExpectedActivity) => "benignPositive",
                _ => "unknown",
            };
            assert_eq!(feedback, expected, "{}", x.id);
        }
    }
}

#[test]
fn triage_details_are_present_on_some_alerts() {
    let alerts = common::alerts();
    let assigned = alerts
        .iter()
        .filter(|a| a.alert.assigned_to.is_some())
        .count();
    let commented = alerts
        .iter()
        .filter(|a| !a.alert.comments.is_empty())
        .count();
    let legacy = alerts
        .iter()
        .filter(|a| a.legacy.feedback.is_some() || !a.legacy.tags.is_empty())
        .count();
    assert!(
        assigned > 100 && commented > 50,
        "assigned {assigned}, commented {commented}"
    );
    assert!(legacy > 10 && legacy < alerts.len() / 4, "legacy {legacy}");
    assert!(alerts
        .iter()
        .all(|a| a.legacy.comments.is_empty() && !a.legacy.dismissed && a.legacy.extra.is_empty()));
}

#[test]
fn tenant_vendor_and_incident_fields() {
    let mut cfg = common::config();
    cfg.tenant = "0b5e7c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b".into();
    for a in demo::generate(&cfg) {
        assert_eq!(a.alert.tenant_id.as_deref(), Some(cfg.tenant.as_str()));
        assert!(a.alert.incident_id.is_none() && a.alert.incident_web_url.is_none());
        assert!(a.vendor.vendor.is_some() && a.vendor.provider.is_some());
        assert!(
            a.alert.title.is_some()
                && a.alert.description.is_some()
                && a.alert.provider_alert_id.is_some()
        );
        assert!(!a.alert.evidence.is_empty(), "{}", a.alert.id);
        if let Some(url) = &a.alert.alert_web_url {
            assert!(url.ends_with(&format!("?tid={}", cfg.tenant)), "{url}");
        }
        if a.alert.product_name.as_deref() == Some("Suricata") {
            assert_eq!(a.vendor.vendor.as_deref(), Some("OISF"));
            assert_eq!(a.vendor.provider.as_deref(), Some("Suricata"));
            assert!(a
                .vendor
                .provider_version
                .as_deref()
                .unwrap()
                .starts_with("7.0."));
        }
    }
}

#[test]
fn defender_ids_embed_the_creation_time() {
    let mde = common::alerts()
        .into_iter()
        .filter(|a| a.alert.product_name.as_deref() == Some("Microsoft Defender for Endpoint"));
    for a in mde {
        let id = a.alert.id.as_str();
        let rest = id.strip_prefix("da").unwrap();
        let (ticks, suffix) = rest.split_once('_').unwrap();
        suffix.parse::<i32>().unwrap();
        let ticks: i128 = ticks.parse().unwrap();
        let unix_nanos = (ticks - 621_355_968_000_000_000) * 100;
        assert_eq!(
            unix_nanos,
            a.alert.created_date_time.unix_timestamp_nanos(),
            "{id}"
        );
        assert_eq!(a.alert.provider_alert_id.as_deref(), Some(id));
    }
}

#[test]
fn every_alert_round_trips_losslessly() {
    for a in common::alerts() {
        let text = serde_json::to_string(&a).unwrap();
        let back: StoredAlert = serde_json::from_str(&text).unwrap();
        assert_eq!(back, a);
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
        let created = serde_json::to_value(&a).unwrap()["alert"]["createdDateTime"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(created.len(), 28, "seven fractional digits: {created}");
        assert_eq!(
            datetime::parse(&created).unwrap(),
            a.alert.created_date_time
        );
    }
}
