//! Graph application permissions (the `roles` of an app-only token) and route requirements.
//!
//! A [`Requirement`] lists the permissions any one of which lets a caller use a route, least
//! privileged first, exactly as Graph's permission tables do; the API declares one per route in its
//! router table. A `ReadWrite` permission does not silently imply its `Read` sibling here: the
//! tables name both, so what a route accepts is written in one place.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// One Graph permission secgraph knows (wire names such as `SecurityAlert.Read.All`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// `SecurityAlert.Read.All`: read alerts_v2.
    SecurityAlertReadAll,
    /// `SecurityAlert.ReadWrite.All`: read, update and comment on alerts_v2.
    SecurityAlertReadWriteAll,
    /// `SecurityIncident.Read.All`: read incidents and their alerts.
    SecurityIncidentReadAll,
    /// `SecurityIncident.ReadWrite.All`: read, update and comment on incidents.
    SecurityIncidentReadWriteAll,
    /// `SecurityEvents.Read.All`: read legacy alerts, secure scores and control profiles.
    SecurityEventsReadAll,
    /// `SecurityEvents.ReadWrite.All`: the above plus updates and legacy-alert subscriptions.
    SecurityEventsReadWriteAll,
    /// `ThreatIndicators.ReadWrite.OwnedBy`: tiIndicators submitted by the calling app.
    ThreatIndicatorsReadWriteOwnedBy,
    /// `SecurityActions.Read.All`: list and get securityActions.
    SecurityActionsReadAll,
    /// `SecurityActions.ReadWrite.All`: create and cancel securityActions.
    SecurityActionsReadWriteAll,
    /// `ThreatHunting.Read.All`: runHuntingQuery.
    ThreatHuntingReadAll,
    /// `Subscription.Read.All`: list subscriptions created by other apps.
    SubscriptionReadAll,
    /// `AuditLog.Read.All`: read the tenant's audit log (`/secgraph/v1/auditLogs`).
    AuditLogReadAll,
}

impl Permission {
    /// Every permission, in declaration order.
    pub const ALL: &'static [Permission] = &[
        Permission::SecurityAlertReadAll,
        Permission::SecurityAlertReadWriteAll,
        Permission::SecurityIncidentReadAll,
        Permission::SecurityIncidentReadWriteAll,
        Permission::SecurityEventsReadAll,
        Permission::SecurityEventsReadWriteAll,
        Permission::ThreatIndicatorsReadWriteOwnedBy,
        Permission::SecurityActionsReadAll,
        Permission::SecurityActionsReadWriteAll,
        Permission::ThreatHuntingReadAll,
        Permission::SubscriptionReadAll,
        Permission::AuditLogReadAll,
    ];

    /// The wire name, as it appears in a token's `roles` claim.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::SecurityAlertReadAll => "SecurityAlert.Read.All",
            Permission::SecurityAlertReadWriteAll => "SecurityAlert.ReadWrite.All",
            Permission::SecurityIncidentReadAll => "SecurityIncident.Read.All",
            Permission::SecurityIncidentReadWriteAll => "SecurityIncident.ReadWrite.All",
            Permission::SecurityEventsReadAll => "SecurityEvents.Read.All",
            Permission::SecurityEventsReadWriteAll => "SecurityEvents.ReadWrite.All",
            Permission::ThreatIndicatorsReadWriteOwnedBy => "ThreatIndicators.ReadWrite.OwnedBy",
            Permission::SecurityActionsReadAll => "SecurityActions.Read.All",
            Permission::SecurityActionsReadWriteAll => "SecurityActions.ReadWrite.All",
            Permission::ThreatHuntingReadAll => "ThreatHunting.Read.All",
            Permission::SubscriptionReadAll => "Subscription.Read.All",
            Permission::AuditLogReadAll => "AuditLog.Read.All",
        }
    }

    /// The permission named `s`, matched ASCII case-insensitively (so people may type
    /// `securityalert.read.all`); `None` for a name secgraph does not know.
    pub fn parse(s: &str) -> Option<Self> {
        Permission::ALL
            .iter()
            .copied()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The known permissions among `names` (a token's `roles`), in order, without duplicates;
    /// unknown names are skipped.
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Vec<Permission> {
        let mut out: Vec<Permission> = Vec::with_capacity(names.len());
        for p in names.iter().filter_map(|n| Permission::parse(n.as_ref())) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Permission {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Permission {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Permission::parse(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown permission '{name}'")))
    }
}

/// What a route requires: any one of the listed permissions suffices (Graph lists them from least
/// to most privileged). An empty list is never met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement(pub &'static [Permission]);

impl Requirement {
    /// Whether a caller holding `granted` may use the route.
    pub fn is_met_by(&self, granted: &[Permission]) -> bool {
        self.0.iter().any(|p| granted.contains(p))
    }

    /// The accepted permissions, least privileged first.
    pub fn permissions(&self) -> &'static [Permission] {
        self.0
    }
}

impl fmt::Display for Requirement {
    /// `SecurityAlert.Read.All or SecurityAlert.ReadWrite.All` (for 403 messages and docs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" or ")?;
            }
            f.write_str(p.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn every_permission_round_trips_through_its_wire_name() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(*p));
            let json = serde_json::to_string(p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
            assert_eq!(serde_json::from_str::<Permission>(&json).unwrap(), *p);
        }
        assert_eq!(Permission::ALL.len(), 12);
    }

    #[test]
    fn parse_ignores_case_and_rejects_unknown_names() {
        assert_eq!(
            Permission::parse("securityalert.read.all"),
            Some(Permission::SecurityAlertReadAll)
        );
        assert_eq!(Permission::parse("User.Read.All"), None);
        assert!(serde_json::from_str::<Permission>("\"Mail.Send\"").is_err());
    }

    #[test]
    fn from_names_keeps_known_names_once() {
        let names = [
            "SecurityEvents.Read.All",
            "Mail.Send",
            "SecurityEvents.Read.All",
        ];
        assert_eq!(
            Permission::from_names(&names),
            [Permission::SecurityEventsReadAll]
        );
    }

    #[test]
    fn a_requirement_is_met_by_any_listed_permission() {
        const READ: Requirement = Requirement(&[
            Permission::SecurityAlertReadAll,
            Permission::SecurityAlertReadWriteAll,
        ]);
        assert!(READ.is_met_by(&[Permission::SecurityAlertReadWriteAll]));
        assert!(READ.is_met_by(&[
            Permission::SecurityEventsReadAll,
            Permission::SecurityAlertReadAll
        ]));
        assert!(!READ.is_met_by(&[Permission::SecurityEventsReadWriteAll]));
        assert!(!READ.is_met_by(&[]));
        assert!(!Requirement(&[]).is_met_by(Permission::ALL));
        assert_eq!(
            READ.to_string(),
            "SecurityAlert.Read.All or SecurityAlert.ReadWrite.All"
        );
    }
}
