//! Wazuh, the host IDS on the Linux fleet (not a Microsoft product): rule alerts with device,
//! user, IP, URL, file (with MD5/SHA-1/SHA-256 from file-integrity monitoring) and process
//! evidence. Graph ids are GUIDs; the provider's id is Wazuh's `{epoch}.{offset}` alert id;
//! `detectorId` is the rule id. Local rules (ids 100000 and up) report `customDetection`.

mod plays;
mod rules;

use crate::catalog::devices::{Device, LINUX_SERVERS};
use crate::detection::{Detection, Headline, Product};
use crate::evidence::host::{self, Sensor};
use crate::evidence::Part;
use crate::scene::Scene;
use model::enums::{
    AlertSeverity as Sev, DetectionSource, EvidenceRole as R, EvidenceVerdict as V, ServiceSource,
};
use rules::{Play, Rule, RULES};
use serde_json::json;

/// Wazuh, as deployed by the tenant.
pub(crate) static PRODUCT: Product = Product {
    name: "Wazuh",
    service: ServiceSource::Unknown,
    vendor: "Wazuh",
    provider: "Wazuh",
    sub_provider: None,
    provider_version: Some("4.9.2"),
    microsoft: false,
    automated: false,
};

/// The first id of the tenant's own rules (Wazuh reserves 100000–120000 for local rules).
const LOCAL_RULES: u32 = 100_000;

const RECOMMENDED: &str = "Review the agent's events around the alert in the Wazuh dashboard, confirm the change or login with the system owner, and isolate the host if the activity is not explained.";

const AGENT: Part = Part::new(&[R::Compromised], &["Wazuh agent"], V::Suspicious);

/// One Wazuh alert.
pub(crate) fn detect(scene: &mut Scene<'_>) -> Detection {
    let rule = scene.dice.weighted_by(RULES, |r| r.weight);
    let agent = agent_for(scene, rule.play);
    let offset = scene.dice.between(1_000, 99_999_999);
    let alert_id = format!("{}.{offset}", scene.time.created.unix_timestamp());
    let headline = Headline {
        title: rule.description,
        description: rule.description,
        category: rule
            .tactics
            .first()
            .copied()
            .unwrap_or("SuspiciousActivity"),
        mitre: rule.mitre,
        severity: severity(rule.level),
        source: if rule.id >= LOCAL_RULES {
            DetectionSource::CustomDetection
        } else {
            DetectionSource::Unknown
        },
        true_positive: rule.true_positive,
    };
    let guid = scene.dice.uuid().to_string();
    let mut det = Detection::new(&PRODUCT, &headline, guid, alert_id);
    det.categories = rule.tactics.to_vec();
    det.detector_id = Some(rule.id.to_string());
    det.recommended_actions = Some(RECOMMENDED);
    let device = host::device(scene, agent, Sensor::Agent, det.severity, AGENT);
    det.evidence.push(device);
    let story = plays::tell(scene, &mut det, rule, agent);
    if let (Some(log), true) = (&story.full_log, det.description == rule.description) {
        det.description = format!("{} Log: {log}", rule.description);
    }
    let fired = scene.dice.between(1, 40);
    det.additional_data = Some(additional_data(rule, agent, &story, fired));
    det
}

/// Wazuh rule level (0–15) to Graph severity.
fn severity(level: u8) -> Sev {
    match level {
        0..=3 => Sev::Informational,
        4..=6 => Sev::Low,
        7..=11 => Sev::Medium,
        _ => Sev::High,
    }
}

/// The agent a rule fires on: web rules on the web tier, logins on the SSH-exposed hosts.
fn agent_for(scene: &mut Scene<'_>, play: Play) -> &'static Device {
    let dice = &mut scene.dice;
    let candidates: &[usize] = match play {
        Play::WebAttack | Play::WebScan | Play::ReverseShell => &[0, 1],
        Play::SshAccepted | Play::SshFailed | Play::PamSession => &[2, 6, 4, 3],
        _ => &[0, 1, 2, 3, 4, 5, 6],
    };
    &LINUX_SERVERS[*dice.pick_skewed(candidates)]
}

fn additional_data(
    rule: &Rule,
    agent: &Device,
    story: &plays::Story,
    fired: i64,
) -> serde_json::Value {
    json!({
        "ruleId": rule.id.to_string(),
        "ruleLevel": rule.level,
        "ruleDescription": rule.description,
        "ruleGroups": rule.groups,
        "firedTimes": fired,
        "agentId": agent.wazuh_agent_id(),
        "agentName": agent.host,
        "agentIp": agent.ip,
        "manager": "wazuh-manager",
        "decoder": story.decoder,
        "location": story.location,
        "fullLog": story.full_log,
    })
}
