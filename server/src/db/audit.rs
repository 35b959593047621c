//! The audit log (审计日志): every state change and every read of personal data by the bureau,
//! appended in the same transaction as the change, each entry chained to the previous one by
//! hash.
//!
//! An entry's hash is `SHA-256` of the RFC 8785 canonical JSON of
//! `{seq, at, actor, credential, action, target, detail, prev_hash}` (lower-case hex); the first
//! entry's `prev_hash` is 64 zeros. Triggers refuse UPDATE and DELETE, and [`verify`] walks the
//! chain and names the first entry that does not fit, so an edit made around the triggers (for
//! example with direct access to the file) is found. Removing entries from the end cannot be
//! told from the chain alone; compare the head hash [`verify`] reports with one kept elsewhere.

use anyhow::Context;
use documents::audit::AuditEntry;
use domain::Timestamp;
use domain::canonical::canonicalize;
use serde::Serialize;
use serde_json::Value;
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::Writes;

/// `prev_hash` of the first entry.
pub const GENESIS: &str = documents::audit::GENESIS;

/// What happened, as the caller describes it. `target` and `detail` carry ids and codes,
/// never personal data (names, 身份证号, birth dates).
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub actor: Option<&'a str>,
    pub credential: Option<&'a str>,
    pub action: &'a str,
    pub target: &'a str,
    pub detail: Value,
}

/// An entry as written: the one type the exported chain is made of.
pub type Record = AuditEntry;

/// The hash `record` must carry: `documents::audit::entry_hash`, the one definition the
/// exported chain is checked with too.
fn entry_hash(record: &Record) -> anyhow::Result<String> {
    documents::audit::entry_hash(record).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Every entry, in order, as an export carries them (inside the caller's read transaction,
/// so that they end at the head read in it).
pub async fn entries(conn: &mut SqliteConnection) -> anyhow::Result<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, credential, action, target, detail, prev_hash, hash \
         FROM audit_log ORDER BY seq",
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading the audit log")?;
    rows.iter()
        .map(|row| {
            Ok(AuditEntry {
                seq: row.try_get("seq")?,
                at: row.try_get("at")?,
                actor: row.try_get("actor")?,
                credential: row.try_get("credential")?,
                action: row.try_get("action")?,
                target: row.try_get("target")?,
                detail: row.try_get("detail")?,
                prev_hash: row.try_get("prev_hash")?,
                hash: row.try_get("hash")?,
            })
        })
        .collect()
}

/// The head of the chain: the last entry's sequence number and hash (`(0, GENESIS)` before the
/// first), which the next entry follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: String,
}

/// Reads the head of the chain (inside the writer's transaction).
pub async fn head(conn: &mut SqliteConnection) -> anyhow::Result<Head> {
    let head = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await
        .context("reading the head of the audit log")?;
    Ok(match head {
        Some(row) => Head {
            seq: row.try_get("seq")?,
            hash: row.try_get("hash")?,
        },
        None => Head {
            seq: 0,
            hash: GENESIS.to_owned(),
        },
    })
}

/// Appends an entry. Call it inside the transaction that makes the change (opened with
/// `BEGIN IMMEDIATE`, so that two writers cannot read the same head).
pub async fn append(
    conn: &mut SqliteConnection,
    entry: Entry<'_>,
    at: Timestamp,
) -> anyhow::Result<Record> {
    let head = head(conn).await?;
    let mut writes = Writes::new();
    let record = append_to(&mut writes, &head, entry, at)?;
    writes.run(conn).await.context("writing the audit entry")?;
    Ok(record)
}

