//! The demo tenant's machines: workstations (each with a primary user), Windows servers and the
//! Linux fleet that Wazuh watches and Suricata sees traffic for.

use super::people::{DNS_DOMAIN, USERS};
use crate::fingerprint;

/// An operating system as Defender reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Os {
    Windows11,
    Windows10,
    WindowsServer2022,
    WindowsServer2019,
    Ubuntu,
    Rhel,
    Mac,
}

impl Os {
    /// `osPlatform`.
    pub(crate) fn platform(self) -> &'static str {
        match self {
            Os::Windows11 => "Windows11",
            Os::Windows10 => "Windows10",
            Os::WindowsServer2022 => "WindowsServer2022",
            Os::WindowsServer2019 => "WindowsServer2019",
            Os::Ubuntu | Os::Rhel => "Linux",
            Os::Mac => "macOS",
        }
    }

    /// `osBuild` (Windows only).
    pub(crate) fn build(self) -> Option<i64> {
        match self {
            Os::Windows11 => Some(22631),
            Os::Windows10 => Some(19045),
            Os::WindowsServer2022 => Some(20348),
            Os::WindowsServer2019 => Some(17763),
            Os::Ubuntu | Os::Rhel | Os::Mac => None,
        }
    }

    /// `version`.
    pub(crate) fn version(self) -> &'static str {
        match self {
            Os::Windows11 => "23H2",
            Os::Windows10 => "22H2",
            Os::WindowsServer2022 => "21H2",
            Os::WindowsServer2019 => "1809",
            Os::Ubuntu => "22.04",
            Os::Rhel => "9.4",
            Os::Mac => "14.6",
        }
    }

    /// True for the Windows family.
    pub(crate) fn is_windows(self) -> bool {
        self.build().is_some()
    }
}

/// One machine.
#[derive(Debug)]
pub(crate) struct Device {
    pub host: &'static str,
    pub os: Os,
    /// Index into [`USERS`] of the primary user (workstations only).
    pub owner: Option<usize>,
    pub ip: &'static str,
    pub rbac_group: (i32, &'static str),
}

const WORKSTATIONS: (i32, &str) = (41, "Workstations");
const SERVERS: (i32, &str) = (42, "Tier-0 Servers");
const LINUX: (i32, &str) = (43, "Linux Servers");

const fn ws(host: &'static str, os: Os, owner: usize, ip: &'static str) -> Device {
    Device {
        host,
        os,
        owner: Some(owner),
        ip,
        rbac_group: WORKSTATIONS,
    }
}

const fn srv(host: &'static str, os: Os, ip: &'static str, group: (i32, &'static str)) -> Device {
    Device {
        host,
        os,
        owner: None,
        ip,
        rbac_group: group,
    }
}

/// Workstations, most exposed first; `owner` indexes [`USERS`].
pub(crate) const WORKSTATION_POOL: &[Device] = &[
    ws("fin-lt-0142", Os::Windows11, 0, "10.20.4.142"),
    ws("sal-lt-0311", Os::Windows11, 1, "10.20.7.31"),
    ws("it-ws-0007", Os::Windows11, 2, "10.20.1.7"),
    ws("eng-ws-0418", Os::Windows10, 3, "10.20.9.18"),
    ws("hr-lt-0123", Os::Windows10, 4, "10.20.5.23"),
    ws("eng-ws-0420", Os::Windows11, 5, "10.20.9.20"),
    ws("sal-lt-0315", Os::Windows10, 6, "10.20.7.35"),
    ws("eng-mac-0031", Os::Mac, 7, "10.20.9.131"),
    ws("exe-lt-0002", Os::Windows11, 8, "10.20.2.2"),
    ws("fin-lt-0147", Os::Windows11, 9, "10.20.4.147"),
    ws("mkt-lt-0208", Os::Windows10, 10, "10.20.8.8"),
    ws("exe-lt-0005", Os::Windows11, 11, "10.20.2.5"),
    ws("fin-ws-0150", Os::Windows10, 12, "10.20.4.150"),
    ws("mkt-mac-0212", Os::Mac, 13, "10.20.8.112"),
    ws("eng-ws-0431", Os::Windows11, 14, "10.20.9.31"),
    ws("leg-lt-0051", Os::Windows11, 15, "10.20.6.51"),
    ws("prc-lt-0077", Os::Windows10, 17, "10.20.10.77"),
    ws("sal-lt-0322", Os::Windows11, 18, "10.20.7.42"),
    ws("fin-lt-0155", Os::Windows11, 20, "10.20.4.155"),
    ws("eng-ws-0440", Os::Windows11, 21, "10.20.9.40"),
];

/// Windows servers (Defender-onboarded, some with a Wazuh agent as well).
pub(crate) const WINDOWS_SERVERS: &[Device] = &[
    srv("srv-dc01", Os::WindowsServer2022, "10.10.1.10", SERVERS),
    srv("srv-file02", Os::WindowsServer2019, "10.10.1.22", SERVERS),
    srv("srv-sql01", Os::WindowsServer2019, "10.10.1.31", SERVERS),
    srv("srv-dc02", Os::WindowsServer2022, "10.10.1.11", SERVERS),
    srv("srv-rds01", Os::WindowsServer2022, "10.10.1.40", SERVERS),
];

/// Linux servers (Wazuh agents; the DMZ web tier is what Suricata watches).
pub(crate) const LINUX_SERVERS: &[Device] = &[
    srv("web-01", Os::Ubuntu, "172.16.10.11", LINUX),
    srv("web-02", Os::Ubuntu, "172.16.10.12", LINUX),
    srv("jump-01", Os::Ubuntu, "172.16.10.5", LINUX),
    srv("db-01", Os::Rhel, "10.10.2.21", LINUX),
    srv("build-01", Os::Ubuntu, "10.10.3.40", LINUX),
    srv("mail-relay-01", Os::Rhel, "172.16.10.25", LINUX),
    srv("vpn-gw-01", Os::Ubuntu, "172.16.10.2", LINUX),
];

impl Device {
    /// `deviceDnsName`: the fully qualified name.
    pub(crate) fn fqdn(&self) -> String {
        format!("{}.{DNS_DOMAIN}", self.host)
    }

    /// Defender's 40-hex-digit device id.
    pub(crate) fn mde_id(&self) -> String {
        fingerprint::hex(&format!("mde-device:{}", self.host), 40)
    }

    /// The Entra ID device id (null for servers that are not joined).
    pub(crate) fn aad_id(&self) -> Option<String> {
        self.owner
            .map(|_| fingerprint::guid(&format!("aad-device:{}", self.host)))
    }

    /// The Wazuh agent id (`"003"`).
    pub(crate) fn wazuh_agent_id(&self) -> String {
        format!(
            "{:03}",
            fingerprint::number(&format!("agent:{}", self.host), 1, 240)
        )
    }

    /// The primary user, if any.
    pub(crate) fn owner(&self) -> Option<&'static super::people::User> {
        self.owner.and_then(|i| USERS.get(i))
    }
}
