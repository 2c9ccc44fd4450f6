//! The deterministic fault decisions: what the `n`th request (or notification delivery) of a
//! tenant gets under a profile. Each decision is a function of `(seed, n)` alone — a SplitMix64
//! hash of the seed, the counter and a salt per kind of fault — so the same profile and the same
//! order of requests give the same faults on every run, and each kind of fault is drawn
//! independently of the others.

use super::profile::FaultProfile;
use std::time::Duration;

/// Salts that keep the kinds' draws independent.
const THROTTLE: u64 = 1;
const UNAVAILABLE: u64 = 2;
const LATENCY: u64 = 3;
const LATENCY_LENGTH: u64 = 4;
const PARTIAL: u64 = 5;
const DROP: u64 = 6;
const DELAY: u64 = 7;
const DELAY_LENGTH: u64 = 8;

/// The answer a request gets instead of its handler's (or besides it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Injected {
    /// The handler's answer.
    None,
    /// `429` with `Retry-After` seconds (the handler does not run).
    Throttle(u64),
    /// `503` with `Retry-After` seconds (the handler does not run).
    Unavailable(u64),
}

/// What one request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFaults {
    /// Held back this long before anything else happens.
    pub latency: Option<Duration>,
    /// An error instead of the handler's answer (a 429 wins over a 503).
    pub injected: Injected,
    /// A legacy alert list is answered `206` with this `Warning` value (ignored on other routes).
    pub partial_warning: Option<String>,
}

/// What one notification delivery (one POST to a receiver) gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeliveryFaults {
    /// Not sent; recorded as delivered in the history (a replay sends it).
    pub drop: bool,
    /// Held back this long before it is sent.
    pub delay: Option<Duration>,
}

/// SplitMix64's finaliser.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A uniform number in `[0, 1)` for draw `salt` of the `n`th event under `seed`.
pub fn unit(seed: u64, n: u64, salt: u64) -> f64 {
    let x = mix(mix(seed ^ mix(salt)) ^ n);
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether draw `salt` of event `n` falls within `rate` (a rate of 1 always does, 0 never).
fn hit(seed: u64, n: u64, salt: u64, rate: f64) -> bool {
    unit(seed, n, salt) < rate
}

/// A length in `[min, max]` milliseconds for event `n`.
fn length(seed: u64, n: u64, salt: u64, min: u64, max: Option<u64>) -> Duration {
    let max = max.unwrap_or(min).max(min);
    let span = (max - min) as f64;
    let ms = min + (unit(seed, n, salt) * (span + 1.0)).floor().min(span) as u64;
    Duration::from_millis(ms)
}

impl FaultProfile {
    /// The faults of the tenant's `n`th Graph request (counted from 0 since the profile was set).
    pub fn request(&self, n: u64) -> RequestFaults {
        let seed = self.seed;
        let latency = self
            .latency
            .as_ref()
            .filter(|l| hit(seed, n, LATENCY, l.rate))
            .map(|l| length(seed, n, LATENCY_LENGTH, l.min_ms, l.max_ms));
        let injected = match (&self.throttle, &self.unavailable) {
            (Some(t), _) if hit(seed, n, THROTTLE, t.rate) => {
                Injected::Throttle(t.retry_after_seconds)
            }
            (_, Some(u)) if hit(seed, n, UNAVAILABLE, u.rate) => {
                Injected::Unavailable(u.retry_after_seconds)
            }
            _ => Injected::None,
        };
        let partial_warning = self
            .partial_content
            .as_ref()
            .filter(|p| hit(seed, n, PARTIAL, p.rate))
            .and_then(|p| {
                provider_protocol::federated::warning_value(&[
                    provider_protocol::federated::SourceResult {
                        vendor: p.vendor.clone(),
                        provider: p.provider.clone(),
                        latency_ms: p.latency_ms,
                        outcome: provider_protocol::federated::SourceOutcome::Status(p.status),
                    },
                ])
            });
        RequestFaults {
            latency,
            injected,
            partial_warning,
        }
    }

    /// The faults of the tenant's `n`th notification delivery (counted from 0 since the profile
    /// was set).
    pub fn delivery(&self, n: u64) -> DeliveryFaults {
        let seed = self.seed;
        let Some(w) = &self.webhooks else {
            return DeliveryFaults::default();
        };
        if hit(seed, n, DROP, w.drop_rate) {
            return DeliveryFaults {
                drop: true,
                delay: None,
            };
        }
        let delay = hit(seed, n, DELAY, w.delay_rate)
            .then(|| length(seed, n, DELAY_LENGTH, w.delay_min_ms, w.delay_max_ms));
        DeliveryFaults { drop: false, delay }
    }
}

#[cfg(test)]
mod tests {
    use super::super::profile::{ErrorFault, LatencyFault};
    use super::*;

    fn throttling(rate: f64, seed: u64) -> FaultProfile {
        FaultProfile {
            seed,
            throttle: Some(ErrorFault {
                rate,
                retry_after_seconds: 2,
            }),
            ..FaultProfile::default()
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_sequence_and_another_seed_another() {
        let a: Vec<_> = (0..64).map(|n| throttling(0.5, 7).request(n)).collect();
        let b: Vec<_> = (0..64).map(|n| throttling(0.5, 7).request(n)).collect();
        let c: Vec<_> = (0..64).map(|n| throttling(0.5, 8).request(n)).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let hits = a.iter().filter(|f| f.injected != Injected::None).count();
        assert!((16..=48).contains(&hits), "{hits} of 64 at rate 0.5");
    }

    #[test]
    fn rates_zero_and_one_are_never_and_always() {
        for n in 0..1000 {
            assert_eq!(
                throttling(1.0, n).request(n).injected,
                Injected::Throttle(2)
            );
            assert_eq!(throttling(0.0, n).request(n).injected, Injected::None);
        }
    }

    #[test]
    fn latencies_stay_within_their_range() {
        let p = FaultProfile {
            latency: Some(LatencyFault {
                rate: 1.0,
                min_ms: 200,
                max_ms: Some(210),
            }),
            ..FaultProfile::default()
        };
        let ms: Vec<u128> = (0..500)
            .map(|n| p.request(n).latency.unwrap().as_millis())
            .collect();
        assert!(ms.iter().all(|m| (200..=210).contains(m)));
        assert!(
            ms.contains(&200) && ms.contains(&210),
            "both ends are reached"
        );
    }
}
