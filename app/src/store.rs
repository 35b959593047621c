//! The local store: one IndexedDB database per key holder on this computer.
//!
//! Two halves that never mix:
//! - **confirmed state** — what the server last said: the certificate of every unit in the
//!   holder's scope ([`UNITS`], [`PEOPLE`]), the applications it tracks ([`APPLICATIONS`]), and
//!   the pull cursor with the time of the last complete sync ([`META`]). A pull page and its
//!   cursor are written in one transaction ([`apply_page`]), so the cursor never runs ahead of
//!   the data.
//! - **the queue** — applications signed here ([`OUTBOX`]), with what the server answered.
//!   A pull never touches it; a reset drops the confirmed state only.
//!
//! Every record is `{ …fields the store must look at…, body }`: the keys and the few fields
//! shown in lists stay readable, and everything personal is in `body` (a JSON string), so that
//! `body` alone can later be encrypted at rest with a key derived from the security key
//! (DESIGN-NOTES §2) without changing the schema's keys. People are keyed by unit and position,
//! never by 身份证号.
//!
//! Every write is awaited to its transaction's commit: a failure (quota exceeded, storage
//! lost) comes back as a [`StorageError`] for the interface to show, never as success.
//!
//! Schema versions: [`DB_VERSION`]. [`upgrade`] runs every step from the stored version up;
//! before IndexedDB the outbox lived in `localStorage`, and [`migrate_local_storage`] moves
//! it (with the client id and sequence) into the store the first time a holder's database is
//! opened.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use domain::certificate::Certificate;
use domain::person::Person;
use indexed_db_futures::KeyRange;
use indexed_db_futures::database::{Database, ObjectStoreName};
use indexed_db_futures::object_store::ObjectStore;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::transaction::TransactionMode;
use protocol::sync::{Change, PullResponse};
use serde::{Deserialize, Serialize};

use crate::local::{self, StorageError};
use crate::outbox::{ItemStatus, OutboxItem};

/// The schema version this build writes.
pub const DB_VERSION: u32 = 1;
/// Applications signed here: key = application id.
pub const OUTBOX: &str = "outbox";
/// Small named values: key = name ([`CURSOR`], [`LAST_SYNC`], [`CLIENT_ID`], [`SEQUENCE`]).
pub const META: &str = "meta";
/// One record per unit: its certificate without the people. Key = unit id.
pub const UNITS: &str = "units";
/// One record per person: key = `<unit id>/<s|d><position>` (staff, departed).
pub const PEOPLE: &str = "people";
/// Applications as the server tracks them: key = application id.
pub const APPLICATIONS: &str = "applications";

/// Meta key of the pull cursor (opaque).
pub const CURSOR: &str = "cursor";
/// Meta key of the time (RFC 3339) the last pull reached the end.
pub const LAST_SYNC: &str = "last_sync";
/// Meta key of this installation's client id for the holder.
pub const CLIENT_ID: &str = "client_id";
/// Meta key of the last sequence number used.
pub const SEQUENCE: &str = "sequence";

/// The database name of `holder`.
pub fn db_name(holder: &str) -> String {
    format!("staffing.{holder}")
}

/// The stores and what each upgrade step creates, in order: step `n` takes version `n - 1`
/// to `n`.
fn upgrade(db: &Database, old_version: u32) -> indexed_db_futures::Result<()> {
    if old_version < 1 {
        for name in [OUTBOX, META, UNITS, PEOPLE, APPLICATIONS] {
            db.create_object_store(name).build()?;
        }
    }
    Ok(())
}

thread_local! {
    /// Open connections by database name.
    static OPEN: RefCell<BTreeMap<String, Database>> = const { RefCell::new(BTreeMap::new()) };
    /// Databases being opened.
    static OPENING: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
    /// Databases a newer build upgraded: this page's code is out of date for them.
    static OUTDATED: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

fn js_text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn write_error(e: indexed_db_futures::error::Error) -> StorageError {
    StorageError::Write(js_text(e))
}

fn read_error(e: indexed_db_futures::error::Error) -> StorageError {
    StorageError::Corrupt(js_text(e))
}

/// A read-write transaction over `stores`.
fn writing<S: ObjectStoreName>(db: &Database, stores: S) -> Result<Transaction<'_>, StorageError> {
    db.transaction(stores)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .map_err(write_error)
}

/// A read-only transaction over `stores`.
fn reading<S: ObjectStoreName>(db: &Database, stores: S) -> Result<Transaction<'_>, StorageError> {
    db.transaction(stores).build().map_err(read_error)
}

