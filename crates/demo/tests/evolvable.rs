//! The store records where each demo alert's evolvable members are with one pass over its text;
//! splicing `unknownFutureValue` there must equal the schema walk, for every alert the demo makes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

#[test]
fn one_pass_spans_match_the_walk_on_every_demo_alert() {
    let mut with_members = 0;
    for a in common::alerts() {
        let doc = serde_json::to_string(&a.alert).unwrap();
        let spans = model::evolvable_spans(&doc).expect("the pass follows serde_json output");
        assert_eq!(
            spans.is_empty(),
            !a.has_evolvable_members(),
            "{}",
            a.alert.id
        );
        with_members += usize::from(!spans.is_empty());
        let mut spliced = String::new();
        let mut at = 0;
        for r in &spans {
            spliced.push_str(&doc[at..r.start]);
            spliced.push_str("unknownFutureValue");
            at = r.end;
        }
        spliced.push_str(&doc[at..]);
        let mut walked: serde_json::Value = serde_json::from_str(&doc).unwrap();
        model::hide_evolvable_members(&mut walked);
        assert_eq!(spliced, walked.to_string(), "{}", a.alert.id);
    }
    assert!(
        with_members > 50,
        "the demo set exercises the hiding ({with_members})"
    );
}
