//! The embedded SQLite database: connection pool, pragmas and migrations compiled into the
//! binary, and every query the server makes — one module per group of tables, whose functions
//! take and return domain (or protocol) types. No other module of the server names sqlx: they
//! hold a [`Pool`], a [`Conn`] or a [`Tx`].

pub mod admin;
pub mod applications;
pub mod audit;
pub mod backup;
pub mod ceremonies;
pub mod certificates;
pub mod changes;
pub mod credentials;
pub mod documents;
pub mod holders;
pub mod ledger;
pub mod receipts;
pub mod scope;
pub mod sessions;
pub mod units;

use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// The migrations, in order. Add a file to `server/migrations/` and a line here; never edit
/// a migration that has shipped.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../../migrations/0001_foundation.sql"),
    ),
    (
        2,
        "certificates",
        include_str!("../../migrations/0002_certificates.sql"),
    ),
    (3, "audit", include_str!("../../migrations/0003_audit.sql")),
    (
        4,
        "identity",
        include_str!("../../migrations/0004_identity.sql"),
    ),
    (
        5,
        "applications",
        include_str!("../../migrations/0005_applications.sql"),
    ),
    (
        6,
        "change_log",
        include_str!("../../migrations/0006_change_log.sql"),
    ),
    (
        7,
        "vacancy_figures",
        include_str!("../../migrations/0007_vacancy_figures.sql"),
    ),
    (
        8,
        "approval_effects",
        include_str!("../../migrations/0008_approval_effects.sql"),
    ),
    (
        9,
        "documents",
        include_str!("../../migrations/0009_documents.sql"),
    ),
    (
        10,
        "verdict_english",
        include_str!("../../migrations/0010_verdict_english.sql"),
    ),
    (
        11,
        "bureau_admin",
        include_str!("../../migrations/0011_bureau_admin.sql"),
    ),
    (
        12,
        "unverified_bound",
        include_str!("../../migrations/0012_unverified_bound.sql"),
    ),
    (
        13,
        "counter_gap",
        include_str!("../../migrations/0013_counter_gap.sql"),
    ),
];

/// The connection pool.
pub type Pool = SqlitePool;
/// One connection, alone or inside a transaction: what the query functions take.
pub type Conn = sqlx::SqliteConnection;
/// A transaction; it dereferences to a [`Conn`], and is rolled back unless committed.
pub type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;
/// A connection taken from the pool; it dereferences to a [`Conn`].
pub type PooledConn = sqlx::pool::PoolConnection<sqlx::Sqlite>;

/// Starts a write transaction with `BEGIN IMMEDIATE`: it takes the write lock at once, so that
/// what it reads stays true until it commits (two writers never read the same state).
pub async fn write(pool: &Pool) -> anyhow::Result<Tx> {
    pool.begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a write transaction")
}

/// Statements run together, in order, in one call to the database's thread (one round trip
/// instead of one per statement): what a writer that needs no statement's result collects, and
/// runs with [`Writes::run`]. Statements that fail stop the rest; those before them stay done
/// (run them inside a savepoint to undo them: [`Writes::savepoint`], [`Writes::roll_back`]).
#[derive(Debug, Default)]
pub struct Writes {
    sql: String,
    values: Vec<Value>,
    /// Where the last savepoint stands.
    savepoint: SavepointState,
}

/// A parameter's value.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Integer(i64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(value: i64) -> Value {
        Value::Integer(value)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Value {
        Value::Integer(i64::from(value))
    }
}

impl From<String> for Value {
    fn from(value: String) -> Value {
        Value::Text(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Value {
        Value::Text(value.to_owned())
    }
}

impl From<Vec<u8>> for Value {
    fn from(value: Vec<u8>) -> Value {
        Value::Blob(value)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Null, Into::into)
    }
}

/// The savepoint of a [`Writes`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum SavepointState {
    /// None taken, or released.
    #[default]
    None,
    /// Queued, not yet run.
    Queued,
    /// Queued and then released before anything ran.
    QueuedAndReleased,
    /// Taken in the database (or maybe: statements after it failed).
    Open,
    /// Taken in the database, its release queued.
    Releasing,
}

