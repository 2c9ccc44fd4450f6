//! Reading a tiIndicator body a client wrote: [`parse_new`] for `POST /security/tiIndicators` and
//! each `submitTiIndicators` item, and the per-property setter [`parse_patch`](super::parse_patch)
//! shares.
//!
//! Rules (each violation is an [`InputError`] naming the property and what to send):
//! * the body is a JSON object; property names match case-insensitively and are stored in Graph's
//!   spelling; OData annotations (`@odata.type`, `x@odata.type`) are ignored;
//! * server-stamped properties a client sends (`id`, `azureTenantId`, `ingestedDateTime`,
//!   `hitCount`, `lastHitDateTime`) are ignored, not errors — clients post back what they read;
//! * properties Graph's model does not have are kept in `additional_properties` and echoed;
//! * `null` is the same as absent: defaults apply (`isActive` true, `passiveOnly` false,
//!   `severity` 3, `criticalInfrastructureOverride` false);
//! * required: `description`, `expirationDateTime`, `targetProduct`, `threatType`, `tlpLevel`;
//!   the cross-property rules are in [`super::validation`];
//! * value syntax and leniency: [`super::value`] and [`super::observed`].

use super::enums::{
    KillChain, TargetProduct, ThreatType, TlpLevel, KILL_CHAIN_ALIASES, TARGET_PRODUCT_ALIASES,
    TLP_ALIASES,
};
use super::error::InputError;
use super::validation::validate;
use super::value::{
    boolean, date_time, integer, member, members, settable_members, string, strings,
};
use super::{
    EmailObservables, FileObservables, NetworkObservables, TiIndicatorBody, DEFAULT_SEVERITY,
};
use crate::schema::indicator::TI_INDICATOR;
use crate::wire_enum::WireEnum;
use serde_json::{Map, Value};
use time::OffsetDateTime;

/// Properties the server sets; ignored when a client sends them.
pub const SERVER_STAMPED: &[&str] = &[
    "id",
    "azureTenantId",
    "ingestedDateTime",
    "hitCount",
    "lastHitDateTime",
];

/// Properties every new indicator must have.
pub const REQUIRED: &[&str] = &[
    "description",
    "expirationDateTime",
    "targetProduct",
    "threatType",
    "tlpLevel",
];

/// Parses one new indicator (a POST body or a `submitTiIndicators` item).
pub fn parse_new(json: &Value) -> Result<TiIndicatorBody, InputError> {
    let obj = object(json)?;
    let mut body = placeholder();
    let mut seen: Vec<&'static str> = Vec::new();
    for (key, v) in obj {
        if key.contains('@') {
            continue;
        }
        let Some(name) = canonical(key) else {
            body.additional_properties.insert(key.clone(), v.clone());
            continue;
        };
        if SERVER_STAMPED.contains(&name) || v.is_null() {
            continue;
        }
        set_property(&mut body, name, v)?;
        seen.push(name);
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !seen.contains(r))
        .collect();
    if let Some(first) = missing.first() {
        return Err(InputError::missing(first, missing_message(&missing)));
    }
    validate(&body)?;
    Ok(body)
}

/// The body as an object.
pub(crate) fn object(json: &Value) -> Result<&Map<String, Value>, InputError> {
    json.as_object().ok_or_else(|| {
        InputError::body("A tiIndicator must be a JSON object of properties, such as {\"action\": \"alert\", ...}.")
    })
}

/// Graph's spelling of a property name (case-insensitive), `None` for names the model lacks.
pub(crate) fn canonical(key: &str) -> Option<&'static str> {
    TI_INDICATOR.property(key).map(|p| p.name)
}

fn missing_message(missing: &[&str]) -> String {
    let hint = |name: &str| match name {
        "targetProduct" => format!(" ({})", settable_members::<TargetProduct>()),
        "threatType" => format!(" ({})", settable_members::<ThreatType>()),
        "tlpLevel" => format!(" ({})", settable_members::<TlpLevel>()),
        "expirationDateTime" => " (such as 2026-12-31T00:00:00Z)".to_string(),
        _ => String::new(),
    };
    let list: Vec<String> = missing
        .iter()
        .map(|m| format!("'{m}'{}", hint(m)))
        .collect();
    format!(
        "A new tiIndicator needs these properties, which are missing or null: {}.",
        list.join(", ")
    )
}

