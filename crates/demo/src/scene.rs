//! The context one alert is built in: its random stream, its timeline and the tenant.

use crate::dice::Dice;
use crate::timeline::Timeline;
use time::OffsetDateTime;

/// What every builder of one alert shares.
pub(crate) struct Scene<'a> {
    pub dice: Dice,
    pub time: Timeline,
    pub tenant: &'a str,
    /// `createdDateTime` in Graph's wire form (every evidence item repeats it).
    pub created: String,
}

impl<'a> Scene<'a> {
    /// The scene of alert `index`.
    pub(crate) fn new(seed: u64, index: u64, anchor: OffsetDateTime, tenant: &'a str) -> Self {
        let mut dice = Dice::for_alert(seed, index);
        let time = Timeline::draw(&mut dice, anchor);
        Scene {
            created: stamp(time.created),
            dice,
            time,
            tenant,
        }
    }

    /// The Defender portal link of an alert.
    pub(crate) fn portal_url(&self, alert_id: &str) -> String {
        format!(
            "https://security.microsoft.com/alerts/{alert_id}?tid={}",
            self.tenant
        )
    }
}

/// An instant in Graph's wire form (UTC, seven fractional digits).
pub(crate) fn stamp(t: OffsetDateTime) -> String {
    model::datetime::format(t)
}
