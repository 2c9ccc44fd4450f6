//! Microsoft Defender for Office 365, the e-mail gateway: phishing and malware messages, URL
//! clicks and mailbox abuse, with mailbox, analysed-message, URL, file, user and IP evidence.
//! Alert ids are `fa{guid}`; the provider's own id is the bare GUID.

use crate::catalog::files::SAMPLES;
use crate::catalog::network::{HOSTILE_IPS, PHISHING_URLS};
use crate::catalog::people::{User, USERS};
use crate::detection::{Detection, Headline, Product};
use crate::evidence::host;
use crate::evidence::identity::{self, Account};
use crate::evidence::mail::{self, Message, Sender};
use crate::evidence::network::{self, Address};
use crate::evidence::Part;
use crate::fingerprint;
use crate::scene::Scene;
use model::enums::{
    AlertDetermination as D, AlertSeverity as Sev, DetectionSource as Src, EvidenceRole as R,
    EvidenceVerdict as V, ServiceSource,
};

/// Defender for Office 365.
pub(crate) static PRODUCT: Product = Product {
    name: "Microsoft Defender for Office 365",
    service: ServiceSource::MicrosoftDefenderForOffice365,
    vendor: "Microsoft",
    provider: "Office 365 Security and Compliance",
    sub_provider: None,
    provider_version: None,
    microsoft: true,
    automated: true,
};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Play {
    /// Phishing removed after delivery (zero-hour auto purge).
    PhishPurged,
    /// Malware attachment removed after delivery.
    MalwarePurged,
    /// The user clicked a phishing link.
    Click,
    /// A reported message.
    Reported,
    /// A forwarding rule to an outside address.
    Forwarding,
    /// Outbound spam from the account.
    Restricted,
}

const RULES: &[(Headline, Play, u32)] = &[
    (headline("Email messages containing malicious URL removed after delivery", "Emails with a malicious URL were delivered to mailboxes and later removed by zero-hour auto purge.", &["T1566.002"], Sev::Informational, D::Phishing), Play::PhishPurged, 10),
    (headline("Email messages containing malware removed after delivery", "Emails with a malicious attachment were delivered to mailboxes and later removed by zero-hour auto purge.", &["T1566.001"], Sev::Informational, D::Malware), Play::MalwarePurged, 7),
    (headline("A potentially malicious URL click was detected", "A user clicked a link in an e-mail that was later identified as malicious. The user may have entered credentials on a phishing page.", &["T1566.002", "T1204.001"], Sev::High, D::Phishing), Play::Click, 6),
    (headline("Email reported by user as malware or phish", "A user reported a message as malware or phishing.", &["T1566"], Sev::Informational, D::Phishing), Play::Reported, 6),
    (Headline { category: "Exfiltration", ..headline("Suspicious email forwarding activity", "A user created an inbox rule that forwards mail to an external address, a common step after an account is taken over.", &["T1114.003"], Sev::Medium, D::CompromisedAccount) }, Play::Forwarding, 3),
    (Headline { category: "SuspiciousActivity", ..headline("User restricted from sending email", "The user was restricted from sending e-mail after sending an unusual volume of suspicious outbound messages.", &["T1534"], Sev::High, D::CompromisedAccount) }, Play::Restricted, 2),
];

const fn headline(
    title: &'static str,
    description: &'static str,
    mitre: &'static [&'static str],
    severity: Sev,
    true_positive: D,
) -> Headline {
    Headline {
        title,
        description,
        category: "InitialAccess",
        mitre,
        severity,
        source: Src::MicrosoftDefenderForOffice365,
        true_positive,
    }
}

const SENDERS: &[(Sender, &str)] = &[
    (
        Sender {
            display_name: "Microsoft 365 Security",
            address: "no-reply@m365-contoso.mfa-reset.com",
        },
        "Action required: verify your sign-in method",
    ),
    (
        Sender {
            display_name: "DocuSign",
            address: "dse@secure-docusign.envelope-review.com",
        },
        "Please DocuSign: Remittance Advice Q3",
    ),
    (
        Sender {
            display_name: "Contoso Payroll",
            address: "payroll@payroll-contoso.hr-update.net",
        },
        "Your 2025 benefits enrollment closes today",
    ),
    (
        Sender {
            display_name: "DHL Express",
            address: "noreply@dhl-parcel.tracking-notice.net",
        },
        "Shipment on hold: customs fee due",
    ),
    (
        Sender {
            display_name: "Accounts Payable",
            address: "ap@fabrikam-invoicing.com",
        },
        "Overdue invoice INV-20931",
    ),
];

