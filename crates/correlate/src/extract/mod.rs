//! Entity extraction: the strong-entity candidates of an alert, read from its typed evidence.
//!
//! | evidence | entities |
//! |---|---|
//! | `deviceEvidence` | device (`mdeDeviceId`, `azureAdDeviceId`, `deviceDnsName` or `hostName`), ip (`lastIpAddress`, `lastExternalIpAddress`), cloudResource (`vmMetadata.resourceId`), user (`loggedOnUsers` with a domain) |
//! | `fileEvidence`, `fileHashEvidence` | fileHash (sha256, sha1, md5), device (`mdeDeviceId`) |
//! | `processEvidence` | fileHash (image and parent image), user (`userAccount`), device (`mdeDeviceId`) |
//! | `registryValueEvidence` | device (`mdeDeviceId`) |
//! | `malwareEvidence` | its files and processes, as above |
//! | `hostLogonSessionEvidence` | user (`account`), device (`host`) |
//! | `userEvidence` | user (`userAccount`: UPN, SID, Entra id, AD object guid, domain\name) |
//! | `cloudLogonSessionEvidence` | user (`account`), device (`deviceName`) |
//! | `ipEvidence`, `nicEvidence` | ip |
//! | `urlEvidence` | url, and the domain (or ip) of its host |
//! | `networkConnectionEvidence` | ip (source and destination) |
//! | `dnsEvidence` | domain (`domainName`), ip (`ipAddresses`) |
//! | `ioTDeviceEvidence` | device (`iot:<deviceId>`), ip |
//! | `mailboxEvidence` | mailbox (`primaryAddress`), user (`upn`, `userAccount`) |
//! | `analyzedMessageEvidence` | mailbox (recipient, P1 and P2 sender), domain (sender domains), ip (`senderIp`), url and host (`urls`) |
//! | `submissionMailEvidence` | mailbox (recipient, sender), ip (`senderIp`) |
//! | `mailboxConfigurationEvidence` | mailbox (`mailboxPrimaryAddress`), user (`upn`) |
//! | `teamsMessageEvidence` | mailbox (`senderFromAddress`), ip (`senderIp`), url and host, fileHash of its files |
//! | `azureResourceEvidence`, `amazonResourceEvidence`, `googleCloudResourceEvidence` | cloudResource (`resourceId`, `amazonResourceId`, `fullResourceName`) |
//! | `blobContainerEvidence`, `blobEvidence`, `sasTokenEvidence` | cloudResource (storage account), url, fileHash |
//! | `kubernetesClusterEvidence` | its `cloudResource` |
//!
//! Other evidence types (registry keys, applications, containers, ...) carry no entity of these
//! kinds. Values are normalised ([`crate::normal`]); the list is deduplicated and sorted. Whether
//! an entity is *weak* (a private address, `SYSTEM`, the empty file's hash) is not decided here but
//! by the tenant's stop-list when the engine indexes the alert.

mod cloud;
mod host;
mod mail;
mod net;

use crate::entity::Entity;
use crate::normal;
use model::evidence::details::{FileDetails, UserAccount};
use model::{Alert, AlertEvidence};
use time::OffsetDateTime;

/// What the engine needs of an alert: its id, its `createdDateTime` and its entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertFacts {
    /// The alert's id.
    pub alert_id: String,
    /// `createdDateTime`: the time the window and the canonical order use.
    pub created: OffsetDateTime,
    /// Strong-entity candidates ([`extract`]).
    pub entities: Vec<Entity>,
}

impl AlertFacts {
    /// The facts of `alert`: its id, `createdDateTime` and [`extract`]ed entities.
    pub fn from_alert(alert: &Alert) -> AlertFacts {
        AlertFacts {
            alert_id: alert.id.0.clone(),
            created: alert.created_date_time,
            entities: extract(alert),
        }
    }
}

/// The strong-entity candidates of `alert`'s evidence, normalised, deduplicated and sorted.
pub fn extract(alert: &Alert) -> Vec<Entity> {
    let mut sink = Sink::default();
    for item in &alert.evidence {
        sink.evidence(item);
    }
    sink.finish()
}

/// Collects entities while evidence is walked.
#[derive(Default)]
pub(crate) struct Sink {
    out: Vec<Entity>,
}

impl Sink {
    /// Adds `entity` when there is one.
    pub(crate) fn push(&mut self, entity: Option<Entity>) {
        if let Some(e) = entity {
            self.out.push(e);
        }
    }

    /// Adds the entity of `value`, when present, normalised by `f`.
    pub(crate) fn opt(&mut self, value: &Option<String>, f: fn(&str) -> Option<Entity>) {
        if let Some(v) = value {
            self.push(f(v));
        }
    }

    /// Adds a URL and its host.
    pub(crate) fn url(&mut self, raw: &str) {
        if let Some(u) = normal::url(raw) {
            self.push(normal::url_host(&u.value));
            self.out.push(u);
        }
    }

    /// Adds a device's Defender id.
    pub(crate) fn mde(&mut self, id: &Option<String>) {
        if let Some(id) = id {
            self.push(normal::device_id("mde", id));
        }
    }

    /// Adds the identifiers of a user account.
    pub(crate) fn account(&mut self, a: &UserAccount) {
        self.opt(&a.user_principal_name, normal::user_upn);
        self.opt(&a.user_sid, normal::user_sid);
        if let Some(id) = &a.azure_ad_user_id {
            self.push(normal::user_object_id("aad", id));
        }
        if let Some(id) = &a.active_directory_object_guid {
            self.push(normal::user_object_id("adguid", id));
        }
        if let Some(name) = &a.account_name {
            self.push(normal::user_account(name, a.domain_name.as_deref()));
        }
    }

    /// Adds the hashes of a file.
    pub(crate) fn file(&mut self, f: &FileDetails) {
        for h in [&f.sha256, &f.sha1, &f.md5] {
            self.opt(h, normal::file_hash);
        }
    }

    /// Adds the entities of one evidence item (see the module table).
    pub(crate) fn evidence(&mut self, item: &AlertEvidence) {
        if !host::evidence(self, item) && !net::evidence(self, item) && !mail::evidence(self, item)
        {
            cloud::evidence(self, item);
        }
    }

    /// The entities found, sorted and deduplicated.
    pub(crate) fn finish(mut self) -> Vec<Entity> {
        self.out.sort();
        self.out.dedup();
        self.out
    }
}

#[cfg(test)]
mod tests;
