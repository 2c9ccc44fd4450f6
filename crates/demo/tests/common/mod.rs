//! Shared fixtures: the default demo set as of a fixed anchor, as typed alerts and as JSON.

#![allow(dead_code)]

use demo::{DemoConfig, DEMO_TENANT_ID};
use model::StoredAlert;
use serde_json::Value;
use time::macros::datetime;
use time::OffsetDateTime;

/// The anchor every test uses.
pub const ANCHOR: OffsetDateTime = datetime!(2025-06-01 0:00 UTC);

/// The default configuration for the demo tenant.
pub fn config() -> DemoConfig {
    DemoConfig::new(DEMO_TENANT_ID.into(), ANCHOR)
}

/// The default 640 alerts.
pub fn alerts() -> Vec<StoredAlert> {
    let cfg = config();
    let out: Vec<StoredAlert> = demo::try_generate(&cfg).map(|r| r.unwrap()).collect();
    assert_eq!(out.len(), cfg.count);
    out
}

/// The default 640 alerts as JSON (`{"alert":…, "vendor":…, "legacy":…}`).
pub fn alerts_json() -> Vec<Value> {
    alerts()
        .iter()
        .map(|a| serde_json::to_value(a).unwrap())
        .collect()
}

/// Every evidence item of every alert, with the alert's product name.
pub fn evidence(json: &[Value]) -> Vec<(String, Value)> {
    json.iter()
        .flat_map(|a| {
            let product = a["alert"]["productName"].as_str().unwrap().to_string();
            a["alert"]["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |e| (product.clone(), e.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}
