//! Where an issued document stands: current, used, void or lapsed ([`DocumentStatus`]).
//!
//! - **void** (已作废): a reviewer voided it by a signed decision with a reason;
//! - a quota-use slip is **used** (已使用) once every post it approved is filled, **lapsed**
//!   (已失效) once past its validity (or released) with posts unused, **current** (有效)
//!   otherwise (`domain::QuotaUseSlip::state`);
//! - a notice is **current** until voided.

use domain::Date;
use domain::slip::{QuotaUseSlip, SlipState};
use serde::{Deserialize, Serialize};

/// The status of an issued document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Current,
    Used,
    Void,
    Lapsed,
}

impl DocumentStatus {
    /// Every status.
    pub const ALL: &'static [DocumentStatus] = &[
        DocumentStatus::Current,
        DocumentStatus::Used,
        DocumentStatus::Void,
        DocumentStatus::Lapsed,
    ];

    /// The status of a document: `voided`, else by its slip (for a slip) on `on`.
    pub fn of(voided: bool, slip: Option<&QuotaUseSlip>, on: Date) -> DocumentStatus {
        if voided {
            return DocumentStatus::Void;
        }
        match slip.map(|s| s.state(on)) {
            Some(SlipState::UsedUp) => DocumentStatus::Used,
            Some(SlipState::Lapsed) => DocumentStatus::Lapsed,
            Some(SlipState::Open) | None => DocumentStatus::Current,
        }
    }

    /// The stable code (its serde form).
    pub fn code(self) -> &'static str {
        match self {
            DocumentStatus::Current => "current",
            DocumentStatus::Used => "used",
            DocumentStatus::Void => "void",
            DocumentStatus::Lapsed => "lapsed",
        }
    }

    /// The status with this code.
    pub fn from_code(code: &str) -> Option<DocumentStatus> {
        DocumentStatus::ALL
            .iter()
            .copied()
            .find(|s| s.code() == code)
    }

    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            DocumentStatus::Current => "有效",
            DocumentStatus::Used => "已使用",
            DocumentStatus::Void => "已作废",
            DocumentStatus::Lapsed => "已失效",
        }
    }

    /// The English label.
    pub fn label_en(self) -> &'static str {
        match self {
            DocumentStatus::Current => "current",
            DocumentStatus::Used => "used",
            DocumentStatus::Void => "void",
            DocumentStatus::Lapsed => "lapsed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ids::UnitId;
    use domain::{DocumentNumber, EstablishmentCategory, Headcount};

    #[test]
    fn statuses() {
        let d = |s: &str| Date::parse(s).unwrap();
        let slip = QuotaUseSlip {
            number: DocumentNumber::parse("天编用〔2026〕0001号").unwrap(),
            unit: UnitId::parse("u1").unwrap(),
            category: EstablishmentCategory::Administrative,
            funding_form: None,
            count: Headcount::new(2),
            used: Headcount::new(1),
            issued_on: d("2026-03-01"),
            valid_until: d("2026-05-30"),
            released: false,
        };
        let on = d("2026-04-01");
        assert_eq!(
            DocumentStatus::of(false, Some(&slip), on),
            DocumentStatus::Current
        );
        assert_eq!(
            DocumentStatus::of(false, Some(&slip), d("2026-05-31")),
            DocumentStatus::Lapsed
        );
        let used = QuotaUseSlip {
            used: Headcount::new(2),
            ..slip.clone()
        };
        assert_eq!(
            DocumentStatus::of(false, Some(&used), on),
            DocumentStatus::Used
        );
        assert_eq!(
            DocumentStatus::of(true, Some(&used), on),
            DocumentStatus::Void
        );
        assert_eq!(DocumentStatus::of(false, None, on), DocumentStatus::Current);
        assert_eq!(DocumentStatus::of(true, None, on), DocumentStatus::Void);
        for s in DocumentStatus::ALL {
            assert_eq!(DocumentStatus::from_code(s.code()), Some(*s));
            assert_eq!(
                serde_json::to_string(s).unwrap(),
                format!("\"{}\"", s.code())
            );
            assert!(!s.label_zh().is_empty() && !s.label_en().is_empty());
        }
    }
}
