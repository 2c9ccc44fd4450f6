//! What `POST /security/securityActions` accepts, and which provider runs it.
//!
//! The body is Microsoft's example shape: `name`, `parameters` (`[{name, value}]`, required),
//! `vendorInformation` (`provider` required, `vendor` optional), `actionReason`, `clientContext`
//! (at most 256 characters). Properties the server stamps (`id`, `appId`, `azureTenantId`,
//! `status`, `states`, the date-times, …) may be echoed by SDKs and are ignored — except `status`,
//! which, when given, must be `NotStarted` in any case. Any other property is a 400 naming it.
//! Action and parameter names are matched later, case-insensitively, by the provider's manifest.

use crate::error::GraphError;
use crate::state::AppState;
use model::TenantId;
use provider_protocol::{ActionStatus, KeyValuePair};
use serde_json::{Map, Value};
use store::Provider;

/// Longest `clientContext` (Graph's documented limit).
pub const MAX_CLIENT_CONTEXT: usize = 256;

/// Properties a create body may set.
const SETTABLE: &[&str] = &[
    "name",
    "parameters",
    "vendorInformation",
    "actionReason",
    "clientContext",
    "status",
];

/// Properties the server stamps; a client may echo them and they are ignored.
const STAMPED: &[&str] = &[
    "id",
    "appId",
    "azureTenantId",
    "user",
    "createdDateTime",
    "lastActionDateTime",
    "completedDateTime",
    "errorInfo",
    "states",
];

/// A parsed create body.
#[derive(Debug, Clone)]
pub(super) struct CreateRequest {
    /// The requested action, as given.
    pub(super) name: String,
    /// The parameters, as given.
    pub(super) parameters: Vec<KeyValuePair>,
    /// `vendorInformation.provider`.
    pub(super) provider: String,
    /// `vendorInformation.vendor`, when given.
    pub(super) vendor: Option<String>,
    /// `actionReason`.
    pub(super) action_reason: Option<String>,
    /// `clientContext`.
    pub(super) client_context: Option<String>,
}

/// Parses a create body (see the module docs); a 400 names the property at fault.
pub(super) fn parse_create(body: &Value) -> Result<CreateRequest, GraphError> {
    let Value::Object(map) = body else {
        return Err(bad(
            "The body must be a securityAction object with name, parameters and vendorInformation.",
        ));
    };
    if let Some(key) = map.keys().find(|k| {
        !k.starts_with('@') && !SETTABLE.contains(&k.as_str()) && !STAMPED.contains(&k.as_str())
    }) {
        return Err(bad(format!(
            "'{key}' is not a property of securityAction that can be set; send {}.",
            SETTABLE.join(", ")
        )));
    }
    check_status(map.get("status"))?;
    let client_context = optional_text(map, "clientContext")?;
    if let Some(n) = client_context.as_ref().map(|c| c.chars().count()) {
        if n > MAX_CLIENT_CONTEXT {
            return Err(bad(format!(
                "clientContext is {n} characters long; the limit is {MAX_CLIENT_CONTEXT}."
            )));
        }
    }
    let (provider, vendor) = vendor_information(map.get("vendorInformation"))?;
    Ok(CreateRequest {
        name: required_text(map, "name", "the action to run, e.g. \"blockIp\"")?,
        parameters: parameters(map.get("parameters"))?,
        provider,
        vendor,
        action_reason: optional_text(map, "actionReason")?,
        client_context,
    })
}

/// `status` in a create body: absent, `null` or `NotStarted` (any case).
fn check_status(status: Option<&Value>) -> Result<(), GraphError> {
    let text = match status {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::String(s)) => s,
        Some(_) => return Err(bad("status must be a string such as \"NotStarted\".")),
    };
    match ActionStatus::parse(text) {
        Some(ActionStatus::NotStarted) => Ok(()),
        Some(other) => Err(bad(format!(
            "status '{other}' cannot be set: a new action is NotStarted and its provider reports \
             the rest. Omit status."
        ))),
        None => Err(bad(format!(
            "status '{text}' is not an operationStatus; a new action is NotStarted. Omit status."
        ))),
    }
}

