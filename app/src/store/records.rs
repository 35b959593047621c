//! What each object store keeps — the record shapes, their keys, the meta names — and the
//! reads and writes of single records inside a caller's transaction. Every record is
//! `{ …fields the store must look at…, body }`, everything personal in `body`.

use indexed_db_futures::KeyRange;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};

use super::db::{from_json, read_error, to_json, write_error};
use crate::applications::outbox::OutboxItem;
use crate::storage_error::StorageError;

/// Meta key of the pull cursor (opaque).
pub const CURSOR: &str = "cursor";
/// Meta key of the time (RFC 3339) the last pull reached the end.
pub const LAST_SYNC: &str = "last_sync";
/// Meta key of this installation's client id for the holder.
pub const CLIENT_ID: &str = "client_id";
/// Meta key of the last sequence number used.
pub const SEQUENCE: &str = "sequence";

/// A stored outbox item.
#[derive(Serialize, Deserialize)]
pub(super) struct OutboxRecord {
    pub(super) application_id: String,
    pub(super) sequence: u64,
    /// `ItemStatus::name`.
    pub(super) state: String,
    /// The [`OutboxItem`] as JSON (the envelope carries personal data).
    pub(super) body: String,
}

/// Writes `item` (replacing the one with its application id).
pub(super) fn put_item(store: &ObjectStore<'_>, item: &OutboxItem) -> Result<(), StorageError> {
    let record = OutboxRecord {
        application_id: item.application_id.clone(),
        sequence: item.sequence,
        state: item.status.name().to_owned(),
        body: to_json(item)?,
    };
    store
        .put(record)
        .with_key(item.application_id.clone())
        .serde()
        .map_err(write_error)?;
    Ok(())
}

/// The meta value of `key`, if any.
pub(super) async fn meta_get<T: serde::de::DeserializeOwned>(
    store: &ObjectStore<'_>,
    key: &str,
) -> Result<Option<T>, StorageError> {
    let text: Option<String> = store
        .get(key.to_owned())
        .primitive()
        .map_err(read_error)?
        .await
        .map_err(read_error)?;
    text.as_deref().map(from_json).transpose()
}

/// Sets the meta value of `key`.
pub(super) fn meta_put<T: Serialize + ?Sized>(
    store: &ObjectStore<'_>,
    key: &str,
    value: &T,
) -> Result<(), StorageError> {
    store
        .put(to_json(value)?)
        .with_key(key.to_owned())
        .primitive()
        .map_err(write_error)?;
    Ok(())
}

/// A unit as stored: what lists show, and the certificate without its people.
#[derive(Serialize, Deserialize)]
pub(super) struct UnitRecord {
    pub(super) unit_id: String,
    pub(super) name: String,
    pub(super) staff: u32,
    /// The `Certificate` with `staff` and `departed` empty, as JSON.
    pub(super) body: String,
}

/// A person as stored.
#[derive(Serialize, Deserialize)]
pub(super) struct PersonRecord {
    pub(super) unit_id: String,
    /// `staff` or `departed`.
    pub(super) list: String,
    /// The `Person` (or departed person) as JSON: personal, the part to encrypt.
    pub(super) body: String,
}

/// An application as stored: the `TrackedApplication` as JSON (which is the pull's
/// `Change::Application`).
#[derive(Serialize, Deserialize)]
pub(super) struct ApplicationRecord {
    pub(super) unit_id: String,
    pub(super) body: String,
}

/// The keys of the people of `unit_id` (all of them sort between these two).
pub(super) fn people_range(unit_id: &str) -> KeyRange<String> {
    KeyRange::Bound(
        format!("{unit_id}/"),
        false,
        format!("{unit_id}/\u{ffff}"),
        false,
    )
}

/// The key of the person at `position` of `list` (`s`: staff, `d`: departed) of `unit_id`.
pub(super) fn person_key(unit_id: &str, list: char, position: usize) -> String {
    format!("{unit_id}/{list}{position:06}")
}
