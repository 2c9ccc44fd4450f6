//! The resources a token may be requested for and the `aud` values accepted.
//!
//! A client-credentials request names a resource through a `scope` of the form
//! `<resource>/.default`. Four resources are accepted, all meaning "this secgraph":
//!
//! | resource | who asks for it |
//! |---|---|
//! | `https://graph.microsoft.com` | every Graph sample and SDK, unchanged |
//! | our public base URL, e.g. `https://secgraph.example:8443` | clients configured for us |
//! | the same scheme and host without the port, e.g. `https://secgraph.example` | msgraph-sdk when given no scope (it derives `<scheme>://<host>/.default`) |
//! | `api://secgraph` | an application-ID-URI style name, independent of where we run |
//!
//! Whatever was asked for, the token we issue carries `aud` = our public base URL (the
//! [`issued`](Audiences::issued) resource), and the verifier accepts any of the four as `aud`.
//! Resources compare ASCII case-insensitively, ignoring trailing slashes.

use crate::error::AuthError;
use std::fmt;

/// Microsoft Graph's resource URI.
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";
/// secgraph's application ID URI.
pub const APP_ID_URI: &str = "api://secgraph";
/// The scope suffix the client-credentials grant requires.
pub const DEFAULT_SUFFIX: &str = "/.default";
/// OpenID Connect scopes some libraries add to every request; they do not name a resource.
const OIDC_SCOPES: &[&str] = &["openid", "profile", "offline_access", "email"];

/// The accepted resources of one deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audiences {
    public_base: String,
    accepted: Vec<String>,
}

impl Audiences {
    /// The audiences of a server whose public base URL is `public_base_url`
    /// (`http(s)://host[:port][/path]`; a trailing slash is dropped, scheme and host lowercased).
    pub fn new(public_base_url: &str) -> Result<Audiences, AuthError> {
        let base = BaseUrl::parse(public_base_url)?;
        let public_base = base.to_string();
        let mut accepted = vec![GRAPH_RESOURCE.to_owned(), public_base.clone()];
        for extra in [
            format!("{}://{}", base.scheme, base.host),
            APP_ID_URI.into(),
        ] {
            if !accepted.iter().any(|a| a.eq_ignore_ascii_case(&extra)) {
                accepted.push(extra);
            }
        }
        Ok(Audiences {
            public_base,
            accepted,
        })
    }

    /// The normalised public base URL (no trailing slash): the issuer base and the issued `aud`.
    pub fn public_base(&self) -> &str {
        &self.public_base
    }

    /// The `aud` written into every token issued: the public base URL.
    pub fn issued(&self) -> &str {
        &self.public_base
    }

    /// Every accepted resource (Graph, public base URL, host without port, `api://secgraph`).
    pub fn accepted(&self) -> &[String] {
        &self.accepted
    }

    /// The accepted scopes, each `<resource>/.default` (for documentation and error messages).
    pub fn accepted_scopes(&self) -> Vec<String> {
        self.accepted
            .iter()
            .map(|a| format!("{a}{DEFAULT_SUFFIX}"))
            .collect()
    }

    /// Whether a token's `aud` names this deployment.
    pub fn accepts(&self, aud: &str) -> bool {
        self.find(aud).is_some()
    }

    /// The accepted resource named by a token request's `scope` parameter (space-separated; the
    /// OpenID Connect scopes `openid`, `profile`, `offline_access` and `email` are ignored).
    pub fn resource_of_scope(&self, scope: &str) -> Result<&str, ScopeError> {
        let mut named = scope
            .split_whitespace()
            .filter(|s| !OIDC_SCOPES.iter().any(|o| o.eq_ignore_ascii_case(s)));
        let first = named.next().ok_or(ScopeError::Missing)?;
        if named.next().is_some() {
            return Err(ScopeError::Multiple(scope.trim().to_owned()));
        }
        let resource = strip_suffix_ci(first, DEFAULT_SUFFIX)
            .ok_or_else(|| ScopeError::NotDefault(first.to_owned()))?;
        self.find(resource)
            .ok_or_else(|| ScopeError::UnknownResource(resource.to_owned()))
    }

    fn find(&self, resource: &str) -> Option<&str> {
        let resource = resource.trim_end_matches('/');
        self.accepted
            .iter()
            .find(|a| a.eq_ignore_ascii_case(resource))
            .map(String::as_str)
    }
}

fn strip_suffix_ci<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..cut])
}

/// Why a token request's `scope` was refused. [`Display`](fmt::Display) is the
/// `error_description` text; [`code`](ScopeError::code) is the Microsoft identity platform's
/// `AADSTS` number for the same failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeError {
    /// No scope, or only OpenID Connect scopes.
    Missing,
    /// More than one resource scope.
    Multiple(String),
    /// A scope without the `/.default` suffix.
    NotDefault(String),
    /// A `/.default` scope for a resource that is not this deployment.
    UnknownResource(String),
}

