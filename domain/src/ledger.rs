//! 编制台帐: the establishment ledger of one unit and the arithmetic every approval must respect.
//!
//! Per category: `approved` is the sum of the ledger rows (one per approving document),
//! `filled` the people in post, `reserved` the posts held by open quota-use slips, and
//! `vacant = approved - filled - reserved`. The operations the applications cause never let
//! `filled + reserved` exceed `approved`. Only a ledger row (an establishment decision such as
//! 核减, or legacy data) can leave a unit over establishment (超编, `filled > approved`); while it
//! is, no reservation is possible.
//!
//! A quota-use request is checked twice: when it is filed, against the vacancy that the unit's
//! other requests still awaiting a decision leave ([`UnitLedger::check_request`],
//! [`claims_vacancy`]), and when it is approved, against the vacancy alone
//! ([`UnitLedger::reserve`]), since the establishment may have changed in between.

use std::collections::BTreeMap;

use crate::application::ApplicationStatus;
use crate::date::Date;
use crate::document_number::DocumentNumber;
use crate::establishment::EstablishmentCategory;
use crate::headcount::{Headcount, HeadcountDelta};

/// One row of the ledger (台帐记录): an approving document and the change it made per category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LedgerRow {
    /// 文号.
    pub document: DocumentNumber,
    /// 发文日期.
    pub date: Date,
    /// 文件标题.
    pub title: String,
    /// 各类编制增减.
    pub changes: BTreeMap<EstablishmentCategory, HeadcountDelta>,
    /// 备注.
    pub note: Option<String>,
}

/// Figures summed over several units or categories (a region's or a scope's ledger): approved,
/// filled and reserved added up, and each unit's vacant and over-establishment posts added up as
/// they are — not derived from the sums, since one unit's over-establishment does not fill
/// another's vacancy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FigureTotals {
    pub approved: u64,
    pub filled: u64,
    pub reserved: u64,
    pub vacant: u64,
    pub over: u64,
}

impl FigureTotals {
    /// Adds the figures of one unit in one category.
    pub fn add(&mut self, f: &Figures) {
        self.approved += u64::from(f.approved.get());
        self.filled += u64::from(f.filled.get());
        self.reserved += u64::from(f.reserved.get());
        self.vacant += u64::from(f.vacant().get());
        self.over += u64::from(f.over_establishment().get());
    }

    /// Adds totals already summed.
    pub fn merge(&mut self, other: &FigureTotals) {
        self.approved += other.approved;
        self.filled += other.filled;
        self.reserved += other.reserved;
        self.vacant += other.vacant;
        self.over += other.over;
    }

    /// Approved, filled, reserved, vacant, over — the columns of a ledger, in that order.
    pub fn columns(&self) -> [u64; 5] {
        [
            self.approved,
            self.filled,
            self.reserved,
            self.vacant,
            self.over,
        ]
    }
}

/// The figures of one category (编制情况).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    /// 核定数.
    pub approved: Headcount,
    /// 实有数.
    pub filled: Headcount,
    /// 已核准未使用.
    pub reserved: Headcount,
}

impl Figures {
    /// 空编: `approved - filled - reserved`, zero when that is negative.
    pub fn vacant(&self) -> Headcount {
        self.approved
            .saturating_sub(self.filled)
            .saturating_sub(self.reserved)
    }

    /// 超编数: `filled - approved` when positive.
    pub fn over_establishment(&self) -> Headcount {
        self.filled.saturating_sub(self.approved)
    }

    /// Whether the unit is over establishment in this category (`filled > approved`).
    pub fn is_over(&self) -> bool {
        self.filled > self.approved
    }

    /// The invariant the applications maintain: `filled + reserved <= approved`.
    pub fn holds_invariant(&self) -> bool {
        u64::from(self.filled.get()) + u64::from(self.reserved.get())
            <= u64::from(self.approved.get())
    }

    /// [`UnitLedger::check_request`] on these figures of `category` alone (for a caller that
    /// keeps the figures rather than the whole ledger).
    pub fn check_request(
        &self,
        category: EstablishmentCategory,
        count: Headcount,
        outstanding: Headcount,
    ) -> Result<(), LedgerError> {
        let vacant = self.vacant();
        if count > vacant.saturating_sub(outstanding) {
            return Err(LedgerError::VacancyClaimed {
                category,
                requested: count,
                vacant,
                outstanding,
            });
        }
        Ok(())
    }
}

