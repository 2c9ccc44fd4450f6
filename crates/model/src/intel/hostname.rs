//! Checks on the text of host-based observables: domain names, URLs and e-mail addresses. Real
//! feeds put file names in `url` attributes and prose in `domain-name` values; these checks turn
//! that into a skip with the reason instead of an indicator that can never match.

use std::net::IpAddr;

/// Checks a domain name: labels of letters, digits, `-` and `_` (or non-ASCII), at most 63 bytes
/// each and 253 in all, a last label that is not all digits. A trailing dot is dropped.
pub(crate) fn domain_name(text: &str) -> Result<String, String> {
    let name = text.strip_suffix('.').unwrap_or(text);
    let bad = |why: String| Err(format!("'{text}' is not a domain name: {why}"));
    if name.is_empty() {
        return bad("it is empty".into());
    }
    if let Some(c) = name.chars().find(|c| c.is_whitespace()) {
        return bad(format!("it contains {}", describe_space(c)));
    }
    if name.len() > 253 {
        return bad("it is longer than 253 bytes".into());
    }
    for label in name.split('.') {
        if label.is_empty() {
            return bad("it has an empty label (two dots in a row)".into());
        }
        if label.len() > 63 {
            return bad(format!("the label '{label}' is longer than 63 bytes"));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '_'))
        {
            return bad(format!("'{c}' is not allowed in a host name"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return bad(format!("the label '{label}' starts or ends with '-'"));
        }
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    if last.chars().all(|c| c.is_ascii_digit()) {
        return bad(format!(
            "its last label '{last}' is all digits (an IP address?)"
        ));
    }
    Ok(name.to_string())
}

fn describe_space(c: char) -> &'static str {
    if c == ' ' {
        "a space"
    } else {
        "white space"
    }
}

/// Checks a URL: no white space, and either `scheme://host…` or `host/path…` where the host is an
/// IP address or a domain name with at least two labels.
pub(crate) fn url(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("the URL is empty".into());
    }
    if let Some(c) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
        let what = if c.is_whitespace() {
            describe_space(c)
        } else {
            "a control character"
        };
        return Err(format!("'{text}' is not a URL: it contains {what}"));
    }
    let rest = match text.split_once("://") {
        Some((scheme, rest)) => {
            let ok = scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
            if !ok {
                return Err(format!("'{text}' is not a URL: '{scheme}' is not a scheme"));
            }
            rest
        }
        None => text,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or(v6)
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    };
    let is_host =
        host.parse::<IpAddr>().is_ok() || (host.contains('.') && domain_name(host).is_ok());
    if is_host {
        Ok(text.to_string())
    } else {
        Err(format!(
            "'{text}' is not a URL: '{host}' is not a host name (expected scheme://host/path or host/path)"
        ))
    }
}

/// Checks an e-mail address: one `@` with text on both sides and a domain name after it.
pub(crate) fn email(text: &str) -> Result<String, String> {
    let text = text.trim();
    match text.rsplit_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !local.chars().any(char::is_whitespace)
                && domain_name(domain).is_ok() =>
        {
            Ok(text.to_string())
        }
        _ => Err(format!(
            "'{text}' is not an e-mail address (expected name@domain.example)"
        )),
    }
}
