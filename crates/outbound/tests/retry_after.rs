//! `Retry-After`: delta-seconds and the three HTTP-date spellings, relative to a given `now`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use http::header::RETRY_AFTER;
use http::{HeaderMap, HeaderValue};
use outbound::retry_after;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2025-03-01 10:00:00 UTC);

fn with(value: &'static str) -> Option<OffsetDateTime> {
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
    retry_after(&headers, NOW)
}

#[test]
fn delta_seconds_count_from_now() {
    assert_eq!(with("7"), Some(NOW + Duration::seconds(7)));
    assert_eq!(with("0"), Some(NOW));
    assert_eq!(with("86400"), Some(NOW + Duration::days(1)));
}

#[test]
fn http_dates_in_all_three_spellings() {
    let at = datetime!(2025-03-01 10:05:30 UTC);
    assert_eq!(with("Sat, 01 Mar 2025 10:05:30 GMT"), Some(at));
    assert_eq!(with("Saturday, 01-Mar-25 10:05:30 GMT"), Some(at));
    assert_eq!(with("Sat Mar  1 10:05:30 2025"), Some(at));
}

#[test]
fn a_date_in_the_past_means_now() {
    assert_eq!(with("Sun, 06 Nov 1994 08:49:37 GMT"), Some(NOW));
}

#[test]
fn unreadable_values_give_none() {
    for bad in [
        "",
        "soon",
        "-5",
        "7.5",
        "99999999999999999999999",
        "Sat, 01 Mar 2025 10:05:30 CET",
        "Sat, 31 Feb 2025 10:05:30 GMT",
        "Sat, 01 Mar 2025 25:05:30 GMT",
        "Sat, 01 Foo 2025 10:05:30 GMT",
    ] {
        assert_eq!(with(bad), None, "{bad:?}");
    }
    assert_eq!(retry_after(&HeaderMap::new(), NOW), None);
}
