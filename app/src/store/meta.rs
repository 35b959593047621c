//! Small named values of a holder's store: this installation's client id and the envelopes'
//! sequence counter ([`META`]), the pull cursor and the time of the last complete sync
//! ([`PULL`]).

use super::connection::open;
use super::db::{META, PULL, read_error, reading, write_error, writing};
use super::records::{CLIENT_ID, CURSOR, LAST_SYNC, SEQUENCE, meta_get, meta_put};
use crate::storage_error::StorageError;

/// This installation's client id for `holder`, created (a random UUID) on first use.
pub async fn client_id(holder: &str) -> Result<String, StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, META)?;
    let meta = tx.object_store(META).map_err(write_error)?;
    if let Some(id) = meta_get::<String>(&meta, CLIENT_ID).await? {
        return Ok(id);
    }
    let id = crate::ids::random_uuid()?;
    meta_put(&meta, CLIENT_ID, &id)?;
    tx.commit().await.map_err(write_error)?;
    Ok(id)
}

/// Reserves the next sequence number of `holder` (read and write in one transaction, so two
/// tabs never get the same number; a number is never reused even if signing is abandoned).
pub async fn next_sequence(holder: &str) -> Result<u64, StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, META)?;
    let meta = tx.object_store(META).map_err(write_error)?;
    let last: u64 = match meta_get::<String>(&meta, SEQUENCE).await? {
        None => 0,
        Some(text) => text
            .parse()
            .map_err(|e: std::num::ParseIntError| StorageError::Corrupt(e.to_string()))?,
    };
    let next = last + 1;
    meta_put(&meta, SEQUENCE, &next.to_string())?;
    tx.commit().await.map_err(write_error)?;
    Ok(next)
}

/// The stored pull cursor, if any.
pub async fn cursor(holder: &str) -> Result<Option<String>, StorageError> {
    pull_value(holder, CURSOR).await
}

/// When the last pull reached the end (RFC 3339), if ever since the last reset.
pub async fn last_sync(holder: &str) -> Result<Option<String>, StorageError> {
    pull_value(holder, LAST_SYNC).await
}

async fn pull_value(holder: &str, key: &str) -> Result<Option<String>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, PULL)?;
    let pull = tx.object_store(PULL).map_err(read_error)?;
    meta_get(&pull, key).await
}
