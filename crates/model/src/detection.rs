//! Detections: the alerts_v2 alert secgraph raises when an observed event matches a threat
//! indicator whose action is `alert` or `block`. Pure: the endpoint decides when; this decides
//! what the alert says.
//!
//! - **One alert per indicator and value per window.** The id is a UUIDv5 of the indicator id, the
//!   matched value and the start of the fixed window the event falls in ([`window_start`]), so the
//!   events of one window — on any node — name the same alert, and the caller writes it only if it
//!   does not exist yet.
//! - **Fields.** `detectionSource` `customTi`; `serviceSource` `microsoftSentinel` (the Graph
//!   product that consumed tiIndicators; an evolvable member, shown as `unknownFutureValue` to
//!   clients that do not opt in); `productName` `secgraph`; `detectorId` the indicator id;
//!   `severity` from the indicator's 0–5 scale (0 informational, 1–2 low, 3 medium, 4–5 high);
//!   `category` the indicator's `threatType`; first and last activity the event time; evidence the
//!   matched value (verdict `malicious`, remediation `blocked` for a block), and the event's other
//!   values, host and user as context; `additionalData` the indicator, the event's id, format and
//!   product, and the verdict. The enrichment hook then lists the indicator in
//!   `threatIntelligenceMatches`.

use crate::datetime;
use crate::indicator::{ObservableValue, TiAction, TiIndicator};
use crate::observation::{Observation, ObservationRole, ObservedValue};
use crate::stored::StoredAlert;
use crate::{AlertId, TenantId};
use serde_json::{json, Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

/// Namespace of detection alert ids (UUIDv5).
pub const DETECTION_NAMESPACE: Uuid = Uuid::from_u128(0x5ec9_7a9b_1d2e_4c3f_9a41_0d7e_7c1a_b0d5);

/// The start of the fixed window of `window_seconds` that `time` falls in.
pub fn window_start(time: OffsetDateTime, window_seconds: i64) -> OffsetDateTime {
    let w = window_seconds.max(1);
    let t = time.unix_timestamp();
    OffsetDateTime::from_unix_timestamp(t - t.rem_euclid(w)).unwrap_or(time)
}

/// The id of the alert for `indicator_id` matching `value` in the window starting at `window`.
pub fn detection_alert_id(
    indicator_id: &str,
    value: &ObservableValue,
    window: OffsetDateTime,
) -> AlertId {
    let name = format!(
        "{indicator_id}\n{}\n{}",
        value_text(value),
        window.unix_timestamp()
    );
    AlertId(format!(
        "ti{}",
        Uuid::new_v5(&DETECTION_NAMESPACE, name.as_bytes()).simple()
    ))
}

/// The text of a normalised value.
pub fn value_text(value: &ObservableValue) -> String {
    match value {
        ObservableValue::Ip(ip) => ip.to_string(),
        ObservableValue::Cidr(ip, prefix) => format!("{ip}/{prefix}"),
        ObservableValue::Domain(s) | ObservableValue::Url(s) | ObservableValue::Email(s) => {
            s.clone()
        }
        ObservableValue::Hash(_, h) => h.clone(),
    }
}

/// What matched: the event, the value in it, and the indicator.
#[derive(Debug, Clone, Copy)]
pub struct Detection<'a> {
    /// The tenant.
    pub tenant: &'a TenantId,
    /// The event.
    pub observation: &'a Observation,
    /// The matched value.
    pub matched: &'a ObservedValue,
    /// The indicator (its action is `alert` or `block` as matching applied it).
    pub indicator: &'a TiIndicator,
    /// `block` when matching blocked the event, else `alert`.
    pub blocked: bool,
    /// The alert's window length in seconds.
    pub window_seconds: i64,
    /// The store clock's time.
    pub now: OffsetDateTime,
}

