//! Change notifications out: which `notificationUrl`s may be used ([`WebhookPolicy`]), the
//! validation handshake a subscription's URL must pass ([`validate_endpoint`]), the outbox
//! worker that delivers notifications ([`NotificationDelivery`]), and the encryption of rich
//! notifications' resource data ([`EncryptionCertificate`]).
//!
//! **Policy.** A notification URL must be `https`. With `allow_insecure` (the
//! `--allow-insecure-webhooks` flag) `http` is accepted for loopback hosts only, and loopback is
//! then reachable. Private, link-local (cloud metadata), CGNAT and the other non-public ranges are
//! refused unless the URL's host is in `allowed_hosts`. The address check runs when the
//! connection is opened (on every delivery, after a fresh DNS resolution), so a name that later
//! resolves to a refused address gains nothing.

mod content;
mod delivery;
mod encryption;
mod faults;

pub use content::{carries_resource_data, CHANGE_TRACKING_APP_ID};
pub use delivery::{DeliveryOptions, Lane, NotificationDelivery};
pub use encryption::{EncryptionCertificate, MIN_RSA_BITS};

use crate::policy::AddressPolicy;
use crate::{OutboundClient, OutboundRequest};
use http::header::{HeaderValue, CONTENT_TYPE};
use http::Method;
use std::net::IpAddr;
use std::time::Duration;
use url::{Host, Url};

/// How long a receiver has to answer the validation handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Which notification URLs subscriptions may use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookPolicy {
    /// Accept `http` (and reach) loopback receivers (`--allow-insecure-webhooks`; development).
    pub allow_insecure: bool,
    /// Hosts (names or IP literals, matched without case) that may resolve to private addresses.
    pub allowed_hosts: Vec<String>,
}

impl WebhookPolicy {
    /// Checks `url` and returns it parsed with the address policy its deliveries run under, or a
    /// message saying what to fix.
    pub fn check(&self, url: &str) -> Result<(Url, AddressPolicy), String> {
        let parsed = Url::parse(url).map_err(|e| format!("'{url}' is not an absolute URL: {e}"))?;
        let loopback = is_loopback(&parsed);
        match parsed.scheme() {
            "https" => {}
            "http" if self.allow_insecure && loopback => {}
            "http" if loopback => {
                return Err(format!(
                    "'{url}' is not https; http is accepted for loopback receivers only when \
                     secgraph runs with --allow-insecure-webhooks"
                ))
            }
            _ => return Err(format!("'{url}' is not an https URL")),
        }
        let host = parsed.host_str().unwrap_or("").to_ascii_lowercase();
        let listed = self.allowed_hosts.iter().any(|h| {
            h.trim_matches(['[', ']'])
                .eq_ignore_ascii_case(host.trim_matches(['[', ']']))
        });
        let policy = if listed || (self.allow_insecure && loopback) {
            AddressPolicy::AllowPrivate
        } else {
            AddressPolicy::Public
        };
        crate::policy::check_url(&parsed, policy).map_err(|e| {
            format!(
                "'{url}' cannot receive notifications: {e}; use a public address, or list the \
                 host in webhook_allowed_hosts"
            )
        })?;
        Ok((parsed, policy))
    }
}

/// Whether the URL's host is a loopback literal or `localhost`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(v4)) => v4.is_loopback(),
        Some(Host::Ipv6(v6)) => v6.is_loopback(),
        Some(Host::Domain(d)) => {
            d.eq_ignore_ascii_case("localhost")
                || d.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        None => false,
    }
}

/// The validation handshake: `POST {url}?validationToken={token}` (`text/plain`, empty body);
/// the receiver must answer 200 with `text/plain` and the token, byte for byte, within
/// [`HANDSHAKE_TIMEOUT`]. Returns what went wrong, in words for the subscription's creator.
pub async fn validate_endpoint(
    client: &OutboundClient,
    url: &Url,
    policy: AddressPolicy,
) -> Result<(), String> {
    let token = format!("secgraph-validation-{}", uuid::Uuid::new_v4());
    let mut target = url.clone();
    target
        .query_pairs_mut()
        .append_pair("validationToken", &token);
    let mut req = OutboundRequest::new(Method::POST, target).with_policy(policy);
    req.headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    let req = req.with_timeout(HANDSHAKE_TIMEOUT);
    let fail = |why: String| format!("Subscription validation request failed for '{url}': {why}");
    let resp = client.send(req).await.map_err(|e| fail(e.to_string()))?;
    if resp.status != 200 {
        return Err(fail(format!(
            "the endpoint answered {} instead of 200 with the validation token",
            resp.status
        )));
    }
    let content_type = resp
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .trim()
        .to_ascii_lowercase()
        .starts_with("text/plain")
    {
        return Err(fail(format!(
            "the answer's Content-Type is '{content_type}'; it must be text/plain"
        )));
    }
    if resp.body.as_ref() != token.as_bytes() {
        return Err(fail(
            "the answer's body is not the validationToken (echo it URL-decoded, byte for byte)"
                .to_owned(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notification_urls_must_be_https_or_allowed_loopback() {
        let strict = WebhookPolicy::default();
        assert!(strict.check("https://example.com/hook").is_ok());
        assert!(strict.check("http://example.com/hook").is_err());
        assert!(strict.check("http://127.0.0.1:9/hook").is_err());
        assert!(strict.check("https://127.0.0.1:9/hook").is_err());
        assert!(strict.check("https://169.254.169.254/latest").is_err());
        assert!(strict.check("https://10.0.0.5/hook").is_err());
        let dev = WebhookPolicy {
            allow_insecure: true,
            ..WebhookPolicy::default()
        };
        assert_eq!(
            dev.check("http://127.0.0.1:9/hook").unwrap().1,
            AddressPolicy::AllowPrivate
        );
        assert!(dev.check("http://10.0.0.5/hook").is_err());
        let listed = WebhookPolicy {
            allowed_hosts: vec!["10.0.0.5".into()],
            ..WebhookPolicy::default()
        };
        assert_eq!(
            listed.check("https://10.0.0.5/hook").unwrap().1,
            AddressPolicy::AllowPrivate
        );
    }
}
