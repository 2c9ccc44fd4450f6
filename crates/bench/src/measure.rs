//! Small measurement helpers shared by the benchmark programs: a rate and a resident-set reading.

use std::time::Duration;

/// Items per second.
pub fn rate(items: usize, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 {
        items as f64 / secs
    } else {
        0.0
    }
}

/// Microseconds per item.
pub fn micros_per_item(items: usize, elapsed: Duration) -> f64 {
    if items == 0 {
        return 0.0;
    }
    elapsed.as_secs_f64() * 1e6 / items as f64
}

/// This process's `VmHWM` (peak resident set) in MiB, from `/proc/self/status` (Linux; `None`
/// elsewhere).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU time this process has used so far (user + system), from `/proc/self/stat` (Linux; `None`
/// elsewhere). Clock ticks are 1/100 s on Linux.
pub fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Bytes this process has caused to be written to storage so far (`write_bytes` of
/// `/proc/self/io`; Linux only).
pub fn storage_bytes_written() -> Option<u64> {
    let io = std::fs::read_to_string("/proc/self/io").ok()?;
    let line = io.lines().find(|l| l.starts_with("write_bytes:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_divide_by_seconds() {
        assert_eq!(rate(10, Duration::from_secs(2)), 5.0);
        assert_eq!(rate(10, Duration::ZERO), 0.0);
        assert_eq!(micros_per_item(4, Duration::from_millis(2)), 500.0);
        assert_eq!(micros_per_item(0, Duration::from_millis(2)), 0.0);
    }
}
