//! The provider manifest: who a provider is, how its alerts reach secgraph, where secgraph calls it
//! back, and the security actions it offers with their parameter schemas.
//!
//! ```json
//! {"protocolVersion": 1, "name": "Edge Firewall", "vendor": "Contoso", "mode": "push",
//!  "callbackBaseUrl": "https://fw.contoso.example/secgraph",
//!  "actions": [{"name": "blockIp", "description": "Drop traffic from an address",
//!               "parameters": [{"name": "ip", "type": "ip", "required": true}]}]}
//! ```
//!
//! `name` and `vendor` become the alerts' `vendorInformation` (`provider`, `vendor`) and the
//! `{Vendor}/{Provider}` of a federated `Warning` header, so neither may contain `/` or `"`.

mod parameter;
mod resolve;

pub use parameter::ParameterType;
pub use resolve::{KeyValuePair, ResolvedAction};

use crate::problem::{item, Invalid, Problems};
use model::VendorInformation;
use serde::{Deserialize, Serialize};
use url::Url;

/// Longest provider or vendor name.
pub const MAX_NAME_LEN: usize = 128;
/// Most actions one provider may offer.
pub const MAX_ACTIONS: usize = 64;
/// Most parameters one action may declare.
pub const MAX_PARAMETERS: usize = 32;
/// Longest action or parameter name.
pub const MAX_IDENTIFIER_LEN: usize = 64;
/// Longest description.
pub const MAX_DESCRIPTION_LEN: usize = 1024;

model::wire_enum! {
    /// How a provider's alerts reach secgraph: `push` (the provider sends batches to
    /// `POST /secgraph/v1/provider/alerts`), `pull` (secgraph polls `GET {base}/alerts?cursor=...`)
    /// or `federated` (secgraph forwards legacy `security/alerts` queries to
    /// `GET {base}/federated/alerts`). Read case-insensitively.
    pub enum ProviderMode: "secgraph.provider.mode" {
        Push = "push", Pull = "pull", Federated = "federated",
    }
}

/// A provider's manifest (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderManifest {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// The product (`vendorInformation.provider`), e.g. `Edge Firewall`.
    pub name: String,
    /// The company (`vendorInformation.vendor`), e.g. `Contoso`.
    pub vendor: String,
    /// Push, pull or federated.
    pub mode: ProviderMode,
    /// Absolute `http`/`https` URL the provider's endpoints live under (see [`crate::Endpoint`]).
    pub callback_base_url: String,
    /// The security actions offered; may be empty.
    #[serde(default)]
    pub actions: Vec<ActionSpec>,
}

/// One offered security action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionSpec {
    /// Canonical name, e.g. `blockIp`; requests match it case-insensitively.
    pub name: String,
    /// What it does, for people.
    #[serde(default)]
    pub description: Option<String>,
    /// The parameters it takes.
    #[serde(default)]
    pub parameters: Vec<ParameterSpec>,
}

/// One declared action parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParameterSpec {
    /// Canonical name, e.g. `ip`; requests match it case-insensitively.
    pub name: String,
    /// How a value is checked and normalised.
    #[serde(rename = "type")]
    pub ty: ParameterType,
    /// A request without it is refused.
    #[serde(default)]
    pub required: bool,
    /// What it means, for people.
    #[serde(default)]
    pub description: Option<String>,
}

