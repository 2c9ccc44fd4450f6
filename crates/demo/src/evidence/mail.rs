//! E-mail entities: `analyzedMessageEvidence`.

use super::{item, Part};
use crate::catalog::people::User;
use crate::scene::{stamp, Scene};
use serde_json::{json, Value};
use time::Duration;

/// Who a message claims to come from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sender {
    pub display_name: &'static str,
    pub address: &'static str,
}

impl Sender {
    fn domain(&self) -> &'static str {
        self.address.rsplit('@').next().unwrap_or(self.address)
    }

    fn json(&self) -> Value {
        json!({
            "displayName": self.display_name,
            "domainName": self.domain(),
            "emailAddress": self.address,
        })
    }
}

/// One analysed message.
#[derive(Debug, Clone)]
pub(crate) struct Message {
    pub sender: Sender,
    pub sender_ip: &'static str,
    pub recipient: &'static User,
    pub subject: &'static str,
    pub urls: Vec<&'static str>,
    pub attachments: i64,
    /// `threats` (`Phish`, `Malware`, `Spam`).
    pub threats: &'static [&'static str],
    pub detection_methods: &'static [&'static str],
    /// `deliveryAction` and `deliveryLocation`.
    pub delivery: (&'static str, &'static str),
}

/// An `analyzedMessageEvidence` item; the message arrived shortly before the first activity.
pub(crate) fn analyzed_message(scene: &mut Scene<'_>, m: Message, part: Part) -> Value {
    let t = scene.time;
    let received = scene
        .time
        .before(&mut scene.dice, t.first_activity, Duration::minutes(20));
    let network_id = scene.dice.uuid().to_string();
    let internet_id = format!(
        "<{}.{}@{}>",
        scene.dice.hex(16).to_uppercase(),
        scene.dice.hex(8),
        m.sender.domain()
    );
    let urn = format!("urn:MailEntity:{}", scene.dice.hex(32));
    let props = json!({
        "antiSpamDirection": "Inbound",
        "attachmentsCount": m.attachments,
        "deliveryAction": m.delivery.0,
        "deliveryLocation": m.delivery.1,
        "internetMessageId": internet_id,
        "language": "en",
        "networkMessageId": network_id,
        "p1Sender": m.sender.json(),
        "p2Sender": m.sender.json(),
        "receivedDateTime": stamp(received),
        "recipientEmailAddress": m.recipient.upn(),
        "senderIp": m.sender_ip,
        "subject": m.subject,
        "threatDetectionMethods": m.detection_methods,
        "threats": m.threats,
        "urlCount": m.urls.len(),
        "urls": m.urls,
        "urn": urn,
    });
    item(scene, "analyzedMessageEvidence", part, props)
}

/// A `mailboxConfigurationEvidence` item: an inbox rule forwarding `user`'s mail.
pub(crate) fn forwarding_rule(scene: &mut Scene<'_>, user: &'static User, part: Part) -> Value {
    let rule_id = scene.dice.hex(16).to_uppercase();
    let upn = user.upn();
    let props = json!({
        "configurationId": format!("{upn}\\{rule_id}"),
        "configurationType": "mailForwardingRule",
        "displayName": ".",
        "externalDirectoryObjectId": user.aad_id(),
        "mailboxPrimaryAddress": upn,
        "upn": upn,
    });
    item(scene, "mailboxConfigurationEvidence", part, props)
}
