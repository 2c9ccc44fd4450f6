//! The values indicators are set on ([`Observable`]) and the values lookups ask about
//! ([`Query`]), with the checks an observable passes before it is indexed.
//!
//! Values arrive normalised by the caller; the checks here refuse what is plainly not normalised
//! (upper case, a trailing dot, whitespace) instead of silently never matching it.

use crate::error::{shown, MatcherError};
use std::net::IpAddr;

/// A value an indicator is set on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Observable<'a> {
    /// One address (the same as a /32 or /128 block).
    Ip(IpAddr),
    /// A block of addresses: address and prefix length (host bits are ignored).
    Cidr(IpAddr, u8),
    /// A domain and all its subdomains: lower case, no trailing dot, punycode for IDNs.
    Domain(&'a str),
    /// A normalised URL, matched exactly.
    Url(&'a str),
    /// A file hash as hex digits (MD5, SHA-1, SHA-256 or any whole number of bytes up to 128).
    Hash(&'a str),
    /// A lower-case e-mail address, matched exactly.
    Email(&'a str),
}

/// A value to look up (normalised like [`Observable`]s; an unnormalised query simply misses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Query<'a> {
    /// An address: matches the most specific block containing it.
    Ip(IpAddr),
    /// A host name: matches indicators on it and on each of its parent domains.
    Domain(&'a str),
    /// A URL, exactly.
    Url(&'a str),
    /// A file hash as hex digits (either case).
    Hash(&'a str),
    /// An e-mail address, exactly.
    Email(&'a str),
}

/// Longest hash accepted, in bytes (SHA-512 is 64).
pub(crate) const MAX_HASH_BYTES: usize = 128;
const MAX_DOMAIN: usize = 253;
const MAX_LABEL: usize = 63;
const MAX_URL: usize = 65_536;
const MAX_EMAIL: usize = 320;

/// Value of each byte as a hex digit (either case), or 0xff.
const HEX: [u8; 256] = {
    let mut table = [0xff; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// Decodes hex digits (either case) into `buf`; `None` if they are not whole hex bytes that fit.
/// Branch-free per digit: lookups decode hashes of random digits.
pub(crate) fn decode_hex<'b>(hex: &str, buf: &'b mut [u8; MAX_HASH_BYTES]) -> Option<&'b [u8]> {
    let digits = hex.as_bytes();
    if digits.is_empty() || digits.len() % 2 != 0 || digits.len() > 2 * MAX_HASH_BYTES {
        return None;
    }
    let mut invalid = 0u8;
    for (out, pair) in buf.iter_mut().zip(digits.chunks_exact(2)) {
        let (high, low) = (HEX[usize::from(pair[0])], HEX[usize::from(pair[1])]);
        invalid |= high | low;
        *out = (high << 4) | (low & 0x0f);
    }
    (invalid & 0xf0 == 0).then_some(&buf[..digits.len() / 2])
}

/// Decodes an indicator's hash, saying precisely what is wrong when it cannot.
pub(crate) fn check_hash<'b>(
    hex: &str,
    buf: &'b mut [u8; MAX_HASH_BYTES],
) -> Result<&'b [u8], MatcherError> {
    let fail = |problem: String| MatcherError::InvalidHash {
        value: shown(hex),
        problem,
    };
    let len = hex.len();
    if len == 0 {
        return Err(fail(
            "is empty; give 32 (MD5), 40 (SHA-1) or 64 (SHA-256) hex digits".into(),
        ));
    }
    if let Some((at, c)) = hex.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(fail(format!(
            "{c:?} at byte {at} is not a hex digit; a hash is written with 0-9 and a-f only"
        )));
    }
    if len % 2 != 0 {
        return Err(fail(format!(
            "has an odd number of hex digits ({len}); each byte takes two digits"
        )));
    }
    if len > 2 * MAX_HASH_BYTES {
        return Err(fail(format!(
            "has {len} hex digits; at most {} are accepted",
            2 * MAX_HASH_BYTES
        )));
    }
    decode_hex(hex, buf).ok_or_else(|| fail("is not a hex string".into()))
}

/// Checks a normalised domain; returns its number of labels.
pub(crate) fn check_domain(domain: &str) -> Result<usize, MatcherError> {
    let fail = |problem: String| MatcherError::InvalidDomain {
        value: shown(domain),
        problem,
    };
    if domain.is_empty() {
        return Err(fail(
            "is empty; give a host name such as example.com".into(),
        ));
    }
    if domain.len() > MAX_DOMAIN {
        return Err(fail(format!(
            "is {} bytes long; a domain name has at most {MAX_DOMAIN}",
            domain.len()
        )));
    }
    if domain.ends_with('.') {
        return Err(fail(
            "ends with a dot; give it without the trailing dot (example.com, not example.com.)"
                .into(),
        ));
    }
    if let Some((at, c)) = domain.char_indices().find(|(_, c)| !is_domain_char(*c)) {
        return Err(fail(domain_char_problem(c, at)));
    }
    let mut labels = 0;
    for label in domain.split('.') {
        if label.is_empty() {
            return Err(fail(
                "has an empty label (a leading dot or \"..\"); remove the extra dot".into(),
            ));
        }
        if label.len() > MAX_LABEL {
            return Err(fail(format!(
                "label {:?} is {} bytes long; a label has at most {MAX_LABEL}",
                shown(label),
                label.len()
            )));
        }
        labels += 1;
    }
    Ok(labels)
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
}

fn domain_char_problem(c: char, at: usize) -> String {
    if c.is_ascii_uppercase() {
        format!("{c:?} at byte {at} is upper case; normalise the domain to lower case")
    } else if c == '*' {
        "contains '*'; wildcards are implicit: an indicator on example.com already matches \
         every subdomain of it"
            .into()
    } else if !c.is_ascii() {
        format!("{c:?} at byte {at} is not ASCII; give international names in punycode (xn--...)")
    } else {
        format!("{c:?} at byte {at} cannot appear in a host name; use a-z, 0-9, '-', '_' and '.'")
    }
}

/// Checks a normalised URL.
pub(crate) fn check_url(url: &str) -> Result<(), MatcherError> {
    let fail = |problem: String| MatcherError::InvalidUrl {
        value: shown(url),
        problem,
    };
    if url.is_empty() {
        return Err(fail("is empty".into()));
    }
    if url.len() > MAX_URL {
        return Err(fail(format!(
            "is {} bytes long; at most {MAX_URL} are accepted",
            url.len()
        )));
    }
    if let Some(at) = url
        .bytes()
        .position(|b| b.is_ascii_whitespace() || b.is_ascii_control())
    {
        return Err(fail(format!(
            "has whitespace or a control character at byte {at}; percent-encode it (normalise \
             the URL first)"
        )));
    }
    Ok(())
}

/// Checks a normalised e-mail address.
pub(crate) fn check_email(email: &str) -> Result<(), MatcherError> {
    let fail = |problem: String| MatcherError::InvalidEmail {
        value: shown(email),
        problem,
    };
    if email.len() > MAX_EMAIL {
        return Err(fail(format!(
            "is {} bytes long; an address has at most {MAX_EMAIL}",
            email.len()
        )));
    }
    match email.rsplit_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() => {}
        _ => return Err(fail("is not of the form local@domain".into())),
    }
    if let Some((at, c)) = email
        .char_indices()
        .find(|(_, c)| c.is_ascii_uppercase() || c.is_whitespace() || c.is_control())
    {
        let problem = if c.is_ascii_uppercase() {
            format!("{c:?} at byte {at} is upper case; normalise the address to lower case")
        } else {
            format!("has whitespace or a control character at byte {at}")
        };
        return Err(fail(problem));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_decodes_either_case() {
        let mut buf = [0; MAX_HASH_BYTES];
        assert_eq!(
            decode_hex("00fFa1", &mut buf),
            Some(&[0x00, 0xff, 0xa1][..])
        );
        assert_eq!(decode_hex("0g", &mut buf), None);
        assert_eq!(decode_hex("abc", &mut buf), None);
        assert_eq!(decode_hex("", &mut buf), None);
        assert_eq!(decode_hex(&"a".repeat(258), &mut buf), None);
    }

    #[test]
    fn domain_checks_name_the_problem() {
        assert_eq!(check_domain("a.b.example.com"), Ok(4));
        assert_eq!(check_domain("localhost"), Ok(1));
        for (bad, says) in [
            ("", "is empty"),
            ("example.com.", "trailing dot"),
            (".example.com", "empty label"),
            ("a..b", "empty label"),
            ("Example.com", "upper case"),
            ("*.example.com", "wildcards are implicit"),
            ("bücher.de", "punycode"),
            ("a b.com", "cannot appear"),
        ] {
            let err = check_domain(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad:?}: {err}");
        }
        let long_label = format!("{}.com", "a".repeat(64));
        assert!(check_domain(&long_label)
            .unwrap_err()
            .to_string()
            .contains("at most 63"));
    }

    #[test]
    fn email_and_url_checks() {
        assert!(check_email("a@b.c").is_ok());
        assert!(check_email("ab.c").is_err());
        assert!(check_email("@b.c").is_err());
        assert!(check_email("A@b.c")
            .unwrap_err()
            .to_string()
            .contains("lower case"));
        assert!(check_url("https://x/y").is_ok());
        assert!(check_url("").is_err());
        assert!(check_url("https://x/a b")
            .unwrap_err()
            .to_string()
            .contains("byte 11"));
    }
}
