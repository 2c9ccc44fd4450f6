//! `microsoft.graph.secureScoreControlProfile`: a catalogue control as one tenant sees it — the
//! control's description plus the tenant's `controlStateUpdates`.

use super::catalogue::Control;
use super::state::{ControlState, ControlStateUpdate};
use crate::{datetime, VendorInformation};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// `vendorInformation.provider` of secure-score entities (Graph's value).
pub const PROVIDER: &str = "SecureScore";
/// `vendorInformation.vendor` of secure-score entities: secgraph computes them.
pub const VENDOR: &str = "secgraph";
/// The certification name under which CIS safeguards are listed.
pub const CIS_CERTIFICATION: &str = "CIS Controls v8";
/// The certification name under which ATT&CK mitigations are listed.
pub const MITRE_CERTIFICATION: &str = "MITRE ATT&CK Mitigations";

/// The `vendorInformation` of every secure-score entity.
pub fn vendor_information() -> VendorInformation {
    VendorInformation {
        provider: Some(PROVIDER.to_owned()),
        provider_version: None,
        sub_provider: None,
        vendor: Some(VENDOR.to_owned()),
    }
}

/// `microsoft.graph.secureScoreControlProfile`, serialised exactly as clients receive it (every
/// property present, `null` when it has no value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecureScoreControlProfile {
    /// The control name.
    pub id: String,
    /// The tenant.
    pub azure_tenant_id: String,
    /// `Config`, `Review` or `Behavior`.
    #[serde(default)]
    pub action_type: Option<String>,
    /// Where to act, if known.
    #[serde(default)]
    pub action_url: Option<String>,
    /// `Identity`, `Data`, `Device`, `Apps` or `Infrastructure`.
    #[serde(default)]
    pub control_category: Option<String>,
    /// What to achieve.
    #[serde(default)]
    pub title: Option<String>,
    /// No longer scored.
    #[serde(default)]
    pub deprecated: bool,
    /// `Low`, `Moderate` or `High`.
    #[serde(default)]
    pub implementation_cost: Option<String>,
    /// When the tenant last changed the control's state.
    #[serde(default, with = "datetime::optional")]
    pub last_modified_date_time: Option<OffsetDateTime>,
    /// Points the control is worth.
    pub max_score: f64,
    /// Priority, 1 first.
    pub rank: i32,
    /// How to put it in place.
    #[serde(default)]
    pub remediation: Option<String>,
    /// What changes for users.
    #[serde(default)]
    pub remediation_impact: Option<String>,
    /// The kind of product that measures it.
    #[serde(default)]
    pub service: Option<String>,
    /// Threats it counters.
    #[serde(default)]
    pub threats: Vec<String>,
    /// `Core`, `Defense in Depth` or `Advanced`.
    #[serde(default)]
    pub tier: Option<String>,
    /// `Low`, `Moderate` or `High`.
    #[serde(default)]
    pub user_impact: Option<String>,
    /// The CIS safeguards and ATT&CK mitigations it maps to.
    #[serde(default)]
    pub compliance_information: Vec<ComplianceInformation>,
    /// The tenant's decisions, oldest first.
    #[serde(default)]
    pub control_state_updates: Vec<ControlStateUpdate>,
    /// `SecureScore` / `secgraph`.
    pub vendor_information: VendorInformation,
}

/// `microsoft.graph.complianceInformation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplianceInformation {
    /// The framework.
    #[serde(default)]
    pub certification_name: Option<String>,
    /// Its controls this one maps to.
    #[serde(default)]
    pub certification_controls: Vec<CertificationControl>,
}

/// `microsoft.graph.certificationControl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificationControl {
    /// The identifier (`6.5`, `M1032`).
    #[serde(default)]
    pub name: Option<String>,
    /// Its public page, where it has one.
    #[serde(default)]
    pub url: Option<String>,
}

impl SecureScoreControlProfile {
    /// The profile of `control` in `tenant`, carrying the tenant's earlier `updates` and their
    /// `last_modified` time.
    pub fn from_control(
        control: &Control,
        tenant: &str,
        updates: Vec<ControlStateUpdate>,
        last_modified: Option<OffsetDateTime>,
    ) -> Self {
        SecureScoreControlProfile {
            id: control.id.clone(),
            azure_tenant_id: tenant.to_owned(),
            action_type: Some(control.action_type.as_str().to_owned()),
            action_url: control.action_url.clone(),
            control_category: Some(control.category.as_str().to_owned()),
            title: Some(control.title.clone()),
            deprecated: control.deprecated,
            implementation_cost: Some(control.implementation_cost.as_str().to_owned()),
            last_modified_date_time: last_modified,
            max_score: control.max_score,
            rank: control.rank,
            remediation: Some(control.remediation.clone()),
            remediation_impact: Some(control.remediation_impact.clone()),
            service: Some(control.service.clone()),
            threats: control.threats.clone(),
            tier: Some(control.tier.as_str().to_owned()),
            user_impact: Some(control.user_impact.as_str().to_owned()),
            compliance_information: compliance(control),
            control_state_updates: updates,
            vendor_information: vendor_information(),
        }
    }

    /// The state the tenant set last (`Default` when it never set one).
    pub fn state(&self) -> ControlState {
        super::state::current_state(&self.control_state_updates)
    }
}

/// The CIS and ATT&CK mappings of `control`, one `complianceInformation` per framework it maps to.
fn compliance(control: &Control) -> Vec<ComplianceInformation> {
    let mut out = Vec::new();
    if !control.cis.is_empty() {
        out.push(ComplianceInformation {
            certification_name: Some(CIS_CERTIFICATION.to_owned()),
            certification_controls: control
                .cis
                .iter()
                .map(|s| CertificationControl {
                    name: Some(s.clone()),
                    url: None,
                })
                .collect(),
        });
    }
    if !control.mitre.is_empty() {
        out.push(ComplianceInformation {
            certification_name: Some(MITRE_CERTIFICATION.to_owned()),
            certification_controls: control
                .mitre
                .iter()
                .map(|m| CertificationControl {
                    name: Some(m.clone()),
                    url: Some(format!("https://attack.mitre.org/mitigations/{m}/")),
                })
                .collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secure_score::Catalogue;

    #[test]
    fn a_profile_carries_every_property_of_the_entity() {
        let c = Catalogue::builtin().unwrap();
        let p =
            SecureScoreControlProfile::from_control(c.get("AdminMfa").unwrap(), "t1", vec![], None);
        let v = serde_json::to_value(&p).unwrap();
        for name in [
            "id",
            "azureTenantId",
            "actionType",
            "actionUrl",
            "controlCategory",
            "title",
            "deprecated",
            "implementationCost",
            "lastModifiedDateTime",
            "maxScore",
            "rank",
            "remediation",
            "remediationImpact",
            "service",
            "threats",
            "tier",
            "userImpact",
            "complianceInformation",
            "controlStateUpdates",
            "vendorInformation",
        ] {
            assert!(v.get(name).is_some(), "{name} missing: {v}");
        }
        assert_eq!(
            v["complianceInformation"][0]["certificationName"],
            CIS_CERTIFICATION
        );
        assert_eq!(
            v["complianceInformation"][0]["certificationControls"][0]["name"],
            "6.5"
        );
        assert_eq!(
            v["complianceInformation"][1]["certificationControls"][0]["name"],
            "M1032"
        );
        assert_eq!(v["vendorInformation"]["provider"], "SecureScore");
        assert_eq!(p.state(), ControlState::Default);
        let back: SecureScoreControlProfile = serde_json::from_value(v).unwrap();
        assert_eq!(back, p);
    }
}
