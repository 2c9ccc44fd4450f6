//! Normal forms of matchable values, shared by indicators and by the event values they are matched
//! against: two spellings of one thing must normalise to one string (or one address).
//!
//! | value | normal form |
//! |---|---|
//! | IP address ([`parse_ip`]) | `std::net::IpAddr`; `[v6]` brackets accepted; an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) becomes the IPv4 address; zones (`%eth0`) and leading-zero octets are rejected |
//! | CIDR block ([`parse_cidr`]) | (network address, prefix length); host bits are **cleared** (`10.1.2.3/8` is `10.0.0.0/8`, as most feeds mean it); a bare address is a /32 or /128 |
//! | domain ([`normalize_domain`]) | lowercase ASCII, one trailing dot dropped, internationalised names as punycode (`bücher.de` → `xn--bcher-kva.de`); labels of letters, digits, `-`, `_` |
//! | URL ([`normalize_url`]) | WHATWG form: scheme and host lowercase, IDN host as punycode, default port dropped, dot segments resolved, fragment dropped, trailing dot of the host dropped, `/` for an empty path; path and query keep their case; only `http`, `https`, `ftp`; a value without a scheme (`evil.com/x`, as MISP feeds carry) is read as `http` |
//! | e-mail address ([`normalize_email`]) | an RFC 5321 addr-spec, all lowercase, domain normalised as above |
//! | file hash ([`normalize_hash`]) | lowercase when the value is hexadecimal (fixed-length types must be exactly their digest length); other values (ctph/ssdeep) are case-sensitive and kept as sent |

use super::enums::FileHashType;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use url::Url;

/// The URL schemes an indicator's `url` may have.
pub const URL_SCHEMES: &[&str] = &["http", "https", "ftp"];

/// Parses an IPv4 or IPv6 address (see the module table).
pub fn parse_ip(s: &str) -> Result<IpAddr, String> {
    parse_ip_raw(s).map(|ip| ip.to_canonical())
}

/// Parses an address without turning IPv4-mapped IPv6 addresses into IPv4.
fn parse_ip_raw(s: &str) -> Result<IpAddr, String> {
    let t = s.trim();
    let inner = t
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(t);
    if inner.contains('%') {
        return Err(format!(
            "'{s}' has a zone index; send the address without '%zone'"
        ));
    }
    inner.parse::<IpAddr>().map_err(|_| {
        format!("'{s}' is not an IPv4 or IPv6 address (such as 203.0.113.7 or 2001:db8::7)")
    })
}

/// Parses a CIDR block `address/prefix` into its network address (host bits cleared) and prefix
/// length. A bare address is a single-host block.
pub fn parse_cidr(s: &str) -> Result<(IpAddr, u8), String> {
    let t = s.trim();
    let (addr, prefix) = match t.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (t, None),
    };
    let ip = parse_ip_raw(addr).map_err(|_| {
        format!("'{s}' is not a CIDR block such as 198.51.100.0/24 or 2001:db8::/32")
    })?;
    let max: u8 = if ip.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(p) => p
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| format!("'{s}' has prefix length '{p}'; use 0 to {max}"))?,
    };
    Ok((network(ip, prefix), prefix))
}

/// `ip` with the bits after `prefix` cleared.
fn network(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}

/// Normalises a DNS host name (see the module table).
pub fn normalize_domain(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("the domain name is empty".to_string());
    }
    if t.contains("://") || t.contains('/') {
        return Err(format!(
            "'{s}' is not a bare domain name; send only the host (such as example.com)"
        ));
    }
    if let Some(rest) = t.strip_prefix("*.") {
        return Err(format!(
            "'{s}' is a wildcard; send '{rest}' (a domain indicator also covers its subdomains)"
        ));
    }
    let t = t.strip_suffix('.').unwrap_or(t);
    if parse_ip(t).is_ok() {
        return Err(format!("'{s}' is an IP address, not a domain name"));
    }
    let ascii = idna::domain_to_ascii(t)
        .map_err(|_| format!("'{s}' is not a valid internationalised domain name"))?;
    check_host_name(s, &ascii)?;
    Ok(ascii)
}

/// Checks the ASCII form of a host name: length and label syntax.
fn check_host_name(original: &str, ascii: &str) -> Result<(), String> {
    if ascii.len() > 253 {
        return Err(format!(
            "'{original}' is {} characters long; a domain name has at most 253",
            ascii.len()
        ));
    }
    for label in ascii.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err(format!(
                "'{original}' has an empty label or one longer than 63 characters"
            ));
        }
        let ok = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if let Some(c) = label.chars().find(|c| !ok(*c)) {
            return Err(format!(
                "'{original}' contains '{c}'; a domain name has letters, digits, '-', '_' and dots"
            ));
        }
        if !label.chars().any(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "'{original}' has the label '{label}' without a letter or digit"
            ));
        }
    }
    Ok(())
}

