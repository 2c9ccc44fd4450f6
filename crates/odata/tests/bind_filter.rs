//! `$filter` binding: canonical names, literal conversion per type, enums, lambdas and scopes,
//! dictionaries, functions, folding, and the shape of the bound tree.

mod common;

use common::{bind_error, bound, bound_with_unknown_members};
use odata::bound::{BoundExpr, BoundValue, Literal};
use odata::schema::PropType;
use odata::testing::ALERT;
use odata::{bind_filter, BindOptions, ErrorKind};

#[test]
fn names_resolve_case_insensitively_to_canonical_spelling() {
    assert_eq!(bound("Severity eq 'High'"), "(eq severity #high)");
    assert_eq!(
        bound("VENDORINFORMATION/Provider eq 'ASC'"),
        "(eq vendorInformation/provider 'ASC')"
    );
}

#[test]
fn every_comparison_operator_binds() {
    for op in ["eq", "ne", "gt", "ge", "lt", "le"] {
        assert_eq!(
            bound(&format!("riskScore {op} 5")),
            format!("({op} riskScore 5)")
        );
    }
    assert_eq!(bound("5 lt riskScore"), "(lt 5 riskScore)");
}

#[test]
fn the_five_clause_benchmark_filter() {
    let f = "severity eq 'high' and status ne 'resolved' and createdDateTime ge 2024-01-01T00:00:00Z \
             and evidence/any(e: e/remediationStatus eq 'notFound') and contains(title, 'powershell')";
    assert_eq!(
        bound(f),
        "(and (and (and (eq severity #high) (ne status #resolved)) (and (ge createdDateTime \
         2024-01-01T00:00:00Z) (any evidence (eq $1/remediationStatus #notFound)))) (contains title \
         'powershell'))"
    );
}

#[test]
fn literals_convert_to_the_property_type() {
    assert_eq!(bound("title eq 'x'"), "(eq title 'x')");
    assert_eq!(bound("isTest eq true"), "(eq isTest true)");
    assert_eq!(bound("riskScore gt 1.5"), "(gt riskScore 1.5)");
    assert_eq!(bound("confidence gt 1"), "(gt confidence 1.0)");
    assert_eq!(bound("eventCount le -3"), "(le eventCount -3)");
    assert_eq!(
        bound("createdDateTime lt 2024-01-01"),
        "(lt createdDateTime 2024-01-01T00:00:00Z)"
    );
    assert_eq!(
        bound("createdDateTime lt '2024-01-01T10:00:00+02:00'"),
        "(lt createdDateTime 2024-01-01T10:00:00+02:00)"
    );
    assert_eq!(
        bound("createdDateTime lt '2024-01-01'"),
        "(lt createdDateTime 2024-01-01T00:00:00Z)"
    );
    let guid = "6f9619ff-8b86-d011-b42d-00c04fc964ff";
    assert_eq!(
        bound(&format!("correlationId eq {guid}")),
        format!("(eq correlationId {guid})")
    );
    assert_eq!(
        bound(&format!("correlationId eq '{guid}'")),
        format!("(eq correlationId {guid})")
    );
    assert_eq!(
        bound("id eq 6F9619FF-8B86-D011-B42D-00C04FC964FF"),
        "(eq id '6F9619FF-8B86-D011-B42D-00C04FC964FF')"
    );
    assert_eq!(bound("title eq 'it''s'"), "(eq title 'it''s')");
}

#[test]
fn literal_types_are_exact() {
    let e = bind_filter(
        "createdDateTime ge 2024-01-01",
        &ALERT,
        &BindOptions::default(),
    )
    .unwrap();
    let BoundExpr::Compare {
        left: BoundValue::Path(p),
        right: BoundValue::Literal(Literal::DateTime(dt)),
        ..
    } = e
    else {
        panic!("{e:?}")
    };
    assert!(matches!(p.path.ty, PropType::DateTimeOffset));
    assert_eq!(p.scope, 0);
    assert_eq!(dt.unix_timestamp(), 1_704_067_200);
}

#[test]
fn enums_match_members_case_insensitively_and_accept_qualified_literals() {
    assert_eq!(bound("status eq 'INPROGRESS'"), "(eq status #inProgress)");
    assert_eq!(
        bound("severity eq microsoft.graph.security.alertSeverity'HIGH'"),
        "(eq severity #high)"
    );
    assert_eq!(
        bound("severity eq security.alertSeverity'low'"),
        "(eq severity #low)"
    );
    assert_eq!(bound("severity ge 'medium'"), "(ge severity #medium)");
    assert_eq!(
        bound("status in ('new', 'InProgress')"),
        "(in status #new #inProgress)"
    );
}

