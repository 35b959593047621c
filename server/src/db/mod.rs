//! The embedded SQLite database: connection pool, pragmas and migrations compiled into the binary.

pub mod applications;
pub mod certificates;
pub mod changes;
pub mod ledger;

use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

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
];

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
    use anyhow::Context;
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