impl Detection<'_> {
    /// The alert's id.
    pub fn alert_id(&self) -> AlertId {
        let window = window_start(self.observation.time, self.window_seconds);
        detection_alert_id(self.indicator.id.as_str(), &self.matched.value, window)
    }

    /// The alert.
    pub fn alert(&self) -> Result<StoredAlert, serde_json::Error> {
        let body = &self.indicator.body;
        let value = value_text(&self.matched.value);
        let verb = if self.blocked { "Blocked" } else { "Observed" };
        let now = datetime::format(self.now);
        let at = datetime::format(self.observation.time);
        let alert = json!({
            "id": self.alert_id(),
            "title": format!("{verb} {} matching threat indicator: {value}", describe(self.matched.role)),
            "description": format!("{} ({}, {}). {}", body.description, body.threat_type.as_str(), tlp(self.indicator), context_line(self.observation)),
            "severity": severity(body.severity),
            "status": "new",
            "category": body.threat_type.as_str(),
            "createdDateTime": now,
            "lastUpdateDateTime": now,
            "firstActivityDateTime": at,
            "lastActivityDateTime": at,
            "detectionSource": "customTi",
            "serviceSource": "microsoftSentinel",
            "productName": "secgraph",
            "detectorId": self.indicator.id.as_str(),
            "providerAlertId": self.indicator.id.as_str(),
            "tenantId": self.tenant.as_str(),
            "threatFamilyName": body.malware_family_names.first(),
            "actorDisplayName": body.activity_group_names.first(),
            "recommendedActions": recommendation(self.blocked, body.action),
            "evidence": self.evidence(),
            "additionalData": self.additional_data(),
        });
        serde_json::from_value(json!({
            "alert": alert,
            "vendor": {"provider": "secgraph threat intelligence", "vendor": "secgraph"},
        }))
    }

    fn evidence(&self) -> Vec<Value> {
        let at = datetime::format(self.observation.time);
        let mut out = vec![evidence_of(self.matched, &at, true, self.blocked)];
        for other in &self.observation.values {
            if other != self.matched {
                out.push(evidence_of(other, &at, false, false));
            }
        }
        let ctx = &self.observation.context;
        if let Some(host) = &ctx.host_name {
            out.push(json!({"@odata.type": "#microsoft.graph.security.deviceEvidence", "createdDateTime": at,
                "deviceDnsName": host, "roles": ["contextual"], "verdict": "unknown", "remediationStatus": "none"}));
        }
        if let Some(user) = &ctx.user_name {
            out.push(json!({"@odata.type": "#microsoft.graph.security.userEvidence", "createdDateTime": at,
                "userAccount": {"accountName": user}, "roles": ["contextual"], "verdict": "unknown", "remediationStatus": "none"}));
        }
        out
    }

    fn additional_data(&self) -> Map<String, Value> {
        let o = self.observation;
        let mut m = Map::new();
        m.insert("indicatorId".into(), json!(self.indicator.id.as_str()));
        if let Some(ext) = &self.indicator.body.external_id {
            m.insert("indicatorExternalId".into(), json!(ext));
        }
        m.insert("matchedRole".into(), json!(self.matched.role.as_str()));
        m.insert(
            "matchedValue".into(),
            json!(value_text(&self.matched.value)),
        );
        m.insert(
            "verdict".into(),
            json!(if self.blocked { "block" } else { "alert" }),
        );
        if let Some(id) = &o.id {
            m.insert("eventId".into(), json!(id));
        }
        m.insert("eventFormat".into(), json!(o.format.as_str()));
        if let Some(product) = &o.context.product {
            m.insert("eventProduct".into(), json!(product));
        }
        m
    }
}

/// One evidence item for an observed value.
fn evidence_of(v: &ObservedValue, at: &str, matched: bool, blocked: bool) -> Value {
    let role = match v.role {
        ObservationRole::SourceIp | ObservationRole::EmailSender => "source",
        ObservationRole::DestinationIp | ObservationRole::EmailRecipient => "destination",
        _ => {
            if matched {
                "commandAndControl"
            } else {
                "contextual"
            }
        }
    };
    let verdict = if matched { "malicious" } else { "unknown" };
    let remediation = if blocked { "blocked" } else { "none" };
    let mut e = match &v.value {
        ObservableValue::Ip(ip) | ObservableValue::Cidr(ip, _) => {
            json!({"@odata.type": "#microsoft.graph.security.ipEvidence", "ipAddress": ip.to_string()})
        }
        ObservableValue::Domain(d) => {
            json!({"@odata.type": "#microsoft.graph.security.dnsEvidence", "domainName": d})
        }
        ObservableValue::Url(u) => {
            json!({"@odata.type": "#microsoft.graph.security.urlEvidence", "url": u})
        }
        ObservableValue::Hash(t, h) => {
            json!({"@odata.type": "#microsoft.graph.security.fileEvidence",
            "fileDetails": {t.as_str(): h}})
        }
        ObservableValue::Email(a) => {
            json!({"@odata.type": "#microsoft.graph.security.mailboxEvidence", "primaryAddress": a})
        }
    };
    if let Value::Object(m) = &mut e {
        m.insert("createdDateTime".into(), json!(at));
        m.insert("roles".into(), json!([role]));
        m.insert("verdict".into(), json!(verdict));
        m.insert("remediationStatus".into(), json!(remediation));
    }
    e
}

