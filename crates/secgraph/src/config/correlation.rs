//! The `[correlation]` section of the configuration: how alerts are grouped into incidents (the
//! `correlate` crate's configuration), for every tenant and per tenant.
//!
//! ```toml
//! [correlation]                 # every tenant (each key defaults as documented in docs/correlation.md)
//! window = "24h"
//! frequency_cap = 50
//! entity_cap = 200
//!
//! [[correlation.rules]]
//! name = "same-device"
//! entities = ["device"]
//!
//! [correlation.tenants."0b5e7c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b"]
//! window = "4h"                 # this tenant: keys set here replace the section's
//! ```
//!
//! Each configuration is checked (`correlate::Config::validate`) when secgraph starts; a mistake is
//! an error naming the tenant and what is wrong, not a silently ignored setting.

use anyhow::Context;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use store::CorrelationSettings;

/// `[correlation]`: the configuration of every tenant, and per-tenant overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CorrelationConfig {
    /// The section's keys (`window`, `rules`, `stop_list`, `frequency_cap`, `entity_cap`), checked
    /// against `correlate::Config` (which refuses unknown keys) when the settings are built.
    #[serde(flatten)]
    pub all: BTreeMap<String, Value>,
    /// Per tenant id: keys that replace the section's for that tenant.
    #[serde(default)]
    pub tenants: BTreeMap<String, BTreeMap<String, Value>>,
}

impl CorrelationConfig {
    /// The store's correlation settings, with incident web URLs under `public_url`.
    pub fn settings(&self, public_url: &str) -> anyhow::Result<CorrelationSettings> {
        let default = build(&self.all, &BTreeMap::new()).context("[correlation]")?;
        let mut tenants = std::collections::HashMap::new();
        for (tenant, overrides) in &self.tenants {
            let config = build(&self.all, overrides)
                .with_context(|| format!("[correlation.tenants.\"{tenant}\"]"))?;
            tenants.insert(model::TenantId(tenant.clone()), config);
        }
        Ok(CorrelationSettings {
            default,
            tenants,
            public_url: Some(public_url.trim_end_matches('/').to_owned()),
        })
    }
}

/// The `correlate::Config` of `base` with `overrides` replacing its keys, checked.
fn build(
    base: &BTreeMap<String, Value>,
    overrides: &BTreeMap<String, Value>,
) -> anyhow::Result<correlate::Config> {
    let mut keys = base.clone();
    keys.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
    let object: serde_json::Map<String, Value> = keys.into_iter().collect();
    let config: correlate::Config =
        serde_json::from_value(Value::Object(object)).map_err(|e| anyhow::anyhow!("{e}"))?;
    config.validate().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn section(v: Value) -> CorrelationConfig {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn an_empty_section_is_the_documented_default() {
        let s = CorrelationConfig::default()
            .settings("http://h:1/")
            .unwrap();
        assert_eq!(s.default, correlate::Config::default());
        assert_eq!(s.public_url.as_deref(), Some("http://h:1"));
    }

    #[test]
    fn a_tenant_replaces_only_the_keys_it_sets() {
        let s = section(json!({"window": "12h", "frequency_cap": 7,
                               "tenants": {"t1": {"window": "4h"}}}))
        .settings("http://h")
        .unwrap();
        assert_eq!(s.default.window, time::Duration::hours(12));
        let t1 = &s.tenants[&model::TenantId("t1".into())];
        assert_eq!((t1.window, t1.frequency_cap), (time::Duration::hours(4), 7));
    }

    #[test]
    fn mistakes_name_where_they_are() {
        let e = section(json!({"windw": "1h"}))
            .settings("http://h")
            .unwrap_err();
        assert!(
            format!("{e:#}").contains("[correlation]: unknown field `windw`"),
            "{e:#}"
        );
        let e = section(json!({"tenants": {"t9": {"frequency_cap": 0}}}))
            .settings("http://h")
            .unwrap_err();
        assert!(
            format!("{e:#}").contains("t9") && format!("{e:#}").contains("frequency_cap"),
            "{e:#}"
        );
    }
}
