//! Backups of the database and their restore (`server backup <file>`, `server restore <file>`).
//!
//! A backup is `VACUUM INTO`: one read transaction's consistent copy, taken while the server
//! runs (WAL: writers go on), compacted. A file is restored only if it is an intact SQLite
//! database (`PRAGMA integrity_check`), of this system (the `server_meta` row every database of
//! ours carries), with migrations this build knows — each applied one with the same checksum as
//! ours, none from a newer release — and an intact audit chain; it is copied in beside the
//! database and renamed over it, then opened (migrating an older backup) and checked again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, Row, SqliteConnection};

use super::Pool;
use super::audit::{self, ChainReport};

/// What a backup or a restore checked: the rows of every table and the audit chain's head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseReport {
    /// Who created the database (`server_meta.created_by`) and when.
    pub created_by: String,
    pub created_at: String,
    /// The highest migration applied.
    pub schema_version: i64,
    /// Rows per table (every table but SQLite's and sqlx's own).
    pub counts: BTreeMap<String, i64>,
    /// Entries of the audit log and the hash of the last.
    pub audit_entries: u64,
    pub audit_head: String,
}

/// Why a file is not restored.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("{0} cannot be read as a SQLite database: {1}")]
    NotADatabase(PathBuf, String),
    #[error("the database is damaged: {0}")]
    Damaged(String),
    #[error("not a database of this system: {0}")]
    Foreign(String),
    #[error("made by a newer release (migration {0} is unknown to this one)")]
    Newer(i64),
    #[error("migration {0} differs from this release's (checksum)")]
    MigrationChanged(i64),
    #[error("the audit chain is broken at entry {seq}: {reason}")]
    AuditBroken { seq: i64, reason: String },
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Writes a consistent copy of the database behind `pool` to `target` (which must not exist)
/// and checks the copy.
pub async fn backup(pool: &Pool, target: &Path) -> Result<DatabaseReport, RestoreError> {
    if target.exists() {
        return Err(anyhow::anyhow!("{} exists already", target.display()).into());
    }
    let name = target
        .to_str()
        .context("the backup's path is not UTF-8")?
        .to_owned();
    sqlx::query("VACUUM INTO ?")
        .bind(name)
        .execute(pool)
        .await
        .with_context(|| format!("writing {}", target.display()))?;
    check(target).await
}

/// Checks that `file` is an intact database of this system that this release can open.
pub async fn check(file: &Path) -> Result<DatabaseReport, RestoreError> {
    let header = std::fs::read(file)
        .map(|bytes| bytes.get(..16).map(<[u8]>::to_vec))
        .with_context(|| format!("reading {}", file.display()))?;
    if header.as_deref() != Some(b"SQLite format 3\0".as_slice()) {
        return Err(RestoreError::NotADatabase(
            file.to_owned(),
            "no SQLite header".into(),
        ));
    }
    let options = SqliteConnectOptions::from_str("sqlite:")
        .context("building database options")?
        .filename(file)
        .read_only(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| RestoreError::NotADatabase(file.to_owned(), e.to_string()))?;
    let report = inspect(&mut conn).await;
    let _ = conn.close().await;
    report
}

