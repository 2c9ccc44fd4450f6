//! The HTTP client: one request in, one fully read answer out, under the address policy, a total
//! timeout and a cap on the answer's size.
//!
//! * **Policy.** Two reqwest clients are held, one per [`AddressPolicy`], each resolving through
//!   the `resolver` module. Proxies from the environment are ignored (`no_proxy`): through a proxy
//!   the resolver would check the proxy's address, not the destination's.
//! * **Redirects are never followed**: a `3xx` is returned as the answer, so a redirect cannot
//!   lead a checked URL to an unchecked one.
//! * **Timeouts.** `connect_timeout` bounds opening the connection (per address tried);
//!   the request's timeout (or `request_timeout`) bounds everything from the first byte sent to
//!   the last byte of the answer read, DNS included.
//! * **Size.** The answer's body is read chunk by chunk (after gzip decoding, so a compressed bomb
//!   is cut too) and the read stops with [`OutboundError::TooLarge`] as soon as it would pass
//!   `max_response_bytes`; a `Content-Length` above the cap fails before any of the body is read.

use crate::error::{from_reqwest, OutboundError};
use crate::policy::{check_url, AddressPolicy};
use crate::resolver::PolicyResolver;
use crate::retry_after::retry_after;
use bytes::{Bytes, BytesMut};
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::{HeaderMap, Method};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use url::Url;

/// The limits every request runs under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Longest wait for a connection to open. Default 5 s.
    pub connect_timeout: Duration,
    /// Longest time from sending to the end of the answer, unless a request sets its own.
    /// Default 10 s (the protocol's federated timeout).
    pub request_timeout: Duration,
    /// Longest answer body, in bytes. Default 1 MiB.
    pub max_response_bytes: usize,
    /// The `User-Agent` sent. Default `secgraph/<version>`.
    pub user_agent: String,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(10),
            max_response_bytes: 1024 * 1024,
            user_agent: concat!("secgraph/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

/// One request to send.
#[derive(Debug, Clone)]
pub struct OutboundRequest {
    /// The method.
    pub method: Method,
    /// Where to (`http` or `https`, no user info).
    pub url: Url,
    /// Headers to send besides `User-Agent` (and `Content-Length`, which reqwest sets).
    pub headers: HeaderMap,
    /// The body; empty sends none.
    pub body: Bytes,
    /// Which addresses the request may reach.
    pub policy: AddressPolicy,
    /// Overrides [`Limits::request_timeout`].
    pub timeout: Option<Duration>,
}

impl OutboundRequest {
    /// A request without headers or body, under [`AddressPolicy::Public`].
    pub fn new(method: Method, url: Url) -> Self {
        OutboundRequest {
            method,
            url,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            policy: AddressPolicy::Public,
            timeout: None,
        }
    }

    /// A `GET`.
    pub fn get(url: Url) -> Self {
        OutboundRequest::new(Method::GET, url)
    }

    /// A `POST` of JSON bytes, with `Content-Type: application/json`.
    pub fn post_json(url: Url, body: impl Into<Bytes>) -> Self {
        let mut req = OutboundRequest::new(Method::POST, url);
        req.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        req.body = body.into();
        req
    }

    /// Adds a header (keeping earlier values of the same name).
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sets the address policy.
    pub fn with_policy(mut self, policy: AddressPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Sets the total timeout of this request.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// A complete answer, of any status (redirects included).
#[derive(Debug, Clone)]
pub struct OutboundResponse {
    /// The status code.
    pub status: u16,
    /// The answer's headers.
    pub headers: HeaderMap,
    /// The whole body (decoded when it was gzip), at most [`Limits::max_response_bytes`].
    pub body: Bytes,
    /// From sending to the end of the body.
    pub elapsed: Duration,
}

impl OutboundResponse {
    /// True for a 2xx status.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// When the server asks to be called again (`Retry-After`), relative to `now`.
    pub fn retry_at(&self, now: OffsetDateTime) -> Option<OffsetDateTime> {
        retry_after(&self.headers, now)
    }
}

/// The only way secgraph opens connections out. Cheap to clone (the connection pools are shared).
#[derive(Debug, Clone)]
pub struct OutboundClient {
    public: reqwest::Client,
    private: reqwest::Client,
    limits: Arc<Limits>,
}

impl OutboundClient {
    /// A client under `limits`; fails only when the TLS backend cannot be set up.
    pub fn new(limits: Limits) -> Result<Self, OutboundError> {
        Ok(OutboundClient {
            public: build(&limits, AddressPolicy::Public)?,
            private: build(&limits, AddressPolicy::AllowPrivate)?,
            limits: Arc::new(limits),
        })
    }

    /// The limits this client runs under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Sends `req` and reads the whole answer (see the module docs for what is enforced).
    pub async fn send(&self, req: OutboundRequest) -> Result<OutboundResponse, OutboundError> {
        check_url(&req.url, req.policy)?;
        let limit = req.timeout.unwrap_or(self.limits.request_timeout);
        let started = Instant::now();
        match tokio::time::timeout(limit, self.exchange(req)).await {
            Ok(Ok((status, headers, body))) => Ok(OutboundResponse {
                status,
                headers,
                body,
                elapsed: started.elapsed(),
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(OutboundError::Timeout { limit }),
        }
    }

    /// Sends and reads the answer, without the total timeout (which `send` puts around it).
    async fn exchange(
        &self,
        req: OutboundRequest,
    ) -> Result<(u16, HeaderMap, Bytes), OutboundError> {
        let connect_timeout = self.limits.connect_timeout;
        let client = match req.policy {
            AddressPolicy::Public => &self.public,
            AddressPolicy::AllowPrivate => &self.private,
        };
        let mut builder = client.request(req.method, req.url).headers(req.headers);
        if !req.body.is_empty() {
            builder = builder.body(req.body);
        }
        let mut resp = builder
            .send()
            .await
            .map_err(|e| from_reqwest(e, connect_timeout))?;
        let status = resp.status().as_u16();
        let max = self.limits.max_response_bytes;
        let too_large = OutboundError::TooLarge { limit: max, status };
        let announced = resp.content_length().unwrap_or(0);
        if announced > u64::try_from(max).unwrap_or(u64::MAX) {
            return Err(too_large);
        }
        let headers = std::mem::take(resp.headers_mut());
        let capacity = usize::try_from(announced).unwrap_or(max).min(max);
        let mut body = BytesMut::with_capacity(capacity);
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| from_reqwest(e, connect_timeout))?
        {
            if body.len().saturating_add(chunk.len()) > max {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, headers, body.freeze()))
    }
}

/// One reqwest client for `policy`.
fn build(limits: &Limits, policy: AddressPolicy) -> Result<reqwest::Client, OutboundError> {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(PolicyResolver::new(policy)))
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(limits.connect_timeout)
        .user_agent(limits.user_agent.as_str())
        .build()
        .map_err(|e| OutboundError::Request(format!("the HTTP client cannot be built: {e}")))
}
