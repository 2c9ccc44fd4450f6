//! The alerts the `providers` benchmark pushes: [`demo`] alerts (realistic titles, severities,
//! evidence, MITRE techniques) turned into what a provider sends — a
//! [`provider_protocol::PushedAlert`] with its own `providerAlertId` and an integer version — and
//! cut into [`provider_protocol::AlertBatch`] bodies.
//!
//! A provider reports detections, not its customers' triage, so the SOC's members of the demo
//! alert (`classification`, `determination`, `assignedTo`, `comments`) are dropped and `status`
//! is `new`; the members secgraph owns (`id`, `tenantId`, `providerAlertId`) are dropped too, as
//! secgraph sets them whatever the object says. Everything else is the demo alert as Graph JSON.

use model::TenantId;
use provider_protocol::{AlertBatch, ProviderVersion, PushedAlert, PROTOCOL_VERSION};
use serde_json::Value;
use time::OffsetDateTime;

/// Members of a demo alert a provider would not send.
const DROPPED: [&str; 7] = [
    "id",
    "tenantId",
    "providerAlertId",
    "classification",
    "determination",
    "assignedTo",
    "comments",
];

/// The order alerts are pushed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By `createdDateTime`, as a provider's feed delivers them.
    Created,
    /// The demo generator's order (creation times shuffled over 30 days): the worst case for the
    /// time-keyed indexes.
    Shuffled,
}

/// `count` distinct provider alerts at version 1, generated from the demo set as of `anchor`, in
/// `order`; the `i`-th pushed has `providerAlertId` `bench-{i}`.
pub fn generate(
    count: usize,
    anchor: OffsetDateTime,
    order: Order,
) -> Result<Vec<PushedAlert>, String> {
    let mut alerts = demo_alerts(count, anchor)?;
    if order == Order::Created {
        // Graph's fixed-width UTC text sorts as the instants do.
        alerts.sort_by_cached_key(|a| {
            a.alert
                .to_map()
                .get("createdDateTime")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
    }
    for (i, a) in alerts.iter_mut().enumerate() {
        a.provider_alert_id = provider_alert_id(i);
    }
    Ok(alerts)
}

/// The demo alerts as provider alerts (ids not yet assigned).
fn demo_alerts(count: usize, anchor: OffsetDateTime) -> Result<Vec<PushedAlert>, String> {
    // The demo generator needs a tenant for its ids; secgraph replaces them on push.
    let mut cfg = demo::DemoConfig::new(TenantId(demo::DEMO_TENANT_ID.to_owned()), anchor);
    cfg.count = count;
    (0..count)
        .map(|i| {
            let stored = demo::alert_at(&cfg, i).map_err(|e| format!("demo alert {i}: {e}"))?;
            let Value::Object(mut alert) = serde_json::to_value(&stored.alert)
                .map_err(|e| format!("demo alert {i} as JSON: {e}"))?
            else {
                return Err(format!("demo alert {i} is not a JSON object"));
            };
            for member in DROPPED {
                alert.remove(member);
            }
            alert.insert("status".into(), Value::String("new".into()));
            Ok(PushedAlert {
                provider_alert_id: String::new(),
                version: ProviderVersion::Sequence(1),
                alert: alert.into(),
            })
        })
        .collect()
}

/// The provider's id of alert `i`.
pub fn provider_alert_id(i: usize) -> String {
    format!("bench-{i:08}")
}

/// A newer revision of `alert`: version + 1, a later `lastUpdateDateTime` and a higher severity
/// (what a provider sends when a detection escalates).
pub fn revised(alert: &PushedAlert) -> PushedAlert {
    let mut next = alert.clone();
    next.version = match alert.version {
        ProviderVersion::Sequence(v) => ProviderVersion::Sequence(v + 1),
        ProviderVersion::Timestamp(t) => ProviderVersion::Timestamp(t + time::Duration::seconds(1)),
    };
    let mut object = next.alert.to_map();
    let later = object
        .get("lastUpdateDateTime")
        .and_then(Value::as_str)
        .and_then(|s| OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok())
        .map(|t| t + time::Duration::minutes(5));
    if let Some(Ok(text)) = later.map(|t| t.format(&time::format_description::well_known::Rfc3339))
    {
        object.insert("lastUpdateDateTime".into(), Value::String(text));
    }
    object.insert("severity".into(), Value::String("high".into()));
    next.alert = object.into();
    next
}

/// The JSON bodies of `alerts` in batches of at most `batch` (in order).
pub fn batch_bodies(alerts: &[PushedAlert], batch: usize) -> Result<Vec<bytes::Bytes>, String> {
    alerts
        .chunks(batch.max(1))
        .map(|chunk| {
            let body = AlertBatch {
                protocol_version: PROTOCOL_VERSION,
                alerts: chunk.to_vec(),
            };
            serde_json::to_vec(&body)
                .map(bytes::Bytes::from)
                .map_err(|e| format!("cannot serialise a batch: {e}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use model::VendorInformation;
    use std::collections::HashSet;

    fn anchor() -> OffsetDateTime {
        time::macros::datetime!(2026-11-01 0:00 UTC)
    }

    #[test]
    fn generated_alerts_are_distinct_valid_provider_alerts() {
        let alerts = generate(300, anchor(), Order::Shuffled).unwrap();
        assert_eq!(alerts.len(), 300);
        let ids: HashSet<_> = alerts.iter().map(|a| a.provider_alert_id.clone()).collect();
        assert_eq!(ids.len(), 300);
        let titles: HashSet<_> = alerts
            .iter()
            .map(|a| a.alert.to_map()["title"].clone())
            .collect();
        assert!(
            titles.len() > 10,
            "realistic variety: {} titles",
            titles.len()
        );
        assert!(alerts.iter().any(|a| a.alert.to_map()["evidence"]
            .as_array()
            .is_some_and(|e| !e.is_empty())));
        let tenant = TenantId("8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10".into());
        let vendor = VendorInformation {
            provider: Some("Bench".into()),
            vendor: Some("secgraph".into()),
            ..VendorInformation::default()
        };
        for a in &alerts {
            assert!(!a.alert.to_map().contains_key("comments"));
            let stored = a.clone().into_stored(&tenant, &vendor).unwrap();
            assert_eq!(stored.alert.status.as_str(), "new");
        }
    }

    #[test]
    fn a_revision_is_newer_and_batches_hold_at_most_the_batch_size() {
        let alerts = generate(25, anchor(), Order::Created).unwrap();
        let created: Vec<String> = alerts
            .iter()
            .map(|a| {
                a.alert.to_map()["createdDateTime"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert!(created.windows(2).all(|w| w[0] <= w[1]), "{created:?}");
        let next = revised(&alerts[3]);
        assert_eq!(next.version, ProviderVersion::Sequence(2));
        assert_ne!(
            next.alert.to_map()["lastUpdateDateTime"],
            alerts[3].alert.to_map()["lastUpdateDateTime"]
        );
        assert_eq!(next.provider_alert_id, alerts[3].provider_alert_id);
        let bodies = batch_bodies(&alerts, 10).unwrap();
        assert_eq!(bodies.len(), 3);
        let last: AlertBatch = serde_json::from_slice(&bodies[2]).unwrap();
        assert_eq!(last.alerts.len(), 5);
        last.validate().unwrap();
        assert_eq!(last.alerts[0].provider_alert_id, provider_alert_id(20));
    }
}
