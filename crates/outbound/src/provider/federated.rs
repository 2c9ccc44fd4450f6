//! Federated queries: one signed `GET {base}/federated/alerts?tenantId=...&{OData options}` per
//! provider, reported as a [`FederatedReply`]: never an error, because a failed provider is part
//! of the merged answer (the `Warning` header of [`provider_protocol::merge`]), not a failure of
//! the query.
//!
//! | what happened | outcome (status reported by `merge`) |
//! |---|---|
//! | `200` with a valid [`FederatedAnswer`] | `Answered` |
//! | `200` with a body that does not parse or validate, longer than the size cap, or an exchange cut midway | `InvalidAnswer` (502) |
//! | any other status (`404`: nothing here, not reported) | `Status(s)` |
//! | the timeout ran out | `TimedOut` (504) |
//! | no connection, a refused address, an unusable URL or no signing key | `Unreachable` (503) |

use super::failure::excerpt;
use super::ProviderTarget;
use crate::client::{OutboundClient, OutboundResponse};
use crate::error::OutboundError;
use provider_protocol::{Endpoint, FederatedAnswer, SourceOutcome, SourceResult};
use std::time::{Duration, Instant};

/// How one provider's federated query ended, and how long it took.
#[derive(Debug, Clone, PartialEq)]
pub struct FederatedReply {
    /// The outcome, as [`provider_protocol::merge`] takes it.
    pub outcome: SourceOutcome,
    /// From just before sending to the end of the answer (or to giving up).
    pub latency: Duration,
    /// What went wrong, for the log; `None` for a valid answer.
    pub detail: Option<String>,
}

impl FederatedReply {
    /// [`FederatedReply::latency`] in whole milliseconds.
    pub fn latency_ms(&self) -> u64 {
        u64::try_from(self.latency.as_millis()).unwrap_or(u64::MAX)
    }

    /// The [`SourceResult`] for `merge`, under the manifest's `vendor` and `name`.
    pub fn into_source(
        self,
        vendor: impl Into<String>,
        provider: impl Into<String>,
    ) -> SourceResult {
        SourceResult {
            vendor: vendor.into(),
            provider: provider.into(),
            latency_ms: self.latency_ms(),
            outcome: self.outcome,
        }
    }
}

impl OutboundClient {
    /// Forwards a legacy alerts query to a federated provider. `odata_query` is the caller's
    /// query string without `?` (may be empty), forwarded as [`Endpoint::url`] describes.
    pub async fn federated(
        &self,
        target: &ProviderTarget<'_>,
        tenant_id: &str,
        odata_query: &str,
        now_unix: i64,
    ) -> FederatedReply {
        let endpoint = Endpoint::FederatedAlerts {
            tenant_id,
            odata_query,
        };
        let started = Instant::now();
        let result = self.call(target, &endpoint, None::<&()>, now_unix).await;
        let latency = started.elapsed();
        let (outcome, detail) = outcome_of(result);
        if let Some(d) = &detail {
            tracing::debug!(detail = %d, latency_ms = latency.as_millis(), "federated provider failed");
        }
        FederatedReply {
            outcome,
            latency,
            detail,
        }
    }
}

fn outcome_of(result: Result<OutboundResponse, OutboundError>) -> (SourceOutcome, Option<String>) {
    let resp = match result {
        Ok(resp) => resp,
        Err(e) => {
            let outcome = match e {
                OutboundError::Timeout { .. } => SourceOutcome::TimedOut,
                OutboundError::TooLarge { .. } | OutboundError::Http(_) => {
                    SourceOutcome::InvalidAnswer
                }
                OutboundError::Refused { .. }
                | OutboundError::InvalidUrl(_)
                | OutboundError::Request(_)
                | OutboundError::Connect(_) => SourceOutcome::Unreachable,
            };
            return (outcome, Some(e.to_string()));
        }
    };
    if resp.status != 200 {
        let detail = format!(
            "the provider answered {}{}",
            resp.status,
            excerpt(&resp.body)
        );
        return (SourceOutcome::Status(resp.status), Some(detail));
    }
    let answer = match provider_protocol::from_json::<FederatedAnswer>(&resp.body) {
        Ok(a) => a,
        Err(e) => {
            let detail = format!(
                "the provider's answer is not a FederatedAnswer: {e}{}",
                excerpt(&resp.body)
            );
            return (SourceOutcome::InvalidAnswer, Some(detail));
        }
    };
    match answer.validate() {
        Ok(()) => (SourceOutcome::Answered(answer), None),
        Err(e) => (
            SourceOutcome::InvalidAnswer,
            Some(format!("the provider's FederatedAnswer is invalid: {e}")),
        ),
    }
}
