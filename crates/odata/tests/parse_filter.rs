//! `$filter` syntax: precedence, every operator, function, literal kind and lambda form, spans, and
//! the depth and length limits.

mod common;

use common::{ast, parse_error};
use odata::ast::{ExprKind, Literal, Span};
use odata::parser::{parse_filter_with_depth, MAX_OPTION_LEN};
use odata::{parse_filter, ErrorKind};

#[test]
fn precedence_is_or_then_and_then_not_then_comparison() {
    assert_eq!(
        ast("a eq 1 or b eq 2 and c eq 3"),
        "(or (eq a 1) (and (eq b 2) (eq c 3)))"
    );
    assert_eq!(ast("not a eq 1 and b"), "(and (not (eq a 1)) b)");
    assert_eq!(
        ast("(a eq 1 or b eq 2) and c"),
        "(and (or (eq a 1) (eq b 2)) c)"
    );
    assert_eq!(ast("not not a"), "(not (not a))");
}

#[test]
fn and_or_chains_are_one_n_ary_node() {
    assert_eq!(ast("a and b and c and d"), "(and a b c d)");
    assert_eq!(ast("a or b or c"), "(or a b c)");
}

#[test]
fn keywords_are_case_insensitive() {
    assert_eq!(
        ast("Severity EQ 'High' AND NOT x Or y"),
        "(or (and (eq Severity 'High') (not x)) y)"
    );
    assert_eq!(
        ast("a Eq TRUE and b ne Null"),
        "(and (eq a true) (ne b null))"
    );
    assert_eq!(ast("CONTAINS(title, 'x')"), "(contains title 'x')");
    assert_eq!(ast("tags/ANY(t: t eq 'x')"), "(any tags t (eq t 'x'))");
}

#[test]
fn every_comparison_operator() {
    for op in ["eq", "ne", "gt", "ge", "lt", "le"] {
        assert_eq!(ast(&format!("a {op} 1")), format!("({op} a 1)"));
    }
    assert_eq!(ast("flags has 'manual'"), "(has flags 'manual')");
    assert_eq!(
        ast("status in ('new', 'inProgress')"),
        "(in status 'new' 'inProgress')"
    );
    assert_eq!(ast("status in ('new')"), "(in status 'new')");
}

#[test]
fn every_function() {
    for f in ["contains", "startswith", "endswith"] {
        assert_eq!(ast(&format!("{f}(title, 'x')")), format!("({f} title 'x')"));
    }
    for f in [
        "tolower", "toupper", "length", "trim", "year", "month", "day", "hour", "minute", "second",
    ] {
        assert_eq!(ast(&format!("{f}(p) eq 1")), format!("(eq ({f} p) 1)"));
    }
    assert_eq!(
        ast("contains(tolower(title),'x')"),
        "(contains (tolower title) 'x')"
    );
    assert_eq!(ast("length()"), "(length)");
}

#[test]
fn literal_kinds() {
    assert_eq!(ast("a eq 'it''s'"), "(eq a 'it''s')");
    assert_eq!(ast("a eq ''''"), "(eq a '''')");
    assert_eq!(ast("a eq ''"), "(eq a '')");
    assert_eq!(ast("a eq -42"), "(eq a -42)");
    assert_eq!(ast("a eq 1.5"), "(eq a 1.5)");
    assert_eq!(ast("a eq 1e3"), "(eq a 1000.0)");
    assert_eq!(ast("a eq -2.5E-1"), "(eq a -0.25)");
    assert_eq!(
        ast("a eq 2024-01-01T00:00:00Z"),
        "(eq a 2024-01-01T00:00:00Z)"
    );
    assert_eq!(
        ast("a eq 2024-01-01T00:00:00.1234567+02:00"),
        "(eq a 2024-01-01T00:00:00.1234567+02:00)"
    );
    assert_eq!(ast("a eq 2024-01-01T10:30Z"), "(eq a 2024-01-01T10:30:00Z)");
    assert_eq!(ast("a eq 2024-01-01"), "(eq a 2024-01-01)");
    assert_eq!(
        ast("a eq 6F9619FF-8B86-D011-B42D-00C04FC964FF"),
        "(eq a 6f9619ff-8b86-d011-b42d-00c04fc964ff)"
    );
    assert_eq!(
        ast("a eq microsoft.graph.security.alertSeverity'high'"),
        "(eq a microsoft.graph.security.alertSeverity'high')"
    );
    assert_eq!(
        ast("a eq true or a eq false or a eq null"),
        "(or (eq a true) (eq a false) (eq a null))"
    );
}

#[test]
fn unicode_strings_keep_their_text_and_spans_are_bytes() {
    let e = parse_filter("title eq 'é€😀'").unwrap();
    let ExprKind::Compare { right, .. } = e.kind else {
        panic!()
    };
    assert_eq!(
        right.kind,
        ExprKind::Literal(Literal::String("é€😀".into()))
    );
    assert_eq!(right.span, Span::new(9, 9 + 2 + "é€😀".len()));
}

