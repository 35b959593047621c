//! The confirmed state: what the server last said about the holder's scope — every unit's
//! certificate (its people kept in one record per unit) and the applications it tracks —
//! written a pull page at a time, read by the pages.
//!
//! A page is decoded before anything is written: each certificate is validated once, as the
//! domain types (`Certificate`, `Person`, `DepartedPerson`), from the text the server sent,
//! and that same text is what is stored — cut in two (the certificate without its people, and
//! its people), never re-serialised. A record that does not decode changes nothing, the
//! cursor included.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use domain::certificate::Certificate;
use domain::person::{DepartedPerson, Person};
use domain::unit::UnitRecord;
use indexed_db_futures::prelude::*;
use protocol::sync::{Change, PullResponse};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use wasm_bindgen::JsValue;

use super::connection::open;
use super::db::{
    APPLICATIONS, CONFIRMED, PEOPLE, PULL, UNITS, all, from_json, read_error, reading, to_json,
    write_error, writing_relaxed,
};
use super::records::{
    ApplicationRecord, CURSOR, LAST_SYNC, UnitRecords, count_field, meta_put, parse_body,
    text_field,
};
use crate::applications::tracked::TrackedApplication;
use crate::storage_error::StorageError;

/// A unit in a list: id, name, how many staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSummary {
    pub unit_id: String,
    pub name: String,
    pub staff: u32,
}

/// A unit's people, as the `PEOPLE` record's body holds them.
#[derive(Serialize, Deserialize)]
pub(super) struct People {
    pub(super) staff: Vec<Person>,
    pub(super) departed: Vec<DepartedPerson>,
}

/// The same JSON as [`People`], each person deserialised (and so checked) and dropped at once:
/// how many staff and departed it holds.
#[derive(Deserialize)]
struct CheckedPeople {
    staff: Checked<Person>,
    /// Checked; lists count only the staff.
    #[serde(rename = "departed")]
    _departed: Checked<DepartedPerson>,
}

/// How many `T` a JSON array holds, each deserialised and dropped in turn.
struct Checked<T>(usize, PhantomData<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Checked<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Each<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Each<T> {
            type Value = Checked<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of people")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut list: A) -> Result<Self::Value, A::Error> {
                let mut n = 0;
                while list.next_element::<T>()?.is_some() {
                    n += 1;
                }
                Ok(Checked(n, PhantomData))
            }
        }
        deserializer.deserialize_seq(Each(PhantomData))
    }
}

/// A certificate of a pull page, validated and cut into the texts its records keep.
struct DecodedUnit {
    unit_id: String,
    name: String,
    staff: u32,
    without_people: String,
    people: String,
}

/// One record of a pull page, decoded.
enum Decoded {
    Certificate(DecodedUnit),
    /// Boxed: an application carries its signed document and decisions.
    Application(Box<TrackedApplication>),
    /// A tombstone: the unit was merged or abolished; its records go.
    Removed(String),
    /// A unit's verification state (数据核实), kept in the pull store.
    Verification(super::verification::KeptVerification),
}

/// Decodes (and so validates) every record of `page`, in order.
fn decode(page: &PullResponse) -> Result<Vec<Decoded>, StorageError> {
    let mut decoded = Vec::with_capacity(page.changes.len());
    for change in &page.changes {
        if let Change::Certificate {
            unit_id,
            certificate,
        } = change
        {
            let unit = decode_certificate(unit_id, certificate.get())
                .map_err(|e| StorageError::Undecodable(format!("{unit_id}: {e}")))?;
            decoded.push(Decoded::Certificate(unit));
        }
        if let Change::UnitRemoved { unit_id, .. } = change {
            decoded.push(Decoded::Removed(unit_id.clone()));
        }
        if let Change::Verification {
            unit_id,
            state,
            updated_at,
        } = change
        {
            decoded.push(Decoded::Verification(
                super::verification::KeptVerification {
                    unit_id: unit_id.clone(),
                    state: *state,
                    updated_at: updated_at.clone(),
                },
            ));
        }
        let application = TrackedApplication::from_change(change)
            .map_err(|unknown| StorageError::Undecodable(unknown.to_string()))?;
        decoded.extend(application.map(|a| Decoded::Application(Box::new(a))));
    }
    Ok(decoded)
}

