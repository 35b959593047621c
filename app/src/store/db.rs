//! The store's schema and plumbing: the object stores, the schema version and its upgrade
//! steps, and the transactions and reads the other store modules share (failures as
//! [`StorageError`]s).

use indexed_db_futures::KeyRange;
use indexed_db_futures::database::{Database, ObjectStoreName};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::storage_error::StorageError;

/// The schema version this build writes.
pub const DB_VERSION: u32 = 4;
/// Applications signed here (key = application id) and decisions signed here (key = decision
/// id; their record has a `decision_id`, version 3).
pub const OUTBOX: &str = "outbox";
/// This installation's named values: key = name (`store::meta`: client id, sequence).
pub const META: &str = "meta";
/// One record per unit: its certificate without the people. Key = unit id.
pub const UNITS: &str = "units";
/// One record per unit: its people, staff and departed. Key = unit id.
pub const PEOPLE: &str = "people";
/// Applications as the server tracks them: key = application id.
pub const APPLICATIONS: &str = "applications";
/// Forms being filled in, not signed: key = draft id (version 4).
pub const DRAFTS: &str = "drafts";
/// Where the pull stands: key = name (cursor, last complete sync).
pub const PULL: &str = "pull";
/// The stores of the confirmed state: what the server last said, and where the pull stands.
pub const CONFIRMED: [&str; 4] = [UNITS, PEOPLE, APPLICATIONS, PULL];

/// The stores and what each upgrade step does, in order: step `n` takes version `n - 1` to
/// `n`. The queue ([`OUTBOX`]), [`META`] and the [`DRAFTS`] are never dropped; the confirmed state may be,
/// since the server has it: with its [`PULL`] position gone, the next pull starts over.
pub(super) fn upgrade(db: &Database, old_version: u32) -> indexed_db_futures::Result<()> {
    if old_version < 1 {
        for name in [OUTBOX, META, UNITS, PEOPLE, APPLICATIONS] {
            db.create_object_store(name).build()?;
        }
    }
    if old_version < 2 {
        // Version 2: a unit's people in one record, the large bodies as bytes, and the pull's
        // position in a store of its own (version 1 kept it in META: `legacy` removes it).
        for name in [UNITS, PEOPLE, APPLICATIONS] {
            db.delete_object_store(name)?;
            db.create_object_store(name).build()?;
        }
        db.create_object_store(PULL).build()?;
    }
    // Version 3: the outbox also keeps signed decisions (records with a `decision_id`). Its
    // items stay as they are; the step exists so that a tab of an earlier build, which would
    // not read a decision's record, is closed and reloads (`connection`).
    if old_version < 4 {
        // Version 4: drafts. Nothing else changes; every record is kept.
        db.create_object_store(DRAFTS).build()?;
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

/// A read-write transaction over `stores` whose commit may come before the disk has it
/// (`durability: "relaxed"`): for the confirmed state only, which a lost write merely makes
/// older (the pull position is lost with it, never the other way round).
pub(super) fn writing_relaxed<S: ObjectStoreName>(
    db: &Database,
    stores: S,
) -> Result<Transaction<'_>, StorageError> {
    db.transaction(stores)
        .with_mode(TransactionMode::Readwrite)
        .with_options(TransactionOptions::new().with_durability(TransactionDurability::Relaxed))
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
pub(super) async fn all(
    store: &ObjectStore<'_>,
    range: Option<KeyRange<String>>,
) -> Result<Vec<JsValue>, StorageError> {
    let records = match range {
        None => store.get_all().primitive().map_err(read_error)?.await,
        Some(range) => {
            store
                .get_all()
                .with_query::<String, _>(range)
                .primitive()
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
pub(super) async fn one(
    store: &ObjectStore<'_>,
    key: &str,
) -> Result<Option<JsValue>, StorageError> {
    store
        .get(key.to_owned())
        .primitive()
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
