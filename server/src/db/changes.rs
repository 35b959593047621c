//! The change log that sync reads (`change_log`, `sync_epoch`; see
//! `server/migrations/0006_change_log.sql` and [`crate::sync`]).
//!
//! Every transaction that changes what a client may see calls [`record`] once per changed
//! record, inside that transaction: loading certificates, accepting an application's envelope,
//! accepting a decision (and, for a quota-use approval, the certificate whose ledger changed).
//! A row says *which* record changed, not how: a pull sends the record's current state.

use anyhow::Context;
use sqlx::{Row, SqliteConnection};

use super::Writes;
use super::scope::ScopeSql;

/// What kind of record changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    /// A unit's certificate; the key is the unit id.
    Certificate,
    /// An application; the key is the application id.
    Application,
}

impl Entity {
    /// The code stored in `change_log.entity`.
    pub fn code(self) -> &'static str {
        match self {
            Entity::Certificate => "certificate",
            Entity::Application => "application",
        }
    }

    /// The entity with this code.
    pub fn from_code(code: &str) -> Option<Entity> {
        match code {
            "certificate" => Some(Entity::Certificate),
            "application" => Some(Entity::Application),
            _ => None,
        }
    }
}

/// Records that `entity` `key`, in the scope of unit `unit_id`, changed. Call it inside the
/// transaction that makes the change.
pub async fn record(
    conn: &mut SqliteConnection,
    unit_id: &str,
    entity: Entity,
    key: &str,
) -> anyhow::Result<()> {
    let mut writes = Writes::new();
    record_to(&mut writes, unit_id, entity, key)?;
    writes
        .run(conn)
        .await
        .context("recording a change for sync")
}

/// [`record`], added to `writes`.
pub fn record_to(
    writes: &mut Writes,
    unit_id: &str,
    entity: Entity,
    key: &str,
) -> anyhow::Result<()> {
    writes
        .push("INSERT INTO change_log (unit_id, entity, key) VALUES (?, ?, ?)")
        .bind(unit_id.to_owned())?
        .bind(entity.code())?
        .bind(key.to_owned())?;
    Ok(())
}

/// The last version recorded (0 before any).
pub async fn high_water(conn: &mut SqliteConnection) -> anyhow::Result<i64> {
    sqlx::query_scalar::<_, Option<i64>>("SELECT max(version) FROM change_log")
        .fetch_one(&mut *conn)
        .await
        .context("reading the change log's high-water mark")
        .map(|v| v.unwrap_or(0))
}

/// This database's sync epoch and the version up to which the log may have been compacted.
pub async fn epoch(conn: &mut SqliteConnection) -> anyhow::Result<(String, i64)> {
    sqlx::query_as("SELECT epoch, compacted_through FROM sync_epoch WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
        .context("reading the sync epoch")
}

/// One row of the change log, with the weight of its record on a pull page (a certificate:
/// 1 + its staff + its departed; an application: 1).
#[derive(Debug, Clone)]
pub struct LogRow {
    pub version: i64,
    pub entity: Entity,
    pub key: String,
    pub weight: u64,
}

/// Up to `limit` rows of the log after `version` whose unit is in the scope, in order.
pub async fn scoped_after(
    conn: &mut SqliteConnection,
    scope: &ScopeSql,
    version: i64,
    limit: i64,
) -> anyhow::Result<Vec<LogRow>> {
    let sql = format!(
        "SELECT c.version, c.entity, c.key, CASE WHEN c.entity = '{}' THEN 1 \
         + (SELECT count(*) FROM staff s WHERE s.unit_id = c.key) \
         + (SELECT count(*) FROM departed d WHERE d.unit_id = c.key) ELSE 1 END AS weight \
         FROM change_log c JOIN unit u ON u.id = c.unit_id \
         WHERE {} AND c.version > ? ORDER BY c.version LIMIT ?",
        Entity::Certificate.code(),
        scope.condition()
    );
    scope
        .bind(sqlx::query(&sql))
        .bind(version)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .context("reading the change log")?
        .iter()
        .map(|row| -> anyhow::Result<LogRow> {
            let code: String = row.try_get("entity")?;
            let weight: i64 = row.try_get("weight")?;
            Ok(LogRow {
                version: row.try_get("version")?,
                entity: Entity::from_code(&code)
                    .with_context(|| format!("change log entity {code:?} is unknown"))?,
                key: row.try_get("key")?,
                weight: u64::try_from(weight)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn loading_records_each_unit_and_every_database_has_its_own_epoch() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("a.sqlite3"))
            .await
            .unwrap();
        let other = crate::db::open(&dir.path().join("b.sqlite3"))
            .await
            .unwrap();
        let mut conn = pool.acquire().await.unwrap();
        assert_eq!(high_water(&mut conn).await.unwrap(), 0);
        let (epoch_a, compacted) = epoch(&mut conn).await.unwrap();
        assert_eq!(compacted, 0);
        assert_eq!(epoch_a.len(), 32);
        let (epoch_b, _) = epoch(&mut other.acquire().await.unwrap()).await.unwrap();
        assert_ne!(epoch_a, epoch_b);

        let city = demo::generate(7, demo::Size::Tiny);
        crate::db::certificates::load(&pool, &city.certificates)
            .await
            .unwrap();
        let certificates: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT key FROM change_log WHERE entity = 'certificate' ORDER BY key",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        let mut units: Vec<String> = city
            .certificates
            .iter()
            .map(|c| c.unit.id.to_string())
            .collect();
        units.sort();
        assert_eq!(certificates, units);
        assert!(high_water(&mut conn).await.unwrap() >= units.len() as i64);
        // The epoch is the database's: reopening keeps it.
        drop(conn);
        pool.close().await;
        let pool = crate::db::open(&dir.path().join("a.sqlite3"))
            .await
            .unwrap();
        let (again, _) = epoch(&mut pool.acquire().await.unwrap()).await.unwrap();
        assert_eq!(again, epoch_a);
        assert_eq!(Entity::from_code("application"), Some(Entity::Application));
        assert_eq!(Entity::from_code("unit"), None);
    }
}