/// The name of the savepoint [`Writes::savepoint`] takes.
const SAVEPOINT: &str = "document";

impl Writes {
    /// Nothing to run yet.
    pub fn new() -> Writes {
        Writes::default()
    }

    /// Whether nothing is waiting to run.
    pub fn is_empty(&self) -> bool {
        self.sql.is_empty()
    }

    /// Adds a statement; its `?` parameters take the next values given to [`Writes::bind`].
    pub(crate) fn push(&mut self, sql: &str) -> &mut Writes {
        self.sql.push_str(sql);
        self.sql.push_str(";\n");
        self
    }

    /// Binds the next parameter.
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> anyhow::Result<&mut Writes> {
        self.values.push(value.into());
        Ok(self)
    }

    /// Takes the savepoint `document`: what follows, up to [`Writes::release`], can be undone
    /// alone with [`Writes::roll_back`].
    pub fn savepoint(&mut self) -> &mut Writes {
        self.savepoint = match self.savepoint {
            SavepointState::Open | SavepointState::Releasing => SavepointState::Releasing,
            _ => SavepointState::Queued,
        };
        self.push(&format!("SAVEPOINT {SAVEPOINT}"))
    }

    /// Releases the savepoint: what was done since it was taken stays in the transaction.
    pub fn release(&mut self) -> &mut Writes {
        self.savepoint = match self.savepoint {
            SavepointState::Queued | SavepointState::QueuedAndReleased => {
                SavepointState::QueuedAndReleased
            }
            _ => SavepointState::Releasing,
        };
        self.push(&format!("RELEASE {SAVEPOINT}"))
    }

    /// Queues `other`'s statements after these (their savepoint with them).
    pub fn append(&mut self, other: Writes) {
        if other.is_empty() && other.savepoint == SavepointState::None {
            return;
        }
        self.sql.push_str(&other.sql);
        self.values.extend(other.values);
        self.savepoint = match (self.savepoint, other.savepoint) {
            // Something of these already ran in a savepoint not yet released.
            (SavepointState::Open | SavepointState::Releasing, SavepointState::None) => {
                SavepointState::Releasing
            }
            (_, state) => state,
        };
    }

    /// Runs the statements collected so far, in one call, and starts afresh (a savepoint taken
    /// and not released stays taken).
    pub async fn run(&mut self, conn: &mut Conn) -> anyhow::Result<()> {
        if self.sql.is_empty() {
            return Ok(());
        }
        let sql = std::mem::take(&mut self.sql);
        let mut args = sqlx::sqlite::SqliteArguments::default();
        for value in std::mem::take(&mut self.values) {
            let added = match value {
                Value::Null => sqlx::Arguments::add(&mut args, None::<i64>),
                Value::Integer(n) => sqlx::Arguments::add(&mut args, n),
                Value::Text(text) => sqlx::Arguments::add(&mut args, text),
                Value::Blob(bytes) => sqlx::Arguments::add(&mut args, bytes),
            };
            added.map_err(|e| anyhow::anyhow!("binding a parameter: {e}"))?;
        }
        let ran = execute(conn, sql, args).await;
        self.savepoint = match (self.savepoint, ran.is_ok()) {
            (SavepointState::None, _) => SavepointState::None,
            (SavepointState::Releasing | SavepointState::QueuedAndReleased, true) => {
                SavepointState::None
            }
            // Taken, and (if something failed) maybe not released.
            _ => SavepointState::Open,
        };
        ran.context("writing")?;
        Ok(())
    }

    /// Undoes everything since the last savepoint was taken, if it is open, and releases it;
    /// statements not yet run are dropped.
    pub async fn roll_back(&mut self, conn: &mut Conn) -> anyhow::Result<()> {
        self.sql.clear();
        self.values.clear();
        if self.savepoint == SavepointState::Open {
            let sql = format!("ROLLBACK TO {SAVEPOINT}; RELEASE {SAVEPOINT}");
            execute(conn, sql, Default::default())
                .await
                .context("rolling back to the savepoint")?;
        }
        self.savepoint = SavepointState::None;
        Ok(())
    }
}

