//! Wazuh rules the demo agents fire: stock rules (ids below 100000) and two of the tenant's own
//! local rules (100000 and up, reported as `customDetection`).

use model::enums::AlertDetermination as D;

/// What an alert's log line and evidence describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Play {
    SshAccepted,
    SshFailed,
    PamSession,
    Sudo,
    FileChanged,
    FileAdded,
    Rootcheck,
    Vulnerability,
    WebAttack,
    WebScan,
    ReverseShell,
    Miner,
}

/// One rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: u32,
    pub level: u8,
    pub description: &'static str,
    pub groups: &'static [&'static str],
    pub mitre: &'static [&'static str],
    /// Graph categories, main one first (Wazuh's MITRE tactics, camel-cased).
    pub tactics: &'static [&'static str],
    pub play: Play,
    pub true_positive: D,
    pub weight: u32,
}

const fn rule(
    (id, level): (u32, u8),
    description: &'static str,
    groups: &'static [&'static str],
    (mitre, tactics): (&'static [&'static str], &'static [&'static str]),
    play: Play,
    (true_positive, weight): (D, u32),
) -> Rule {
    Rule {
        id,
        level,
        description,
        groups,
        mitre,
        tactics,
        play,
        true_positive,
        weight,
    }
}

const VALID_ACCOUNTS: &[&str] = &[
    "InitialAccess",
    "DefenseEvasion",
    "Persistence",
    "PrivilegeEscalation",
    "LateralMovement",
];

/// The rules, with their relative frequency.
pub(crate) const RULES: &[Rule] = &[
    rule(
        (5715, 3),
        "sshd: authentication success.",
        &["syslog", "sshd", "authentication_success"],
        (&["T1078", "T1021"], VALID_ACCOUNTS),
        Play::SshAccepted,
        (D::CompromisedAccount, 8),
    ),
    rule(
        (5501, 3),
        "PAM: Login session opened.",
        &["pam", "syslog", "authentication_success"],
        (&["T1078"], VALID_ACCOUNTS),
        Play::PamSession,
        (D::CompromisedAccount, 5),
    ),
    rule(
        (5710, 5),
        "sshd: Attempt to login using a non-existent user",
        &["syslog", "sshd", "authentication_failed", "invalid_login"],
        (&["T1110.001"], &["CredentialAccess"]),
        Play::SshFailed,
        (D::Other, 8),
    ),
    rule(
        (5712, 10),
        "sshd: brute force trying to get access to the system. Non existent user.",
        &["syslog", "sshd", "authentication_failures"],
        (&["T1110"], &["CredentialAccess"]),
        Play::SshFailed,
        (D::Other, 5),
    ),
    rule(
        (5763, 10),
        "sshd: brute force trying to get access to the system. Authentication failed.",
        &["syslog", "sshd", "authentication_failures"],
        (&["T1110"], &["CredentialAccess"]),
        Play::SshFailed,
        (D::CompromisedAccount, 4),
    ),
    rule(
        (5402, 3),
        "Successful sudo to ROOT executed.",
        &["syslog", "sudo"],
        (&["T1548.003"], &["PrivilegeEscalation", "DefenseEvasion"]),
        Play::Sudo,
        (D::MaliciousUserActivity, 5),
    ),
    rule(
        (550, 7),
        "Integrity checksum changed.",
        &[
            "ossec",
            "syscheck",
            "syscheck_entry_modified",
            "syscheck_file",
        ],
        (&["T1565.001"], &["Impact"]),
        Play::FileChanged,
        (D::Malware, 5),
    ),
    rule(
        (554, 5),
        "File added to the system.",
        &["ossec", "syscheck", "syscheck_entry_added", "syscheck_file"],
        (&[], &["SuspiciousActivity"]),
        Play::FileAdded,
        (D::Malware, 4),
    ),
    rule(
        (510, 7),
        "Host-based anomaly detection event (rootcheck).",
        &["ossec", "rootcheck"],
        (&["T1014"], &["DefenseEvasion"]),
        Play::Rootcheck,
        (D::Malware, 3),
    ),
    rule(
        (23505, 10),
        "High severity vulnerability detected.",
        &["vulnerability-detector"],
        (&[], &["Vulnerability"]),
        Play::Vulnerability,
        (D::Other, 4),
    ),
    rule(
        (31106, 6),
        "A web attack returned code 200 (success).",
        &["web", "accesslog", "attack"],
        (&["T1190"], &["InitialAccess"]),
        Play::WebAttack,
        (D::MultiStagedAttack, 4),
    ),
    rule(
        (31151, 10),
        "Multiple web server 400 error codes from same source ip.",
        &["web", "accesslog", "web_scan", "recon"],
        (&["T1595.002"], &["Reconnaissance"]),
        Play::WebScan,
        (D::Other, 4),
    ),
    rule(
        (100200, 12),
        "Reverse shell spawned by a web server process.",
        &["local", "audit", "reverse_shell"],
        (&["T1059.004", "T1505.003"], &["Execution", "Persistence"]),
        Play::ReverseShell,
        (D::MultiStagedAttack, 2),
    ),
    rule(
        (100210, 13),
        "Cryptocurrency miner started from a temporary directory.",
        &["local", "audit", "cryptominer"],
        (&["T1496"], &["Impact"]),
        Play::Miner,
        (D::UnwantedSoftware, 2),
    ),
];
