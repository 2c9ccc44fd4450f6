//! The query string: splitting it into OData system query options (decoded with form rules) and
//! other parameters, and encoding values back for `@odata.nextLink`.
//!
//! Names and values are decoded like `application/x-www-form-urlencoded`: `+` is a space, `%XX` is a
//! byte, the result must be UTF-8. The `$` prefix of system options is optional and their names are
//! case-insensitive (`filter=`, `%24filter=` and `$Filter=` are one option).

use crate::error::{ErrorKind, ODataError};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::borrow::Cow;

/// The options of one request, decoded but not yet parsed (except the numeric and Boolean ones).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryOptions {
    /// `$filter`.
    pub filter: Option<String>,
    /// `$orderby`.
    pub orderby: Option<String>,
    /// `$select`.
    pub select: Option<String>,
    /// `$expand`.
    pub expand: Option<String>,
    /// `$top`.
    pub top: Option<u64>,
    /// `$skip`.
    pub skip: Option<u64>,
    /// `$count=true`.
    pub count: bool,
    /// `$skiptoken` (opaque; written by the server into nextLinks).
    pub skiptoken: Option<String>,
    /// `$format`, left to the caller (Graph serves JSON only).
    pub format: Option<String>,
    /// `$levels`, left to the caller.
    pub levels: Option<String>,
    /// `$deltatoken`, left to the caller.
    pub deltatoken: Option<String>,
    /// Parameters without a `$` that are not system options, in order, decoded.
    pub other: Vec<(String, String)>,
}

/// The system query options OData defines, with their canonical names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SystemOption {
    Filter,
    OrderBy,
    Select,
    Expand,
    Top,
    Skip,
    Count,
    SkipToken,
    Search,
    Format,
    Apply,
    Compute,
    Levels,
    DeltaToken,
}

impl SystemOption {
    const ALL: [SystemOption; 14] = [
        SystemOption::Filter,
        SystemOption::OrderBy,
        SystemOption::Select,
        SystemOption::Expand,
        SystemOption::Top,
        SystemOption::Skip,
        SystemOption::Count,
        SystemOption::SkipToken,
        SystemOption::Search,
        SystemOption::Format,
        SystemOption::Apply,
        SystemOption::Compute,
        SystemOption::Levels,
        SystemOption::DeltaToken,
    ];

    fn name(self) -> &'static str {
        match self {
            SystemOption::Filter => "$filter",
            SystemOption::OrderBy => "$orderby",
            SystemOption::Select => "$select",
            SystemOption::Expand => "$expand",
            SystemOption::Top => "$top",
            SystemOption::Skip => "$skip",
            SystemOption::Count => "$count",
            SystemOption::SkipToken => "$skiptoken",
            SystemOption::Search => "$search",
            SystemOption::Format => "$format",
            SystemOption::Apply => "$apply",
            SystemOption::Compute => "$compute",
            SystemOption::Levels => "$levels",
            SystemOption::DeltaToken => "$deltatoken",
        }
    }

    /// The option a decoded parameter name denotes, with or without `$`, in any case.
    fn from_name(name: &str) -> Option<SystemOption> {
        let bare = name.strip_prefix('$').unwrap_or(name);
        SystemOption::ALL
            .into_iter()
            .find(|o| o.name()[1..].eq_ignore_ascii_case(bare))
    }
}

/// Decodes one name or value with form rules.
fn form_decode<'r>(raw: &'r str, option: &'static str) -> Result<Cow<'r, str>, ODataError> {
    let spaced: Cow<'r, str> = if raw.contains('+') {
        Cow::Owned(raw.replace('+', " "))
    } else {
        Cow::Borrowed(raw)
    };
    if !spaced.contains('%') {
        return Ok(spaced);
    }
    match percent_decode_str(&spaced).decode_utf8() {
        Ok(decoded) => Ok(Cow::Owned(decoded.into_owned())),
        Err(_) => {
            let msg = "the value is not valid UTF-8 after percent-decoding; encode text as UTF-8 \
                       (e.g. 'é' as %C3%A9)";
            Err(ODataError::new(option, ErrorKind::InvalidValue, msg))
        }
    }
}

/// Splits and decodes a raw query string (the part after `?`; a leading `?` is ignored).
///
/// Unknown `$` options are an [`ErrorKind::UnknownOption`] error, as is a system option given twice;
/// `$search`, `$apply` and `$compute` are [`ErrorKind::NotSupported`]. Other parameters are kept in
/// [`QueryOptions::other`].
pub fn parse_query_string(raw: &str) -> Result<QueryOptions, ODataError> {
    let raw = raw.strip_prefix('?').unwrap_or(raw);
    let mut out = QueryOptions::default();
    let mut seen = [false; SystemOption::ALL.len()];
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = form_decode(raw_name, "query option")?;
        let Some(opt) = SystemOption::from_name(&name) else {
            if name.starts_with('$') {
                return Err(unknown_option(&name));
            }
            let value = form_decode(raw_value, "query option")?;
            out.other.push((name.into_owned(), value.into_owned()));
            continue;
        };
        let index = opt as usize;
        if std::mem::replace(&mut seen[index], true) {
            let msg = format!(
                "{} is given more than once; give each system query option once{}",
                opt.name(),
                if opt == SystemOption::Filter {
                    " (join conditions with 'and')"
                } else {
                    ""
                }
            );
            return Err(ODataError::new(opt.name(), ErrorKind::UnknownOption, msg));
        }
        let value = form_decode(raw_value, opt.name())?.into_owned();
        set(&mut out, opt, value)?;
    }
    Ok(out)
}