/// A body whose required properties are still unset; they are tracked separately and must all be
/// written before it escapes.
fn placeholder() -> TiIndicatorBody {
    TiIndicatorBody {
        action: None,
        activity_group_names: Vec::new(),
        additional_information: None,
        confidence: None,
        description: String::new(),
        diamond_model: None,
        expiration_date_time: OffsetDateTime::UNIX_EPOCH,
        external_id: None,
        is_active: true,
        kill_chain: Vec::new(),
        known_false_positives: None,
        last_reported_date_time: None,
        malware_family_names: Vec::new(),
        passive_only: false,
        severity: DEFAULT_SEVERITY,
        tags: Vec::new(),
        target_product: TargetProduct::AzureSentinel,
        threat_type: ThreatType::WatchList,
        tlp_level: TlpLevel::Unknown,
        critical_infrastructure_override: false,
        email: EmailObservables::default(),
        file: FileObservables::default(),
        network: NetworkObservables::default(),
        additional_properties: Map::new(),
    }
}

/// Writes property `name` (canonical, not server-stamped) of `b` from `v`. `null` clears a
/// nullable property and is an error for the others (required or defaulted ones).
pub(crate) fn set_property(
    b: &mut TiIndicatorBody,
    name: &'static str,
    v: &Value,
) -> Result<(), InputError> {
    if let Some(r) = set_core(b, name, v) {
        return r;
    }
    let r = b
        .email
        .set(name, v)
        .or_else(|| b.file.set(name, v))
        .or_else(|| b.network.set(name, v));
    r.unwrap_or_else(|| {
        Err(InputError::invalid(
            name,
            format!("Property '{name}' cannot be written."),
        ))
    })
}

/// The non-observable properties; `None` when `name` is not one of them.
fn set_core(
    b: &mut TiIndicatorBody,
    name: &'static str,
    v: &Value,
) -> Option<Result<(), InputError>> {
    let r = match name {
        "action" => member(name, v, &[])
            .and_then(|a| not_null(name, a))
            .map(|a| b.action = Some(a)),
        "activityGroupNames" => strings(name, v).map(|s| b.activity_group_names = s),
        "additionalInformation" => string(name, v).map(|s| b.additional_information = s),
        "confidence" => integer(name, v, 0, 100).map(|n| b.confidence = n.map(|n| n as i32)),
        "description" => string(name, v)
            .and_then(|s| not_null(name, s))
            .map(|s| b.description = s),
        "diamondModel" => member(name, v, &[]).map(|d| b.diamond_model = d),
        "expirationDateTime" => date_time(name, v)
            .and_then(|d| not_null(name, d))
            .map(|d| b.expiration_date_time = d),
        "externalId" => string(name, v).map(|s| b.external_id = s),
        "isActive" => boolean(name, v)
            .and_then(|x| not_null(name, x))
            .map(|x| b.is_active = x),
        "killChain" => members::<KillChain>(name, v, KILL_CHAIN_ALIASES).map(|k| b.kill_chain = k),
        "knownFalsePositives" => string(name, v).map(|s| b.known_false_positives = s),
        "lastReportedDateTime" => date_time(name, v).map(|d| b.last_reported_date_time = d),
        "malwareFamilyNames" => strings(name, v).map(|s| b.malware_family_names = s),
        "passiveOnly" => boolean(name, v)
            .and_then(|x| not_null(name, x))
            .map(|x| b.passive_only = x),
        "severity" => integer(name, v, 0, 5)
            .and_then(|n| not_null(name, n))
            .map(|n| b.severity = n as i32),
        "tags" => strings(name, v).map(|s| b.tags = s),
        "targetProduct" => {
            required_member(name, v, TARGET_PRODUCT_ALIASES).map(|t| b.target_product = t)
        }
        "threatType" => required_member(name, v, &[]).map(|t| b.threat_type = t),
        "tlpLevel" => required_member(name, v, TLP_ALIASES).map(|t| b.tlp_level = t),
        "criticalInfrastructureOverride" => boolean(name, v)
            .and_then(|x| not_null(name, x))
            .map(|x| b.critical_infrastructure_override = x),
        _ => return None,
    };
    Some(r)
}

fn required_member<E: WireEnum>(
    name: &str,
    v: &Value,
    aliases: &[(&str, E)],
) -> Result<E, InputError> {
    member(name, v, aliases).and_then(|m| not_null(name, m))
}

/// The value, or an error for `null` on a property that cannot be null.
fn not_null<T>(name: &str, v: Option<T>) -> Result<T, InputError> {
    v.ok_or_else(|| InputError::invalid(name, format!("Property '{name}' cannot be null.")))
}