#[test]
fn evolvable_enum_members_need_the_prefer_header() {
    let e = bind_error("serviceSource eq 'microsoftSentinel'");
    assert_eq!(e.kind, ErrorKind::InvalidValue);
    assert!(
        e.message.contains("Prefer: include-unknown-enum-members"),
        "{}",
        e.message
    );
    assert_eq!(
        bound_with_unknown_members("serviceSource eq 'microsoftsentinel'"),
        "(eq serviceSource #microsoftSentinel)"
    );
    assert_eq!(
        bound("serviceSource eq 'unknownFutureValue'"),
        "(eq serviceSource #unknownFutureValue)"
    );
}

#[test]
fn has_applies_to_flags_enums() {
    assert_eq!(
        bound("detectionFlags has 'Manual'"),
        "(has detectionFlags #manual)"
    );
    assert_eq!(
        bound("detectionFlags has test.detectionFlags'automated'"),
        "(has detectionFlags #automated)"
    );
    assert_eq!(
        bind_error("severity has 'high'").kind,
        ErrorKind::InvalidUse
    );
    assert_eq!(
        bind_error("detectionFlags has 'bogus'").kind,
        ErrorKind::InvalidValue
    );
    assert_eq!(
        bind_error("detectionFlags eq 'manual,automated'").kind,
        ErrorKind::InvalidValue
    );
}

#[test]
fn null_compares_with_eq_and_ne_only() {
    assert_eq!(bound("assignedTo eq null"), "(eq assignedTo null)");
    assert_eq!(bound("null ne severity"), "(ne null severity)");
    assert_eq!(
        bound("vendorInformation eq null"),
        "(eq vendorInformation null)"
    );
    assert_eq!(bind_error("assignedTo gt null").kind, ErrorKind::InvalidUse);
    assert_eq!(
        bind_error("status in ('new', null)").kind,
        ErrorKind::InvalidUse
    );
}

#[test]
fn lambdas_over_primitive_enum_and_complex_collections() {
    assert_eq!(
        bound("systemTags/any(t: t eq 'x')"),
        "(any systemTags (eq $1 'x'))"
    );
    assert_eq!(bound("systemTags/any()"), "(any systemTags)");
    assert_eq!(
        bound("categories/all(c: startswith(c, 'Cred'))"),
        "(all categories (startswith $1 'Cred'))"
    );
    assert_eq!(
        bound("evidence/any(e: e/roles/any(r: r eq 'Attacker'))"),
        "(any evidence (any $1/roles (eq $2 #attacker)))"
    );
    assert_eq!(
        bound("evidence/any(e: e/detailedRoles/any(r: r eq 'x'))"),
        "(any evidence (any $1/detailedRoles (eq $2 'x')))"
    );
    assert_eq!(
        bound("evidence/any(e: e/microsoft.graph.security.deviceEvidence/hostName eq 'x')"),
        "(any evidence (eq $1/hostName 'x'))"
    );
    assert_eq!(
        bound("evidence/any(e: e/microsoft.graph.security.deviceEvidence/loggedOnUsers/any(u: u/accountName eq e/hostName))"),
        "(any evidence (any $1/loggedOnUsers (eq $2/accountName $1/hostName)))"
    );
    assert_eq!(
        bound("evidence/any(e: e/imageFile/fileName eq 'a.exe' and title eq 'x')"),
        "(any evidence (and (eq $1/imageFile/fileName 'a.exe') (eq title 'x')))"
    );
}

#[test]
fn lambda_variables_are_scoped() {
    assert_eq!(
        bind_error("systemTags/any(t: t eq 'x') and t eq 'y'").kind,
        ErrorKind::UnknownProperty
    );
    assert_eq!(
        bind_error("evidence/any(e: e/tags/any(e: e eq 'x'))").kind,
        ErrorKind::Syntax
    );
    assert_eq!(
        bind_error("systemTags/any(t: u eq 'x')").kind,
        ErrorKind::UnknownProperty
    );
    assert_eq!(
        bind_error("title/any(t: t eq 'x')").kind,
        ErrorKind::InvalidUse
    );
}

