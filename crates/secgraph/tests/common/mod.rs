//! Process management for the end-to-end tests: runs the real `secgraph` binary as a child process in
//! a test's own temporary directory, collects its stdout (by line) and stderr as they arrive, waits for
//! output and for exit against a deadline (never a fixed sleep), and kills the process when dropped.
//!
//! A test's installation is a [`Data`]: a data directory and a database on the test's backend
//! (`testdb::conformance!` runs each test on SQLite and on PostgreSQL), which every process started
//! on it is given with `--data-dir` and `--database`.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use reqwest::StatusCode;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use testdb::TestDatabase;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::Notify;
use tokio::time::Instant;

/// How long any wait may take: generous, because the machine's two cores are shared.
pub const DEADLINE: Duration = Duration::from_secs(180);

/// The demo anchor every test uses, so the data is the same on every run.
pub const ANCHOR: &str = "2026-11-01";

/// What the child wrote so far, shared with the tasks reading its pipes.
#[derive(Default)]
struct Output {
    stdout: Mutex<Vec<String>>,
    stderr: Mutex<String>,
    stdout_closed: AtomicBool,
    stderr_closed: AtomicBool,
    changed: Notify,
}

/// What one secgraph installation keeps, for a test: a data directory (admin token, demo
/// credentials, TLS files) and a database on the test's backend, given to every process started on
/// it. Create it in the test's own future, not in a spawned task (the backend is the test's).
/// Clones share the database; it is removed when the last clone and the last process given it are
/// gone, and a process keeps it until it has exited.
#[derive(Clone)]
pub struct Data {
    /// The data directory.
    pub path: PathBuf,
    db: Arc<TestDatabase>,
}

impl Data {
    /// The data directory `data` in `dir` (created by the first process) and a new, empty database.
    pub fn new(dir: &Path) -> Data {
        Data {
            path: dir.join("data"),
            db: Arc::new(TestDatabase::new()),
        }
    }

    /// `--data-dir PATH --database URL`.
    pub fn args(&self) -> [&str; 4] {
        let path = self.path.to_str().unwrap();
        ["--data-dir", path, "--database", self.db.url()]
    }

    /// Another node of the same installation: the same database, its own data directory `name`.
    pub fn node(&self, dir: &Path, name: &str) -> Data {
        Data {
            path: dir.join(name),
            db: self.db.clone(),
        }
    }

    /// The database.
    pub fn db(&self) -> &TestDatabase {
        &self.db
    }
}

/// A running `secgraph` process; killed (SIGKILL) and waited for when dropped.
pub struct Secgraph {
    child: Child,
    pid: u32,
    output: Arc<Output>,
    /// The database the process was given: kept until the process has exited.
    db: Option<Arc<TestDatabase>>,
}

impl Secgraph {
    /// Starts `secgraph ARGS` in `dir` with `env` added to an environment cleared of `SECGRAPH_*` and
    /// `RUST_LOG` (so the caller's shell cannot change what is tested).
    pub fn spawn(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Secgraph {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_secgraph"));
        cmd.args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (key, _) in std::env::vars_os() {
            let name = key.to_string_lossy();
            if name.starts_with("SECGRAPH_") || name == "RUST_LOG" {
                cmd.env_remove(&key);
            }
        }
        cmd.envs(env.iter().copied());
        let mut child = cmd.spawn().expect("spawn secgraph");
        let pid = child.id().expect("pid");
        let output = Arc::new(Output::default());
        tokio::spawn(read_lines(
            child.stdout.take().expect("stdout"),
            output.clone(),
        ));
        tokio::spawn(read_text(
            child.stderr.take().expect("stderr"),
            output.clone(),
        ));
        Secgraph {
            child,
            pid,
            output,
            db: None,
        }
    }

    /// Starts `secgraph ARGS --data-dir .. --database ..` on `data` (see [`Secgraph::spawn`]).
    pub fn spawn_on(dir: &Path, data: &Data, args: &[&str], env: &[(&str, &str)]) -> Secgraph {
        let mut all = args.to_vec();
        all.extend(data.args());
        let mut proc = Secgraph::spawn(dir, &all, env);
        proc.db = Some(data.db.clone());
        proc
    }

    /// Everything printed on stdout so far, by line.
    pub fn stdout(&self) -> Vec<String> {
        self.output.stdout.lock().unwrap().clone()
    }

    /// Everything printed on stderr so far.
    pub fn stderr(&self) -> String {
        self.output.stderr.lock().unwrap().clone()
    }

    /// Waits for a stdout line matching `pred` and returns it; panics when the process closes stdout
    /// first or the deadline passes.
    pub async fn wait_stdout(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        self.wait(what, &self.output.stdout_closed, || {
            self.output
                .stdout
                .lock()
                .unwrap()
                .iter()
                .find(|l| pred(l))
                .cloned()
        })
        .await
    }

    /// Waits until stderr contains `needle`.
    pub async fn wait_stderr(&self, needle: &str) {
        self.wait(needle, &self.output.stderr_closed, || {
            self.output
                .stderr
                .lock()
                .unwrap()
                .contains(needle)
                .then_some(())
        })
        .await
    }

    async fn wait<T>(&self, what: &str, closed: &AtomicBool, check: impl Fn() -> Option<T>) -> T {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let changed = self.output.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if let Some(found) = check() {
                return found;
            }
            if closed.load(Ordering::SeqCst) {
                panic!(
                    "secgraph stopped writing before {what:?}\n{}",
                    self.report()
                );
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                panic!("timed out waiting for {what:?}\n{}", self.report());
            }
        }
    }

