//! Federated providers: for a legacy `GET /security/alerts` query secgraph asks each federated
//! provider of the tenant, in parallel and with a per-provider timeout (default 10 s), and merges the
//! answers with its own ([`merge`]). A provider that fails turns the answer into
//! `206 Partial Content` with a `Warning` header naming it; the others' alerts are still returned.
//!
//! The request is `GET {base}/federated/alerts?tenantId={tenant}&{the caller's OData options}`:
//! the options (`$filter`, `$orderby`, `$top`, `$skip`, `$select`, `$count`) are forwarded as the
//! caller sent them, in order, except that a character a URL query may not carry raw (such as `'`)
//! is percent-encoded, which leaves the decoded options unchanged; the tenant rides in the query so
//! that the signature covers it. The provider applies them to its own alerts and answers with a
//! [`FederatedAnswer`]: `{"protocolVersion": 1, "value": [legacy microsoft.graph.alert, ...]}`,
//! at most [`MAX_FEDERATED_ALERTS`] of them. It answers `404` when it has nothing for the tenant
//! (never reported), `400` for an option it cannot apply (reported like any failure).

mod merge;

pub use merge::{merge, merge_with, warning_value, Merged, SourceOutcome, SourceResult};
pub use merge::{INVALID_ANSWER_STATUS, TIMEOUT_STATUS, UNREACHABLE_STATUS};

use crate::endpoint::Endpoint;
use crate::problem::{item, Invalid, Problems};
use model::{LegacyAlert, TenantId};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Most alerts in one federated answer (Graph's `$top` limit for legacy alerts).
pub const MAX_FEDERATED_ALERTS: usize = 1000;
/// The per-provider timeout secgraph applies unless configured otherwise, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u64 = 10_000;

/// What a federated provider is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederatedRequest {
    /// The tenant the query is for.
    pub tenant_id: TenantId,
    /// The caller's OData query string, verbatim, without `?` (may be empty).
    pub odata_query: String,
}

impl FederatedRequest {
    /// The endpoint to call (its URL is built by [`Endpoint::url`]).
    pub fn endpoint(&self) -> Endpoint<'_> {
        Endpoint::FederatedAlerts {
            tenant_id: self.tenant_id.as_str(),
            odata_query: &self.odata_query,
        }
    }

    /// Provider side: reads a received query string (without `?`), taking `tenantId` out and
    /// keeping every other part verbatim, in order.
    pub fn from_query_string(query: &str) -> Result<FederatedRequest, Invalid> {
        let mut tenant = None;
        let mut rest = Vec::new();
        for part in query
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (key, _) = part.split_once('=').unwrap_or((part, ""));
            if key == "tenantId" {
                let decoded: String = url::form_urlencoded::parse(part.as_bytes())
                    .map(|(_, v)| v.into_owned())
                    .next()
                    .unwrap_or_default();
                if tenant.replace(decoded).is_some() {
                    return Err(Invalid::at("tenantId", "is given twice; send it once"));
                }
            } else {
                rest.push(part);
            }
        }
        match tenant {
            Some(t) if !t.trim().is_empty() => Ok(FederatedRequest {
                tenant_id: TenantId(t),
                odata_query: rest.join("&"),
            }),
            _ => Err(Invalid::at(
                "tenantId",
                "is missing from the query; secgraph always sends tenantId=<tenant id>",
            )),
        }
    }
}

/// A federated provider's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FederatedAnswer {
    /// [`crate::PROTOCOL_VERSION`].
    pub protocol_version: u32,
    /// The matching alerts in the legacy shape (`@odata.type` may be omitted).
    #[serde(deserialize_with = "legacy_alerts")]
    pub value: Vec<LegacyAlert>,
}

impl FederatedAnswer {
    /// Checks the answer: size and ids.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut p = Problems::default();
        p.version(self.protocol_version);
        if self.value.len() > MAX_FEDERATED_ALERTS {
            p.push(
                "value",
                format!(
                    "holds {} alerts; answer at most {MAX_FEDERATED_ALERTS} (apply $top)",
                    self.value.len()
                ),
            );
        } else {
            for (i, a) in self.value.iter().enumerate() {
                p.text(&format!("{}.id", item("value", i)), &a.id, 256);
            }
        }
        p.finish()
    }
}

/// Legacy alerts, with `@odata.type` supplied where a provider left it out.
fn legacy_alerts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LegacyAlert>, D::Error> {
    let raw = Vec::<Value>::deserialize(d)?;
    raw.into_iter()
        .enumerate()
        .map(|(i, mut v)| {
            if let Value::Object(obj) = &mut v {
                obj.entry("@odata.type")
                    .or_insert_with(|| Value::String("#microsoft.graph.alert".into()));
            }
            serde_json::from_value(v)
                .map_err(|e| serde::de::Error::custom(format!("value[{i}]: {e}")))
        })
        .collect()
}