impl ProviderManifest {
    /// Checks everything the serde types cannot: version, names, URL, unique action and parameter
    /// names (case-insensitively), limits.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.version(self.protocol_version);
        display_name(&mut p, "name", &self.name);
        display_name(&mut p, "vendor", &self.vendor);
        if let Err(m) = base_url(&self.callback_base_url) {
            p.push("callbackBaseUrl", m);
        }
        if self.actions.len() > MAX_ACTIONS {
            p.push(
                "actions",
                format!(
                    "{} actions declared; the limit is {MAX_ACTIONS}",
                    self.actions.len()
                ),
            );
        }
        for (i, a) in self.actions.iter().enumerate() {
            let path = item("actions", i);
            if let Some(j) = first_same_name(&self.actions[..i], &a.name, |a| &a.name) {
                p.push(
                    format!("{path}.name"),
                    format!(
                        "'{}' is declared twice (also actions[{j}]); action names are \
                         case-insensitive",
                        a.name
                    ),
                );
            }
            p.extend(a.validate(&path));
        }
        p.finish()
    }

    /// The `vendorInformation` of this provider's alerts.
    pub fn vendor_information(&self) -> VendorInformation {
        VendorInformation {
            provider: Some(self.name.clone()),
            vendor: Some(self.vendor.clone()),
            ..VendorInformation::default()
        }
    }

    /// The declared action named `name`, matched case-insensitively.
    pub fn action(&self, name: &str) -> Option<&ActionSpec> {
        self.actions
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

impl ActionSpec {
    fn validate(&self, path: &str) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.identifier(&format!("{path}.name"), &self.name, MAX_IDENTIFIER_LEN);
        if let Some(d) = &self.description {
            p.optional_text(&format!("{path}.description"), d, MAX_DESCRIPTION_LEN);
        }
        if self.parameters.len() > MAX_PARAMETERS {
            p.push(
                format!("{path}.parameters"),
                format!(
                    "{} parameters declared; the limit is {MAX_PARAMETERS}",
                    self.parameters.len()
                ),
            );
        }
        for (i, param) in self.parameters.iter().enumerate() {
            let at = item(&format!("{path}.parameters"), i);
            p.identifier(&format!("{at}.name"), &param.name, MAX_IDENTIFIER_LEN);
            if let Some(j) = first_same_name(&self.parameters[..i], &param.name, |q| &q.name) {
                p.push(
                    format!("{at}.name"),
                    format!(
                        "'{}' is declared twice (also parameters[{j}]); parameter names are \
                         case-insensitive",
                        param.name
                    ),
                );
            }
            if let Some(d) = &param.description {
                p.optional_text(&format!("{at}.description"), d, MAX_DESCRIPTION_LEN);
            }
        }
        p.finish()
    }

    /// The declared parameter named `name`, matched case-insensitively.
    pub fn parameter(&self, name: &str) -> Option<&ParameterSpec> {
        self.parameters
            .iter()
            .find(|q| q.name.eq_ignore_ascii_case(name))
    }
}

/// Index of the first of `earlier` whose name equals `name` case-insensitively.
fn first_same_name<T>(earlier: &[T], name: &str, key: impl Fn(&T) -> &String) -> Option<usize> {
    earlier
        .iter()
        .position(|e| key(e).eq_ignore_ascii_case(name))
}

/// A provider or vendor name: it appears in `vendorInformation` and inside the quoted
/// `{Vendor}/{Provider}/...` of a `Warning` header.
fn display_name(p: &mut Problems, path: &str, value: &str) {
    p.text(path, value, MAX_NAME_LEN);
    if value.contains('/') || value.contains('"') || value.contains('\\') {
        p.push(
            path,
            format!("'{value}' contains '/', '\"' or '\\'; these separate the parts of a Warning header"),
        );
    }
    if !value.trim().is_empty() && value.trim() != value {
        p.push(path, "must not start or end with spaces");
    }
}

/// Checks a callback base URL: absolute `http`/`https`, a host, no credentials, query or fragment.
pub(crate) fn base_url(s: &str) -> Result<Url, String> {
    let url = Url::parse(s).map_err(|e| {
        format!("'{s}' is not an absolute URL such as https://provider.example/secgraph ({e})")
    })?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(format!(
            "scheme '{}' is not allowed; use https (or http for a loopback test provider)",
            url.scheme()
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("'{s}' has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials; secgraph signs its calls instead".to_string());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "'{s}' has a query or fragment; send the base path only, such as https://provider.example/secgraph"
        ));
    }
    Ok(url)
}
