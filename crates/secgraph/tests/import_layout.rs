//! How `secgraph import` tells NDJSON from one JSON document. Each test guards a file that used to be
//! misread: the whole import failed, a page was taken for one alert, or line numbers were off.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{import, run_on, Data};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn alert(id: &str) -> Value {
    json!({"id": id, "title": id, "createdDateTime": "2026-10-01T00:00:00Z", "evidence": []})
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Imports `bytes` as a file into a fresh data directory and database and returns the summary
/// output.
async fn import_bytes(name: &str, bytes: impl AsRef<[u8]>) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), name, bytes);
    let data = Data::new(dir.path());
    import(dir.path(), "t", &file, &data).await.stdout
}

fn assert_has(out: &str, parts: &[&str]) {
    for part in parts {
        assert!(out.contains(part), "{part:?} not in:\n{out}");
    }
}

testdb::conformance! {
    /// The first line was read as the start of one JSON document, so one bad first line failed the
    /// whole import instead of being reported.
    async fn ndjson_with_a_bad_first_line_reports_it_and_imports_the_rest() {
        let text = format!("{{broken\n{}\n{}\n", alert("a"), alert("b"));
        let out = import_bytes("bad-first.ndjson", text).await;
        assert_has(
            &out,
            &[
                "imported 2 alerts (2 new",
                "skipped 1",
                "skipped line 1: not JSON",
            ],
        );
    }

    /// The first line was judged complete only if it fitted the read buffer (8 KiB), so NDJSON of
    /// real alerts, whose lines are often longer, failed as "neither NDJSON nor one JSON document".
    async fn ndjson_with_a_first_line_longer_than_the_read_buffer_is_ndjson() {
        let mut long = alert("long");
        long["description"] = Value::String("x".repeat(64 * 1024));
        let text = format!("{long}\n{}\n", alert("short"));
        let out = import_bytes("long-first.ndjson", text).await;
        assert_has(&out, &["imported 2 alerts (2 new", "skipped 0"]);
    }

    /// Leading blank lines were skipped before counting, so every reported line number was too
    /// small.
    async fn ndjson_line_numbers_count_leading_blank_lines() {
        let text = format!("\n\n{}\nnope\n", alert("a"));
        let out = import_bytes("blank-lead.ndjson", text).await;
        assert_has(&out, &["imported 1 alert", "skipped line 4: not JSON"]);
    }

    /// A Graph page on one line followed by a newline (as `jq -c` or `curl ... ; echo` write it)
    /// was taken for NDJSON holding one alert without `createdDateTime`.
    async fn one_line_graph_page_ending_in_a_newline_is_a_page() {
        let page = json!({"@odata.context": "x", "value": [alert("p1"), alert("p2")]});
        let out = import_bytes("page.json", format!("{page}\n")).await;
        assert_has(&out, &["imported 2 alerts (2 new", "skipped 0"]);
        let array = json!([alert("a1"), alert("a2")]);
        let out = import_bytes("array.json", format!("{array}\n\n")).await;
        assert_has(&out, &["imported 2 alerts (2 new", "skipped 0"]);
    }

    /// An array on the first line of NDJSON made the whole file a (broken) document.
    async fn ndjson_whose_first_line_is_an_array_reports_that_line() {
        let text = format!("[1]\n{}\n", alert("a"));
        let out = import_bytes("array-first.ndjson", text).await;
        assert_has(
            &out,
            &[
                "imported 1 alert",
                "skipped line 1: an alert must be a JSON object",
            ],
        );
    }

    /// Windows PowerShell writes UTF-8 with a byte order mark, which made the first line (or the
    /// whole document) invalid JSON.
    async fn utf8_byte_order_mark_is_ignored() {
        let ndjson = format!("\u{feff}{}\n{}\n", alert("a"), alert("b"));
        let out = import_bytes("bom.ndjson", ndjson).await;
        assert_has(&out, &["imported 2 alerts (2 new", "skipped 0"]);
        let pretty = serde_json::to_string_pretty(&json!({"value": [alert("c")]})).unwrap();
        let out = import_bytes("bom.json", format!("\u{feff}{pretty}")).await;
        assert_has(&out, &["imported 1 alert (1 new", "skipped 0"]);
    }

    /// A line that is not UTF-8 stopped the whole import.
    async fn line_that_is_not_utf8_is_reported_and_skipped() {
        let mut bytes = alert("a").to_string().into_bytes();
        bytes.extend_from_slice(b"\n\xff\xfe{}\n");
        bytes.extend_from_slice(alert("b").to_string().as_bytes());
        let out = import_bytes("latin.ndjson", bytes).await;
        assert_has(
            &out,
            &["imported 2 alerts (2 new", "skipped line 2: not UTF-8"],
        );
    }

    async fn pretty_printed_documents_are_documents() {
        let page = json!({"value": [alert("p1"), alert("p2")]});
        let out = import_bytes("page.json", serde_json::to_string_pretty(&page).unwrap()).await;
        assert_has(&out, &["imported 2 alerts (2 new", "skipped 0"]);
        let single = serde_json::to_string_pretty(&json!([alert("only")])).unwrap();
        let out = import_bytes("one.json", single).await;
        assert_has(&out, &["imported 1 alert (1 new", "skipped 0"]);
        let lone = serde_json::to_string_pretty(&alert("lone")).unwrap();
        let out = import_bytes("lone.json", lone).await;
        assert_has(&out, &["imported 1 alert (1 new", "skipped 0"]);
    }

    async fn broken_pretty_printed_document_fails_and_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let text = serde_json::to_string_pretty(&json!({"value": [alert("a")]})).unwrap();
        let cut = &text[..text.len() - 4];
        let file = write(dir.path(), "cut.json", cut);
        let data = Data::new(dir.path());
        let args = ["import", "--tenant", "t", file.to_str().unwrap()];
        let done = run_on(dir.path(), &data, &args, &[]).await;
        assert!(!done.status.success(), "{}", done.stdout);
        assert_has(
            &done.stderr,
            &["neither NDJSON nor one JSON document", "at line"],
        );
    }

    /// The store was opened (creating the data directory and the tenant) before the file, so a
    /// mistyped path left an empty database behind.
    async fn import_of_a_missing_file_fails_and_leaves_no_data_dir() {
        let dir = tempfile::tempdir().unwrap();
        let data = Data::new(dir.path());
        let args = ["import", "--tenant", "t", "absent.ndjson"];
        let done = run_on(dir.path(), &data, &args, &[]).await;
        assert!(!done.status.success());
        assert_has(&done.stderr, &["cannot open absent.ndjson"]);
        assert!(!data.path.exists());
        let tenants = run_on(dir.path(), &data, &["tenant", "list"], &[]).await;
        assert!(tenants.status.success(), "{}", tenants.stderr);
        assert_eq!(tenants.stdout.trim(), "[]", "the import created its tenant");
    }
}

