//! Parameter types and how a value of each is checked and normalised before it reaches a provider,
//! so that a provider receives `203.0.113.7` however the caller spelt the address.
//!
//! | type | accepted | sent to the provider |
//! |---|---|---|
//! | `string` | any text up to 4,096 characters without control characters | as sent |
//! | `ip` | an IPv4 or IPv6 address (`[v6]` brackets allowed) | canonical form; IPv4-mapped IPv6 becomes IPv4 |
//! | `cidr` | `address/prefix` or a bare address | network address and prefix, host bits cleared |
//! | `domain` | a DNS name, internationalised names included | lowercase ASCII (punycode), no trailing dot |
//! | `url` | an `http`, `https` or `ftp` URL | WHATWG-normalised |
//! | `sha256`, `sha1`, `md5` | exactly 64, 40, 32 hexadecimal digits | lowercase |
//! | `deviceId` | 1 to 256 visible ASCII characters, no spaces | as sent |
//! | `integer` | a signed 64-bit decimal integer | decimal, no leading `+` or zeros |
//! | `boolean` | `true` or `false` in any case | `true` or `false` |
//!
//! The address, domain, URL and hash rules are `model::indicator::normalization`'s, the ones threat
//! indicators use, so a value blocked through an action matches the same value in an indicator.

use model::indicator::enums::FileHashType;
use model::indicator::normalization::{
    normalize_domain, normalize_hash, normalize_url, parse_cidr, parse_ip,
};

/// Longest `string` value.
pub const MAX_STRING_LEN: usize = 4096;
/// Longest `deviceId` value.
pub const MAX_DEVICE_ID_LEN: usize = 256;

model::wire_enum! {
    /// The type of an action parameter (see the module table). Read case-insensitively.
    pub enum ParameterType: "secgraph.provider.parameterType" {
        String = "string", Ip = "ip", Cidr = "cidr", Domain = "domain", Url = "url",
        Sha256 = "sha256", Sha1 = "sha1", Md5 = "md5", DeviceId = "deviceId",
        Integer = "integer", Boolean = "boolean",
    }
}

impl ParameterType {
    /// Checks `value` and returns the form sent to the provider, or a message saying what a value
    /// of this type looks like.
    pub fn normalize(self, value: &str) -> Result<String, String> {
        match self {
            ParameterType::String => string(value),
            ParameterType::Ip => parse_ip(value).map(|ip| ip.to_string()),
            ParameterType::Cidr => parse_cidr(value).map(|(net, len)| format!("{net}/{len}")),
            ParameterType::Domain => normalize_domain(value),
            ParameterType::Url => normalize_url(value),
            ParameterType::Sha256 => normalize_hash(FileHashType::Sha256, value),
            ParameterType::Sha1 => normalize_hash(FileHashType::Sha1, value),
            ParameterType::Md5 => normalize_hash(FileHashType::Md5, value),
            ParameterType::DeviceId => device_id(value),
            ParameterType::Integer => integer(value),
            ParameterType::Boolean => boolean(value),
        }
    }
}

fn string(value: &str) -> Result<String, String> {
    let n = value.chars().count();
    if n > MAX_STRING_LEN {
        return Err(format!(
            "the value is {n} characters long; the limit is {MAX_STRING_LEN}"
        ));
    }
    if value.chars().any(char::is_control) {
        return Err("the value contains control characters".to_string());
    }
    Ok(value.to_string())
}

fn device_id(value: &str) -> Result<String, String> {
    let v = value.trim();
    let visible = v.bytes().all(|b| b.is_ascii_graphic());
    if v.is_empty() || v.len() > MAX_DEVICE_ID_LEN || !visible {
        return Err(format!(
            "'{value}' is not a device id; send 1 to {MAX_DEVICE_ID_LEN} visible ASCII characters \
             without spaces, such as the provider's machine id"
        ));
    }
    Ok(v.to_string())
}

fn integer(value: &str) -> Result<String, String> {
    value
        .trim()
        .parse::<i64>()
        .map(|n| n.to_string())
        .map_err(|_| {
            format!(
                "'{value}' is not an integer between -9223372036854775808 and 9223372036854775807"
            )
        })
}

fn boolean(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.eq_ignore_ascii_case("true") {
        Ok("true".to_string())
    } else if v.eq_ignore_ascii_case("false") {
        Ok("false".to_string())
    } else {
        Err(format!("'{value}' is not a boolean; send true or false"))
    }
}

#[cfg(test)]
mod tests {
    use super::ParameterType as T;

    #[test]
    fn values_are_normalised_by_type() {
        let cases = [
            (T::Ip, " ::ffff:203.0.113.7 ", "203.0.113.7"),
            (T::Ip, "[2001:DB8::7]", "2001:db8::7"),
            (T::Cidr, "10.1.2.3/8", "10.0.0.0/8"),
            (T::Cidr, "192.0.2.1", "192.0.2.1/32"),
            (T::Domain, "Example.COM.", "example.com"),
            (
                T::Url,
                "HTTP://Example.com:80/a/../b",
                "http://example.com/b",
            ),
            (T::Sha1, &"AB".repeat(20), &"ab".repeat(20)),
            (T::Md5, &"0F".repeat(16), &"0f".repeat(16)),
            (T::Sha256, &"c".repeat(64), &"c".repeat(64)),
            (
                T::DeviceId,
                " 1e5bc9d7e413ddd7902c2932e418702b84d0cc07 ",
                "1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
            ),
            (T::Integer, " +0042 ", "42"),
            (T::Integer, "-7", "-7"),
            (T::Boolean, "TRUE", "true"),
            (T::Boolean, "False", "false"),
            (T::String, "  kept as sent ", "  kept as sent "),
        ];
        for (ty, input, want) in cases {
            assert_eq!(ty.normalize(input).as_deref(), Ok(want), "{ty} {input:?}");
        }
    }

    #[test]
    fn wrong_values_say_what_the_type_expects() {
        let cases = [
            (T::Ip, "300.1.1.1", "IPv4 or IPv6"),
            (T::Ip, "fe80::1%eth0", "zone"),
            (T::Cidr, "10.0.0.0/33", "prefix length"),
            (T::Domain, "exa mple.com", ""),
            (T::Url, "javascript:alert(1)", ""),
            (T::Sha256, "abc", "64 hexadecimal digits"),
            (T::Sha1, &"g".repeat(40), "40 hexadecimal digits"),
            (T::Md5, &"a".repeat(31), "32 hexadecimal digits"),
            (T::DeviceId, "two words", "device id"),
            (T::DeviceId, "", "device id"),
            (T::Integer, "1.5", "not an integer"),
            (T::Integer, "9223372036854775808", "not an integer"),
            (T::Boolean, "yes", "true or false"),
            (T::String, "a\u{0}b", "control characters"),
        ];
        for (ty, input, needle) in cases {
            let err = ty.normalize(input).expect_err(input);
            assert!(err.contains(needle), "{ty} {input:?}: {err}");
        }
        let long = "x".repeat(super::MAX_STRING_LEN + 1);
        assert!(T::String.normalize(&long).is_err());
    }

    #[test]
    fn type_names_are_read_in_any_case() {
        assert_eq!("DEVICEID".parse::<T>(), Ok(T::DeviceId));
        let err = "ipv4".parse::<T>().expect_err("not a type");
        assert!(err.contains("string, ip, cidr"), "{err}");
    }
}