/// Every record of `store` (in key order), or of `range` of it.
async fn all<T: serde::de::DeserializeOwned>(
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
async fn one<T: serde::de::DeserializeOwned>(
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

/// The holder's database, opened (and upgraded, and filled from `localStorage` the first
/// time) on first use.
pub async fn open(holder: &str) -> Result<Database, StorageError> {
    let name = db_name(holder);
    loop {
        if OUTDATED.with(|o| o.borrow().contains(&name)) {
            return Err(StorageError::Outdated);
        }
        if let Some(db) = OPEN.with(|o| o.borrow().get(&name).cloned()) {
            return Ok(db);
        }
        // One opening (and migration) at a time per database; the others wait for it.
        if OPENING.with(|o| o.borrow_mut().insert(name.clone())) {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    let opened = open_new(holder, &name).await;
    OPENING.with(|o| o.borrow_mut().remove(&name));
    opened
}

async fn open_new(holder: &str, name: &str) -> Result<Database, StorageError> {
    let db = Database::open(name)
        .with_version(DB_VERSION)
        .with_on_upgrade_needed(|event, db| {
            // Versions are small integers stored as doubles.
            upgrade(&db, event.old_version() as u32)
        })
        .await
        .map_err(|_| StorageError::Unavailable)?;
    // A newer build in another tab upgrading the schema (`versionchange` to a higher
    // version): let go at once so that its upgrade is not blocked, and tell this tab to reload.
    // The database being deleted (`versionchange` to none), or closed by the browser (site data
    // cleared): let go and forget the connection, so the next use opens a new one.
    if let Ok(mut changes) = db.version_changes() {
        let forget = name.to_owned();
        wasm_bindgen_futures::spawn_local(async move {
            let event = changes.recv().await;
            OPEN.with(|o| o.borrow_mut().remove(&forget));
            if let Some(event) = event {
                if event.new_version().is_some() {
                    OUTDATED.with(|o| o.borrow_mut().insert(forget));
                }
                changes.db().clone().close();
            }
        });
    }
    OPEN.with(|o| o.borrow_mut().insert(name.to_owned(), db.clone()));
    migrate_local_storage(&db, holder).await?;
    Ok(db)
}

/// Forgets the open connection of `holder` (tests delete databases).
pub fn close(holder: &str) {
    if let Some(db) = OPEN.with(|o| o.borrow_mut().remove(&db_name(holder))) {
        db.close();
    }
}

/// Moves what the first version kept in `localStorage` into the database of `holder`: that
/// holder's outbox items, and — to the first holder opened only — the client id with its
/// sequence counter (so no number is used twice under one client id). The old outbox key is
/// removed once no holder's items are left in it.
pub async fn migrate_local_storage(db: &Database, holder: &str) -> Result<(), StorageError> {
    let old: Vec<OutboxItem> = local::get_json(LEGACY_OUTBOX)?.unwrap_or_default();
    let legacy_client = local::get(LEGACY_CLIENT_ID)?.filter(|c| !c.is_empty());
    let legacy_sequence = local::get(LEGACY_SEQUENCE)?
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
    local::remove(LEGACY_CLIENT_ID)?;
    local::remove(LEGACY_SEQUENCE)?;
    if others.is_empty() {
        local::remove(LEGACY_OUTBOX)?;
    } else {
        local::set_json(LEGACY_OUTBOX, &others)?;
    }
    Ok(())
}

/// Where the first version kept the outbox, client id and counter.
pub const LEGACY_OUTBOX: &str = "staffing.outbox";
pub const LEGACY_CLIENT_ID: &str = "staffing.client_id";
pub const LEGACY_SEQUENCE: &str = "staffing.sequence";

/// A stored outbox item.
#[derive(Serialize, Deserialize)]
struct OutboxRecord {
    application_id: String,
    sequence: u64,
    /// [`ItemStatus::name`].
    state: String,
    /// The [`OutboxItem`] as JSON (the envelope carries personal data).
    body: String,
}

fn put_item(store: &ObjectStore<'_>, item: &OutboxItem) -> Result<(), StorageError> {
    let record = OutboxRecord {
        application_id: item.application_id.clone(),
        sequence: item.sequence,
        state: item.status.name().to_owned(),
        body: serde_json::to_string(item).map_err(|e| StorageError::Write(e.to_string()))?,
    };
    store
        .put(record)
        .with_key(item.application_id.clone())
        .serde()
        .map_err(write_error)?;
    Ok(())
}

async fn meta_get<T: serde::de::DeserializeOwned>(
    store: &ObjectStore<'_>,
    key: &str,
) -> Result<Option<T>, StorageError> {
    let text: Option<String> = store
        .get(key.to_owned())
        .primitive()
        .map_err(read_error)?
        .await
        .map_err(read_error)?;
    match text {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| StorageError::Corrupt(e.to_string())),
    }
}

fn meta_put<T: Serialize + ?Sized>(
    store: &ObjectStore<'_>,
    key: &str,
    value: &T,
) -> Result<(), StorageError> {
    let text = serde_json::to_string(value).map_err(|e| StorageError::Write(e.to_string()))?;
    store
        .put(text)
        .with_key(key.to_owned())
        .primitive()
        .map_err(write_error)?;
    Ok(())
}

/// Every outbox item of `holder`, in sequence order.
pub async fn outbox(holder: &str) -> Result<Vec<OutboxItem>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, OUTBOX)?;
    let store = tx.object_store(OUTBOX).map_err(read_error)?;
    let records: Vec<OutboxRecord> = all(&store, None).await?;
    let mut items = records
        .into_iter()
        .map(|r| {
            serde_json::from_str::<OutboxItem>(&r.body)
                .map_err(|e| StorageError::Corrupt(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    items.sort_by_key(|i| i.sequence);
    Ok(items)
}

/// Stores `item` (replacing one with the same application id), committed.
pub async fn add_to_outbox(holder: &str, item: &OutboxItem) -> Result<(), StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, OUTBOX)?;
    put_item(&tx.object_store(OUTBOX).map_err(write_error)?, item)?;
    tx.commit().await.map_err(write_error)
}

/// Stores `item`, which revises `original`, and marks `original` as revised by it, in one
/// transaction.
pub async fn add_revision(
    holder: &str,
    item: &OutboxItem,
    original: &str,
) -> Result<(), StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, OUTBOX)?;
    let store = tx.object_store(OUTBOX).map_err(write_error)?;
    put_item(&store, item)?;
    if let Some(record) = one::<OutboxRecord>(&store, original).await? {
        let mut old: OutboxItem =
            serde_json::from_str(&record.body).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        old.revised_by = Some(item.application_id.clone());
        put_item(&store, &old)?;
    }
    tx.commit().await.map_err(write_error)
}

/// Sets the status of the items named in `changes`, in one transaction.
pub async fn record_verdicts(
    holder: &str,
    changes: &[(String, ItemStatus)],
) -> Result<(), StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, OUTBOX)?;
    let store = tx.object_store(OUTBOX).map_err(write_error)?;
    for (id, status) in changes {
        let record: Option<OutboxRecord> = one(&store, id).await?;
        let Some(record) = record else { continue };
        let mut item: OutboxItem =
            serde_json::from_str(&record.body).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        item.status = status.clone();
        put_item(&store, &item)?;
    }
    tx.commit().await.map_err(write_error)
}

