//! Invalid observables are refused with a message naming the value and what to fix, and leave
//! the builder (or the snapshot being updated) unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use matcher::{Action, Entry, MatcherError, Observable, SnapshotBuilder};

fn refuse(observable: Observable<'_>) -> String {
    let mut builder = SnapshotBuilder::new();
    let error = builder
        .insert(observable, Entry::new(1, Action::Block, 10))
        .expect_err("must be refused");
    assert!(builder.is_empty(), "nothing added on error");
    error.to_string()
}

#[test]
fn prefix_longer_than_the_address() {
    let v4 = refuse(Observable::Cidr("10.0.0.0".parse().unwrap(), 33));
    assert_eq!(
        v4,
        "CIDR 10.0.0.0/33: the prefix length must be 0 to 32 for this address family"
    );
    let v6 = refuse(Observable::Cidr("2001:db8::".parse().unwrap(), 129));
    assert!(v6.contains("/129") && v6.contains("0 to 128"), "{v6}");
    let mut builder = SnapshotBuilder::new();
    let ok = Entry::new(1, Action::Block, 10);
    assert!(builder
        .insert(Observable::Cidr("10.0.0.0".parse().unwrap(), 32), ok)
        .is_ok());
    assert!(builder
        .insert(Observable::Cidr("::".parse().unwrap(), 128), ok)
        .is_ok());
}

#[test]
fn hashes_must_be_whole_hex_bytes() {
    assert_eq!(
        refuse(Observable::Hash("d41d8cd98f00b204e9800998ecf8427g")),
        "file hash \"d41d8cd98f00b204e9800998ecf8427g\": 'g' at byte 31 is not a hex digit; \
         a hash is written with 0-9 and a-f only"
    );
    assert_eq!(
        refuse(Observable::Hash("abc")),
        "file hash \"abc\": has an odd number of hex digits (3); each byte takes two digits"
    );
    assert!(refuse(Observable::Hash("")).contains("is empty; give 32 (MD5)"));
    assert!(refuse(Observable::Hash(&"ab".repeat(129))).contains("at most 256 are accepted"));
}

#[test]
fn domains_must_be_normalised() {
    assert!(
        refuse(Observable::Domain("Example.com")).contains("normalise the domain to lower case")
    );
    assert!(refuse(Observable::Domain("example.com.")).contains("trailing dot"));
    assert!(refuse(Observable::Domain("*.example.com")).contains("wildcards are implicit"));
}

#[test]
fn urls_and_emails() {
    assert!(refuse(Observable::Url("")).contains("is empty"));
    assert!(refuse(Observable::Url("http://x/ y")).contains("percent-encode"));
    assert!(refuse(Observable::Email("nobody")).contains("local@domain"));
    assert!(refuse(Observable::Email("Eve@x.test")).contains("lower case"));
}

#[test]
fn a_rejected_update_names_the_item_and_applies_nothing() {
    let mut builder = SnapshotBuilder::new();
    builder
        .insert(
            Observable::Domain("keep.test"),
            Entry::new(1, Action::Block, 10),
        )
        .unwrap();
    let snapshot = builder.build();
    let added = [
        (
            Observable::Domain("fine.test"),
            Entry::new(2, Action::Block, 10),
        ),
        (Observable::Hash("xyz"), Entry::new(3, Action::Block, 10)),
    ];
    let error = snapshot.apply(&[1], added).expect_err("item 1 is invalid");
    assert!(
        matches!(error, MatcherError::AddedItem { index: 1, .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("added item 1: file hash \"xyz\""),
        "{error}"
    );
    assert!(snapshot.lookup_domain("keep.test", 0).is_some());
}