const RECOMMENDED: &str = "Review the affected messages in Explorer, confirm that they were removed from every mailbox, block the sender and URLs, and check whether any recipient clicked a link or opened an attachment.";

const RECIPIENT: Part = Part::new(&[R::Destination], &["Recipient"], V::Unknown);
const MESSAGE: Part = Part::new(&[], &[], V::Malicious);
const LINK: Part = Part::new(&[], &["Phishing link"], V::Malicious);
const ATTACHMENT: Part = Part::new(&[], &["Attachment"], V::Malicious);
const SENDER_IP: Part = Part::new(&[R::Source, R::Attacker], &[], V::Suspicious);
const VICTIM: Part = Part::new(&[R::Compromised], &[], V::Suspicious);

/// One Defender for Office 365 alert.
pub(crate) fn detect(scene: &mut Scene<'_>) -> Detection {
    let (headline, play, _) = scene.dice.weighted_by(RULES, |r| r.2);
    let guid = scene.dice.uuid().to_string();
    let id = format!("fa{guid}");
    let mut det = Detection::new(&PRODUCT, headline, id, guid);
    let policy = fingerprint::guid(&format!("mdo-policy:{}", headline.title));
    det.detector_id = Some(policy.clone());
    det.alert_policy_id = Some(policy);
    det.web_url = Some(scene.portal_url(&det.id));
    det.recommended_actions = Some(RECOMMENDED);
    let user = scene.dice.pick_skewed(USERS);
    match play {
        Play::Forwarding | Play::Restricted => account_abuse(scene, &mut det, *play, user),
        _ => message(scene, &mut det, *play, user),
    }
    det
}

fn message(scene: &mut Scene<'_>, det: &mut Detection, play: Play, user: &'static User) {
    let (sender, subject) = *scene.dice.pick_skewed(SENDERS);
    let source = scene.dice.pick_skewed(HOSTILE_IPS);
    let malware = play == Play::MalwarePurged;
    let url = *scene.dice.pick_skewed(PHISHING_URLS);
    let sample = &SAMPLES[if scene.dice.chance(0.5) { 0 } else { 3 }];
    let delivery = match play {
        Play::PhishPurged | Play::MalwarePurged => ("Delivered", "Quarantine"),
        _ => ("Delivered", "Inbox/folder"),
    };
    let msg = Message {
        sender,
        sender_ip: source.address,
        recipient: user,
        subject,
        urls: if malware { Vec::new() } else { vec![url] },
        attachments: i64::from(malware),
        threats: if malware { &["Malware"] } else { &["Phish"] },
        detection_methods: if malware {
            &["File detonation", "Antimalware protection"]
        } else {
            &["URL detonation reputation", "URL malicious reputation"]
        },
        delivery,
    };
    det.evidence.push(identity::mailbox(scene, user, RECIPIENT));
    det.evidence
        .push(mail::analyzed_message(scene, msg, MESSAGE));
    if malware {
        det.threat_family_name = Some(sample.family);
        det.threat_display_name = Some(sample.threat);
        det.evidence
            .push(host::attachment(scene, &sample.file, "blocked", ATTACHMENT));
    } else {
        det.evidence.push(network::url(scene, url, LINK));
    }
    det.evidence
        .push(network::ip(scene, Address::Public(source), SENDER_IP));
    if play == Play::Click {
        det.evidence
            .push(identity::user(scene, Account::Member(user), VICTIM));
    }
}

fn account_abuse(scene: &mut Scene<'_>, det: &mut Detection, play: Play, user: &'static User) {
    det.evidence.push(identity::mailbox(scene, user, VICTIM));
    det.evidence
        .push(identity::user(scene, Account::Member(user), VICTIM));
    let source = scene.dice.pick_skewed(HOSTILE_IPS);
    det.evidence
        .push(network::ip(scene, Address::Public(source), SENDER_IP));
    if play == Play::Forwarding {
        let rule = Part::new(&[R::Added], &["Forwarding rule"], V::Suspicious);
        det.evidence.push(mail::forwarding_rule(scene, user, rule));
    }
}
