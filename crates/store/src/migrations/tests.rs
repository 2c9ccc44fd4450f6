//! The migration list: names, order and the SQL of both dialects.

use super::*;

#[test]
fn hot_columns_precede_the_documents_so_filters_skip_overflow_pages() {
    for ddl in [SQLITE, POSTGRES] {
        let sql = ddl.v1();
        let table = &sql[sql.find("CREATE TABLE alerts").unwrap()..];
        let first_document = table.find("    extra TEXT").unwrap();
        for c in HOT_COLUMNS {
            let at = table.find(&format!("    {} TEXT", c.name)).unwrap();
            assert!(at < first_document, "{} comes after the documents", c.name);
        }
        assert!(table.find("    evolvable").unwrap() < first_document);
    }
}

#[test]
fn both_backends_have_one_history() {
    let names = |d: &Ddl| -> Vec<String> {
        d.migrations()
            .unwrap()
            .iter()
            .map(|m| m.name().to_owned())
            .collect()
    };
    assert_eq!(names(&SQLITE), names(&POSTGRES));
    for m in POSTGRES.migrations().unwrap() {
        let sql = m.sql().unwrap_or_default();
        assert!(!sql.contains('{'), "{}: unfilled hole in {sql}", m.name());
        assert!(!sql.contains("AUTOINCREMENT") && !sql.contains("NOCASE"));
    }
}

#[test]
fn partial_indexes_carry_their_predicate() {
    let sql = SQLITE.v1();
    for i in ALERT_INDEXES {
        let line = sql
            .lines()
            .find(|l| l.starts_with(&format!("CREATE INDEX {} ", i.name)))
            .unwrap();
        match i.partial {
            Some(p) => assert!(line.ends_with(&format!(" WHERE {p};")), "{line}"),
            None => assert!(!line.contains(" WHERE "), "{line}"),
        }
    }
}
