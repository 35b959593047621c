//! One connection per holder's database, opened (upgraded, and filled from the first
//! version's `localStorage` on first use) once and shared; given up at once when a newer
//! build in another tab upgrades the schema, so that its upgrade is not blocked.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use indexed_db_futures::database::Database;

use super::db::{DB_VERSION, upgrade};
use super::legacy::{forget_version_1_pull_position, migrate_local_storage};
use crate::storage_error::StorageError;

thread_local! {
    /// Open connections by database name.
    static OPEN: RefCell<BTreeMap<String, Database>> = const { RefCell::new(BTreeMap::new()) };
    /// Databases being opened.
    static OPENING: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
    /// Databases a newer build upgraded: this page's code is out of date for them.
    static OUTDATED: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

/// The database name of `holder`.
pub fn db_name(holder: &str) -> String {
    format!("staffing.{holder}")
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
    let upgraded_from = Rc::new(Cell::new(None));
    let upgrading = Rc::clone(&upgraded_from);
    let db = Database::open(name)
        .with_version(DB_VERSION)
        .with_on_upgrade_needed(move |event, db| {
            // Versions are small integers stored as doubles.
            let old = event.old_version() as u32;
            upgrading.set(Some(old));
            upgrade(&db, old)
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
    if upgraded_from.get() == Some(1) {
        forget_version_1_pull_position(&db).await?;
    }
    Ok(db)
}

/// Forgets the open connection of `holder` (tests delete databases).
pub fn close(holder: &str) {
    if let Some(db) = OPEN.with(|o| o.borrow_mut().remove(&db_name(holder))) {
        db.close();
    }
}
