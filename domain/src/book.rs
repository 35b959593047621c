//! 用编先申请，入编要登记: one unit's ledger, staff, departed staff and slips, changed only by the
//! effects of approved applications, each checked in full before anything changes.

use std::collections::BTreeMap;

use crate::date::Date;
use crate::document_number::DocumentNumber;
use crate::error::ValidationError;
use crate::establishment::EstablishmentCategory;
use crate::headcount::Headcount;
use crate::id_number::IdNumber;
use crate::ids::UnitId;
use crate::ledger::{LedgerError, LedgerRow, UnitLedger};
use crate::payload::{
    ApplicationPayload, ChangeSubject, FieldChange, OffboardingRequest, OnboardingRequest,
    QuotaUseRequest, RecordChangeRequest,
};
use crate::person::{DepartedPerson, Person};
use crate::record_change::{RecordChangeError, change_person, change_unit};
use crate::registry::{PostHolding, PostRegistry, RegistryError};
use crate::slip::{QuotaUseSlip, SlipError, SlipValidity};
use crate::unit::UnitRecord;

/// Why an approval could not take effect. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    /// The ledger refused.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// One person, one post.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The slip cannot be used.
    #[error(transparent)]
    Slip(#[from] SlipError),
    /// A field of the person's record is invalid.
    #[error(transparent)]
    Person(#[from] ValidationError),
    /// No slip with that number in this unit.
    #[error("no quota-use slip {number} in this unit")]
    UnknownSlip { number: String },
    /// A slip with that number exists already.
    #[error("quota-use slip {number} exists already")]
    DuplicateSlip { number: String },
    /// The person is not on this unit's staff (masked number).
    #[error("{id} is not on the staff of this unit")]
    NotOnStaff { id: String },
    /// A request for zero posts.
    #[error("a request must be for at least one post")]
    ZeroCount,
    /// A record change that cannot be applied.
    #[error(transparent)]
    RecordChange(#[from] RecordChangeError),
}

impl ApprovalError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::Ledger(e) => e.message_zh(),
            Self::Registry(e) => e.message_zh(),
            Self::Slip(e) => e.message_zh(),
            Self::Person(e) => e.message_zh(),
            Self::UnknownSlip { number } => format!("本单位没有编号为{number}的编制使用单"),
            Self::DuplicateSlip { number } => format!("编制使用单编号{number}已存在"),
            Self::NotOnStaff { id } => format!("身份证号{id}不在本单位在编人员中"),
            Self::ZeroCount => "申请用编数至少为1名".to_owned(),
            Self::RecordChange(e) => e.message_zh(),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::Ledger(e) => e.message_en(),
            Self::Registry(e) => e.message_en(),
            Self::Slip(e) => e.message_en(),
            Self::Person(e) => e.message_en(),
            Self::UnknownSlip { number } => format!("this unit has no quota-use slip {number}"),
            Self::DuplicateSlip { number } => {
                format!("quota-use slip number {number} exists already")
            }
            Self::NotOnStaff { id } => format!("ID number {id} is not on the staff of this unit"),
            Self::ZeroCount => "at least one post must be requested".to_owned(),
            Self::RecordChange(e) => e.message_en(),
        }
    }
}

/// A disagreement between the ledger and the lists it summarises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsistencyError {
    /// `filled` differs from the number of staff in the category.
    #[error("{category}: ledger says {ledger} filled, staff list has {staff}")]
    Filled {
        category: EstablishmentCategory,
        ledger: Headcount,
        staff: Headcount,
    },
    /// `reserved` differs from the unused posts of open slips.
    #[error("{category}: ledger says {ledger} reserved, open slips hold {slips}")]
    Reserved {
        category: EstablishmentCategory,
        ledger: Headcount,
        slips: Headcount,
    },
}

/// The establishment book of one unit: its ledger, staff (在编人员), departed staff (减少人员) and
/// quota-use slips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitBook {
    unit: UnitId,
    ledger: UnitLedger,
    staff: BTreeMap<IdNumber, Person>,
    departed: Vec<DepartedPerson>,
    slips: BTreeMap<DocumentNumber, QuotaUseSlip>,
}

