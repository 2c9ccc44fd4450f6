//! Property tests: no input makes parsing or binding panic (random text, and random sequences of
//! filter-like tokens, which reach far deeper into the grammar than random text does).

use odata::testing::ALERT;
use odata::{bind, bind_filter, parse_filter, parse_query_string, BindOptions};
use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "(",
    ")",
    ",",
    "/",
    ":",
    "*",
    "'",
    "''",
    "'x'",
    "'new'",
    "'high'",
    "'a''b'",
    " ",
    "and",
    "or",
    "not",
    "eq",
    "ne",
    "gt",
    "ge",
    "lt",
    "le",
    "has",
    "in",
    "any",
    "all",
    "true",
    "false",
    "null",
    "0",
    "-1",
    "1.5",
    "1e3",
    "2024-01-01",
    "2024-01-01T00:00:00Z",
    "2024-02-30T25:00:00+01:00",
    "6f9619ff-8b86-d011-b42d-00c04fc964ff",
    "severity",
    "status",
    "title",
    "isTest",
    "riskScore",
    "createdDateTime",
    "correlationId",
    "detectionFlags",
    "evidence",
    "systemTags",
    "customDetails",
    "vendorInformation",
    "provider",
    "remediationStatus",
    "roles",
    "detailedRoles",
    "e",
    "t",
    "x",
    "e/",
    "/any(",
    "/all(",
    "microsoft.graph.security.deviceEvidence",
    "hostName",
    "loggedOnUsers",
    "test.detectionFlags'manual'",
    "contains(",
    "tolower(",
    "length(",
    "year(",
    "substringof(",
    "add",
    "$",
    "é",
    "\"",
];

fn filter_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|t| t.concat())
}

fn exercise(text: &str) {
    let _ = parse_filter(text);
    for include in [false, true] {
        let opts = BindOptions {
            include_unknown_enum_members: include,
            ..Default::default()
        };
        if let Ok(e) = bind_filter(text, &ALERT, &opts) {
            let _ = e.to_string();
        }
    }
    for option in ["$orderby", "$select", "$expand"] {
        let q = format!("{option}={}", odata::encode_query_value(text));
        if let Ok(options) = parse_query_string(&q) {
            let _ = bind(&options, &ALERT, &BindOptions::default());
        }
    }
    let _ = parse_query_string(text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in any::<String>()) {
        exercise(&text);
    }

    #[test]
    fn random_token_sequences_never_panic(text in filter_like()) {
        exercise(&text);
    }

    #[test]
    fn errors_point_inside_the_text(text in filter_like()) {
        if let Err(e) = bind_filter(&text, &ALERT, &BindOptions::default()) {
            prop_assert!(e.position.is_none_or(|p| p <= text.len()), "{e:?} for {text:?}");
            prop_assert!(!e.message.is_empty());
        }
    }
}
