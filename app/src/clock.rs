//! The browser's clock: now as a domain [`Timestamp`] (what envelopes and the last sync carry)
//! and in milliseconds (what the sync scheduler counts in); performance marks.

use domain::Timestamp;

/// The clock gave no usable time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockError;

/// Now, from the browser's clock, to the second.
pub fn now() -> Result<Timestamp, ClockError> {
    let ms = now_ms();
    if !ms.is_finite() {
        return Err(ClockError);
    }
    // Milliseconds since 1970 as a double; seconds fit an i64 by far.
    Timestamp::from_unix_seconds((ms / 1000.0).floor() as i64).ok_or(ClockError)
}

/// An RFC 3339 UTC instant as people in China read it: Beijing time (UTC+8) to the minute,
/// `2026-12-01 20:34`; the text itself when it is no such instant.
pub fn beijing_time(rfc3339: &str) -> String {
    let Some(shifted) = Timestamp::parse(rfc3339)
        .ok()
        .and_then(|t| Timestamp::from_unix_seconds(t.unix_seconds() + 8 * 3600))
    else {
        return rfc3339.to_owned();
    };
    let minutes = shifted.unix_seconds().rem_euclid(86_400) / 60;
    format!("{} {:02}:{:02}", shifted.date(), minutes / 60, minutes % 60)
}

/// Now in milliseconds since 1970 (`Date.now()`).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Sets the performance mark `name` (`performance.mark`), for `cargo xtask bench`, which reads
/// them with `performance.getEntriesByName`.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn times_are_shown_in_beijing_time() {
        assert_eq!(beijing_time("2026-12-01T12:34:18Z"), "2026-12-01 20:34");
        assert_eq!(beijing_time("2026-12-31T16:05:00Z"), "2027-01-01 00:05");
        assert_eq!(beijing_time("yesterday"), "yesterday");
    }
}