/// Validates the JSON of a certificate as the domain types — everything but the people as a
/// `Certificate`, the people as `Person`s and `DepartedPerson`s, which together is what a
/// whole `Certificate` checks — and cuts it into the texts of its two records.
fn decode_certificate(unit_id: &str, json: &str) -> Result<DecodedUnit, String> {
    let (without_people, people) = split_people(json)?;
    let certificate: Certificate =
        serde_json::from_str(&without_people).map_err(|e| e.to_string())?;
    let roster: CheckedPeople = serde_json::from_str(&people).map_err(|e| e.to_string())?;
    Ok(DecodedUnit {
        unit_id: unit_id.to_owned(),
        name: certificate.unit.name.to_string(),
        staff: u32::try_from(roster.staff.0).unwrap_or(u32::MAX),
        without_people,
        people,
    })
}

/// The fields of a JSON object, each value as its text, in order.
struct Fields<'a>(Vec<(&'a str, &'a RawValue)>);

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a certificate (a JSON object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::new();
                while let Some(field) = map.next_entry::<&'de str, &'de RawValue>()? {
                    fields.push(field);
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(Object)
    }
}

/// Cuts the JSON of a certificate, without parsing its values, into the certificate with
/// `staff` and `departed` empty, and `{"staff":…,"departed":…}` — each present exactly once.
fn split_people(json: &str) -> Result<(String, String), String> {
    let Fields(fields) = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut without_people = String::with_capacity(json.len().min(16 * 1024));
    let (mut staff, mut departed) = (None, None);
    without_people.push('{');
    for (name, value) in fields {
        let slot = match name {
            "staff" => &mut staff,
            "departed" => &mut departed,
            _ => {
                // A borrowed name has no escapes: written back between quotes as it was.
                without_people.push('"');
                without_people.push_str(name);
                without_people.push_str("\":");
                without_people.push_str(value.get());
                without_people.push(',');
                continue;
            }
        };
        if slot.replace(value).is_some() {
            return Err(format!("duplicate field `{name}`"));
        }
    }
    let staff = staff.ok_or("missing field `staff`")?.get();
    let departed = departed.ok_or("missing field `departed`")?.get();
    without_people.push_str(r#""staff":[],"departed":[]}"#);
    let mut people = String::with_capacity(staff.len() + departed.len() + 24);
    people.push_str(r#"{"staff":"#);
    people.push_str(staff);
    people.push_str(r#","departed":"#);
    people.push_str(departed);
    people.push('}');
    Ok((without_people, people))
}

/// Applies one pull page — the records and the new cursor, and on a reset the removal of
/// every confirmed record first — in one transaction. The queue is not touched. `now` is
/// stored as the last sync when the page completes the pull.
pub async fn apply_page(holder: &str, page: &PullResponse, now: &str) -> Result<(), StorageError> {
    // Decode before opening the transaction: a bad record changes nothing.
    let decoded = decode(page)?;
    let db = open(holder).await?;
    let tx = writing_relaxed(&db, CONFIRMED)?;
    let units = tx.object_store(UNITS).map_err(write_error)?;
    let people = tx.object_store(PEOPLE).map_err(write_error)?;
    let applications = tx.object_store(APPLICATIONS).map_err(write_error)?;
    let pull = tx.object_store(PULL).map_err(write_error)?;
    if page.reset {
        for store in [&units, &people, &applications, &pull] {
            store.clear().map_err(write_error)?;
        }
    }
    let mut removed = std::collections::BTreeSet::new();
    for record in decoded {
        match record {
            Decoded::Removed(unit_id) => {
                for store in [&units, &people] {
                    store
                        .delete(unit_id.clone())
                        .primitive()
                        .map_err(write_error)?;
                }
                pull.delete(super::verification::key(&unit_id))
                    .primitive()
                    .map_err(write_error)?;
                removed.insert(unit_id);
            }
            Decoded::Certificate(unit) => UnitRecords {
                unit_id: &unit.unit_id,
                name: &unit.name,
                staff: unit.staff,
                without_people: &unit.without_people,
                people: &unit.people,
            }
            .put(&units, &people)?,
            Decoded::Verification(kept) => {
                meta_put(&pull, &super::verification::key(&kept.unit_id), &kept)?;
            }
            Decoded::Application(application) => {
                let record = ApplicationRecord {
                    unit_id: application.unit_id.clone(),
                    body: to_json(&*application)?,
                };
                applications
                    .put(record.to_js()?)
                    .with_key(application.application_id)
                    .primitive()
                    .map_err(write_error)?;
            }
        }
    }
    if !removed.is_empty() {
        remove_applications(&applications, &removed).await?;
    }
    if let Some(settings) = &page.oversight {
        meta_put(&pull, super::verification::OVERSIGHT, settings)?;
    }
    meta_put(&pull, CURSOR, &page.cursor)?;
    if page.complete {
        meta_put(&pull, LAST_SYNC, now)?;
    }
    tx.commit().await.map_err(write_error)
}

/// Deletes the applications of the units in `removed` (after a tombstone; rare, so the store
/// is read whole rather than indexed by unit).
async fn remove_applications(
    applications: &indexed_db_futures::object_store::ObjectStore<'_>,
    removed: &std::collections::BTreeSet<String>,
) -> Result<(), StorageError> {
    #[derive(Deserialize)]
    struct Id {
        application_id: String,
    }
    for record in all(applications, None).await? {
        let record = ApplicationRecord::from_js(&record)?;
        if removed.contains(&record.unit_id) {
            let Id { application_id } = from_json(&record.body)?;
            applications
                .delete(application_id)
                .primitive()
                .map_err(write_error)?;
        }
    }
    Ok(())
}

/// Every unit of the confirmed state, by id (their bodies are not read).
pub async fn units(holder: &str) -> Result<Vec<UnitSummary>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, UNITS)?;
    let store = tx.object_store(UNITS).map_err(read_error)?;
    let records: Vec<JsValue> = store
        .get_all()
        .primitive()
        .map_err(read_error)?
        .await
        .map_err(read_error)?
        .collect::<Result<_, _>>()
        .map_err(read_error)?;
    records
        .iter()
        .map(|record| {
            Ok(UnitSummary {
                unit_id: text_field(record, "unit_id")?,
                name: text_field(record, "name")?,
                staff: count_field(record, "staff")?,
            })
        })
        .collect()
}

/// The confirmed certificate of `unit_id`, people included, if it is stored.
pub async fn certificate(holder: &str, unit_id: &str) -> Result<Option<Certificate>, StorageError> {
    read_certificate(holder, unit_id, true).await
}

/// The confirmed certificate of `unit_id` without its people (record, ledger, …): what the
/// figures need, without reading the people.
pub async fn certificate_without_people(
    holder: &str,
    unit_id: &str,
) -> Result<Option<Certificate>, StorageError> {
    read_certificate(holder, unit_id, false).await
}

async fn read_certificate(
    holder: &str,
    unit_id: &str,
    with_people: bool,
) -> Result<Option<Certificate>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, [UNITS, PEOPLE])?;
    let corrupt = |e: StorageError| match e {
        StorageError::Corrupt(e) => StorageError::Corrupt(format!("{unit_id}: {e}")),
        other => other,
    };
    let Some(unit) = record(&tx, UNITS, unit_id).await? else {
        return Ok(None);
    };
    let mut certificate: Certificate = parse_body(&unit).map_err(corrupt)?;
    if with_people {
        let people = record(&tx, PEOPLE, unit_id)
            .await?
            .ok_or_else(|| StorageError::Corrupt(format!("{unit_id}: its people are missing")))?;
        let People { staff, departed } = parse_body(&people).map_err(corrupt)?;
        certificate.staff = staff;
        certificate.departed = departed;
    }
    Ok(Some(certificate))
}

