//! The throttle categories: which Graph entity sets share one quota, and the limits Microsoft
//! publishes for each (`shared/spec/graph-security.md` §2.6).

use serde::{Deserialize, Serialize};

/// A group of routes that share one quota per application per tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// `/security/alerts_v2`: Graph publishes no limit; none by default.
    AlertsV2,
    /// `/security/incidents` (with their alerts): Graph publishes no limit; none by default.
    Incidents,
    /// `/security/alerts` (legacy): 150 requests per minute.
    LegacyAlerts,
    /// `/security/securityActions`: 150 requests per minute.
    SecurityActions,
    /// `/security/secureScores` and `/security/secureScoreControlProfiles`: 150 requests per
    /// minute, 10,000 per 10 minutes and 4 at once.
    SecureScore,
    /// `/security/tiIndicators`: 1,000 requests per minute.
    TiIndicators,
    /// `/subscriptions`: Graph publishes no limit for them; none by default.
    Subscriptions,
}

impl Category {
    /// Every category, in configuration order.
    pub const ALL: [Category; 7] = [
        Category::AlertsV2,
        Category::Incidents,
        Category::LegacyAlerts,
        Category::SecurityActions,
        Category::SecureScore,
        Category::TiIndicators,
        Category::Subscriptions,
    ];

    /// The configuration key (`[throttle.limits] ti_indicators = ...`).
    pub const fn key(self) -> &'static str {
        match self {
            Category::AlertsV2 => "alerts_v2",
            Category::Incidents => "incidents",
            Category::LegacyAlerts => "legacy_alerts",
            Category::SecurityActions => "security_actions",
            Category::SecureScore => "secure_score",
            Category::TiIndicators => "ti_indicators",
            Category::Subscriptions => "subscriptions",
        }
    }

    /// What a client is told it was throttled on.
    pub const fn describe(self) -> &'static str {
        match self {
            Category::AlertsV2 => "security/alerts_v2",
            Category::Incidents => "security/incidents",
            Category::LegacyAlerts => "security/alerts",
            Category::SecurityActions => "security/securityActions",
            Category::SecureScore => "security/secureScores and secureScoreControlProfiles",
            Category::TiIndicators => "security/tiIndicators",
            Category::Subscriptions => "subscriptions",
        }
    }

    /// The category of a Graph route path (below the version root, as in the permission table),
    /// or `None` for a path no category covers.
    pub fn of_path(path: &str) -> Option<Category> {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        let category = if under("/security/alerts_v2") {
            Category::AlertsV2
        } else if under("/security/incidents") {
            Category::Incidents
        } else if under("/security/alerts") {
            Category::LegacyAlerts
        } else if under("/security/securityActions") {
            Category::SecurityActions
        } else if under("/security/secureScores") || under("/security/secureScoreControlProfiles") {
            Category::SecureScore
        } else if under("/security/tiIndicators") {
            Category::TiIndicators
        } else if under("/subscriptions") {
            Category::Subscriptions
        } else {
            return None;
        };
        Some(category)
    }

    /// Microsoft Graph's published limits for the category (none where Graph publishes none).
    pub fn graph_default(self) -> super::Limit {
        use super::{Limit, Rate};
        let per_minute = |requests| Rate {
            requests,
            window_seconds: 60,
        };
        match self {
            Category::LegacyAlerts | Category::SecurityActions => Limit {
                rates: vec![per_minute(150)],
                concurrent: 0,
            },
            Category::SecureScore => Limit {
                rates: vec![
                    per_minute(150),
                    Rate {
                        requests: 10_000,
                        window_seconds: 600,
                    },
                ],
                concurrent: 4,
            },
            Category::TiIndicators => Limit {
                rates: vec![per_minute(1000)],
                concurrent: 0,
            },
            Category::AlertsV2 | Category::Incidents | Category::Subscriptions => Limit::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_graph_route_has_a_category() {
        for route in crate::routes::table::graph_routes() {
            assert!(
                Category::of_path(route.path).is_some(),
                "{route:?} has no throttle category"
            );
        }
    }

    #[test]
    fn legacy_alerts_are_not_mistaken_for_alerts_v2() {
        assert_eq!(
            Category::of_path("/security/alerts/{id}"),
            Some(Category::LegacyAlerts)
        );
        assert_eq!(
            Category::of_path("/security/alerts_v2/{id}"),
            Some(Category::AlertsV2)
        );
        assert_eq!(Category::of_path("/security/alertsX"), None);
    }
}