impl UnitBook {
    /// A unit with a ledger and nobody on staff.
    pub fn new(unit: UnitId, ledger: UnitLedger) -> UnitBook {
        UnitBook {
            unit,
            ledger,
            staff: BTreeMap::new(),
            departed: Vec::new(),
            slips: BTreeMap::new(),
        }
    }

    /// Rebuilds a book from stored parts and checks that the ledger agrees with them.
    pub fn from_parts(
        unit: UnitId,
        ledger: UnitLedger,
        staff: Vec<Person>,
        departed: Vec<DepartedPerson>,
        slips: Vec<QuotaUseSlip>,
    ) -> Result<UnitBook, ConsistencyError> {
        let book = UnitBook {
            unit,
            ledger,
            staff: staff
                .into_iter()
                .map(|p| (p.id_number.clone(), p))
                .collect(),
            departed,
            slips: slips.into_iter().map(|s| (s.number.clone(), s)).collect(),
        };
        book.check_consistency()?;
        Ok(book)
    }

    /// Checks `filled` = staff per category and `reserved` = unused posts of open slips.
    pub fn check_consistency(&self) -> Result<(), ConsistencyError> {
        for category in EstablishmentCategory::ALL.iter().copied() {
            let f = self.ledger.figures(category);
            let staff = self
                .staff
                .values()
                .filter(|p| p.category == category)
                .count();
            let staff = Headcount::new(u32::try_from(staff).unwrap_or(u32::MAX));
            if staff != f.filled {
                return Err(ConsistencyError::Filled {
                    category,
                    ledger: f.filled,
                    staff,
                });
            }
            let slips = self
                .slips
                .values()
                .filter(|s| s.category == category && s.holds_reservation())
                .fold(Headcount::ZERO, |acc, s| {
                    acc.checked_add(s.remaining())
                        .unwrap_or(Headcount::new(u32::MAX))
                });
            if slips != f.reserved {
                return Err(ConsistencyError::Reserved {
                    category,
                    ledger: f.reserved,
                    slips,
                });
            }
        }
        Ok(())
    }

    /// The unit.
    pub fn unit(&self) -> &UnitId {
        &self.unit
    }

    /// The ledger.
    pub fn ledger(&self) -> &UnitLedger {
        &self.ledger
    }

    /// People in post, by ID number.
    pub fn staff(&self) -> &BTreeMap<IdNumber, Person> {
        &self.staff
    }

    /// People who left, in order of approval.
    pub fn departed(&self) -> &[DepartedPerson] {
        &self.departed
    }

    /// The quota-use slips, by number.
    pub fn slips(&self) -> &BTreeMap<DocumentNumber, QuotaUseSlip> {
        &self.slips
    }

    /// Records an establishment decision (a ledger row).
    pub fn add_ledger_row(&mut self, row: LedgerRow) -> Result<(), LedgerError> {
        self.ledger.add_row(row)
    }

    /// Quota-use approval: reserves the posts and issues slip `number`, valid from `on`.
    pub fn approve_quota_use(
        &mut self,
        request: &QuotaUseRequest,
        number: DocumentNumber,
        on: Date,
        validity: SlipValidity,
    ) -> Result<&QuotaUseSlip, ApprovalError> {
        if request.count.is_zero() {
            return Err(ApprovalError::ZeroCount);
        }
        if self.slips.contains_key(&number) {
            return Err(ApprovalError::DuplicateSlip {
                number: number.to_string(),
            });
        }
        self.ledger.reserve(request.category, request.count)?;
        let slip = QuotaUseSlip {
            number: number.clone(),
            unit: self.unit.clone(),
            category: request.category,
            funding_form: request.funding_form,
            count: request.count,
            used: Headcount::ZERO,
            issued_on: on,
            valid_until: validity.valid_until(on),
            released: false,
        };
        Ok(self.slips.entry(number).or_insert(slip))
    }

