//! Measures how fast the demo generator runs on one core.
//!
//! `cargo run -p demo --example gen_speed -- [count] [--json]` generates `count` alerts
//! (default 1,000,000) and reports alerts per second; with `--json` each alert is also
//! serialised, as a store would.

use std::time::Instant;
use time::macros::datetime;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let json = args.iter().any(|a| a == "--json");
    let mut cfg =
        demo::DemoConfig::new(demo::DEMO_TENANT_ID.into(), datetime!(2025-06-01 0:00 UTC));
    cfg.count = count;
    let started = Instant::now();
    let (mut generated, mut bytes) = (0usize, 0usize);
    for alert in demo::generate(&cfg) {
        if json {
            bytes += serde_json::to_vec(&alert).map_or(0, |v| v.len());
        } else {
            std::hint::black_box(&alert);
        }
        generated += 1;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{generated} alerts in {secs:.2} s: {:.0} alerts/s, {:.1} µs/alert{}",
        generated as f64 / secs,
        secs * 1e6 / generated.max(1) as f64,
        if json {
            format!(", {} bytes of JSON per alert", bytes / generated.max(1))
        } else {
            String::new()
        },
    );
}
