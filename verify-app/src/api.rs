//! The verification page's HTTP calls, the only module that calls `fetch`: each a same-origin
//! `GET` (the browser adds the session cookie when there is one), never cached, with a timeout.

use gloo_net::http::Request;
use web_sys::RequestCache;

/// How long a call may take before the server counts as unreachable.
pub const TIMEOUT_MS: u32 = 8_000;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No answer: offline, server down, timed out.
    Network,
    /// The server answered with this error status.
    Status(u16),
}

/// `GET path`: the answer's text when it is a success.
pub async fn get_text(path: &str) -> Result<String, ApiError> {
    let signal = web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS);
    let response = Request::get(path)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal))
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if !response.ok() {
        return Err(ApiError::Status(response.status()));
    }
    response.text().await.map_err(|_| ApiError::Network)
}
