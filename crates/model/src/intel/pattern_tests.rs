//! Unit tests of the STIX patterning parser: every construct of the grammar, printing back, the
//! limits, and every error message with its span (pinned: a changed message fails here).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::pattern::*;

fn parse(text: &str) -> ObservationExpr {
    parse_pattern(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The single comparison of a one-observation pattern.
fn test_of(text: &str) -> PropTest {
    match parse(text) {
        ObservationExpr::Observation {
            comparison: ComparisonExpr::Test(t),
            ..
        } => t,
        other => panic!("{text}: not a single comparison: {other:?}"),
    }
}

fn key(k: &str) -> PathStep {
    PathStep::Key(k.into())
}

#[test]
fn object_paths_with_quoted_keys_and_indexes() {
    let t = test_of("[file:hashes.'SHA-256' = 'ab']");
    assert_eq!(t.path.object_type, "file");
    assert_eq!(t.path.steps, vec![key("hashes"), key("SHA-256")]);
    assert_eq!(t.path.span, Span::new(1, 22));
    let t = test_of("[file:hashes.MD5 = 'ab']");
    assert_eq!(t.path.steps, vec![key("hashes"), key("MD5")]);
    let t = test_of("[email-message:body_multipart[*].body_raw_ref.name = 'x']");
    assert_eq!(
        t.path.steps,
        vec![
            key("body_multipart"),
            PathStep::Index(None),
            key("body_raw_ref"),
            key("name")
        ]
    );
    let t = test_of("[x-custom:'first key'[3] = 'x']");
    assert_eq!(
        t.path.steps,
        vec![key("first key"), PathStep::Index(Some(3))]
    );
}

#[test]
fn every_operator_with_and_without_not() {
    let cases = [
        ("=", CompareOp::Eq),
        ("==", CompareOp::Eq),
        ("!=", CompareOp::Neq),
        ("<>", CompareOp::Neq),
        ("<", CompareOp::Lt),
        ("<=", CompareOp::Le),
        (">", CompareOp::Gt),
        (">=", CompareOp::Ge),
        ("LIKE", CompareOp::Like),
        ("MATCHES", CompareOp::Matches),
        ("ISSUBSET", CompareOp::IsSubset),
        ("ISSUPERSET", CompareOp::IsSuperset),
    ];
    for (text, op) in cases {
        for not in ["", "NOT "] {
            let t = test_of(&format!("[a:b {not}{text} 'x']"));
            assert_eq!((t.op, t.negated), (op, !not.is_empty()), "{not}{text}");
        }
    }
    let t = test_of("[ipv4-addr:value NOT IN ('1.2.3.4', 5, true)]");
    assert!(t.negated);
    assert_eq!(t.op, CompareOp::In);
    assert_eq!(
        t.value,
        Literal::Set(vec![
            Literal::Str("1.2.3.4".into()),
            Literal::Int(5),
            Literal::Bool(true)
        ])
    );
    assert_eq!(test_of("[a:b IN ()]").value, Literal::Set(vec![]));
    match parse("[EXISTS windows-registry-key:values[0].name]") {
        ObservationExpr::Observation {
            comparison: ComparisonExpr::Exists { path, span },
            ..
        } => {
            assert_eq!(path.object_type, "windows-registry-key");
            assert_eq!(span, Span::new(1, 43));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn literals_of_every_kind() {
    let value = |lit: &str| test_of(&format!("[a:b = {lit}]")).value;
    assert_eq!(value("42"), Literal::Int(42));
    assert_eq!(value("-7"), Literal::Int(-7));
    assert_eq!(value("+7"), Literal::Int(7));
    assert_eq!(value("2.5"), Literal::Float(2.5));
    assert_eq!(value("-0.5"), Literal::Float(-0.5));
    assert_eq!(value(".5"), Literal::Float(0.5));
    assert_eq!(value("true"), Literal::Bool(true));
    assert_eq!(value("false"), Literal::Bool(false));
    assert_eq!(
        value(r"'it\'s a \\ path'"),
        Literal::Str(r"it's a \ path".into())
    );
    assert_eq!(value("'ünïcødé'"), Literal::Str("ünïcødé".into()));
    assert_eq!(value("b'AQIDBA=='"), Literal::Binary("AQIDBA==".into()));
    assert_eq!(value("h'0aFF'"), Literal::Hex("0aff".into()));
    let Literal::Timestamp(t) = value("t'2016-06-01T12:30:00.123Z'") else {
        panic!("not a timestamp")
    };
    assert_eq!(crate::datetime::format(t), "2016-06-01T12:30:00.1230000Z");
}

#[test]
fn comparison_precedence_and_parentheses() {
    let e = parse("[a:b = 1 OR a:c = 2 AND a:d = 3]");
    assert_eq!(e.to_string(), "[a:b = 1 OR a:c = 2 AND a:d = 3]");
    let ObservationExpr::Observation {
        comparison: ComparisonExpr::Or(items, _),
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert!(
        matches!(items[1], ComparisonExpr::And(..)),
        "AND binds tighter"
    );
    let e = parse("[(a:b = 1 OR a:c = 2) AND a:d = 3]");
    assert_eq!(e.to_string(), "[(a:b = 1 OR a:c = 2) AND a:d = 3]");
    let e = parse("[a:b = 1 OR (a:c = 2 OR (a:d = 3))]");
    let ObservationExpr::Observation {
        comparison: ComparisonExpr::Or(items, span),
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(items.len(), 3, "nested ORs are flattened");
    assert_eq!(*span, Span::new(1, 34));
}

#[test]
fn observation_operators_and_precedence() {
    let e = parse("[a:b = 1] AND [a:c = 2] OR [a:d = 3] FOLLOWEDBY [a:e = 4]");
    let ObservationExpr::FollowedBy(items, span) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(*span, Span::new(0, 57));
    let ObservationExpr::Or(or_items, _) = &items[0] else {
        panic!("{e:?}")
    };
    assert!(matches!(or_items[0], ObservationExpr::And(..)));
    let e = parse("[a:b = 1] AND ([a:c = 2] OR [a:d = 3])");
    assert_eq!(e.to_string(), "[a:b = 1] AND ([a:c = 2] OR [a:d = 3])");
}

#[test]
fn qualifiers() {
    let q = |text: &str| match parse(text) {
        ObservationExpr::Qualified { qualifier, .. } => qualifier,
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(
        q("[a:b = 1] WITHIN 300 SECONDS"),
        Qualifier::Within { seconds: 300.0 }
    );
    assert_eq!(
        q("[a:b = 1] WITHIN 2.5 SECONDS"),
        Qualifier::Within { seconds: 2.5 }
    );
    assert_eq!(
        q("[a:b = 1] REPEATS 5 TIMES"),
        Qualifier::Repeats { times: 5 }
    );
    let Qualifier::StartStop { start, stop } =
        q("[a:b = 1] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'")
    else {
        panic!()
    };
    assert!(start < stop);
    let e = parse("[a:b = 1] REPEATS 2 TIMES WITHIN 10 SECONDS");
    let ObservationExpr::Qualified { expr, span, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(
        matches!(**expr, ObservationExpr::Qualified { .. }),
        "qualifiers stack"
    );
    assert_eq!(*span, Span::new(0, 43));
    let e = parse("([a:b = 1] OR [a:c = 2]) WITHIN 5 SECONDS AND [a:d = 3]");
    assert!(matches!(e, ObservationExpr::And(..)));
}

/// Printing a tree and parsing the text gives the same text again (idempotent round trip).
#[test]
fn printing_round_trips() {
    let cases = [
        "[ipv4-addr:value = '198.51.100.1/32' OR ipv6-addr:value = '2001:db8::/32']",
        r"[url:value = 'http://x.example/it\'s\\here']",
        "[file:hashes.'SHA-256' = 'ab' AND file:name NOT LIKE 'a%']",
        "[email-message:to_refs[*].value IN ('a@x.example', 'b@x.example')]",
        "[a:b = -1] FOLLOWEDBY ([a:c >= 2.5] OR [a:d < t'2016-01-01T00:00:00Z'])",
        "([a:b = true] AND [a:c = h'00ff']) REPEATS 3 TIMES WITHIN 60 SECONDS",
        "[a:b = b'AAAA'] START t'2016-01-01T00:00:00Z' STOP t'2016-02-01T00:00:00.5Z'",
        "[EXISTS a:'x y'[0].AND_not]",
        "[a:'AND' = 1]",
    ];
    for text in cases {
        let once = parse(text).to_string();
        let twice = parse(&once).to_string();
        assert_eq!(once, twice, "{text}");
    }
    assert_eq!(
        parse("[a:'AND' = 'x']").to_string(),
        "[a:'AND' = 'x']",
        "keywords as keys stay quoted"
    );
}

#[test]
fn depth_is_limited() {
    let nested = |n: usize| format!("{}[a:b = 1]{}", "(".repeat(n), ")".repeat(n));
    assert!(parse_pattern(&nested(MAX_DEPTH - 1)).is_ok());
    let err = parse_pattern(&nested(MAX_DEPTH + 10)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the pattern nests deeper than 64 brackets and parentheses (at bytes 64..65)"
    );
    let inner = format!("[{}a:b = 1{}]", "(".repeat(200), ")".repeat(200));
    assert!(parse_pattern(&inner).is_err());
}

#[test]
fn long_or_chains_are_loops_not_recursion() {
    let parts: Vec<String> = (0..1_500)
        .map(|i| format!("ipv4-addr:value = '10.0.{}.{}'", i / 256, i % 256))
        .collect();
    let text = format!("[{}]", parts.join(" OR "));
    let e = parse(&text);
    assert_eq!(e.to_string(), text);
    let too_long = format!("[a:b = '{}']", "x".repeat(MAX_PATTERN_LEN));
    assert_eq!(
        parse_pattern(&too_long).unwrap_err().message,
        "the pattern is 65546 bytes long; at most 65536 are accepted"
    );
}

/// Every error: (pattern, exact message, the text its span covers).
const ERROR_CASES: &[(&str, &str, &str)] = &[
        ("", "expected a pattern, which starts with '[' or '('; found end of pattern", ""),
        ("ipv4-addr:value = '1.2.3.4'", "expected '[' to start an observation, or '('; found 'ipv4-addr'", "ipv4-addr"),
        ("[ipv4-addr:value = '1.2.3.4'", "expected AND, OR or ']' to close the observation opened at byte 0; found end of pattern", "["),
        ("[ipv4-addr:value = '1.2.3.4]", "unterminated string literal: close it with '", "'1.2.3.4]"),
        ("[a:b = \"x\"]", "strings are quoted with ' (single quotes), not \"", "\""),
        ("[a:b = 'a\\nb']", "invalid escape \\n in a string literal: only \\' and \\\\ are allowed", "\\n"),
        ("[a:b equals 'x']", "expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET); found 'equals'", "equals"),
        ("[a:b = 'x' and a:c = 'y']", "expected AND, OR or ']' to close the observation opened at byte 0; found 'and' (keywords are upper case: write AND)", "and"),
        ("[a:b = 'x'] or [a:c = 'y']", "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern; found 'or' (keywords are upper case: write OR)", "or"),
        ("[ipv4-addr = 'x']", "expected ':' between the object type and its property, as in ipv4-addr:value; found '='", "="),
        ("[:value = 'x']", "expected an object path such as ipv4-addr:value; found ':'", ":"),
        ("[AND:b = 'x']", "expected an object path such as ipv4-addr:value; found 'AND'", "AND"),
        ("[a:b = ]", "expected a literal such as 'text', 42, true or t'2016-01-01T00:00:00Z'; found ']'", "]"),
        ("[a:b LIKE 5]", "LIKE takes a string literal; found an integer", "LIKE 5"),
        ("[a:b MATCHES true]", "MATCHES takes a string literal; found a boolean", "MATCHES true"),
        ("[a:b > true]", "> takes a number, string, timestamp, binary or hex literal; found a boolean", "> true"),
        ("[a:b IN 'x']", "expected '(' to start the set after IN, e.g. IN ('a', 'b'); found string 'x'", "'x'"),
        ("[a:b IN ('x' 'y')]", "expected ',' or ')' to close the set opened at byte 8; found string 'y'", "'y'"),
        ("[a:b = 'x'] WITHIN 0 SECONDS", "expected a positive number of seconds after WITHIN, e.g. WITHIN 300 SECONDS; found number 0", "0"),
        ("[a:b = 'x'] WITHIN 5", "expected SECONDS after WITHIN n; found end of pattern", ""),
        ("[a:b = 'x'] REPEATS 2.5 TIMES", "expected a positive whole number after REPEATS, e.g. REPEATS 5 TIMES; found number 2.5", "2.5"),
        ("[a:b = 'x'] REPEATS 2", "expected TIMES after REPEATS n; found end of pattern", ""),
        ("[a:b = 'x'] START '2016-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00Z'", "expected a timestamp such as t'2016-01-01T00:00:00Z' after START; found string '2016-01-01T00:00:00Z'", "'2016-01-01T00:00:00Z'"),
        ("[a:b = 'x'] START t'2016-01-01T00:00:00Z'", "expected STOP after START t'…'; found end of pattern", ""),
        ("[a:b = 'x'] START t'2017-01-01T00:00:00Z' STOP t'2016-01-01T00:00:00Z'", "the STOP timestamp must be later than the START timestamp", "t'2016-01-01T00:00:00Z'"),
        ("[a:b = t'2016-01-01T00:00:00']", "t'2016-01-01T00:00:00' is not a STIX timestamp such as t'2016-01-01T00:00:00Z' (it must be in UTC, ending in Z)", "t'2016-01-01T00:00:00'"),
        ("[a:b = t'2016-01-01T00:00:00+01:00']", "t'2016-01-01T00:00:00+01:00' is not a STIX timestamp such as t'2016-01-01T00:00:00Z' (it must be in UTC, ending in Z)", "t'2016-01-01T00:00:00+01:00'"),
        ("[a:b = t'yesterday']", "t'yesterday' is not a STIX timestamp such as t'2016-01-01T00:00:00Z' (not an RFC 3339 date-time)", "t'yesterday'"),
        ("[a:b = h'abc']", "h'abc' must hold an even number of hex digits", "h'abc'"),
        ("[a:b = b'###']", "b'###' is not base64 (A-Z a-z 0-9 + / with = padding to a multiple of 4)", "b'###'"),
        ("[a:b = 1.]", "a number needs digits after '.'", "1."),
        ("[a:b = -]", "'-' and '+' must be followed by a number", "-"),
        ("[a:b = 12abc]", "'12abc' is not a number", "12abc"),
        ("[a:b = 99999999999999999999]", "99999999999999999999 does not fit a 64-bit integer", "99999999999999999999"),
        ("[a:b ! 'x']", "'!' must be followed by '=' (write !=)", "!"),
        ("[a:b = 'x'] [a:c = 'y']", "expected AND, OR, FOLLOWEDBY, a qualifier or the end of the pattern; found '['", "["),
        ("[a:b[x] = 'y']", "expected a list index (0, 1, …) or * inside [ ]; found 'x'", "x"),
        ("[a:b[-1] = 'y']", "expected a list index (0, 1, …) or * inside [ ]; found number -1", "-1"),
        ("[a:b. = 'y']", "expected a property name, or a quoted key such as 'SHA-256'; found '='", "="),
        ("[a:b = 'x'] FOLLOWEDBY", "expected '[' to start an observation, or '('; found end of pattern", ""),
        ("[]", "expected an object path such as ipv4-addr:value; found ']'", "]"),
        ("[a:b = 'x'] @", "unexpected character '@'", "@"),
        ("[a:b NOT NOT = 'x']", "expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET); found 'NOT'", "NOT"),
        ("([a:b = 'x']", "expected AND, OR, FOLLOWEDBY, a qualifier or ')' to close the parenthesis opened at byte 0; found end of pattern", "("),
        ("[(a:b = 'x']", "expected AND, OR or ')' to close the parenthesis opened at byte 1; found ']'", "]"),
        ("[a:b = 'é' AND c]", "expected ':' between the object type and its property, as in ipv4-addr:value; found ']'", "]"),
];

#[test]
fn error_messages_and_spans() {
    for (text, message, covered) in ERROR_CASES {
        let err = parse_pattern(text).expect_err(text);
        assert_eq!(err.message, *message, "message for {text}");
        assert_eq!(
            &text[err.span.start..err.span.end],
            *covered,
            "span for {text}"
        );
        assert_eq!(
            err.to_string(),
            format!("{message} (at bytes {}..{})", err.span.start, err.span.end)
        );
    }
}
