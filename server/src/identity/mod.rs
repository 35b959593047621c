//! Key holders and their security keys (使用人员备案), sign-in sessions, and reading
//! certificates within a holder's scope. What their keys sign is [`crate::signed`].
//!
//! - [`admin`]: the bureau administrator's list of holders and keys, suspension, the
//!   使用人员备案表 of a unit.
//! - [`holders`]: creating key holders with a one-time enrolment code (stored hashed).
//! - [`keys`]: the WebAuthn ceremonies — enrolling a key, signing in — and revoking a key.
//! - [`session`]: the session cookie, the [`session::Session`] extractor that every protected
//!   handler takes (denied by default), CSRF and origin checks.
//! - [`units`]: reading a certificate within the holder's scope.
//! - [`rate_limit`]: per-address limits on enrolment and sign-in.
//! - [`secrets`]: random tokens and the hashes secrets are stored by.

pub mod admin;
pub mod holders;
pub mod keys;
pub mod rate_limit;
pub mod secrets;
pub mod session;
pub mod units;

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
        .route("/holders", get(admin::list).post(holders::create))
        .route("/holders/{id}", get(admin::holder))
        .route("/holders/{id}/suspend", post(admin::suspend))
        .route("/holders/{id}/reinstate", post(admin::reinstate))
        .route("/units/{id}/holder-register", get(admin::register))
        .route("/verification", get(admin::verification))
        .route("/holders/enrolment", post(holders::new_enrolment_code))
        .route("/credentials/revoke", post(keys::revoke))
        .route("/units/{id}/certificate", get(units::certificate))
}
