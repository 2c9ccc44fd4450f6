//! Table-driven tests of the normal forms in [`super`].

use super::*;

#[test]
fn domains_lowercase_drop_one_trailing_dot_and_become_punycode() {
    for (input, want) in [
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("  evil.example  ", "evil.example"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("BÜCHER.de.", "xn--bcher-kva.de"),
        ("xn--bcher-kva.de", "xn--bcher-kva.de"),
        ("_dmarc.example.com", "_dmarc.example.com"),
        ("localhost", "localhost"),
    ] {
        assert_eq!(normalize_domain(input).as_deref(), Ok(want), "{input}");
    }
}

#[test]
fn bad_domains_say_what_to_send() {
    for (input, says) in [
        ("", "empty"),
        ("http://evil.com", "send only the host"),
        ("evil.com/path", "send only the host"),
        ("*.evil.com", "send 'evil.com'"),
        ("1.2.3.4", "is an IP address"),
        ("a..b", "empty label"),
        ("example.com..", "empty label"),
        ("ev il.com", "contains ' '"),
        ("-.example.com", "without a letter or digit"),
        ("exa$mple.com", "contains '$'"),
    ] {
        let e = normalize_domain(input).unwrap_err();
        assert!(e.contains(says), "{input}: {e}");
    }
    let long = format!("{}.com", "a".repeat(64));
    assert!(normalize_domain(&long).unwrap_err().contains("63"));
}

#[test]
fn urls_normalise_scheme_host_port_and_fragment_but_keep_path_case() {
    for (input, want) in [
        (
            "HTTP://Example.COM/A/B?Q=X#frag",
            "http://example.com/A/B?Q=X",
        ),
        ("http://example.com:80/x", "http://example.com/x"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        (
            "ftp://files.example.com:21/a.exe",
            "ftp://files.example.com/a.exe",
        ),
        ("http://example.com", "http://example.com/"),
        ("http://example.com./x", "http://example.com/x"),
        ("http://example.com/a/../b/./c", "http://example.com/b/c"),
        ("http://bücher.de/Ä", "http://xn--bcher-kva.de/%C3%84"),
        ("evil.com/Payload.exe", "http://evil.com/Payload.exe"),
        ("evil.com:8080/x", "http://evil.com:8080/x"),
        ("203.0.113.9/x", "http://203.0.113.9/x"),
    ] {
        assert_eq!(normalize_url(input).as_deref(), Ok(want), "{input}");
    }
}

#[test]
fn bad_urls_say_what_to_send() {
    for (input, says) in [
        ("", "empty"),
        ("mailto:a@example.com", "not an absolute URL"),
        ("javascript:alert(1)", "not an absolute URL"),
        ("file:///etc/passwd", "use one of: http, https, ftp"),
        ("ssh://host/x", "use one of: http, https, ftp"),
        ("http://", "not a valid URL"),
        ("not a url", "not an absolute URL"),
    ] {
        let e = normalize_url(input).unwrap_err();
        assert!(e.contains(says), "{input}: {e}");
    }
}

#[test]
fn emails_lowercase_and_normalise_the_domain() {
    for (input, want) in [
        ("Alice@Example.COM", "alice@example.com"),
        ("bob.smith+tag@example.com.", "bob.smith+tag@example.com"),
        ("user@bücher.de", "user@xn--bcher-kva.de"),
        ("\"odd user\"@example.com", "\"odd user\"@example.com"),
        ("root@[192.0.2.1]", "root@[192.0.2.1]"),
    ] {
        assert_eq!(normalize_email(input).as_deref(), Ok(want), "{input}");
    }
    for (input, says) in [
        ("no-at-sign", "not an e-mail address"),
        ("@example.com", "empty local part"),
        ("Alice <alice@example.com>", "display name"),
        (".a@example.com", "misplaced '.'"),
        ("a b@example.com", "contains ' '"),
        ("a@-", "invalid domain"),
    ] {
        let e = normalize_email(input).unwrap_err();
        assert!(e.contains(says), "{input}: {e}");
    }
}

#[test]
fn hashes_are_lowercase_hex_of_the_right_length() {
    let sha256 = "AA64428647B57BF51524D1756B2ED746E5A3F31B67CF7FE5B5D8A9DAF07CA313";
    assert_eq!(
        normalize_hash(FileHashType::Sha256, sha256),
        Ok(sha256.to_ascii_lowercase())
    );
    assert_eq!(
        normalize_hash(FileHashType::Unknown, "ABCDEF"),
        Ok("abcdef".into())
    );
    let ssdeep = "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C";
    assert_eq!(
        normalize_hash(FileHashType::Ctph, ssdeep),
        Ok(ssdeep.into())
    );
    let e = normalize_hash(FileHashType::Md5, &sha256[..40]).unwrap_err();
    assert!(
        e.contains("md5 hash is 32 hexadecimal digits; got 40"),
        "{e}"
    );
    assert!(e.contains("usually 'sha1'"), "{e}");
    let e = normalize_hash(FileHashType::Sha1, &"z".repeat(40)).unwrap_err();
    assert!(e.contains("not all hexadecimal"), "{e}");
    assert!(normalize_hash(FileHashType::LsHash, " ").is_err());
}

#[test]
fn ip_addresses_parse_to_their_canonical_form() {
    for (input, want) in [
        ("203.0.113.7", "203.0.113.7"),
        (" 2001:DB8::7 ", "2001:db8::7"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
    ] {
        assert_eq!(parse_ip(input).map(|i| i.to_string()).as_deref(), Ok(want));
    }
    for (input, says) in [
        ("010.1.1.1", "not an IPv4 or IPv6"),
        ("256.1.1.1", "not an IPv4 or IPv6"),
        ("fe80::1%eth0", "zone index"),
        ("example.com", "not an IPv4 or IPv6"),
    ] {
        let e = parse_ip(input).unwrap_err();
        assert!(e.contains(says), "{input}: {e}");
    }
}

#[test]
fn cidr_blocks_clear_host_bits() {
    for (input, addr, prefix) in [
        ("10.1.2.3/8", "10.0.0.0", 8),
        ("198.51.100.0/24", "198.51.100.0", 24),
        ("0.0.0.0/0", "0.0.0.0", 0),
        ("192.0.2.9", "192.0.2.9", 32),
        ("2001:db8:abcd::1/32", "2001:db8::", 32),
        ("2001:db8::1/128", "2001:db8::1", 128),
        ("::/0", "::", 0),
    ] {
        let (ip, p) = parse_cidr(input).unwrap();
        assert_eq!((ip.to_string().as_str(), p), (addr, prefix), "{input}");
    }
    for (input, says) in [
        ("10.0.0.0/33", "use 0 to 32"),
        ("2001:db8::/129", "use 0 to 128"),
        ("10.0.0.0/x", "prefix length 'x'"),
        ("ten/8", "not a CIDR block"),
    ] {
        let e = parse_cidr(input).unwrap_err();
        assert!(e.contains(says), "{input}: {e}");
    }
}
