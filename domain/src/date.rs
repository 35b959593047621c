//! Civil dates (`yyyy-mm-dd`, proleptic Gregorian) and UTC timestamps, written without a date crate.

use crate::error::{Field, ValidationError};

/// A civil date (日期) between 0001-01-01 and 9999-12-31. Serialised as `yyyy-mm-dd`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    // Field order matters: the derived ordering is chronological.
    year: u16,
    month: u8,
    day: u8,
}

labelled_enum! {
    /// A day of the week (星期).
    pub enum Weekday {
        Monday => "monday", "星期一", "Monday";
        Tuesday => "tuesday", "星期二", "Tuesday";
        Wednesday => "wednesday", "星期三", "Wednesday";
        Thursday => "thursday", "星期四", "Thursday";
        Friday => "friday", "星期五", "Friday";
        Saturday => "saturday", "星期六", "Saturday";
        Sunday => "sunday", "星期日", "Sunday";
    }
}

impl Weekday {
    /// Saturday or Sunday.
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }
}

/// Whether `year` is a Gregorian leap year.
pub const fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The number of days in `month` (1..=12) of `year`; 0 for a month out of range.
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

const MIN_DAYS: i64 = -719_162; // 0001-01-01
const MAX_DAYS: i64 = 2_932_896; // 9999-12-31

impl Date {
    /// 0001-01-01, the earliest date.
    pub const MIN: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };
    /// 9999-12-31, the latest date.
    pub const MAX: Date = Date {
        year: 9999,
        month: 12,
        day: 31,
    };

    /// The date, if `year-month-day` exists in the calendar.
    pub const fn from_ymd(year: u16, month: u8, day: u8) -> Option<Date> {
        if year == 0 || year > 9999 || month == 0 || month > 12 {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `yyyy-mm-dd` (exactly ten characters) as the given field.
    pub fn parse_field(s: &str, field: Field) -> Result<Date, ValidationError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(ValidationError::Empty { field });
        }
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(ValidationError::Format {
                field,
                expected: "yyyy-mm-dd",
            });
        }
        let num = |r: core::ops::Range<usize>| {
            b[r].iter()
                .fold(0u16, |acc, c| acc * 10 + u16::from(c - b'0'))
        };
        let (y, m, d) = (num(0..4), num(5..7), num(8..10));
        // m and d are at most 99 here, so the narrowing is lossless.
        Date::from_ymd(y, m as u8, d as u8).ok_or_else(|| ValidationError::ImpossibleDate {
            field,
            value: s.to_owned(),
        })
    }

    /// Parses `yyyy-mm-dd`.
    pub fn parse(s: &str) -> Result<Date, ValidationError> {
        Date::parse_field(s, Field::Date)
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1..=12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1..=31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01, if within 0001-01-01..=9999-12-31.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        if !(MIN_DAYS..=MAX_DAYS).contains(&days) {
            return None;
        }
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date::from_ymd(
            u16::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    }

    /// The date `days` days later (earlier when negative), if still in range.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch().checked_add(days)?)
    }

    /// The next day, if in range.
    pub fn succ(self) -> Option<Date> {
        self.add_days(1)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        other.days_since_epoch() - self.days_since_epoch()
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (index 3 from Monday).
        let idx = (self.days_since_epoch() + 3).rem_euclid(7);
        // idx is in 0..7, so the index is in bounds.
        Weekday::ALL[idx as usize]
    }

    /// The last day of this date's month.
    pub fn end_of_month(self) -> Date {
        Date {
            day: days_in_month(self.year, self.month),
            ..self
        }
    }

    /// The first day of this date's month.
    pub fn start_of_month(self) -> Date {
        Date { day: 1, ..self }
    }

    /// Whole years from `self` (a birth date) to `on`: the age on that day.
    pub fn years_until(self, on: Date) -> i32 {
        let mut years = i32::from(on.year) - i32::from(self.year);
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }

    /// The same day `years` years later; 29 February becomes 28 February in a common year.
    pub fn add_years(self, years: i32) -> Option<Date> {
        let y = u16::try_from(i32::from(self.year).checked_add(years)?).ok()?;
        let day = self.day.min(days_in_month(y, self.month));
        Date::from_ymd(y, self.month, day)
    }

    fn as_string(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl core::fmt::Display for Date {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl core::str::FromStr for Date {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl TryFrom<&str> for Date {
    type Error = ValidationError;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Date::parse(s)
    }
}

impl TryFrom<String> for Date {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Date::parse(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.as_string()
    }
}

/// A UTC instant to the second (时间), serialised as RFC 3339 `yyyy-mm-ddThh:mm:ssZ`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp {
    date: Date,
    seconds_of_day: u32,
}

impl Timestamp {
    /// The instant `unix_seconds` seconds after 1970-01-01T00:00:00Z, if in range.
    pub fn from_unix_seconds(unix_seconds: i64) -> Option<Timestamp> {
        let date = Date::from_days_since_epoch(unix_seconds.div_euclid(86_400))?;
        // rem_euclid by 86 400 fits in u32.
        let seconds_of_day = unix_seconds.rem_euclid(86_400) as u32;
        Some(Timestamp {
            date,
            seconds_of_day,
        })
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(self) -> i64 {
        self.date.days_since_epoch() * 86_400 + i64::from(self.seconds_of_day)
    }

    /// The UTC date.
    pub fn date(self) -> Date {
        self.date
    }

    /// The date in China Standard Time (UTC+8), which is what deadlines are counted in.
    pub fn date_in_china(self) -> Date {
        let shifted = self.unix_seconds() + 8 * 3600;
        Timestamp::from_unix_seconds(shifted).map_or(self.date, |t| t.date)
    }

    /// Parses `yyyy-mm-ddThh:mm:ssZ` (UTC only, no fractions).
    pub fn parse(s: &str) -> Result<Timestamp, ValidationError> {
        let field = Field::Timestamp;
        let bad = ValidationError::Format {
            field,
            expected: "yyyy-mm-ddThh:mm:ssZ",
        };
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
            return Err(bad);
        }
        let date = Date::parse_field(&s[..10], field)?;
        let two = |i: usize| -> Option<u32> {
            let (a, c) = (b[i], b[i + 1]);
            (a.is_ascii_digit() && c.is_ascii_digit())
                .then(|| u32::from(a - b'0') * 10 + u32::from(c - b'0'))
        };
        let (Some(h), Some(m), Some(sec)) = (two(11), two(14), two(17)) else {
            return Err(bad);
        };
        if h > 23 || m > 59 || sec > 59 {
            return Err(ValidationError::ImpossibleDate {
                field,
                value: s.to_owned(),
            });
        }
        Ok(Timestamp {
            date,
            seconds_of_day: h * 3600 + m * 60 + sec,
        })
    }
}

impl core::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let s = self.seconds_of_day;
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date,
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    }
}

