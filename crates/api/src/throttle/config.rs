//! The `[throttle]` configuration: whether throttling is on, limits for every tenant and app, and
//! overrides per application, per tenant and per application in one tenant.
//!
//! ```toml
//! [throttle]
//! enabled = true                                   # `serve --no-throttle` turns it off
//!
//! [throttle.limits]                                # every tenant and application
//! ti_indicators = { rates = [{ requests = 5000, window_seconds = 60 }] }
//! alerts_v2 = { rates = [{ requests = 600, window_seconds = 60 }] }
//!
//! [throttle.apps."<client id>"]                    # this application, in every tenant
//! secure_score = { concurrent = 8 }
//!
//! [throttle.tenants."<tenant id>".limits]          # every application of this tenant
//! legacy_alerts = { rates = [{ requests = 1000, window_seconds = 60 }] }
//!
//! [throttle.tenants."<tenant id>".apps."<client id>"]   # this application in this tenant
//! legacy_alerts = { rates = [] }                   # unthrottled
//! ```
//!
//! Each level sets `rates` and/or `concurrent` of a category; a key left out keeps the value of the
//! level below. Levels from least to most specific: Graph's defaults, `limits`, `apps`,
//! `tenants.*.limits`, `tenants.*.apps`.

use super::{Category, Limit, Rate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[throttle]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrottleConfig {
    /// Throttle at all (default true; `--no-throttle` sets false).
    #[serde(default = "enabled")]
    pub enabled: bool,
    /// Limits for every tenant and application (over Graph's defaults).
    #[serde(default)]
    pub limits: Limits,
    /// Per application client id: limits for that application in every tenant.
    #[serde(default)]
    pub apps: BTreeMap<String, Limits>,
    /// Per tenant id: limits for its applications.
    #[serde(default)]
    pub tenants: BTreeMap<String, TenantLimits>,
}

fn enabled() -> bool {
    true
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        ThrottleConfig {
            enabled: true,
            limits: Limits::default(),
            apps: BTreeMap::new(),
            tenants: BTreeMap::new(),
        }
    }
}

/// `[throttle.tenants."<tenant id>"]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantLimits {
    /// Limits for every application of the tenant.
    #[serde(default)]
    pub limits: Limits,
    /// Per application client id: limits for that application in this tenant.
    #[serde(default)]
    pub apps: BTreeMap<String, Limits>,
}

/// Settings per category; a category left out keeps the level below.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// `security/alerts_v2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerts_v2: Option<LimitOverride>,
    /// `security/incidents`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incidents: Option<LimitOverride>,
    /// `security/alerts` (legacy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_alerts: Option<LimitOverride>,
    /// `security/securityActions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_actions: Option<LimitOverride>,
    /// `security/secureScores` and `security/secureScoreControlProfiles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_score: Option<LimitOverride>,
    /// `security/tiIndicators`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ti_indicators: Option<LimitOverride>,
    /// `subscriptions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriptions: Option<LimitOverride>,
}

impl Limits {
    /// The setting for `category`, if this level has one.
    pub fn get(&self, category: Category) -> Option<&LimitOverride> {
        match category {
            Category::AlertsV2 => self.alerts_v2.as_ref(),
            Category::Incidents => self.incidents.as_ref(),
            Category::LegacyAlerts => self.legacy_alerts.as_ref(),
            Category::SecurityActions => self.security_actions.as_ref(),
            Category::SecureScore => self.secure_score.as_ref(),
            Category::TiIndicators => self.ti_indicators.as_ref(),
            Category::Subscriptions => self.subscriptions.as_ref(),
        }
    }

    /// Sets the setting for `category` (how tests and tools build a configuration).
    pub fn set(&mut self, category: Category, setting: LimitOverride) -> &mut Self {
        let slot = match category {
            Category::AlertsV2 => &mut self.alerts_v2,
            Category::Incidents => &mut self.incidents,
            Category::LegacyAlerts => &mut self.legacy_alerts,
            Category::SecurityActions => &mut self.security_actions,
            Category::SecureScore => &mut self.secure_score,
            Category::TiIndicators => &mut self.ti_indicators,
            Category::Subscriptions => &mut self.subscriptions,
        };
        *slot = Some(setting);
        self
    }
}

/// One level's setting of one category: `rates` replaces the request rates (an empty list: no rate
/// limit), `concurrent` the most requests in progress at once (0: no limit).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitOverride {
    /// Request rates, all of which must allow a request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates: Option<Vec<Rate>>,
    /// Most requests in progress at once (0: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrent: Option<u32>,
}

impl LimitOverride {
    /// `requests` per `window_seconds` and nothing else.
    pub fn rate(requests: u32, window_seconds: u32) -> Self {
        LimitOverride {
            rates: Some(vec![Rate {
                requests,
                window_seconds,
            }]),
            concurrent: None,
        }
    }

