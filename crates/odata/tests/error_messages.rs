//! Every error path with its exact message, pinned by snapshots (design rule 5): what the caller
//! reads must say what is wrong, where, and what to write instead.

mod common;

use common::table;
use odata::testing::ALERT;
use odata::{bind, bind_filter, parse_query_string, BindOptions};

fn filter(text: &str) -> Result<String, odata::ODataError> {
    bind_filter(text, &ALERT, &BindOptions::default()).map(|e| e.to_string())
}

#[test]
fn filter_syntax_errors() {
    let cases = [
        "",
        "   ",
        "severity eq 'high",
        "title eq 'it's'",
        "(severity eq 'high'",
        "severity eq 'high')",
        "severity eq 'high' status eq 'new'",
        "Severity equals 'High'",
        "severity eq",
        "eq 'high'",
        "severity == 'high'",
        "title eq \"x\"",
        "severity eq 'high' && status eq 'new'",
        "status in 'new'",
        "status in ()",
        "status in ('new' 'resolved')",
        "contains(title 'x')",
        "contains(title, 'x'",
        "substringof('x', title)",
        "indexof(title, 'x') eq 1",
        "frobnicate(title)",
        "any(t: t eq 'x')",
        "tags/all()",
        "tags/any(t t eq 'x')",
        "tags/any(: t eq 'x')",
        "tags/any(t: t eq 'x'",
        "a/ eq 1",
        "riskScore add 1 eq 2",
        "riskScore eq - 1",
        "riskScore eq 1.",
        "riskScore eq 1e",
        "riskScore eq 12abc",
        "riskScore eq 99999999999999999999",
        "createdDateTime ge 2024-13-01T00:00:00Z",
        "createdDateTime ge 2024-02-30",
        "createdDateTime ge 2024-01-01T24:00:00Z",
        "createdDateTime ge 2024-01-01T00:00:00",
        "createdDateTime ge 2024-01-01T00:00:00 01:00",
        "createdDateTime ge 2024-01-01T00:00:00.Z",
        "createdDateTime ge datetime'2024-01-01T00:00:00'",
        "id eq guid'6f9619ff-8b86-d011-b42d-00c04fc964ff'",
        "a eq $it",
        "a eq [1, 2]",
        "a eq 'x' eq 'y'",
        "not",
        "()",
    ];
    insta::assert_snapshot!(table(&cases, filter));
}

#[test]
fn filter_binding_errors() {
    let cases = [
        "severty eq 'high'",
        "createDateTime ge 2024-01-01",
        "zzz eq 1",
        "vendorInformation/providr eq 'ASC'",
        "vendorInformation eq 'ASC'",
        "title/length eq 1",
        "evidence/verdict eq 'malicious'",
        "evidence eq null",
        "internalNotes eq 'x'",
        "severity eq 'hgh'",
        "severity eq 3",
        "severity eq microsoft.graph.security.alertStatus'new'",
        "serviceSource eq 'microsoftSentinel'",
        "status in ('new', 'done')",
        "detectionFlags eq 'manual,automated'",
        "severity has 'high'",
        "title has 'x'",
        "detectionFlags has 'bogus'",
        "detectionFlags has title",
        "assignedTo gt null",
        "status in ('new', null)",
        "status in (title)",
        "isTest gt false",
        "title eq 5",
        "riskScore eq '5'",
        "isTest eq 'true'",
        "createdDateTime eq 'yesterday'",
        "createdDateTime eq 5",
        "correlationId eq 'nope'",
        "title eq riskScore",
        "title",
        "5",
        "'x' eq 5",
        "true lt false",
        "title eq (isTest eq true)",
        "systemTags/any(t: t eq 'x') eq true",
        "title/any(t: t eq 'x')",
        "systemTags/any(t: u eq 'x')",
        "systemTags/any(t: t eq 'x') and t eq 'y'",
        "evidence/any(e: e/tags/any(e: e eq 'x'))",
        "evidence/any(e: e/microsoft.graph.security.fileEvidence/hostName eq 'x')",
        "evidence/any(e: e/microsoft.graph.security.deviceEvidnce/hostName eq 'x')",
        "evidence/microsoft.graph.security.deviceEvidence/any(d: d/hostName eq 'x')",
        "title/microsoft.graph.security.deviceEvidence eq 'x'",
        "microsoft.graph.security.alert eq null",
        "evidence/any(e: e/hostNam eq 'x')",
        "contains(severity, 'x')",
        "contains(title)",
        "contains(title, 5)",
        "contains(title, null)",
        "contains(systemTags, 'x')",
        "year(title) eq 2024",
        "length(title) eq 'x'",
        "systemTags eq 'x'",
    ];
    insta::assert_snapshot!(table(&cases, filter));
}

#[test]
fn query_string_and_list_option_errors() {
    let cases = [
        "$bogus=1",
        "$filter=a&filter=b",
        "$top=1&$Top=1",
        "$top=-1",
        "$top=ten",
        "$skip=",
        "$count=yes",
        "$search=malware",
        "$apply=groupby((severity))",
        "$compute=x",
        "$filter=%C3%28",
        "$orderby=",
        "$orderby=titel desc",
        "$orderby=title descending",
        "$orderby=title,",
        "$orderby=evidence",
        "$orderby=vendorInformation",
        "$orderby=customDetails/x",
        "$orderby=internalNotes",
        "$orderby=length(title)",
        "$select=titel",
        "$select=vendorInformation/provider",
        "$select=id,,title",
        "$select=id title",
        "$expand=alerts($select=id)",
        "$expand=alerts/evidence",
    ];
    let run = |q: &str| {
        let options = parse_query_string(q)?;
        bind(&options, &ALERT, &BindOptions::default()).map(|_| "bound".to_string())
    };
    insta::assert_snapshot!(table(&cases, run));
}
