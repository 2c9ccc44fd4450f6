//! Files that appear in evidence: malware samples (with Defender threat names) and the signed
//! system binaries attackers live off.

use crate::fingerprint::Hashes;

/// One file on disk.
#[derive(Debug)]
pub(crate) struct FileInfo {
    pub name: &'static str,
    pub directory: &'static str,
    pub size: i64,
    /// Publisher/signer for signed binaries.
    pub signer: Option<&'static str>,
}

impl FileInfo {
    /// The file's MD5/SHA-1/SHA-256 (stable across alerts).
    pub(crate) fn hashes(&self) -> Hashes {
        Hashes::of(self.name, self.size)
    }
}

/// A malware sample and what Defender calls it.
#[derive(Debug)]
pub(crate) struct Sample {
    pub file: FileInfo,
    /// Defender threat name (`threatDisplayName`).
    pub threat: &'static str,
    /// `threatFamilyName`.
    pub family: &'static str,
    /// Defender's noun for it in alert titles ("backdoor", "ransomware", ...).
    pub kind: &'static str,
}

const fn sample(
    name: &'static str,
    directory: &'static str,
    size: i64,
    threat: &'static str,
    family: &'static str,
    kind: &'static str,
) -> Sample {
    Sample {
        file: FileInfo {
            name,
            directory,
            size,
            signer: None,
        },
        threat,
        family,
        kind,
    }
}

/// Malware seen in the tenant, most frequent first.
pub(crate) const SAMPLES: &[Sample] = &[
    sample(
        "invoice_20931.js",
        "C:\\Users\\{user}\\Downloads",
        18_244,
        "Trojan:JS/Qakbot.RPX!MTB",
        "Qakbot",
        "malware",
    ),
    sample(
        "update.bin.exe",
        "C:\\Users\\{user}\\AppData\\Local\\Temp",
        412_160,
        "Backdoor:Win64/CobaltStrike.NP!dha",
        "CobaltStrike",
        "backdoor",
    ),
    sample(
        "mimikatz.exe",
        "C:\\ProgramData\\temp",
        1_355_264,
        "HackTool:Win64/Mimikatz!pz",
        "Mimikatz",
        "hacktool",
    ),
    sample(
        "Remittance_Advice.docm",
        "C:\\Users\\{user}\\Downloads",
        96_512,
        "TrojanDownloader:O97M/Emotet.PDSK!MTB",
        "Emotet",
        "malware",
    ),
    sample(
        "svchost32.exe",
        "C:\\Users\\Public\\Libraries",
        2_891_776,
        "Trojan:Win32/CoinMiner!MSR",
        "CoinMiner",
        "unwanted software",
    ),
    sample(
        "lb3.exe",
        "C:\\ProgramData",
        158_720,
        "Ransom:Win32/LockBit.AA!MTB",
        "LockBit",
        "ransomware",
    ),
    sample(
        "rclone.exe",
        "C:\\ProgramData\\sync",
        48_125_952,
        "HackTool:Win64/Rclone!MSR",
        "Rclone",
        "hacktool",
    ),
    sample(
        "setup_x64.msi",
        "C:\\Users\\{user}\\Downloads",
        7_340_032,
        "PUA:Win32/Presenoker",
        "Presenoker",
        "unwanted software",
    ),
    sample(
        "AnyDesk.exe",
        "C:\\Users\\{user}\\Downloads",
        5_212_240,
        "PUA:Win32/AnyDesk",
        "AnyDesk",
        "unwanted software",
    ),
];

const fn signed(name: &'static str, directory: &'static str, size: i64) -> FileInfo {
    FileInfo {
        name,
        directory,
        size,
        signer: Some("Microsoft Windows"),
    }
}

/// `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`.
pub(crate) const POWERSHELL: FileInfo = signed(
    "powershell.exe",
    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
    455_680,
);
/// `cmd.exe`.
pub(crate) const CMD: FileInfo = signed("cmd.exe", "C:\\Windows\\System32", 323_584);
/// `rundll32.exe`.
pub(crate) const RUNDLL32: FileInfo = signed("rundll32.exe", "C:\\Windows\\System32", 71_680);
/// `certutil.exe`.
pub(crate) const CERTUTIL: FileInfo = signed("certutil.exe", "C:\\Windows\\System32", 1_501_184);
/// `schtasks.exe`.
pub(crate) const SCHTASKS: FileInfo = signed("schtasks.exe", "C:\\Windows\\System32", 235_520);
/// `services.exe`.
pub(crate) const SERVICES: FileInfo = signed("services.exe", "C:\\Windows\\System32", 731_744);
/// `explorer.exe`.
pub(crate) const EXPLORER: FileInfo = signed("explorer.exe", "C:\\Windows", 5_582_368);
/// `wscript.exe`.
pub(crate) const WSCRIPT: FileInfo = signed("wscript.exe", "C:\\Windows\\System32", 172_032);
/// `PSEXESVC.exe` (Sysinternals, signed by Microsoft Corporation).
pub(crate) const PSEXESVC: FileInfo = FileInfo {
    name: "PSEXESVC.exe",
    directory: "C:\\Windows",
    size: 194_928,
    signer: Some("Microsoft Corporation"),
};
/// `WINWORD.EXE` (Microsoft 365 Apps).
pub(crate) const WINWORD: FileInfo = FileInfo {
    name: "WINWORD.EXE",
    directory: "C:\\Program Files\\Microsoft Office\\root\\Office16",
    size: 2_186_656,
    signer: Some("Microsoft Corporation"),
};

const fn linux(directory: &'static str, name: &'static str, size: i64) -> FileInfo {
    FileInfo {
        name,
        directory,
        size,
        signer: None,
    }
}

/// `/usr/bin/bash`.
pub(crate) const BASH: FileInfo = linux("/usr/bin", "bash", 1_396_520);
/// `/usr/bin/sudo`.
pub(crate) const SUDO: FileInfo = linux("/usr/bin", "sudo", 232_416);
/// `/usr/sbin/apache2`.
pub(crate) const APACHE: FileInfo = linux("/usr/sbin", "apache2", 707_768);
/// `/usr/sbin/sshd`.
pub(crate) const SSHD: FileInfo = linux("/usr/sbin", "sshd", 921_416);
/// A cryptominer dropped in `/tmp`.
pub(crate) const XMRIG: FileInfo = linux("/tmp/.x", "xmrig", 8_534_656);
