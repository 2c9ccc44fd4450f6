//! Microsoft Defender for Cloud Apps, the cloud-app monitor: anomalous sign-ins and SaaS
//! activity, with user, IP (geolocated) and cloud-application evidence. The provider's own ids
//! are 24-hex-digit object ids; Graph ids are `ca{object id}`.

use crate::catalog::network::{ExternalIp, CORPORATE_EGRESS, HOME, HOSTILE_IPS};
use crate::catalog::people::USERS;
use crate::detection::{Detection, Headline, Product};
use crate::evidence::cloud::{self, CLOUD_APPS};
use crate::evidence::identity::{self, Account};
use crate::evidence::network::{self, Address};
use crate::evidence::Part;
use crate::scene::Scene;
use model::enums::{
    AlertDetermination as D, AlertSeverity as Sev, DetectionSource as Src, EvidenceRole as R,
    EvidenceVerdict as V, ServiceSource,
};

/// Defender for Cloud Apps.
pub(crate) static PRODUCT: Product = Product {
    name: "Microsoft Defender for Cloud Apps",
    service: ServiceSource::MicrosoftDefenderForCloudApps,
    vendor: "Microsoft",
    provider: "MCAS",
    sub_provider: None,
    provider_version: None,
    microsoft: true,
    automated: false,
};

/// One anomaly policy.
struct Rule {
    headline: Headline,
    detector: &'static str,
    /// Indexes into [`CLOUD_APPS`] the activity can happen in.
    apps: &'static [usize],
    /// The activity came from two places (impossible travel).
    two_places: bool,
    weight: u32,
}

const fn rule(
    (title, description): (&'static str, &'static str),
    (category, mitre): (&'static str, &'static [&'static str]),
    (severity, true_positive): (Sev, D),
    detector: &'static str,
    apps: &'static [usize],
    weight: u32,
) -> Rule {
    Rule {
        headline: Headline {
            title,
            description,
            category,
            mitre,
            severity,
            source: Src::CloudAppSecurity,
            true_positive,
        },
        detector,
        apps,
        two_places: false,
        weight,
    }
}

const RULES: &[Rule] = &[
    Rule {
        two_places: true,
        ..rule(
            ("Impossible travel activity", "The user signed in from two distant locations within a time shorter than the travel time between them. The credentials may be used by someone else."),
            ("InitialAccess", &["T1078.004"]),
            (Sev::Medium, D::CompromisedAccount),
            "MCAS_ALERT_ANUBIS_DETECTION_VELOCITY",
            &[0, 1, 2, 4],
            10,
        )
    },
    rule(
        ("Activity from infrequent country", "The user performed activity from a country that no user in the organization has used recently."),
        ("InitialAccess", &["T1078"]),
        (Sev::Low, D::CompromisedAccount),
        "MCAS_ALERT_ANUBIS_DETECTION_NEW_COUNTRY",
        &[0, 1, 4],
        8,
    ),
    rule(
        ("Multiple failed login attempts", "A user had an unusually high number of failed sign-in attempts in a single session, which may indicate password guessing."),
        ("CredentialAccess", &["T1110", "T1110.003"]),
        (Sev::Medium, D::CompromisedAccount),
        "MCAS_ALERT_ANUBIS_DETECTION_REPEATED_ACTIVITY_FAILED_LOGIN",
        &[0, 5, 6],
        8,
    ),
    rule(
        ("Activity from anonymous IP addresses", "Activity was performed from an address identified as an anonymous proxy (Tor exit node or anonymising VPN)."),
        ("InitialAccess", &["T1090.003"]),
        (Sev::Medium, D::CompromisedAccount),
        "MCAS_ALERT_ANUBIS_DETECTION_ANONYMOUS_IP",
        &[0, 1, 2],
        5,
    ),
    rule(
        ("Mass download by a single user", "A user downloaded an unusually large number of files in a short time compared with their usual behaviour."),
        ("Exfiltration", &["T1530"]),
        (Sev::Medium, D::MaliciousUserActivity),
        "MCAS_ALERT_ANUBIS_DETECTION_REPEATED_ACTIVITY_FILE_DOWNLOAD",
        &[2, 3, 7, 8],
        6,
    ),
    rule(
        ("Unusual file deletion activity (by user)", "A user deleted an unusually large number of files in a single session."),
        ("Impact", &["T1485"]),
        (Sev::Medium, D::MaliciousUserActivity),
        "MCAS_ALERT_ANUBIS_DETECTION_REPEATED_ACTIVITY_FILE_DELETE",
        &[2, 3, 7],
        3,
    ),
    rule(
        ("Suspicious inbox manipulation rule", "A rule that deletes or moves messages, or forwards them outside, was set on the user's inbox; attackers hide their traces this way."),
        ("DefenseEvasion", &["T1564.008", "T1114.003"]),
        (Sev::Medium, D::CompromisedAccount),
        "MCAS_ALERT_ANUBIS_DETECTION_SUSPICIOUS_INBOX_MANIPULATION",
        &[1],
        4,
    ),
];

const RECOMMENDED: &str = "Review the user's activity log and sign-ins around the alert, confirm with the user, and if the activity is not theirs suspend the account, revoke sessions and reset the password.";

const ACTOR: Part = Part::new(&[R::Compromised], &[], V::Suspicious);
const ORIGIN: Part = Part::new(&[R::Source], &[], V::Suspicious);
const USUAL: Part = Part::new(&[R::Source], &["Usual location"], V::NoThreatsFound);
const APP: Part = Part::new(&[R::Contextual], &[], V::Unknown);

/// One Defender for Cloud Apps alert.
pub(crate) fn detect(scene: &mut Scene<'_>) -> Detection {
    let rule = scene.dice.weighted_by(RULES, |r| r.weight);
    let object_id = scene.dice.hex(24);
    let id = format!("ca{object_id}");
    let mut det = Detection::new(&PRODUCT, &rule.headline, id, object_id);
    det.detector_id = Some(rule.detector.to_string());
    det.web_url = Some(scene.portal_url(&det.id));
    det.recommended_actions = Some(RECOMMENDED);
    let user = scene.dice.pick_skewed(USERS);
    det.evidence
        .push(identity::user(scene, Account::Member(user), ACTOR));
    let source = origin(scene, rule);
    det.evidence
        .push(network::ip(scene, Address::Public(source), ORIGIN));
    if rule.two_places {
        let home = Address::At(CORPORATE_EGRESS, &HOME);
        det.evidence.push(network::ip(scene, home, USUAL));
    }
    let app = &CLOUD_APPS[*scene.dice.pick(rule.apps)];
    det.evidence.push(cloud::application(scene, app, APP));
    det
}

/// The source address: anonymous infrastructure for the anonymous-IP policy, any other
/// hostile address otherwise.
fn origin(scene: &mut Scene<'_>, rule: &Rule) -> &'static ExternalIp {
    let anonymous = rule.detector.ends_with("ANONYMOUS_IP");
    for _ in 0..8 {
        let ip = scene.dice.pick_skewed(HOSTILE_IPS);
        if ip.anonymous == anonymous {
            return ip;
        }
    }
    &HOSTILE_IPS[0]
}