/// Runs `sql` with `args`. Boxed, so that the futures of callers (handlers, the signed kinds'
/// trait methods) are `Send` for any lifetime.
fn execute<'a>(
    conn: &'a mut Conn,
    sql: String,
    args: sqlx::sqlite::SqliteArguments<'static>,
) -> futures_core::future::BoxFuture<'a, Result<(), sqlx::Error>> {
    Box::pin(async move {
        // Kept among the connection's prepared statements (a few hundred at most): callers
        // join a bounded number of statements of a few shapes, so the same texts come again.
        sqlx::query_with(&sql, args).execute(&mut *conn).await?;
        Ok(())
    })
}

/// Starts a deferred transaction, for reads that must see one consistent state.
pub async fn read(pool: &Pool) -> anyhow::Result<Tx> {
    pool.begin().await.context("starting a read transaction")
}

/// Takes a connection from the pool.
pub async fn connection(pool: &Pool) -> anyhow::Result<PooledConn> {
    pool.acquire().await.context("taking a connection")
}

/// A pool over an in-memory database that connects only when first used: for a state that
/// needs a pool but no database (tests of the router).
pub fn unconnected() -> anyhow::Result<Pool> {
    sqlx::sqlite::SqlitePoolOptions::new()
        .connect_lazy("sqlite::memory:")
        .context("building an unconnected pool")
}

/// Migrations embedded with `include_str!`, so the binary needs no files beside it and the
/// build needs no sqlx proc-macros.
#[derive(Debug, Clone, Copy)]
struct Embedded;

impl MigrationSource<'static> for Embedded {
    fn resolve(
        self,
    ) -> futures_core::future::BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// This release's migrations, with their checksums (what a restored file is checked against).
pub(crate) async fn migrations() -> anyhow::Result<Vec<Migration>> {
    Embedded
        .resolve()
        .await
        .map_err(|e| anyhow::anyhow!("loading migrations: {e}"))
}

/// Opens (creating if needed) the database at `path` and brings its schema up to date.
pub async fn open(path: &Path) -> anyhow::Result<SqlitePool> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the data directory {}", dir.display()))?;
    }
    let options = SqliteConnectOptions::from_str("sqlite:")
        .context("building database options")?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Savepoints' sub-journals (one per signed document received) and other temporary
        // data in memory, not in temporary files.
        .pragma("temp_store", "memory")
        // Up to 32 MiB of pages cached per connection, and the file read through a memory map
        // of up to 256 MiB: a push batch touches index pages all over the file.
        .pragma("cache_size", "-32768")
        .pragma("mmap_size", "268435456");
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("opening the database {}", path.display()))?;
    Migrator::new(Embedded)
        .await
        .context("loading migrations")?
        .run(&pool)
        .await
        .context("migrating the database")?;
    sqlx::query(
        "INSERT INTO server_meta (id, created_at, created_by) \
         VALUES (1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(concat!("server ", env!("CARGO_PKG_VERSION")))
    .execute(&pool)
    .await
    .context("recording the database's creation")?;
    Ok(pool)
}

/// `true` when the database answers a trivial query.
pub async fn is_healthy(pool: &SqlitePool) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(pool)
        .await
        .is_ok_and(|one| one == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_new_database_is_created_migrated_and_reopened() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/staffing.sqlite3");
        let pool = open(&path).await.unwrap();
        assert!(is_healthy(&pool).await);
        let created: String = sqlx::query_scalar("SELECT created_at FROM server_meta")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        // A second start migrates nothing and keeps the first record.
        let pool = open(&path).await.unwrap();
        let again: String = sqlx::query_scalar("SELECT created_at FROM server_meta")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(created, again);
        let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(applied, MIGRATIONS.len() as i64);
    }
}
