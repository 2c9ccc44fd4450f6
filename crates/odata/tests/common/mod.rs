//! Helpers shared by the integration tests: bind against the test schema and render results compactly.
#![allow(dead_code)]

use odata::testing::ALERT;
use odata::{bind_filter, parse_filter, BindOptions, ODataError};

/// The bound S-expression of `filter`, panicking with the error if it does not bind.
pub fn bound(filter: &str) -> String {
    match bind_filter(filter, &ALERT, &BindOptions::default()) {
        Ok(e) => e.to_string(),
        Err(e) => panic!("{filter:?} did not bind: {e}"),
    }
}

/// Like [`bound`], with `Prefer: include-unknown-enum-members`.
pub fn bound_with_unknown_members(filter: &str) -> String {
    let opts = BindOptions {
        include_unknown_enum_members: true,
        ..Default::default()
    };
    match bind_filter(filter, &ALERT, &opts) {
        Ok(e) => e.to_string(),
        Err(e) => panic!("{filter:?} did not bind: {e}"),
    }
}

/// The error `filter` fails with, panicking if it binds.
pub fn bind_error(filter: &str) -> ODataError {
    match bind_filter(filter, &ALERT, &BindOptions::default()) {
        Ok(e) => panic!("{filter:?} bound unexpectedly: {e}"),
        Err(e) => e,
    }
}

/// The syntax tree of `filter` as an S-expression.
pub fn ast(filter: &str) -> String {
    match parse_filter(filter) {
        Ok(e) => e.to_string(),
        Err(e) => panic!("{filter:?} did not parse: {e}"),
    }
}

/// The error `filter` fails to parse with.
pub fn parse_error(filter: &str) -> ODataError {
    match parse_filter(filter) {
        Ok(e) => panic!("{filter:?} parsed unexpectedly: {e}"),
        Err(e) => e,
    }
}

/// One line per case, `input\n  => error`, for snapshot tables.
pub fn table(cases: &[&str], run: impl Fn(&str) -> Result<String, ODataError>) -> String {
    let mut out = String::new();
    for case in cases {
        let result = match run(case) {
            Ok(v) => format!("OK {v}"),
            Err(e) => format!("{:?} {e}", e.kind),
        };
        out.push_str(&format!("{case}\n  => {result}\n"));
    }
    out
}
