//! The control catalogue and its documentation agree: every control appears in
//! `docs/secure-score.md` with its title, points, rank and service, and the page names no control
//! the catalogue lacks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use model::secure_score::Catalogue;

fn page() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/secure-score.md");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn every_control_is_documented_as_the_catalogue_says() {
    let page = page();
    for c in &Catalogue::builtin().unwrap().controls {
        let row = format!(
            "| `{}` — {} | {} | {} | {} |",
            c.id, c.title, c.max_score, c.rank, c.service
        );
        assert!(
            page.contains(&row),
            "docs/secure-score.md lacks or misstates: {row}"
        );
    }
}

#[test]
fn the_page_documents_no_other_control() {
    let page = page();
    let catalogue = Catalogue::builtin().unwrap();
    let rows = page
        .lines()
        .filter(|l| l.starts_with("| `") && l.contains("` — "));
    let mut n = 0;
    for row in rows {
        let id = row.trim_start_matches("| `").split('`').next().unwrap();
        assert!(
            catalogue.get(id).is_some(),
            "documented but not in the catalogue: {id}"
        );
        n += 1;
    }
    assert_eq!(n, catalogue.controls.len());
}
