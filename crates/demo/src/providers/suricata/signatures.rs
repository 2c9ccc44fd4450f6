//! Emerging Threats (and one local) signatures the demo IDS fires, with their EVE fields and
//! the MITRE mapping used for Graph's `category`/`mitreTechniques`.

use model::enums::AlertDetermination as D;

/// Which way the matched traffic flowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// From the Internet to a DMZ server.
    Inbound,
    /// A DMZ server answering an outside client.
    Response,
    /// From a workstation to the Internet.
    Outbound,
    /// An outside server answering a workstation.
    Download,
    /// Between two internal hosts.
    Internal,
}

/// One signature.
#[derive(Debug)]
pub(crate) struct Signature {
    pub sid: u32,
    pub rev: u32,
    pub msg: &'static str,
    /// EVE `alert.category` (the classtype's description) and the classtype.
    pub class: (&'static str, &'static str),
    /// EVE `alert.severity` (Suricata priority: 1 highest).
    pub priority: u8,
    pub category: &'static str,
    pub mitre: &'static [&'static str],
    /// App-layer protocol, transport and server port.
    pub proto: (&'static str, &'static str, i32),
    pub direction: Direction,
    /// Request path, for HTTP signatures.
    pub uri: Option<&'static str>,
    pub true_positive: D,
    pub weight: u32,
}

const fn sig(
    (sid, rev): (u32, u32),
    msg: &'static str,
    (class, priority): ((&'static str, &'static str), u8),
    (category, mitre): (&'static str, &'static [&'static str]),
    proto: (&'static str, &'static str, i32),
    (direction, uri): (Direction, Option<&'static str>),
    (true_positive, weight): (D, u32),
) -> Signature {
    Signature {
        sid,
        rev,
        msg,
        class,
        priority,
        category,
        mitre,
        proto,
        direction,
        uri,
        true_positive,
        weight,
    }
}

const USER_GAIN: (&str, &str) = ("Attempted User Privilege Gain", "attempted-user");
const ADMIN_GAIN: (&str, &str) = ("Attempted Administrator Privilege Gain", "attempted-admin");
const BAD: (&str, &str) = ("Potentially Bad Traffic", "bad-unknown");
const RECON: (&str, &str) = ("Attempted Information Leak", "attempted-recon");
const POLICY: (&str, &str) = ("Potential Corporate Privacy Violation", "policy-violation");
const MISC: (&str, &str) = ("Misc Attack", "misc-attack");
const LOCAL: (&str, &str) = ("Misc activity", "misc-activity");

const HTTP: (&str, &str, i32) = ("http", "tcp", 80);

/// The signatures, with their relative frequency.
pub(crate) const SIGNATURES: &[Signature] = &[
    sig(
        (2024468, 3),
        "ET WEB_SPECIFIC_APPS OGNL Expression Injection (CVE-2017-9791)",
        (USER_GAIN, 1),
        ("InitialAccess", &["T1190"]),
        HTTP,
        (
            Direction::Inbound,
            Some("/struts2-showcase/integration/saveGangster.action"),
        ),
        (D::MultiStagedAttack, 5),
    ),
    sig(
        (2843816, 1),
        "ETPRO HUNTING Generic Inbound URI Directory Traversal",
        (BAD, 2),
        ("InitialAccess", &["T1190"]),
        HTTP,
        (
            Direction::Inbound,
            Some("/download.php?file=../../../../etc/passwd"),
        ),
        (D::Other, 8),
    ),
    sig(
        (2034125, 4),
        "ET EXPLOIT Apache HTTP Server 2.4.49 - Path Traversal Attempt (CVE-2021-41773) M2",
        (ADMIN_GAIN, 1),
        ("InitialAccess", &["T1190"]),
        HTTP,
        (
            Direction::Inbound,
            Some("/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh"),
        ),
        (D::MultiStagedAttack, 7),
    ),
    sig(
        (2011716, 3),
        "ET SCAN Sipvicious User-Agent Detected (friendly-scanner)",
        (RECON, 2),
        ("Discovery", &["T1595.002"]),
        ("sip", "udp", 5060),
        (Direction::Inbound, None),
        (D::Other, 6),
    ),
    sig(
        (2001219, 20),
        "ET SCAN Potential SSH Scan",
        (RECON, 2),
        ("Discovery", &["T1046"]),
        ("ssh", "tcp", 22),
        (Direction::Inbound, None),
        (D::Other, 9),
    ),
    sig(
        (2402000, 7001),
        "ET DROP Dshield Block Listed Source group 1",
        (MISC, 2),
        ("SuspiciousActivity", &[]),
        ("failed", "tcp", 443),
        (Direction::Inbound, None),
        (D::Other, 6),
    ),
    sig(
        (2010935, 3),
        "ET SCAN Suspicious inbound to MSSQL port 1433",
        (BAD, 2),
        ("Discovery", &["T1046"]),
        ("failed", "tcp", 1433),
        (Direction::Inbound, None),
        (D::Other, 4),
    ),
    sig(
        (2100498, 7),
        "GPL ATTACK_RESPONSE id check returned root",
        (BAD, 2),
        ("Execution", &["T1059.004"]),
        HTTP,
        (Direction::Response, None),
        (D::MultiStagedAttack, 3),
    ),
    sig(
        (2017318, 4),
        "ET CURRENT_EVENTS SUSPICIOUS IRC - PRIVMSG *.(exe|tar|tgz|zip)  download command",
        (BAD, 2),
        ("CommandAndControl", &["T1071"]),
        ("irc", "tcp", 6667),
        (Direction::Outbound, None),
        (D::Malware, 3),
    ),
    sig(
        (2018959, 4),
        "ET POLICY PE EXE or DLL Windows file download HTTP",
        (POLICY, 1),
        ("CommandAndControl", &["T1105"]),
        HTTP,
        (Direction::Download, None),
        (D::Malware, 5),
    ),
    sig(
        (2024833, 3),
        "ET POLICY Observed IP Lookup Domain (l2 .io in TLS SNI)",
        (POLICY, 1),
        ("Discovery", &["T1016"]),
        ("tls", "tcp", 443),
        (Direction::Outbound, None),
        (D::UnwantedSoftware, 4),
    ),
    sig(
        (9000101, 1),
        "LOCAL Contoso decoy file share accessed",
        (LOCAL, 5),
        ("LateralMovement", &["T1021.002", "T1135"]),
        ("smb", "tcp", 445),
        (Direction::Internal, None),
        (D::MaliciousUserActivity, 3),
    ),
    sig(
        (9000102, 1),
        "LOCAL Contoso canary token DNS lookup (finance-backup)",
        (LOCAL, 6),
        ("Collection", &["T1005"]),
        ("dns", "udp", 53),
        (Direction::Internal, None),
        (D::MaliciousUserActivity, 2),
    ),
];
