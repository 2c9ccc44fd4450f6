//! The conditions on one primitive value that [`FilterGen`] writes at the end of a path:
//! comparisons with literals of every type, `in`, string and date functions.

use crate::filters::FilterGen;
use odata::schema::{EnumType, PropType};
use rand::seq::SliceRandom;
use rand::Rng;
use serde_json::Value;

/// Strings that are awkward for one backend or the other: case, non-ASCII, LIKE wildcards, quotes.
pub const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "%",
    "_",
    "\\",
    "a_b",
    "100%",
    "Ünïcödé",
    "ünïcödé",
    "ÜNÏCÖDÉ",
    "ß",
    "SS",
    "ss",
    "é",
    "O'Brien",
    "  padded  ",
    "[",
    "\"",
    "[\"",
    "Z",
    "a",
    "~",
    "-",
    "0",
    "1",
    "true",
];

impl FilterGen<'_> {
    /// A condition on the primitive value at `path` of type `ty`.
    pub fn leaf(&mut self, ty: &'static PropType, path: &str, pool: &str) -> String {
        if self.rng.gen_bool(0.08) {
            let op = ["eq", "ne"].choose(&mut self.rng).unwrap_or(&"eq");
            return format!("{path} {op} null");
        }
        let values = self.pool.values(pool).to_vec();
        match ty {
            PropType::String => self.string_leaf(path, &values),
            PropType::Enum(e) => self.enum_leaf(path, e, &values),
            PropType::DateTimeOffset => self.datetime_leaf(path, &values),
            PropType::Int32 | PropType::Int64 | PropType::Double => {
                self.number_leaf(path, ty, &values)
            }
            PropType::Boolean => self.bool_leaf(path),
            PropType::Guid => self.guid_leaf(path, &values),
            _ => format!("{path} eq null"),
        }
    }

    fn string_leaf(&mut self, path: &str, values: &[Value]) -> String {
        let v = self.string_value(values);
        match self.rng.gen_range(0..100) {
            0..=29 => {
                let op = self.op();
                self.maybe_mirror(path, op, &quote(&v))
            }
            30..=39 => {
                let n = self.rng.gen_range(1..=4);
                let items: Vec<String> =
                    (0..n).map(|_| quote(&self.string_value(values))).collect();
                format!("{path} in ({})", items.join(", "))
            }
            40..=61 => {
                let needle = self.substring(&v);
                let m = self.text_match(path, &needle);
                if self.rng.gen_bool(0.2) {
                    format!("not {m}")
                } else {
                    m
                }
            }
            62..=73 => {
                let (f, folded) = match self.rng.gen_range(0..3) {
                    0 => ("tolower", v.to_ascii_lowercase()),
                    1 => ("toupper", v.to_ascii_uppercase()),
                    _ => ("trim", v.trim_matches(' ').to_owned()),
                };
                let folded = if self.rng.gen_bool(0.2) {
                    v.clone()
                } else {
                    folded
                };
                match self.rng.gen_range(0..4) {
                    0 => {
                        let needle = self.substring(&folded);
                        self.text_match(&format!("{f}({path})"), &needle)
                    }
                    1 => format!("{f}({path}) {} {}", self.op(), quote(&folded)),
                    _ => format!("{f}({path}) eq {}", quote(&folded)),
                }
            }
            74..=83 => {
                let len = v.chars().count() as i64 + self.rng.gen_range(-1..=1);
                format!("length({path}) {} {len}", self.op())
            }
            _ => format!("{path} eq {}", quote(&v)),
        }
    }

    fn enum_leaf(&mut self, path: &str, e: &'static EnumType, values: &[Value]) -> String {
        let member = |g: &mut Self| -> String {
            match values.choose(&mut g.rng) {
                Some(Value::String(s)) if g.rng.gen_bool(0.7) => s.clone(),
                _ => e
                    .members
                    .choose(&mut g.rng)
                    .unwrap_or(&"unknown")
                    .to_string(),
            }
        };
        let m = member(self);
        match self.rng.gen_range(0..100) {
            0..=44 => {
                let op = *["eq", "ne"].choose(&mut self.rng).unwrap_or(&"eq");
                self.maybe_mirror(path, op, &quote(&m))
            }
            45..=69 => {
                let op = self.op();
                self.maybe_mirror(path, op, &quote(&m))
            }
            70..=84 => {
                let n = self.rng.gen_range(1..=3);
                let items: Vec<String> = (0..n).map(|_| quote(&member(self))).collect();
                format!("{path} in ({})", items.join(", "))
            }
            85..=92 => format!("{path} eq {}'{m}'", e.name),
            _ => format!("{path} eq {}", quote(&m.to_ascii_uppercase())),
        }
    }

    fn datetime_leaf(&mut self, path: &str, values: &[Value]) -> String {
        let v = match values.choose(&mut self.rng) {
            Some(Value::String(s)) if s.len() >= 20 && self.rng.gen_bool(0.8) => s.clone(),
            _ => (*[
                "2024-05-01T00:00:00Z",
                "2024-05-01T10:00:00.0000000Z",
                "2023-12-31T23:59:59.9999999Z",
                "2000-01-01T00:00:00Z",
                "2099-01-01T00:00:00Z",
            ]
            .choose(&mut self.rng)
            .unwrap_or(&"2024-05-01T00:00:00Z"))
            .to_owned(),
        };
        let r = self.rng.gen_range(0..100);
        if r < 30 {
            let (f, at, len) = *[
                ("year", 0, 4),
                ("month", 5, 2),
                ("day", 8, 2),
                ("hour", 11, 2),
                ("minute", 14, 2),
                ("second", 17, 2),
            ]
            .choose(&mut self.rng)
            .unwrap_or(&("year", 0, 4));
            let n: i64 = v
                .get(at..at + len)
                .and_then(|d| d.parse().ok())
                .unwrap_or(1);
            let n = n + self.rng.gen_range(-1..=1);
            return format!("{f}({path}) {} {n}", self.op());
        }
        let lit = match self.rng.gen_range(0..10) {
            // Whole seconds, a date, or the same instant written in another offset.
            0 => format!("{}Z", v.get(..19).unwrap_or(&v)),
            1 => v.get(..10).unwrap_or(&v).to_owned(),
            2 => shifted(&v),
            _ => v,
        };
        let op = self.op();
        self.maybe_mirror(path, op, &lit)
    }

    fn number_leaf(&mut self, path: &str, ty: &PropType, values: &[Value]) -> String {
        let n = match values.choose(&mut self.rng) {
            Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
            _ => f64::from(self.rng.gen_range(-5..5000)),
        };
        let lit = match self.rng.gen_range(0..10) {
            0 => format!("{}", n + 0.5),
            1 => format!("{}", (n - 1.0).round() as i64),
            2 => format!("{}", (n + 1.0).round() as i64),
            _ if matches!(ty, PropType::Double) => format!("{n}"),
            _ => format!("{}", n.round() as i64),
        };
        if self.rng.gen_bool(0.1) {
            return format!("{path} in ({lit}, {})", self.rng.gen_range(0..100));
        }
        let op = self.op();
        self.maybe_mirror(path, op, &lit)
    }

    fn bool_leaf(&mut self, path: &str) -> String {
        let forms = [
            path.to_owned(),
            format!("not {path}"),
            format!("{path} eq true"),
            format!("{path} eq false"),
            format!("{path} ne true"),
            format!("{path} ne false"),
            format!("true eq {path}"),
        ];
        forms.choose(&mut self.rng).cloned().unwrap_or_default()
    }

    fn guid_leaf(&mut self, path: &str, values: &[Value]) -> String {
        let g = match values.choose(&mut self.rng) {
            Some(Value::String(s)) if self.rng.gen_bool(0.8) => s.clone(),
            _ => "01234567-89ab-cdef-0123-456789abcdef".to_owned(),
        };
        let g = if self.rng.gen_bool(0.3) {
            g.to_ascii_uppercase()
        } else {
            g
        };
        match self.rng.gen_range(0..4) {
            0 => format!("{path} ne {g}"),
            1 => format!("{path} in ({g}, 00000000-0000-0000-0000-000000000000)"),
            _ => format!("{path} eq {g}"),
        }
    }

    /// `contains` / `startswith` / `endswith` of `hay` and `needle`.
    pub fn text_match(&mut self, hay: &str, needle: &str) -> String {
        let f = ["contains", "startswith", "endswith"]
            .choose(&mut self.rng)
            .unwrap_or(&"contains");
        format!("{f}({hay}, {})", quote(needle))
    }

    /// A string: mostly one the documents hold at this path (case changed at times), else an odd one.
    fn string_value(&mut self, values: &[Value]) -> String {
        let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        match strings.choose(&mut self.rng) {
            Some(s) if self.rng.gen_bool(0.8) => self.mutate_case(s),
            _ => ODD_STRINGS.choose(&mut self.rng).unwrap_or(&"").to_string(),
        }
    }

    pub fn mutate_case(&mut self, s: &str) -> String {
        match self.rng.gen_range(0..10) {
            0 => s.to_ascii_uppercase(),
            1 => s.to_ascii_lowercase(),
            2 => s.to_uppercase(),
            _ => s.to_owned(),
        }
    }

    /// A piece of `s` (whole characters), its case changed at times, or an odd string.
    pub fn substring(&mut self, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        if chars.is_empty() || self.rng.gen_bool(0.15) {
            return ODD_STRINGS.choose(&mut self.rng).unwrap_or(&"").to_string();
        }
        let start = self.rng.gen_range(0..chars.len());
        let end = self.rng.gen_range(start..=chars.len().min(start + 8));
        let piece: String = chars[start..end].iter().collect();
        self.mutate_case(&piece)
    }

    /// A comparison operator, `eq` and `ne` more often.
    pub fn op(&mut self) -> &'static str {
        ["eq", "eq", "ne", "gt", "ge", "lt", "le"]
            .choose(&mut self.rng)
            .unwrap_or(&"eq")
    }

    /// `path op lit`, or at times the mirrored `lit op' path`.
    pub fn maybe_mirror(&mut self, path: &str, op: &str, lit: &str) -> String {
        if self.rng.gen_bool(0.15) {
            let mirrored = match op {
                "gt" => "lt",
                "ge" => "le",
                "lt" => "gt",
                "le" => "ge",
                other => other,
            };
            format!("{lit} {mirrored} {path}")
        } else {
            format!("{path} {op} {lit}")
        }
    }
}

/// An OData string literal.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `2024-05-01T10:00:00.0000000Z` written as the same instant at `+02:30` (text manipulation on
/// the fixed-width form; hours past midnight wrap the day naively, which is fine for a literal).
fn shifted(v: &str) -> String {
    let parse = |r: std::ops::Range<usize>| v.get(r).and_then(|d| d.parse::<u32>().ok());
    match (
        parse(11..13),
        parse(14..16),
        v.get(..11),
        v.get(16..v.len() - 1),
    ) {
        (Some(h), Some(m), Some(date), Some(rest)) if h < 21 && m < 30 => {
            format!("{date}{:02}:{:02}{rest}+02:30", h + 2, m + 30)
        }
        _ => v.to_owned(),
    }
}
