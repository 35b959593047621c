//! The bureaus' published document keys as this computer holds them: the answer of
//! `GET /api/document-keys`, kept in `localStorage` with the time it was fetched, so that a
//! document is verified offline from its QR content alone.

use crate::api;

/// Where the keys' JSON is kept.
pub const KEYS_KEY: &str = "staffing.verify.keys";
/// Where the time they were fetched is kept (RFC 3339, UTC).
pub const SYNCED_KEY: &str = "staffing.verify.keys_synced_at";

/// The keys held and when they were fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldKeys {
    /// The JSON text of `GET /api/document-keys`.
    pub json: String,
    /// When it was fetched (RFC 3339, UTC).
    pub synced_at: String,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The keys kept on this computer, if any.
pub fn held() -> Option<HeldKeys> {
    let storage = storage()?;
    let json = storage.get_item(KEYS_KEY).ok().flatten()?;
    let synced_at = storage
        .get_item(SYNCED_KEY)
        .ok()
        .flatten()
        .unwrap_or_default();
    Some(HeldKeys { json, synced_at })
}

/// Fetches the published keys and keeps them (only an answer that reads as keys is kept);
/// offline, or on any failure, what is held. Answers whether the server answered, and the keys.
pub async fn refresh() -> (bool, Option<HeldKeys>) {
    match api::get_text(crate::check::KEYS_PATH).await {
        Ok(json) if crate::check::keys_are_readable(&json) => {
            let synced_at = String::from(js_sys::Date::new_0().to_iso_string());
            if let Some(storage) = storage() {
                let _ = storage.set_item(KEYS_KEY, &json);
                let _ = storage.set_item(SYNCED_KEY, &synced_at);
            }
            (true, Some(HeldKeys { json, synced_at }))
        }
        Ok(_) | Err(api::ApiError::Status(_)) => (true, held()),
        Err(api::ApiError::Network) => (false, held()),
    }
}

/// An RFC 3339 UTC time as Beijing time, `2026-05-01 16:00` (what the page shows); a date
/// alone stays as it is.
pub fn beijing_time(rfc3339: &str) -> String {
    if !rfc3339.contains('T') {
        return rfc3339.to_owned();
    }
    let date = js_sys::Date::new(&rfc3339.into());
    let ms = date.get_time();
    if ms.is_nan() {
        return rfc3339.to_owned();
    }
    let shifted = js_sys::Date::new(&(ms + 8.0 * 3_600_000.0).into());
    let iso = String::from(shifted.to_iso_string());
    iso.get(..16).map(|s| s.replace('T', " ")).unwrap_or(iso)
}