    /// Onboarding approval on `on`: the person enters the staff on a valid slip (its number
    /// and the onboarding notice `notice`, if issued, recorded with the person), one reserved
    /// post becomes filled, the slip has one post less left, and the registry records the post.
    pub fn approve_onboarding(
        &mut self,
        registry: &mut PostRegistry,
        request: &OnboardingRequest,
        on: Date,
        notice: Option<DocumentNumber>,
    ) -> Result<&Person, ApprovalError> {
        let person = &request.person;
        person.check()?;
        let number = &request.slip_number;
        let slip = self
            .slips
            .get(number)
            .ok_or_else(|| ApprovalError::UnknownSlip {
                number: number.to_string(),
            })?;
        slip.check_usable(&self.unit, person.category, on)?;
        registry.check_free(&person.id_number)?;
        if self.staff.contains_key(&person.id_number) {
            return Err(RegistryError::AlreadyHoldsPost {
                id: person.id_number.masked(),
                unit: self.unit.clone(),
            }
            .into());
        }
        self.ledger
            .check_reserved(person.category, Headcount::ONE)?;

        // Every check passed: apply all effects.
        self.ledger.fill_reserved(person.category, Headcount::ONE)?;
        registry.register(
            person.id_number.clone(),
            PostHolding {
                unit: self.unit.clone(),
                category: person.category,
            },
        )?;
        if let Some(slip) = self.slips.get_mut(number) {
            slip.used = slip.used.checked_add(Headcount::ONE).unwrap_or(slip.count);
        }
        let mut person = person.clone();
        person.slip_number = Some(number.clone());
        if notice.is_some() {
            person.enrolment_document = notice;
        }
        let id = person.id_number.clone();
        Ok(self.staff.entry(id).or_insert(person))
    }

    /// Record-change approval: the unit's record (`unit`, this book's unit) or a person on its
    /// staff changed, field by field ([`crate::record_change`]); returns the changes that
    /// changed something, each with the old value as `before`, for the history.
    pub fn approve_record_change(
        &mut self,
        unit: &mut UnitRecord,
        request: &RecordChangeRequest,
    ) -> Result<Vec<FieldChange>, ApprovalError> {
        match &request.subject {
            ChangeSubject::Unit => {
                let (changed, applied) = change_unit(unit, &request.changes)?;
                if changed.id != self.unit {
                    return Err(RecordChangeError::NotChangeable { field: "id".into() }.into());
                }
                *unit = changed;
                Ok(applied)
            }
            ChangeSubject::Person { id_number } => {
                let person =
                    self.staff
                        .get(id_number)
                        .ok_or_else(|| ApprovalError::NotOnStaff {
                            id: id_number.masked(),
                        })?;
                let (changed, applied) = change_person(person, &request.changes)?;
                self.staff.insert(id_number.clone(), changed);
                Ok(applied)
            }
        }
    }

    /// Offboarding approval: the person moves to departed staff and the post is freed.
    pub fn approve_offboarding(
        &mut self,
        registry: &mut PostRegistry,
        request: &OffboardingRequest,
        approval: Option<DocumentNumber>,
    ) -> Result<&DepartedPerson, ApprovalError> {
        let id = &request.id_number;
        let person = self
            .staff
            .get(id)
            .ok_or_else(|| ApprovalError::NotOnStaff { id: id.masked() })?;
        registry.check_held(id, &self.unit)?;
        self.ledger.check_filled(person.category, Headcount::ONE)?;

        self.ledger.free_filled(person.category, Headcount::ONE)?;
        registry.release(id, &self.unit)?;
        let person = self
            .staff
            .remove(id)
            .ok_or_else(|| ApprovalError::NotOnStaff { id: id.masked() })?;
        self.departed.push(DepartedPerson {
            person,
            reason: request.reason,
            left_on: request.left_on,
            document: request.document.clone(),
            approval,
        });
        // Just pushed, so the list is not empty.
        self.departed
            .last()
            .ok_or(ApprovalError::NotOnStaff { id: id.masked() })
    }

    /// Releases a slip (withdrawn, cancelled or no longer needed): its unused posts are no longer
    /// reserved. Releasing a released slip is harmless.
    pub fn release_slip(&mut self, number: &DocumentNumber) -> Result<Headcount, ApprovalError> {
        let slip = self
            .slips
            .get(number)
            .ok_or_else(|| ApprovalError::UnknownSlip {
                number: number.to_string(),
            })?;
        if slip.released {
            return Ok(Headcount::ZERO);
        }
        let freed = slip.remaining();
        let category = slip.category;
        self.ledger.release_reserved(category, freed)?;
        if let Some(slip) = self.slips.get_mut(number) {
            slip.released = true;
        }
        Ok(freed)
    }