/// Normalises an absolute `http`, `https` or `ftp` URL (see the module table).
pub fn normalize_url(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("the URL is empty".to_string());
    }
    let owned;
    let text = if t.contains("://") {
        t
    } else {
        check_schemeless(s, t)?;
        owned = format!("http://{t}");
        owned.as_str()
    };
    let mut url = Url::parse(text).map_err(|e| format!("'{s}' is not a valid URL ({e})"))?;
    if !URL_SCHEMES.contains(&url.scheme()) {
        return Err(format!(
            "'{s}' has scheme '{}'; use one of: {}",
            url.scheme(),
            URL_SCHEMES.join(", ")
        ));
    }
    let host = match url.host_str() {
        Some(h) if !h.is_empty() => h.to_string(),
        _ => return Err(format!("'{s}' has no host")),
    };
    if let Some(stripped) = host.strip_suffix('.').filter(|h| !h.is_empty()) {
        url.set_host(Some(stripped))
            .map_err(|e| format!("'{s}' has an invalid host ({e})"))?;
    }
    url.set_fragment(None);
    Ok(url.to_string())
}

/// A value without `scheme://` is accepted only when it starts with a plain host (and port).
fn check_schemeless(original: &str, t: &str) -> Result<(), String> {
    let authority = t.split(['/', '?', '#']).next().unwrap_or(t);
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => authority,
    };
    let plain =
        !authority.contains('@') && (normalize_domain(host).is_ok() || parse_ip(host).is_ok());
    if plain {
        Ok(())
    } else {
        Err(format!(
            "'{original}' is not an absolute URL; send it with its scheme, such as http://example.com/path"
        ))
    }
}

/// Normalises an e-mail address (an RFC 5321 addr-spec) to lowercase.
pub fn normalize_email(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.contains('<') || t.contains('>') {
        return Err(format!(
            "'{s}' has a display name or angle brackets; send only the address, such as user@example.com"
        ));
    }
    let Some((local, domain)) = t.rsplit_once('@') else {
        return Err(format!(
            "'{s}' is not an e-mail address such as user@example.com"
        ));
    };
    check_local_part(s, local)?;
    let domain = match domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        Some(literal) => {
            let ip = parse_ip(literal.trim_start_matches("IPv6:"))
                .map_err(|_| format!("'{s}' has an invalid address literal"))?;
            format!("[{}]", literal_text(ip))
        }
        None => {
            normalize_domain(domain).map_err(|e| format!("'{s}' has an invalid domain: {e}"))?
        }
    };
    Ok(format!("{}@{domain}", local.to_lowercase()))
}

fn literal_text(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("IPv6:{v6}"),
    }
}

/// A dot-atom (RFC 5322 atext, UTF-8 allowed per RFC 6531) or a quoted string, at most 64 bytes.
fn check_local_part(original: &str, local: &str) -> Result<(), String> {
    if local.is_empty() || local.len() > 64 {
        return Err(format!(
            "'{original}' has an empty local part or one longer than 64 characters"
        ));
    }
    if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        return Ok(());
    }
    let atext = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || !c.is_ascii();
    let dots_ok = !local.starts_with('.') && !local.ends_with('.') && !local.contains("..");
    match local.chars().find(|c| *c != '.' && !atext(*c)) {
        Some(c) => Err(format!(
            "'{original}' contains '{c}' before the '@'; quote the local part or remove it"
        )),
        None if !dots_ok => Err(format!("'{original}' has a misplaced '.' before the '@'")),
        None => Ok(()),
    }
}

/// Normalises a file hash of type `ty`: fixed-length types must be exactly their number of
/// hexadecimal digits; hexadecimal values are lowercased, others kept as sent.
pub fn normalize_hash(ty: FileHashType, s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("the hash value is empty".to_string());
    }
    let is_hex = t.chars().all(|c| c.is_ascii_hexdigit());
    if let Some(len) = ty.hex_len() {
        if !is_hex || t.len() != len {
            return Err(hex_mismatch(ty, t, len, is_hex));
        }
    }
    Ok(if is_hex {
        t.to_ascii_lowercase()
    } else {
        t.to_string()
    })
}

fn hex_mismatch(ty: FileHashType, t: &str, len: usize, is_hex: bool) -> String {
    let mut m = format!(
        "a {} hash is {len} hexadecimal digits; got {} characters{}",
        ty.as_str(),
        t.chars().count(),
        if is_hex {
            ""
        } else {
            " that are not all hexadecimal"
        }
    );
    if let Some(guess) = FileHashType::guess_from_hex_len(t.len()).filter(|_| is_hex) {
        m.push_str(&format!(
            " (a {}-digit value is usually '{guess}')",
            t.len()
        ));
    }
    m
}

#[cfg(test)]
#[path = "normalization_tests.rs"]
mod tests;
