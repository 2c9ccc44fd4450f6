//! Fuzz target: arbitrary UTF-8 as a `$filter` (parsed and bound, with and without
//! `include-unknown-enum-members`) and as a whole query string (decoded, bound, re-encoded) against
//! the test alert schema. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use odata::testing::FUZZ_SCHEMA;
use odata::{bind, bind_filter, parse_query_string, BindOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for include_unknown_enum_members in [false, true] {
        let opts = BindOptions {
            include_unknown_enum_members,
            ..BindOptions::default()
        };
        if let Ok(expr) = bind_filter(text, FUZZ_SCHEMA, &opts) {
            let _ = expr.to_string();
        }
    }
    if let Ok(options) = parse_query_string(text) {
        let _ = bind(&options, FUZZ_SCHEMA, &BindOptions::default());
        let _ = parse_query_string(&options.to_query_string());
    }
});
