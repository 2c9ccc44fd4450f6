//! A tenant's fault profile as the admin API takes and shows it, and its validation.
//!
//! Every part is optional; an absent part injects nothing. Rates are probabilities in `[0, 1]`;
//! durations are milliseconds (latency, webhook delays) or whole seconds (`Retry-After`). Unknown
//! keys are errors, so a misspelt key never silently disables a fault.

use serde::{Deserialize, Serialize};

/// Longest injected request latency or webhook delay (one minute).
pub const MAX_DELAY_MS: u64 = 60_000;
/// Largest `Retry-After` an injected 429 or 503 may carry (one hour).
pub const MAX_RETRY_AFTER_SECONDS: u64 = 3_600;

/// What to inject into a tenant's traffic (see `docs/emulator.md`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultProfile {
    /// Seeds every decision: the same seed and the same request order give the same faults.
    #[serde(default)]
    pub seed: u64,
    /// `429 TooManyRequests` with `Retry-After`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttle: Option<ErrorFault>,
    /// `503 serviceNotAvailable` with `Retry-After`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable: Option<ErrorFault>,
    /// Extra time before the request is handled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<LatencyFault>,
    /// `206 Partial Content` with a `Warning` naming a provider, on legacy alert lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_content: Option<PartialContentFault>,
    /// Dropped or delayed change notifications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhooks: Option<WebhookFault>,
}

/// An error answer injected at a rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ErrorFault {
    /// Share of requests answered with the error.
    pub rate: f64,
    /// The `Retry-After` header, in seconds.
    #[serde(default = "one")]
    pub retry_after_seconds: u64,
}

/// Latency injected at a rate, uniformly between `minMs` and `maxMs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LatencyFault {
    /// Share of requests delayed (default: all).
    #[serde(default = "always")]
    pub rate: f64,
    /// Shortest delay.
    pub min_ms: u64,
    /// Longest delay (default: `minMs`).
    #[serde(default)]
    pub max_ms: Option<u64>,
}

/// A federated provider reported as failed on `GET /security/alerts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartialContentFault {
    /// Share of legacy alert lists answered `206`.
    pub rate: f64,
    /// `{Vendor}` of the `Warning` item.
    pub vendor: String,
    /// `{Provider}` of the `Warning` item.
    pub provider: String,
    /// `{Status}` of the `Warning` item (default 504, a provider that timed out).
    #[serde(default = "timeout_status")]
    pub status: u16,
    /// `{LatencyMs}` of the `Warning` item.
    #[serde(default)]
    pub latency_ms: u64,
}

/// Faults of change-notification deliveries (one decision per POST to a receiver).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookFault {
    /// Share of deliveries dropped: not sent, but recorded in the delivery history (replay
    /// recovers them).
    #[serde(default)]
    pub drop_rate: f64,
    /// Share of deliveries held back before they are sent.
    #[serde(default)]
    pub delay_rate: f64,
    /// Shortest hold.
    #[serde(default)]
    pub delay_min_ms: u64,
    /// Longest hold (default: `delayMinMs`).
    #[serde(default)]
    pub delay_max_ms: Option<u64>,
}

fn one() -> u64 {
    1
}

fn always() -> f64 {
    1.0
}

fn timeout_status() -> u16 {
    provider_protocol::federated::TIMEOUT_STATUS
}

impl FaultProfile {
    /// Reads and checks a profile from its JSON; the error says which key is wrong and why.
    pub fn from_json(value: &serde_json::Value) -> Result<FaultProfile, String> {
        let Some(object) = value.as_object() else {
            return Err("the fault profile must be a JSON object".to_owned());
        };
        for (key, part) in object {
            let part = part.clone();
            let read = match key.as_str() {
                "seed" => serde_json::from_value::<u64>(part).map(drop),
                "throttle" | "unavailable" => {
                    serde_json::from_value::<Option<ErrorFault>>(part).map(drop)
                }
                "latency" => serde_json::from_value::<Option<LatencyFault>>(part).map(drop),
                "partialContent" => {
                    serde_json::from_value::<Option<PartialContentFault>>(part).map(drop)
                }
                "webhooks" => serde_json::from_value::<Option<WebhookFault>>(part).map(drop),
                other => {
                    return Err(format!(
                        "unknown key '{other}'; a fault profile has seed, throttle, unavailable, latency, partialContent and webhooks"
                    ))
                }
            };
            read.map_err(|e| format!("{key}: {e}"))?;
        }
        let profile: FaultProfile = serde_json::from_value(value.clone())
            .map_err(|e| format!("the fault profile is not valid: {e}"))?;
        profile.validate()?;
        Ok(profile)
    }

    /// Checks rates, ranges and names.
    pub fn validate(&self) -> Result<(), String> {
        for (name, fault) in [
            ("throttle", &self.throttle),
            ("unavailable", &self.unavailable),
        ] {
            if let Some(f) = fault {
                rate(&format!("{name}.rate"), f.rate)?;
                if f.retry_after_seconds > MAX_RETRY_AFTER_SECONDS {
                    return Err(format!(
                        "{name}.retryAfterSeconds is {}; it must be at most {MAX_RETRY_AFTER_SECONDS}",
                        f.retry_after_seconds
                    ));
                }
            }
        }
        if let Some(l) = &self.latency {
            rate("latency.rate", l.rate)?;
            range("latency.minMs", "latency.maxMs", l.min_ms, l.max_ms)?;
        }
        if let Some(p) = &self.partial_content {
            rate("partialContent.rate", p.rate)?;
            name("partialContent.vendor", &p.vendor)?;
            name("partialContent.provider", &p.provider)?;
            if !(300..=599).contains(&p.status) || p.status == 404 {
                return Err(format!(
                    "partialContent.status is {}; it must be a failure status in 300-599 other than 404 (2xx and 404 are not reported)",
                    p.status
                ));
            }
        }
        if let Some(w) = &self.webhooks {
            rate("webhooks.dropRate", w.drop_rate)?;
            rate("webhooks.delayRate", w.delay_rate)?;
            range(
                "webhooks.delayMinMs",
                "webhooks.delayMaxMs",
                w.delay_min_ms,
                w.delay_max_ms,
            )?;
        }
        Ok(())
    }
}

fn rate(key: &str, value: f64) -> Result<(), String> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        return Ok(());
    }
    Err(format!(
        "{key} is {value}; a rate is a share of requests between 0 and 1"
    ))
}

fn range(min_key: &str, max_key: &str, min: u64, max: Option<u64>) -> Result<(), String> {
    let max = max.unwrap_or(min);
    if max < min {
        return Err(format!(
            "{max_key} ({max}) is less than {min_key} ({min}); the range must not be empty"
        ));
    }
    if max > MAX_DELAY_MS {
        return Err(format!(
            "{max_key} is {max}; delays are at most {MAX_DELAY_MS} ms"
        ));
    }
    Ok(())
}

fn name(key: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() || value.len() > 256 {
        return Err(format!("{key} must be a name of 1 to 256 characters"));
    }
    if value.contains(['/', '"', '\\']) {
        return Err(format!(
            "{key} '{value}' contains '/', '\"' or '\\'; these separate the parts of a Warning header"
        ));
    }
    Ok(())
}
