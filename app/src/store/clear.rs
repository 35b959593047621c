//! Leaving a shared computer: everything of a holder's store but the signed applications and
//! decisions still waiting to be sent is removed.

use indexed_db_futures::prelude::*;

use super::connection::open;
use super::db::{CONFIRMED, DRAFTS, OUTBOX, all, write_error, writing};
use super::records::OutboxRecord;
use crate::applications::outbox::ItemStatus;
use crate::storage_error::StorageError;

/// Removes from `holder`'s store everything but the applications still waiting to be sent:
/// the confirmed state (certificates, people, applications, cursor, last sync), the drafts and
/// the sent
/// items of the queue, in one transaction. Returns how many waiting items were kept (signed
/// applications are never dropped). For a shared computer, at sign-out.
pub async fn clear_all_but_waiting(holder: &str) -> Result<usize, StorageError> {
    let db = open(holder).await?;
    let mut stores = CONFIRMED.to_vec();
    stores.push(OUTBOX);
    stores.push(DRAFTS);
    let tx = writing(&db, stores)?;
    for store in CONFIRMED.into_iter().chain([DRAFTS]) {
        tx.object_store(store)
            .map_err(write_error)?
            .clear()
            .map_err(write_error)?;
    }
    let outbox = tx.object_store(OUTBOX).map_err(write_error)?;
    let records = all(&outbox, None).await?;
    let mut kept = 0;
    for record in records {
        let record = OutboxRecord::from_js(&record)?;
        if record.state == ItemStatus::Pending.name() {
            kept += 1;
        } else {
            outbox
                .delete(record.key().to_owned())
                .primitive()
                .map_err(write_error)?;
        }
    }
    tx.commit().await.map_err(write_error)?;
    Ok(kept)
}
