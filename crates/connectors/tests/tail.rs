//! The tailer on real files in temporary directories: partial lines, restarts, rotation and
//! truncation.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixture;

use connectors::checkpoint;
use connectors::{Line, Tailer};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

struct Dir {
    _tmp: tempfile::TempDir,
    log: PathBuf,
    cp: PathBuf,
}

fn dir() -> Dir {
    let tmp = tempfile::tempdir().unwrap();
    Dir {
        log: tmp.path().join("eve.json"),
        cp: tmp.path().join("eve.checkpoint"),
        _tmp: tmp,
    }
}

fn append(path: &Path, text: &str) {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

fn texts(lines: &[Line]) -> Vec<&str> {
    lines.iter().map(|l| l.text.as_str()).collect()
}

/// Polls until nothing more comes, committing after every poll.
fn drain(t: &mut Tailer) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        let lines = t.poll(3).unwrap();
        let Some(last) = lines.last() else {
            return out;
        };
        t.commit(last.offset_after).unwrap();
        out.extend(lines.into_iter().map(|l| l.text));
    }
}

fn numbered(range: std::ops::Range<u32>) -> String {
    range.map(|i| format!("line {i:04}\n")).collect()
}

fn expect(range: std::ops::Range<u32>) -> Vec<String> {
    range.map(|i| format!("line {i:04}")).collect()
}

#[test]
fn a_partial_line_waits_for_its_newline_and_offsets_are_bytes() {
    let d = dir();
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    assert!(t.poll(10).unwrap().is_empty(), "no file yet");
    append(&d.log, "first\r\n{\"half\":");
    let lines = t.poll(10).unwrap();
    assert_eq!(texts(&lines), ["first"]);
    assert_eq!((lines[0].offset, lines[0].offset_after), (0, 7));
    assert!(t.poll(10).unwrap().is_empty(), "half a line is not a line");
    append(&d.log, "1}\n");
    let lines = t.poll(10).unwrap();
    assert_eq!(texts(&lines), ["{\"half\":1}"]);
    assert_eq!((lines[0].offset, lines[0].offset_after), (7, 18));
}

#[test]
fn restart_resumes_at_the_commit_without_gaps_or_duplicates() {
    let d = dir();
    append(&d.log, &numbered(0..5));
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    let lines = t.poll(3).unwrap();
    assert_eq!(texts(&lines), ["line 0000", "line 0001", "line 0002"]);
    t.commit(lines[1].offset_after).unwrap();
    drop(t); // "crash" with line 2 read but not committed
    append(&d.log, &numbered(5..7));
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    assert_eq!(drain(&mut t), expect(2..7), "line 2 again, then the rest");
    drop(t);
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    assert!(drain(&mut t).is_empty(), "everything was committed");
}

#[test]
fn a_file_replaced_or_truncated_while_stopped_is_read_from_the_start() {
    let d = dir();
    append(&d.log, &numbered(0..3));
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    assert_eq!(drain(&mut t), expect(0..3));
    drop(t);
    fs::rename(&d.log, d.log.with_extension("json.1")).unwrap();
    append(&d.log, &numbered(100..104));
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    assert_eq!(drain(&mut t), expect(100..104), "rotated while stopped");
    drop(t);
    File::create(&d.log).unwrap(); // truncated in place
    append(&d.log, &numbered(200..201));
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    assert_eq!(drain(&mut t), expect(200..201), "truncated while stopped");
}

#[test]
fn rename_rotation_drains_the_old_file_then_reads_the_new_one() {
    let d = dir();
    let mut writer = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&d.log)
        .unwrap();
    writer.write_all(numbered(0..3).as_bytes()).unwrap();
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    assert_eq!(drain(&mut t), expect(0..3));
    fs::rename(&d.log, d.log.with_extension("json.1")).unwrap();
    assert!(drain(&mut t).is_empty(), "path gone: keep the old file");
    // The writer has not reopened yet: it still writes to the old file, the last line unended.
    writer.write_all(b"line 0003\nline 0004").unwrap();
    File::create(&d.log).unwrap();
    assert_eq!(
        drain(&mut t),
        expect(3..4),
        "new file still empty: the old one may grow"
    );
    append(&d.log, &numbered(10..12));
    assert_eq!(
        drain(&mut t),
        ["line 0004", "line 0010", "line 0011"],
        "old file drained, its unended last line included, then the new file"
    );
}