impl TryFrom<String> for Timestamp {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Timestamp::parse(&s)
    }
}

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> String {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn parses_real_dates_and_refuses_impossible_ones() {
        assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
        assert!(matches!(
            Date::parse("2023-02-29"),
            Err(ValidationError::ImpossibleDate { .. })
        ));
        assert!(matches!(
            Date::parse("1900-02-29"),
            Err(ValidationError::ImpossibleDate { .. })
        ));
        assert_eq!(d("2000-02-29").day(), 29);
        assert!(matches!(
            Date::parse("2026-13-01"),
            Err(ValidationError::ImpossibleDate { .. })
        ));
        assert!(matches!(
            Date::parse("2026-04-31"),
            Err(ValidationError::ImpossibleDate { .. })
        ));
        assert!(matches!(
            Date::parse("2026-4-1"),
            Err(ValidationError::Format { .. })
        ));
        assert!(matches!(
            Date::parse("2026/04/01"),
            Err(ValidationError::Format { .. })
        ));
        assert!(matches!(
            Date::parse(""),
            Err(ValidationError::Empty { .. })
        ));
        assert!(matches!(
            Date::parse("0000-01-01"),
            Err(ValidationError::ImpossibleDate { .. })
        ));
    }

    #[test]
    fn epoch_round_trip_and_weekdays() {
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("1970-01-01").weekday(), Weekday::Thursday);
        assert_eq!(d("2026-01-01").weekday(), Weekday::Thursday);
        assert_eq!(d("2026-11-27").weekday(), Weekday::Friday);
        assert_eq!(d("2000-01-01").weekday(), Weekday::Saturday);
        for days in [-719_162, -1, 0, 1, 10_957, 20_000, 2_932_896] {
            let date = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days);
        }
        assert_eq!(Date::from_days_since_epoch(2_932_897), None);
        assert_eq!(Date::from_days_since_epoch(-719_163), None);
    }

    #[test]
    fn arithmetic_and_month_ends() {
        assert_eq!(d("2024-02-28").add_days(1), Some(d("2024-02-29")));
        assert_eq!(d("2023-12-31").succ(), Some(d("2024-01-01")));
        assert_eq!(d("2024-03-01").add_days(-1), Some(d("2024-02-29")));
        assert_eq!(d("2024-02-10").end_of_month(), d("2024-02-29"));
        assert_eq!(d("2026-02-10").end_of_month(), d("2026-02-28"));
        assert_eq!(d("2026-06-10").end_of_month(), d("2026-06-30"));
        assert_eq!(d("2026-06-10").start_of_month(), d("2026-06-01"));
        assert_eq!(d("2026-01-01").days_until(d("2027-01-01")), 365);
        assert!(d("2026-01-02") > d("2025-12-31"));
        assert_eq!(d("1990-06-15").years_until(d("2026-06-14")), 35);
        assert_eq!(d("1990-06-15").years_until(d("2026-06-15")), 36);
        assert_eq!(d("2024-02-29").add_years(1), Some(d("2025-02-28")));
        assert_eq!(d("9999-12-31").succ(), None);
    }

    #[test]
    fn timestamps() {
        let t = Timestamp::parse("2026-11-27T17:00:25Z").unwrap();
        assert_eq!(t.to_string(), "2026-11-27T17:00:25Z");
        assert_eq!(Timestamp::from_unix_seconds(t.unix_seconds()), Some(t));
        assert_eq!(t.date_in_china(), d("2026-11-28"));
        assert_eq!(
            Timestamp::from_unix_seconds(0).unwrap().to_string(),
            "1970-01-01T00:00:00Z"
        );
        assert!(Timestamp::parse("2026-11-27T24:00:00Z").is_err());
        assert!(Timestamp::parse("2026-11-27 17:00:25Z").is_err());
        assert!(Timestamp::parse("2026-11-27T17:00:25+08:00").is_err());
    }

    #[test]
    fn serde_round_trip() {
        let v = d("2026-02-28");
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, "\"2026-02-28\"");
        assert_eq!(serde_json::from_str::<Date>(&json).unwrap(), v);
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
        let t = Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
    }
}