    /// Sends SIGTERM with the `kill` command.
    pub fn terminate(&self) {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM {} failed", self.pid);
    }

    /// Sends SIGKILL (a crash: nothing is flushed or finished) and waits for the exit.
    pub async fn kill(&mut self) {
        self.child.start_kill().expect("kill");
        self.wait_exit().await;
    }

    /// Whether the process has exited (without waiting).
    pub fn has_exited(&mut self) -> bool {
        self.child.try_wait().expect("try_wait").is_some()
    }

    /// Waits for the process to exit and for its output to be read to the end.
    pub async fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + DEADLINE;
        let status = tokio::time::timeout_at(deadline, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("secgraph did not exit\n{}", self.report()))
            .expect("wait");
        let output = self.output.clone();
        self.wait("the end of the output", &AtomicBool::new(false), || {
            let closed = output.stdout_closed.load(Ordering::SeqCst)
                && output.stderr_closed.load(Ordering::SeqCst);
            closed.then_some(())
        })
        .await;
        status
    }

    /// stdout and stderr, for failure messages.
    pub fn report(&self) -> String {
        format!(
            "--- stdout\n{}\n--- stderr\n{}",
            self.stdout().join("\n"),
            self.stderr()
        )
    }
}

impl Drop for Secgraph {
    /// Kills the process and waits (briefly, blocking) for it to exit, so its database outlives it.
    fn drop(&mut self) {
        let _ = self.child.start_kill();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while matches!(self.child.try_wait(), Ok(None)) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

async fn read_lines(pipe: impl AsyncRead + Unpin, output: Arc<Output>) {
    let mut lines = BufReader::new(pipe).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        output.stdout.lock().unwrap().push(line);
        output.changed.notify_waiters();
    }
    output.stdout_closed.store(true, Ordering::SeqCst);
    output.changed.notify_waiters();
}

async fn read_text(mut pipe: impl AsyncRead + Unpin, output: Arc<Output>) {
    let mut buf = vec![0u8; 8192];
    while let Ok(n) = pipe.read(&mut buf).await {
        if n == 0 {
            break;
        }
        output
            .stderr
            .lock()
            .unwrap()
            .push_str(&String::from_utf8_lossy(&buf[..n]));
        output.changed.notify_waiters();
    }
    output.stderr_closed.store(true, Ordering::SeqCst);
    output.changed.notify_waiters();
}

/// A finished command: exit status, stdout and stderr.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// The JSON a command that succeeded printed (`Null` for no output); panics with its output
/// otherwise.
pub fn json_output(what: &[&str], done: &Finished) -> Value {
    assert!(
        done.status.success(),
        "{what:?}: {}\n{}",
        done.stdout,
        done.stderr
    );
    if done.stdout.trim().is_empty() {
        return Value::Null;
    }
    serde_json::from_str(&done.stdout).unwrap_or_else(|e| panic!("{e}: {}", done.stdout))
}

/// Runs `secgraph ARGS` to its end (a server that should have refused to start is killed at the
/// deadline, failing the test).
pub async fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Finished {
    finish(Secgraph::spawn(dir, args, env)).await
}

/// Runs `secgraph ARGS --data-dir .. --database ..` on `data` to its end.
pub async fn run_on(dir: &Path, data: &Data, args: &[&str], env: &[(&str, &str)]) -> Finished {
    finish(Secgraph::spawn_on(dir, data, args, env)).await
}

async fn finish(mut proc: Secgraph) -> Finished {
    let status = proc.wait_exit().await;
    Finished {
        status,
        stdout: proc.stdout().join("\n"),
        stderr: proc.stderr(),
    }
}

/// Runs `secgraph import --tenant TENANT FILE` on `data` and asserts it succeeded.
pub async fn import(dir: &Path, tenant: &str, file: &Path, data: &Data) -> Finished {
    let file = file.to_str().unwrap();
    let done = run_on(dir, data, &["import", "--tenant", tenant, file], &[]).await;
    assert!(
        done.status.success(),
        "import failed: {}\n{}",
        done.stdout,
        done.stderr
    );
    done
}

/// An HTTP client that ignores proxy settings (the server is on loopback).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

/// A `secgraph serve` process on `127.0.0.1:0`, started and announced.
pub struct Server {
    pub proc: Secgraph,
    /// The base URL from the listening line, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// The lines printed at start-up, the `try: curl` line last.
    pub banner: Vec<String>,
    http: reqwest::Client,
}

impl Server {
    /// Starts `secgraph serve --auth none --listen 127.0.0.1:0 ARGS` on `data` (emulator mode:
    /// these tests are about data, not tokens) and waits for its banner.
    pub async fn start(dir: &Path, data: &Data, args: &[&str], env: &[(&str, &str)]) -> Server {
        Self::start_with_auth(dir, data, "none", args, env).await
    }

