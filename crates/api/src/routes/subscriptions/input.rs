//! Reading subscription bodies: the properties `POST /subscriptions` accepts (Graph's, checked as
//! the spec digest §10.1 gives them) and the ones `PATCH` may change. Every refusal says what to
//! fix.

use crate::error::GraphError;
use model::datetime;
use serde_json::{Map, Value};
use store::subscriptions::SubscriptionResource;
use time::OffsetDateTime;

/// Longest lifetime of a subscription to a security resource (Graph: 43,200 minutes).
pub const MAX_LIFETIME: time::Duration = time::Duration::minutes(43_200);
/// Longest `clientState`.
pub const MAX_CLIENT_STATE: usize = 128;

/// What `POST /subscriptions` asks for.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    /// The resource as given.
    pub resource: String,
    /// Which resource.
    pub kind: SubscriptionResource,
    /// Its `$filter` text, if any.
    pub filter: Option<String>,
    /// Normalised comma list.
    pub change_type: String,
    pub notification_url: String,
    pub lifecycle_notification_url: Option<String>,
    pub expiration: OffsetDateTime,
    pub client_state: Option<String>,
    pub latest_supported_tls_version: String,
    pub notification_content_type: Option<String>,
    pub notification_url_app_id: Option<String>,
    /// Rich notifications: whether, and for which certificate.
    pub rich: RichOptions,
}

/// `includeResourceData`, `encryptionCertificate`, `encryptionCertificateId` as given.
#[derive(Debug, Clone, Default)]
pub struct RichOptions {
    pub include_resource_data: Option<bool>,
    pub encryption_certificate: Option<String>,
    pub encryption_certificate_id: Option<String>,
}

/// What `PATCH /subscriptions/{id}` changes.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionPatch {
    pub expiration: Option<OffsetDateTime>,
    pub notification_url: Option<String>,
    pub rich: RichOptions,
}

/// The properties `PATCH` may change.
const PATCH_PROPERTIES: &[&str] = &[
    "expirationDateTime",
    "notificationUrl",
    "includeResourceData",
    "encryptionCertificate",
    "encryptionCertificateId",
];

const CREATE_PROPERTIES: &[&str] = &[
    "resource",
    "changeType",
    "notificationUrl",
    "expirationDateTime",
    "clientState",
    "lifecycleNotificationUrl",
    "latestSupportedTlsVersion",
    "includeResourceData",
    "encryptionCertificate",
    "encryptionCertificateId",
    "notificationContentType",
    "notificationUrlAppId",
    "notificationQueryOptions",
];

fn object(body: &Value) -> Result<&Map<String, Value>, GraphError> {
    body.as_object()
        .ok_or_else(|| GraphError::bad_request("The request body must be a JSON object."))
}

/// A string property; `Ok(None)` when absent or null.
fn text(o: &Map<String, Value>, name: &str) -> Result<Option<String>, GraphError> {
    match o.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(GraphError::bad_request(format!(
            "The property '{name}' must be a string, not {other}."
        ))),
    }
}

fn required(o: &Map<String, Value>, name: &str) -> Result<String, GraphError> {
    text(o, name)?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| GraphError::bad_request(format!("The property '{name}' is required.")))
}

fn unknown(o: &Map<String, Value>, allowed: &[&str], what: &str) -> Result<(), GraphError> {
    match o
        .keys()
        .find(|k| !k.starts_with("@odata.") && !allowed.contains(&k.as_str()))
    {
        Some(k) => Err(GraphError::bad_request(format!(
            "The property '{k}' {what}; the properties are: {}.",
            allowed.join(", ")
        ))),
        None => Ok(()),
    }
}

