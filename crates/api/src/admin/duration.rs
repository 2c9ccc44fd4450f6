//! Reading the `by` of `POST …/clock/advance`: an ISO 8601 duration (`PT1H`, `P1DT12H`, `P2W`,
//! `PT0.5S`) or a number of seconds (a JSON number, or a string of one).
//!
//! Grammar (case-insensitive designators): `P` ( `n W` | [`n D`] [`T` [`n H`] [`n M`] [`n S`]] ),
//! where `n` is digits and only the last component may have a fraction. Years and months have no
//! fixed length, so `Y` and a date-part `M` are refused with a message saying so.

use serde_json::Value;
use time::Duration;

/// Reads `by`: a JSON number of seconds, a string of one, or an ISO 8601 duration. The error
/// says what to send instead.
pub fn parse_by(by: &Value) -> Result<Duration, String> {
    match by {
        Value::Number(n) => seconds(n.as_f64().unwrap_or(f64::NAN), &n.to_string()),
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(secs) => seconds(secs, s),
            Err(_) => iso8601(s.trim()),
        },
        _ => {
            Err("'by' must be an ISO 8601 duration such as \"PT1H\" or a number of seconds".into())
        }
    }
}

fn seconds(secs: f64, text: &str) -> Result<Duration, String> {
    if !secs.is_finite() || secs.abs() > 1e10 {
        return Err(format!(
            "'{text}' is not a number of seconds the clock can move by"
        ));
    }
    Ok(Duration::seconds_f64(secs))
}

/// `P…` (see the module docs).
fn iso8601(text: &str) -> Result<Duration, String> {
    let bad = |why: &str| {
        format!("'{text}' is not an ISO 8601 duration such as PT1H, P1DT12H or PT90S: {why}")
    };
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let rest = rest
        .strip_prefix(['P', 'p'])
        .ok_or_else(|| bad("it must start with P"))?;
    if rest.is_empty() || rest.eq_ignore_ascii_case("T") {
        return Err(bad("it names no amount"));
    }
    let mut total = Duration::ZERO;
    let (mut in_time, mut number, mut last) = (false, String::new(), false);
    for c in rest.chars() {
        if last {
            return Err(bad("only the last amount may have a fraction"));
        }
        match c.to_ascii_uppercase() {
            'T' if !in_time && number.is_empty() => in_time = true,
            '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
            unit => {
                let amount: f64 = number
                    .parse()
                    .map_err(|_| bad(&format!("the amount before '{c}' is not a number")))?;
                last = number.contains('.');
                number.clear();
                let unit_seconds = match (in_time, unit) {
                    (false, 'W') => 604_800.0,
                    (false, 'D') => 86_400.0,
                    (true, 'H') => 3_600.0,
                    (true, 'M') => 60.0,
                    (true, 'S') => 1.0,
                    (false, 'Y' | 'M') => {
                        return Err(bad(
                            "years and months have no fixed length; use days (P30D)",
                        ))
                    }
                    _ => return Err(bad(&format!("'{c}' is not a designator here"))),
                };
                total += seconds(amount * unit_seconds, text)?;
            }
        }
    }
    if !number.is_empty() {
        return Err(bad("the last amount has no designator (H, M, S, D or W)"));
    }
    Ok(if negative { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_and_seconds_are_read() {
        let ok = |v: Value| parse_by(&v).unwrap();
        assert_eq!(ok(json!("PT1H")), Duration::hours(1));
        assert_eq!(ok(json!("P1DT12H30M")), Duration::minutes(36 * 60 + 30));
        assert_eq!(ok(json!("P2W")), Duration::days(14));
        assert_eq!(ok(json!("PT0.5S")), Duration::milliseconds(500));
        assert_eq!(ok(json!(3600)), Duration::hours(1));
        assert_eq!(ok(json!("90")), Duration::seconds(90));
        assert_eq!(ok(json!("-PT1M")), -Duration::minutes(1));
    }

    #[test]
    fn bad_durations_say_what_to_send() {
        for (bad, says) in [
            (json!("1H"), "must start with P"),
            (json!("P1Y"), "no fixed length"),
            (json!("P1M"), "no fixed length"),
            (json!("PT"), "names no amount"),
            (json!("PT1"), "no designator"),
            (json!("PT1.5H30M"), "only the last amount"),
            (json!("PT1X"), "not a designator"),
            (json!(true), "ISO 8601 duration"),
        ] {
            let e = parse_by(&bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
