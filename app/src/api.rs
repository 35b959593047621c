//! The typed HTTP client: the only module that builds URLs or calls `fetch`.

use gloo_net::http::Request;
use protocol::{ErrorBody, HealthResponse};
use web_sys::RequestCache;

/// How long a reachability probe may take before the server counts as unreachable.
pub const PROBE_TIMEOUT_MS: u32 = 5_000;

/// Why a call to the server failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: offline, server down, timed out.
    Network(String),
    /// The server answered with an error status (and, usually, an [`ErrorBody`]).
    Status {
        status: u16,
        body: Option<ErrorBody>,
    },
    /// The answer did not have the expected form.
    Decode(String),
}

/// `GET /api/health`, bypassing every cache, with a timeout.
pub async fn health() -> Result<HealthResponse, ApiError> {
    let signal = web_sys::AbortSignal::timeout_with_u32(PROBE_TIMEOUT_MS);
    let response = Request::get(protocol::HEALTH_PATH)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if !response.ok() {
        return Err(ApiError::Status {
            status: response.status(),
            body: response.json::<ErrorBody>().await.ok(),
        });
    }
    response
        .json::<HealthResponse>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}
