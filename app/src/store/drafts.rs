//! Drafts: forms being filled in, saved as the clerk types so that they survive a reload. A
//! draft is not an application: nothing in it is signed, and it is never sent.

use indexed_db_futures::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::connection::open;
use super::db::{DRAFTS, all, from_json, read_error, reading, to_json, write_error, writing};
use super::records::{object, text_field};
use crate::applications::form::Values;
use crate::storage_error::StorageError;

/// One draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Chosen when the draft was started (a random UUID).
    pub id: String,
    /// `domain::ApplicationKind` code.
    pub kind: String,
    /// The form as typed.
    pub values: Values,
    /// When it was last saved (RFC 3339, UTC).
    pub updated_at: String,
    /// The application (not accepted, or returned) this draft revises, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revises: Option<String>,
}

/// A stored draft: `{id, kind, updated_at, body}`, the values (personal) in `body`; written
/// and read by hand, as every record of the store.
struct DraftRecord {
    id: String,
    kind: String,
    updated_at: String,
    body: String,
}

impl DraftRecord {
    fn to_js(&self) -> Result<JsValue, StorageError> {
        object(&[
            ("id", JsValue::from_str(&self.id)),
            ("kind", JsValue::from_str(&self.kind)),
            ("updated_at", JsValue::from_str(&self.updated_at)),
            ("body", JsValue::from_str(&self.body)),
        ])
    }
}

/// Every draft of `holder`, the newest first.
pub async fn drafts(holder: &str) -> Result<Vec<Draft>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, DRAFTS)?;
    let store = tx.object_store(DRAFTS).map_err(read_error)?;
    let records = all(&store, None).await?;
    let mut drafts = records
        .iter()
        .map(|r| from_json::<Draft>(&text_field(r, "body")?))
        .collect::<Result<Vec<_>, _>>()?;
    crate::order::sort_by(&mut drafts, |a, b| b.updated_at.cmp(&a.updated_at));
    Ok(drafts)
}

/// Saves `draft` (replacing the one with its id), committed.
pub async fn save_draft(holder: &str, draft: &Draft) -> Result<(), StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, DRAFTS)?;
    let record = DraftRecord {
        id: draft.id.clone(),
        kind: draft.kind.clone(),
        updated_at: draft.updated_at.clone(),
        body: to_json(draft)?,
    };
    tx.object_store(DRAFTS)
        .map_err(write_error)?
        .put(record.to_js()?)
        .with_key(draft.id.clone())
        .primitive()
        .map_err(write_error)?;
    tx.commit().await.map_err(write_error)
}

/// Removes the draft `id` (signed or discarded), committed.
pub async fn discard_draft(holder: &str, id: &str) -> Result<(), StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, DRAFTS)?;
    tx.object_store(DRAFTS)
        .map_err(write_error)?
        .delete(id.to_owned())
        .primitive()
        .map_err(write_error)?;
    tx.commit().await.map_err(write_error)
}
