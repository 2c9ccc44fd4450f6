//! Reading a token request: the form body (`grant_type`, `client_id`, `client_secret`, `scope`) and
//! HTTP Basic client authentication (RFC 6749 §2.3.1: `base64(urlencode(id):urlencode(secret))`).
//!
//! Everything else a client sends is ignored, as Entra ignores it: MSAL's `client_info=1`, the CAE
//! `claims` parameter azure-identity adds under kiota, and MSAL's telemetry headers.

use super::oauth_error::{OAuthError, OAuthFailure};
use axum::http::{header, HeaderMap};
use base64::Engine;

/// The grant we issue tokens for.
pub const CLIENT_CREDENTIALS: &str = "client_credentials";

/// A client-credentials token request, checked for presence of every parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// The application's client id, as sent.
    pub client_id: String,
    /// The client secret, as sent.
    pub client_secret: String,
    /// The `scope` parameter, as sent.
    pub scope: String,
    /// Whether the client authenticated with HTTP Basic.
    pub basic: bool,
}

/// The raw parameters, before checking.
#[derive(Debug, Default)]
struct Params {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
}

impl TokenRequest {
    /// Parses the form body and the `Authorization` header. Parameters are checked in Entra's order:
    /// grant type, client id, scope, secret.
    pub fn parse(headers: &HeaderMap, body: &[u8]) -> Result<TokenRequest, OAuthError> {
        let form = parse_form(body);
        let basic = basic_credentials(headers)?;
        let used_basic = basic.is_some();
        let fail = |failure: OAuthFailure| OAuthError {
            failure,
            basic: used_basic,
        };
        let grant = form
            .grant_type
            .ok_or_else(|| fail(OAuthFailure::MissingParameter("grant_type")))?;
        if grant != CLIENT_CREDENTIALS {
            return Err(fail(OAuthFailure::UnsupportedGrantType(grant)));
        }
        let (client_id, client_secret) = match basic {
            Some((id, secret)) => {
                if form.client_id.as_deref().is_some_and(|f| f != id) {
                    return Err(fail(OAuthFailure::ConflictingClientIds));
                }
                (id, Some(secret))
            }
            None => (
                form.client_id
                    .ok_or_else(|| fail(OAuthFailure::MissingParameter("client_id")))?,
                form.client_secret,
            ),
        };
        let scope = form
            .scope
            .ok_or_else(|| fail(OAuthFailure::MissingParameter("scope")))?;
        let client_secret = client_secret
            .filter(|s| !s.is_empty())
            .ok_or_else(|| fail(OAuthFailure::MissingSecret))?;
        Ok(TokenRequest {
            client_id,
            client_secret,
            scope,
            basic: used_basic,
        })
    }
}

/// The parameters we read from a form body; empty values count as missing, the first occurrence wins.
fn parse_form(body: &[u8]) -> Params {
    let mut p = Params::default();
    for (name, value) in form_urlencoded::parse(body) {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let slot = match name.as_ref() {
            "grant_type" => &mut p.grant_type,
            "client_id" => &mut p.client_id,
            "client_secret" => &mut p.client_secret,
            "scope" => &mut p.scope,
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value.to_owned());
        }
    }
    p
}

/// `Some((client_id, secret))` when the request carries `Authorization: Basic …`.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, OAuthError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("");
    let Some((scheme, rest)) = text.split_once(' ') else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Ok(None);
    }
    let malformed = || OAuthError {
        failure: OAuthFailure::MalformedBasicAuth,
        basic: true,
    };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .map_err(|_| malformed())?;
    let decoded = String::from_utf8(decoded).map_err(|_| malformed())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(malformed)?;
    let unescape = |s: &str| -> String {
        form_urlencoded::parse(format!("v={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some((unescape(id), unescape(secret))))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use axum::http::HeaderValue;

    fn parse(body: &str, auth: Option<&str>) -> Result<TokenRequest, OAuthFailure> {
        let mut headers = HeaderMap::new();
        if let Some(a) = auth {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_str(a).unwrap());
        }
        TokenRequest::parse(&headers, body.as_bytes()).map_err(|e| e.failure)
    }

    #[test]
    fn msal_form_with_client_info_and_claims_is_accepted() {
        let body = "client_id=abc&grant_type=client_credentials&client_info=1&client_secret=s%2Bx&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&claims=%7B%22access_token%22%3A%7B%7D%7D";
        let r = parse(body, None).unwrap();
        assert_eq!(r.client_id, "abc");
        assert_eq!(r.client_secret, "s+x");
        assert_eq!(r.scope, "https://graph.microsoft.com/.default");
        assert!(!r.basic);
    }

    #[test]
    fn basic_credentials_are_url_decoded() {
        let creds = base64::engine::general_purpose::STANDARD.encode("my%20id:p%3Aw");
        let r = parse(
            "grant_type=client_credentials&scope=x",
            Some(&format!("Basic {creds}")),
        )
        .unwrap();
        assert_eq!(
            (r.client_id.as_str(), r.client_secret.as_str()),
            ("my id", "p:w")
        );
        assert!(r.basic);
    }

    #[test]
    fn missing_parameters_are_named_in_entra_order() {
        assert_eq!(
            parse("", None),
            Err(OAuthFailure::MissingParameter("grant_type"))
        );
        assert_eq!(
            parse("grant_type=password", None),
            Err(OAuthFailure::UnsupportedGrantType("password".into()))
        );
        assert_eq!(
            parse("grant_type=client_credentials", None),
            Err(OAuthFailure::MissingParameter("client_id"))
        );
        assert_eq!(
            parse("grant_type=client_credentials&client_id=a", None),
            Err(OAuthFailure::MissingParameter("scope"))
        );
        assert_eq!(
            parse("grant_type=client_credentials&client_id=a&scope=s", None),
            Err(OAuthFailure::MissingSecret)
        );
    }

    #[test]
    fn basic_and_body_naming_different_clients_is_refused() {
        let creds = base64::engine::general_purpose::STANDARD.encode("a:s");
        assert_eq!(
            parse(
                "grant_type=client_credentials&client_id=b&scope=x",
                Some(&format!("Basic {creds}"))
            ),
            Err(OAuthFailure::ConflictingClientIds)
        );
        assert_eq!(
            parse("grant_type=client_credentials", Some("Basic !!!")),
            Err(OAuthFailure::MalformedBasicAuth)
        );
    }
}
