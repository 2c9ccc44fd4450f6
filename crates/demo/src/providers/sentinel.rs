//! Microsoft Sentinel analytics rules (scheduled and near-real-time). Their `serviceSource`
//! (`microsoftSentinel`) and `detectionSource` (`scheduledAlerts`, `nrtAlerts`) are evolvable
//! members, shown only to callers that send `Prefer: include-unknown-enum-members`.

use crate::catalog::devices::{WINDOWS_SERVERS, WORKSTATION_POOL};
use crate::catalog::network::HOSTILE_IPS;
use crate::catalog::people::USERS;
use crate::detection::{Detection, Headline, Product};
use crate::evidence::host::{self, Sensor};
use crate::evidence::identity::{self, Account};
use crate::evidence::network::{self, Address};
use crate::evidence::Part;
use crate::fingerprint;
use crate::scene::Scene;
use model::enums::{
    AlertDetermination as D, AlertSeverity as Sev, DetectionSource as Src, EvidenceRole as R,
    EvidenceVerdict as V, ServiceSource,
};
use serde_json::json;

/// Microsoft Sentinel.
pub(crate) static PRODUCT: Product = Product {
    name: "Microsoft Sentinel",
    service: ServiceSource::MicrosoftSentinel,
    vendor: "Microsoft",
    provider: "Azure Sentinel",
    sub_provider: None,
    provider_version: None,
    microsoft: true,
    automated: false,
};

/// What the rule's query found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finding {
    /// Sign-in activity of a user from an outside address.
    SignIn,
    /// A mailbox forwarding rule.
    Forwarding,
    /// An unusual RDP connection between two machines.
    Rdp,
}

const fn headline(
    (title, description): (&'static str, &'static str),
    (category, mitre): (&'static str, &'static [&'static str]),
    severity: Sev,
    source: Src,
    true_positive: D,
) -> Headline {
    Headline {
        title,
        description,
        category,
        mitre,
        severity,
        source,
        true_positive,
    }
}

const RULES: &[(Headline, Finding, u32)] = &[
    (headline(("Brute force attack against Azure Portal", "Identifies evidence of a brute force attack against the Azure Portal: many failed sign-ins for one account from one address, followed by a success."), ("CredentialAccess", &["T1110"]), Sev::Medium, Src::ScheduledAlerts, D::CompromisedAccount), Finding::SignIn, 4),
    (headline(("Sign-ins from IPs that attempt sign-ins to disabled accounts", "An address that failed to sign in to disabled accounts also signed in successfully to an active account."), ("InitialAccess", &["T1078"]), Sev::Medium, Src::ScheduledAlerts, D::CompromisedAccount), Finding::SignIn, 3),
    (headline(("TI map IP entity to SigninLogs", "A sign-in came from an address listed in the workspace's threat-intelligence indicators."), ("CommandAndControl", &["T1071"]), Sev::Medium, Src::ScheduledAlerts, D::CompromisedAccount), Finding::SignIn, 3),
    (headline(("NRT New external mail forwarding rule", "A mailbox rule forwarding mail to an external domain was created."), ("Exfiltration", &["T1114.003", "T1020"]), Sev::Medium, Src::NrtAlerts, D::CompromisedAccount), Finding::Forwarding, 2),
    (headline(("Rare RDP connections", "A device received an RDP connection from a source it has not seen in the last 14 days."), ("LateralMovement", &["T1021.001"]), Sev::Low, Src::ScheduledAlerts, D::MultiStagedAttack), Finding::Rdp, 2),
];

const RECOMMENDED: &str = "Open the incident in Microsoft Sentinel, review the query results and entity pages, and run the playbook for the affected account or device.";

const ACCOUNT: Part = Part::new(&[R::Compromised], &[], V::Suspicious);
const SOURCE: Part = Part::new(&[R::Source, R::Attacker], &[], V::Suspicious);

/// One Sentinel alert.
pub(crate) fn detect(scene: &mut Scene<'_>) -> Detection {
    let (headline, finding, _) = scene.dice.weighted_by(RULES, |r| r.2);
    let guid = scene.dice.uuid().to_string();
    let mut det = Detection::new(&PRODUCT, headline, guid.clone(), guid);
    let rule_id = fingerprint::guid(&format!("sentinel-rule:{}", headline.title));
    det.detector_id = Some(rule_id.clone());
    det.alert_policy_id = Some(rule_id);
    det.web_url = Some(scene.portal_url(&det.id));
    det.recommended_actions = Some(RECOMMENDED);
    let user = scene.dice.pick_skewed(USERS);
    match finding {
        Finding::SignIn | Finding::Forwarding => {
            let ip = scene.dice.pick_skewed(HOSTILE_IPS);
            let attempts = scene.dice.between(12, 240);
            det.custom_details = Some(json!({
                "FailedAttempts": [attempts.to_string()],
                "SourceCountry": [ip.place.country_code],
            }));
            det.evidence
                .push(identity::user(scene, Account::Member(user), ACCOUNT));
            det.evidence
                .push(network::ip(scene, Address::Public(ip), SOURCE));
            if *finding == Finding::Forwarding {
                det.evidence.push(identity::mailbox(scene, user, ACCOUNT));
            }
        }
        Finding::Rdp => {
            let target = scene.dice.pick_skewed(WINDOWS_SERVERS);
            let source = scene.dice.pick_skewed(WORKSTATION_POOL);
            let part = Part::new(&[R::Destination], &["RDP target"], V::Unknown);
            det.evidence.push(host::device(
                scene,
                target,
                Sensor::Defender,
                det.severity,
                part,
            ));
            det.evidence.push(network::ip(
                scene,
                Address::Private(source.ip),
                Part::new(&[R::Source], &[], V::Unknown),
            ));
            det.evidence
                .push(identity::user(scene, Account::Member(user), ACCOUNT));
        }
    }
    det
}
