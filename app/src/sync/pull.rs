//! **Pull**: pages after the stored cursor until `complete`, each applied with its cursor in
//! one transaction ([`store::apply_page`]); progress is shown while a snapshot arrives. A page
//! for another holder than the one signed in here is never applied.

use leptos::prelude::*;

use super::outcome::{Outcome, api_failed, storage_failed};
use super::reload::{load_from_store, still};
use super::tabs::{self, Notice};
use crate::state::AppContext;
use crate::store;

/// Pulls `holder`'s scope into the store until caught up.
pub async fn pull(context: AppContext, holder: &str) -> Outcome {
    let mut cursor = match store::cursor(holder).await {
        Ok(cursor) => cursor,
        Err(e) => return storage_failed(context, e),
    };
    let first = cursor.is_none();
    if first {
        mark("staffing.pull.start");
    }
    let mut changed = false;
    loop {
        let page = match crate::api::pull(cursor.as_deref()).await {
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
        if let Err(e) = store::apply_page(holder, &page, &now).await {
            return storage_failed(context, e);
        }
        changed |= page.reset || !page.changes.is_empty();
        cursor = Some(page.cursor);
        if page.complete {
            break;
        }
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

fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}
