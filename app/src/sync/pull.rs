//! **Pull**: pages after the stored cursor until `complete`, each applied with its cursor in
//! one transaction ([`store::apply_page`]), the next one requested while the last is written;
//! progress is shown while a snapshot arrives. A page for another holder than the one signed
//! in here is never applied.

use leptos::prelude::*;

use super::outcome::{Outcome, api_failed, storage_failed};
use super::reload::{load_from_store, still};
use super::tabs::{self, Notice};
use crate::clock::mark;
use crate::state::AppContext;
use crate::store;

/// Pulls `holder`'s scope into the store until caught up.
pub async fn pull(context: AppContext, holder: &str) -> Outcome {
    let cursor = match store::cursor(holder).await {
        Ok(cursor) => cursor,
        Err(e) => return storage_failed(context, e),
    };
    let first = cursor.is_none();
    if first {
        mark("staffing.pull.start");
    }
    let mut changed = false;
    let mut fetched = crate::api::pull(cursor.as_deref()).await;
    loop {
        let page = match fetched {
            Ok(page) => page,
            Err(e) => return api_failed(context, e),
        };
        if page.holder_id != holder || !still(context, holder) {
            // The browser's session is another holder's (changed in another tab): learn who is
            // signed in; this holder's store is left as it was.
            crate::session::refresh_in_background(context.session);
            return Outcome::Stop;
        }
        if !page.complete || page.progress.is_some() {
            context.sync.update(|s| s.progress = page.progress);
        }
        let now = crate::clock::now()
            .map(|t| t.to_string())
            .unwrap_or_default();
        changed |= page.reset || !page.changes.is_empty();
        keep_document_keys(&page.document_keys, &now);
        keep_document_statuses(&page.changes, &now);
        if page.complete {
            if let Err(e) = store::apply_page(holder, &page, &now).await {
                return storage_failed(context, e);
            }
            break;
        }
        // The next page is asked for (its cursor is this page's) while this one is decoded
        // and written; it is applied only once this one is committed.
        let (next, applied) = futures::future::join(
            crate::api::pull(Some(&page.cursor)),
            store::apply_page(holder, &page, &now),
        )
        .await;
        if let Err(e) = applied {
            return storage_failed(context, e);
        }
        fetched = next;
    }
    if first {
        // A first pull, for `cargo xtask bench` (`performance.getEntriesByName`).
        mark("staffing.pull.end");
    }
    if changed {
        load_from_store(context, holder).await;
        tabs::announce(Notice::Changed);
        crate::persistence::refresh(context.storage);
    } else {
        // Only the time of the last sync moved.
        match store::last_sync(holder).await {
            Ok(last) => context.sync.update(|s| s.last_sync = last),
            Err(e) => return storage_failed(context, e),
        }
        tabs::announce(Notice::Synced);
    }
    Outcome::Done
}

/// Where the bureaus' published document keys of the last pull are kept, with the time, for
/// the verification page at `/verify/` (same origin: it verifies offline with them). Public
/// keys, so `localStorage` is fine; the verification page writes the same keys when it fetches
/// them itself.
pub const DOCUMENT_KEYS: &str = "staffing.verify.keys";
/// When they were kept (RFC 3339, UTC).
pub const DOCUMENT_KEYS_SYNCED: &str = "staffing.verify.keys_synced_at";

/// Where the verification page finds a document's status as of the last sync (offline): the
/// key is followed by the document's number, the value is `<status code> <time>` — the same
/// record the page keeps of a status it was shown online.
pub const DOCUMENT_STATUS: &str = "staffing.verify.status.";

/// Keeps the status of every document this pull carries for the verification page, so that
/// offline it answers "status as of the last sync" for the documents of this holder's scope.
fn keep_document_statuses(changes: &[protocol::sync::Change], now: &str) {
    for change in changes {
        if let protocol::sync::Change::Application {
            document: Some(signed),
            ..
        } = change
        {
            // A failure only leaves the page without this status (it says it has none).
            let _ = crate::local_storage::set(
                &format!("{DOCUMENT_STATUS}{}", signed.number),
                &format!("{} {now}", signed.status),
            );
        }
    }
}

fn keep_document_keys(keys: &[protocol::documents::DocumentKey], now: &str) {
    if keys.is_empty() {
        return;
    }
    let kept = protocol::documents::DocumentKeys {
        keys: keys.to_vec(),
    };
    // A failure only leaves the verification page with the keys it had.
    if crate::local_storage::set_json(DOCUMENT_KEYS, &kept).is_ok() {
        let _ = crate::local_storage::set(DOCUMENT_KEYS_SYNCED, now);
    }
}
