//! The conformance suite's databases: every store, API and end-to-end test runs once on SQLite and
//! once on PostgreSQL, written once with [`conformance!`].
//!
//! - SQLite: a file in a fresh temporary directory.
//! - PostgreSQL: a fresh schema (`sg_test_<uuid>`) on the server named by
//!   `SECGRAPH_TEST_POSTGRES_URL` (for example `postgres://postgres@127.0.0.1:5432/test`), reached
//!   through a URL whose `options` set the `search_path`, so the store under test sees only its own
//!   tables. The schema is dropped when the [`TestDatabase`] is.
//!
//! Without `SECGRAPH_TEST_POSTGRES_URL` the PostgreSQL half of each test prints a notice and passes
//! without running, so the suite works on a machine without PostgreSQL. With
//! `SECGRAPH_TEST_REQUIRE_POSTGRES=1` (CI sets it) a missing URL fails those tests instead.
//!
//! The backend of the running test is kept in a thread-local set by [`run`]: create databases from
//! the test's own future (the thread that runs it), not from tasks it spawns.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::cell::Cell;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use store::{Clock, Database, PostgresOptions, Store};
use tempfile::TempDir;

/// The variable naming the PostgreSQL server the tests use.
pub const POSTGRES_URL_ENV: &str = "SECGRAPH_TEST_POSTGRES_URL";
/// Set (to anything but `0`) to fail PostgreSQL tests instead of skipping them when the URL is unset.
pub const REQUIRE_POSTGRES_ENV: &str = "SECGRAPH_TEST_REQUIRE_POSTGRES";

/// A storage backend under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite store.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

thread_local! {
    static CURRENT: Cell<Backend> = const { Cell::new(Backend::Sqlite) };
}

/// The backend of the test running on this thread (SQLite outside [`conformance!`] tests).
pub fn current() -> Backend {
    CURRENT.with(Cell::get)
}

/// The PostgreSQL server URL, if the suite was given one.
pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_URL_ENV)
        .ok()
        .filter(|s| !s.trim().is_empty())
}

fn postgres_required() -> bool {
    std::env::var(REQUIRE_POSTGRES_ENV).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Runs `test` on `backend` in a fresh multi-threaded runtime (two workers), or skips it with a
/// printed notice when it needs PostgreSQL and none was configured. What [`conformance!`] expands to.
pub fn run<F, Fut>(name: &str, backend: Backend, test: F)
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ()>,
{
    if backend == Backend::Postgres && postgres_url().is_none() {
        assert!(
            !postgres_required(),
            "{name}: {REQUIRE_POSTGRES_ENV} is set but {POSTGRES_URL_ENV} is not"
        );
        eprintln!(
            "skipped {name} on PostgreSQL: set {POSTGRES_URL_ENV} (e.g. postgres://postgres@127.0.0.1:5432/test) to run it"
        );
        return;
    }
    CURRENT.with(|c| c.set(backend));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(test());
}

/// Declares tests that run on both backends. Each `async fn name() { .. }` becomes a module `name`
/// with two tests, `name::sqlite` and `name::postgres`; inside, [`TestDatabase::new`] (and everything
/// built on it, such as `testkit::TestServer`) uses that backend.
///
/// ```ignore
/// testdb::conformance! {
///     /// Doc comments and other attributes are kept.
///     async fn lists_alerts() {
///         let server = testkit::TestServer::start().await;
///         // ...
///     }
/// }
/// ```
#[macro_export]
macro_rules! conformance {
    ($( $(#[$attr:meta])* async fn $name:ident() $body:block )*) => {
        $(
            $(#[$attr])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[test]
                fn sqlite() {
                    $crate::run(concat!(module_path!()), $crate::Backend::Sqlite, || async move $body);
                }

                #[test]
                fn postgres() {
                    $crate::run(concat!(module_path!()), $crate::Backend::Postgres, || async move $body);
                }
            }
        )*
    };
}

/// A database for one test, on the current backend; removed when dropped.
#[derive(Debug)]
pub struct TestDatabase {
    backend: Backend,
    url: String,
    dir: TempDir,
    /// PostgreSQL: the server URL and the test's schema, dropped on drop.
    schema: Option<(String, String)>,
}

impl TestDatabase {
    /// A new, empty database on [`current`]'s backend.
    pub fn new() -> TestDatabase {
        TestDatabase::on(current())
    }

    /// A new, empty database on `backend`.
    pub fn on(backend: Backend) -> TestDatabase {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let path = dir.path().join("db").join("secgraph.sqlite");
                TestDatabase {
                    backend,
                    url: format!("sqlite:{}", path.display()),
                    dir,
                    schema: None,
                }
            }
            Backend::Postgres => {
                let server = postgres_url().unwrap_or_else(|| {
                    panic!(
                        "{POSTGRES_URL_ENV} is not set: run this test through testdb::conformance!"
                    )
                });
                let schema = format!("sg_test_{}", uuid::Uuid::new_v4().simple());
                on_server(&server, &format!("CREATE SCHEMA {schema}"));
                TestDatabase {
                    backend,
                    url: Database::postgres_in_schema(&server, &schema),
                    dir,
                    schema: Some((server, schema)),
                }
            }
        }
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What `secgraph serve --database` and `store::Database::parse` take.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The SQLite file, on SQLite.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        self.url.strip_prefix("sqlite:").map(PathBuf::from)
    }

    /// A temporary directory that lives as long as the database (for other files of the test).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Opens the store (again, if it was open before) with few connections on PostgreSQL, since
    /// tests run in parallel against one server.
    pub fn open_store(&self, clock: Arc<dyn Clock>) -> Store {
        let database = Database::parse(&self.url).expect("test database URL");
        match &database {
            Database::Postgres(url) => {
                let options = PostgresOptions {
                    read_connections: 4,
                    writers: 2,
                    ..PostgresOptions::default()
                };
                Store::open_postgres(url, clock, options).expect("open store")
            }
            Database::Sqlite(_) => Store::open(&database, clock).expect("open store"),
        }
    }

    /// The PostgreSQL schema, on PostgreSQL.
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_ref().map(|(_, s)| s.as_str())
    }
}

impl Default for TestDatabase {
    fn default() -> Self {
        TestDatabase::new()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((server, schema)) = self.schema.take() {
            on_server(&server, &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// Runs one statement on the server, on a thread of its own (the blocking client runs its own
/// runtime, which must not nest in the test's).
fn on_server(server: &str, sql: &str) {
    let (server, sql) = (server.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&server, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to {server}: {e}"));
        client
            .batch_execute(&sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    })
    .join()
    .expect("PostgreSQL statement thread");
}