    /// Starts `secgraph serve --auth AUTH --listen 127.0.0.1:0 ARGS` on `data` and waits for its
    /// banner.
    pub async fn start_with_auth(
        dir: &Path,
        data: &Data,
        auth: &str,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Server {
        let mut all = vec!["serve", "--auth", auth, "--listen", "127.0.0.1:0"];
        all.extend_from_slice(args);
        Server::announced(Secgraph::spawn_on(dir, data, &all, env)).await
    }

    /// Waits for the banner of an already spawned `serve`.
    pub async fn announced(proc: Secgraph) -> Server {
        proc.wait_stdout("the try: curl line", |l| l.starts_with("try: curl"))
            .await;
        let banner = proc.stdout();
        let url = listening_url(&banner[0]).unwrap_or_else(|| panic!("{}", proc.report()));
        Server {
            proc,
            url,
            banner,
            http: client(),
        }
    }

    /// `GET {url}{path}`: status and body.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let reply = self
            .http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .unwrap();
        (reply.status(), reply.text().await.unwrap())
    }

    /// `GET {url}{path}`, asserting 200 and a JSON body.
    pub async fn get_json(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// `GET {url}/v1.0/security/{view}/$count` as a number.
    pub async fn count(&self, view: &str) -> u64 {
        let (status, body) = self.get(&format!("/v1.0/security/{view}/$count")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body.trim().parse().unwrap()
    }

    /// The sorted ids of every alert in a view (`alerts_v2` or `alerts`), one page of up to 1000.
    pub async fn ids(&self, view: &str) -> Vec<String> {
        let page = self
            .get_json(&format!("/v1.0/security/{view}?$select=id&$top=1000"))
            .await;
        assert!(page.get("@odata.nextLink").is_none(), "more than one page");
        let mut ids: Vec<String> = page["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    }

    /// A request builder on `{url}{path}`.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.url))
    }

    /// SIGTERM, then waits for the exit and asserts it was a success.
    pub async fn stop(mut self) -> Secgraph {
        self.proc.terminate();
        let status = self.proc.wait_exit().await;
        assert!(status.success(), "exit {status}\n{}", self.proc.report());
        self.proc
    }
}

/// `http://127.0.0.1:PORT` from `secgraph listening on http://127.0.0.1:PORT (...)`.
pub fn listening_url(line: &str) -> Option<String> {
    let rest = line.strip_prefix("secgraph listening on ")?;
    Some(rest.split_whitespace().next()?.to_owned())
}

/// The sorted, distinct ids of `alerts`.
pub fn ids_in(alerts: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = alerts
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// A fixture from `tests/fixtures/`.
pub fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}