    /// No limit at all.
    pub fn unlimited() -> Self {
        LimitOverride {
            rates: Some(Vec::new()),
            concurrent: Some(0),
        }
    }

    fn apply(&self, limit: &mut Limit) {
        if let Some(rates) = &self.rates {
            limit.rates.clone_from(rates);
        }
        if let Some(n) = self.concurrent {
            limit.concurrent = n;
        }
    }
}

impl ThrottleConfig {
    /// The limit of `category` for application `app` in `tenant`, every level applied.
    pub fn resolve(&self, tenant: &str, app: &str, category: Category) -> Limit {
        let mut limit = category.graph_default();
        let tenant_limits = self.tenants.get(tenant);
        let levels = [
            Some(&self.limits),
            self.apps.get(app),
            tenant_limits.map(|t| &t.limits),
            tenant_limits.and_then(|t| t.apps.get(app)),
        ];
        for level in levels.into_iter().flatten() {
            if let Some(setting) = level.get(category) {
                setting.apply(&mut limit);
            }
        }
        limit
    }

    /// Whether any application in any tenant can have a limit on `category` (when none can, the
    /// category's requests skip the throttle entirely).
    pub fn may_limit(&self, category: Category) -> bool {
        !category.graph_default().is_unlimited()
            || self.levels().any(|level| level.get(category).is_some())
    }

    fn levels(&self) -> impl Iterator<Item = &Limits> + '_ {
        std::iter::once(&self.limits)
            .chain(self.apps.values())
            .chain(
                self.tenants
                    .values()
                    .flat_map(|t| std::iter::once(&t.limits).chain(t.apps.values())),
            )
    }

    /// Checks every rate of every level: at least one request in a window of at least one second.
    /// The error names the offending key.
    pub fn validate(&self) -> Result<(), String> {
        let mut named: Vec<(String, &Limits)> = vec![("throttle.limits".into(), &self.limits)];
        for (app, l) in &self.apps {
            named.push((format!("throttle.apps.\"{app}\""), l));
        }
        for (tenant, t) in &self.tenants {
            named.push((format!("throttle.tenants.\"{tenant}\".limits"), &t.limits));
            for (app, l) in &t.apps {
                named.push((format!("throttle.tenants.\"{tenant}\".apps.\"{app}\""), l));
            }
        }
        for (name, limits) in named {
            for category in Category::ALL {
                let rates = limits.get(category).and_then(|s| s.rates.as_deref());
                for rate in rates.unwrap_or_default() {
                    if rate.requests == 0 || rate.window_seconds == 0 {
                        return Err(format!(
                            "{name}.{}: a rate needs requests >= 1 and window_seconds >= 1 (got {} per {} s); to stop an application, revoke its consent",
                            category.key(),
                            rate.requests,
                            rate.window_seconds
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<ThrottleConfig, serde_json::Error> {
        serde_json::from_value(value)
    }

    #[test]
    fn the_most_specific_level_wins_key_by_key() {
        let rates = |n: u32| json!({"rates": [{"requests": n, "window_seconds": 60}]});
        let config = parse(json!({
            "limits": {"secure_score": rates(10)},
            "apps": {"a1": {"secure_score": {"concurrent": 8}}},
            "tenants": {"t1": {
                "limits": {"secure_score": rates(20)},
                "apps": {"a1": {"legacy_alerts": {"rates": []}}},
            }},
        }))
        .expect("config");
        let rate = |requests| Rate {
            requests,
            window_seconds: 60,
        };
        let s = Category::SecureScore;
        assert_eq!(config.resolve("t0", "a0", s).rates, [rate(10)]);
        assert_eq!(config.resolve("t0", "a0", s).concurrent, 4);
        assert_eq!(config.resolve("t0", "a1", s).concurrent, 8);
        assert_eq!(config.resolve("t1", "a1", s).rates, [rate(20)]);
        assert_eq!(config.resolve("t1", "a1", s).concurrent, 8);
        assert!(config
            .resolve("t1", "a1", Category::LegacyAlerts)
            .is_unlimited());
        let other_app = config.resolve("t1", "a2", Category::LegacyAlerts);
        assert_eq!(other_app.rates, [rate(150)]);
        assert!(!config.may_limit(Category::AlertsV2));
        assert!(config.may_limit(Category::TiIndicators));
    }

    #[test]
    fn unknown_categories_and_empty_rates_are_refused() {
        let bad = parse(json!({"limits": {"alerts": {"concurrent": 1}}})).unwrap_err();
        assert!(bad.to_string().contains("alerts_v2"), "{bad}");
        let zero = parse(json!({"tenants": {"t": {"apps": {"a": {"ti_indicators":
            {"rates": [{"requests": 0, "window_seconds": 60}]}}}}}}))
        .expect("config");
        let e = zero.validate().unwrap_err();
        assert!(
            e.contains("throttle.tenants.\"t\".apps.\"a\".ti_indicators"),
            "{e}"
        );
    }
}
