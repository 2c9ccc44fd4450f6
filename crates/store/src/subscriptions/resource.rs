//! The resources a subscription may watch: Graph's `security/alerts` (legacy alerts) and, as
//! secgraph's documented extensions, `security/alerts_v2`, `security/incidents` and
//! `security/tiIndicators`.

use odata::bound::BoundExpr;
use odata::schema::EntitySchema;
use odata::ODataError;

/// A subscribable resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubscriptionResource {
    /// `security/alerts` (Graph's only security resource with notifications).
    Alerts,
    /// `security/alerts_v2` (extension).
    AlertsV2,
    /// `security/incidents` (extension).
    Incidents,
    /// `security/tiIndicators` (extension).
    TiIndicators,
}

impl SubscriptionResource {
    /// Every resource.
    pub const ALL: [SubscriptionResource; 4] = [
        SubscriptionResource::Alerts,
        SubscriptionResource::AlertsV2,
        SubscriptionResource::Incidents,
        SubscriptionResource::TiIndicators,
    ];

    /// The entity set path (`security/alerts_v2`), also the stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionResource::Alerts => "security/alerts",
            SubscriptionResource::AlertsV2 => "security/alerts_v2",
            SubscriptionResource::Incidents => "security/incidents",
            SubscriptionResource::TiIndicators => "security/tiIndicators",
        }
    }

    /// `@odata.type` of the changed items in `resourceData`.
    pub fn odata_type(self) -> &'static str {
        match self {
            SubscriptionResource::Alerts => "#Microsoft.Graph.alert",
            SubscriptionResource::AlertsV2 => "#microsoft.graph.security.alert",
            SubscriptionResource::Incidents => "#microsoft.graph.security.incident",
            SubscriptionResource::TiIndicators => "#microsoft.graph.tiIndicator",
        }
    }

    /// The entity schema a subscription's `$filter` is bound against: the legacy alert for
    /// `security/alerts`, the alerts_v2 alert, the incident as `/beta` serves it (every property),
    /// the tiIndicator.
    pub fn schema(self) -> &'static EntitySchema {
        match self {
            SubscriptionResource::Alerts => &model::schema::LEGACY_ALERT,
            SubscriptionResource::AlertsV2 => &model::schema::ALERT,
            SubscriptionResource::Incidents => &model::incident::schema::INCIDENT,
            SubscriptionResource::TiIndicators => &model::schema::indicator::TI_INDICATOR,
        }
    }

    /// Binds a subscription's `$filter` text against [`schema`](Self::schema): the expression
    /// notifications are evaluated with ([`odata::eval::matches`]), or the error that names what to
    /// fix.
    pub fn bind_filter(self, filter: &str) -> Result<BoundExpr, ODataError> {
        odata::bind_filter(filter, self.schema(), &odata::BindOptions::default())
    }

    /// Splits a subscription's `resource` into the resource and its `$filter` text, if any
    /// (`security/alerts?$filter=status eq 'newAlert'`). A leading `/` is accepted; the path is
    /// matched without case, as Graph does. `None`: not a subscribable resource.
    pub fn parse(resource: &str) -> Option<(SubscriptionResource, Option<String>)> {
        let resource = resource.trim().trim_start_matches('/');
        let (path, query) = match resource.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (resource, None),
        };
        let kind = SubscriptionResource::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(path.trim_end_matches('/')))?;
        let filter = match query {
            None => None,
            Some(q) => {
                let (name, value) = q.split_once('=')?;
                if !name.eq_ignore_ascii_case("$filter") && !name.eq_ignore_ascii_case("filter") {
                    return None;
                }
                Some(value.to_owned())
            }
        };
        Some((kind, filter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_parse_with_and_without_filters() {
        assert_eq!(
            SubscriptionResource::parse("security/alerts"),
            Some((SubscriptionResource::Alerts, None))
        );
        assert_eq!(
            SubscriptionResource::parse("/Security/Alerts_v2?$filter=severity eq 'high'"),
            Some((
                SubscriptionResource::AlertsV2,
                Some("severity eq 'high'".to_owned())
            ))
        );
        assert_eq!(SubscriptionResource::parse("me/messages"), None);
        assert_eq!(SubscriptionResource::parse("security/alerts?$top=3"), None);
    }
}
