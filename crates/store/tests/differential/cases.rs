//! The queries of the differential test: hand-written filters, generated filters on both views,
//! `has` on the test schema's flags enum, and generated `$orderby`s (with a filter or not, a page
//! size and at times a `$skip`), all from one seed.

use crate::common;
use crate::filters::FilterGen;
use crate::pool::Pool;
use model::schema::{ALERT, LEGACY_ALERT};
use odata::bound::BoundQuery;
use odata::schema::{EntitySchema, PropType};
use odata::{BindOptions, QueryOptions};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use store::AlertView;

/// The seed of the filter generator. To explore, run with another one in
/// `SECGRAPH_TEST_DIFFERENTIAL_SEED` (decimal); the suite keeps this one.
const SEED: u64 = 0x5ec6_4a11_d1ff_0004;
/// Generated filters per view (each runs as a list on both backends, every fourth also as a count).
const V2_FILTERS: usize = 2_500;
const LEGACY_FILTERS: usize = 550;
/// Generated `$orderby` queries, paged through to the end.
const ORDERINGS: usize = 250;

/// Hand-written filters, run before the generated ones: the divergences the generator found (each
/// held the backends apart once; the `edge-…` alerts hold the values), and forms it does not write.
pub const FIXED: &[&str] = &[
    // A dictionary value of another JSON type than the literal compared with is null.
    "customDetails/flag eq 1",
    "customDetails/flag lt 1",
    "customDetails/one eq true",
    "additionalData/empty ge 98",
    "additionalData/arr ge 90",
    "customDetails/score gt 7.0",
    "customDetails/score le '1'",
    "customDetails/zero eq '0'",
    "not (customDetails/text ne '7')",
    "additionalData/score ge '70'",
    "additionalData/firedTimes gt '2'",
    "additionalData/fullLog gt 10.5",
    "contains(customDetails/list, 'a')",
    "contains(customDetails/pair, '\",\"')",
    "customDetails/pair eq '[\"x\",\"y\"]'",
    "length(customDetails/score) eq 1",
    "customDetails/big eq 9007199254740993",
    "customDetails/exp eq 1000",
    "customDetails/ratio eq 2.5",
    "customDetails/obj/n gt 4",
    // A collection that is not an array has no elements.
    "evidence/any(x: x/tags/any(t: t eq 'x'))",
    "evidence/any(x: not (x/roles/any()))",
    "evidence/any(x: x/roles/all(r: r eq 'attacker'))",
    "evidence/any(x: x/microsoft.graph.security.kubernetesControllerEvidence/tags/any(t: startswith(tolower(t), '')))",
    // Typed paths inside an evidence item kept verbatim hold values of other types.
    "evidence/any(x: x/microsoft.graph.security.fileEvidence/fileDetails/fileSize gt 50)",
    "evidence/any(x: x/fileDetails/fileName eq '12')",
    "evidence/any(x: contains(x/ipAddress, '10.0.0'))",
    "evidence/any(x: x/location/latitude gt 40)",
    "evidence/any(x: x/verdict le 'malicious')",
    // Date parts of text that is not a date-time.
    "evidence/any(x: minute(x/createdDateTime) ne 34)",
    "evidence/any(x: year(x/createdDateTime) eq 2024)",
    // Paths of another scope inside a lambda: the entity's, an enclosing variable's.
    "evidence/any(x: x/verdict eq 'malicious' and severity eq 'low')",
    "systemTags/any(t: t eq title or t eq 'ß')",
    "evidence/any(x: x/tags/any(t: x/detailedRoles/any(r: r eq t)))",
    "evidence/any(x: x/detailedRoles/any(r: r ne x/remediationStatusDetails))",
    // Empty strings and nulls, lists with non-ASCII members, null elements.
    "assignedTo in ('', 'X') or assignedTo eq null",
    "classification ne 'truePositive' and title in ('ß', 'SS', 'Ünïcödé straße ß', '')",
    "evidence/all(x: x/remediationStatusDetails eq null)",
    "systemTags/any(t: t eq '' or t eq null)",
    // Refused by the renderer: the needle of contains must be a literal.
    "contains(title, description)",
    "startswith(tolower(title), assignedTo) or severity eq 'high'",
];

