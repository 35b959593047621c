//! **Push**: the signed-in holder's pending items, in sequence order, in batches of at most
//! [`protocol::identity::MAX_SUBMISSIONS`], with the session's CSRF token. Every verdict is
//! stored (one transaction per batch) before the next batch goes; a rejection is a verdict like
//! any other and never holds the queue, and a batch the server fails on (500) is sent again
//! one envelope at a time, so that only the envelope it cannot handle waits. No answer keeps
//! the items pending (the server answers a repeat with its first verdict, so sending again is
//! safe); a 401 means the session expired: the items stay and the interface asks the holder to
//! sign in again.

use leptos::prelude::*;
use protocol::identity::SubmitRequest;

use super::outcome::{Outcome, api_failed, storage_failed};
use super::reload::still;
use super::tabs::{self, Notice};
use crate::applications::outbox::{self, ItemStatus, OutboxItem};
use crate::state::AppContext;
use crate::store;

/// Sends the pending items of `holder` and stores the verdicts.
pub async fn push(context: AppContext, holder: &str, csrf_token: &str) -> Outcome {
    let items = match store::outbox(holder).await {
        Ok(items) => items,
        Err(e) => return storage_failed(context, e),
    };
    let pending = outbox::pending_of(&items, holder);
    let mut outcome = Outcome::Done;
    for batch in pending.chunks(protocol::identity::MAX_SUBMISSIONS) {
        match send_batch(context, holder, csrf_token, batch).await {
            Outcome::Done => {}
            Outcome::ServerFailed if batch.len() > 1 => {
                // One at a time, in order: the others go through, the failing one waits.
                for item in batch {
                    match send_batch(context, holder, csrf_token, std::slice::from_ref(item)).await
                    {
                        Outcome::Done => {}
                        Outcome::ServerFailed => outcome = Outcome::ServerFailed,
                        other => return other,
                    }
                }
            }
            other => return other,
        }
    }
    outcome
}

/// Sends one batch and stores its verdicts.
async fn send_batch(
    context: AppContext,
    holder: &str,
    csrf_token: &str,
    batch: &[OutboxItem],
) -> Outcome {
    let request = SubmitRequest {
        submissions: batch.iter().map(|i| i.submission.clone()).collect(),
    };
    let response = match crate::api::submit(csrf_token, &request).await {
        Ok(response) => response,
        Err(e) => return api_failed(context, e),
    };
    if !still(context, holder) {
        // Signed out (or another holder signed in) meanwhile: the verdicts are the server's
        // and come back on a repeat; nothing is written for someone else.
        return Outcome::Stop;
    }
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
    if let Err(e) = store::record_verdicts(holder, &changes).await {
        return storage_failed(context, e);
    }
    if !still(context, holder) {
        return Outcome::Stop;
    }
    match store::outbox(holder).await {
        Ok(items) => context.outbox.set(items),
        Err(e) => return storage_failed(context, e),
    }
    tabs::announce(Notice::Changed);
    Outcome::Done
}
