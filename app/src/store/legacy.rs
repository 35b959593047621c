//! What earlier versions kept elsewhere: the first version kept the outbox, the client id and
//! the sequence counter in `localStorage` — they move into a holder's database the first time
//! it is opened; schema version 1 kept the pull's position in META — it goes.

use indexed_db_futures::database::Database;

use indexed_db_futures::prelude::*;

use super::db::{META, OUTBOX, write_error, writing};
use super::records::{CLIENT_ID, CURSOR, LAST_SYNC, SEQUENCE, meta_get, meta_put, put_item};
use crate::applications::outbox::OutboxItem;
use crate::local_storage;
use crate::storage_error::StorageError;

/// Moves what the first version kept in `localStorage` into the database of `holder`: that
/// holder's outbox items, and — to the first holder opened only — the client id with its
/// sequence counter (so no number is used twice under one client id). The old outbox key is
/// removed once no holder's items are left in it.
pub async fn migrate_local_storage(db: &Database, holder: &str) -> Result<(), StorageError> {
    let old: Vec<OutboxItem> = local_storage::get_json(LEGACY_OUTBOX)?.unwrap_or_default();
    let legacy_client = local_storage::get(LEGACY_CLIENT_ID)?.filter(|c| !c.is_empty());
    let legacy_sequence = local_storage::get(LEGACY_SEQUENCE)?
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0);
    let (mine, others): (Vec<_>, Vec<_>) = old.into_iter().partition(|i| i.signer == holder);
    if mine.is_empty() && legacy_client.is_none() {
        return Ok(());
    }
    let tx = writing(db, [OUTBOX, META])?;
    let outbox = tx.object_store(OUTBOX).map_err(write_error)?;
    for item in &mine {
        put_item(&outbox, item)?;
    }
    let meta = tx.object_store(META).map_err(write_error)?;
    if let Some(client) = &legacy_client {
        let existing: Option<String> = meta_get(&meta, CLIENT_ID).await?;
        if existing.is_none() {
            meta_put(&meta, CLIENT_ID, client)?;
        }
        let sequence: u64 = meta_get::<String>(&meta, SEQUENCE)
            .await?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        meta_put(&meta, SEQUENCE, &sequence.max(legacy_sequence).to_string())?;
    }
    tx.commit().await.map_err(write_error)?;
    // The counter went with the client id: one installation's numbers, to one holder.
    local_storage::remove(LEGACY_CLIENT_ID)?;
    local_storage::remove(LEGACY_SEQUENCE)?;
    if others.is_empty() {
        local_storage::remove(LEGACY_OUTBOX)?;
    } else {
        local_storage::set_json(LEGACY_OUTBOX, &others)?;
    }
    Ok(())
}

/// Removes the pull cursor and last sync that schema version 1 kept in META. The upgrade to
/// version 2 already started the confirmed state over (its own store, `PULL`, is new and
/// empty), so these are no longer read: if this does not run, nothing is wrong but two stale
/// values.
pub async fn forget_version_1_pull_position(db: &Database) -> Result<(), StorageError> {
    let tx = writing(db, META)?;
    let meta = tx.object_store(META).map_err(write_error)?;
    for key in [CURSOR, LAST_SYNC] {
        meta.delete(key.to_owned())
            .primitive()
            .map_err(write_error)?;
    }
    tx.commit().await.map_err(write_error)
}

/// Where the first version kept the outbox, client id and counter.
pub const LEGACY_OUTBOX: &str = "staffing.outbox";
pub const LEGACY_CLIENT_ID: &str = "staffing.client_id";
pub const LEGACY_SEQUENCE: &str = "staffing.sequence";
