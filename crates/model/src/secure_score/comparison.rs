//! `averageComparativeScores`: how a tenant compares with others on the same day, by basis.
//!
//! | basis | the tenants averaged |
//! |---|---|
//! | `AllTenants` | every tenant with a snapshot that day |
//! | `TotalSeats` | those whose licensed user count falls in the same [`SEAT_BUCKETS`] range |
//! | `IndustryTypes` | those configured with the same industry (compared without case) |
//!
//! A basis is reported only when at least [`MIN_TENANTS`] tenants (the tenant itself included)
//! share it, so an average never reveals a handful of tenants' scores. A tenant without a
//! licensed user count (or industry) gets no `TotalSeats` (or `IndustryTypes`) entry.

use super::score::AverageComparativeScore;
use super::scoring::round2;

/// The fewest tenants an average may be taken over.
pub const MIN_TENANTS: usize = 5;

/// The licensed-user ranges of the `TotalSeats` basis: inclusive lower bounds and upper bounds
/// (`None`: no upper bound).
pub const SEAT_BUCKETS: &[(i32, Option<i32>)] = &[
    (1, Some(100)),
    (101, Some(500)),
    (501, Some(1_000)),
    (1_001, Some(5_000)),
    (5_001, Some(10_000)),
    (10_001, None),
];

/// One tenant's score of the day, as the comparison sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Peer {
    /// The tenant.
    pub tenant: String,
    /// Its `currentScore`.
    pub current_score: f64,
    /// Its licensed user count, when configured.
    pub licensed_user_count: Option<i32>,
    /// Its industry, when configured.
    pub industry: Option<String>,
}

/// The index in [`SEAT_BUCKETS`] of a licensed user count (none below 1).
pub fn seat_bucket(users: i32) -> Option<usize> {
    SEAT_BUCKETS
        .iter()
        .position(|(low, high)| users >= *low && high.is_none_or(|h| users <= h))
}

/// The averages of `me` among `all` (which includes `me`), in basis order `AllTenants`,
/// `TotalSeats`, `IndustryTypes`, each only where at least [`MIN_TENANTS`] tenants share it.
pub fn averages(me: &Peer, all: &[Peer]) -> Vec<AverageComparativeScore> {
    let mut out = Vec::new();
    push_average(&mut out, "AllTenants", all.iter());
    if let Some(bucket) = me.licensed_user_count.and_then(seat_bucket) {
        let same = all
            .iter()
            .filter(|p| p.licensed_user_count.and_then(seat_bucket) == Some(bucket));
        push_average(&mut out, "TotalSeats", same);
    }
    if let Some(industry) = me
        .industry
        .as_deref()
        .map(normalise)
        .filter(|s| !s.is_empty())
    {
        let same = all
            .iter()
            .filter(|p| p.industry.as_deref().map(normalise).as_deref() == Some(&industry));
        push_average(&mut out, "IndustryTypes", same);
    }
    out
}

fn push_average<'a>(
    out: &mut Vec<AverageComparativeScore>,
    basis: &str,
    peers: impl Iterator<Item = &'a Peer>,
) {
    let scores: Vec<f64> = peers.map(|p| p.current_score).collect();
    if scores.len() >= MIN_TENANTS {
        #[allow(clippy::cast_precision_loss)] // tenant counts are far below 2^53
        let average = scores.iter().sum::<f64>() / scores.len() as f64;
        out.push(AverageComparativeScore {
            basis: basis.to_owned(),
            average_score: round2(average),
        });
    }
}

/// An industry name compared without case or surrounding spaces.
fn normalise(s: &str) -> String {
    s.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(i: usize, score: f64, seats: Option<i32>, industry: Option<&str>) -> Peer {
        Peer {
            tenant: format!("t{i}"),
            current_score: score,
            licensed_user_count: seats,
            industry: industry.map(str::to_owned),
        }
    }

    #[test]
    fn a_basis_needs_five_tenants() {
        let four: Vec<Peer> = (0..4)
            .map(|i| peer(i, 10.0, Some(50), Some("Retail")))
            .collect();
        assert!(averages(&four[0], &four).is_empty());
        let mut five = four.clone();
        five.push(peer(4, 20.0, Some(5000), Some(" retail ")));
        let a = averages(&five[0], &five);
        assert_eq!(
            a.iter()
                .map(|a| (a.basis.as_str(), a.average_score))
                .collect::<Vec<_>>(),
            [("AllTenants", 12.0), ("IndustryTypes", 12.0)]
        );
    }

    #[test]
    fn seats_compare_within_their_range() {
        let all: Vec<Peer> = [40, 60, 90, 100, 1, 101]
            .iter()
            .enumerate()
            .map(|(i, s)| peer(i, i as f64, Some(*s), None))
            .collect();
        let a = averages(&all[0], &all);
        assert_eq!(a[1].basis, "TotalSeats");
        assert_eq!(a[1].average_score, 2.0);
        assert!(averages(&all[5], &all)
            .iter()
            .all(|a| a.basis != "TotalSeats"));
        assert_eq!(seat_bucket(0), None);
        assert_eq!(seat_bucket(20_000), Some(5));
    }
}
