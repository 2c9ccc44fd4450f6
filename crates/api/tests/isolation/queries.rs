//! Random OData queries for the isolation test: filters built from atoms that demo data matches in
//! varying amounts, with random `$top`, `$orderby`, `$select` (always keeping the tenant marker) and
//! `$count`. None of them names the tenant, so the same query means the same thing in every tenant.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// One of the two alert views.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// Collection path below the version root.
    pub set: &'static str,
    /// The property that names the alert's tenant.
    pub marker: &'static str,
    atoms: &'static [&'static str],
    orderby: &'static [&'static str],
    select: &'static [&'static str],
}

/// alerts_v2.
pub const V2: View = View {
    set: "security/alerts_v2",
    marker: "tenantId",
    atoms: &[
        "severity eq 'high'",
        "severity eq 'medium'",
        "severity ne 'low'",
        "status eq 'new'",
        "status in ('inProgress', 'resolved')",
        "createdDateTime ge 2026-10-20T00:00:00Z",
        "createdDateTime lt 2026-10-12T00:00:00Z",
        "contains(title, 'a')",
        "startswith(title, 'S')",
        "assignedTo eq null",
        "evidence/any()",
        "evidence/any(e: e/remediationStatus eq 'notFound')",
        "classification eq 'truePositive'",
        "tenantId ne null",
    ],
    orderby: &[
        "createdDateTime desc",
        "severity",
        "title asc,createdDateTime desc",
        "id",
    ],
    select: &["id", "title", "severity", "status", "createdDateTime"],
};

/// The legacy view.
pub const LEGACY: View = View {
    set: "security/alerts",
    marker: "azureTenantId",
    atoms: &[
        "severity eq 'high'",
        "Severity eq 'Medium'",
        "status eq 'newAlert'",
        "status ne 'resolved'",
        "createdDateTime ge 2026-10-20T00:00:00Z",
        "vendorInformation/provider eq 'Suricata'",
        "hostStates/any(d: d/netBiosName ne null)",
        "contains(title, 'e')",
    ],
    orderby: &["createdDateTime desc", "severity", "title"],
    select: &["id", "title", "severity", "status", "vendorInformation"],
};

/// A random `$filter` expression of one to three atoms.
fn filter(rng: &mut ChaCha8Rng, view: View) -> String {
    let n = rng.gen_range(1..=3);
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push_str(if rng.gen_bool(0.6) { " and " } else { " or " });
        }
        let atom = view
            .atoms
            .choose(rng)
            .copied()
            .unwrap_or("severity eq 'high'");
        if rng.gen_bool(0.15) {
            out.push_str(&format!("not ({atom})"));
        } else {
            out.push_str(&format!("({atom})"));
        }
    }
    out
}

/// Percent-encodes a query value the way kiota does (the server's own encoder for nextLinks).
pub use odata::encode_query_value as enc;

/// A random query: `(options for the collection, the $filter alone for /$count, whether $count)`.
pub fn query(rng: &mut ChaCha8Rng, view: View) -> (String, String, bool) {
    let mut parts = Vec::new();
    let mut count_filter = String::new();
    if rng.gen_bool(0.85) {
        let f = filter(rng, view);
        count_filter = format!("$filter={}", enc(&f));
        parts.push(count_filter.clone());
    }
    let count = rng.gen_bool(0.5);
    if count {
        parts.push("$count=true".to_owned());
    }
    parts.push(format!("$top={}", rng.gen_range(1..=40)));
    if rng.gen_bool(0.5) {
        let by = view.orderby.choose(rng).copied().unwrap_or("id");
        parts.push(format!("$orderby={}", enc(by)));
    }
    if rng.gen_bool(0.5) {
        let mut props: Vec<&str> = view.select.choose_multiple(rng, 2).copied().collect();
        props.push(view.marker);
        parts.push(format!("$select={}", props.join(",")));
    }
    (parts.join("&"), count_filter, count)
}
