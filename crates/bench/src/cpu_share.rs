//! Who used the CPU during a measurement, from `/proc` (Linux): the server under test, the load
//! generator itself, and everything else on the machine — so that a figure taken on a shared
//! machine says how shared it was.

use std::time::{Duration, Instant};

/// Clock ticks per second of `/proc` CPU times (`USER_HZ`, 100 on Linux).
const TICKS_PER_SECOND: u64 = 100;

/// CPU counters read at one moment.
#[derive(Debug, Clone, Copy)]
pub struct CpuSample {
    at: Instant,
    server: Option<u64>,
    me: Option<u64>,
    machine: Option<u64>,
}

/// CPU used between two samples, in cores (CPU seconds per wall second).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CpuShare {
    /// Wall time between the samples.
    pub wall: Duration,
    /// The server's CPU time, when its pid was given.
    pub server: Option<Duration>,
    /// This process's CPU time.
    pub me: Option<Duration>,
    /// Busy time of the whole machine (every process, kernel included).
    pub machine: Option<Duration>,
}

impl CpuSample {
    /// Reads the counters of process `server` (if given), of this process and of the machine.
    /// A server pid whose `/proc` entry cannot be read is an error naming it.
    pub fn now(server: Option<u32>) -> Result<CpuSample, String> {
        let server = match server {
            Some(pid) => Some(process_ticks(&format!("/proc/{pid}/stat")).ok_or(format!(
                "cannot read the CPU time of process {pid} from /proc/{pid}/stat: is the server pid right?"
            ))?),
            None => None,
        };
        Ok(CpuSample {
            at: Instant::now(),
            server,
            me: process_ticks("/proc/self/stat"),
            machine: std::fs::read_to_string("/proc/stat")
                .ok()
                .and_then(|s| machine_busy_ticks(&s)),
        })
    }

    /// What was used from `self` to `later`.
    pub fn until(&self, later: &CpuSample) -> CpuShare {
        let delta =
            |a: Option<u64>, b: Option<u64>| a.zip(b).map(|(a, b)| ticks(b.saturating_sub(a)));
        CpuShare {
            wall: later.at.duration_since(self.at),
            server: delta(self.server, later.server),
            me: delta(self.me, later.me),
            machine: delta(self.machine, later.machine),
        }
    }
}

impl CpuShare {
    /// Cores used on average by the machine minus the server and this process: other work.
    pub fn others_cores(&self) -> Option<f64> {
        let rest = self
            .machine?
            .saturating_sub(self.server.unwrap_or_default())
            .saturating_sub(self.me.unwrap_or_default());
        Some(cores(rest, self.wall))
    }

    /// One line: CPU per item of the server and of this process, and the cores each used.
    pub fn line(&self, items: usize, item: &str) -> String {
        let per = |d: Option<Duration>| match d {
            Some(d) if items > 0 => format!(
                "{:.1} µs per {item} ({:.2} cores)",
                d.as_secs_f64() * 1e6 / items as f64,
                cores(d, self.wall)
            ),
            _ => "unknown".to_owned(),
        };
        let others = self
            .others_cores()
            .map_or("unknown".to_owned(), |c| format!("{c:.2} cores"));
        format!(
            "CPU: server {}; load generator {}; other processes {others}",
            per(self.server),
            per(self.me)
        )
    }
}

fn ticks(n: u64) -> Duration {
    Duration::from_millis(n * 1000 / TICKS_PER_SECOND)
}

fn cores(used: Duration, wall: Duration) -> f64 {
    match wall.as_secs_f64() {
        w if w > 0.0 => used.as_secs_f64() / w,
        _ => 0.0,
    }
}

/// utime + stime of a `/proc/PID/stat` file, in ticks.
fn process_ticks(path: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(path).ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

/// Busy ticks of all CPUs from the `cpu` line of `/proc/stat`: everything but idle and iowait
/// (guest time is already counted in user).
fn machine_busy_ticks(stat: &str) -> Option<u64> {
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    let field = |i: usize| v.get(i).copied().unwrap_or(0);
    // user nice system idle iowait irq softirq steal
    Some(field(0) + field(1) + field(2) + field(5) + field(6) + field(7))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn machine_busy_time_leaves_out_idle_and_iowait() {
        let stat = "cpu  100 5 50 9000 40 3 2 1 0 0\ncpu0 50 2 25 4500 20 1 1 0 0 0\n";
        assert_eq!(machine_busy_ticks(stat), Some(161));
        assert_eq!(machine_busy_ticks("intr 1 2 3\n"), None);
    }

    #[test]
    fn others_are_the_machine_minus_server_and_generator() {
        let share = CpuShare {
            wall: Duration::from_secs(2),
            server: Some(Duration::from_secs(2)),
            me: Some(Duration::from_millis(200)),
            machine: Some(Duration::from_millis(3_000)),
        };
        assert!((share.others_cores().unwrap() - 0.4).abs() < 1e-9);
        assert!(share
            .line(1_000, "event")
            .contains("2000.0 µs per event (1.00 cores)"));
        let a = CpuSample::now(None).unwrap();
        assert!(a.until(&CpuSample::now(None).unwrap()).server.is_none());
        assert!(CpuSample::now(Some(u32::MAX))
            .unwrap_err()
            .contains("server pid"));
    }
}
