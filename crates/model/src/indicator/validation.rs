//! The rules that span properties, checked on every new indicator and again after every PATCH.
//!
//! * `description` is not blank. Graph documents "100 characters or less"; Microsoft's own
//!   `tiIndicators` create example sends 101 characters and Graph accepted it. We enforce
//!   [`DESCRIPTION_MAX_CHARS`] for `Microsoft Defender ATP` (whose documented limits are the strict
//!   ones) and the looser [`DESCRIPTION_MAX_CHARS_SENTINEL`] for `Azure Sentinel`.
//! * `fileHashValue` needs `fileHashType`, and must fit it ([`normalize_hash`]).
//! * At least one e-mail, file or network observable (`fileHashType` alone does not count).
//! * `Microsoft Defender ATP`: `action` is required, and one of `domainName`, `url`,
//!   `networkDestinationIPv4`, `networkDestinationIPv6`, `fileHashValue`. (For `Azure Sentinel`
//!   Graph accepted items without `action` — Microsoft's `submitTiIndicators` example has none and
//!   its response shows `"action": null` — so there it may be absent.)

use super::enums::{FileHashType, TargetProduct, TiAction};
use super::error::InputError;
use super::normalization::normalize_hash;
use super::value::settable_members;
use super::TiIndicatorBody;

/// The longest `description` of a `Microsoft Defender ATP` indicator, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 100;

/// The longest `description` of an `Azure Sentinel` indicator, in characters.
pub const DESCRIPTION_MAX_CHARS_SENTINEL: usize = 1_000;

/// The observables a `Microsoft Defender ATP` indicator must have one of.
pub const DEFENDER_OBSERVABLES: &[&str] = &[
    "domainName",
    "url",
    "networkDestinationIPv4",
    "networkDestinationIPv6",
    "fileHashValue",
];

/// Checks the cross-property rules of a complete body.
pub fn validate(b: &TiIndicatorBody) -> Result<(), InputError> {
    check_description(b)?;
    check_hash(b)?;
    if !(b.email.has_any() || b.file.has_any() || b.network.has_any()) {
        return Err(InputError::missing_one_of(
            "A tiIndicator needs at least one e-mail, file or network observable, such as \
             domainName, url, networkDestinationIPv4, fileHashValue (with fileHashType) or \
             emailSenderAddress.",
        ));
    }
    if b.target_product == TargetProduct::MicrosoftDefenderAtp {
        check_defender(b)?;
    }
    Ok(())
}

fn check_description(b: &TiIndicatorBody) -> Result<(), InputError> {
    if b.description.trim().is_empty() {
        return Err(InputError::invalid(
            "description",
            "Property 'description' cannot be blank; describe the indicator in a few words.",
        ));
    }
    let max = match b.target_product {
        TargetProduct::MicrosoftDefenderAtp => DESCRIPTION_MAX_CHARS,
        TargetProduct::AzureSentinel => DESCRIPTION_MAX_CHARS_SENTINEL,
    };
    let len = b.description.chars().count();
    if len > max {
        return Err(InputError::invalid(
            "description",
            format!(
                "Property 'description' is {len} characters long; {} indicators allow at most {max}.",
                b.target_product
            ),
        ));
    }
    Ok(())
}

fn check_hash(b: &TiIndicatorBody) -> Result<(), InputError> {
    let Some(value) = &b.file.file_hash_value else {
        return Ok(());
    };
    let Some(ty) = b.file.file_hash_type else {
        let t = value.trim();
        let guess = FileHashType::guess_from_hex_len(t.len())
            .filter(|_| t.chars().all(|c| c.is_ascii_hexdigit()))
            .map(|g| format!(" (a {}-digit value is usually '{g}')", t.len()))
            .unwrap_or_default();
        return Err(InputError::missing(
            "fileHashType",
            format!(
                "Property 'fileHashValue' needs 'fileHashType'{guess}; use one of: {}.",
                settable_members::<FileHashType>()
            ),
        ));
    };
    normalize_hash(ty, value).map(|_| ()).map_err(|e| {
        InputError::invalid(
            "fileHashValue",
            format!("Property 'fileHashValue' does not fit its type: {e}."),
        )
    })
}

fn check_defender(b: &TiIndicatorBody) -> Result<(), InputError> {
    if b.action.is_none() {
        return Err(InputError::missing(
            "action",
            format!(
                "Microsoft Defender ATP indicators need 'action'; use one of: {}.",
                settable_members::<TiAction>()
            ),
        ));
    }
    let n = &b.network;
    let has = n.domain_name.is_some()
        || n.url.is_some()
        || n.network_destination_ipv4.is_some()
        || n.network_destination_ipv6.is_some()
        || b.file.file_hash_value.is_some();
    if has {
        Ok(())
    } else {
        Err(InputError::missing_one_of(format!(
                "Microsoft Defender ATP indicators need one of: {}; use targetProduct 'Azure Sentinel' for other observables.",
            DEFENDER_OBSERVABLES.join(", ")
        )))
    }
}
