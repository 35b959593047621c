//! How a push or pull ended, and what a failure means for the round: tell the interface, and
//! retry with backoff, or wait for the holder.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::state::{AppContext, SyncProblem};
use crate::storage_error::StorageError;

/// How a round (or a part of it) ended.
pub enum Outcome {
    Done,
    /// Unreachable, or a transient refusal: retry with backoff.
    Retry,
    /// The server failed on the request itself (500): retry with backoff, and a batch is
    /// first split, so that one envelope the server cannot handle holds up only itself.
    ServerFailed,
    /// Nothing to retry until the holder acts (sign in again).
    Stop,
}

/// The store failed: say so (nothing is reported as saved), and retry.
pub fn storage_failed(context: AppContext, e: StorageError) -> Outcome {
    context.sync_problem.set(Some(SyncProblem::Storage(e)));
    Outcome::Retry
}

/// The server did not take the request: what to tell, and whether to retry.
pub fn api_failed(context: AppContext, e: ApiError) -> Outcome {
    if e.is_csrf_refused() {
        // Signed in again in another tab: a new session, a new token.
        crate::session::refresh_in_background(context.session);
        Outcome::Retry
    } else if e.is_unauthorized() {
        context.sync_problem.set(Some(SyncProblem::SessionExpired));
        Outcome::Stop
    } else if e.is_network() || e.is_unreachable() {
        // Nothing to tell beyond the connectivity badge, which says so now.
        crate::connectivity::mark_unreachable(context.connectivity);
        Outcome::Retry
    } else {
        context.sync_problem.set(Some(SyncProblem::Server(
            e.text(context.lang.get_untracked()),
        )));
        if e.is_server_failure() {
            Outcome::ServerFailed
        } else {
            Outcome::Retry
        }
    }
}