/// Appends an entry after `head`: adds its `INSERT` to `writes`, run in the transaction the
/// caller read `head` in ([`head`]), and returns the record, the next head. For a writer
/// appending many entries: one read of the head.
pub fn append_to(
    writes: &mut Writes,
    head: &Head,
    entry: Entry<'_>,
    at: Timestamp,
) -> anyhow::Result<Record> {
    let detail =
        canonicalize(&entry.detail).map_err(|e| anyhow::anyhow!("canonicalising detail: {e}"))?;
    let mut record = Record {
        seq: head.seq + 1,
        at: at.to_string(),
        actor: entry.actor.map(str::to_owned),
        credential: entry.credential.map(str::to_owned),
        action: entry.action.to_owned(),
        target: entry.target.to_owned(),
        detail: String::from_utf8(detail).context("canonical JSON is UTF-8")?,
        prev_hash: head.hash.clone(),
        hash: String::new(),
    };
    record.hash = entry_hash(&record)?;
    writes
        .push(
            "INSERT INTO audit_log (seq, at, actor, credential, action, target, detail, prev_hash, hash) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(record.seq)?
        .bind(record.at.clone())?
        .bind(record.actor.clone())?
        .bind(record.credential.clone())?
        .bind(record.action.clone())?
        .bind(record.target.clone())?
        .bind(record.detail.clone())?
        .bind(record.prev_hash.clone())?
        .bind(record.hash.clone())?;
    Ok(record)
}

/// Appends one entry in a transaction of its own (for actions that change nothing else).
pub async fn append_alone(
    pool: &SqlitePool,
    entry: Entry<'_>,
    at: Timestamp,
) -> anyhow::Result<Record> {
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting the audit write")?;
    let record = append(&mut tx, entry, at).await?;
    tx.commit().await.context("committing the audit entry")?;
    Ok(record)
}

/// The outcome of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ChainReport {
    /// Every entry fits; `head` is the last hash (empty log: the genesis value).
    Intact { entries: u64, head: String },
    /// The first entry that does not fit, and why.
    Broken { seq: i64, reason: String },
}

/// Walks the whole log in order and reports the first broken link.
pub async fn verify(pool: &SqlitePool) -> anyhow::Result<ChainReport> {
    let mut conn = pool.acquire().await.context("reading the audit log")?;
    verify_on(&mut conn).await
}