/// This installation's client id for `holder`, created (a random UUID) on first use.
pub async fn client_id(holder: &str) -> Result<String, StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, META)?;
    let meta = tx.object_store(META).map_err(write_error)?;
    if let Some(id) = meta_get::<String>(&meta, CLIENT_ID).await? {
        return Ok(id);
    }
    let id = crate::outbox::random_uuid()?;
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

/// A unit as stored: what lists show, and the certificate without its people.
#[derive(Serialize, Deserialize)]
struct UnitRecord {
    unit_id: String,
    name: String,
    staff: u32,
    /// The [`Certificate`] with `staff` and `departed` empty, as JSON.
    body: String,
}

/// A person as stored.
#[derive(Serialize, Deserialize)]
struct PersonRecord {
    unit_id: String,
    /// `staff` or `departed`.
    list: String,
    /// The [`Person`] (or departed person) as JSON: personal, the part to encrypt.
    body: String,
}

/// An application as stored (the pull's [`Change::Application`] as JSON).
#[derive(Serialize, Deserialize)]
struct ApplicationRecord {
    unit_id: String,
    body: String,
}

/// A unit in a list: id, name, how many staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitSummary {
    pub unit_id: String,
    pub name: String,
    pub staff: u32,
}

/// The keys of the people of `unit_id` (all of them sort between these two).
fn people_range(unit_id: &str) -> KeyRange<String> {
    KeyRange::Bound(
        format!("{unit_id}/"),
        false,
        format!("{unit_id}/\u{ffff}"),
        false,
    )
}

