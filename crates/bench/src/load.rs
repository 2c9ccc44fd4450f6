//! A small HTTP load driver for the benchmark programs: a fixed number of connections, each
//! sending prepared bodies one request at a time (closed loop), every answer checked by the
//! caller, latencies recorded per request.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// When a load run stops.
#[derive(Debug, Clone, Copy)]
pub enum Stop {
    /// After this many requests (request `i` sends body `i % bodies`).
    Requests(usize),
    /// When this much time has passed (no request starts after it).
    After(Duration),
}

/// Checks one answer (request index, status, body); returns what it counted, or why the run
/// must stop.
pub type Check<T> = Arc<dyn Fn(usize, u16, &[u8]) -> Result<T, String> + Send + Sync>;

/// What a load run measured.
#[derive(Debug)]
pub struct Outcome<T> {
    /// Wall time from the first request to the last answer.
    pub elapsed: Duration,
    /// Each request's latency (send to the end of the answer's body), in completion order per
    /// connection.
    pub latencies: Vec<Duration>,
    /// What the check returned for each answer.
    pub counted: Vec<T>,
}

/// The request every connection sends.
#[derive(Clone)]
pub struct Target {
    /// The HTTP client (one pool; it opens one connection per concurrent request).
    pub client: reqwest::Client,
    /// The URL to `POST` to.
    pub url: String,
    /// The `Content-Type` of the bodies.
    pub content_type: &'static str,
}

/// Sends `bodies` to `target` over `connections` concurrent connections until `stop`.
pub async fn run<T: Send + 'static>(
    target: &Target,
    bodies: Arc<Vec<bytes::Bytes>>,
    connections: usize,
    stop: Stop,
    check: Check<T>,
) -> Result<Outcome<T>, String> {
    if bodies.is_empty() {
        return Err("nothing to send: no request bodies".into());
    }
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections.max(1) {
        let (target, bodies, next, check) =
            (target.clone(), bodies.clone(), next.clone(), check.clone());
        tasks.push(tokio::spawn(async move {
            connection(target, bodies, next, stop, started, check).await
        }));
    }
    let mut outcome = Outcome {
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
        counted: Vec::new(),
    };
    for task in tasks {
        let (latencies, counted) = task.await.map_err(|e| e.to_string())??;
        outcome.latencies.extend(latencies);
        outcome.counted.extend(counted);
    }
    outcome.elapsed = started.elapsed();
    Ok(outcome)
}

/// What one connection measured: latencies and counts.
type Measured<T> = (Vec<Duration>, Vec<T>);

/// One connection's loop.
async fn connection<T>(
    target: Target,
    bodies: Arc<Vec<bytes::Bytes>>,
    next: Arc<AtomicUsize>,
    stop: Stop,
    started: Instant,
    check: Check<T>,
) -> Result<Measured<T>, String> {
    let mut latencies = Vec::new();
    let mut counted = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let done = match stop {
            Stop::Requests(n) => i >= n,
            Stop::After(d) => started.elapsed() >= d,
        };
        if done {
            return Ok((latencies, counted));
        }
        let body = bodies[i % bodies.len()].clone();
        let sent = Instant::now();
        let reply = target
            .client
            .post(&target.url)
            .header("content-type", target.content_type)
            .body(body)
            .send()
            .await
            .map_err(|e| format!("POST {} failed: {e}", target.url))?;
        let status = reply.status().as_u16();
        let bytes = reply
            .bytes()
            .await
            .map_err(|e| format!("reading the answer of POST {} failed: {e}", target.url))?;
        latencies.push(sent.elapsed());
        counted.push(check(i, status, &bytes)?);
    }
}

/// The `p`-th percentile (0–100) of `latencies` (nearest rank), in milliseconds; 0 when empty.
pub fn percentile_ms(latencies: &mut [Duration], p: f64) -> f64 {
    if latencies.is_empty() {
        return 0.0;
    }
    latencies.sort_unstable();
    let rank = ((p / 100.0) * latencies.len() as f64).ceil() as usize;
    let i = rank.clamp(1, latencies.len()) - 1;
    latencies[i].as_secs_f64() * 1e3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let mut l: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        assert_eq!(percentile_ms(&mut l, 50.0), 50.0);
        assert_eq!(percentile_ms(&mut l, 99.0), 99.0);
        assert_eq!(percentile_ms(&mut l, 100.0), 100.0);
        assert_eq!(percentile_ms(&mut [], 99.0), 0.0);
        assert_eq!(percentile_ms(&mut [Duration::from_millis(3)], 1.0), 3.0);
    }
}
