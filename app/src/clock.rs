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
