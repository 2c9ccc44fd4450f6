//! Entities of host evidence: devices, files, processes, malware, registry values, logon sessions
//! and the accounts on them (see the table in [`super`]).

use super::Sink;
use crate::normal;
use model::evidence::endpoint::{DeviceEvidence, FileEvidence, ProcessEvidence};
use model::evidence::identity::UserEvidence;
use model::AlertEvidence;

/// Adds the entities of `item` when it is host evidence; `false` when it is not.
pub(super) fn evidence(sink: &mut Sink, item: &AlertEvidence) -> bool {
    match item {
        AlertEvidence::Device(d) => device(sink, d),
        AlertEvidence::File(f) => file(sink, f),
        AlertEvidence::FileHash(h) => sink.opt(&h.value, normal::file_hash),
        AlertEvidence::Process(p) => process(sink, p),
        AlertEvidence::RegistryValue(r) => sink.mde(&r.mde_device_id),
        AlertEvidence::Malware(m) => {
            m.files.iter().for_each(|f| file(sink, f));
            m.processes.iter().for_each(|p| process(sink, p));
        }
        AlertEvidence::HostLogonSession(s) => {
            if let Some(u) = &s.account {
                user(sink, u);
            }
            if let Some(d) = &s.host {
                device(sink, d);
            }
        }
        AlertEvidence::User(u) => user(sink, u),
        AlertEvidence::CloudLogonSession(s) => {
            if let Some(u) = &s.account {
                user(sink, u);
            }
            sink.opt(&s.device_name, normal::device_name);
        }
        _ => return false,
    }
    true
}

fn device(sink: &mut Sink, d: &DeviceEvidence) {
    sink.mde(&d.mde_device_id);
    if let Some(id) = &d.azure_ad_device_id {
        sink.push(normal::device_id("aad", id));
    }
    match (&d.device_dns_name, &d.host_name) {
        (Some(dns), _) if !dns.trim().is_empty() => sink.push(normal::device_name(dns)),
        (_, host) => sink.opt(host, normal::device_name),
    }
    sink.opt(&d.last_ip_address, normal::ip);
    sink.opt(&d.last_external_ip_address, normal::ip);
    if let Some(vm) = &d.vm_metadata {
        sink.opt(&vm.resource_id, normal::cloud_resource);
    }
    for u in &d.logged_on_users {
        if let Some(name) = &u.account_name {
            sink.push(normal::user_account(name, u.domain_name.as_deref()));
        }
    }
}

fn file(sink: &mut Sink, f: &FileEvidence) {
    if let Some(details) = &f.file_details {
        sink.file(details);
    }
    sink.mde(&f.mde_device_id);
}

fn process(sink: &mut Sink, p: &ProcessEvidence) {
    for image in [&p.image_file, &p.parent_process_image_file]
        .into_iter()
        .flatten()
    {
        sink.file(image);
    }
    if let Some(a) = &p.user_account {
        sink.account(a);
    }
    sink.mde(&p.mde_device_id);
}

fn user(sink: &mut Sink, u: &UserEvidence) {
    if let Some(a) = &u.user_account {
        sink.account(a);
    }
}
