//! The confirmed state: what the server last said about the holder's scope — every unit's
//! certificate (its people kept one record each) and the applications it tracks — written a
//! pull page at a time, read by the pages.
//!
//! A page is decoded before anything is written, into domain values (`Certificate`,
//! [`TrackedApplication`]): a record that does not decode changes nothing, the cursor
//! included.

use std::collections::BTreeMap;

use domain::certificate::Certificate;
use domain::person::Person;
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use protocol::sync::{Change, PullResponse};

use super::connection::open;
use super::db::{
    APPLICATIONS, META, PEOPLE, UNITS, all, from_json, one, read_error, reading, to_json,
    write_error, writing,
};
use super::records::{
    ApplicationRecord, CURSOR, LAST_SYNC, PersonRecord, UnitRecord, meta_put, people_range,
    person_key,
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

/// One record of a pull page, decoded.
enum Decoded {
    Certificate(String, Box<Certificate>),
    Application(TrackedApplication),
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
            let certificate: Certificate = serde_json::from_value(certificate.clone())
                .map_err(|e| StorageError::Undecodable(format!("{unit_id}: {e}")))?;
            decoded.push(Decoded::Certificate(unit_id.clone(), Box::new(certificate)));
        }
        let application = TrackedApplication::from_change(change)
            .map_err(|unknown| StorageError::Undecodable(unknown.to_string()))?;
        decoded.extend(application.map(Decoded::Application));
    }
    Ok(decoded)
}

/// Applies one pull page — the records and the new cursor, and on a reset the removal of
/// every confirmed record first — in one transaction. The queue is not touched. `now` is
/// stored as the last sync when the page completes the pull.
pub async fn apply_page(holder: &str, page: &PullResponse, now: &str) -> Result<(), StorageError> {
    // Decode before opening the transaction: a bad record changes nothing.
    let decoded = decode(page)?;
    let db = open(holder).await?;
    let tx = writing(&db, [UNITS, PEOPLE, APPLICATIONS, META])?;
    let units = tx.object_store(UNITS).map_err(write_error)?;
    let people = tx.object_store(PEOPLE).map_err(write_error)?;
    let applications = tx.object_store(APPLICATIONS).map_err(write_error)?;
    let meta = tx.object_store(META).map_err(write_error)?;
    if page.reset {
        for store in [&units, &people, &applications] {
            store.clear().map_err(write_error)?;
        }
        meta.delete(LAST_SYNC.to_owned())
            .primitive()
            .map_err(write_error)?;
    }
    for record in decoded {
        match record {
            Decoded::Certificate(unit_id, certificate) => {
                put_certificate(&units, &people, &unit_id, *certificate)?;
            }
            Decoded::Application(application) => {
                let record = ApplicationRecord {
                    unit_id: application.unit_id.clone(),
                    body: to_json(&application)?,
                };
                applications
                    .put(record)
                    .with_key(application.application_id)
                    .serde()
                    .map_err(write_error)?;
            }
        }
    }
    meta_put(&meta, CURSOR, &page.cursor)?;
    if page.complete {
        meta_put(&meta, LAST_SYNC, now)?;
    }
    tx.commit().await.map_err(write_error)
}

fn put_certificate(
    units: &ObjectStore<'_>,
    people: &ObjectStore<'_>,
    unit_id: &str,
    mut certificate: Certificate,
) -> Result<(), StorageError> {
    people
        .delete::<String, _>(people_range(unit_id))
        .primitive()
        .map_err(write_error)?;
    let staff = std::mem::take(&mut certificate.staff);
    let departed = std::mem::take(&mut certificate.departed);
    for (position, person) in staff.iter().enumerate() {
        put_person(people, unit_id, 's', position, to_json(person)?)?;
    }
    for (position, person) in departed.iter().enumerate() {
        put_person(people, unit_id, 'd', position, to_json(person)?)?;
    }
    let record = UnitRecord {
        unit_id: unit_id.to_owned(),
        name: certificate.unit.name.to_string(),
        staff: u32::try_from(staff.len()).unwrap_or(u32::MAX),
        body: to_json(&certificate)?,
    };
    units
        .put(record)
        .with_key(unit_id.to_owned())
        .serde()
        .map_err(write_error)?;
    Ok(())
}

fn put_person(
    people: &ObjectStore<'_>,
    unit_id: &str,
    list: char,
    position: usize,
    body: String,
) -> Result<(), StorageError> {
    let record = PersonRecord {
        unit_id: unit_id.to_owned(),
        list: if list == 's' { "staff" } else { "departed" }.to_owned(),
        body,
    };
    people
        .put(record)
        .with_key(person_key(unit_id, list, position))
        .serde()
        .map_err(write_error)?;
    Ok(())
}

/// Every unit of the confirmed state, by id.
pub async fn units(holder: &str) -> Result<Vec<UnitSummary>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, UNITS)?;
    let store = tx.object_store(UNITS).map_err(read_error)?;
    let records: Vec<UnitRecord> = all(&store, None).await?;
    Ok(records
        .into_iter()
        .map(|r| UnitSummary {
            unit_id: r.unit_id,
            name: r.name,
            staff: r.staff,
        })
        .collect())
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
    let units = tx.object_store(UNITS).map_err(read_error)?;
    let record: Option<UnitRecord> = one(&units, unit_id).await?;
    let Some(record) = record else {
        return Ok(None);
    };
    let corrupt = |e: serde_json::Error| StorageError::Corrupt(format!("{unit_id}: {e}"));
    let mut certificate: Certificate = serde_json::from_str(&record.body).map_err(corrupt)?;
    if !with_people {
        return Ok(Some(certificate));
    }
    let people = tx.object_store(PEOPLE).map_err(read_error)?;
    let records: Vec<PersonRecord> = all(&people, Some(people_range(unit_id))).await?;
    // Keys sort by list then position: staff and departed come back in their order.
    for record in records {
        if record.list == "staff" {
            let person: Person = serde_json::from_str(&record.body).map_err(corrupt)?;
            certificate.staff.push(person);
        } else {
            certificate
                .departed
                .push(serde_json::from_str(&record.body).map_err(corrupt)?);
        }
    }
    Ok(Some(certificate))
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
    let records: Vec<ApplicationRecord> = all(&store, None).await?;
    records
        .into_iter()
        .map(|record| {
            let application: TrackedApplication = from_json(&record.body)?;
            Ok((application.application_id.clone(), application))
        })
        .collect()
}
