//! What each object store keeps — the record shapes, their keys, the named values of
//! [`META`](super::db::META) and [`PULL`](super::db::PULL) — and the reads and writes of
//! single records inside a caller's transaction. Every record is
//! `{ …fields the store must look at…, body }`, everything personal in `body`.

use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use super::db::{from_json, read_error, to_json, write_error};
use crate::applications::decision::QueuedDecision;
use crate::applications::outbox::OutboxItem;
use crate::storage_error::StorageError;

/// Pull key of the cursor (opaque); version 1 kept it in META.
pub const CURSOR: &str = "cursor";
/// Pull key of the time (RFC 3339) the last pull reached the end; version 1 kept it in META.
pub const LAST_SYNC: &str = "last_sync";
/// Meta key of this installation's client id for the holder.
pub const CLIENT_ID: &str = "client_id";
/// Meta key of the last sequence number used.
pub const SEQUENCE: &str = "sequence";

/// A stored outbox item: `{application_id, sequence, state, body}`, a plain object (as
/// `serde_wasm_bindgen` wrote it before: the sequence a number) — a signed application, or
/// (with `decision_id`, then its key) a signed decision.
#[derive(Debug, PartialEq)]
pub(super) struct OutboxRecord {
    /// The application signed, or decided on.
    pub(super) application_id: String,
    /// A decision's id, the record's key; absent for an application (keyed by its id).
    pub(super) decision_id: Option<String>,
    /// The sequence number: the signing order of applications and decisions alike.
    pub(super) sequence: u64,
    /// `ItemStatus::name`.
    pub(super) state: String,
    /// The [`OutboxItem`] or [`QueuedDecision`] as JSON (both carry personal data).
    pub(super) body: String,
}

impl OutboxRecord {
    /// The record's key: the decision's id, else the application's.
    pub(super) fn key(&self) -> &str {
        self.decision_id.as_deref().unwrap_or(&self.application_id)
    }
}

/// Writes `item` (replacing the one with its application id).
pub(super) fn put_item(store: &ObjectStore<'_>, item: &OutboxItem) -> Result<(), StorageError> {
    let record = OutboxRecord {
        application_id: item.application_id.clone(),
        decision_id: None,
        sequence: item.sequence,
        state: item.status.name().to_owned(),
        body: to_json(item)?,
    };
    store
        .put(record.to_js()?)
        .with_key(item.application_id.clone())
        .primitive()
        .map_err(write_error)?;
    Ok(())
}

impl OutboxRecord {
    /// The record as the store keeps it.
    pub(super) fn to_js(&self) -> Result<JsValue, StorageError> {
        // Sequences are counted up from 1: far below 2^53, exact as a number.
        #[allow(clippy::cast_precision_loss)]
        let sequence = self.sequence as f64;
        object(&[
            ("application_id", JsValue::from_str(&self.application_id)),
            (
                "decision_id",
                self.decision_id
                    .as_deref()
                    .map_or(JsValue::UNDEFINED, JsValue::from_str),
            ),
            ("sequence", JsValue::from_f64(sequence)),
            ("state", JsValue::from_str(&self.state)),
            ("body", JsValue::from_str(&self.body)),
        ])
    }

    /// A record the store kept.
    pub(super) fn from_js(record: &JsValue) -> Result<Self, StorageError> {
        Ok(OutboxRecord {
            application_id: text_field(record, "application_id")?,
            decision_id: field(record, "decision_id")?.as_string(),
            sequence: whole_field(record, "sequence")?,
            state: text_field(record, "state")?,
            body: text_field(record, "body")?,
        })
    }
}

/// Writes `decision` (replacing the one with its decision id).
pub(super) fn put_decision(
    store: &ObjectStore<'_>,
    decision: &QueuedDecision,
) -> Result<(), StorageError> {
    let record = OutboxRecord {
        application_id: decision.application_id.clone(),
        decision_id: Some(decision.decision_id.clone()),
        sequence: decision.sequence,
        state: decision.status.name().to_owned(),
        body: to_json(decision)?,
    };
    store
        .put(record.to_js()?)
        .with_key(decision.decision_id.clone())
        .primitive()
        .map_err(write_error)?;
    Ok(())
}

/// The named value `key` of `store` (META or PULL), if any.
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

/// Sets the named value `key` of `store` (META or PULL).
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

/// A unit's two records as stored, both keyed by its id: in [`UNITS`](super::db::UNITS)
/// `{unit_id, name, staff, body}` — what lists show, and `body`, the UTF-8 bytes of the JSON
/// of its `Certificate` with `staff` and `departed` empty; in [`PEOPLE`](super::db::PEOPLE)
/// `{unit_id, body}` — `body`, the UTF-8 bytes of `{"staff": […], "departed": […]}`: personal,
/// the part to encrypt. Bodies are bytes so that they cross into the browser as one copy, with
/// no conversion of each field (or of the text) into JavaScript values.
pub(super) struct UnitRecords<'a> {
    pub(super) unit_id: &'a str,
    pub(super) name: &'a str,
    pub(super) staff: u32,
    pub(super) without_people: &'a str,
    pub(super) people: &'a str,
}