/// Why a ledger operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    /// Not enough vacant posts to reserve.
    #[error("{category}: {requested} posts requested but only {vacant} vacant")]
    InsufficientVacancy {
        category: EstablishmentCategory,
        requested: Headcount,
        vacant: Headcount,
    },
    /// A request filed for more posts than the vacancy leaves once the unit's requests still
    /// awaiting a decision (`outstanding` posts) are set aside.
    #[error(
        "{category}: {requested} posts requested but {vacant} vacant, {outstanding} of them asked for by requests awaiting a decision"
    )]
    VacancyClaimed {
        category: EstablishmentCategory,
        requested: Headcount,
        vacant: Headcount,
        outstanding: Headcount,
    },
    /// Fewer reserved posts than the operation consumes.
    #[error("{category}: {requested} reserved posts needed but only {reserved} reserved")]
    NotEnoughReserved {
        category: EstablishmentCategory,
        requested: Headcount,
        reserved: Headcount,
    },
    /// Fewer filled posts than the operation frees.
    #[error("{category}: {requested} filled posts to free but only {filled} filled")]
    NotEnoughFilled {
        category: EstablishmentCategory,
        requested: Headcount,
        filled: Headcount,
    },
    /// A row would make the approved figure negative or overflow.
    #[error("{category}: row {document} would make the approved figure negative")]
    NegativeApproved {
        category: EstablishmentCategory,
        document: String,
    },
    /// A count overflowed.
    #[error("{category}: count overflow")]
    Overflow { category: EstablishmentCategory },
}

impl LedgerError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::InsufficientVacancy {
                category,
                requested,
                vacant,
            } => format!(
                "{}空编不足：申请{}名，空编仅{}名",
                category.label_zh(),
                requested,
                vacant
            ),
            Self::VacancyClaimed {
                category,
                requested,
                vacant,
                outstanding,
            } => {
                let figures = if outstanding.is_zero() {
                    if vacant.is_zero() {
                        "现无空编".to_owned()
                    } else {
                        format!("空编仅{vacant}名")
                    }
                } else if vacant.is_zero() {
                    format!("现无空编（另有待审批的用编申请{outstanding}名）")
                } else if outstanding < vacant {
                    format!(
                        "空编{vacant}名，其中{outstanding}名已有待审批的用编申请占用，尚可申请{}名",
                        vacant.saturating_sub(*outstanding)
                    )
                } else {
                    format!("空编{vacant}名已全部被待审批的用编申请占用（待审批共{outstanding}名）")
                };
                format!(
                    "空余编制不足：{}申请使用{}名，{}",
                    category.label_zh(),
                    requested,
                    figures
                )
            }
            Self::NotEnoughReserved {
                category,
                requested,
                reserved,
            } => format!(
                "{}已核准未使用编制不足：需要{}名，仅有{}名",
                category.label_zh(),
                requested,
                reserved
            ),
            Self::NotEnoughFilled {
                category,
                requested,
                filled,
            } => format!(
                "{}实有人数不足：需减少{}名，实有仅{}名",
                category.label_zh(),
                requested,
                filled
            ),
            Self::NegativeApproved { category, document } => {
                format!("{}核定数不能为负：文号{}", category.label_zh(), document)
            }
            Self::Overflow { category } => format!("{}人数超出可表示范围", category.label_zh()),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::InsufficientVacancy {
                category,
                requested,
                vacant,
            } => format!(
                "{}: not enough vacant posts, {} requested, {} vacant",
                category.label_en(),
                requested,
                vacant
            ),
            Self::VacancyClaimed {
                category,
                requested,
                vacant,
                outstanding,
            } => {
                let figures = if outstanding.is_zero() {
                    if vacant.is_zero() {
                        "none vacant".to_owned()
                    } else {
                        format!("only {vacant} vacant")
                    }
                } else if vacant.is_zero() {
                    format!(
                        "none vacant (and {outstanding} asked for by requests awaiting a decision)"
                    )
                } else if outstanding < vacant {
                    format!(
                        "{vacant} vacant, {outstanding} of them asked for by requests awaiting a decision, {} still available",
                        vacant.saturating_sub(*outstanding)
                    )
                } else {
                    format!(
                        "{vacant} vacant, all asked for by requests awaiting a decision ({outstanding} in all)"
                    )
                };
                format!(
                    "{}: not enough vacant posts, {} requested, {}",
                    category.label_en(),
                    requested,
                    figures
                )
            }
            Self::NotEnoughReserved {
                category,
                requested,
                reserved,
            } => format!(
                "{}: not enough reserved posts, {} needed, {} reserved",
                category.label_en(),
                requested,
                reserved
            ),
            Self::NotEnoughFilled {
                category,
                requested,
                filled,
            } => format!(
                "{}: not enough filled posts, {} to free, {} filled",
                category.label_en(),
                requested,
                filled
            ),
            Self::NegativeApproved { category, document } => {
                format!(
                    "{}: document {} would make the approved figure negative",
                    category.label_en(),
                    document
                )
            }
            Self::Overflow { category } => format!("{}: count overflow", category.label_en()),
        }
    }
}

