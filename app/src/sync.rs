//! Sending the outbox: the signed-in holder's pending applications, in sequence order, with
//! the session's CSRF token. It runs when the server becomes reachable, every
//! [`RETRY_INTERVAL_MS`] while something is pending, and right after signing.
//!
//! No answer keeps the items pending (the server answers a repeat with its first verdict, so
//! sending again is safe); a 401 means the session expired: the items stay and the interface
//! asks the holder to sign in again.

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::identity::SubmitRequest;

use crate::AppContext;
use crate::connectivity::Connectivity;
use crate::i18n::{Lang, Msg};
use crate::local::StorageError;
use crate::outbox::{self, ItemStatus};

/// How often pending items are retried.
pub const RETRY_INTERVAL_MS: u32 = 5_000;

/// Why the last attempt to send did not go through.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncProblem {
    /// HTTP 401: sign in again; the items are kept.
    SessionExpired,
    /// The server refused the batch (its message).
    Server(String),
    /// Verdicts came back but could not be stored.
    Storage(StorageError),
}

impl SyncProblem {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            SyncProblem::SessionExpired => Msg::SessionExpired.text(lang).to_owned(),
            SyncProblem::Server(message) => format!("{}{message}", Msg::SyncServer.text(lang)),
            SyncProblem::Storage(e) => crate::local::storage_text(e, lang),
        }
    }
}

thread_local! {
    /// Whether a send is under way (one at a time).
    static SENDING: Cell<bool> = const { Cell::new(false) };
}

/// Sends in the background.
pub fn kick(context: AppContext) {
    spawn_local(flush(context));
}

/// Sends the pending items once, unless a send is already running.
pub async fn flush(context: AppContext) {
    if SENDING.with(|s| s.replace(true)) {
        return;
    }
    send_pending(context).await;
    SENDING.with(|s| s.set(false));
}

async fn send_pending(context: AppContext) {
    let Some(session) = context.session.get_untracked() else {
        return;
    };
    let pending = outbox::pending_of(&context.outbox.get_untracked(), &session.holder.id);
    if pending.is_empty() {
        return;
    }
    // In sequence order, at most the server's batch size per request; a failure stops the
    // round (what was sent keeps its verdicts, the rest stays pending for the next try).
    for batch in pending.chunks(protocol::identity::MAX_SUBMISSIONS) {
        if !send_batch(context, &session.csrf_token, batch).await {
            break;
        }
    }
}

/// Sends one batch and records its verdicts; `false` when the round should stop.
async fn send_batch(context: AppContext, csrf_token: &str, batch: &[outbox::OutboxItem]) -> bool {
    let request = SubmitRequest {
        submissions: batch.iter().map(|i| i.submission.clone()).collect(),
    };
    match crate::api::submit(csrf_token, &request).await {
        Ok(response) => {
            let mut changes = Vec::new();
            for (index, verdict) in response.verdicts.iter().enumerate() {
                let item = verdict
                    .application_id
                    .as_ref()
                    .and_then(|id| batch.iter().find(|i| &i.application_id == id))
                    .or_else(|| batch.get(index));
                if let Some(item) = item {
                    changes.push((
                        item.application_id.clone(),
                        ItemStatus::from_verdict(verdict),
                    ));
                }
            }
            match outbox::update(&changes) {
                Ok(items) => {
                    context.outbox.set(items);
                    context.sync_problem.set(None);
                    true
                }
                Err(e) => {
                    context.sync_problem.set(Some(SyncProblem::Storage(e)));
                    false
                }
            }
        }
        Err(e) if e.is_unauthorized() => {
            context.sync_problem.set(Some(SyncProblem::SessionExpired));
            false
        }
        // Unreachable: try again later, nothing to tell beyond the connectivity badge.
        Err(e) if e.is_network() => false,
        Err(e) => {
            context.sync_problem.set(Some(SyncProblem::Server(
                e.text(context.lang.get_untracked()),
            )));
            false
        }
    }
}

/// Sends whenever the server becomes reachable and on a timer while items are pending, for
/// the life of the page.
pub fn watch(context: AppContext) {
    Effect::new(move |was_online: Option<bool>| {
        let online = context.connectivity.get() == Connectivity::Online;
        if online && was_online != Some(true) {
            kick(context);
        }
        online
    });
    spawn_local(async move {
        loop {
            gloo_timers::future::TimeoutFuture::new(RETRY_INTERVAL_MS).await;
            let any_pending = context
                .outbox
                .with_untracked(|items| items.iter().any(|i| i.status == ItemStatus::Pending));
            if any_pending {
                flush(context).await;
            }
        }
    });
}
