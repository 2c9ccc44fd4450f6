//! Accounts: `userAccount` values, `userEvidence` and `mailboxEvidence`.

use super::{item, Part};
use crate::catalog::people::{User, NT_DOMAIN};
use crate::fingerprint;
use crate::scene::Scene;
use serde_json::{json, Value};

/// Who an account is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Account {
    /// A directory user of the tenant.
    Member(&'static User),
    /// A local account (`root`, `www-data`, `SYSTEM`).
    Local(&'static str),
}

/// `NT AUTHORITY\SYSTEM`.
pub(crate) const SYSTEM: Account = Account::Local("SYSTEM");

/// The `microsoft.graph.security.userAccount` value of `account`.
pub(crate) fn user_account(scene: &Scene<'_>, account: Account) -> Value {
    match account {
        Account::Member(u) => json!({
            "accountName": u.alias,
            "activeDirectoryObjectGuid": fingerprint::guid(&format!("ad-user:{}", u.alias)),
            "azureAdUserId": u.aad_id(),
            "displayName": u.display_name,
            "domainName": NT_DOMAIN,
            "resourceAccessEvents": [],
            "tenantId": scene.tenant,
            "userPrincipalName": u.upn(),
            "userSid": u.sid(),
        }),
        Account::Local(name) => {
            let (domain, sid, display) = match name {
                "SYSTEM" => (Some("NT AUTHORITY"), Some("S-1-5-18"), Some("System")),
                _ => (None, None, None),
            };
            json!({
                "accountName": name,
                "activeDirectoryObjectGuid": null,
                "azureAdUserId": null,
                "displayName": display,
                "domainName": domain,
                "resourceAccessEvents": [],
                "tenantId": null,
                "userPrincipalName": null,
                "userSid": sid,
            })
        }
    }
}

/// A `userEvidence` item.
pub(crate) fn user(scene: &mut Scene<'_>, account: Account, part: Part) -> Value {
    let account = user_account(scene, account);
    item(
        scene,
        "userEvidence",
        part,
        json!({ "stream": null, "userAccount": account }),
    )
}

/// A `mailboxEvidence` item for a member's mailbox.
pub(crate) fn mailbox(scene: &mut Scene<'_>, user: &'static User, part: Part) -> Value {
    let account = user_account(scene, Account::Member(user));
    let upn = user.upn();
    item(
        scene,
        "mailboxEvidence",
        part,
        json!({
            "displayName": user.display_name,
            "primaryAddress": upn,
            "upn": upn,
            "userAccount": account,
        }),
    )
}