fn person_key(unit_id: &str, list: char, position: usize) -> String {
    format!("{unit_id}/{list}{position:06}")
}

/// Applies one pull page — the records and the new cursor, and on a reset the removal of
/// every confirmed record first — in one transaction. The queue is not touched. `now` is
/// stored as the last sync when the page completes the pull.
pub async fn apply_page(holder: &str, page: &PullResponse, now: &str) -> Result<(), StorageError> {
    // Decode (and so validate) before opening the transaction: a bad record changes nothing.
    let mut certificates = Vec::new();
    for change in &page.changes {
        if let Change::Certificate {
            unit_id,
            certificate,
        } = change
        {
            let certificate: Certificate = serde_json::from_value(certificate.clone())
                .map_err(|e| StorageError::Undecodable(format!("{unit_id}: {e}")))?;
            certificates.push((unit_id.clone(), certificate));
        }
    }
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
    let mut certificates = certificates.into_iter();
    for change in &page.changes {
        match change {
            Change::Certificate { .. } => {
                let Some((unit_id, certificate)) = certificates.next() else {
                    continue;
                };
                put_certificate(&units, &people, &unit_id, certificate)?;
            }
            Change::Application {
                application_id,
                unit_id,
                ..
            } => {
                let record = ApplicationRecord {
                    unit_id: unit_id.clone(),
                    body: serde_json::to_string(change)
                        .map_err(|e| StorageError::Write(e.to_string()))?,
                };
                applications
                    .put(record)
                    .with_key(application_id.clone())
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

/// `value` as JSON.
fn to_json<T: Serialize>(value: &T) -> Result<String, StorageError> {
    serde_json::to_string(value).map_err(|e| StorageError::Write(e.to_string()))
}

/// Removes from `holder`'s store everything but the applications still waiting to be sent:
/// the confirmed state (certificates, people, applications, cursor, last sync) and the sent
/// items of the queue, in one transaction. Returns how many waiting items were kept (signed
/// applications are never dropped). For a shared computer, at sign-out.
pub async fn clear_all_but_waiting(holder: &str) -> Result<usize, StorageError> {
    let db = open(holder).await?;
    let tx = writing(&db, [UNITS, PEOPLE, APPLICATIONS, META, OUTBOX])?;
    for store in [UNITS, PEOPLE, APPLICATIONS] {
        tx.object_store(store)
            .map_err(write_error)?
            .clear()
            .map_err(write_error)?;
    }
    let meta = tx.object_store(META).map_err(write_error)?;
    for key in [CURSOR, LAST_SYNC] {
        meta.delete(key.to_owned())
            .primitive()
            .map_err(write_error)?;
    }
    let outbox = tx.object_store(OUTBOX).map_err(write_error)?;
    let records: Vec<OutboxRecord> = all(&outbox, None).await?;
    let mut kept = 0;
    for record in records {
        if record.state == ItemStatus::Pending.name() {
            kept += 1;
        } else {
            outbox
                .delete(record.application_id)
                .primitive()
                .map_err(write_error)?;
        }
    }
    tx.commit().await.map_err(write_error)?;
    Ok(kept)
}

/// The stored pull cursor, if any.
pub async fn cursor(holder: &str) -> Result<Option<String>, StorageError> {
    meta_value(holder, CURSOR).await
}

/// When the last pull reached the end (RFC 3339), if ever since the last reset.
pub async fn last_sync(holder: &str) -> Result<Option<String>, StorageError> {
    meta_value(holder, LAST_SYNC).await
}

async fn meta_value(holder: &str, key: &str) -> Result<Option<String>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, META)?;
    let meta = tx.object_store(META).map_err(read_error)?;
    meta_get(&meta, key).await
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
pub async fn applications(holder: &str) -> Result<BTreeMap<String, Change>, StorageError> {
    let db = open(holder).await?;
    let tx = reading(&db, APPLICATIONS)?;
    let store = tx.object_store(APPLICATIONS).map_err(read_error)?;
    let records: Vec<ApplicationRecord> = all(&store, None).await?;
    let mut out = BTreeMap::new();
    for record in records {
        let change: Change =
            serde_json::from_str(&record.body).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        if let Change::Application { application_id, .. } = &change {
            out.insert(application_id.clone(), change.clone());
        }
    }
    Ok(out)
}
