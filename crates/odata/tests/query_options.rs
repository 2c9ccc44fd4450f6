//! The query string (form decoding, `$` optional, case-insensitive names, duplicates, numbers) and
//! binding of `$orderby`, `$select`, `$expand` through [`odata::bind`].

use odata::testing::ALERT;
use odata::{bind, encode_query_value, parse_query_string, BindOptions, ErrorKind, QueryOptions};

fn parse(q: &str) -> QueryOptions {
    parse_query_string(q).unwrap_or_else(|e| panic!("{q}: {e}"))
}

#[test]
fn what_kiota_sends() {
    let q = parse(
        "$count=true&$filter=severity%20eq%20%27high%27%20and%20createdDateTime%20ge%202021-04-01T00%3A00%3A00Z\
         &$orderby=createdDateTime%20desc&$select=id,title,severity&$top=2",
    );
    assert_eq!(
        q.filter.as_deref(),
        Some("severity eq 'high' and createdDateTime ge 2021-04-01T00:00:00Z")
    );
    assert_eq!(q.orderby.as_deref(), Some("createdDateTime desc"));
    assert_eq!(q.select.as_deref(), Some("id,title,severity"));
    assert_eq!(q.top, Some(2));
    assert!(q.count);
}

#[test]
fn what_urlencode_sends() {
    let q = parse("%24filter=Severity+eq+%27High%27&%24top=5");
    assert_eq!(q.filter.as_deref(), Some("Severity eq 'High'"));
    assert_eq!(q.top, Some(5));
    let q = parse("$filter=title%20eq%20%27a%2Bb%20%C3%A9%27");
    assert_eq!(q.filter.as_deref(), Some("title eq 'a+b é'"));
}

#[test]
fn dollar_is_optional_and_names_are_case_insensitive() {
    let q = parse("?filter=a&Top=1&$Skip=2&$COUNT=TRUE&$OrderBy=x&SELECT=y&$expand=z&$skipToken=t");
    assert_eq!(q.filter.as_deref(), Some("a"));
    assert_eq!((q.top, q.skip, q.count), (Some(1), Some(2), true));
    assert_eq!(q.orderby.as_deref(), Some("x"));
    assert_eq!(q.select.as_deref(), Some("y"));
    assert_eq!(q.expand.as_deref(), Some("z"));
    assert_eq!(q.skiptoken.as_deref(), Some("t"));
}

#[test]
fn other_parameters_are_kept_in_order() {
    let q = parse("api-version=2&$top=1&&x=a+b&flag");
    assert_eq!(
        q.other,
        vec![
            ("api-version".to_string(), "2".to_string()),
            ("x".into(), "a b".into()),
            ("flag".into(), "".into())
        ]
    );
}

#[test]
fn format_levels_and_deltatoken_are_kept_for_the_caller() {
    let q = parse("$format=json&$levels=2&$deltatoken=abc");
    assert_eq!(q.format.as_deref(), Some("json"));
    assert_eq!(q.levels.as_deref(), Some("2"));
    assert_eq!(q.deltatoken.as_deref(), Some("abc"));
}

#[test]
fn option_errors() {
    let kind = |q: &str| parse_query_string(q).unwrap_err().kind;
    assert_eq!(kind("$bogus=1"), ErrorKind::UnknownOption);
    assert_eq!(kind("%24bogus=1"), ErrorKind::UnknownOption);
    assert_eq!(kind("$filter=a&filter=b"), ErrorKind::UnknownOption);
    assert_eq!(kind("$top=1&$TOP=2"), ErrorKind::UnknownOption);
    assert_eq!(kind("$top=-1"), ErrorKind::InvalidValue);
    assert_eq!(kind("$top=1.5"), ErrorKind::InvalidValue);
    assert_eq!(kind("$top="), ErrorKind::InvalidValue);
    assert_eq!(kind("$skip=99999999999999999999"), ErrorKind::InvalidValue);
    assert_eq!(kind("$count=yes"), ErrorKind::InvalidValue);
    assert_eq!(kind("$count"), ErrorKind::InvalidValue);
    assert_eq!(kind("$search=x"), ErrorKind::NotSupported);
    assert_eq!(kind("$apply=x"), ErrorKind::NotSupported);
    assert_eq!(kind("compute=x"), ErrorKind::NotSupported);
    assert_eq!(kind("$filter=%FF"), ErrorKind::InvalidValue);
    assert_eq!(parse_query_string("$top=-1").unwrap_err().option, "$top");
}