impl ScopeError {
    /// The `AADSTS` error number Entra uses for this failure (for `error_codes`).
    pub fn code(&self) -> u32 {
        match self {
            ScopeError::Missing => 90014,
            ScopeError::Multiple(_) => 70011,
            ScopeError::NotDefault(_) => 1002012,
            ScopeError::UnknownResource(_) => 500011,
        }
    }
}

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScopeError::Missing => write!(
                f,
                "The request body must contain the following parameter: 'scope'."
            ),
            ScopeError::Multiple(s) => write!(
                f,
                "The provided value for the input parameter 'scope' is not valid: '{s}' names \
                 more than one resource; ask for one '<resource>/.default' scope."
            ),
            ScopeError::NotDefault(s) => write!(
                f,
                "The provided value for scope {s} is not valid. Client credential flows must have \
                 a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
            ScopeError::UnknownResource(r) => write!(
                f,
                "The resource principal named {r} was not found. Ask for one of: \
                 https://graph.microsoft.com/.default, <public base URL>/.default, \
                 <scheme>://<host>/.default or api://secgraph/.default."
            ),
        }
    }
}

impl std::error::Error for ScopeError {}

/// A parsed `http(s)://host[:port][/path]`.
struct BaseUrl {
    scheme: String,
    /// Host without port (IPv6 literals keep their brackets).
    host: String,
    /// `:port`, or empty.
    port: String,
    /// `/path` without trailing slash, or empty.
    path: String,
}

impl BaseUrl {
    fn parse(url: &str) -> Result<BaseUrl, AuthError> {
        let bad = || AuthError::InvalidBaseUrl(url.to_owned());
        let (scheme, rest) = url.trim().split_once("://").ok_or_else(bad)?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(bad());
        }
        let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        if authority.is_empty() || authority.contains(['@', '?', '#']) || path.contains(['?', '#'])
        {
            return Err(bad());
        }
        let (host, port) = split_port(authority).ok_or_else(bad)?;
        Ok(BaseUrl {
            scheme,
            host: host.to_ascii_lowercase(),
            port: port.to_owned(),
            path: path.trim_end_matches('/').to_owned(),
        })
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}{}{}",
            self.scheme, self.host, self.port, self.path
        )
    }
}

/// Splits `host[:port]` (or `[v6]:port`) into the host and `:port` (empty when absent).
fn split_port(authority: &str) -> Option<(&str, &str)> {
    let host_end = if authority.starts_with('[') {
        authority.find(']')? + 1
    } else {
        authority.rfind(':').unwrap_or(authority.len())
    };
    let (host, port) = authority.split_at(host_end);
    let digits = port.strip_prefix(':').unwrap_or(port);
    let port_ok = port.is_empty()
        || (port.starts_with(':')
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit()));
    (!host.is_empty() && port_ok).then_some((host, port))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn four_resources_are_accepted_and_the_base_url_is_issued() {
        let a = Audiences::new("HTTP://127.0.0.1:8080/").unwrap();
        assert_eq!(a.issued(), "http://127.0.0.1:8080");
        assert_eq!(
            a.accepted(),
            [
                "https://graph.microsoft.com",
                "http://127.0.0.1:8080",
                "http://127.0.0.1",
                "api://secgraph"
            ]
        );
        assert!(a.accepts("https://graph.microsoft.com/"));
        assert!(a.accepts("API://SECGRAPH"));
        assert!(!a.accepts("https://evil.example"));
    }

    #[test]
    fn the_host_without_port_is_not_repeated_when_there_is_no_port() {
        let a = Audiences::new("https://secgraph.example/prefix/").unwrap();
        assert_eq!(a.issued(), "https://secgraph.example/prefix");
        assert_eq!(a.accepted().len(), 4);
        assert!(a.accepts("https://secgraph.example"));
        let a = Audiences::new("https://secgraph.example").unwrap();
        assert_eq!(a.accepted().len(), 3);
        let a = Audiences::new("http://[::1]:9000").unwrap();
        assert!(a.accepts("http://[::1]"));
    }

    #[test]
    fn bad_base_urls_are_refused() {
        for url in [
            "127.0.0.1:8080",
            "ftp://x",
            "http://",
            "http://:80",
            "http://h:x",
            "http://u@h",
            "http://h/?q",
        ] {
            assert!(Audiences::new(url).is_err(), "{url}");
        }
    }

    #[test]
    fn scopes_name_one_default_resource() {
        let a = Audiences::new("http://127.0.0.1:8080").unwrap();
        let r = |s| a.resource_of_scope(s);
        assert_eq!(
            r("https://graph.microsoft.com/.default"),
            Ok("https://graph.microsoft.com")
        );
        assert_eq!(r("http://127.0.0.1/.default"), Ok("http://127.0.0.1"));
        assert_eq!(
            r("openid profile offline_access api://secgraph/.DEFAULT"),
            Ok("api://secgraph")
        );
        assert_eq!(
            r("http://127.0.0.1:8080//.default"),
            Ok("http://127.0.0.1:8080")
        );
        assert_eq!(r(""), Err(ScopeError::Missing));
        assert_eq!(r("openid"), Err(ScopeError::Missing));
        assert!(matches!(
            r("https://graph.microsoft.com/SecurityAlert.Read.All"),
            Err(ScopeError::NotDefault(_))
        ));
        assert!(matches!(
            r("https://management.azure.com/.default"),
            Err(ScopeError::UnknownResource(_))
        ));
        assert!(matches!(
            r("api://secgraph/.default https://graph.microsoft.com/.default"),
            Err(ScopeError::Multiple(_))
        ));
        assert_eq!(ScopeError::NotDefault("x".into()).code(), 1002012);
    }
}