    /// Releases every slip that expired before `on`; returns their numbers.
    pub fn expire_slips(&mut self, on: Date) -> Result<Vec<DocumentNumber>, ApprovalError> {
        let expired: Vec<DocumentNumber> = self
            .slips
            .values()
            .filter(|s| !s.released && s.valid_until < on)
            .map(|s| s.number.clone())
            .collect();
        for number in &expired {
            self.release_slip(number)?;
        }
        Ok(expired)
    }
}

impl UnitLedger {
    /// The ledger once an application asking `payload` is approved — the figures' part of
    /// [`UnitBook`]'s approvals, for showing a decision's effect before it is taken: a quota
    /// use reserves its posts, an onboarding fills one reserved post, an offboarding frees the
    /// person's post (`staff`: the unit's, to find the person's category). `Ok(None)`: no
    /// figure changes (a record change, or a person not on `staff`); `Err`: it would break the
    /// ledger, as the approval itself would.
    pub fn after_approval(
        &self,
        payload: &ApplicationPayload,
        staff: &[Person],
    ) -> Result<Option<UnitLedger>, LedgerError> {
        let mut after = self.clone();
        match payload {
            ApplicationPayload::QuotaUse(request) => {
                after.reserve(request.category, request.count)?;
            }
            ApplicationPayload::Onboarding(request) => {
                after.fill_reserved(request.person.category, Headcount::ONE)?;
            }
            ApplicationPayload::Offboarding(request) => {
                let Some(person) = staff.iter().find(|p| p.id_number == request.id_number) else {
                    return Ok(None);
                };
                after.free_filled(person.category, Headcount::ONE)?;
            }
            ApplicationPayload::RecordChange(_) => return Ok(None),
        }
        Ok(Some(after))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::fixtures::{date, doc, id, person};
    use crate::headcount::HeadcountDelta;
    use crate::person::{DepartureReason, EntryForm};

    const ADMIN: EstablishmentCategory = EstablishmentCategory::Administrative;

    fn book(unit: &str, approved: i32) -> UnitBook {
        let mut ledger = UnitLedger::new();
        ledger
            .add_row(LedgerRow {
                document: doc("天机编发〔2018〕1号"),
                date: date("2018-01-01"),
                title: "三定规定".into(),
                changes: BTreeMap::from([(ADMIN, HeadcountDelta::new(approved))]),
                note: None,
            })
            .unwrap();
        UnitBook::new(UnitId::parse(unit).unwrap(), ledger)
    }

    fn quota(count: u32) -> QuotaUseRequest {
        QuotaUseRequest {
            category: ADMIN,
            funding_form: None,
            count: Headcount::new(count),
            recruitment: EntryForm::Examination,
            reason: "补充工作人员".into(),
            request_document: None,
        }
    }

    fn onboarding(slip: &str, n: u32) -> OnboardingRequest {
        OnboardingRequest {
            slip_number: doc(slip),
            person: person(id(n), ADMIN),
            hr_document: None,
        }
    }

    #[test]
    fn the_ledger_after_an_approval_is_the_books_after_it() {
        let mut b = book("u1", 3);
        let before = b.ledger().clone();
        let asked = ApplicationPayload::QuotaUse(quota(2));
        let shown = before.after_approval(&asked, &[]).unwrap().unwrap();
        b.approve_quota_use(
            &quota(2),
            doc("天编用〔2026〕0001号"),
            date("2026-03-01"),
            SlipValidity::default(),
        )
        .unwrap();
        assert_eq!(&shown, b.ledger());
        let filled =
            ApplicationPayload::Onboarding(Box::new(onboarding("天编用〔2026〕0001号", 1)));
        let after = shown.after_approval(&filled, &[]).unwrap().unwrap();
        let mut reg = PostRegistry::new();
        b.approve_onboarding(
            &mut reg,
            &onboarding("天编用〔2026〕0001号", 1),
            date("2026-04-01"),
            None,
        )
        .unwrap();
        assert_eq!(&after, b.ledger());
        // More than the vacancy: refused, as the approval is.
        let too_many = ApplicationPayload::QuotaUse(quota(3));
        assert!(after.after_approval(&too_many, &[]).is_err());
    }

    #[test]
    fn full_cycle() {
        let mut reg = PostRegistry::new();
        let mut b = book("u1", 3);
        let slip = b
            .approve_quota_use(
                &quota(2),
                doc("天编用〔2026〕0001号"),
                date("2026-03-01"),
                SlipValidity::default(),
            )
            .unwrap();
        assert_eq!(slip.valid_until, date("2026-05-30"));
        assert!(matches!(
            b.approve_quota_use(
                &quota(2),
                doc("天编用〔2026〕0002号"),
                date("2026-03-01"),
                SlipValidity::default()
            ),
            Err(ApprovalError::Ledger(
                LedgerError::InsufficientVacancy { .. }
            ))
        ));
        b.approve_onboarding(
            &mut reg,
            &onboarding("天编用〔2026〕0001号", 1),
            date("2026-04-01"),
            None,
        )
        .unwrap();
        assert_eq!(
            b.staff()[&id(1)].slip_number,
            Some(doc("天编用〔2026〕0001号"))
        );
        // The same person cannot enter twice.
        let e = b
            .approve_onboarding(
                &mut reg,
                &onboarding("天编用〔2026〕0001号", 1),
                date("2026-04-01"),
                None,
            )
            .unwrap_err();
        assert!(matches!(e, ApprovalError::Registry(_)), "{e:?}");
        // Nor after expiry.
        let e = b
            .approve_onboarding(
                &mut reg,
                &onboarding("天编用〔2026〕0001号", 2),
                date("2026-06-01"),
                None,
            )
            .unwrap_err();
        assert!(matches!(e, ApprovalError::Slip(SlipError::Expired { .. })));
        assert_eq!(b.expire_slips(date("2026-06-01")).unwrap().len(), 1);
        let f = b.ledger().figures(ADMIN);
        assert_eq!(
            (f.approved.get(), f.filled.get(), f.reserved.get()),
            (3, 1, 0)
        );
        let off = OffboardingRequest {
            id_number: id(1),
            reason: DepartureReason::TransferOut,
            left_on: date("2026-07-10"),
            document: doc("天人社发〔2026〕9号"),
        };
        b.approve_offboarding(&mut reg, &off, None).unwrap();
        assert!(b.approve_offboarding(&mut reg, &off, None).is_err());
        assert_eq!(b.departed().len(), 1);
        assert!(reg.is_empty());
        b.check_consistency().unwrap();
    }

    #[test]
    fn one_post_across_units() {
        let mut reg = PostRegistry::new();
        let mut a = book("a", 1);
        let mut c = book("c", 1);
        a.approve_quota_use(
            &quota(1),
            doc("天编用〔2026〕0001号"),
            date("2026-03-01"),
            SlipValidity::default(),
        )
        .unwrap();
        c.approve_quota_use(
            &quota(1),
            doc("天编用〔2026〕0002号"),
            date("2026-03-01"),
            SlipValidity::default(),
        )
        .unwrap();
        a.approve_onboarding(
            &mut reg,
            &onboarding("天编用〔2026〕0001号", 7),
            date("2026-03-02"),
            None,
        )
        .unwrap();
        let e = c
            .approve_onboarding(
                &mut reg,
                &onboarding("天编用〔2026〕0002号", 7),
                date("2026-03-02"),
                None,
            )
            .unwrap_err();
        assert!(
            e.message_zh().contains("只能占用一个编制"),
            "{}",
            e.message_zh()
        );
        // Nothing changed in c.
        assert_eq!(c.ledger().figures(ADMIN).reserved, Headcount::ONE);
        assert!(c.staff().is_empty());
    }

    #[test]
    fn wrong_slip_and_bad_person() {
        let mut reg = PostRegistry::new();
        let mut b = book("u1", 2);
        assert!(matches!(
            b.approve_onboarding(
                &mut reg,
                &onboarding("天编用〔2026〕0009号", 1),
                date("2026-03-02"),
                None,
            ),
            Err(ApprovalError::UnknownSlip { .. })
        ));
        assert!(matches!(
            b.approve_quota_use(
                &quota(0),
                doc("天编用〔2026〕0001号"),
                date("2026-03-01"),
                SlipValidity::default()
            ),
            Err(ApprovalError::ZeroCount)
        ));
        b.approve_quota_use(
            &quota(1),
            doc("天编用〔2026〕0001号"),
            date("2026-03-01"),
            SlipValidity::default(),
        )
        .unwrap();
        let mut req = onboarding("天编用〔2026〕0001号", 1);
        req.person.sex = match req.person.sex {
            crate::id_number::Sex::Male => crate::id_number::Sex::Female,
            crate::id_number::Sex::Female => crate::id_number::Sex::Male,
        };
        let e = b
            .approve_onboarding(&mut reg, &req, date("2026-03-02"), None)
            .unwrap_err();
        assert!(matches!(e, ApprovalError::Person(_)));
        assert!(e.message_zh().starts_with("性别与身份证号不一致"));
        b.check_consistency().unwrap();
    }

    #[test]
    fn an_onboarding_records_its_slip_and_notice_and_a_record_change_keeps_old_values() {
        let mut reg = PostRegistry::new();
        let mut b = book("u1", 2);
        b.approve_quota_use(
            &quota(1),
            doc("天编用〔2026〕0001号"),
            date("2026-03-01"),
            SlipValidity::default(),
        )
        .unwrap();
        let entered = b
            .approve_onboarding(
                &mut reg,
                &onboarding("天编用〔2026〕0001号", 3),
                date("2026-03-02"),
                Some(doc("天编入〔2026〕0001号")),
            )
            .unwrap();
        assert_eq!(
            entered.enrolment_document,
            Some(doc("天编入〔2026〕0001号"))
        );
        assert_eq!(
            b.slips()[&doc("天编用〔2026〕0001号")].state(date("2026-03-02")),
            crate::slip::SlipState::UsedUp
        );
        let mut unit = crate::certificate::tests::sample().unit;
        unit.id = b.unit().clone();
        let before = b.staff()[&id(3)].education.code();
        let change = RecordChangeRequest {
            subject: ChangeSubject::Person { id_number: id(3) },
            changed_on: date("2026-04-01"),
            changes: vec![FieldChange {
                field: "education".into(),
                before: Some(before.into()),
                after: Some("postgraduate".into()),
            }],
            document: None,
        };
        let applied = b.approve_record_change(&mut unit, &change).unwrap();
        assert_eq!(applied[0].before.as_deref(), Some(before));
        assert_eq!(
            b.staff()[&id(3)].education,
            crate::person::Education::Postgraduate
        );
        // The same change again starts from a value the record no longer holds.
        assert!(matches!(
            b.approve_record_change(&mut unit, &change),
            Err(ApprovalError::RecordChange(RecordChangeError::Stale { .. }))
        ));
        // Someone not on the staff.
        let stranger = RecordChangeRequest {
            subject: ChangeSubject::Person { id_number: id(4) },
            ..change.clone()
        };
        assert!(matches!(
            b.approve_record_change(&mut unit, &stranger),
            Err(ApprovalError::NotOnStaff { .. })
        ));
        // The unit's record: a new short name.
        let renamed = RecordChangeRequest {
            subject: ChangeSubject::Unit,
            changes: vec![FieldChange {
                field: "short_name".into(),
                before: unit.short_name.as_ref().map(|n| n.as_str().to_owned()),
                after: Some("区卫健".into()),
            }],
            ..change
        };
        b.approve_record_change(&mut unit, &renamed).unwrap();
        assert_eq!(unit.short_name.unwrap().as_str(), "区卫健");
        b.check_consistency().unwrap();
    }

    #[test]
    fn from_parts_detects_disagreement() {
        let b = book("u1", 2);
        let err = UnitBook::from_parts(
            b.unit().clone(),
            b.ledger().clone(),
            vec![person(id(1), ADMIN)],
            vec![],
            vec![],
        )
        .unwrap_err();
        assert!(matches!(err, ConsistencyError::Filled { .. }));
    }
}
