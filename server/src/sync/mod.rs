//! Sync, server side: the client pulls the confirmed state of its holder's scope, page by page,
//! with an opaque cursor (`docs/DESIGN.md` §3: by server version, never by client clock).
//!
//! - [`pull`]: `GET /api/sync/pull` — a snapshot of the scope on a first sync or after a reset,
//!   then the changes recorded in the change log ([`crate::db::changes`]).
//! - [`cursor`]: the cursor's format, strictly decoded, and when it is still usable.
//! - the units a holder may read (`Grant::may_read`) as an indexed SQL condition:
//!   [`crate::db::scope`].
//!
//! Pushing (signed applications and decisions) is `POST /api/envelopes` and `/api/decisions`
//! in [`crate::identity`].

pub mod cursor;
pub mod pull;

use axum::Router;
use axum::routing::get;
use tower_http::compression::{CompressionLayer, CompressionLevel};

use crate::state::AppState;

/// The routes under `/api` that this module serves.
///
/// A pull page is large (a certificate's people are most of it: about 5 MB of JSON per 10,000
/// records) and made anew for every request: it is gzipped at the fastest level, which keeps
/// most of the saving for a fraction of the default level's time (the router's own gzip layer
/// leaves a response that is already encoded alone).
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/sync/pull",
        get(pull::pull).layer(
            CompressionLayer::new()
                .gzip(true)
                .quality(CompressionLevel::Fastest),
        ),
    )
}