#[test]
fn copytruncate_is_noticed_by_size_and_by_first_bytes() {
    let d = dir();
    append(&d.log, &numbered(0..4));
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    assert_eq!(drain(&mut t), expect(0..4));
    // Truncated and written again, shorter than before.
    fs::copy(&d.log, d.log.with_extension("json.1")).unwrap();
    OpenOptions::new()
        .write(true)
        .open(&d.log)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&d.log, &numbered(10..12));
    assert_eq!(drain(&mut t), expect(10..12), "shorter than the offset");
    // Truncated and written again past the offset before the tailer looked.
    OpenOptions::new()
        .write(true)
        .open(&d.log)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&d.log, &numbered(20..25));
    assert_eq!(drain(&mut t), expect(20..25), "first bytes changed");
}

#[test]
fn files_switch_only_after_every_returned_line_is_committed() {
    let d = dir();
    append(&d.log, &numbered(0..2));
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    let lines = t.poll(10).unwrap();
    assert_eq!(lines.len(), 2);
    OpenOptions::new()
        .write(true)
        .open(&d.log)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&d.log, &numbered(30..31));
    assert!(
        t.poll(10).unwrap().is_empty(),
        "uncommitted lines of the old content"
    );
    t.commit(lines[1].offset_after).unwrap();
    assert_eq!(texts(&t.poll(10).unwrap()), ["line 0030"]);
}

#[test]
fn commits_outside_the_read_range_are_refused() {
    let d = dir();
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    assert_eq!(t.commit(0).unwrap_err().kind(), io::ErrorKind::InvalidInput);
    append(&d.log, &numbered(0..2));
    let lines = t.poll(1).unwrap();
    let e = t.commit(lines[0].offset_after + 1).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("0..=10"), "{e}");
    t.commit(lines[0].offset_after).unwrap();
    let saved = checkpoint::load(&d.cp).unwrap().unwrap();
    assert_eq!(saved.offset, 10);
    assert_eq!(saved.fingerprint.len, 20, "the whole (short) file so far");
}

#[test]
fn oversized_lines_are_skipped_without_being_kept_and_bad_utf8_is_replaced() {
    let d = dir();
    let long = "x".repeat(500);
    let mut bytes = format!("short\n{long}\n").into_bytes();
    bytes.extend_from_slice(b"caf\xe9\n");
    fs::write(&d.log, &bytes).unwrap();
    let mut t = Tailer::open(&d.log, &d.cp)
        .unwrap()
        .with_max_line_bytes(100);
    let lines = t.poll(10).unwrap();
    assert_eq!(lines.len(), 3);
    assert!(!lines[0].oversized && lines[1].oversized);
    assert_eq!(
        (
            lines[1].text.as_str(),
            lines[1].offset,
            lines[1].offset_after
        ),
        ("", 6, 507)
    );
    assert_eq!(lines[2].text, "caf\u{fffd}");
}

#[test]
fn a_corrupt_checkpoint_stops_the_tailer_from_opening() {
    let d = dir();
    fs::write(&d.cp, "not json").unwrap();
    let e = Tailer::open(&d.log, &d.cp).err().unwrap();
    assert_eq!(e.kind(), io::ErrorKind::InvalidData);
}

#[test]
fn real_eve_lines_are_read_whole_including_the_last_unended_one_after_rotation() {
    let d = dir();
    let text = fixture::text(fixture::EVE_FILES[0]);
    assert!(!text.ends_with('\n'), "the sample has no trailing newline");
    fs::write(&d.log, &text).unwrap();
    let mut t = Tailer::open(&d.log, &d.cp).unwrap();
    assert_eq!(drain(&mut t).len(), 7, "the eighth line is unended");
    fs::rename(&d.log, d.log.with_extension("json.1")).unwrap();
    append(&d.log, &fixture::eve_flow());
    let rest = drain(&mut t);
    assert_eq!(rest.len(), 2);
    assert_eq!(rest[0], fixture::lines(fixture::EVE_FILES[0])[7]);
}
