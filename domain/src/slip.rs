//! 编制使用单 and 入编通知单: numbering per bureau per year, slip validity, and slip use.

use std::collections::BTreeMap;

use crate::date::Date;
use crate::document_number::DocumentNumber;
use crate::error::{Field, ValidationError};
use crate::establishment::{EstablishmentCategory, FundingForm};
use crate::headcount::Headcount;
use crate::ids::UnitId;
use crate::region::Bureau;

labelled_enum! {
    /// A document the bureau issues and numbers (编办出具的单据).
    pub enum IssuedDocumentKind {
        QuotaUseSlip => "quota_use_slip", "机关事业单位编制使用单", "quota-use slip";
        OnboardingNotice => "onboarding_notice", "机关事业单位入编通知单", "onboarding notice";
        OffboardingNotice => "offboarding_notice", "机关事业单位出编通知单", "offboarding notice";
    }
}

labelled_enum! {
    /// Where a quota-use slip stands on a day ([`QuotaUseSlip::state`]).
    pub enum SlipState {
        Open => "open", "有效", "open";
        UsedUp => "used_up", "已使用", "used up";
        Lapsed => "lapsed", "已失效", "lapsed";
    }
}

/// How a bureau numbers one kind of document: `{prefix}〔{year}〕{sequence:0width}号`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NumberingScheme {
    prefix: String,
    width: u8,
}

impl NumberingScheme {
    /// A scheme with `prefix` (e.g. `天编用`) and zero-padding `width` (1..=6).
    pub fn new(prefix: &str, width: u8) -> Result<NumberingScheme, ValidationError> {
        if !(1..=6).contains(&width) {
            return Err(ValidationError::OutOfRange {
                field: Field::Sequence,
                min: 1,
                max: 6,
                found: i64::from(width),
            });
        }
        // Validate the prefix by composing a number with it.
        let sample = DocumentNumber::compose(prefix.trim(), 2026, 1, usize::from(width))
            .map_err(|e| e.with_field(Field::NumberingPrefix))?;
        Ok(NumberingScheme {
            prefix: sample.issuer().to_owned(),
            width,
        })
    }

    /// The default scheme of a bureau: `{short}编用` for slips, `{short}编入` for onboarding
    /// notices, `{short}编出` for offboarding notices; width 4. E.g. `天编用〔2026〕0001号`.
    pub fn default_for(bureau: Bureau, kind: IssuedDocumentKind) -> NumberingScheme {
        let suffix = match kind {
            IssuedDocumentKind::QuotaUseSlip => "编用",
            IssuedDocumentKind::OnboardingNotice => "编入",
            IssuedDocumentKind::OffboardingNotice => "编出",
        };
        NumberingScheme {
            prefix: format!("{}{}", bureau.short_zh(), suffix),
            width: 4,
        }
    }

    /// The prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The number with this sequence in this year.
    pub fn number(&self, year: u16, sequence: u32) -> Result<DocumentNumber, ValidationError> {
        DocumentNumber::compose(&self.prefix, year, sequence, usize::from(self.width))
    }
}

/// The counters of issued numbers, per bureau, kind and year. Numbers restart at 1 each year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numbering {
    schemes: BTreeMap<(Bureau, IssuedDocumentKind), NumberingScheme>,
    last: BTreeMap<(Bureau, IssuedDocumentKind, u16), u32>,
}

impl Numbering {
    /// Default schemes for every bureau, nothing issued yet.
    pub fn new() -> Numbering {
        Numbering::default()
    }

    /// Overrides the scheme of one bureau and kind.
    pub fn set_scheme(
        &mut self,
        bureau: Bureau,
        kind: IssuedDocumentKind,
        scheme: NumberingScheme,
    ) {
        self.schemes.insert((bureau, kind), scheme);
    }

    /// The scheme in force for a bureau and kind.
    pub fn scheme(&self, bureau: Bureau, kind: IssuedDocumentKind) -> NumberingScheme {
        self.schemes
            .get(&(bureau, kind))
            .cloned()
            .unwrap_or_else(|| NumberingScheme::default_for(bureau, kind))
    }

    /// Restores the last issued sequence (e.g. loaded from the database).
    pub fn set_last(&mut self, bureau: Bureau, kind: IssuedDocumentKind, year: u16, last: u32) {
        self.last.insert((bureau, kind, year), last);
    }

    /// Issues the next number for `bureau` and `kind` in the year of `on`.
    pub fn issue(
        &mut self,
        bureau: Bureau,
        kind: IssuedDocumentKind,
        on: Date,
    ) -> Result<DocumentNumber, ValidationError> {
        let key = (bureau, kind, on.year());
        let next = self
            .last
            .get(&key)
            .copied()
            .unwrap_or(0)
            .checked_add(1)
            .ok_or(ValidationError::OutOfRange {
                field: Field::Sequence,
                min: 1,
                max: i64::from(u32::MAX),
                found: i64::from(u32::MAX) + 1,
            })?;
        let number = self.scheme(bureau, kind).number(on.year(), next)?;
        self.last.insert(key, next);
        Ok(number)
    }
}

