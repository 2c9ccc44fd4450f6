//! `Retry-After` (RFC 9110 §10.2.3): when a server that answered `429` or `503` wants to be asked
//! again. Both forms are read: delta-seconds (`120`) and an HTTP-date in any of its three
//! spellings (IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, obsolete RFC 850
//! `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`), as recipients must.
//! No cap is applied here; a caller with a longest acceptable wait applies its own.

use http::header::RETRY_AFTER;
use http::HeaderMap;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// When to try again, from the `Retry-After` header in `headers`, relative to `now`; `None` when
/// the header is absent, unreadable or out of range. A date in the past gives `now`.
pub fn retry_after(headers: &HeaderMap, now: OffsetDateTime) -> Option<OffsetDateTime> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: i64 = value.parse().ok()?;
        return now.checked_add(time::Duration::seconds(seconds));
    }
    http_date(value, now).map(|at| at.max(now))
}

/// An HTTP-date in any of its three spellings; `now` decides the century of a two-digit RFC 850
/// year (the most recent past year with those digits when it would be over 50 years ahead).
pub fn http_date(s: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
    let tokens: Vec<&str> = s.split([' ', ',']).filter(|t| !t.is_empty()).collect();
    let (weekday, year, month, day, clock) = match tokens.as_slice() {
        [wd, day, mon, year, clock, "GMT"] => (*wd, year4(year)?, *mon, *day, *clock),
        [wd, dmy, clock, "GMT"] => {
            let mut parts = dmy.split('-');
            let (day, mon, yy) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() {
                return None;
            }
            (*wd, year2(yy, now)?, mon, day, *clock)
        }
        [wd, mon, day, clock, year] => (*wd, year4(year)?, *mon, *day, *clock),
        _ => return None,
    };
    if weekday.is_empty() || !weekday.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let date = Date::from_calendar_date(year, month_of(month)?, number(day, 1, 2)?).ok()?;
    Some(PrimitiveDateTime::new(date, time_of(clock)?).assume_utc())
}

fn year4(s: &str) -> Option<i32> {
    number::<u16>(s, 4, 4).map(i32::from)
}

fn year2(s: &str, now: OffsetDateTime) -> Option<i32> {
    let yy = i32::from(number::<u8>(s, 2, 2)?);
    let century = now.year() - now.year().rem_euclid(100);
    let year = century + yy;
    Some(if year > now.year() + 50 {
        year - 100
    } else {
        year
    })
}

/// Decimal digits only, `min..=max` of them.
fn number<T: std::str::FromStr>(s: &str, min: usize, max: usize) -> Option<T> {
    let ok = (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if ok {
        s.parse().ok()
    } else {
        None
    }
}

fn month_of(s: &str) -> Option<Month> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let i = NAMES.iter().position(|m| m.eq_ignore_ascii_case(s))?;
    Month::try_from(u8::try_from(i + 1).ok()?).ok()
}

fn time_of(s: &str) -> Option<Time> {
    let mut parts = s.split(':');
    let h = number(parts.next()?, 2, 2)?;
    let m = number(parts.next()?, 2, 2)?;
    let sec = number(parts.next()?, 2, 2)?;
    if parts.next().is_some() {
        return None;
    }
    Time::from_hms(h, m, sec).ok()
}
