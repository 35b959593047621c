//! One connection per holder's database, opened (upgraded, and filled from the first
//! version's `localStorage` on first use) once and shared; given up at once when a newer
//! build in another tab upgrades the schema, so that its upgrade is not blocked.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use indexed_db_futures::database::Database;

use super::db::{DB_VERSION, upgrade};
use super::legacy::{forget_version_1_pull_position, migrate_local_storage};
use crate::storage_error::StorageError;

// A page holds a database or two: plain lists, searched in turn (no map's code in the client).
thread_local! {
    /// Open connections by database name.
    static OPEN: RefCell<Vec<(String, Database)>> = const { RefCell::new(Vec::new()) };
    /// Databases being opened.
    static OPENING: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Databases a newer build upgraded: this page's code is out of date for them.
    static OUTDATED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Until when (`Date.now()` ms) this page is leaving for another: no database is opened.
    static LEAVING_UNTIL: Cell<f64> = const { Cell::new(0.0) };
}

/// How long [`settle`] waits for databases being opened, and how long afterwards a page that
/// did not go away after all (the next page failed to load) waits before opening again.
const SETTLE_MS: f64 = 10_000.0;

/// The page stays after all (the next page did not load, or this one came back): databases
/// open again.
pub fn stay() {
    LEAVING_UNTIL.with(|l| l.set(0.0));
}

/// Whether a database is being opened (or created) in this page.
pub fn opening() -> bool {
    OPENING.with(|o| !o.borrow().is_empty())
}

/// Call before this page is left for another (another bundle's page): waits for the databases
/// being opened, closes every connection, and opens none until the page has gone. A page left
/// in the middle of opening — the first opening creates the database's stores — keeps that
/// database from opening in the next page, for good (seen in Chromium, whose next page waited
/// for the abandoned upgrade forever).
pub async fn settle() {
    let start = crate::clock::now_ms();
    LEAVING_UNTIL.with(|l| l.set(start + SETTLE_MS));
    while opening() && crate::clock::now_ms() < start + SETTLE_MS {
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    LEAVING_UNTIL.with(|l| l.set(crate::clock::now_ms() + SETTLE_MS));
    for (_, db) in OPEN.with(|o| std::mem::take(&mut *o.borrow_mut())) {
        db.close();
    }
}

/// Removes the open connection named `name` from `open`, if any.
fn take(open: &mut Vec<(String, Database)>, name: &str) -> Option<Database> {
    let at = open.iter().position(|(n, _)| n == name)?;
    Some(open.swap_remove(at).1)
}

/// Adds `name` to `names` unless it is there; whether it was added.
fn add(names: &mut Vec<String>, name: &str) -> bool {
    let new = !names.iter().any(|n| n == name);
    if new {
        names.push(name.to_owned());
    }
    new
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
        let db = OPEN.with(|o| {
            let open = o.borrow();
            open.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, db)| db.clone())
        });
        if let Some(db) = db {
            return Ok(db);
        }
        let leaving = LEAVING_UNTIL.with(Cell::get) > crate::clock::now_ms();
        // One opening (and migration) at a time per database; the others wait for it.
        if !leaving && OPENING.with(|o| add(&mut o.borrow_mut(), &name)) {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    let opened = open_new(holder, &name).await;
    OPENING.with(|o| o.borrow_mut().retain(|n| *n != name));
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
            OPEN.with(|o| take(&mut o.borrow_mut(), &forget));
            if let Some(event) = event {
                if event.new_version().is_some() {
                    OUTDATED.with(|o| add(&mut o.borrow_mut(), &forget));
                }
                changes.db().clone().close();
            }
        });
    }
    OPEN.with(|o| {
        let mut open = o.borrow_mut();
        take(&mut open, name);
        open.push((name.to_owned(), db.clone()));
    });
    migrate_local_storage(&db, holder).await?;
    if upgraded_from.get() == Some(1) {
        forget_version_1_pull_position(&db).await?;
    }
    Ok(db)
}

/// Forgets the open connection of `holder` (tests delete databases).
pub fn close(holder: &str) {
    if let Some(db) = OPEN.with(|o| take(&mut o.borrow_mut(), &db_name(holder))) {
        db.close();
    }
}
