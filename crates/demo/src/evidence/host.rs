//! Host entities: `deviceEvidence`, `fileEvidence`, `processEvidence`, `registryValueEvidence`.

use super::identity::{user_account, Account};
use super::{item, Part};
use crate::catalog::devices::{Device, Os};
use crate::catalog::files::FileInfo;
use crate::catalog::network::CORPORATE_EGRESS;
use crate::catalog::people::{DNS_DOMAIN, NT_DOMAIN};
use crate::fingerprint;
use crate::scene::{stamp, Scene};
use model::enums::AlertSeverity;
use serde_json::{json, Value};
use time::Duration;

/// Who reports on a device: Defender (full inventory) or a third-party agent (names and IPs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sensor {
    Defender,
    Agent,
}

/// The Azure subscription the cloud-hosted Linux servers run in.
const SUBSCRIPTION: &str = "3f2b8c1e-7d4a-4e6b-9c0f-5a1d2e3b4c5d";

/// A `deviceEvidence` item for `device`; `severity` shapes Defender's `riskScore`.
pub(crate) fn device(
    scene: &mut Scene<'_>,
    device: &'static Device,
    sensor: Sensor,
    severity: AlertSeverity,
    part: Part,
) -> Value {
    let props = match sensor {
        Sensor::Defender => defender_inventory(scene, device, severity),
        Sensor::Agent => agent_inventory(device),
    };
    item(scene, "deviceEvidence", part, props)
}

fn defender_inventory(scene: &mut Scene<'_>, d: &'static Device, severity: AlertSeverity) -> Value {
    let seen_days = fingerprint::number(&format!("first-seen:{}", d.host), 45, 900);
    let first_seen =
        scene.time.anchor - Duration::days(seen_days) - Duration::seconds(seen_days * 977);
    let (health, av) = sensor_state(scene, d);
    let risk = match severity {
        AlertSeverity::High => "high",
        AlertSeverity::Medium => "medium",
        AlertSeverity::Low => "low",
        _ => "informational",
    };
    let users: Vec<Value> = d
        .owner()
        .map(|u| json!({ "accountName": u.alias, "domainName": NT_DOMAIN }))
        .into_iter()
        .collect();
    json!({
        "azureAdDeviceId": d.aad_id(),
        "defenderAvStatus": av,
        "deviceDnsName": d.fqdn(),
        "dnsDomain": DNS_DOMAIN,
        "firstSeenDateTime": stamp(first_seen),
        "healthStatus": health,
        "hostName": d.host,
        "ipInterfaces": [d.ip],
        "lastExternalIpAddress": CORPORATE_EGRESS,
        "lastIpAddress": d.ip,
        "loggedOnUsers": users,
        "mdeDeviceId": d.mde_id(),
        "ntDomain": if d.os.is_windows() { Some(NT_DOMAIN) } else { None },
        "onboardingStatus": "onboarded",
        "osBuild": d.os.build(),
        "osPlatform": d.os.platform(),
        "rbacGroupId": d.rbac_group.0,
        "rbacGroupName": d.rbac_group.1,
        "resourceAccessEvents": [],
        "riskScore": risk,
        "version": d.os.version(),
        "vmMetadata": vm_metadata(d),
    })
}

/// Defender's `healthStatus` and `defenderAvStatus` of `d` at alert time.
fn sensor_state(scene: &mut Scene<'_>, d: &Device) -> (&'static str, &'static str) {
    let health = scene.dice.weighted(&[
        ("active", 92),
        ("inactive", 3),
        ("impairedCommunication", 3),
        ("noSensorData", 2),
    ]);
    let av = if d.os.is_windows() {
        scene
            .dice
            .weighted(&[("updated", 88), ("notUpdated", 10), ("disabled", 2)])
    } else {
        "notSupported"
    };
    (health, av)
}

fn vm_metadata(d: &Device) -> Value {
    if !matches!(d.os, Os::Ubuntu | Os::Rhel) {
        return Value::Null;
    }
    json!({
        "cloudProvider": "azure",
        "resourceId": format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-prod-linux/providers/Microsoft.Compute/virtualMachines/{}",
            d.host
        ),
        "subscriptionId": SUBSCRIPTION,
        "vmId": fingerprint::guid(&format!("vm:{}", d.host)),
    })
}