/// `parameters`: a required array of `{name, value}` (a number or Boolean value is taken as its
/// text).
fn parameters(value: Option<&Value>) -> Result<Vec<KeyValuePair>, GraphError> {
    let Some(Value::Array(items)) = value else {
        return Err(bad(
            "parameters is required: an array of {\"name\": ..., \"value\": ...} pairs (it may be \
             empty for an action without parameters).",
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let Value::Object(pair) = item else {
                return Err(bad(format!(
                    "parameters[{i}] must be an object such as {{\"name\": \"ip\", \"value\": \"1.2.3.4\"}}."
                )));
            };
            let name = required_text(pair, "name", "the parameter's name")
                .map_err(|e| bad(format!("parameters[{i}].{}", e.message)))?;
            let value = match pair.get("value") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(v @ (Value::Number(_) | Value::Bool(_))) => Some(v.to_string()),
                Some(_) => {
                    return Err(bad(format!("parameters[{i}].value must be a string.")));
                }
            };
            Ok(KeyValuePair { name, value })
        })
        .collect()
}

/// `vendorInformation`: `provider` (required) and `vendor`.
fn vendor_information(value: Option<&Value>) -> Result<(String, Option<String>), GraphError> {
    let Some(Value::Object(info)) = value else {
        return Err(bad(
            "vendorInformation is required: {\"provider\": ..., \"vendor\": ...} naming the \
             provider that runs the action.",
        ));
    };
    let provider = required_text(info, "provider", "the provider that runs the action")
        .map_err(|e| bad(format!("vendorInformation.{}", e.message)))?;
    let vendor = optional_text(info, "vendor")
        .map_err(|e| bad(format!("vendorInformation.{}", e.message)))?;
    Ok((provider, vendor))
}

/// A required non-blank string member; the message starts with the member's name.
fn required_text(map: &Map<String, Value>, key: &str, what: &str) -> Result<String, GraphError> {
    match map.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        _ => Err(bad(format!("{key} is required: a string naming {what}."))),
    }
}

/// An optional string member (`null` and absent are the same); the message starts with its name.
fn optional_text(map: &Map<String, Value>, key: &str) -> Result<Option<String>, GraphError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(format!("{key} must be a string."))),
    }
}

/// The enabled provider `request` names: `vendorInformation.provider` matches a provider's name
/// and, when given, `vendor` its vendor, both case-insensitively. A 400 lists the tenant's enabled
/// providers otherwise.
pub(super) async fn choose_provider(
    app: &AppState,
    tenant: &TenantId,
    request: &CreateRequest,
) -> Result<Provider, GraphError> {
    let enabled = app.store().providers().enabled_for(tenant).await?;
    let wanted = |p: &Provider| {
        p.name().eq_ignore_ascii_case(request.provider.trim())
            && request
                .vendor
                .as_deref()
                .is_none_or(|v| p.manifest.vendor.eq_ignore_ascii_case(v.trim()))
    };
    if let Some(p) = enabled.iter().find(|p| wanted(p)) {
        return Ok(p.clone());
    }
    let asked = match &request.vendor {
        Some(v) => format!("provider '{}' of vendor '{v}'", request.provider),
        None => format!("provider '{}'", request.provider),
    };
    if enabled.is_empty() {
        return Err(bad(format!(
            "No {asked} is enabled in this tenant; no provider is. A tenant enables a provider by \
             consenting to the provider's application."
        )));
    }
    let names: Vec<String> = enabled
        .iter()
        .map(|p| format!("'{}' (vendor '{}')", p.name(), p.manifest.vendor))
        .collect();
    Err(bad(format!(
        "No {asked} is enabled in this tenant; set vendorInformation.provider to one of the \
         enabled providers: {}.",
        names.join(", ")
    )))
}

fn bad(message: impl Into<String>) -> GraphError {
    GraphError::bad_request(message)
}
