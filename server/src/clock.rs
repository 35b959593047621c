//! The server's clock, in the domain's `Timestamp`.

use std::time::{SystemTime, UNIX_EPOCH};

use domain::Timestamp;

/// Now, in UTC, to the second.
pub fn now() -> Timestamp {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    // Every second since 1970 up to year 9999 is representable; the epoch is the fallback
    // only for a clock set before 1970.
    Timestamp::from_unix_seconds(seconds)
        .or_else(|| Timestamp::from_unix_seconds(0))
        .unwrap_or_else(|| unreachable!("the epoch is a valid timestamp"))
}

/// Now, in seconds since the epoch: the identity tables (codes, ceremonies, sessions) store
/// their times so.
pub fn unix_now() -> i64 {
    now().unix_seconds()
}
