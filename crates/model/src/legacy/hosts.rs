//! `hostStates` ↔ `deviceEvidence` and `userStates` ↔ `userEvidence` / `mailboxEvidence`.
//!
//! | legacy | evidence |
//! |---|---|
//! | `hostStates/fqdn` | `deviceEvidence/deviceDnsName` |
//! | `hostStates/netBiosName` | `deviceEvidence/hostName` |
//! | `hostStates/os` | `deviceEvidence/osPlatform` |
//! | `hostStates/privateIpAddress` | `deviceEvidence/lastIpAddress` |
//! | `hostStates/publicIpAddress` | `deviceEvidence/lastExternalIpAddress` |
//! | `hostStates/riskScore` | `deviceEvidence/riskScore` |
//! | `hostStates/isAzureAdJoined` | `true` when `deviceEvidence/azureAdDeviceId` is set (out only) |
//! | `userStates/aadUserId` | `userAccount/azureAdUserId` |
//! | `userStates/accountName`, `domainName`, `userPrincipalName` | the same `userAccount` properties |
//! | `userStates/onPremisesSecurityIdentifier` | `userAccount/userSid` |
//! | `userStates/userPrincipalName` (mailbox) | `mailboxEvidence/upn`, else `primaryAddress` |

use crate::evidence::details::UserAccount;
use crate::evidence::endpoint::DeviceEvidence;
use crate::evidence::identity::{MailboxEvidence, UserEvidence};
use crate::evidence::EvidenceBase;
use crate::legacy::states::{HostSecurityState, UserSecurityState};
use crate::open_enum::OpenEnum;

/// The `hostStates` item of a device.
pub fn host_state(d: &DeviceEvidence) -> HostSecurityState {
    HostSecurityState {
        fqdn: d.device_dns_name.clone(),
        is_azure_ad_joined: d.azure_ad_device_id.as_ref().map(|_| true),
        net_bios_name: d.host_name.clone(),
        os: d.os_platform.clone(),
        private_ip_address: d.last_ip_address.clone(),
        public_ip_address: d.last_external_ip_address.clone(),
        risk_score: d.risk_score.as_ref().map(|r| r.as_str().to_string()),
        ..HostSecurityState::default()
    }
}

/// The device a `hostStates` item describes.
pub fn device_evidence(h: &HostSecurityState, base: EvidenceBase) -> DeviceEvidence {
    DeviceEvidence {
        base,
        device_dns_name: h.fqdn.clone(),
        host_name: h.net_bios_name.clone(),
        os_platform: h.os.clone(),
        last_ip_address: h.private_ip_address.clone(),
        last_external_ip_address: h.public_ip_address.clone(),
        risk_score: h.risk_score.as_deref().map(OpenEnum::parse),
        ..DeviceEvidence::default()
    }
}

/// The `userStates` item of a user account.
pub fn user_state(a: &UserAccount) -> UserSecurityState {
    UserSecurityState {
        aad_user_id: a.azure_ad_user_id.clone(),
        account_name: a.account_name.clone(),
        domain_name: a.domain_name.clone(),
        on_premises_security_identifier: a.user_sid.clone(),
        user_principal_name: a.user_principal_name.clone(),
        ..UserSecurityState::default()
    }
}

/// The `userStates` item of a mailbox.
pub fn mailbox_user_state(m: &MailboxEvidence) -> UserSecurityState {
    let mut state = m.user_account.as_ref().map(user_state).unwrap_or_default();
    let upn = m.upn.clone().or_else(|| m.primary_address.clone());
    if upn.is_some() {
        state.user_principal_name = upn;
    }
    state
}

/// The user a `userStates` item describes.
pub fn user_evidence(u: &UserSecurityState, base: EvidenceBase) -> UserEvidence {
    let account = UserAccount {
        account_name: u.account_name.clone(),
        azure_ad_user_id: u.aad_user_id.clone(),
        domain_name: u.domain_name.clone(),
        user_principal_name: u.user_principal_name.clone(),
        user_sid: u.on_premises_security_identifier.clone(),
        ..UserAccount::default()
    };
    UserEvidence {
        base,
        user_account: Some(account),
        ..UserEvidence::default()
    }
}
