//! Defender for Endpoint detections: wording, MITRE mapping and which attack story (play) each
//! one's evidence tells.

use crate::detection::Headline;
use model::enums::{AlertDetermination as D, AlertSeverity as Sev, DetectionSource as Src};

/// The attack story behind a detection; decides the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Play {
    /// Office macro spawning encoded PowerShell that downloads a stage.
    MacroDropper,
    /// Antivirus detection of a sample (title names the family).
    Antivirus,
    /// LSASS memory theft.
    CredentialTheft,
    /// PsExec-style remote service execution.
    LateralMovement,
    /// Scheduled task plus Run-key persistence.
    Persistence,
    /// Connection to an address on the tenant's indicator list.
    IndicatorMatch,
    /// Mass file encryption.
    Ransomware,
    /// Domain reconnaissance commands.
    Discovery,
    /// certutil fetching a payload.
    Download,
    /// An analyst started an automated investigation.
    Investigation,
    /// Defender Experts: hands-on-keyboard exfiltration.
    Experts,
}

/// One detection.
#[derive(Debug)]
pub(crate) struct Rule {
    pub headline: Headline,
    pub play: Play,
    pub weight: u32,
}

const fn rule(
    title: &'static str,
    description: &'static str,
    (category, mitre): (&'static str, &'static [&'static str]),
    (severity, source, true_positive): (Sev, Src, D),
    play: Play,
    weight: u32,
) -> Rule {
    Rule {
        headline: Headline {
            title,
            description,
            category,
            mitre,
            severity,
            source,
            true_positive,
        },
        play,
        weight,
    }
}

/// The detections, with their relative frequency.
pub(crate) const RULES: &[Rule] = &[
    rule(
        "Suspicious PowerShell command line",
        "A suspicious PowerShell command line was launched by an Office application. The command line is Base64-encoded and downloads and runs content from the Internet, a common way to stage malware from a malicious document.",
        ("Execution", &["T1059.001", "T1204.002", "T1027"]),
        (Sev::Medium, Src::MicrosoftDefenderForEndpoint, D::Malware),
        Play::MacroDropper,
        12,
    ),
    rule(
        "{family} {kind} was detected",
        "Defender Antivirus detected a known threat on the device. Review whether the threat was remediated and look for related activity before and after the detection.",
        ("Malware", &[]),
        (Sev::Low, Src::Antivirus, D::Malware),
        Play::Antivirus,
        16,
    ),
    rule(
        "Suspicious access to LSASS service",
        "A process accessed the memory of the Local Security Authority Subsystem Service (LSASS). Attackers read LSASS memory to obtain credentials of users who signed in to the device.",
        ("CredentialAccess", &["T1003.001"]),
        (Sev::High, Src::MicrosoftDefenderForEndpoint, D::MultiStagedAttack),
        Play::CredentialTheft,
        6,
    ),
    rule(
        "Suspicious service launched",
        "A service was created and started remotely on the device with a command line typical of PsExec-style lateral movement. Attackers use remote service execution to move between machines with stolen credentials.",
        ("LateralMovement", &["T1021.002", "T1569.002"]),
        (Sev::Medium, Src::MicrosoftDefenderForEndpoint, D::MultiStagedAttack),
        Play::LateralMovement,
        6,
    ),
    rule(
        "Suspicious scheduled task",
        "A scheduled task that runs a script from a user-writable folder was created, and a Run key value pointing to the same script was added. Attackers use both to survive reboots.",
        ("Persistence", &["T1053.005", "T1547.001"]),
        (Sev::Medium, Src::MicrosoftDefenderForEndpoint, D::Malware),
        Play::Persistence,
        7,
    ),
    rule(
        "Connection to a custom network indicator",
        "A process on the device connected to an address that matches an indicator on the organization's custom indicator list.",
        ("CommandAndControl", &["T1071.001", "T1105"]),
        (Sev::Medium, Src::CustomTi, D::Malware),
        Play::IndicatorMatch,
        8,
    ),
    rule(
        "Ransomware behavior detected in the file system",
        "A process renamed and rewrote a large number of files in a short time and dropped ransom notes, behaviour consistent with ransomware encrypting data.",
        ("Ransomware", &["T1486", "T1490"]),
        (Sev::High, Src::MicrosoftDefenderForEndpoint, D::MultiStagedAttack),
        Play::Ransomware,
        3,
    ),
    rule(
        "Suspicious sequence of exploration activities",
        "A process ran a sequence of commands that enumerate domain trusts, privileged groups and accounts. Attackers explore the directory to find targets for privilege escalation.",
        ("Discovery", &["T1482", "T1069.002", "T1087.002"]),
        (Sev::Low, Src::MicrosoftDefenderForEndpoint, D::MultiStagedAttack),
        Play::Discovery,
        8,
    ),
    rule(
        "Suspicious file download using certutil",
        "certutil.exe was used to download a file from the Internet. This signed system tool is often abused to fetch payloads while bypassing application controls.",
        ("CommandAndControl", &["T1105", "T1140"]),
        (Sev::Medium, Src::MicrosoftDefenderForEndpoint, D::Malware),
        Play::Download,
        6,
    ),
    rule(
        "Automated investigation started manually",
        "An automated investigation was started manually on the device. The investigation reviews threat artifacts and proposes remediation.",
        ("SuspiciousActivity", &[]),
        (Sev::Informational, Src::AutomatedInvestigation, D::Other),
        Play::Investigation,
        4,
    ),
    rule(
        "Possible data exfiltration with a cloud sync tool",
        "Defender Experts observed hands-on-keyboard activity: a renamed cloud synchronisation tool copied file shares to external storage after credential theft on the same device.",
        ("Exfiltration", &["T1567.002", "T1048"]),
        (Sev::High, Src::MicrosoftThreatExperts, D::Apt),
        Play::Experts,
        2,
    ),
];

/// Recommended actions of device detections (Defender words them per category; one text here).
pub(crate) const RECOMMENDED_ACTIONS: &str = "Collect artifacts and determine scope\n\
•\tReview the device timeline for suspicious activity before and after the alert, and record related artifacts (files, IPs, URLs).\n\
•\tLook for the same artifacts on other devices and compare potentially compromised systems.\n\
•\tSubmit relevant files for deep analysis.\n\n\
Initiate containment & mitigation\n\
•\tContact the user to verify intent and start local remediation as needed.\n\
•\tUpdate antivirus signatures and run a full scan.\n\
•\tMake sure the device has the latest security updates.\n\
•\tIf credential theft is suspected, reset the passwords of the affected users.\n\
•\tBlock communication with the related URLs and IPs at the perimeter.";