/// [`verify`] on one connection (a backup being checked).
pub async fn verify_on(conn: &mut sqlx::SqliteConnection) -> anyhow::Result<ChainReport> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, credential, action, target, detail, prev_hash, hash FROM audit_log ORDER BY seq",
    )
    .fetch_all(conn)
    .await
    .context("reading the audit log")?;
    let mut expected_prev = GENESIS.to_owned();
    for (expected_seq, row) in (1_i64..).zip(rows.iter()) {
        let record = Record {
            seq: row.try_get("seq")?,
            at: row.try_get("at")?,
            actor: row.try_get("actor")?,
            credential: row.try_get("credential")?,
            action: row.try_get("action")?,
            target: row.try_get("target")?,
            detail: row.try_get("detail")?,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
        };
        if record.seq != expected_seq {
            return Ok(ChainReport::Broken {
                seq: expected_seq,
                reason: format!("entry {expected_seq} is missing (next is {})", record.seq),
            });
        }
        if record.prev_hash != expected_prev {
            return Ok(ChainReport::Broken {
                seq: record.seq,
                reason: "its previous-hash does not match the entry before it".into(),
            });
        }
        match entry_hash(&record) {
            Ok(hash) if hash == record.hash => {}
            Ok(_) => {
                return Ok(ChainReport::Broken {
                    seq: record.seq,
                    reason: "its content does not match its hash".into(),
                });
            }
            Err(e) => {
                return Ok(ChainReport::Broken {
                    seq: record.seq,
                    reason: format!("it cannot be read: {e:#}"),
                });
            }
        }
        expected_prev = record.hash;
    }
    Ok(ChainReport::Intact {
        entries: rows.len() as u64,
        head: expected_prev,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_unix_seconds(1_790_000_000 + seconds).unwrap()
    }

    async fn log_with(entries: usize) -> (tempfile::TempDir, SqlitePool) {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("db.sqlite3"))
            .await
            .unwrap();
        for i in 0..entries {
            append_alone(
                &pool,
                Entry {
                    actor: Some("holder-1"),
                    credential: Some("Y3JlZA"),
                    action: "credential.revoke",
                    target: &format!("credential:{i}"),
                    detail: json!({ "reason": "lost", "n": i }),
                },
                at(i as i64),
            )
            .await
            .unwrap();
        }
        (dir, pool)
    }

    async fn drop_guards(pool: &SqlitePool) {
        // What someone with direct access to the file could do.
        sqlx::query("DROP TRIGGER audit_log_no_update")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("DROP TRIGGER audit_log_no_delete")
            .execute(pool)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn an_untouched_chain_is_intact() {
        let (_dir, pool) = log_with(0).await;
        assert_eq!(
            verify(&pool).await.unwrap(),
            ChainReport::Intact {
                entries: 0,
                head: GENESIS.into()
            }
        );
        let (_dir, pool) = log_with(5).await;
        let ChainReport::Intact { entries, head } = verify(&pool).await.unwrap() else {
            panic!("expected an intact chain");
        };
        assert_eq!(entries, 5);
        let last: String = sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = 5")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(head, last);
    }

    #[tokio::test]
    async fn the_log_refuses_updates_and_deletes() {
        let (_dir, pool) = log_with(2).await;
        let update = sqlx::query("UPDATE audit_log SET target = 'x' WHERE seq = 1")
            .execute(&pool)
            .await
            .unwrap_err();
        assert!(update.to_string().contains("append-only"), "{update}");
        let delete = sqlx::query("DELETE FROM audit_log WHERE seq = 2")
            .execute(&pool)
            .await
            .unwrap_err();
        assert!(delete.to_string().contains("append-only"), "{delete}");
    }

    #[tokio::test]
    async fn an_altered_entry_is_the_first_broken_link() {
        let (_dir, pool) = log_with(5).await;
        drop_guards(&pool).await;
        sqlx::query("UPDATE audit_log SET detail = '{\"reason\":\"found\"}' WHERE seq = 3")
            .execute(&pool)
            .await
            .unwrap();
        let ChainReport::Broken { seq, reason } = verify(&pool).await.unwrap() else {
            panic!("the alteration must be found");
        };
        assert_eq!(seq, 3);
        assert!(reason.contains("content"), "{reason}");
    }

    #[tokio::test]
    async fn a_rehashed_entry_breaks_the_next_link() {
        let (_dir, pool) = log_with(4).await;
        drop_guards(&pool).await;
        // Alter entry 2 and recompute its own hash: entry 3 no longer points at it.
        let mut conn = pool.acquire().await.unwrap();
        let row = sqlx::query("SELECT * FROM audit_log WHERE seq = 2")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let mut record = Record {
            seq: 2,
            at: row.get("at"),
            actor: row.get("actor"),
            credential: row.get("credential"),
            action: row.get("action"),
            target: "credential:999".into(),
            detail: row.get("detail"),
            prev_hash: row.get("prev_hash"),
            hash: String::new(),
        };
        record.hash = entry_hash(&record).unwrap();
        sqlx::query("UPDATE audit_log SET target = ?, hash = ? WHERE seq = 2")
            .bind(&record.target)
            .bind(&record.hash)
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        assert_eq!(
            verify(&pool).await.unwrap(),
            ChainReport::Broken {
                seq: 3,
                reason: "its previous-hash does not match the entry before it".into()
            }
        );
    }

    #[tokio::test]
    async fn a_removed_entry_is_reported_missing() {
        let (_dir, pool) = log_with(4).await;
        drop_guards(&pool).await;
        sqlx::query("DELETE FROM audit_log WHERE seq = 2")
            .execute(&pool)
            .await
            .unwrap();
        let ChainReport::Broken { seq, reason } = verify(&pool).await.unwrap() else {
            panic!("the removal must be found");
        };
        assert_eq!(seq, 2);
        assert!(reason.contains("missing"), "{reason}");
    }

    #[tokio::test]
    async fn concurrent_appends_keep_one_chain() {
        let (_dir, pool) = log_with(0).await;
        let mut tasks = Vec::new();
        for i in 0..20 {
            let pool = pool.clone();
            tasks.push(tokio::spawn(async move {
                append_alone(
                    &pool,
                    Entry {
                        actor: None,
                        credential: None,
                        action: "test.append",
                        target: &format!("t:{i}"),
                        detail: json!({}),
                    },
                    at(i),
                )
                .await
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert!(matches!(
            verify(&pool).await.unwrap(),
            ChainReport::Intact { entries: 20, .. }
        ));
    }
}