fn describe(role: ObservationRole) -> &'static str {
    match role {
        ObservationRole::SourceIp => "source address",
        ObservationRole::DestinationIp => "destination address",
        ObservationRole::HostIp | ObservationRole::RelatedIp => "address",
        ObservationRole::Domain => "domain",
        ObservationRole::Url => "URL",
        ObservationRole::FileHash(_) => "file",
        ObservationRole::EmailSender => "e-mail sender",
        ObservationRole::EmailRecipient => "e-mail recipient",
    }
}

fn tlp(indicator: &TiIndicator) -> String {
    format!("TLP {}", indicator.body.tlp_level.as_str())
}

fn context_line(o: &Observation) -> String {
    let mut parts = vec![format!("{} event", o.kind.as_str())];
    if let Some(p) = &o.context.product {
        parts.push(format!("from {p}"));
    }
    if let Some(h) = &o.context.host_name {
        parts.push(format!("on {h}"));
    }
    if let Some(t) = &o.context.title {
        parts.push(format!("({t})"));
    }
    format!("Seen in a {}.", parts.join(" "))
}

fn severity(scale: i32) -> &'static str {
    match scale {
        i32::MIN..=0 => "informational",
        1 | 2 => "low",
        3 => "medium",
        _ => "high",
    }
}

fn recommendation(blocked: bool, action: Option<TiAction>) -> &'static str {
    match (blocked, action) {
        (true, _) => "The event was blocked by an enforcement point. Confirm the block was expected, find the device or user that attempted it, and investigate them.",
        _ => "Investigate the device and user involved; if the activity is malicious, change the indicator's action to block.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::parse_new;
    use crate::observation::parse_observation;
    use time::macros::datetime;

    fn indicator() -> TiIndicator {
        let body = parse_new(&json!({"action": "block", "description": "Botnet C2", "domainName": "evil.example",
            "expirationDateTime": "2099-01-01", "targetProduct": "Azure Sentinel", "threatType": "Botnet",
            "tlpLevel": "amber", "severity": 4, "malwareFamilyNames": ["Emotet"]})).unwrap();
        TiIndicator::new(
            "ind-1".into(),
            TenantId("t".into()),
            datetime!(2026-01-01 0:00 UTC),
            body,
        )
    }

    #[test]
    fn a_detection_is_a_complete_alert_with_a_window_stable_id() {
        let event = json!({"type": "dns", "@timestamp": "2026-11-27T10:15:00Z", "source": {"ip": "10.0.0.5"},
            "dns": {"question": {"name": "www.evil.example"}}, "host": {"name": "laptop-7"}});
        let obs = parse_observation(&event, datetime!(2026-11-27 12:00 UTC)).unwrap();
        let matched = obs
            .values
            .iter()
            .find(|v| v.role == ObservationRole::Domain)
            .unwrap()
            .clone();
        let ind = indicator();
        let tenant = TenantId("t".into());
        let d = Detection {
            tenant: &tenant,
            observation: &obs,
            matched: &matched,
            indicator: &ind,
            blocked: true,
            window_seconds: 3600,
            now: datetime!(2026-11-27 12:00 UTC),
        };
        let stored = d.alert().unwrap();
        let a = &stored.alert;
        assert_eq!(a.severity.as_str(), "high");
        assert_eq!(a.detection_source.map(|s| s.as_str()), Some("customTi"));
        assert_eq!(a.threat_family_name.as_deref(), Some("Emotet"));
        assert!(
            a.title.as_deref().unwrap().starts_with("Blocked domain"),
            "{:?}",
            a.title
        );
        let kinds: Vec<String> = a
            .evidence
            .iter()
            .map(|e| e.odata_type().to_string())
            .collect();
        assert_eq!(
            kinds,
            [
                "#microsoft.graph.security.dnsEvidence",
                "#microsoft.graph.security.ipEvidence",
                "#microsoft.graph.security.deviceEvidence"
            ]
        );
        let later = parse_observation(
            &json!({"type": "dns", "@timestamp": "2026-11-27T10:59:59Z",
            "dns": {"question": {"name": "www.evil.example"}}}),
            datetime!(2026-11-27 12:00 UTC),
        )
        .unwrap();
        let same_window = Detection {
            observation: &later,
            ..d
        };
        assert_eq!(
            same_window.alert_id(),
            d.alert_id(),
            "one alert per indicator, value and window"
        );
        let next = parse_observation(
            &json!({"type": "dns", "@timestamp": "2026-11-27T11:00:00Z",
            "dns": {"question": {"name": "www.evil.example"}}}),
            datetime!(2026-11-27 12:00 UTC),
        )
        .unwrap();
        assert_ne!(
            Detection {
                observation: &next,
                ..d
            }
            .alert_id(),
            d.alert_id()
        );
    }
}
