//! The address policy as a pure function: every refused range (with its mapped and embedded IPv6
//! forms) and its public neighbours, as one table; and the URL checks made before sending.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use outbound::{check, check_url, AddressPolicy, Embedding, OutboundError};
use std::net::IpAddr;
use url::Url;

/// (address, the CIDR named in the refusal, or `None` when the address is public).
const TABLE: &[(&str, Option<&str>)] = &[
    // IPv4: each range, its edges, and the public addresses just outside it.
    ("0.0.0.0", Some("0.0.0.0/8")),
    ("0.255.255.255", Some("0.0.0.0/8")),
    ("1.0.0.0", None),
    ("10.0.0.0", Some("10.0.0.0/8")),
    ("10.255.255.255", Some("10.0.0.0/8")),
    ("11.0.0.0", None),
    ("9.255.255.255", None),
    ("100.63.255.255", None),
    ("100.64.0.0", Some("100.64.0.0/10")),
    ("100.127.255.255", Some("100.64.0.0/10")),
    ("100.128.0.0", None),
    ("126.255.255.255", None),
    ("127.0.0.1", Some("127.0.0.0/8")),
    ("127.255.255.254", Some("127.0.0.0/8")),
    ("128.0.0.0", None),
    ("169.253.255.255", None),
    ("169.254.0.1", Some("169.254.0.0/16")),
    ("169.254.169.254", Some("169.254.0.0/16")),
    ("169.255.0.0", None),
    ("172.15.255.255", None),
    ("172.16.0.0", Some("172.16.0.0/12")),
    ("172.31.255.255", Some("172.16.0.0/12")),
    ("172.32.0.0", None),
    ("192.0.0.8", Some("192.0.0.0/24")),
    ("192.0.1.1", None),
    ("192.0.2.1", Some("192.0.2.0/24")),
    ("192.0.3.0", None),
    ("192.167.255.255", None),
    ("192.168.0.1", Some("192.168.0.0/16")),
    ("192.168.255.255", Some("192.168.0.0/16")),
    ("192.169.0.0", None),
    ("198.17.255.255", None),
    ("198.18.0.0", Some("198.18.0.0/15")),
    ("198.19.255.255", Some("198.18.0.0/15")),
    ("198.20.0.0", None),
    ("198.51.100.7", Some("198.51.100.0/24")),
    ("203.0.113.9", Some("203.0.113.0/24")),
    ("203.0.114.0", None),
    ("223.255.255.255", None),
    ("224.0.0.1", Some("224.0.0.0/4")),
    ("239.255.255.250", Some("224.0.0.0/4")),
    ("240.0.0.1", Some("240.0.0.0/4")),
    ("255.255.255.255", Some("255.255.255.255/32")),
    ("8.8.8.8", None),
    ("1.1.1.1", None),
    // IPv6 ranges.
    ("::", Some("::/128")),
    ("::1", Some("::1/128")),
    ("::2", Some("0.0.0.0/8")),
    ("::8.8.8.8", Some("::/96")),
    ("64:ff9b:1::1", Some("64:ff9b:1::/48")),
    ("100::1", Some("100::/64")),
    ("100:0:0:1::1", None),
    ("2001:2::1", Some("2001:2::/48")),
    ("2001:db8::1", Some("2001:db8::/32")),
    ("2001:db9::1", None),
    ("3fff::1", Some("3fff::/20")),
    ("3fff:1000::1", None),
    ("fc00::1", Some("fc00::/7")),
    ("fd12:3456::1", Some("fc00::/7")),
    ("fe80::1", Some("fe80::/10")),
    ("febf::1", Some("fe80::/10")),
    ("fec0::1", Some("fec0::/10")),
    ("ff02::1", Some("ff00::/8")),
    ("ff0e::1", Some("ff00::/8")),
    ("2606:4700:4700::1111", None),
    ("2001:4860:4860::8888", None),
    // IPv6 forms embedding a refused IPv4 address are refused for the IPv4 range.
    ("::ffff:127.0.0.1", Some("127.0.0.0/8")),
    ("::ffff:10.1.2.3", Some("10.0.0.0/8")),
    ("::ffff:169.254.169.254", Some("169.254.0.0/16")),
    ("::ffff:0.0.0.0", Some("0.0.0.0/8")),
    ("::ffff:8.8.8.8", None),
    ("::127.0.0.1", Some("127.0.0.0/8")),
    ("::192.168.0.1", Some("192.168.0.0/16")),
    ("64:ff9b::7f00:1", Some("127.0.0.0/8")),
    ("64:ff9b::a9fe:a9fe", Some("169.254.0.0/16")),
    ("64:ff9b::808:808", None),
    ("2002:7f00:1::", Some("127.0.0.0/8")),
    ("2002:c0a8:101::1", Some("192.168.0.0/16")),
    ("2002:a9fe:a9fe:1::1", Some("169.254.0.0/16")),
    ("2002:808:808::1", None),
    // Teredo: the client address is the last 32 bits inverted (!0x80fffffe = 127.0.0.1).
    ("2001:0:4136:e378:8000:63bf:80ff:fffe", Some("127.0.0.0/8")),
    ("2001:0:4136:e378:8000:63bf:f7f7:f7f7", None),
];