#[test]
fn sibling_lambdas_may_reuse_a_name_and_variables_shadow_properties() {
    assert_eq!(
        bound("systemTags/any(t: t eq 'x') or categories/any(t: t eq 'y')"),
        "(or (any systemTags (eq $1 'x')) (any categories (eq $1 'y')))"
    );
    assert_eq!(
        bound("evidence/any(title: title/verdict eq 'malicious')"),
        "(any evidence (eq $1/verdict #malicious))"
    );
    assert_eq!(
        bound("evidence/any(e: e eq null)"),
        "(any evidence (eq $1 null))"
    );
}

#[test]
fn type_casts_narrow_to_derived_types() {
    let e = bind_error("evidence/any(e: e/microsoft.graph.security.fileEvidence/hostName eq 'x')");
    assert_eq!(e.kind, ErrorKind::UnknownProperty);
    assert_eq!(
        bind_error("evidence/any(e: e/microsoft.graph.security.nope/hostName eq 'x')").kind,
        ErrorKind::UnknownProperty
    );
    assert_eq!(
        bind_error("evidence/microsoft.graph.security.deviceEvidence/any(d: d/hostName eq 'x')")
            .kind,
        ErrorKind::NotSupported
    );
    assert_eq!(
        bound("microsoft.graph.security.alert/title eq 'x'"),
        "(eq title 'x')"
    );
}

#[test]
fn dictionaries_accept_any_sub_path_and_any_literal() {
    assert_eq!(
        bound("customDetails/threatLevel eq 'x'"),
        "(eq customDetails/threatLevel 'x')"
    );
    assert_eq!(bound("customDetails/a/b gt 5"), "(gt customDetails/a/b 5)");
    assert_eq!(
        bound("additionalData/Flag eq true"),
        "(eq additionalData/Flag true)"
    );
    assert_eq!(
        bound("evidence/any(e: e/labels/app eq 'web')"),
        "(any evidence (eq $1/labels/app 'web'))"
    );
    let e = bind_filter("customDetails/Key eq 1", &ALERT, &BindOptions::default()).unwrap();
    let BoundExpr::Compare {
        left: BoundValue::Path(p),
        ..
    } = e
    else {
        panic!()
    };
    assert_eq!(p.path.segments, ["customDetails"]);
    assert_eq!(p.path.open_segments, ["Key"]);
    assert!(matches!(p.path.ty, PropType::Dictionary));
}

#[test]
fn functions_are_type_checked() {
    assert_eq!(bound("contains(title, 'x')"), "(contains title 'x')");
    assert_eq!(
        bound("not endswith(tolower(title), 'exe')"),
        "(not (endswith (tolower title) 'exe'))"
    );
    assert_eq!(
        bound("length(trim(title)) gt 3"),
        "(gt (length (trim title)) 3)"
    );
    assert_eq!(bound("toupper(title) eq 'X'"), "(eq (toupper title) 'X')");
    for f in ["year", "month", "day", "hour", "minute", "second"] {
        assert_eq!(
            bound(&format!("{f}(createdDateTime) eq 1")),
            format!("(eq ({f} createdDateTime) 1)")
        );
    }
    assert_eq!(
        bound("year(2024-05-01) eq 2024"),
        "(eq (year 2024-05-01T00:00:00Z) 2024)"
    );
    assert_eq!(
        bound("contains(customDetails/x, 'y')"),
        "(contains customDetails/x 'y')"
    );
    assert_eq!(
        bind_error("contains(severity, 'x')").kind,
        ErrorKind::TypeMismatch
    );
    assert_eq!(bind_error("contains(title)").kind, ErrorKind::TypeMismatch);
    assert_eq!(bind_error("year(title) eq 1").kind, ErrorKind::TypeMismatch);
    assert_eq!(
        bind_error("contains(title, 5)").kind,
        ErrorKind::TypeMismatch
    );
    assert_eq!(
        bind_error("contains(systemTags, 'x')").kind,
        ErrorKind::TypeMismatch
    );
    assert_eq!(
        bind_error("length(title) eq 'x'").kind,
        ErrorKind::TypeMismatch
    );
}

#[test]
fn comparing_two_literals_folds_to_a_constant() {
    assert_eq!(bound("1 eq 1"), "true");
    assert_eq!(bound("'a' gt 'b'"), "false");
    assert_eq!(bound("1 lt 1.5 and null eq null"), "(and true true)");
    assert_eq!(bound("2024-01-01 eq 2024-01-01T00:00:00Z"), "true");
    assert_eq!(bound("'a' in ('b', 'a')"), "true");
    assert_eq!(bind_error("1 eq 'a'").kind, ErrorKind::TypeMismatch);
    assert_eq!(bind_error("true gt false").kind, ErrorKind::TypeMismatch);
}