/// Reads and checks `expirationDateTime` against `now`.
pub fn expiration(value: &str, now: OffsetDateTime) -> Result<OffsetDateTime, GraphError> {
    let at = datetime::parse(value).map_err(|e| {
        GraphError::bad_request(format!(
            "The property 'expirationDateTime' is invalid: {e}."
        ))
    })?;
    if at <= now {
        return Err(GraphError::bad_request(format!(
            "Subscription expiration can only be in the future: 'expirationDateTime' {} is not after {}.",
            datetime::format(at),
            datetime::format(now)
        )));
    }
    if at > now + MAX_LIFETIME {
        return Err(GraphError::bad_request(format!(
            "Subscription expiration can only be 43200 minutes in the future: set \
             'expirationDateTime' no later than {}.",
            datetime::format(now + MAX_LIFETIME)
        )));
    }
    Ok(at)
}

/// Reads a `POST /subscriptions` body.
pub fn parse_new(body: &Value, now: OffsetDateTime) -> Result<NewSubscription, GraphError> {
    let o = object(body)?;
    unknown(o, CREATE_PROPERTIES, "is not a property of a subscription")?;
    let resource = required(o, "resource")?;
    let (kind, filter) = SubscriptionResource::parse(&resource).ok_or_else(|| {
        GraphError::bad_request(format!(
            "The resource '{resource}' cannot be subscribed to; use security/alerts, or secgraph's \
             security/alerts_v2, security/incidents or security/tiIndicators, each optionally \
             with ?$filter=..."
        ))
    })?;
    let change_type = change_types(&required(o, "changeType")?)?;
    let notification_url = required(o, "notificationUrl")?;
    let expiration = expiration(&required(o, "expirationDateTime")?, now)?;
    let client_state = text(o, "clientState")?;
    if let Some(cs) = &client_state {
        if cs.chars().count() > MAX_CLIENT_STATE {
            return Err(GraphError::bad_request(format!(
                "The property 'clientState' is {} characters long; the most is {MAX_CLIENT_STATE}.",
                cs.chars().count()
            )));
        }
    }
    let rich = rich_options(o)?;
    check_rich(
        kind,
        rich.include_resource_data.unwrap_or(false),
        rich.encryption_certificate.as_deref(),
        rich.encryption_certificate_id.as_deref(),
    )?;
    let tls = text(o, "latestSupportedTlsVersion")?.unwrap_or_else(|| "v1_2".to_owned());
    if !["v1_0", "v1_1", "v1_2", "v1_3"].contains(&tls.as_str()) {
        return Err(GraphError::bad_request(format!(
            "The property 'latestSupportedTlsVersion' is '{tls}'; use v1_0, v1_1, v1_2 or v1_3."
        )));
    }
    Ok(NewSubscription {
        resource,
        kind,
        filter,
        change_type,
        notification_url,
        lifecycle_notification_url: text(o, "lifecycleNotificationUrl")?,
        expiration,
        client_state,
        latest_supported_tls_version: tls,
        notification_content_type: text(o, "notificationContentType")?,
        notification_url_app_id: text(o, "notificationUrlAppId")?,
        rich,
    })
}

fn rich_options(o: &Map<String, Value>) -> Result<RichOptions, GraphError> {
    let include_resource_data = match o.get("includeResourceData") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            return Err(GraphError::bad_request(format!(
                "The property 'includeResourceData' must be true or false, not {other}."
            )))
        }
    };
    Ok(RichOptions {
        include_resource_data,
        encryption_certificate: text(o, "encryptionCertificate")?,
        encryption_certificate_id: text(o, "encryptionCertificateId")?,
    })
}