#[test]
fn numbers_and_booleans() {
    assert_eq!(parse("$top=0").top, Some(0));
    assert_eq!(
        parse("$skip=+7").skip,
        Some(7),
        "'+' decodes to a space, which is trimmed"
    );
    assert!(!parse("$count=False").count);
    assert!(!parse("").count);
}

#[test]
fn encoding_is_strict_rfc_3986() {
    assert_eq!(
        encode_query_value("severity eq 'high'"),
        "severity%20eq%20%27high%27"
    );
    assert_eq!(
        encode_query_value("a+b/c:d(e)&#é~-._"),
        "a%2Bb%2Fc%3Ad%28e%29%26%23%C3%A9~-._"
    );
}

#[test]
fn to_query_string_round_trips() {
    let q =
        parse("$filter=title%20eq%20%27a%2Bb%27&$top=5&$count=true&$skiptoken=x%2By&custom=1%202");
    let text = q.to_query_string();
    assert_eq!(
        text,
        "$count=true&$filter=title%20eq%20%27a%2Bb%27&$skiptoken=x%2By&$top=5&custom=1%202"
    );
    assert_eq!(parse(&text), q);
}

fn bind_query(q: &str) -> Result<odata::bound::BoundQuery, odata::ODataError> {
    bind(&parse(q), &ALERT, &BindOptions::default())
}

#[test]
fn bind_copies_paging_and_binds_every_option() {
    let b = bind_query(
        "$filter=isTest&$orderby=Severity%20desc,vendorInformation/provider,createdDateTime%20asc\
         &$select=ID,Title,title&$expand=alerts&$top=3&$skip=4&$count=true&$skiptoken=t",
    )
    .unwrap();
    assert_eq!(b.filter.map(|f| f.to_string()).as_deref(), Some("isTest"));
    let order: Vec<(String, bool)> = b
        .orderby
        .iter()
        .map(|o| (o.path.display(), o.descending))
        .collect();
    assert_eq!(
        order,
        [
            ("severity".into(), true),
            ("vendorInformation/provider".into(), false),
            ("createdDateTime".into(), false)
        ]
    );
    assert_eq!(b.select, Some(vec!["id", "title"]));
    assert_eq!(b.expand, ["alerts"]);
    assert_eq!(
        (b.top, b.skip, b.count, b.skiptoken.as_deref()),
        (Some(3), Some(4), true, Some("t"))
    );
}

#[test]
fn select_star_means_all() {
    assert_eq!(bind_query("$select=title,*").unwrap().select, None);
    assert_eq!(bind_query("").unwrap().select, None);
}

#[test]
fn list_option_errors() {
    let kind = |q: &str| bind_query(q).unwrap_err().kind;
    assert_eq!(kind("$orderby=bogus"), ErrorKind::UnknownProperty);
    assert_eq!(kind("$orderby=evidence"), ErrorKind::InvalidUse);
    assert_eq!(kind("$orderby=vendorInformation"), ErrorKind::InvalidUse);
    assert_eq!(kind("$orderby=customDetails/x"), ErrorKind::InvalidUse);
    assert_eq!(kind("$orderby=internalNotes"), ErrorKind::InvalidUse);
    assert_eq!(kind("$orderby=title%20up"), ErrorKind::Syntax);
    assert_eq!(kind("$orderby=length(title)"), ErrorKind::NotSupported);
    assert_eq!(kind("$orderby="), ErrorKind::Syntax);
    assert_eq!(kind("$select=titel"), ErrorKind::UnknownProperty);
    assert_eq!(
        kind("$select=vendorInformation/provider"),
        ErrorKind::NotSupported
    );
    assert_eq!(kind("$select=a,,b"), ErrorKind::Syntax);
    assert_eq!(kind("$expand=alerts($select=id)"), ErrorKind::NotSupported);
    assert_eq!(kind("$expand=a/b"), ErrorKind::NotSupported);
    assert_eq!(bind_query("$expand=*").unwrap().expand, ["*"]);
}