#[test]
fn bare_values_must_be_boolean() {
    assert_eq!(bound("isTest"), "isTest");
    assert_eq!(bound("not isTest or true"), "(or (not isTest) true)");
    assert_eq!(bind_error("title").kind, ErrorKind::InvalidUse);
    assert_eq!(bind_error("5").kind, ErrorKind::TypeMismatch);
    assert_eq!(
        bind_error("title eq (a eq 1)").kind,
        ErrorKind::TypeMismatch
    );
}

#[test]
fn type_rules_for_comparisons() {
    assert_eq!(bind_error("isTest gt true").kind, ErrorKind::InvalidUse);
    assert_eq!(bind_error("systemTags eq 'x'").kind, ErrorKind::InvalidUse);
    assert_eq!(
        bind_error("vendorInformation eq 'x'").kind,
        ErrorKind::InvalidUse
    );
    assert_eq!(bind_error("title eq 5").kind, ErrorKind::TypeMismatch);
    assert_eq!(bind_error("riskScore eq '5'").kind, ErrorKind::TypeMismatch);
    assert_eq!(
        bind_error("createdDateTime eq 'yesterday'").kind,
        ErrorKind::InvalidValue
    );
    assert_eq!(
        bind_error("correlationId eq 'nope'").kind,
        ErrorKind::InvalidValue
    );
    assert_eq!(
        bind_error("severity eq 'hgh'").kind,
        ErrorKind::InvalidValue
    );
    assert_eq!(bind_error("severity eq 3").kind, ErrorKind::TypeMismatch);
    assert_eq!(
        bind_error("severity eq microsoft.graph.security.alertStatus'new'").kind,
        ErrorKind::TypeMismatch
    );
    assert_eq!(
        bound("riskScore eq eventCount"),
        "(eq riskScore eventCount)"
    );
    assert_eq!(
        bound("createdDateTime lt lastUpdateDateTime"),
        "(lt createdDateTime lastUpdateDateTime)"
    );
    assert_eq!(
        bind_error("title eq riskScore").kind,
        ErrorKind::TypeMismatch
    );
    assert_eq!(
        bind_error("severity eq status").kind,
        ErrorKind::TypeMismatch
    );
}

#[test]
fn unknown_and_unfilterable_properties() {
    let e = bind_error("severty eq 'high'");
    assert_eq!(e.kind, ErrorKind::UnknownProperty);
    assert_eq!(e.position, Some(0));
    assert!(
        e.message.contains("microsoft.graph.security.alert"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("did you mean 'severity'"),
        "{}",
        e.message
    );
    assert_eq!(
        bind_error("internalNotes eq 'x'").kind,
        ErrorKind::InvalidUse
    );
    assert_eq!(
        bind_error("vendorInformation/nope eq 'x'").kind,
        ErrorKind::UnknownProperty
    );
    assert_eq!(bind_error("title/length eq 1").kind, ErrorKind::InvalidUse);
    assert_eq!(
        bind_error("evidence/verdict eq 'x'").kind,
        ErrorKind::InvalidUse
    );
}

fn depth(e: &BoundExpr) -> usize {
    match e {
        BoundExpr::And(a, b) | BoundExpr::Or(a, b) => 1 + depth(a).max(depth(b)),
        BoundExpr::Not(a) => 1 + depth(a),
        _ => 1,
    }
}

#[test]
fn long_chains_bind_to_balanced_trees() {
    let text = vec!["riskScore eq 1"; 400].join(" or ");
    let e = bind_filter(&text, &ALERT, &BindOptions::default()).unwrap();
    assert_eq!(depth(&e), 10);
    let three = bind_filter(
        "isTest and isTest and isTest",
        &ALERT,
        &BindOptions::default(),
    )
    .unwrap();
    assert_eq!(three.to_string(), "(and (and isTest isTest) isTest)");
}

#[test]
fn max_depth_is_taken_from_bind_options() {
    let opts = BindOptions {
        max_depth: 2,
        ..Default::default()
    };
    assert_eq!(
        bind_filter("((isTest))", &ALERT, &opts).unwrap_err().kind,
        ErrorKind::TooDeep
    );
    assert!(bind_filter("(isTest)", &ALERT, &opts).is_ok());
}
