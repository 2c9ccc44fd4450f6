//! The endpoints a provider serves under its `callbackBaseUrl`, and the paths secgraph serves to
//! providers. Every call secgraph makes to an endpoint here is signed ([`crate::signing`]); the
//! signature covers the path and query, so the tenant rides in the query, not in a header.

use crate::manifest::base_url;
use url::Url;

/// `POST`: a provider pushes an [`crate::AlertBatch`].
pub const PUSH_ALERTS_PATH: &str = "/secgraph/v1/provider/alerts";
/// `POST`: a provider reports an [`crate::ActionStatusUpdate`]; `{id}` is the action id.
pub const ACTION_STATUS_PATH: &str = "/secgraph/v1/provider/actions/{id}/status";
/// `POST`: a provider reports a [`crate::ControlStateReport`].
pub const CONTROL_STATES_PATH: &str = "/secgraph/v1/provider/controlStates";

/// A provider endpoint, relative to its `callbackBaseUrl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint<'a> {
    /// `GET {base}/alerts?tenantId=...&cursor=...`: one [`crate::PullPage`].
    Alerts {
        /// The tenant whose alerts are pulled.
        tenant_id: &'a str,
        /// Where to continue; `None` on the first poll.
        cursor: Option<&'a str>,
    },
    /// `POST {base}/alertUpdates`: an [`crate::AlertUpdate`].
    AlertUpdates,
    /// `POST {base}/actions`: an [`crate::ActionInvocation`].
    Actions,
    /// `POST {base}/actions/{id}/cancel`: an [`crate::ActionCancellation`].
    CancelAction {
        /// The security action's id.
        action_id: &'a str,
    },
    /// `GET {base}/federated/alerts?tenantId=...&{OData options}`: see
    /// [`crate::FederatedRequest`].
    FederatedAlerts {
        /// The tenant the query is for.
        tenant_id: &'a str,
        /// The caller's OData query string, forwarded as it came (without `?`; may be empty),
        /// except that a character a URL query may not carry raw (`'` among them) is
        /// percent-encoded; the decoded options are identical.
        odata_query: &'a str,
    },
}

impl Endpoint<'_> {
    /// The HTTP method.
    pub fn method(&self) -> &'static str {
        match self {
            Endpoint::Alerts { .. } | Endpoint::FederatedAlerts { .. } => "GET",
            _ => "POST",
        }
    }

    /// The absolute URL under `callback_base_url` (which [`crate::ProviderManifest::validate`]
    /// accepted); its path and query are what the signature covers.
    pub fn url(&self, callback_base_url: &str) -> Result<Url, String> {
        let mut url = base_url(callback_base_url)?;
        let rest: &[&str] = match self {
            Endpoint::Alerts { .. } => &["alerts"],
            Endpoint::AlertUpdates => &["alertUpdates"],
            Endpoint::Actions => &["actions"],
            Endpoint::CancelAction { action_id } => &["actions", action_id, "cancel"],
            Endpoint::FederatedAlerts { .. } => &["federated", "alerts"],
        };
        url.path_segments_mut()
            .map_err(|()| format!("'{callback_base_url}' cannot be a base URL"))?
            .pop_if_empty()
            .extend(rest);
        match self {
            Endpoint::Alerts { tenant_id, cursor } => {
                let mut q = url.query_pairs_mut();
                q.append_pair("tenantId", tenant_id);
                if let Some(c) = cursor {
                    q.append_pair("cursor", c);
                }
            }
            Endpoint::FederatedAlerts {
                tenant_id,
                odata_query,
            } => {
                let tenant: String =
                    url::form_urlencoded::byte_serialize(tenant_id.as_bytes()).collect();
                let odata = odata_query.trim_start_matches('?');
                if odata.is_empty() {
                    url.set_query(Some(&format!("tenantId={tenant}")));
                } else {
                    url.set_query(Some(&format!("tenantId={tenant}&{odata}")));
                }
            }
            _ => {}
        }
        Ok(url)
    }
}

/// The request target a signature covers: the URL's path, then `?` and the query when there is one.
pub fn request_target(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://fw.example/secgraph/";
    const T: &str = "8c1e3c1a-0d4e-4a8e-9a52-3a5c1f2b7d10";

    #[test]
    fn endpoints_hang_under_the_base_path() {
        let cases = [
            (Endpoint::Alerts { tenant_id: T, cursor: None }, format!("/secgraph/alerts?tenantId={T}")),
            (
                Endpoint::Alerts { tenant_id: T, cursor: Some("a b&c") },
                format!("/secgraph/alerts?tenantId={T}&cursor=a+b%26c"),
            ),
            (Endpoint::AlertUpdates, "/secgraph/alertUpdates".to_string()),
            (Endpoint::Actions, "/secgraph/actions".to_string()),
            (
                Endpoint::CancelAction { action_id: "a/b c" },
                "/secgraph/actions/a%2Fb%20c/cancel".to_string(),
            ),
            (
                Endpoint::FederatedAlerts { tenant_id: T, odata_query: "$filter=severity%20eq%20'high'&$top=5" },
                format!("/secgraph/federated/alerts?tenantId={T}&$filter=severity%20eq%20%27high%27&$top=5"),
            ),
            (
                Endpoint::FederatedAlerts { tenant_id: T, odata_query: "" },
                format!("/secgraph/federated/alerts?tenantId={T}"),
            ),
        ];
        for (e, want) in cases {
            let url = e.url(BASE).expect("valid base");
            assert_eq!(request_target(&url), want);
        }
        assert_eq!(Endpoint::Actions.method(), "POST");
        assert_eq!(
            Endpoint::Alerts {
                tenant_id: T,
                cursor: None
            }
            .method(),
            "GET"
        );
    }

    #[test]
    fn a_bad_base_is_refused() {
        assert!(Endpoint::Actions.url("ftp://x.example").is_err());
        assert!(Endpoint::Actions.url("relative/path").is_err());
    }
}