/// Writes `text` into a new FIFO in `dir` from a thread (the write blocks until the import opens it).
fn fifo(dir: &Path, text: String) -> PathBuf {
    let path = dir.join("alerts.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    let writer = path.clone();
    std::thread::spawn(move || std::fs::write(writer, text).unwrap());
    path
}

testdb::conformance! {
    /// The file is read once, front to back: a pipe holding a pretty-printed page, or NDJSON with a
    /// bad first line, imports like a regular file.
    async fn files_that_are_pipes_are_read_once() {
        let page = json!({"value": [alert("p1"), alert("p2")]});
        let ndjson = format!("{{broken\n{}\n{}\n", alert("a"), alert("b"));
        for (text, expected) in [
            (serde_json::to_string_pretty(&page).unwrap(), "skipped 0"),
            (ndjson, "skipped line 1: not JSON"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let file = fifo(dir.path(), text);
            let data = Data::new(dir.path());
            let done = import(dir.path(), "t", &file, &data).await;
            assert_has(&done.stdout, &["imported 2 alerts (2 new", expected]);
        }
    }

    /// The parser's position in a broken document is the file's, blank lines in front included.
    async fn broken_document_error_gives_the_files_line_number() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(
            dir.path(),
            "cut.json",
            "\n\n{\n  \"value\": [\n    {\"id\": \n  ]\n}\n",
        );
        let data = Data::new(dir.path());
        let args = ["import", "--tenant", "t", file.to_str().unwrap()];
        let done = run_on(dir.path(), &data, &args, &[]).await;
        assert!(!done.status.success(), "{}", done.stdout);
        assert_has(&done.stderr, &["at line 6 column"]);
    }
}