fn agent_inventory(d: &Device) -> Value {
    json!({
        "deviceDnsName": d.fqdn(),
        "hostName": d.host,
        "ipInterfaces": [d.ip],
        "lastIpAddress": d.ip,
        "loggedOnUsers": [],
        "mdeDeviceId": null,
        "osPlatform": d.os.platform(),
        "version": d.os.version(),
    })
}

/// The `fileDetails` value of `file`; `{user}` in its directory becomes `alias`.
pub(crate) fn file_details(file: &FileInfo, alias: &str) -> Value {
    let hashes = file.hashes();
    let signed = file.signer.is_some();
    json!({
        "fileName": file.name,
        "filePath": file.directory.replace("{user}", alias),
        "filePublisher": file.signer.map(|_| "Microsoft Corporation"),
        "fileSize": file.size,
        "issuer": if signed { Some("Microsoft Windows Production PCA 2011") } else { None },
        "md5": hashes.md5,
        "sha1": hashes.sha1,
        "sha256": hashes.sha256,
        "sha256Ac": null,
        "signer": file.signer,
    })
}

/// Where a file or process was seen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OnHost {
    pub device: &'static Device,
    /// Alias substituted for `{user}` in paths.
    pub alias: &'static str,
    /// Defender's `detectionStatus` (`detected`, `blocked`, `prevented`) or none.
    pub detection: Option<&'static str>,
    pub sensor: Sensor,
}

impl OnHost {
    fn mde_id(&self) -> Option<String> {
        (self.sensor == Sensor::Defender).then(|| self.device.mde_id())
    }
}

/// A `fileEvidence` item for a file on a device.
pub(crate) fn file(scene: &mut Scene<'_>, file: &FileInfo, at: OnHost, part: Part) -> Value {
    let props = json!({
        "detectionStatus": at.detection,
        "fileDetails": file_details(file, at.alias),
        "mdeDeviceId": at.mde_id(),
    });
    item(scene, "fileEvidence", part, props)
}

/// A `fileEvidence` item for a file seen in transit (a mail attachment), on no device.
pub(crate) fn attachment(
    scene: &mut Scene<'_>,
    file: &FileInfo,
    detection: &str,
    part: Part,
) -> Value {
    let mut details = file_details(file, "");
    if let Some(d) = details.as_object_mut() {
        d.insert("filePath".into(), Value::Null);
    }
    let props = json!({
        "detectionStatus": detection,
        "fileDetails": details,
        "mdeDeviceId": null,
    });
    item(scene, "fileEvidence", part, props)
}

/// One process and its parent.
#[derive(Debug, Clone)]
pub(crate) struct Process {
    pub image: &'static FileInfo,
    pub command_line: String,
    pub parent: &'static FileInfo,
    pub account: Account,
}

/// A `processEvidence` item; creation times fall inside the alert's activity span.
pub(crate) fn process(scene: &mut Scene<'_>, p: Process, at: OnHost, part: Part) -> Value {
    let t = scene.time;
    let created = scene.time.after(
        &mut scene.dice,
        t.first_activity,
        t.last_activity - t.first_activity,
    );
    let parent_created = scene
        .time
        .before(&mut scene.dice, created, Duration::hours(30));
    let pid = scene.dice.between(250, 5000) * 4;
    let ppid = scene.dice.between(100, 2500) * 4;
    let props = json!({
        "detectionStatus": at.detection,
        "imageFile": file_details(p.image, at.alias),
        "mdeDeviceId": at.mde_id(),
        "parentProcessCreationDateTime": stamp(parent_created),
        "parentProcessId": ppid,
        "parentProcessImageFile": file_details(p.parent, at.alias),
        "processCommandLine": p.command_line,
        "processCreationDateTime": stamp(created),
        "processId": pid,
        "userAccount": user_account(scene, p.account),
    });
    item(scene, "processEvidence", part, props)
}

/// A `registryValueEvidence` item under `HKEY_CURRENT_USER` (Run-key persistence).
pub(crate) fn registry_value(
    scene: &mut Scene<'_>,
    at: OnHost,
    (key, name, data): (&str, &str, &str),
    part: Part,
) -> Value {
    item(
        scene,
        "registryValueEvidence",
        part,
        json!({
            "mdeDeviceId": at.mde_id(),
            "registryHive": "HKEY_CURRENT_USER",
            "registryKey": key,
            "registryValue": data,
            "registryValueName": name,
            "registryValueType": "String",
        }),
    )
}