/// Whether a quota-use request in `status` still claims posts of its unit's vacancy: it is
/// awaiting a decision and may be approved by decisions alone (`submitted`, `endorsed`). An
/// approved request holds reserved posts, counted in the ledger itself; a rejected or withdrawn
/// one claims nothing; a returned one (or a draft) comes back only as a newly signed request,
/// which is checked again when it is filed.
pub fn claims_vacancy(status: ApplicationStatus) -> bool {
    status.awaits_decision()
}

/// The posts the `requests` (category and count of each) ask for in `category`: the
/// `outstanding` of [`UnitLedger::check_request`]. Saturates rather than overflows.
pub fn outstanding_posts(
    category: EstablishmentCategory,
    requests: impl IntoIterator<Item = (EstablishmentCategory, Headcount)>,
) -> Headcount {
    requests
        .into_iter()
        .filter(|(c, _)| *c == category)
        .fold(Headcount::ZERO, |sum, (_, n)| {
            sum.checked_add(n).unwrap_or(Headcount::new(u32::MAX))
        })
}

/// The ledger of one unit. Fields are private so every change goes through a checked operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "UnitLedgerData", into = "UnitLedgerData")]
pub struct UnitLedger {
    rows: Vec<LedgerRow>,
    approved: BTreeMap<EstablishmentCategory, Headcount>,
    filled: BTreeMap<EstablishmentCategory, Headcount>,
    reserved: BTreeMap<EstablishmentCategory, Headcount>,
}

/// The serialised form of [`UnitLedger`]: rows plus the current filled and reserved counts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct UnitLedgerData {
    /// 台帐记录.
    pub rows: Vec<LedgerRow>,
    /// 实有数 per category.
    pub filled: BTreeMap<EstablishmentCategory, Headcount>,
    /// 已核准未使用 per category.
    pub reserved: BTreeMap<EstablishmentCategory, Headcount>,
}

impl TryFrom<UnitLedgerData> for UnitLedger {
    type Error = LedgerError;
    fn try_from(d: UnitLedgerData) -> Result<Self, Self::Error> {
        UnitLedger::from_parts(d.rows, d.filled, d.reserved)
    }
}

impl From<UnitLedger> for UnitLedgerData {
    fn from(l: UnitLedger) -> Self {
        UnitLedgerData {
            rows: l.rows,
            filled: l.filled,
            reserved: l.reserved,
        }
    }
}

impl UnitLedger {
    /// An empty ledger.
    pub fn new() -> UnitLedger {
        UnitLedger::default()
    }

    /// Rebuilds a ledger from stored parts. The rows must never take an approved figure below
    /// zero; filled and reserved are taken as stored (legacy data may be over establishment).
    pub fn from_parts(
        rows: Vec<LedgerRow>,
        filled: BTreeMap<EstablishmentCategory, Headcount>,
        reserved: BTreeMap<EstablishmentCategory, Headcount>,
    ) -> Result<UnitLedger, LedgerError> {
        // Normal form: a category with no filled or reserved post has no entry, so that two
        // ledgers with the same figures compare equal however they were built.
        let nonzero = |mut map: BTreeMap<EstablishmentCategory, Headcount>| {
            map.retain(|_, n| !n.is_zero());
            map
        };
        let mut ledger = UnitLedger {
            rows: Vec::new(),
            approved: BTreeMap::new(),
            filled: nonzero(filled),
            reserved: nonzero(reserved),
        };
        for row in rows {
            ledger.add_row(row)?;
        }
        Ok(ledger)
    }

