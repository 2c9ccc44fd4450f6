//! Robustness in place of a cargo-fuzz target: the parser and both importers are fed deterministic
//! random mutations of the real patterns and documents. Nothing may panic; every parse error's span
//! lies inside the text on character boundaries; every successful parse prints to text that parses
//! to the same text again.

use super::{intel_fixture, opts};
use model::intel::{import_misp, import_stix_bundle, parse_pattern};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

const STIX_FILES: &[&str] = &[
    "bundle-poisonivy-report-or-patterns_oasis-cti-stix2-json-schemas.json",
    "bundle-email-indicators_oasis-cti-stix2-json-schemas.json",
    "bundle-indicators-ipv4-sha256-coa_oasis-cti-stix2-json-schemas.json",
    "bundle-misp-events-collection_misp-stix.json",
];

const PIECES: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    " AND ",
    " OR ",
    " FOLLOWEDBY ",
    " NOT ",
    " = ",
    " != ",
    " <= ",
    " IN ",
    " LIKE ",
    " MATCHES ",
    " EXISTS ",
    " WITHIN 5 SECONDS",
    " REPEATS 2 TIMES",
    " START t'2016-01-01T00:00:00Z' STOP t'2017-01-01T00:00:00Z'",
    "'",
    "\\",
    "\\'",
    "t'",
    "h'0a'",
    "b'AA=='",
    ":",
    ".",
    "[*]",
    "[0]",
    "'SHA-256'",
    "-",
    "1.5",
    "é",
    "\"",
    ",",
    "ipv4-addr:value",
];

fn seed_patterns() -> Vec<String> {
    let mut out = vec![
        "[a:b = 1] AND ([a:c = 2] OR [a:d = 3]) FOLLOWEDBY [a:e = 4] WITHIN 10 SECONDS".to_string(),
        "[file:hashes.'SHA-256' = 'ab' AND file:name NOT LIKE 'x%'] REPEATS 3 TIMES".to_string(),
    ];
    for f in STIX_FILES {
        for o in intel_fixture(f)["objects"].as_array().unwrap() {
            if let Some(p) = o["pattern"].as_str() {
                out.push(p.to_string());
            }
        }
    }
    out
}

/// A char-boundary-respecting random edit of `s`.
fn mutate(s: &str, rng: &mut ChaCha8Rng) -> String {
    let chars: Vec<char> = s.chars().collect();
    let at = rng.gen_range(0..=chars.len());
    let mut out: Vec<char> = chars[..at].to_vec();
    match rng.gen_range(0..4) {
        0 => out.extend(PIECES[rng.gen_range(0..PIECES.len())].chars()),
        1 => {
            let skip = rng.gen_range(0..=8).min(chars.len() - at);
            out.extend(&chars[at + skip..]);
            return out.into_iter().collect();
        }
        2 => out.extend(&chars[rng.gen_range(0..=at)..at]),
        _ => out.push(char::from(rng.gen_range(0x20u8..0x7f))),
    }
    out.extend(&chars[at..]);
    out.into_iter().collect()
}

#[test]
fn the_parser_never_panics_and_keeps_its_spans_honest() {
    let seeds = seed_patterns();
    let mut rng = ChaCha8Rng::seed_from_u64(0x5717);
    let (mut ok, mut errors) = (0, 0);
    for round in 0..20_000 {
        let mut text = seeds[round % seeds.len()].clone();
        for _ in 0..rng.gen_range(1..4) {
            text = mutate(&text, &mut rng);
        }
        match parse_pattern(&text) {
            Ok(tree) => {
                ok += 1;
                let printed = tree.to_string();
                let again = parse_pattern(&printed)
                    .unwrap_or_else(|e| panic!("{text:?} printed as {printed:?}: {e}"));
                assert_eq!(again.to_string(), printed, "{text:?}");
            }
            Err(e) => {
                errors += 1;
                assert!(
                    e.span.start <= e.span.end && e.span.end <= text.len(),
                    "{text:?}: {e}"
                );
                assert!(
                    text.get(e.span.start..e.span.end).is_some(),
                    "{text:?}: {e}"
                );
                assert!(!e.message.is_empty());
            }
        }
    }
    assert!(
        ok > 1_000 && errors > 1_000,
        "both paths exercised: {ok} ok, {errors} errors"
    );
}

/// Replaces a random member somewhere in `v` with a value of another type.
fn damage(v: &mut Value, rng: &mut ChaCha8Rng) {
    let replacements = [
        Value::Null,
        Value::from(7),
        Value::from("x"),
        Value::from(true),
        serde_json::json!([]),
        serde_json::json!({}),
    ];
    match v {
        Value::Object(m) if !m.is_empty() && rng.gen_bool(0.7) => {
            let k = m.keys().nth(rng.gen_range(0..m.len())).cloned().unwrap();
            damage(m.get_mut(&k).unwrap(), rng);
        }
        Value::Array(a) if !a.is_empty() && rng.gen_bool(0.7) => {
            let n = rng.gen_range(0..a.len());
            damage(&mut a[n], rng);
        }
        other => *other = replacements[rng.gen_range(0..replacements.len())].clone(),
    }
}

#[test]
fn the_importers_never_panic_on_damaged_documents() {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let misp = [
        "event-qakbot-ipport-objects_pymisp.json",
        "event-ursnif-domain-url-sightings_pymisp.json",
        "restsearch-events-as-domain_misp-stix.json",
    ];
    for round in 0..600 {
        let mut stix = intel_fixture(STIX_FILES[round % STIX_FILES.len()]);
        let mut event = intel_fixture(misp[round % misp.len()]);
        for _ in 0..rng.gen_range(1..6) {
            damage(&mut stix, &mut rng);
            damage(&mut event, &mut rng);
        }
        let _ = import_stix_bundle(&stix, &opts());
        let _ = import_misp(&event, &opts());
    }
}