#[test]
fn lambda_forms() {
    assert_eq!(ast("tags/any(t: t eq 'x')"), "(any tags t (eq t 'x'))");
    assert_eq!(ast("tags/any()"), "(any tags)");
    assert_eq!(ast("tags/all(t:t ne 'x')"), "(all tags t (ne t 'x'))");
    assert_eq!(
        ast("evidence/any(e: e/detailedRoles/any(r: r eq 'x'))"),
        "(any evidence e (any e/detailedRoles r (eq r 'x')))"
    );
    assert_eq!(
        ast("userStates/any(d:d/userPrincipalName eq 'a@b.c')"),
        "(any userStates d (eq d/userPrincipalName 'a@b.c'))"
    );
    assert_eq!(
        ast("evidence/any(e: e/microsoft.graph.security.deviceEvidence/hostName eq 'x')"),
        "(any evidence e (eq e/microsoft.graph.security.deviceEvidence/hostName 'x'))"
    );
    assert_eq!(ast("a/b/c eq 1"), "(eq a/b/c 1)");
    assert_eq!(ast("a/any eq 1"), "(eq a/any 1)");
}

#[test]
fn spans_cover_what_was_written() {
    let text = "severity eq 'high' and evidence/any(e: e/verdict eq 'malicious')";
    let e = parse_filter(text).unwrap();
    assert_eq!(e.span, Span::new(0, text.len()));
    let ExprKind::And(items) = e.kind else {
        panic!()
    };
    assert_eq!(
        &text[items[0].span.start..items[0].span.end],
        "severity eq 'high'"
    );
    assert_eq!(
        &text[items[1].span.start..items[1].span.end],
        "evidence/any(e: e/verdict eq 'malicious')"
    );
    let ExprKind::Lambda(l) = &items[1].kind else {
        panic!()
    };
    let body = l.body.as_ref().unwrap();
    assert_eq!(body.variable.span, Span::new(36, 37));
    assert_eq!(
        &text[body.predicate.span.start..body.predicate.span.end],
        "e/verdict eq 'malicious'"
    );
}

#[test]
fn whitespace_is_flexible() {
    assert_eq!(
        ast("  (a eq 1)\tand\n(b eq 2)  "),
        "(and (eq a 1) (eq b 2))"
    );
    assert_eq!(ast("contains( title , 'x' )"), "(contains title 'x')");
}

#[test]
fn depth_limit_counts_nesting_and_reports_too_deep() {
    let ok = format!("{}a{}", "(".repeat(60), ")".repeat(60));
    assert!(parse_filter(&ok).is_ok());
    let deep = format!("{}a{}", "(".repeat(70), ")".repeat(70));
    assert_eq!(parse_error(&deep).kind, ErrorKind::TooDeep);
    let nots = format!("{}a", "not ".repeat(100));
    assert_eq!(parse_error(&nots).kind, ErrorKind::TooDeep);
    let calls = format!("{}t{}", "tolower(".repeat(100), ")".repeat(100));
    assert_eq!(parse_error(&calls).kind, ErrorKind::TooDeep);
    assert_eq!(
        parse_filter_with_depth("((a))", 2).unwrap_err().kind,
        ErrorKind::TooDeep
    );
    assert!(parse_filter_with_depth("((a))", 3).is_ok());
}

#[test]
fn deeply_nested_input_never_overflows_the_stack() {
    let deep = "(".repeat(MAX_OPTION_LEN);
    assert_eq!(parse_error(&deep).kind, ErrorKind::TooDeep);
    let lambdas = "a/any(x: ".repeat(800);
    assert_eq!(parse_error(&lambdas).kind, ErrorKind::TooDeep);
}

#[test]
fn long_chains_parse_without_recursion() {
    let clauses: Vec<String> = (0..800).map(|i| format!("a eq {}", i % 10)).collect();
    let text = clauses.join(" or ");
    assert!(text.len() <= MAX_OPTION_LEN);
    let e = parse_filter(&text).unwrap();
    let ExprKind::Or(items) = e.kind else {
        panic!()
    };
    assert_eq!(items.len(), 800);
}

#[test]
fn length_limit_is_8_kib() {
    let at_limit = format!("a eq '{}'", "x".repeat(MAX_OPTION_LEN - 7));
    assert_eq!(at_limit.len(), MAX_OPTION_LEN);
    assert!(parse_filter(&at_limit).is_ok());
    let over = format!("a eq '{}'", "x".repeat(MAX_OPTION_LEN - 6));
    assert_eq!(parse_error(&over).kind, ErrorKind::InvalidValue);
}

#[test]
fn errors_carry_positions() {
    assert_eq!(parse_error("a eq 'abc").position, Some(5));
    assert_eq!(parse_error("(a eq 1").position, Some(7));
    assert_eq!(parse_error("a eq 1 b").position, Some(7));
    assert_eq!(parse_error("a eq 2024-02-30T00:00:00Z").position, Some(13));
    assert_eq!(parse_error("a eq 'x' )").position, Some(9));
    assert_eq!(parse_error("a eq").position, Some(4));
}

#[test]
fn unsupported_constructs_say_so() {
    assert_eq!(
        parse_error("substringof('x', title)").kind,
        ErrorKind::NotSupported
    );
    assert_eq!(
        parse_error("indexof(title, 'x') eq 1").kind,
        ErrorKind::NotSupported
    );
    assert_eq!(parse_error("a add 1 eq 2").kind, ErrorKind::NotSupported);
    assert_eq!(parse_error("frobnicate(a)").kind, ErrorKind::Syntax);
    assert_eq!(parse_error("tags/all()").kind, ErrorKind::Syntax);
    assert_eq!(parse_error("any(t: t eq 1)").kind, ErrorKind::Syntax);
}
