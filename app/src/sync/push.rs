//! **Push**: the signed-in holder's pending items, in sequence order, in batches of at most
//! [`protocol::identity::MAX_SUBMISSIONS`], with the session's CSRF token. Every verdict is
//! stored (one transaction per batch) before the next batch goes; a rejection is a verdict like
//! any other and never holds the queue, and a batch the server fails on (500) is sent again
//! one envelope at a time, so that only the envelope it cannot handle waits. No answer keeps
//! the items pending (the server answers a repeat with its first verdict, so sending again is
//! safe); a 401 means the session expired: the items stay and the interface asks the holder to
//! sign in again.
//!
//! Then the holder's pending decisions ([`QueuedDecision`]), one request each, in the order
//! they were signed: after the applications, so that a withdrawal follows what it withdraws.

use leptos::prelude::*;
use protocol::identity::SubmitRequest;

use super::outcome::{Outcome, api_failed, storage_failed};
use super::reload::still;
use super::tabs::{self, Notice};
use crate::applications::decision::{self, QueuedDecision};
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
    match push_decisions(context, holder, csrf_token).await {
        Outcome::Done => outcome,
        other => other,
    }
}

/// Sends the pending decisions of `holder`, one at a time, and stores each verdict before
/// the next goes. A decision the server fails on (500) waits; the others still go.
async fn push_decisions(context: AppContext, holder: &str, csrf_token: &str) -> Outcome {
    let decisions = match store::decisions(holder).await {
        Ok(decisions) => decisions,
        Err(e) => return storage_failed(context, e),
    };
    let mut outcome = Outcome::Done;
    for queued in decision::pending_decisions(&decisions, holder) {
        match send_decision(context, holder, csrf_token, queued).await {
            Outcome::Done => {}
            Outcome::ServerFailed => outcome = Outcome::ServerFailed,
            other => return other,
        }
    }
    outcome
}

async fn send_decision(
    context: AppContext,
    holder: &str,
    csrf_token: &str,
    queued: QueuedDecision,
) -> Outcome {
    let request = protocol::identity::DecideRequest {
        submission: queued.submission.clone(),
    };
    let verdict = match crate::api::decide(csrf_token, &request).await {
        Ok(verdict) => verdict,
        Err(e) => return api_failed(context, e),
    };
    if !still(context, holder) {
        return Outcome::Stop;
    }
    if let Err(e) = store::add_decision(holder, &queued.judged(&verdict)).await {
        return storage_failed(context, e);
    }
    match store::decisions(holder).await {
        Ok(decisions) => context.decisions.set(decisions),
        Err(e) => return storage_failed(context, e),
    }
    tabs::announce(Notice::Changed);
    Outcome::Done
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