    /// Records an approving document and applies its changes to the approved figures.
    /// Refused if an approved figure would become negative.
    pub fn add_row(&mut self, row: LedgerRow) -> Result<(), LedgerError> {
        let mut next = self.approved.clone();
        for (category, delta) in &row.changes {
            let current = next.get(category).copied().unwrap_or_default();
            let value =
                current
                    .checked_apply(*delta)
                    .ok_or_else(|| LedgerError::NegativeApproved {
                        category: *category,
                        document: row.document.to_string(),
                    })?;
            next.insert(*category, value);
        }
        self.approved = next;
        self.rows.push(row);
        Ok(())
    }

    /// The rows, in the order they were recorded.
    pub fn rows(&self) -> &[LedgerRow] {
        &self.rows
    }

    /// The current figures of a category.
    pub fn figures(&self, category: EstablishmentCategory) -> Figures {
        let get = |m: &BTreeMap<_, Headcount>| m.get(&category).copied().unwrap_or_default();
        Figures {
            approved: get(&self.approved),
            filled: get(&self.filled),
            reserved: get(&self.reserved),
        }
    }

    /// The figures of every category that has any posts or people.
    pub fn all_figures(&self) -> Vec<(EstablishmentCategory, Figures)> {
        EstablishmentCategory::ALL
            .iter()
            .map(|c| (*c, self.figures(*c)))
            .filter(|(_, f)| *f != Figures::default())
            .collect()
    }

    /// Checks that `count` posts could be reserved now.
    pub fn check_reserve(
        &self,
        category: EstablishmentCategory,
        count: Headcount,
    ) -> Result<(), LedgerError> {
        let f = self.figures(category);
        if count > f.vacant() {
            return Err(LedgerError::InsufficientVacancy {
                category,
                requested: count,
                vacant: f.vacant(),
            });
        }
        Ok(())
    }

    /// Checks, when a quota-use request is filed, that `count` posts of `category` fit the
    /// vacancy left once the unit's other requests still awaiting a decision are set aside:
    /// `outstanding` is what they ask for in that category ([`claims_vacancy`],
    /// [`outstanding_posts`]). Posts of approved requests are reserved already and count in
    /// the vacancy itself, not here.
    pub fn check_request(
        &self,
        category: EstablishmentCategory,
        count: Headcount,
        outstanding: Headcount,
    ) -> Result<(), LedgerError> {
        self.figures(category)
            .check_request(category, count, outstanding)
    }

    /// Reserves `count` vacant posts (quota-use approval).
    pub fn reserve(
        &mut self,
        category: EstablishmentCategory,
        count: Headcount,
    ) -> Result<(), LedgerError> {
        self.check_reserve(category, count)?;
        let f = self.figures(category);
        let reserved = f
            .reserved
            .checked_add(count)
            .ok_or(LedgerError::Overflow { category })?;
        self.reserved.insert(category, reserved);
        Ok(())
    }

    /// Checks that `count` reserved posts exist to be filled or released.
    pub fn check_reserved(
        &self,
        category: EstablishmentCategory,
        count: Headcount,
    ) -> Result<(), LedgerError> {
        let f = self.figures(category);
        if count > f.reserved {
            return Err(LedgerError::NotEnoughReserved {
                category,
                requested: count,
                reserved: f.reserved,
            });
        }
        Ok(())
    }

    /// Turns `count` reserved posts into filled ones (onboarding approval).
    pub fn fill_reserved(
        &mut self,
        category: EstablishmentCategory,
        count: Headcount,
    ) -> Result<(), LedgerError> {
        self.check_reserved(category, count)?;
        let f = self.figures(category);
        let filled = f
            .filled
            .checked_add(count)
            .ok_or(LedgerError::Overflow { category })?;
        self.reserved
            .insert(category, f.reserved.saturating_sub(count));
        self.filled.insert(category, filled);
        Ok(())
    }

    /// Releases `count` reserved posts (a slip expired, was withdrawn or only partly used).
    pub fn release_reserved(
        &mut self,
        category: EstablishmentCategory,
        count: Headcount,
    ) -> Result<(), LedgerError> {
        self.check_reserved(category, count)?;
        let f = self.figures(category);
        self.reserved
            .insert(category, f.reserved.saturating_sub(count));
        Ok(())
    }

    /// Checks that `count` filled posts exist to be freed.
    pub fn check_filled(
        &self,
        category: EstablishmentCategory,
        count: Headcount,
    ) -> Result<(), LedgerError> {
        let f = self.figures(category);
        if count > f.filled {
            return Err(LedgerError::NotEnoughFilled {
                category,
                requested: count,
                filled: f.filled,
            });
        }
        Ok(())
    }