impl UnitRecords<'_> {
    /// Writes both records (replacing those of the same unit).
    pub(super) fn put(
        &self,
        units: &ObjectStore<'_>,
        people: &ObjectStore<'_>,
    ) -> Result<(), StorageError> {
        let unit = object(&[
            ("unit_id", JsValue::from_str(self.unit_id)),
            ("name", JsValue::from_str(self.name)),
            ("staff", JsValue::from(self.staff)),
            ("body", bytes(self.without_people)),
        ])?;
        units
            .put(unit)
            .with_key(self.unit_id.to_owned())
            .primitive()
            .map_err(write_error)?;
        let roster = object(&[
            ("unit_id", JsValue::from_str(self.unit_id)),
            ("body", bytes(self.people)),
        ])?;
        people
            .put(roster)
            .with_key(self.unit_id.to_owned())
            .primitive()
            .map_err(write_error)?;
        Ok(())
    }
}

fn bytes(text: &str) -> JsValue {
    js_sys::Uint8Array::from(text.as_bytes()).into()
}

pub(super) fn object(fields: &[(&str, JsValue)]) -> Result<JsValue, StorageError> {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        js_sys::Reflect::set(&object, &JsValue::from_str(name), value)
            .map_err(|e| StorageError::Write(format!("{e:?}")))?;
    }
    Ok(object.into())
}

/// The `name` field of a stored record, as text.
pub(super) fn text_field(record: &JsValue, name: &str) -> Result<String, StorageError> {
    field(record, name)?
        .as_string()
        .ok_or_else(|| StorageError::Corrupt(format!("{name} is not text")))
}

/// The `name` field of a stored record, a whole number up to 2^53.
fn whole_field(record: &JsValue, name: &str) -> Result<u64, StorageError> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    field(record, name)?
        .as_f64()
        .filter(|n| n.fract() == 0.0 && (0.0..=MAX_SAFE).contains(n))
        .map(|n| n as u64)
        .ok_or_else(|| StorageError::Corrupt(format!("{name} is not a whole number")))
}

/// The `name` field of a stored record, as a whole number.
pub(super) fn count_field(record: &JsValue, name: &str) -> Result<u32, StorageError> {
    field(record, name)?
        .as_f64()
        .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
        .map(|n| n as u32)
        .ok_or_else(|| StorageError::Corrupt(format!("{name} is not a count")))
}

/// The `body` of a stored unit or people record, parsed as `T`.
pub(super) fn parse_body<T: serde::de::DeserializeOwned>(
    record: &JsValue,
) -> Result<T, StorageError> {
    let body: js_sys::Uint8Array = field(record, "body")?
        .dyn_into()
        .map_err(|_| StorageError::Corrupt("body is not bytes".into()))?;
    crate::json::from_bytes(&body.to_vec()).map_err(StorageError::Corrupt)
}

fn field(record: &JsValue, name: &str) -> Result<JsValue, StorageError> {
    js_sys::Reflect::get(record, &JsValue::from_str(name))
        .map_err(|e| StorageError::Corrupt(format!("{e:?}")))
}

/// An application as stored: `{unit_id, body}`, the body the `TrackedApplication` as JSON
/// (which is the pull's `Change::Application`).
#[derive(Debug, PartialEq)]
pub(super) struct ApplicationRecord {
    pub(super) unit_id: String,
    pub(super) body: String,
}

impl ApplicationRecord {
    /// The record as the store keeps it.
    pub(super) fn to_js(&self) -> Result<JsValue, StorageError> {
        object(&[
            ("unit_id", JsValue::from_str(&self.unit_id)),
            ("body", JsValue::from_str(&self.body)),
        ])
    }

    /// A record the store kept.
    pub(super) fn from_js(record: &JsValue) -> Result<Self, StorageError> {
        Ok(ApplicationRecord {
            unit_id: text_field(record, "unit_id")?,
            body: text_field(record, "body")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn records_read_back_as_written_and_as_earlier_builds_wrote_them() {
        let outbox = OutboxRecord {
            application_id: "a-1".into(),
            decision_id: None,
            sequence: 7,
            state: "pending".into(),
            body: "{\"x\":1}".into(),
        };
        assert_eq!(
            OutboxRecord::from_js(&outbox.to_js().unwrap()).unwrap(),
            outbox
        );
        let decision = OutboxRecord {
            decision_id: Some("d-1".into()),
            ..outbox
        };
        assert_eq!(
            OutboxRecord::from_js(&decision.to_js().unwrap()).unwrap(),
            decision
        );
        let outbox = OutboxRecord {
            decision_id: None,
            ..decision
        };
        let application = ApplicationRecord {
            unit_id: "620502-0001".into(),
            body: "{}".into(),
        };
        assert_eq!(
            ApplicationRecord::from_js(&application.to_js().unwrap()).unwrap(),
            application
        );
        // What serde_wasm_bindgen wrote: plain objects, the sequence a number.
        let earlier = js_sys::JSON::parse(
            r#"{"application_id":"a-1","sequence":7,"state":"pending","body":"{\"x\":1}"}"#,
        )
        .unwrap();
        assert_eq!(OutboxRecord::from_js(&earlier).unwrap(), outbox);
        for bad in [
            r#"{"application_id":"a-1","sequence":1.5,"state":"pending","body":""}"#,
            r#"{"application_id":"a-1","sequence":-1,"state":"pending","body":""}"#,
            r#"{"application_id":"a-1","state":"pending","body":""}"#,
            r#"{"application_id":1,"sequence":1,"state":"pending","body":""}"#,
        ] {
            let record = js_sys::JSON::parse(bad).unwrap();
            assert!(OutboxRecord::from_js(&record).is_err(), "{bad}");
        }
    }
}
