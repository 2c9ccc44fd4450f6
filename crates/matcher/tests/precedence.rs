//! The precedence rules, expiry and observable kinds, case by case, through the public API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use matcher::{
    Action, Entry, Hit, Observable, Query, Snapshot, SnapshotBuilder, EXACT_SPECIFICITY,
};
use std::net::IpAddr;

const NOW: i64 = 1_000;
const LATER: i64 = 2_000;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn snapshot(items: &[(Observable<'_>, u32, Action, i64)]) -> Snapshot {
    let mut builder = SnapshotBuilder::new();
    for &(observable, key, action, expires) in items {
        builder
            .insert(observable, Entry::new(key, action, expires))
            .unwrap();
    }
    builder.build()
}

fn verdict(s: &Snapshot, query: Query<'_>) -> Option<(Action, u8, Vec<u32>)> {
    s.lookup(query, NOW)
        .map(|v| (v.action, v.specificity, v.keys.to_vec()))
}

#[test]
fn a_32_block_beats_an_8_allow() {
    let s = snapshot(&[
        (Observable::Cidr(ip("10.0.0.0"), 8), 1, Action::Allow, LATER),
        (
            Observable::Cidr(ip("10.1.2.3"), 32),
            2,
            Action::Block,
            LATER,
        ),
    ]);
    assert_eq!(
        verdict(&s, Query::Ip(ip("10.1.2.3"))),
        Some((Action::Block, 32, vec![2]))
    );
    assert_eq!(
        verdict(&s, Query::Ip(ip("10.1.2.4"))),
        Some((Action::Allow, 8, vec![1]))
    );
    assert_eq!(verdict(&s, Query::Ip(ip("11.0.0.1"))), None);
}

#[test]
fn equal_specificity_allow_beats_block_beats_alert() {
    let s = snapshot(&[
        (Observable::Ip(ip("192.0.2.7")), 3, Action::Alert, LATER),
        (Observable::Ip(ip("192.0.2.7")), 1, Action::Block, LATER),
        (
            Observable::Cidr(ip("192.0.2.7"), 32),
            2,
            Action::Allow,
            LATER,
        ),
        (Observable::Domain("evil.test"), 4, Action::Alert, LATER),
        (Observable::Domain("evil.test"), 5, Action::Block, LATER),
    ]);
    assert_eq!(
        verdict(&s, Query::Ip(ip("192.0.2.7"))),
        Some((Action::Allow, 32, vec![1, 2, 3]))
    );
    assert_eq!(
        verdict(&s, Query::Domain("evil.test")),
        Some((Action::Block, 2, vec![4, 5]))
    );
}

#[test]
fn the_longest_matching_domain_wins() {
    let s = snapshot(&[
        (Observable::Domain("example"), 1, Action::Allow, LATER),
        (Observable::Domain("a.b.example"), 2, Action::Block, LATER),
    ]);
    assert_eq!(
        verdict(&s, Query::Domain("x.a.b.example")),
        Some((Action::Block, 3, vec![2]))
    );
    assert_eq!(
        verdict(&s, Query::Domain("a.b.example")),
        Some((Action::Block, 3, vec![2]))
    );
    assert_eq!(
        verdict(&s, Query::Domain("b.example")),
        Some((Action::Allow, 1, vec![1]))
    );
    assert_eq!(
        verdict(&s, Query::Domain("example")),
        Some((Action::Allow, 1, vec![1]))
    );
}

#[test]
fn a_domain_does_not_match_a_name_that_merely_ends_like_it() {
    let s = snapshot(&[(Observable::Domain("example.com"), 1, Action::Block, LATER)]);
    assert_eq!(verdict(&s, Query::Domain("badexample.com")), None);
    assert_eq!(verdict(&s, Query::Domain("example.com.evil")), None);
    assert_eq!(verdict(&s, Query::Domain("com")), None);
    assert_eq!(
        verdict(&s, Query::Domain("example.com")),
        Some((Action::Block, 2, vec![1]))
    );
    assert_eq!(
        verdict(&s, Query::Domain("a.example.com")),
        Some((Action::Block, 2, vec![1]))
    );
}

#[test]
fn ipv6_blocks_and_addresses() {
    let s = snapshot(&[
        (
            Observable::Cidr(ip("2001:db8::"), 32),
            1,
            Action::Alert,
            LATER,
        ),
        (
            Observable::Cidr(ip("2001:db8:1::"), 48),
            2,
            Action::Block,
            LATER,
        ),
        (Observable::Ip(ip("2001:db8:1::5")), 3, Action::Allow, LATER),
    ]);
    assert_eq!(
        verdict(&s, Query::Ip(ip("2001:db8:1::5"))),
        Some((Action::Allow, 128, vec![3]))
    );
    assert_eq!(
        verdict(&s, Query::Ip(ip("2001:db8:1::6"))),
        Some((Action::Block, 48, vec![2]))
    );
    assert_eq!(
        verdict(&s, Query::Ip(ip("2001:db8:2::1"))),
        Some((Action::Alert, 32, vec![1]))
    );
    assert_eq!(verdict(&s, Query::Ip(ip("2001:db9::1"))), None);
    assert_eq!(
        verdict(&s, Query::Ip(ip("32.1.13.184"))),
        None,
        "IPv4 never matches IPv6 blocks"
    );
}

#[test]
fn zero_length_prefixes_match_their_whole_family() {
    let s = snapshot(&[
        (Observable::Cidr(ip("0.0.0.0"), 0), 1, Action::Alert, LATER),
        (Observable::Cidr(ip("::"), 0), 2, Action::Block, LATER),
        (
            Observable::Cidr(ip("255.255.255.255"), 32),
            3,
            Action::Block,
            LATER,
        ),
    ]);
    assert_eq!(
        verdict(&s, Query::Ip(ip("8.8.8.8"))),
        Some((Action::Alert, 0, vec![1]))
    );
    assert_eq!(
        verdict(&s, Query::Ip(ip("0.0.0.0"))),
        Some((Action::Alert, 0, vec![1]))
    );
    assert_eq!(
        verdict(&s, Query::Ip(ip("255.255.255.255"))),
        Some((Action::Block, 32, vec![3]))
    );
    let top = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
    assert_eq!(
        verdict(&s, Query::Ip(ip(top))),
        Some((Action::Block, 0, vec![2]))
    );
}

#[test]
fn an_entry_expiring_now_no_longer_matches() {
    let s = snapshot(&[
        (
            Observable::Cidr(ip("10.0.0.0"), 8),
            1,
            Action::Alert,
            NOW + 1,
        ),
        (Observable::Ip(ip("10.0.0.1")), 2, Action::Block, NOW),
        (Observable::Url("https://x.test/a"), 3, Action::Block, NOW),
    ]);
    assert_eq!(
        verdict(&s, Query::Ip(ip("10.0.0.1"))),
        Some((Action::Alert, 8, vec![1]))
    );
    assert_eq!(
        s.lookup_ip(ip("10.0.0.1"), NOW - 1)
            .map(|v| v.keys.to_vec()),
        Some(vec![2])
    );
    assert_eq!(verdict(&s, Query::Url("https://x.test/a")), None);
    assert!(s.lookup_url("https://x.test/a", NOW - 1).is_some());
    assert_eq!(s.lookup_ip(ip("10.0.0.1"), NOW + 1), None);
}

#[test]
fn expired_subdomain_falls_back_to_its_parent() {
    let s = snapshot(&[
        (Observable::Domain("example.org"), 1, Action::Alert, LATER),
        (Observable::Domain("www.example.org"), 2, Action::Allow, NOW),
    ]);
    assert_eq!(
        verdict(&s, Query::Domain("www.example.org")),
        Some((Action::Alert, 2, vec![1]))
    );
}

#[test]
fn exact_kinds_match_exactly() {
    let md5 = "d41d8cd98f00b204e9800998ecf8427e";
    let s = snapshot(&[
        (Observable::Hash(md5), 1, Action::Block, LATER),
        (
            Observable::Url("https://x.test/a?b=1"),
            2,
            Action::Block,
            LATER,
        ),
        (Observable::Email("eve@x.test"), 3, Action::Alert, LATER),
    ]);
    let exact = |key| Some((Action::Block, EXACT_SPECIFICITY, vec![key]));
    assert_eq!(verdict(&s, Query::Hash(md5)), exact(1));
    assert_eq!(verdict(&s, Query::Hash(&md5.to_uppercase())), exact(1));
    assert_eq!(verdict(&s, Query::Hash(&md5[..30])), None);
    assert_eq!(verdict(&s, Query::Hash("not hex")), None);
    assert_eq!(verdict(&s, Query::Url("https://x.test/a?b=1")), exact(2));
    assert_eq!(verdict(&s, Query::Url("https://x.test/a")), None);
    assert_eq!(
        verdict(&s, Query::Email("eve@x.test")),
        Some((Action::Alert, EXACT_SPECIFICITY, vec![3]))
    );
    assert_eq!(verdict(&s, Query::Email("eve@x.tes")), None);
    assert_eq!(
        verdict(&s, Query::Domain("x.test")),
        None,
        "kinds do not mix"
    );
}

#[test]
fn many_keys_on_one_value_are_all_reported() {
    let items: Vec<_> = (0..40)
        .map(|k| {
            (
                Observable::Domain("many.test"),
                39 - k,
                Action::Alert,
                LATER,
            )
        })
        .collect();
    let s = snapshot(&items);
    let v = s.lookup_domain("a.many.test", NOW).unwrap();
    assert_eq!(v.keys.to_vec(), (0..40).collect::<Vec<u32>>());
}

#[test]
fn all_matches_lists_every_level_most_specific_first() {
    let s = snapshot(&[
        (Observable::Cidr(ip("10.0.0.0"), 8), 5, Action::Allow, LATER),
        (
            Observable::Cidr(ip("10.1.0.0"), 16),
            4,
            Action::Alert,
            LATER,
        ),
        (
            Observable::Cidr(ip("10.1.0.0"), 16),
            2,
            Action::Block,
            LATER,
        ),
        (Observable::Ip(ip("10.1.0.9")), 3, Action::Block, NOW),
    ]);
    let mut out = vec![Hit {
        key: 99,
        action: Action::Alert,
        expires: 0,
        specificity: 0,
    }];
    assert_eq!(s.all_matches(Query::Ip(ip("10.1.0.9")), NOW, &mut out), 3);
    let got: Vec<(u32, u8)> = out.iter().map(|h| (h.key, h.specificity)).collect();
    assert_eq!(
        got,
        [(99, 0), (2, 16), (4, 16), (5, 8)],
        "appends, expired left out"
    );
    out.clear();
    assert_eq!(s.all_matches(Query::Ip(ip("11.0.0.0")), NOW, &mut out), 0);
}

#[test]
fn an_empty_snapshot_matches_nothing() {
    let s = Snapshot::empty();
    assert!(s.is_empty());
    assert_eq!(verdict(&s, Query::Ip(ip("1.2.3.4"))), None);
    assert_eq!(verdict(&s, Query::Domain("a.b")), None);
    assert_eq!(verdict(&s, Query::Hash("00")), None);
}
