//! The one source of "now" for the store: every timestamp the store writes (change records, outbox
//! availability and leases, `lastUpdateDateTime` bumps) is read from an `Arc<dyn Clock>`, so tests and
//! the demo can drive time by hand.

use parking_lot::Mutex;
use std::fmt::Debug;
use std::time::Duration;
use time::OffsetDateTime;

/// A source of the current time.
pub trait Clock: Send + Sync + Debug {
    /// The current instant (UTC).
    fn now(&self) -> OffsetDateTime;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A clock that only moves when told to (tests, demo scenarios).
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<OffsetDateTime>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: OffsetDateTime) -> Self {
        ManualClock {
            now: Mutex::new(start),
        }
    }

    /// Moves the clock to `t` (which may be in the past).
    pub fn set(&self, t: OffsetDateTime) {
        *self.now.lock() = t;
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock();
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.now.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = ManualClock::new(datetime!(2024-01-01 0:00 UTC));
        assert_eq!(c.now(), datetime!(2024-01-01 0:00 UTC));
        c.advance(Duration::from_secs(90));
        assert_eq!(c.now(), datetime!(2024-01-01 0:01:30 UTC));
        c.set(datetime!(2023-06-01 0:00 UTC));
        assert_eq!(c.now(), datetime!(2023-06-01 0:00 UTC));
    }
}