fn unknown_option(name: &str) -> ODataError {
    let known: Vec<&str> = SystemOption::ALL.iter().map(|o| o.name()).collect();
    let msg = format!(
        "'{name}' is not an OData system query option; the options are {}",
        known.join(", ")
    );
    ODataError::new("query option", ErrorKind::UnknownOption, msg)
}

fn set(out: &mut QueryOptions, opt: SystemOption, value: String) -> Result<(), ODataError> {
    match opt {
        SystemOption::Filter => out.filter = Some(value),
        SystemOption::OrderBy => out.orderby = Some(value),
        SystemOption::Select => out.select = Some(value),
        SystemOption::Expand => out.expand = Some(value),
        SystemOption::Top => out.top = Some(non_negative(opt, &value)?),
        SystemOption::Skip => out.skip = Some(non_negative(opt, &value)?),
        SystemOption::Count => out.count = boolean(opt, &value)?,
        SystemOption::SkipToken => out.skiptoken = Some(value),
        SystemOption::Format => out.format = Some(value),
        SystemOption::Levels => out.levels = Some(value),
        SystemOption::DeltaToken => out.deltatoken = Some(value),
        SystemOption::Search => {
            let msg =
                "$search is not supported by this service; filter with $filter instead, e.g. \
                       $filter=contains(description, 'word')";
            return Err(ODataError::new(opt.name(), ErrorKind::NotSupported, msg));
        }
        SystemOption::Apply | SystemOption::Compute => {
            let msg = format!("{} is not supported by this service", opt.name());
            return Err(ODataError::new(opt.name(), ErrorKind::NotSupported, msg));
        }
    }
    Ok(())
}

/// `$top`/`$skip`: ASCII digits only (surrounding spaces ignored).
fn non_negative(opt: SystemOption, value: &str) -> Result<u64, ODataError> {
    let v = value.trim();
    let parsed = Some(v).filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()));
    parsed.and_then(|v| v.parse::<u64>().ok()).ok_or_else(|| {
        let name = opt.name();
        let msg = format!("{name} must be a non-negative integer, e.g. {name}=10; found '{value}'");
        ODataError::new(name, ErrorKind::InvalidValue, msg)
    })
}

/// `$count`: `true` or `false`, in any case.
fn boolean(opt: SystemOption, value: &str) -> Result<bool, ODataError> {
    match value.trim() {
        v if v.eq_ignore_ascii_case("true") => Ok(true),
        v if v.eq_ignore_ascii_case("false") => Ok(false),
        _ => {
            let msg = format!("{} must be true or false; found '{value}'", opt.name());
            Err(ODataError::new(opt.name(), ErrorKind::InvalidValue, msg))
        }
    }
}

/// Everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is percent-encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `s` for use as a query value (strict RFC 3986, as Kiota does): space is `%20`,
/// `'` is `%27`, `+` is `%2B`, non-ASCII is its UTF-8 bytes.
pub fn encode_query_value(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

impl QueryOptions {
    /// The options as a query string (without `?`), system options first with their canonical `$`
    /// names, values encoded by [`encode_query_value`]; for building `@odata.nextLink`. `$count` is
    /// written only when true.
    pub fn to_query_string(&self) -> String {
        let numbers = [("$top", self.top), ("$skip", self.skip)];
        let texts = [
            ("$filter", &self.filter),
            ("$orderby", &self.orderby),
            ("$select", &self.select),
            ("$expand", &self.expand),
            ("$format", &self.format),
            ("$levels", &self.levels),
            ("$deltatoken", &self.deltatoken),
            ("$skiptoken", &self.skiptoken),
        ];
        let mut pairs: Vec<(Cow<'_, str>, String)> = Vec::new();
        if self.count {
            pairs.push((Cow::Borrowed("$count"), "true".into()));
        }
        for (name, value) in texts {
            if let Some(v) = value {
                pairs.push((Cow::Borrowed(name), encode_query_value(v)));
            }
        }
        for (name, value) in numbers {
            if let Some(v) = value {
                pairs.push((Cow::Borrowed(name), v.to_string()));
            }
        }
        for (name, value) in &self.other {
            pairs.push((
                Cow::Owned(encode_query_value(name)),
                encode_query_value(value),
            ));
        }
        let parts: Vec<String> = pairs.into_iter().map(|(n, v)| format!("{n}={v}")).collect();
        parts.join("&")
    }
}