/// One query.
pub struct Case {
    pub view: AlertView,
    pub schema: &'static EntitySchema,
    pub filter: Option<String>,
    pub orderby: Option<String>,
    pub page_size: u32,
    pub skip: Option<u64>,
    /// Also compare `count_alerts` (it renders the same filter into another statement, so a
    /// share of the cases is enough).
    pub count: bool,
}

/// Every query of the run: [`FIXED`], then those drawn from [`SEED`] (or the override).
pub fn generate(v2_pool: &Pool, legacy_pool: &Pool) -> Vec<Case> {
    let mut cases = Vec::new();
    let seed = std::env::var("SECGRAPH_TEST_DIFFERENTIAL_SEED")
        .map_or(SEED, |s| s.parse().expect("a decimal seed"));
    let mut v2 = FilterGen::new(ChaCha8Rng::seed_from_u64(seed), v2_pool);
    let mut legacy = FilterGen::new(ChaCha8Rng::seed_from_u64(seed ^ 1), legacy_pool);
    let plain = |view, schema, filter, count| Case {
        view,
        schema,
        filter: Some(filter),
        orderby: None,
        page_size: 10_000,
        skip: None,
        count,
    };
    for filter in FIXED {
        cases.push(plain(AlertView::V2, &ALERT, (*filter).to_owned(), true));
    }
    for i in 0..V2_FILTERS {
        cases.push(plain(AlertView::V2, &ALERT, v2.filter(&ALERT), i % 4 == 0));
    }
    for i in 0..LEGACY_FILTERS {
        let filter = legacy.filter(&LEGACY_ALERT);
        cases.push(plain(AlertView::Legacy, &LEGACY_ALERT, filter, i % 4 == 0));
    }
    // `has` needs a flags enum, which the real tables lack: the test schema declares `category` as one.
    for flag in ["red", "green", "blue", "RED"] {
        for form in [
            "category has '{f}'",
            "not (category has '{f}')",
            "category has test.flags'{f}' or severity eq 'low'",
        ] {
            cases.push(plain(
                AlertView::V2,
                &common::ALERT,
                form.replace("{f}", flag),
                true,
            ));
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 2);
    for i in 0..ORDERINGS {
        let (view, schema, gen) = if i % 2 == 0 {
            (AlertView::V2, &ALERT, &mut v2)
        } else {
            (AlertView::Legacy, &LEGACY_ALERT, &mut legacy)
        };
        let filter = rng.gen_bool(0.6).then(|| gen.filter(schema));
        let keys = sortable(schema);
        let n = rng.gen_range(1..=3);
        let orderby: Vec<String> = keys
            .choose_multiple(&mut rng, n)
            .map(|k| format!("{k}{}", [" asc", " desc", ""].choose(&mut rng).unwrap()))
            .collect();
        cases.push(Case {
            view,
            schema,
            filter,
            orderby: Some(orderby.join(",")),
            page_size: *[1, 4, 25, 400].choose(&mut rng).unwrap(),
            skip: rng.gen_bool(0.15).then(|| rng.gen_range(0..40)),
            count: true,
        });
    }
    cases
}

/// The `$orderby` paths of `schema`: single-valued primitives, at the top or in a complex property.
fn sortable(schema: &'static EntitySchema) -> Vec<String> {
    let mut out = Vec::new();
    for p in schema.properties {
        match p.ty {
            PropType::Complex(c) => out.extend(
                c.properties
                    .iter()
                    .filter(|q| q.sortable)
                    .map(|q| format!("{}/{}", p.name, q.name)),
            ),
            _ if p.sortable => out.push(p.name.to_owned()),
            _ => {}
        }
    }
    out
}

/// The case as a bound query, or `None` when the generator wrote something the binder refuses
/// (a hand-written filter must bind).
pub fn bind(case: &Case) -> Option<BoundQuery> {
    let options = QueryOptions {
        filter: case.filter.clone(),
        orderby: case.orderby.clone(),
        skip: case.skip,
        count: false,
        ..QueryOptions::default()
    };
    let opts = BindOptions {
        include_unknown_enum_members: true,
        ..BindOptions::default()
    };
    match odata::bind(&options, case.schema, &opts) {
        Ok(q) => Some(q),
        Err(e) if FIXED.contains(&case.filter.as_deref().unwrap_or_default()) => {
            panic!("{:?}: {e}", case.filter)
        }
        Err(_) => None,
    }
}