    /// Frees `count` filled posts (offboarding approval).
    pub fn free_filled(
        &mut self,
        category: EstablishmentCategory,
        count: Headcount,
    ) -> Result<(), LedgerError> {
        self.check_filled(category, count)?;
        let f = self.figures(category);
        self.filled.insert(category, f.filled.saturating_sub(count));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_add_each_units_vacancy_and_excess_as_they_are() {
        let f = |approved, filled, reserved| Figures {
            approved: Headcount::new(approved),
            filled: Headcount::new(filled),
            reserved: Headcount::new(reserved),
        };
        let mut one = FigureTotals::default();
        one.add(&f(10, 8, 1));
        let mut two = FigureTotals::default();
        two.add(&f(3, 5, 0));
        one.merge(&two);
        // 1 vacant in the first unit, 2 over in the second: neither cancels the other.
        assert_eq!(one.columns(), [13, 13, 1, 1, 2]);
    }

    const ADMIN: EstablishmentCategory = EstablishmentCategory::Administrative;

    fn row(doc: &str, delta: i32) -> LedgerRow {
        LedgerRow {
            document: DocumentNumber::parse(doc).unwrap(),
            date: Date::parse("2018-03-19").unwrap(),
            title: "关于核定编制的批复".into(),
            changes: BTreeMap::from([(ADMIN, HeadcountDelta::new(delta))]),
            note: None,
        }
    }

    #[test]
    fn approved_is_the_sum_of_rows() {
        let mut l = UnitLedger::new();
        l.add_row(row("天机编发〔2018〕1号", 10)).unwrap();
        l.add_row(row("天机编发〔2019〕2号", -2)).unwrap();
        assert_eq!(l.figures(ADMIN).approved, Headcount::new(8));
        assert!(matches!(
            l.add_row(row("天机编发〔2019〕3号", -9)),
            Err(LedgerError::NegativeApproved { .. })
        ));
        assert_eq!(l.rows().len(), 2);
        assert_eq!(
            l.figures(EstablishmentCategory::Logistics),
            Figures::default()
        );
    }

    #[test]
    fn reserve_fill_free_release() {
        let mut l = UnitLedger::new();
        l.add_row(row("天机编发〔2018〕1号", 3)).unwrap();
        l.reserve(ADMIN, Headcount::new(2)).unwrap();
        assert_eq!(l.figures(ADMIN).vacant(), Headcount::ONE);
        let e = l.reserve(ADMIN, Headcount::new(2)).unwrap_err();
        assert_eq!(e.message_zh(), "行政编制空编不足：申请2名，空编仅1名");
        l.fill_reserved(ADMIN, Headcount::ONE).unwrap();
        l.release_reserved(ADMIN, Headcount::ONE).unwrap();
        assert!(l.fill_reserved(ADMIN, Headcount::ONE).is_err());
        let f = l.figures(ADMIN);
        assert_eq!(
            (
                f.approved.get(),
                f.filled.get(),
                f.reserved.get(),
                f.vacant().get()
            ),
            (3, 1, 0, 2)
        );
        l.free_filled(ADMIN, Headcount::ONE).unwrap();
        assert!(l.free_filled(ADMIN, Headcount::ONE).is_err());
    }

    #[test]
    fn reduction_can_leave_a_unit_over_establishment_and_blocks_reservations() {
        let mut l = UnitLedger::new();
        l.add_row(row("天机编发〔2018〕1号", 2)).unwrap();
        l.reserve(ADMIN, Headcount::new(2)).unwrap();
        l.fill_reserved(ADMIN, Headcount::new(2)).unwrap();
        l.add_row(row("天机编发〔2020〕5号", -1)).unwrap();
        let f = l.figures(ADMIN);
        assert!(f.is_over());
        assert_eq!(f.over_establishment(), Headcount::ONE);
        assert_eq!(f.vacant(), Headcount::ZERO);
        assert!(l.reserve(ADMIN, Headcount::ONE).is_err());
    }

    fn request(l: &UnitLedger, count: u32, outstanding: u32) -> Result<(), String> {
        l.check_request(ADMIN, Headcount::new(count), Headcount::new(outstanding))
            .map_err(|e| e.message_zh())
    }

    #[test]
    fn a_request_must_fit_the_vacancy_that_requests_awaiting_a_decision_leave() {
        let mut l = UnitLedger::new();
        l.add_row(row("天机编发〔2018〕1号", 5)).unwrap();
        l.reserve(ADMIN, Headcount::new(2)).unwrap();
        // Three vacant posts.
        assert_eq!(request(&l, 3, 0), Ok(()));
        assert_eq!(request(&l, 1, 2), Ok(()));
        assert_eq!(
            request(&l, 4, 0),
            Err("空余编制不足：行政编制申请使用4名，空编仅3名".into())
        );
        assert_eq!(
            request(&l, 2, 2),
            Err(
                "空余编制不足：行政编制申请使用2名，空编3名，其中2名已有待审批的用编申请占用，尚可申请1名"
                    .into()
            )
        );
        assert_eq!(
            request(&l, 1, 3),
            Err("空余编制不足：行政编制申请使用1名，空编3名已全部被待审批的用编申请占用（待审批共3名）".into())
        );
        // More asked for than vacant, after a reduction (核减) between filing and now.
        assert_eq!(
            request(&l, 1, 4),
            Err("空余编制不足：行政编制申请使用1名，空编3名已全部被待审批的用编申请占用（待审批共4名）".into())
        );
        let e = l
            .check_request(ADMIN, Headcount::new(2), Headcount::new(2))
            .unwrap_err();
        assert_eq!(
            e,
            LedgerError::VacancyClaimed {
                category: ADMIN,
                requested: Headcount::new(2),
                vacant: Headcount::new(3),
                outstanding: Headcount::new(2),
            }
        );
        assert_eq!(
            e.message_en(),
            "administrative establishment: not enough vacant posts, 2 requested, 3 vacant, 2 of them asked for by requests awaiting a decision, 1 still available"
        );

        // No vacancy: reserved, over establishment, or a category without posts.
        l.reserve(ADMIN, Headcount::new(3)).unwrap();
        assert_eq!(
            request(&l, 1, 0),
            Err("空余编制不足：行政编制申请使用1名，现无空编".into())
        );
        assert_eq!(
            request(&l, 1, 1),
            Err("空余编制不足：行政编制申请使用1名，现无空编（另有待审批的用编申请1名）".into())
        );
        let logistics = EstablishmentCategory::Logistics;
        let e = l
            .check_request(logistics, Headcount::ONE, Headcount::ZERO)
            .unwrap_err();
        assert_eq!(
            e.message_en(),
            format!(
                "{}: not enough vacant posts, 1 requested, none vacant",
                logistics.label_en()
            )
        );
        // The check changes nothing.
        assert_eq!(l.figures(ADMIN).reserved, Headcount::new(5));
    }

    #[test]
    fn requests_awaiting_a_decision_claim_the_vacancy_and_their_posts_add_up() {
        use crate::application::{Action, ApplicationKind, next_status};
        // Exactly the statuses from which decisions alone (endorse, approve) lead to approval.
        for status in ApplicationStatus::ALL {
            let by_decisions = [Action::Endorse, Action::Approve]
                .into_iter()
                .any(|a| next_status(ApplicationKind::QuotaUse, *status, a).is_ok());
            assert_eq!(claims_vacancy(*status), by_decisions, "{status:?}");
        }
        let logistics = EstablishmentCategory::Logistics;
        let requests = [
            (ADMIN, Headcount::new(2)),
            (logistics, Headcount::new(5)),
            (ADMIN, Headcount::ONE),
        ];
        assert_eq!(outstanding_posts(ADMIN, requests), Headcount::new(3));
        assert_eq!(outstanding_posts(logistics, requests), Headcount::new(5));
        assert_eq!(
            outstanding_posts(EstablishmentCategory::PublicInstitution, requests),
            Headcount::ZERO
        );
        let huge = [(ADMIN, Headcount::new(u32::MAX)), (ADMIN, Headcount::ONE)];
        assert_eq!(outstanding_posts(ADMIN, huge), Headcount::new(u32::MAX));
    }

    #[test]
    fn serde_round_trip_recomputes_approved() {
        let mut l = UnitLedger::new();
        l.add_row(row("天机编发〔2018〕1号", 5)).unwrap();
        l.reserve(ADMIN, Headcount::new(2)).unwrap();
        let json = serde_json::to_string(&l).unwrap();
        let back: UnitLedger = serde_json::from_str(&json).unwrap();
        assert_eq!(back, l);
        assert!(json.contains("\"administrative\""));
    }
}
