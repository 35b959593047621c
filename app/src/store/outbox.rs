//! The queue: applications and decisions signed on this computer, kept apart from the
//! confirmed state (a pull never touches them), and the server's verdicts on them. Both kinds
//! share the one object store; a decision's record carries its `decision_id`.

use super::connection::open;
use super::db::{OUTBOX, all, from_json, one, read_error, reading, write_error, writing};
use super::records::{OutboxRecord, put_decision, put_item};
use crate::applications::decision::QueuedDecision;
use crate::applications::outbox::{self, ItemStatus, OutboxItem};
use crate::storage_error::StorageError;

/// Every outbox item of `holder` (applications, not decisions), in sequence order.
pub async fn outbox(holder: &str) -> Result<Vec<OutboxItem>, StorageError> {
    let records = records(holder).await?;
    let mut items = records
        .iter()
        .filter(|r| r.decision_id.is_none())
        .map(|r| from_json::<OutboxItem>(&r.body))
        .collect::<Result<Vec<_>, _>>()?;
    crate::order::sort_by(&mut items, outbox::in_sequence());
    Ok(items)
}

/// Every record of `holder`'s outbox.
async fn records(holder: &str) -> Result<Vec<OutboxRecord>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, OUTBOX)?;
    let store = tx.object_store(OUTBOX).map_err(read_error)?;
    all(&store, None)
        .await?
        .iter()
        .map(OutboxRecord::from_js)
        .collect()
}

/// Stores `item` (replacing one with the same application id), committed.
pub async fn add_to_outbox(holder: &str, item: &OutboxItem) -> Result<(), StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, OUTBOX)?;
    put_item(&tx.object_store(OUTBOX).map_err(write_error)?, item)?;
    tx.commit().await.map_err(write_error)
}

/// Stores `item`, which revises `original`, and marks `original` as revised by it, in one
/// transaction.
pub async fn add_revision(
    holder: &str,
    item: &OutboxItem,
    original: &str,
) -> Result<(), StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, OUTBOX)?;
    let store = tx.object_store(OUTBOX).map_err(write_error)?;
    put_item(&store, item)?;
    if let Some(record) = one(&store, original).await? {
        let mut old: OutboxItem = from_json(&OutboxRecord::from_js(&record)?.body)?;
        old.revised_by = Some(item.application_id.clone());
        put_item(&store, &old)?;
    }
    tx.commit().await.map_err(write_error)
}

/// Sets the status of the items named in `changes`, in one transaction.
pub async fn record_verdicts(
    holder: &str,
    changes: &[(String, ItemStatus)],
) -> Result<(), StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, OUTBOX)?;
    let store = tx.object_store(OUTBOX).map_err(write_error)?;
    for (id, status) in changes {
        let Some(record) = one(&store, id).await? else {
            continue;
        };
        let mut item: OutboxItem = from_json(&OutboxRecord::from_js(&record)?.body)?;
        item.status = status.clone();
        put_item(&store, &item)?;
    }
    tx.commit().await.map_err(write_error)
}

/// Every decision `holder` signed here, in the order they were signed (sequence).
pub async fn decisions(holder: &str) -> Result<Vec<QueuedDecision>, StorageError> {
    let records = records(holder).await?;
    let mut decisions = records
        .iter()
        .filter(|r| r.decision_id.is_some())
        .map(|r| from_json::<QueuedDecision>(&r.body))
        .collect::<Result<Vec<_>, _>>()?;
    crate::order::sort_by(&mut decisions, |a, b| a.sequence.cmp(&b.sequence));
    Ok(decisions)
}

/// Stores `decision` (replacing one with the same decision id), committed: a new one, or one
/// with the server's verdict.
pub async fn add_decision(holder: &str, decision: &QueuedDecision) -> Result<(), StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, OUTBOX)?;
    put_decision(&tx.object_store(OUTBOX).map_err(write_error)?, decision)?;
    tx.commit().await.map_err(write_error)
}
