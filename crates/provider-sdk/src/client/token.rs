//! The app-only access token: fetched with client credentials from
//! `POST {secgraph}/{tenant}/oauth2/v2.0/token` (scope `https://graph.microsoft.com/.default`),
//! kept, and fetched again before it expires: once less than a fifth of its lifetime (at most
//! five minutes) is left, so a call never leaves with a token about to lapse.

use super::error::{token_error, ClientError};
use serde::Deserialize;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use url::Url;

/// The scope requested: Graph's, which secgraph accepts as its own.
pub const SCOPE: &str = "https://graph.microsoft.com/.default";
/// The most time before expiry a token is replaced.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// A token and when to stop using it.
#[derive(Debug, Clone)]
struct Token {
    access_token: String,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// Fetches and keeps one tenant's token. Concurrent callers share one fetch.
#[derive(Debug)]
pub(crate) struct TokenSource {
    url: Url,
    client_id: String,
    client_secret: String,
    current: Mutex<Option<Token>>,
}

impl TokenSource {
    /// A source for `tenant_id` at secgraph's `base` URL.
    pub(crate) fn new(
        base: &Url,
        tenant_id: &str,
        client_id: String,
        client_secret: String,
    ) -> Result<Self, ClientError> {
        let mut url = base.clone();
        url.path_segments_mut()
            .map_err(|()| ClientError::BadUrl(format!("'{base}' cannot be a base URL")))?
            .pop_if_empty()
            .extend([tenant_id, "oauth2", "v2.0", "token"]);
        Ok(TokenSource {
            url,
            client_id,
            client_secret,
            current: Mutex::new(None),
        })
    }

    /// A token valid for a while yet; `fresh` forces a new one (after a `401`).
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        fresh: bool,
    ) -> Result<String, ClientError> {
        let mut current = self.current.lock().await;
        if let Some(t) = current.as_ref() {
            if !fresh && Instant::now() < t.refresh_at {
                return Ok(t.access_token.clone());
            }
        }
        let token = self.fetch(http).await?;
        let access = token.access_token.clone();
        *current = Some(token);
        Ok(access)
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<Token, ClientError> {
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &self.client_id)
            .append_pair("client_secret", &self.client_secret)
            .append_pair("scope", SCOPE)
            .finish();
        let asked = Instant::now();
        let response = http
            .post(self.url.clone())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form)
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            return Err(token_error(status.as_u16(), &body));
        }
        let answer: TokenAnswer = serde_json::from_slice(&body)
            .map_err(|e| ClientError::Unreadable(format!("token answer: {e}")))?;
        let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(3599));
        let margin = (lifetime / 5).min(MAX_REFRESH_MARGIN);
        Ok(Token {
            access_token: answer.access_token,
            refresh_at: asked + lifetime.saturating_sub(margin),
        })
    }
}
