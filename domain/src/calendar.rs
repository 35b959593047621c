//! 工作日: working days from a configurable holiday calendar, with the PRC official calendar built in.
//!
//! A working day is Monday to Friday unless it is a public holiday, plus the weekend days the
//! State Council declares working days (调休上班).

use std::collections::BTreeSet;

use crate::date::Date;

/// A holiday calendar (节假日安排): holidays and make-up working days (调休上班日).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HolidayCalendar {
    /// 放假日期.
    pub holidays: BTreeSet<Date>,
    /// 调休上班日期 (weekend days that are working days).
    pub make_up_working_days: BTreeSet<Date>,
}

fn day(y: u16, m: u8, d: u8) -> Option<Date> {
    Date::from_ymd(y, m, d)
}

fn span(out: &mut BTreeSet<Date>, y: u16, m: u8, from: u8, to: u8) {
    out.extend((from..=to).filter_map(|d| day(y, m, d)));
}

impl HolidayCalendar {
    /// Weekends only, no holidays.
    pub fn weekends_only() -> HolidayCalendar {
        HolidayCalendar::default()
    }

    /// The State Council's published calendar for 2026 (国务院办公厅关于2026年部分节假日安排的
    /// 通知) and an estimate for 2027.
    ///
    /// 2026, as published: 元旦 1月1日–3日, 1月4日(日)上班; 春节 2月15日–23日, 2月14日(六)、
    /// 2月28日(六)上班; 清明 4月4日–6日; 劳动节 5月1日–5日, 5月9日(六)上班; 端午 6月19日–21日;
    /// 中秋 9月25日–27日; 国庆 10月1日–7日, 9月20日(日)、10月10日(六)上班.
    ///
    /// 2027 is an estimate made before the notice for 2027 was known to us, from the lunar
    /// dates and the current rules (春节 four statutory days, 劳动节 two): 元旦 1月1日–3日;
    /// 春节 2月5日–13日, 1月31日(日)、2月20日(六)上班; 清明 4月3日–5日; 劳动节 5月1日–5日,
    /// 4月25日(日)上班; 端午 6月9日; 中秋 9月15日; 国庆 10月1日–7日, 9月26日(日)、10月9日(六)上班.
    /// Replace it through configuration once the official notice is published.
    pub fn prc_official() -> HolidayCalendar {
        let mut h = BTreeSet::new();
        let mut w = BTreeSet::new();
        // 2026 (published).
        span(&mut h, 2026, 1, 1, 3);
        w.extend(day(2026, 1, 4));
        span(&mut h, 2026, 2, 15, 23);
        w.extend(day(2026, 2, 14));
        w.extend(day(2026, 2, 28));
        span(&mut h, 2026, 4, 4, 6);
        span(&mut h, 2026, 5, 1, 5);
        w.extend(day(2026, 5, 9));
        span(&mut h, 2026, 6, 19, 21);
        span(&mut h, 2026, 9, 25, 27);
        span(&mut h, 2026, 10, 1, 7);
        w.extend(day(2026, 9, 20));
        w.extend(day(2026, 10, 10));
        // 2027 (estimate, see the doc comment).
        span(&mut h, 2027, 1, 1, 3);
        span(&mut h, 2027, 2, 5, 13);
        w.extend(day(2027, 1, 31));
        w.extend(day(2027, 2, 20));
        span(&mut h, 2027, 4, 3, 5);
        span(&mut h, 2027, 5, 1, 5);
        w.extend(day(2027, 4, 25));
        span(&mut h, 2027, 6, 9, 9);
        span(&mut h, 2027, 9, 15, 15);
        span(&mut h, 2027, 10, 1, 7);
        w.extend(day(2027, 9, 26));
        w.extend(day(2027, 10, 9));
        HolidayCalendar {
            holidays: h,
            make_up_working_days: w,
        }
    }

    /// Adds the holidays and make-up days of `other` (e.g. a newly published year).
    pub fn merge(&mut self, other: &HolidayCalendar) {
        self.holidays.extend(other.holidays.iter().copied());
        self.make_up_working_days
            .extend(other.make_up_working_days.iter().copied());
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: Date) -> bool {
        if self.make_up_working_days.contains(&date) {
            return true;
        }
        !date.weekday().is_weekend() && !self.holidays.contains(&date)
    }

    /// The `n`-th working day after `from` (`from` itself not counted); `from` when `n` is 0.
    pub fn add_working_days(&self, from: Date, n: u32) -> Option<Date> {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d = d.succ()?;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        Some(d)
    }

    /// Working days in `(from, to]`; zero when `to <= from`.
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            match d.succ() {
                Some(next) => d = next,
                None => break,
            }
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn official_2026() {
        let c = HolidayCalendar::prc_official();
        assert!(!c.is_working_day(d("2026-01-01")));
        assert!(c.is_working_day(d("2026-01-04")), "sunday make-up day");
        assert!(c.is_working_day(d("2026-02-14")));
        assert!(!c.is_working_day(d("2026-02-16")));
        assert!(c.is_working_day(d("2026-02-24")));
        assert!(c.is_working_day(d("2026-02-28")));
        assert!(!c.is_working_day(d("2026-10-07")));
        assert!(c.is_working_day(d("2026-10-10")));
        assert!(c.is_working_day(d("2026-09-20")));
        assert!(!c.is_working_day(d("2026-11-28")), "ordinary saturday");
        assert!(c.is_working_day(d("2026-11-27")));
        for md in c.make_up_working_days.iter() {
            assert!(md.weekday().is_weekend(), "{md}");
        }
    }

    #[test]
    fn counting_across_holidays() {
        let c = HolidayCalendar::prc_official();
        // Fri 2026-09-18 + 1 working day: Sun 2026-09-20 is a make-up working day.
        assert_eq!(
            c.add_working_days(d("2026-09-18"), 1),
            Some(d("2026-09-20"))
        );
        // From Wed 2026-09-30: Oct 1-7 off, Thu Oct 8 is the first working day.
        assert_eq!(
            c.add_working_days(d("2026-09-30"), 1),
            Some(d("2026-10-08"))
        );
        assert_eq!(
            c.add_working_days(d("2026-09-30"), 3),
            Some(d("2026-10-10"))
        );
        assert_eq!(c.working_days_between(d("2026-09-30"), d("2026-10-10")), 3);
        let w = HolidayCalendar::weekends_only();
        assert_eq!(
            w.add_working_days(d("2026-11-27"), 1),
            Some(d("2026-11-30"))
        );
        assert_eq!(
            w.add_working_days(d("2026-11-27"), 0),
            Some(d("2026-11-27"))
        );
    }

    #[test]
    fn configurable_and_serialisable() {
        let mut c = HolidayCalendar::weekends_only();
        let mut extra = HolidayCalendar::default();
        extra.holidays.insert(d("2028-01-03"));
        c.merge(&extra);
        assert!(!c.is_working_day(d("2028-01-03")));
        let json = serde_json::to_string(&HolidayCalendar::prc_official()).unwrap();
        let back: HolidayCalendar = serde_json::from_str(&json).unwrap();
        assert_eq!(back, HolidayCalendar::prc_official());
    }
}