/// The record of `key` in `store`, as the browser keeps it.
async fn record(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    store: &str,
    key: &str,
) -> Result<Option<JsValue>, StorageError> {
    tx.object_store(store)
        .map_err(read_error)?
        .get(key.to_owned())
        .primitive()
        .map_err(read_error)?
        .await
        .map_err(read_error)
}

/// The record (机构信息) of every unit of the confirmed state, the rest of each certificate
/// skipped: what choosing the units of a scope reads.
pub async fn unit_records(holder: &str) -> Result<Vec<UnitRecord>, StorageError> {
    #[derive(Deserialize)]
    struct Head {
        unit: UnitRecord,
    }
    let db = open(holder).await?;
    let tx = reading(&db, UNITS)?;
    let store = tx.object_store(UNITS).map_err(read_error)?;
    let records = all(&store, None).await?;
    let mut units = Vec::with_capacity(records.len());
    for record in &records {
        let Head { unit } = parse_body(record)?;
        units.push(unit);
    }
    Ok(units)
}

/// The staff of each of `unit_ids` (departed skipped), in one transaction: the roster of a
/// scope. A unit without a stored record is left out.
pub async fn staff_of(
    holder: &str,
    unit_ids: &[String],
) -> Result<Vec<(String, Vec<Person>)>, StorageError> {
    #[derive(Deserialize)]
    struct Staff {
        staff: Vec<Person>,
    }
    let db = open(holder).await?;
    let tx = reading(&db, PEOPLE)?;
    let mut staff = Vec::with_capacity(unit_ids.len());
    for unit_id in unit_ids {
        if let Some(people) = record(&tx, PEOPLE, unit_id).await? {
            let Staff { staff: list } = parse_body(&people)?;
            staff.push((unit_id.clone(), list));
        }
    }
    Ok(staff)
}

