//! The remaining legacy collections that evidence and alert properties can fill:
//! `cloudAppStates`, `messageSecurityStates`, `securityResources` and `malwareStates`.
//!
//! | legacy | alerts_v2 |
//! |---|---|
//! | `cloudAppStates/destinationServiceName` | `cloudApplicationEvidence/displayName` |
//! | `messageSecurityStates/*` | `analyzedMessageEvidence`: `connectingIP` ↔ `senderIp`, `directionality` ↔ `antiSpamDirection`, `messageReceivedDateTime` ↔ `receivedDateTime`, `messageSubject` ↔ `subject`, `deliveryAction`, `deliveryLocation`, `internetMessageId`, `networkMessageId` |
//! | `securityResources/resource` | `azureResourceEvidence/resourceId`; `resourceType` `attacked` ↔ role `attacked`, else `related` |
//! | `malwareStates[0]/family`, `name` | `threatFamilyName`, `threatDisplayName`; then one item per `malwareEvidence` (`category`, `name`) |

use crate::enums::EvidenceRole;
use crate::evidence::apps::CloudApplicationEvidence;
use crate::evidence::cloud::AzureResourceEvidence;
use crate::evidence::endpoint::MalwareEvidence;
use crate::evidence::mail::AnalyzedMessageEvidence;
use crate::evidence::EvidenceBase;
use crate::legacy::enums::SecurityResourceType;
use crate::legacy::records::{
    CloudAppSecurityState, MalwareState, MessageSecurityState, SecurityResource,
};

/// The `cloudAppStates` item of a cloud application.
pub fn cloud_app_state(a: &CloudApplicationEvidence) -> CloudAppSecurityState {
    CloudAppSecurityState {
        destination_service_name: a.display_name.clone(),
        ..CloudAppSecurityState::default()
    }
}

/// The cloud application a `cloudAppStates` item names.
pub fn cloud_app_evidence(
    s: &CloudAppSecurityState,
    base: EvidenceBase,
) -> CloudApplicationEvidence {
    CloudApplicationEvidence {
        base,
        display_name: s.destination_service_name.clone(),
        ..CloudApplicationEvidence::default()
    }
}

/// The `messageSecurityStates` item of a message.
pub fn message_state(m: &AnalyzedMessageEvidence) -> MessageSecurityState {
    MessageSecurityState {
        connecting_ip: m.sender_ip.clone(),
        delivery_action: m.delivery_action.clone(),
        delivery_location: m.delivery_location.clone(),
        directionality: m.anti_spam_direction.clone(),
        internet_message_id: m.internet_message_id.clone(),
        message_received_date_time: m.received_date_time,
        message_subject: m.subject.clone(),
        network_message_id: m.network_message_id.clone(),
        ..MessageSecurityState::default()
    }
}

/// The message a `messageSecurityStates` item describes.
pub fn message_evidence(s: &MessageSecurityState, base: EvidenceBase) -> AnalyzedMessageEvidence {
    AnalyzedMessageEvidence {
        base,
        anti_spam_direction: s.directionality.clone(),
        delivery_action: s.delivery_action.clone(),
        delivery_location: s.delivery_location.clone(),
        internet_message_id: s.internet_message_id.clone(),
        network_message_id: s.network_message_id.clone(),
        received_date_time: s.message_received_date_time,
        sender_ip: s.connecting_ip.clone(),
        subject: s.message_subject.clone(),
        ..AnalyzedMessageEvidence::default()
    }
}

/// The `securityResources` item of an Azure resource.
pub fn security_resource(r: &AzureResourceEvidence) -> SecurityResource {
    let attacked =
        r.base.has_role(EvidenceRole::Attacked) || r.base.has_role(EvidenceRole::Compromised);
    let ty = if attacked {
        SecurityResourceType::Attacked
    } else {
        SecurityResourceType::Related
    };
    SecurityResource {
        resource: r.resource_id.clone(),
        resource_type: Some(ty.into()),
        ..SecurityResource::default()
    }
}

/// The Azure resource a `securityResources` item names.
pub fn resource_evidence(s: &SecurityResource, mut base: EvidenceBase) -> AzureResourceEvidence {
    if s.resource_type.as_ref().and_then(|t| t.known()) == Some(SecurityResourceType::Attacked) {
        base.roles = vec![EvidenceRole::Attacked.into()];
    }
    AzureResourceEvidence {
        base,
        resource_id: s.resource.clone(),
        ..AzureResourceEvidence::default()
    }
}

/// `malwareStates`: the alert's threat names first (when it has any), then each malware item.
pub fn malware_states(
    family: Option<&String>,
    name: Option<&String>,
    malware: &[&MalwareEvidence],
) -> Vec<MalwareState> {
    let mut out = Vec::new();
    if family.is_some() || name.is_some() {
        out.push(MalwareState {
            family: family.cloned(),
            name: name.cloned(),
            ..MalwareState::default()
        });
    }
    out.extend(malware.iter().map(|m| MalwareState {
        category: m.category.clone(),
        name: m.name.clone(),
        ..MalwareState::default()
    }));
    out
}