/// How long a quota-use slip stays valid (有效期), in calendar days after the issue date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct SlipValidity {
    days: u16,
}

impl Default for SlipValidity {
    /// Ninety days.
    fn default() -> Self {
        SlipValidity { days: 90 }
    }
}

impl SlipValidity {
    /// A validity of `days` (1..=3660) days.
    pub fn days(days: u16) -> Result<SlipValidity, ValidationError> {
        if !(1..=3660).contains(&days) {
            return Err(ValidationError::OutOfRange {
                field: Field::Date,
                min: 1,
                max: 3660,
                found: i64::from(days),
            });
        }
        Ok(SlipValidity { days })
    }

    /// The last day a slip issued on `issued_on` is valid: `issued_on + days`.
    pub fn valid_until(self, issued_on: Date) -> Date {
        issued_on
            .add_days(i64::from(self.days))
            .unwrap_or(issued_on.end_of_month())
    }
}

/// Why a slip cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlipError {
    /// Past its validity.
    #[error("slip {number} expired after {valid_until}")]
    Expired { number: String, valid_until: Date },
    /// Used before it was issued.
    #[error("slip {number} is not valid before {issued_on}")]
    NotYetValid { number: String, issued_on: Date },
    /// Every post it reserved is used.
    #[error("slip {number} is used up")]
    UsedUp { number: String },
    /// Released or cancelled.
    #[error("slip {number} was released")]
    Released { number: String },
    /// Issued to another unit.
    #[error("slip {number} belongs to another unit")]
    WrongUnit { number: String },
    /// For another establishment category or funding form.
    #[error("slip {number} is for {category}")]
    WrongCategory {
        number: String,
        category: EstablishmentCategory,
    },
}

impl SlipError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::Expired {
                number,
                valid_until,
            } => format!("编制使用单{number}已过有效期（有效期至{valid_until}）"),
            Self::NotYetValid { number, issued_on } => {
                format!("编制使用单{number}于{issued_on}出具，此前不能使用")
            }
            Self::UsedUp { number } => format!("编制使用单{number}核准的编制已全部使用"),
            Self::Released { number } => format!("编制使用单{number}已作废"),
            Self::WrongUnit { number } => format!("编制使用单{number}不属于本单位"),
            Self::WrongCategory { number, category } => {
                format!(
                    "编制使用单{number}核准的是{}，与所填不符",
                    category.label_zh()
                )
            }
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::Expired {
                number,
                valid_until,
            } => format!("quota-use slip {number} expired (valid until {valid_until})"),
            Self::NotYetValid { number, issued_on } => {
                format!("quota-use slip {number} was issued on {issued_on} and is not valid before")
            }
            Self::UsedUp { number } => format!("every post of quota-use slip {number} is used"),
            Self::Released { number } => format!("quota-use slip {number} was cancelled"),
            Self::WrongUnit { number } => {
                format!("quota-use slip {number} belongs to another unit")
            }
            Self::WrongCategory { number, category } => {
                format!(
                    "quota-use slip {number} is for {}, which does not match",
                    category.label_en()
                )
            }
        }
    }
}

/// A quota-use slip (机关事业单位编制使用单): the bureau's approval to fill `count` posts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QuotaUseSlip {
    /// 编号.
    pub number: DocumentNumber,
    /// 用编单位.
    pub unit: UnitId,
    /// 编制类别.
    pub category: EstablishmentCategory,
    /// 经费形式 (事业编制).
    pub funding_form: Option<FundingForm>,
    /// 核准数.
    pub count: Headcount,
    /// 已使用数.
    pub used: Headcount,
    /// 出具日期.
    pub issued_on: Date,
    /// 有效期至.
    pub valid_until: Date,
    /// 已作废 (released; its unused posts are no longer reserved).
    pub released: bool,
}

impl QuotaUseSlip {
    /// Posts not yet used.
    pub fn remaining(&self) -> Headcount {
        self.count.saturating_sub(self.used)
    }

    /// Whether the slip is in force on `date`: issued, not expired, not released.
    pub fn is_valid_on(&self, date: Date) -> bool {
        !self.released && self.issued_on <= date && date <= self.valid_until
    }

    /// Where it stands on `on`: used up once every post is used; lapsed once released or past
    /// its validity with posts unused (those posts go back to the vacancy: the server releases
    /// them the day after `valid_until`); open otherwise.
    pub fn state(&self, on: Date) -> SlipState {
        if self.remaining().is_zero() {
            SlipState::UsedUp
        } else if self.released || on > self.valid_until {
            SlipState::Lapsed
        } else {
            SlipState::Open
        }
    }

    /// Whether its unused posts are still reserved in the ledger.
    pub fn holds_reservation(&self) -> bool {
        !self.released && !self.remaining().is_zero()
    }

