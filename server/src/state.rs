//! What every handler can reach: the database, the configuration and what the identity
//! handlers share, built once at start ([`crate::startup`]). It sits below the handlers and the
//! router, so that they import it and it imports none of them.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Pool;
use crate::identity::rate_limit::RateLimiter;
use crate::signed::verify::VerifyPolicy;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub config: Arc<Config>,
    pub identity: Arc<IdentityState>,
    /// The clock of the rules (tests set it forward).
    pub clock: Clock,
    /// The bureaus' private document keys, read from the data directory when first needed.
    pub documents: Arc<crate::documents::keyring::Keyring>,
}

/// What the identity and signed-document handlers share (built by `identity::state`).
pub struct IdentityState {
    pub webauthn: webauthn_rs::Webauthn,
    /// `Some` in production: the accepted attestation roots.
    pub attestation_cas: Option<webauthn_rs::prelude::AttestationCaList>,
    pub policy: VerifyPolicy,
    pub limiter: RateLimiter,
    /// Random per process: derives the decoy key ids answered for unknown logins.
    pub decoy_secret: [u8; 32],
}