async fn inspect(conn: &mut SqliteConnection) -> Result<DatabaseReport, RestoreError> {
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| RestoreError::Damaged(e.to_string()))?;
    if problems != ["ok"] {
        return Err(RestoreError::Damaged(problems.join("; ")));
    }
    let tables = tables(conn)
        .await
        .map_err(|e| RestoreError::Damaged(e.to_string()))?;
    for ours in ["server_meta", "_sqlx_migrations", "audit_log"] {
        if !tables.iter().any(|t| t == ours) {
            return Err(RestoreError::Foreign(format!("no table {ours}")));
        }
    }
    let meta = sqlx::query("SELECT created_at, created_by FROM server_meta WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await
        .context("reading server_meta")?
        .ok_or_else(|| RestoreError::Foreign("server_meta is empty".into()))?;
    let created_by: String = meta.try_get("created_by").context("server_meta")?;
    if !created_by.starts_with("server ") {
        return Err(RestoreError::Foreign(format!("created by {created_by:?}")));
    }
    let applied = sqlx::query(
        "SELECT version, checksum FROM _sqlx_migrations WHERE success = 1 ORDER BY version",
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading the applied migrations")?;
    let ours = super::migrations().await?;
    let mut schema_version = 0;
    for row in &applied {
        let version: i64 = row.try_get("version").context("a migration's version")?;
        let checksum: Vec<u8> = row.try_get("checksum").context("a migration's checksum")?;
        let known = ours
            .iter()
            .find(|m| m.version == version)
            .ok_or(RestoreError::Newer(version))?;
        if *known.checksum != *checksum {
            return Err(RestoreError::MigrationChanged(version));
        }
        schema_version = schema_version.max(version);
    }
    if schema_version == 0 {
        return Err(RestoreError::Foreign("no migration applied".into()));
    }
    let mut counts = BTreeMap::new();
    for table in tables.iter().filter(|t| *t != "_sqlx_migrations") {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{table}\""))
            .fetch_one(&mut *conn)
            .await
            .with_context(|| format!("counting {table}"))?;
        counts.insert(table.clone(), n);
    }
    let (audit_entries, audit_head) = match audit::verify_on(conn).await? {
        ChainReport::Intact { entries, head } => (entries, head),
        ChainReport::Broken { seq, reason } => {
            return Err(RestoreError::AuditBroken { seq, reason });
        }
    };
    Ok(DatabaseReport {
        created_by,
        created_at: meta.try_get("created_at").context("server_meta")?,
        schema_version,
        counts,
        audit_entries,
        audit_head,
    })
}

/// The tables of the database, SQLite's own excepted, by name.
async fn tables(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         ORDER BY name",
    )
    .fetch_all(conn)
    .await
}

/// What the database at `path` holds now (an open database of this system), as [`check`]
/// reports it.
pub async fn report(pool: &Pool) -> Result<DatabaseReport, RestoreError> {
    let mut conn = pool.acquire().await.context("reading the database")?;
    inspect(&mut conn).await
}

/// Restores `file` as the database at `database` after [`check`]ing it. An existing database
/// is kept beside it as `<name>.before-restore-<unix seconds>` only when `replace` is given;
/// else it is refused. The server must not be running on it. Returns the restored database's
/// report after it was opened (and migrated) by this release.
pub async fn restore(
    file: &Path,
    database: &Path,
    replace: bool,
) -> Result<DatabaseReport, RestoreError> {
    let checked = check(file).await?;
    let dir = database
        .parent()
        .context("the database path has no directory")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let name = database
        .file_name()
        .context("the database path has no file name")?
        .to_string_lossy()
        .into_owned();
    if database.exists() {
        if !replace {
            return Err(anyhow::anyhow!(
                "{} exists: stop the server and pass --replace to keep it aside and restore",
                database.display()
            )
            .into());
        }
        let aside = dir.join(format!(
            "{name}.before-restore-{}",
            crate::clock::unix_now()
        ));
        std::fs::rename(database, &aside)
            .with_context(|| format!("moving {} aside", database.display()))?;
    }
    for suffix in ["-wal", "-shm"] {
        let stale = dir.join(format!("{name}{suffix}"));
        if stale.exists() {
            std::fs::remove_file(&stale)
                .with_context(|| format!("removing {}", stale.display()))?;
        }
    }
    let incoming = dir.join(format!("{name}.restoring"));
    std::fs::copy(file, &incoming).with_context(|| format!("copying {}", file.display()))?;
    std::fs::rename(&incoming, database)
        .with_context(|| format!("moving the copy to {}", database.display()))?;
    let pool = super::open(database).await?;
    let restored = report(&pool).await;
    pool.close().await;
    let restored = restored?;
    if restored.audit_head != checked.audit_head || restored.audit_entries != checked.audit_entries
    {
        return Err(anyhow::anyhow!("the restored audit chain differs from the backup's").into());
    }
    Ok(restored)
}