    /// Checks that one person of `category` can be enrolled in `unit` against this slip on `on`.
    pub fn check_usable(
        &self,
        unit: &UnitId,
        category: EstablishmentCategory,
        on: Date,
    ) -> Result<(), SlipError> {
        let number = self.number.to_string();
        if &self.unit != unit {
            return Err(SlipError::WrongUnit { number });
        }
        if self.category != category {
            return Err(SlipError::WrongCategory {
                number,
                category: self.category,
            });
        }
        if self.released {
            return Err(SlipError::Released { number });
        }
        if on < self.issued_on {
            return Err(SlipError::NotYetValid {
                number,
                issued_on: self.issued_on,
            });
        }
        if on > self.valid_until {
            return Err(SlipError::Expired {
                number,
                valid_until: self.valid_until,
            });
        }
        if self.remaining().is_zero() {
            return Err(SlipError::UsedUp { number });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Region;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn numbering_per_bureau_per_year() {
        let mut n = Numbering::new();
        let slip = IssuedDocumentKind::QuotaUseSlip;
        let city = Bureau::CITY;
        assert_eq!(
            n.issue(city, slip, d("2026-03-01")).unwrap().as_str(),
            "天编用〔2026〕0001号"
        );
        assert_eq!(
            n.issue(city, slip, d("2026-03-02")).unwrap().as_str(),
            "天编用〔2026〕0002号"
        );
        assert_eq!(
            n.issue(Region::Gangu.bureau(), slip, d("2026-03-02"))
                .unwrap()
                .as_str(),
            "甘谷编用〔2026〕0001号"
        );
        assert_eq!(
            n.issue(city, slip, d("2027-01-04")).unwrap().as_str(),
            "天编用〔2027〕0001号"
        );
        assert_eq!(
            n.issue(city, IssuedDocumentKind::OnboardingNotice, d("2026-03-02"))
                .unwrap()
                .as_str(),
            "天编入〔2026〕0001号"
        );
        n.set_scheme(city, slip, NumberingScheme::new("天编办用编", 3).unwrap());
        n.set_last(city, slip, 2026, 41);
        assert_eq!(
            n.issue(city, slip, d("2026-05-01")).unwrap().as_str(),
            "天编办用编〔2026〕042号"
        );
        assert!(NumberingScheme::new("天编用", 0).is_err());
        assert!(NumberingScheme::new("", 4).is_err());
        assert!(NumberingScheme::new("天[编", 4).is_err());
    }

    fn slip() -> QuotaUseSlip {
        let issued = d("2026-03-01");
        QuotaUseSlip {
            number: DocumentNumber::parse("天编用〔2026〕0001号").unwrap(),
            unit: UnitId::parse("u1").unwrap(),
            category: EstablishmentCategory::Administrative,
            funding_form: None,
            count: Headcount::new(2),
            used: Headcount::ZERO,
            issued_on: issued,
            valid_until: SlipValidity::default().valid_until(issued),
            released: false,
        }
    }

    #[test]
    fn validity() {
        let s = slip();
        assert_eq!(s.valid_until, d("2026-05-30"));
        assert!(s.is_valid_on(d("2026-05-30")));
        assert!(!s.is_valid_on(d("2026-05-31")));
        assert!(!s.is_valid_on(d("2026-02-28")));
        let u = UnitId::parse("u1").unwrap();
        let admin = EstablishmentCategory::Administrative;
        assert!(s.check_usable(&u, admin, d("2026-04-01")).is_ok());
        let e = s.check_usable(&u, admin, d("2026-06-01")).unwrap_err();
        assert_eq!(
            e.message_zh(),
            "编制使用单天编用〔2026〕0001号已过有效期（有效期至2026-05-30）"
        );
        assert!(matches!(
            s.check_usable(&UnitId::parse("u2").unwrap(), admin, d("2026-04-01")),
            Err(SlipError::WrongUnit { .. })
        ));
        assert!(matches!(
            s.check_usable(&u, EstablishmentCategory::Logistics, d("2026-04-01")),
            Err(SlipError::WrongCategory { .. })
        ));
        let used = QuotaUseSlip {
            used: Headcount::new(2),
            ..slip()
        };
        assert!(matches!(
            used.check_usable(&u, admin, d("2026-04-01")),
            Err(SlipError::UsedUp { .. })
        ));
        assert_eq!(
            SlipValidity::days(30).unwrap().valid_until(d("2026-01-31")),
            d("2026-03-02")
        );
        assert!(SlipValidity::days(0).is_err());
    }

    #[test]
    fn states() {
        let s = slip();
        assert_eq!(s.state(d("2026-05-30")), SlipState::Open);
        assert_eq!(s.state(d("2026-05-31")), SlipState::Lapsed);
        let released = QuotaUseSlip {
            released: true,
            ..slip()
        };
        assert_eq!(released.state(d("2026-04-01")), SlipState::Lapsed);
        let used = QuotaUseSlip {
            used: Headcount::new(2),
            ..slip()
        };
        assert_eq!(used.state(d("2027-01-01")), SlipState::UsedUp);
    }

    #[test]
    fn serde_round_trip() {
        let s = slip();
        let back: QuotaUseSlip = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}
