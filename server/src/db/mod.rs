//! The embedded SQLite database: connection pool, pragmas and migrations compiled into the
//! binary, and every query the server makes — one module per group of tables, whose functions
//! take and return domain (or protocol) types. No other module of the server names sqlx: they
//! hold a [`Pool`], a [`Conn`] or a [`Tx`].

pub mod applications;
pub mod audit;
pub mod ceremonies;
pub mod certificates;
pub mod changes;
pub mod credentials;
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
];

/// The connection pool.
pub type Pool = SqlitePool;
/// One connection, alone or inside a transaction: what the query functions take.
pub type Conn = sqlx::SqliteConnection;
/// A transaction; it dereferences to a [`Conn`], and is rolled back unless committed.
pub type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;
/// A savepoint inside a transaction: it dereferences to a [`Conn`]; `commit` releases it,
/// `rollback` (or dropping it) undoes what was done since it was taken, and only that.
pub type Savepoint<'a> = sqlx::Transaction<'a, sqlx::Sqlite>;
/// A connection taken from the pool; it dereferences to a [`Conn`].
pub type PooledConn = sqlx::pool::PoolConnection<sqlx::Sqlite>;

/// Starts a write transaction with `BEGIN IMMEDIATE`: it takes the write lock at once, so that
/// what it reads stays true until it commits (two writers never read the same state).
pub async fn write(pool: &Pool) -> anyhow::Result<Tx> {
    pool.begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a write transaction")
}

/// Takes a savepoint (`SAVEPOINT`) in the transaction `conn` is in.
pub async fn savepoint(conn: &mut Conn) -> anyhow::Result<Savepoint<'_>> {
    sqlx::Connection::begin(conn)
        .await
        .context("taking a savepoint")
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
        .busy_timeout(Duration::from_secs(5));
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
