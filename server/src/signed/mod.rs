//! Signed documents (签名文书): what a holder's security key signs offline and the server
//! receives, verifies, judges and keeps.
//!
//! - [`verify`]: the pure verification of a signed document — parsed once from the bytes as
//!   received, challenge, clientDataJSON, authenticatorData, signature, counter.
//! - [`refusal`]: [`refusal::Refusal`], every reason a signed document is refused, each with
//!   its code, Chinese and English message, written once.
//! - [`receiver`]: the one pipeline every signed document goes through (transaction, repeat,
//!   verification, counter, judgement, effects, receipt, audit, commit) and
//!   [`receiver::SignedKind`], what a kind of document adds to it.
//! - the kinds: [`application`] (`POST /api/envelopes`, a clerk's signed application) and
//!   [`decision`] (`POST /api/decisions`, endorse, approve, return, reject, the clerk's
//!   withdraw); [`effects`], what an approval does to its unit (also applied at start for
//!   approvals an earlier server left unapplied); [`lapse`], slips whose validity ended unused.

pub mod act;
pub mod application;
pub mod decision;
pub mod effects;
pub mod lapse;
pub mod receiver;
pub mod refusal;
pub mod verify;

use axum::Router;
use axum::routing::post;

use crate::state::AppState;

/// The routes under `/api` that this module serves.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/envelopes", post(application::submit))
        .route("/decisions", post(decision::decide))
        .route("/acts", post(act::submit))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_endpoints_are_in_the_api_documentation() {
        let doc = include_str!("../../../docs/API.md");
        assert!(doc.contains("`POST /api/envelopes`"));
        assert!(doc.contains("`POST /api/decisions`"));
    }
}
