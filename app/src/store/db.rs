//! The store's schema and plumbing: the object stores, the schema version and its upgrade
//! steps, and the transactions and reads the other store modules share (failures as
//! [`StorageError`]s).

use indexed_db_futures::KeyRange;
use indexed_db_futures::database::{Database, ObjectStoreName};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::transaction::TransactionMode;
use serde::Serialize;

use crate::storage_error::StorageError;

/// The schema version this build writes.
pub const DB_VERSION: u32 = 1;
/// Applications signed here: key = application id.
pub const OUTBOX: &str = "outbox";
/// Small named values: key = name (`store::meta`: cursor, last sync, client id, sequence).
pub const META: &str = "meta";
/// One record per unit: its certificate without the people. Key = unit id.
pub const UNITS: &str = "units";
/// One record per person: key = `<unit id>/<s|d><position>` (staff, departed).
pub const PEOPLE: &str = "people";
/// Applications as the server tracks them: key = application id.
pub const APPLICATIONS: &str = "applications";

/// The stores and what each upgrade step creates, in order: step `n` takes version `n - 1`
/// to `n`.
pub(super) fn upgrade(db: &Database, old_version: u32) -> indexed_db_futures::Result<()> {
    if old_version < 1 {
        for name in [OUTBOX, META, UNITS, PEOPLE, APPLICATIONS] {
            db.create_object_store(name).build()?;
        }
    }
    Ok(())
}

fn js_text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub(super) fn write_error(e: indexed_db_futures::error::Error) -> StorageError {
    StorageError::Write(js_text(e))
}

pub(super) fn read_error(e: indexed_db_futures::error::Error) -> StorageError {
    StorageError::Corrupt(js_text(e))
}

/// A read-write transaction over `stores`.
pub(super) fn writing<S: ObjectStoreName>(
    db: &Database,
    stores: S,
) -> Result<Transaction<'_>, StorageError> {
    db.transaction(stores)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(write_error)
}

/// A read-only transaction over `stores`.
pub(super) fn reading<S: ObjectStoreName>(
    db: &Database,
    stores: S,
) -> Result<Transaction<'_>, StorageError> {
    db.transaction(stores).build().map_err(read_error)
}

/// Every record of `store` (in key order), or of `range` of it.
pub(super) async fn all<T: serde::de::DeserializeOwned>(
    store: &ObjectStore<'_>,
    range: Option<KeyRange<String>>,
) -> Result<Vec<T>, StorageError> {
    let records = match range {
        None => store.get_all().serde().map_err(read_error)?.await,
        Some(range) => {
            store
                .get_all()
                .with_query::<String, _>(range)
                .serde()
                .map_err(read_error)?
                .await
        }
    };
    records
        .map_err(read_error)?
        .collect::<Result<_, _>>()
        .map_err(read_error)
}

/// The record of `key` in `store`, if any.
pub(super) async fn one<T: serde::de::DeserializeOwned>(
    store: &ObjectStore<'_>,
    key: &str,
) -> Result<Option<T>, StorageError> {
    store
        .get(key.to_owned())
        .serde()
        .map_err(read_error)?
        .await
        .map_err(read_error)
}

/// `value` as JSON (a record's `body`).
pub(super) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value).map_err(|e| StorageError::Write(e.to_string()))
}

/// A record's `body` read back.
pub(super) fn from_json<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, StorageError> {
    serde_json::from_str(body).map_err(|e| StorageError::Corrupt(e.to_string()))
}