#[test]
fn every_range_is_refused_and_its_neighbours_are_not() {
    let mut wrong = Vec::new();
    for (text, want) in TABLE {
        let ip: IpAddr = text.parse().expect(text);
        let got = check(ip, AddressPolicy::Public).err().map(|r| r.range.cidr);
        if got != *want {
            wrong.push(format!("{text}: want {want:?}, got {got:?}"));
        }
        assert_eq!(check(ip, AddressPolicy::AllowPrivate), Ok(()), "{text}");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_refusal_names_the_address_the_range_and_the_embedding() {
    let r = check("169.254.169.254".parse().unwrap(), AddressPolicy::Public).unwrap_err();
    assert_eq!(r.embedded, None);
    assert_eq!(
        r.to_string(),
        "169.254.169.254 is in 169.254.0.0/16 (link-local, incl. the cloud metadata service); \
         only public addresses may be reached"
    );

    let cases = [
        ("::ffff:127.0.0.1", Embedding::Mapped, "IPv4-mapped"),
        ("::127.0.0.1", Embedding::Compatible, "IPv4-compatible"),
        ("64:ff9b::7f00:1", Embedding::Nat64, "NAT64"),
        ("2002:7f00:1::", Embedding::SixToFour, "6to4"),
        (
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
            Embedding::Teredo,
            "Teredo",
        ),
    ];
    for (text, how, word) in cases {
        let r = check(text.parse().unwrap(), AddressPolicy::Public).unwrap_err();
        assert_eq!(
            r.embedded,
            Some((how, "127.0.0.1".parse().unwrap())),
            "{text}"
        );
        let message = r.to_string();
        assert!(
            message.contains(&format!("embeds 127.0.0.1 ({word})"))
                && message.contains("127.0.0.0/8 (loopback)"),
            "{message}"
        );
    }
}

fn url_check(url: &str, policy: AddressPolicy) -> Result<(), OutboundError> {
    check_url(&Url::parse(url).unwrap(), policy)
}

#[test]
fn urls_are_checked_for_scheme_credentials_and_literal_addresses() {
    let public = AddressPolicy::Public;
    assert!(matches!(
        url_check("ftp://files.example/x", public),
        Err(OutboundError::InvalidUrl(m)) if m.contains("'ftp'")
    ));
    assert!(matches!(
        url_check("https://user:secret@hooks.example/x", public),
        Err(OutboundError::InvalidUrl(m)) if m.contains("user name or password")
    ));
    assert!(matches!(
        url_check("https://user@hooks.example/x", AddressPolicy::AllowPrivate),
        Err(OutboundError::InvalidUrl(_))
    ));
    // Every spelling of a loopback literal: dotted, decimal, hex, short, mapped IPv6.
    for url in [
        "http://127.0.0.1:8080/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://127.1/",
        "http://[::1]/",
        "http://[::ffff:7f00:1]/",
        "https://[fe80::1]/",
        "http://169.254.169.254/latest/meta-data/",
    ] {
        let got = url_check(url, public);
        assert!(
            matches!(got, Err(OutboundError::Refused { .. })),
            "{url}: {got:?}"
        );
        assert_eq!(url_check(url, AddressPolicy::AllowPrivate), Ok(()), "{url}");
    }
    // A name is checked when it is resolved, not here.
    assert_eq!(url_check("https://hooks.example/x", public), Ok(()));
    assert_eq!(url_check("http://93.184.216.34/", public), Ok(()));
}

#[test]
fn refusals_and_bad_urls_are_not_retryable() {
    let refused = url_check("http://10.0.0.1/", AddressPolicy::Public).unwrap_err();
    assert!(!refused.is_retryable());
    assert!(
        refused.to_string().contains("10.0.0.0/8 (private)"),
        "{refused}"
    );
    let invalid = url_check("gopher://x.example/", AddressPolicy::Public).unwrap_err();
    assert!(!invalid.is_retryable());
}
