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
//! - [`verdicts`]: what envelopes and decisions share once verified.

pub mod decisions;
pub mod envelopes;
pub mod holders;
pub mod keys;
pub mod rate_limit;
pub mod session;
pub mod units;
pub mod verdicts;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::startup::AppState;

pub use holders::{create_holder, issue_code};

/// What the identity handlers share, built once at start.
pub struct IdentityState {
    pub webauthn: webauthn_rs::Webauthn,
    /// `Some` in production: the accepted attestation roots.
    pub attestation_cas: Option<webauthn_rs::prelude::AttestationCaList>,
    pub policy: crate::signing::VerifyPolicy,
    pub limiter: rate_limit::RateLimiter,
    /// Random per process: derives the decoy key ids answered for unknown logins.
    pub decoy_secret: [u8; 32],
}

/// Builds the shared state from the configuration.
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

/// 32 random bytes, base64url: session tokens, CSRF tokens, ceremony ids.
pub fn random_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("the system random source failed: {e}"))?;
    Ok(domain::canonical::base64url(&bytes))
}

/// Hex SHA-256, for storing secrets (codes, tokens) by their hash only.
pub fn hash_secret(secret: &str) -> String {
    domain::canonical::hex(&domain::canonical::sha256(secret.as_bytes()))
}

/// Seconds since the epoch, as stored in the identity tables.
pub fn unix_now() -> i64 {
    crate::clock::now().unix_seconds()
}
