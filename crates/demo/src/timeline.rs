//! When an alert's activity happened and when it was raised, relative to the anchor.
//!
//! Invariant: `anchor - 30 days <= first_activity <= last_activity <= created < anchor`. Later
//! instants (updates, resolution, comments) are drawn by [`Timeline::after_created`], which never
//! passes the anchor.

use crate::dice::Dice;
use time::{Duration, OffsetDateTime};

/// The length of the window before the anchor that alerts are spread over.
pub const WINDOW: Duration = Duration::days(30);

/// Ticks (100 ns, Graph's 7-digit precision) in one second.
const TICKS_PER_SECOND: i64 = 10_000_000;

/// .NET ticks between 0001-01-01 and the Unix epoch (Defender ids embed .NET ticks).
const DOTNET_EPOCH_TICKS: i128 = 621_355_968_000_000_000;

/// The key instants of one alert.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeline {
    pub anchor: OffsetDateTime,
    pub first_activity: OffsetDateTime,
    pub last_activity: OffsetDateTime,
    pub created: OffsetDateTime,
}

impl Timeline {
    /// Draws an activity span (up to six hours) and a detection delay (up to 40 minutes), all
    /// inside the window before `anchor`.
    pub(crate) fn draw(dice: &mut Dice, anchor: OffsetDateTime) -> Self {
        let window = ticks(WINDOW);
        let start = anchor - WINDOW;
        let first = start + from_ticks(millis(dice.between(0, window - TICKS_PER_SECOND)));
        let room = ticks(anchor - first) - 1;
        let span = dice.between(0, (6 * 3600 * TICKS_PER_SECOND).min(room / 2));
        let last = first + from_ticks(millis(span));
        let room = ticks(anchor - last) - 1;
        let delay = dice.between(TICKS_PER_SECOND, (40 * 60 * TICKS_PER_SECOND).min(room));
        let created = last + from_ticks(delay.min(room.max(0)));
        Timeline {
            anchor,
            first_activity: first,
            last_activity: last,
            created,
        }
    }

    /// An instant between `created` and at most `max` later, never past the anchor.
    pub(crate) fn after_created(&self, dice: &mut Dice, max: Duration) -> OffsetDateTime {
        self.after(dice, self.created, max)
    }

    /// An instant between `from` and at most `max` later, never past the anchor.
    pub(crate) fn after(
        &self,
        dice: &mut Dice,
        from: OffsetDateTime,
        max: Duration,
    ) -> OffsetDateTime {
        let room = ticks(self.anchor - from).min(ticks(max)).max(0);
        from + from_ticks(dice.between(0, room))
    }

    /// An instant up to `max` before `until` (may precede the window: process parents, mails).
    pub(crate) fn before(
        &self,
        dice: &mut Dice,
        until: OffsetDateTime,
        max: Duration,
    ) -> OffsetDateTime {
        until - from_ticks(millis(dice.between(0, ticks(max))))
    }

    /// How far into the window the alert was raised, 0.0 (oldest) to 1.0 (newest).
    pub(crate) fn recency(&self) -> f64 {
        let age = ticks(self.anchor - self.created) as f64;
        1.0 - (age / ticks(WINDOW) as f64).clamp(0.0, 1.0)
    }
}

/// `t` as .NET ticks (`637551227677560813` in `da637551227677560813_-961444813`).
pub(crate) fn dotnet_ticks(t: OffsetDateTime) -> i128 {
    t.unix_timestamp_nanos() / 100 + DOTNET_EPOCH_TICKS
}

/// A duration in 100 ns ticks.
fn ticks(d: Duration) -> i64 {
    (d.whole_nanoseconds() / 100) as i64
}

fn from_ticks(t: i64) -> Duration {
    Duration::nanoseconds(t.saturating_mul(100))
}

/// Rounds ticks down to whole milliseconds (activity times carry 3 digits, as Defender's do).
fn millis(t: i64) -> i64 {
    t - t % 10_000
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn instants_are_ordered_and_inside_the_window() {
        let anchor = datetime!(2025-03-01 00:00 UTC);
        for i in 0..2000 {
            let mut dice = Dice::for_alert(1, i);
            let t = Timeline::draw(&mut dice, anchor);
            assert!(anchor - WINDOW <= t.first_activity);
            assert!(t.first_activity <= t.last_activity);
            assert!(t.last_activity <= t.created);
            assert!(t.created < anchor);
            let later = t.after_created(&mut dice, Duration::days(3));
            assert!(t.created <= later && later <= anchor);
        }
    }

    #[test]
    fn dotnet_ticks_match_a_real_defender_id() {
        // da637551227677560813 was raised 2021-04-27 (the Graph docs example).
        let t = datetime!(2021-04-27 12:19:27.7560813 UTC);
        assert_eq!(dotnet_ticks(t), 637_551_227_677_560_813);
    }
}
