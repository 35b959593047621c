//! **Push**: the signed-in holder's pending items, in sequence order, in batches of at most
//! [`protocol::identity::MAX_SUBMISSIONS`], with the session's CSRF token. Every verdict is
//! stored (one transaction per batch) before the next batch goes; a rejection is a verdict like
//! any other and never holds the queue, except `try_later` (the server failed on that envelope
//! alone and kept nothing): it stays pending and goes again after the backoff. A batch the
//! server fails on (500) is sent again one envelope at a time, so that only the envelope it
//! cannot handle waits. No answer keeps
//! the items pending (the server answers a repeat with its first verdict, so sending again is
//! safe); a 401 means the session expired: the items stay and the interface asks the holder to
//! sign in again.
//!
//! The holder's signed decisions ([`QueuedDecision`]) go one request each, to
//! `POST /api/decisions`. Applications and decisions share one sequence: they are sent in the
//! order the key signed them ([`in_signing_order`]), since the server holds a signature whose
//! counter is below one it has already seen.

use leptos::prelude::*;
use protocol::identity::SubmitRequest;

use super::outcome::{Outcome, api_failed, storage_failed};
use super::reload::still;
use super::tabs::{self, Notice};
use crate::applications::decision::{self, QueuedDecision};
use crate::applications::outbox::{self, ItemStatus, OutboxItem};
use crate::state::AppContext;
use crate::store;

/// What goes next: a run of applications signed one after the other (sent in batches), or
/// one decision.
#[derive(Debug, PartialEq)]
enum Run {
    Applications(Vec<OutboxItem>),
    Decision(Box<QueuedDecision>),
}

/// The pending applications and decisions, each list in sequence order, merged into the
/// order they were signed.
fn in_signing_order(applications: Vec<OutboxItem>, decisions: Vec<QueuedDecision>) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut applications = applications.into_iter().peekable();
    let mut decisions = decisions.into_iter().peekable();
    loop {
        let application_first = match (applications.peek(), decisions.peek()) {
            (None, None) => return runs,
            (Some(a), Some(d)) => a.sequence < d.sequence,
            (Some(_), None) => true,
            (None, Some(_)) => false,
        };
        if application_first {
            let limit = decisions.peek().map_or(u64::MAX, |d| d.sequence);
            let mut run = Vec::new();
            while let Some(item) = applications.next_if(|a| a.sequence < limit) {
                run.push(item);
            }
            runs.push(Run::Applications(run));
        } else if let Some(decision) = decisions.next() {
            runs.push(Run::Decision(Box::new(decision)));
        }
    }
}

/// Sends the pending applications and decisions of `holder` and stores the verdicts.
pub async fn push(context: AppContext, holder: &str, csrf_token: &str) -> Outcome {
    let (items, decisions) = match (store::outbox(holder).await, store::decisions(holder).await) {
        (Ok(items), Ok(decisions)) => (items, decisions),
        (Err(e), _) | (_, Err(e)) => return storage_failed(context, e),
    };
    let runs = in_signing_order(
        outbox::pending_of(&items, holder),
        decision::pending_decisions(&decisions, holder),
    );
    let mut outcome = Outcome::Done;
    for run in runs {
        let sent = match run {
            Run::Applications(items) => {
                send_applications(context, holder, csrf_token, &items).await
            }
            Run::Decision(queued) => send_decision(context, holder, csrf_token, *queued).await,
        };
        match sent {
            Outcome::Done => {}
            // The one the server fails on waits; the others still go.
            Outcome::ServerFailed => outcome = Outcome::ServerFailed,
            other => return other,
        }
    }
    outcome
}

/// Sends `pending` applications in batches; a batch the server fails on goes again one
/// envelope at a time.
async fn send_applications(
    context: AppContext,
    holder: &str,
    csrf_token: &str,
    pending: &[OutboxItem],
) -> Outcome {
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
    if try_later(verdict.code.as_deref()) {
        return server_failed_on(context, verdict.message, &verdict.message_en);
    }
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
    let mut outcome = Outcome::Done;
    for (index, verdict) in response.verdicts.iter().enumerate() {
        if try_later(verdict.code.as_deref()) {
            // The server failed on this one alone and kept nothing: it stays pending.
            outcome = server_failed_on(context, verdict.message.clone(), &verdict.message_en);
            continue;
        }
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
    outcome
}

/// Whether a verdict's code is the server's "failed on this one alone, send it again later"
/// ([`protocol::identity::TRY_LATER`]): not a verdict to keep.
fn try_later(code: Option<&str>) -> bool {
    code == Some(protocol::identity::TRY_LATER)
}

/// The server failed on one item alone: its reason (in the interface's language) shown as the
/// round's problem, and the round retried with backoff.
fn server_failed_on(
    context: AppContext,
    message: Option<String>,
    message_en: &Option<String>,
) -> Outcome {
    let english = message_en
        .clone()
        .filter(|_| context.lang.get_untracked() == crate::i18n::Lang::En);
    if let Some(text) = english.or(message) {
        context
            .sync_problem
            .set(Some(crate::state::SyncProblem::Server(text)));
    }
    Outcome::ServerFailed
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::identity::SignedSubmission;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn submission() -> SignedSubmission {
        SignedSubmission {
            envelope: "ZQ".into(),
            credential_id: "Yw".into(),
            client_data_json: "ZA".into(),
            authenticator_data: "YQ".into(),
            signature: "cw".into(),
        }
    }

    fn application(sequence: u64) -> OutboxItem {
        OutboxItem {
            application_id: format!("a-{sequence}"),
            kind: "quota_use".into(),
            summary: String::new(),
            sequence,
            signer: "h".into(),
            signed_at: "2026-11-28T09:00:00Z".into(),
            submission: submission(),
            status: ItemStatus::Pending,
            revised_by: None,
        }
    }

    fn decision(sequence: u64) -> QueuedDecision {
        QueuedDecision {
            decision_id: format!("d-{sequence}"),
            application_id: "a-1".into(),
            unit_id: "u".into(),
            kind: domain::ApplicationKind::QuotaUse,
            action: domain::Action::Withdraw,
            note: String::new(),
            signer: "h".into(),
            signed_at: "2026-11-28T09:00:00Z".into(),
            sequence,
            submission: submission(),
            status: ItemStatus::Pending,
            application_status: None,
            number: None,
        }
    }

    #[wasm_bindgen_test]
    fn what_one_key_signed_is_sent_in_the_order_it_was_signed() {
        // Signed: application 1, 2, a withdrawal (3), application 4, two decisions (5, 6).
        let runs = in_signing_order(
            vec![application(1), application(2), application(4)],
            vec![decision(3), decision(5), decision(6)],
        );
        assert_eq!(
            runs,
            [
                Run::Applications(vec![application(1), application(2)]),
                Run::Decision(Box::new(decision(3))),
                Run::Applications(vec![application(4)]),
                Run::Decision(Box::new(decision(5))),
                Run::Decision(Box::new(decision(6))),
            ]
        );
        assert!(in_signing_order(Vec::new(), Vec::new()).is_empty());
    }
}
