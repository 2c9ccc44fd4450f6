//! A parsed STIX pattern split into its OR-ed parts, and each part checked against the
//! observables secgraph imports (table in [`observable`](crate::intel::observable)). A part is either a
//! single comparison naming one observable, or the reason it cannot be imported: AND or FOLLOWEDBY
//! between observations, AND between comparisons, a qualifier, EXISTS, NOT, an operator other than
//! `=`, a non-string value, an object type or property outside the table, or an invalid value.

use super::observable::{self, HashKind, Observable, Role};
use super::pattern::{CompareOp, ComparisonExpr, Literal, ObservationExpr, PathStep, PropTest};

/// Splits a pattern into its OR-ed parts: a comparison, or why the part cannot be imported.
pub(crate) fn disjuncts<'a>(
    expr: &'a ObservationExpr,
    out: &mut Vec<Result<&'a PropTest, String>>,
) {
    match expr {
        ObservationExpr::Or(items, _) => items.iter().for_each(|e| disjuncts(e, out)),
        ObservationExpr::Observation { comparison, .. } => comparison_disjuncts(comparison, out),
        ObservationExpr::And(items, _) => out.push(Err(joined("AND", items.len(), "observations"))),
        ObservationExpr::FollowedBy(items, _) => {
            out.push(Err(joined("FOLLOWEDBY", items.len(), "observations")))
        }
        ObservationExpr::Qualified { qualifier, .. } => out.push(Err(format!(
            "the qualifier {} is not supported; only unqualified observations can be imported",
            qualifier.keyword()
        ))),
    }
}

fn comparison_disjuncts<'a>(expr: &'a ComparisonExpr, out: &mut Vec<Result<&'a PropTest, String>>) {
    match expr {
        ComparisonExpr::Or(items, _) => items.iter().for_each(|e| comparison_disjuncts(e, out)),
        ComparisonExpr::Test(t) => out.push(Ok(t)),
        ComparisonExpr::And(items, _) => out.push(Err(joined("AND", items.len(), "comparisons"))),
        ComparisonExpr::Exists { .. } => out.push(Err(
            "EXISTS is not supported; only = comparisons can be imported".into(),
        )),
    }
}

fn joined(op: &str, n: usize, what: &str) -> String {
    let count = match n {
        2 => "two".to_string(),
        3 => "three".to_string(),
        n => n.to_string(),
    };
    format!("{op} joins {count} {what}; only OR can be imported")
}

/// The observable one comparison names, or why it cannot be imported.
pub(crate) fn observable_of_test(t: &PropTest) -> Result<Observable, String> {
    if t.negated {
        return Err("NOT is not supported; only = comparisons can be imported".into());
    }
    if t.op != CompareOp::Eq {
        return Err(format!(
            "operator {} is not supported; only = comparisons can be imported",
            t.op.as_str()
        ));
    }
    let Literal::Str(value) = &t.value else {
        return Err(format!(
            "{} must be compared with a string; found {}",
            t.path,
            t.value.kind()
        ));
    };
    let keys: Vec<Option<&str>> = t
        .path
        .steps
        .iter()
        .map(|s| match s {
            PathStep::Key(k) => Some(k.as_str()),
            PathStep::Index(_) => None,
        })
        .collect();
    match (t.path.object_type.as_str(), keys.as_slice()) {
        ("ipv4-addr" | "ipv6-addr", [Some("value")]) => Observable::address(value, Role::Destination),
        ("domain-name", [Some("value")]) => observable::domain_name(value).map(Observable::Domain),
        ("url", [Some("value")]) => observable::url(value).map(Observable::Url),
        ("file", [Some("hashes"), Some(algo)]) => match HashKind::from_name(algo) {
            Some(kind) => Observable::hash(kind, value),
            None => Err(format!(
                "hash algorithm {algo} is not supported; only MD5, SHA-1 and SHA-256 can be imported"
            )),
        },
        ("email-addr", [Some("value")])
        | ("email-message", [Some("from_ref" | "sender_ref"), Some("value")]) => {
            observable::email(value).map(Observable::EmailSender)
        }
        ("email-message", [Some("to_refs"), None, Some("value")]) => {
            observable::email(value).map(Observable::EmailRecipient)
        }
        ("email-message", [Some("subject")]) => Ok(Observable::EmailSubject(value.clone())),
        (ty, _) => Err(unsupported_path(ty, &t.path.to_string())),
    }
}

fn unsupported_path(object_type: &str, path: &str) -> String {
    let supported = match object_type {
        "ipv4-addr" | "ipv6-addr" | "domain-name" | "url" | "email-addr" => {
            format!("{object_type}:value")
        }
        "file" => "file:hashes.MD5, file:hashes.'SHA-1' and file:hashes.'SHA-256'".into(),
        "email-message" => "email-message:from_ref.value, email-message:sender_ref.value, \
             email-message:to_refs[*].value and email-message:subject"
            .into(),
        other => {
            return format!(
                "object type {other} is not supported; importable: ipv4-addr, ipv6-addr, \
                 domain-name, url, file (hashes), email-addr, email-message"
            )
        }
    };
    format!("property {path} is not supported; only {supported} can be imported")
}
