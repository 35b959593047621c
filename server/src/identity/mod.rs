//! Key holders and their security keys (使用人员备案), sign-in sessions, and the signed
//! applications they submit.
//!
//! - [`holders`]: creating key holders with a one-time enrolment code (stored hashed).
//! - [`keys`]: the WebAuthn ceremonies — enrolling a key, signing in — and revoking a key.
//! - [`session`]: the session cookie, the [`session::Session`] extractor that every protected
//!   handler takes (denied by default), CSRF and origin checks.
//! - [`envelopes`]: `POST /api/envelopes` — verification ([`crate::signing`]), scope, replay,
//!   verdicts kept with the raw bytes.
//! - [`decisions`]: `POST /api/decisions` — signed decisions (endorse, approve, return, reject)
//!   verified the same way, applied through the domain lifecycle and ledger.
//! - [`units`]: reading a certificate within the holder's scope.
//! - [`rate_limit`]: per-address limits on enrolment and sign-in.
//! - [`secrets`]: random tokens and the hashes secrets are stored by.
//! - [`verdicts`]: what envelopes and decisions share once verified.

pub mod decisions;
pub mod envelopes;
pub mod holders;
pub mod keys;
pub mod rate_limit;
pub mod secrets;
pub mod session;
pub mod units;
pub mod verdicts;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::state::{AppState, IdentityState};

pub use holders::{create_holder, issue_code};

/// Builds what the identity handlers share from the configuration.
pub fn state(config: &crate::config::Config) -> anyhow::Result<Arc<IdentityState>> {
    keys::build(config).map(Arc::new)
}

/// The routes under `/api` that this module serves.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enrolment/begin", post(keys::enrol_begin))
        .route("/enrolment/finish", post(keys::enrol_finish))
        .route("/session/begin", post(keys::sign_in_begin))
        .route("/session/finish", post(keys::sign_in_finish))
        .route("/session", get(session::current).delete(session::sign_out))
        .route("/holders", post(holders::create))
        .route("/holders/enrolment", post(holders::new_enrolment_code))
        .route("/credentials/revoke", post(keys::revoke))
        .route("/envelopes", post(envelopes::submit))
        .route("/decisions", post(decisions::decide))
        .route("/units/{id}/certificate", get(units::certificate))
}