/// Checks a subscription's rich-notification settings (after a PATCH, the merged ones): with
/// `includeResourceData` the resource must carry its items, and `encryptionCertificate` (a base64
/// DER X.509 certificate with an RSA key of 2048 bits or more) and `encryptionCertificateId` are
/// required.
pub fn check_rich(
    kind: SubscriptionResource,
    include: bool,
    certificate: Option<&str>,
    certificate_id: Option<&str>,
) -> Result<(), GraphError> {
    if let Some(text) = certificate {
        outbound::notifications::EncryptionCertificate::parse(text).map_err(|e| {
            GraphError::bad_request(format!(
                "The property 'encryptionCertificate' is invalid: {e}. Send the certificate's \
                 DER bytes in base64 (an RSA key of {} bits or more).",
                outbound::notifications::MIN_RSA_BITS
            ))
        })?;
    }
    if !include {
        return Ok(());
    }
    if !outbound::notifications::carries_resource_data(kind) {
        return Err(GraphError::bad_request(format!(
            "Rich notifications ('includeResourceData': true) are not offered for '{}'; use \
             security/alerts, security/alerts_v2 or security/incidents, or leave it out and read \
             the changed item with GET.",
            kind.as_str()
        )));
    }
    if certificate.is_none_or(|c| c.trim().is_empty()) {
        return Err(GraphError::bad_request(
            "The property 'encryptionCertificate' is required when 'includeResourceData' is \
             true: send the base64 DER of a certificate whose RSA public key encrypts the data.",
        ));
    }
    if certificate_id.is_none_or(|c| c.trim().is_empty()) {
        return Err(GraphError::bad_request(
            "The property 'encryptionCertificateId' is required when 'includeResourceData' is \
             true: send the id your receiver uses to find the certificate's private key.",
        ));
    }
    Ok(())
}

/// Reads a `PATCH /subscriptions/{id}` body.
pub fn parse_patch(body: &Value, now: OffsetDateTime) -> Result<SubscriptionPatch, GraphError> {
    let o = object(body)?;
    unknown(o, PATCH_PROPERTIES, "cannot be changed after creation")?;
    let patch = SubscriptionPatch {
        expiration: text(o, "expirationDateTime")?
            .map(|v| expiration(&v, now))
            .transpose()?,
        notification_url: text(o, "notificationUrl")?,
        rich: rich_options(o)?,
    };
    let rich = &patch.rich;
    if patch.expiration.is_none()
        && patch.notification_url.is_none()
        && rich.include_resource_data.is_none()
        && rich.encryption_certificate.is_none()
        && rich.encryption_certificate_id.is_none()
    {
        return Err(GraphError::bad_request(
            "Nothing to change: send 'expirationDateTime' (to renew), 'notificationUrl', or the \
             rich-notification properties.",
        ));
    }
    Ok(patch)
}

/// Normalises a `changeType` list (`created,updated`), refusing unknown or repeated types.
fn change_types(list: &str) -> Result<String, GraphError> {
    let mut out: Vec<&str> = Vec::new();
    for t in list.split(',').map(str::trim) {
        let known = ["created", "updated", "deleted"]
            .into_iter()
            .find(|k| k.eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                GraphError::bad_request(format!(
                    "The changeType '{t}' is not valid; use a comma list of created, updated, deleted."
                ))
            })?;
        if !out.contains(&known) {
            out.push(known);
        }
    }
    Ok(out.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> OffsetDateTime {
        time::macros::datetime!(2026-11-01 00:00 UTC)
    }

    fn body() -> Value {
        json!({"resource": "security/alerts", "changeType": "created,updated",
               "notificationUrl": "https://example.com/n", "expirationDateTime": "2026-11-02T00:00:00+00:00"})
    }

    #[test]
    fn a_graph_body_is_read() {
        let s = parse_new(&body(), now()).unwrap();
        assert_eq!(s.kind, SubscriptionResource::Alerts);
        assert_eq!(s.change_type, "created,updated");
        assert_eq!(s.latest_supported_tls_version, "v1_2");
    }

    #[test]
    fn bad_bodies_say_what_to_fix() {
        let cases = [
            (
                "expirationDateTime",
                json!("2026-12-31T00:00:00Z"),
                "43200 minutes",
            ),
            (
                "expirationDateTime",
                json!("2026-10-01T00:00:00Z"),
                "in the future",
            ),
            ("changeType", json!("created,moved"), "'moved'"),
            ("clientState", json!("x".repeat(129)), "the most is 128"),
            ("resource", json!("me/messages"), "cannot be subscribed"),
            ("colour", json!("red"), "'colour'"),
        ];
        for (name, value, needle) in cases {
            let mut b = body();
            b[name] = value;
            let e = parse_new(&b, now()).unwrap_err();
            assert!(e.message.contains(needle), "{name}: {}", e.message);
        }
    }
}
