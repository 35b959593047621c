//! The server's clock, in the domain's `Timestamp`: [`now`], the system's, and [`Clock`], the
//! one the rules of time read (signed documents' windows, approval dates, slips that lapse,
//! filing deadlines), which a test can set forward ([`Clock::advance_days`]).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::{SystemTime, UNIX_EPOCH};

use domain::{Date, HolidayCalendar, Timestamp};

/// Now, in UTC, to the second.
pub fn now() -> Timestamp {
    at_offset(0)
}

fn at_offset(offset_seconds: i64) -> Timestamp {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .saturating_add(offset_seconds);
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

/// The working-day calendar of filing deadlines (official holidays and make-up working days).
pub fn calendar() -> &'static HolidayCalendar {
    static CALENDAR: LazyLock<HolidayCalendar> = LazyLock::new(HolidayCalendar::prc_official);
    &CALENDAR
}

/// The clock of the rules: the system's, set forward by an offset that only tests change.
/// Clones share the offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    /// Now, by this clock.
    pub fn now(&self) -> Timestamp {
        at_offset(self.offset_seconds.load(Ordering::Relaxed))
    }

    /// Today in Beijing time, by this clock.
    pub fn today(&self) -> Date {
        self.now().date_in_china()
    }

    /// Sets the clock `days` days further forward (for tests: slips that lapse, deadlines).
    pub fn advance_days(&self, days: i64) {
        self.offset_seconds
            .fetch_add(days.saturating_mul(86_400), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_set_forward_is_shared_by_its_clones() {
        let clock = Clock::default();
        let copy = clock.clone();
        let before = copy.today();
        clock.advance_days(100);
        assert!(copy.today().days_since_epoch() - before.days_since_epoch() >= 99);
    }
}