/// Every 身份证号 that holds a post in the confirmed state (all units' staff), so that a form
/// can refuse a second post before signing (the server checks again).
pub async fn posts(holder: &str) -> Result<std::collections::BTreeSet<String>, StorageError> {
    #[derive(Deserialize)]
    struct Held {
        id_number: String,
    }
    #[derive(Deserialize)]
    struct Staff {
        staff: Vec<Held>,
    }
    let db = open(holder).await?;
    let tx = reading(&db, PEOPLE)?;
    let store = tx.object_store(PEOPLE).map_err(read_error)?;
    let records: Vec<JsValue> = store
        .get_all()
        .primitive()
        .map_err(read_error)?
        .await
        .map_err(read_error)?
        .collect::<Result<_, _>>()
        .map_err(read_error)?;
    let mut posts = std::collections::BTreeSet::new();
    for record in &records {
        let Staff { staff } = parse_body(record)?;
        posts.extend(staff.into_iter().map(|h| h.id_number));
    }
    Ok(posts)
}

/// How many people (staff) the confirmed state holds.
pub async fn staff_count(holder: &str) -> Result<u64, StorageError> {
    Ok(units(holder)
        .await?
        .iter()
        .map(|u| u64::from(u.staff))
        .sum())
}

/// The applications the server tracks in the holder's scope, by application id.
pub async fn applications(
    holder: &str,
) -> Result<BTreeMap<String, TrackedApplication>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, APPLICATIONS)?;
    let store = tx.object_store(APPLICATIONS).map_err(read_error)?;
    let records = all(&store, None).await?;
    // Inserted one by one: collecting into a map would sort first, with a copy of the stable
    // sort of its own in the client (the same map either way).
    let mut applications = BTreeMap::new();
    for record in records {
        let record = ApplicationRecord::from_js(&record)?;
        let application: TrackedApplication = from_json(&record.body)?;
        applications.insert(application.application_id.clone(), application);
    }
    Ok(applications)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_certificate_is_cut_into_its_people_and_the_rest_without_reserialising() {
        let json = r#"{"unit":{"a":[1, 2]},"staff":[{"n":"甲"}],"ledger":{},"departed":[]}"#;
        let (rest, people) = split_people(json).unwrap();
        assert_eq!(
            rest,
            r#"{"unit":{"a":[1, 2]},"ledger":{},"staff":[],"departed":[]}"#
        );
        assert_eq!(people, r#"{"staff":[{"n":"甲"}],"departed":[]}"#);
        for bad in [
            r#"{"unit":{},"staff":[]}"#,
            r#"{"staff":[],"departed":[],"staff":[]}"#,
            r#"[]"#,
            r#"{"staff":[],"departed":["#,
        ] {
            assert!(split_people(bad).is_err(), "{bad}");
        }
    }

    #[wasm_bindgen_test]
    fn a_certificate_decodes_as_the_domain_types_and_keeps_its_text() {
        let city = demo::generate(3, demo::Size::Tiny);
        let certificate = &city.certificates[0];
        let json = serde_json::to_string(certificate).unwrap();
        let unit = decode_certificate("u", &json).unwrap();
        assert_eq!(unit.staff as usize, certificate.staff.len());
        assert_eq!(unit.name, certificate.unit.name.to_string());
        let mut back: Certificate = serde_json::from_str(&unit.without_people).unwrap();
        let people: People = serde_json::from_str(&unit.people).unwrap();
        back.staff = people.staff;
        back.departed = people.departed;
        assert_eq!(&back, certificate);
        // One invalid 身份证号 among the people refuses the whole certificate.
        let id = certificate.staff[0].id_number.as_str();
        let broken = json.replacen(id, "110105194902300020", 1);
        assert!(decode_certificate("u", &broken).is_err());
    }
}
