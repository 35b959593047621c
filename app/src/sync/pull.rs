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
