//! The forms about people — 入编登记 (onboarding), 出编登记 (offboarding) and 实名制信息变更
//! (record change) — parsed into their `domain::payload` types with an error per field, from
//! what the local copy holds: the unit's slips, its roster and every post held in the store.

use std::collections::BTreeSet;

use domain::payload::{ChangeSubject, OffboardingRequest, OnboardingRequest, RecordChangeRequest};
use domain::person::{
    Degree, DepartureReason, Education, EntryForm, Person, PersonnelClass, PoliticalStatus,
    PostCategory,
};
use domain::slip::{QuotaUseSlip, SlipError};
use domain::unit::{InstitutionCategory, UnitLevel, UnitRecord};
use domain::{CreditCode, Date, DocumentNumber, Name, Sex, UnitId};

use crate::applications::form::{FieldError, FormField, Parser, Problem, Values};
use crate::i18n::{Lang, Msg};

/// The fields of a person's record the forms show, in order (category, funding form and slip
/// come from the slip, or stay as they are in a record change).
pub const PERSON_FIELDS: &[FormField] = &[
    FormField::Name,
    FormField::IdNumber,
    FormField::Sex,
    FormField::BirthDate,
    FormField::Ethnicity,
    FormField::NativePlace,
    FormField::PoliticalStatus,
    FormField::Education,
    FormField::Degree,
    FormField::Division,
    FormField::PersonnelClass,
    FormField::Position,
    FormField::Rank,
    FormField::PostCategory,
    FormField::EntryForm,
    FormField::EnrolledOn,
    FormField::StartedWorkOn,
    FormField::CurrentPostSince,
];

/// The fields of a person a record change shows: those of [`PERSON_FIELDS`] the domain lets a
/// record change touch (`domain::record_change::PERSON_FIELDS`: not the 身份证号), in the form's
/// order.
pub fn changeable_fields() -> Vec<FormField> {
    PERSON_FIELDS
        .iter()
        .copied()
        .filter(|f| {
            domain::record_change::PERSON_FIELDS.contains(&f.name().replace('-', "_").as_str())
        })
        .collect()
}

/// The value of the record-change form's subject list that stands for the unit's own record
/// (本单位信息); any other value is a person's 身份证号.
pub const UNIT_SUBJECT: &str = "unit";

/// The fields of the unit's record a record change shows, with their names in the record
/// (`domain::record_change::UNIT_FIELDS`).
pub const UNIT_FIELDS: &[(FormField, &str)] = &[
    (FormField::UnitName, "name"),
    (FormField::ShortName, "short_name"),
    (FormField::CreditCode, "credit_code"),
    (FormField::UnitLevel, "level"),
    (FormField::InstitutionCategory, "institution_category"),
    (FormField::FoundedOn, "founded_on"),
    (FormField::FoundingDocument, "founding_document"),
];

/// The form fields of [`UNIT_FIELDS`].
pub fn unit_form_fields() -> Vec<FormField> {
    UNIT_FIELDS.iter().map(|(f, _)| *f).collect()
}

/// What the local copy knows that the forms check against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalCopy {
    /// The clerk's unit.
    pub unit: Option<UnitId>,
    /// Today in China.
    pub today: Option<Date>,
    /// The unit's quota-use slips.
    pub slips: Vec<QuotaUseSlip>,
    /// The unit's staff.
    pub roster: Vec<Person>,
    /// Every 身份证号 in a post anywhere in the local copy.
    pub posts: BTreeSet<String>,
    /// The unit's own record (机构信息).
    pub unit_record: Option<UnitRecord>,
}

impl LocalCopy {
    /// The slips an onboarding may use today: the unit's, in force, with posts left.
    pub fn usable_slips(&self) -> Vec<&QuotaUseSlip> {
        self.slips
            .iter()
            .filter(|s| self.check_slip(s).is_ok())
            .collect()
    }

    fn check_slip(&self, slip: &QuotaUseSlip) -> Result<(), SlipError> {
        match (&self.unit, self.today) {
            (Some(unit), Some(today)) => slip.check_usable(unit, slip.category, today),
            _ => Ok(()),
        }
    }

    /// The record the record-change form's subject list value `subject` names (the unit's or
    /// a person's), as form values.
    pub fn subject_values(&self, subject: &str) -> Option<Values> {
        if subject == UNIT_SUBJECT {
            self.unit_record.as_ref().map(unit_values)
        } else {
            self.person(subject).map(person_values)
        }
    }

    /// The person of the roster with this 身份证号.
    pub fn person(&self, id_number: &str) -> Option<&Person> {
        self.roster
            .iter()
            .find(|p| p.id_number.as_str() == id_number)
    }
}

/// What a person's record takes from elsewhere than the form: the slip (onboarding) or the
/// record as it is (record change).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Base {
    category: domain::EstablishmentCategory,
    funding_form: Option<domain::FundingForm>,
    enrolment_document: Option<DocumentNumber>,
    slip_number: Option<DocumentNumber>,
}

impl Base {
    fn of(person: &Person) -> Base {
        Base {
            category: person.category,
            funding_form: person.funding_form,
            enrolment_document: person.enrolment_document.clone(),
            slip_number: person.slip_number.clone(),
        }
    }

    fn of_slip(slip: Option<&QuotaUseSlip>) -> Base {
        Base {
            category: slip.map_or(domain::EstablishmentCategory::Administrative, |s| {
                s.category
            }),
            funding_form: slip.and_then(|s| s.funding_form),
            enrolment_document: None,
            slip_number: slip.map(|s| s.number.clone()),
        }
    }
}

fn opt(value: Option<&str>) -> String {
    value.unwrap_or_default().to_owned()
}

fn date_text(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// The form filled with a person's record.
pub fn person_values(person: &Person) -> Values {
    let mut v = Values::of(&[
        (FormField::Name, person.name.as_str()),
        (FormField::IdNumber, person.id_number.as_str()),
        (FormField::Sex, person.sex.code()),
        (FormField::Ethnicity, &person.ethnicity),
        (FormField::NativePlace, &person.native_place),
        (FormField::PoliticalStatus, person.political_status.code()),
        (FormField::Education, person.education.code()),
        (FormField::Degree, person.degree.code()),
        (FormField::PersonnelClass, person.personnel_class.code()),
        (FormField::PostCategory, person.post_category.code()),
        (FormField::EntryForm, person.entry_form.code()),
    ]);
    v.set(FormField::BirthDate, person.birth_date.to_string());
    v.set(FormField::EnrolledOn, person.enrolled_on.to_string());
    v.set(
        FormField::Division,
        opt(person.division.as_ref().map(Name::as_str)),
    );
    v.set(FormField::Position, opt(person.position.as_deref()));
    v.set(FormField::Rank, opt(person.rank.as_deref()));
    v.set(FormField::StartedWorkOn, date_text(person.started_work_on));
    v.set(
        FormField::CurrentPostSince,
        date_text(person.current_post_since),
    );
    v
}

/// The form filled with the unit's record.
pub fn unit_values(unit: &UnitRecord) -> Values {
    let mut v = Values::of(&[
        (FormField::UnitName, unit.name.as_str()),
        (FormField::UnitLevel, unit.level.code()),
    ]);
    v.set(
        FormField::ShortName,
        opt(unit.short_name.as_ref().map(Name::as_str)),
    );
    v.set(
        FormField::CreditCode,
        opt(unit.credit_code.as_ref().map(CreditCode::as_str)),
    );
    v.set(
        FormField::InstitutionCategory,
        opt(unit.institution_category.map(InstitutionCategory::code)),
    );
    v.set(FormField::FoundedOn, date_text(unit.founded_on));
    v.set(
        FormField::FoundingDocument,
        document_text(unit.founding_document.as_ref()),
    );
    v
}

/// The unit's record as the form now holds it; what the form does not show stays as `before`
/// holds it. Cross-field rules (事业单位分类 only for 事业单位) are the domain's.
fn parse_unit(p: &mut Parser<'_>, before: &UnitRecord) -> Option<UnitRecord> {
    let name = p.name(FormField::UnitName);
    let short_name = p.parsed_optional(FormField::ShortName, Name::parse);
    let credit_code = p.parsed_optional(FormField::CreditCode, CreditCode::parse);
    let level = p.choice(FormField::UnitLevel, UnitLevel::from_code);
    let institution_category = if p.text(FormField::InstitutionCategory).is_empty() {
        None
    } else {
        p.choice(
            FormField::InstitutionCategory,
            InstitutionCategory::from_code,
        )
    };
    let founded_on = p.optional_date(FormField::FoundedOn);
    let founding_document = p.optional_document(FormField::FoundingDocument);
    let after = UnitRecord {
        name: name?,
        short_name,
        credit_code,
        level: level?,
        institution_category,
        founded_on,
        founding_document,
        ..before.clone()
    };
    if let Err(e) = after.check() {
        p.fail_domain(FormField::UnitName, e);
    }
    Some(after)
}

/// The person's record from the form; what the form does not hold (category, funding form,
/// slip, onboarding notice) comes from `base`. Cross-field rules (身份证号 with 出生日期 and
/// 性别 …) are the domain's `Person::check`.
fn parse_person(p: &mut Parser<'_>, base: Base) -> Option<Person> {
    let name = p.name(FormField::Name);
    let id_number = p.id_number(FormField::IdNumber);
    let sex = p.choice(FormField::Sex, Sex::from_code);
    let birth_date = p.date(FormField::BirthDate);
    let ethnicity = p.required(FormField::Ethnicity);
    let native_place = p.required(FormField::NativePlace);
    let political_status = p.choice(FormField::PoliticalStatus, PoliticalStatus::from_code);
    let education = p.choice(FormField::Education, Education::from_code);
    let degree = p.choice(FormField::Degree, Degree::from_code);
    let division = p.parsed_optional(FormField::Division, Name::parse);
    let personnel_class = p.choice(FormField::PersonnelClass, PersonnelClass::from_code);
    let position = p.optional(FormField::Position);
    let rank = p.optional(FormField::Rank);
    let post_category = p.choice(FormField::PostCategory, PostCategory::from_code);
    let entry_form = p.choice(FormField::EntryForm, EntryForm::from_code);
    let enrolled_on = p.date(FormField::EnrolledOn);
    let started_work_on = p.optional_date(FormField::StartedWorkOn);
    let current_post_since = p.optional_date(FormField::CurrentPostSince);
    let person = Person {
        id_number: id_number?,
        name: name?,
        sex: sex?,
        birth_date: birth_date?,
        ethnicity,
        native_place,
        political_status: political_status?,
        education: education?,
        degree: degree?,
        division,
        category: base.category,
        funding_form: base.funding_form,
        personnel_class: personnel_class?,
        position,
        rank,
        post_category: post_category?,
        entry_form: entry_form?,
        enrolled_on: enrolled_on?,
        enrolment_document: base.enrolment_document,
        started_work_on,
        current_post_since,
        slip_number: base.slip_number,
    };
    if let Err(e) = person.check() {
        p.fail_domain(FormField::IdNumber, e);
    }
    Some(person)
}

/// 入编登记: the slip chosen among the usable ones, the person's record; refused here when the
/// 身份证号 already holds a post in the local copy (the server checks again).
pub fn parse_onboarding(
    values: &Values,
    local: &LocalCopy,
) -> Result<OnboardingRequest, Vec<FieldError>> {
    let mut p = Parser::new(values);
    let number = p.text(FormField::Slip);
    let slip = local.slips.iter().find(|s| s.number.as_str() == number);
    match slip {
        None => p.fail(FormField::Slip, Problem::Choose),
        Some(slip) => {
            if let Err(e) = local.check_slip(slip) {
                p.fail(FormField::Slip, slip_problem(&e));
            }
        }
    }
    let person = parse_person(&mut p, Base::of_slip(slip));
    if let Some(person) = &person
        && local.posts.contains(person.id_number.as_str())
    {
        p.fail(FormField::IdNumber, Problem::Msg(Msg::ErrIdHoldsPost));
    }
    let hr_document = p.optional_document(FormField::HrDocument);
    let request = match (slip, person) {
        (Some(slip), Some(person)) => Some(OnboardingRequest {
            slip_number: slip.number.clone(),
            person,
            hr_document,
        }),
        _ => None,
    };
    p.finish(request)
}

fn slip_problem(e: &SlipError) -> Problem {
    Problem::Text {
        zh: e.message_zh(),
        en: e.message_en(),
    }
}

/// 出编登记: the person chosen from the roster, the reason, the date it happened, the document.
pub fn parse_offboarding(
    values: &Values,
    local: &LocalCopy,
) -> Result<OffboardingRequest, Vec<FieldError>> {
    let mut p = Parser::new(values);
    let person = chosen_person(&mut p, local);
    let reason = p.choice(FormField::DepartureReason, DepartureReason::from_code);
    let left_on = p.date(FormField::LeftOn);
    let document = p.document(FormField::DepartureDocument);
    let request = match (person, reason, left_on, document) {
        (Some(person), Some(reason), Some(left_on), Some(document)) => Some(OffboardingRequest {
            id_number: person.id_number.clone(),
            reason,
            left_on,
            document,
        }),
        _ => None,
    };
    p.finish(request)
}

fn chosen_person<'a>(p: &mut Parser<'_>, local: &'a LocalCopy) -> Option<&'a Person> {
    let person = local.person(p.text(FormField::Person));
    if person.is_none() {
        p.fail(FormField::Person, Problem::Choose);
    }
    person
}

/// 实名制信息变更 of a person or of the unit's own record: the record as the form now holds it
/// against the local copy's; every field that differs is a change (nothing changed, nothing to
/// sign).
pub fn parse_record_change(
    values: &Values,
    local: &LocalCopy,
) -> Result<RecordChangeRequest, Vec<FieldError>> {
    let mut p = Parser::new(values);
    // The subject, once its record before and after the change are both read.
    let (subject, changes, allowed) = if p.text(FormField::Person) == UNIT_SUBJECT {
        let before = local.unit_record.as_ref();
        if before.is_none() {
            p.fail(FormField::Person, Problem::Choose);
        }
        let after = before.and_then(|before| parse_unit(&mut p, before));
        let changes = match (before, &after) {
            (Some(before), Some(after)) => RecordChangeRequest::unit_changes(before, after),
            _ => Vec::new(),
        };
        let subject = after.map(|_| ChangeSubject::Unit);
        (subject, changes, domain::record_change::UNIT_FIELDS)
    } else {
        let before = chosen_person(&mut p, local);
        let after = before.and_then(|before| parse_person(&mut p, Base::of(before)));
        let changes = match (before, &after) {
            (Some(before), Some(after)) => RecordChangeRequest::person_changes(before, after),
            _ => Vec::new(),
        };
        let subject = before
            .filter(|_| after.is_some())
            .map(|before| ChangeSubject::Person {
                id_number: before.id_number.clone(),
            });
        (subject, changes, domain::record_change::PERSON_FIELDS)
    };
    let changed_on = p.date(FormField::ChangedOn);
    let document = p.optional_document(FormField::ChangeDocument);
    // Only what a record change may change (not the 身份证号: that is another person).
    for change in &changes {
        if !allowed.contains(&change.field.as_str()) {
            let field = subject
                .as_ref()
                .and_then(|s| field_of_change(s, &change.field))
                .unwrap_or(FormField::Changes);
            p.fail(field, Problem::Msg(Msg::ErrNotChangeable));
        }
    }
    // Both records read: whether anything changes.
    if subject.is_some()
        && let Err(e) = RecordChangeRequest::check_changes(&changes)
    {
        p.fail(FormField::Changes, Problem::Domain(e));
    }
    let request = match (subject, changed_on) {
        (Some(subject), Some(changed_on)) => Some(RecordChangeRequest {
            subject,
            changed_on,
            changes,
            document,
        }),
        _ => None,
    };
    p.finish(request)
}

/// The form field of a change's `field` (named as in the record's JSON) for its subject.
pub fn field_of_change(subject: &ChangeSubject, name: &str) -> Option<FormField> {
    match subject {
        ChangeSubject::Unit => UNIT_FIELDS
            .iter()
            .find(|(_, json)| *json == name)
            .map(|(f, _)| *f),
        ChangeSubject::Person { .. } => field_of_record(name),
    }
}

/// A change's field by its label in the form (单位名称, 籍贯 …), else as named in the record.
pub fn change_label(lang: Lang, subject: &ChangeSubject, name: &str) -> String {
    field_of_change(subject, name)
        .map_or_else(|| name.to_owned(), |f| f.label().text(lang).to_owned())
}

/// The form field of a person's record field named as in its JSON (a change's `field`).
pub fn field_of_record(name: &str) -> Option<FormField> {
    PERSON_FIELDS
        .iter()
        .copied()
        .find(|f| f.name().replace('-', "_") == name)
}

/// Today's date in China, from the browser's clock.
pub fn today() -> Option<Date> {
    crate::clock::now()
        .ok()
        .map(domain::Timestamp::date_in_china)
}

/// The 文号 of a document, as typed (for summaries).
pub fn document_text(document: Option<&DocumentNumber>) -> String {
    opt(document.map(DocumentNumber::as_str))
}

/// The options of a field chosen from a list of codes (empty for the others).
pub fn choices_of(field: FormField) -> crate::applications::form::Choices {
    use crate::applications::form::choices;
    // A labelled enum's codes and labels (domain's `labelled_enum!`), as the list's choices.
    macro_rules! labelled {
        ($t:ty) => {
            choices(<$t>::ALL, <$t>::code, <$t>::label_zh, <$t>::label_en)
        };
    }
    use domain::{EstablishmentCategory as C, FundingForm as F};
    match field {
        FormField::Category => labelled!(C),
        FormField::Funding => labelled!(F),
        FormField::Recruitment | FormField::EntryForm => labelled!(EntryForm),
        FormField::Sex => labelled!(Sex),
        FormField::PoliticalStatus => labelled!(PoliticalStatus),
        FormField::Education => labelled!(Education),
        FormField::Degree => labelled!(Degree),
        FormField::PersonnelClass => labelled!(PersonnelClass),
        FormField::PostCategory => labelled!(PostCategory),
        FormField::UnitLevel => labelled!(UnitLevel),
        FormField::InstitutionCategory => labelled!(InstitutionCategory),
        FormField::DepartureReason => labelled!(DepartureReason),
        _ => Vec::new(),
    }
}

/// A field's value as people read it: the label of a code, else the text as typed.
pub fn display_value(field: FormField, value: &str, lang: crate::i18n::Lang) -> String {
    choices_of(field)
        .into_iter()
        .find(|(code, _, _)| *code == value)
        .map_or_else(
            || value.to_owned(),
            |(_, zh, en)| lang.pick(zh, en).to_owned(),
        )
}

/// The filing deadline of an offboarding (end of the month it happened) or a record change
/// (30 working days, the holiday calendar), from the date typed in `field`.
pub fn deadline(field: FormField, typed: &str) -> Option<domain::Deadline> {
    let event = Date::parse(typed).ok()?;
    match field {
        FormField::LeftOn => Some(domain::Deadline::offboarding(event)),
        FormField::ChangedOn => Some(domain::Deadline::record_change_30(
            event,
            &domain::HolidayCalendar::prc_official(),
        )),
        _ => None,
    }
}

/// The quota-use slips a certificate carries.
pub fn slips_of(certificate: &domain::Certificate) -> Vec<QuotaUseSlip> {
    certificate.slips.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use FormField as F;
    use domain::{EstablishmentCategory, FundingForm, Headcount};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn unit() -> UnitId {
        UnitId::parse("620502-0012").unwrap()
    }

    fn slip(number: &str, count: u32, used: u32, valid_until: &str) -> QuotaUseSlip {
        QuotaUseSlip {
            number: DocumentNumber::parse(number).unwrap(),
            unit: unit(),
            category: EstablishmentCategory::PublicInstitution,
            funding_form: Some(FundingForm::Full),
            count: Headcount::new(count),
            used: Headcount::new(used),
            issued_on: d("2026-11-01"),
            valid_until: d(valid_until),
            released: false,
        }
    }

    fn local() -> LocalCopy {
        LocalCopy {
            unit: Some(unit()),
            today: Some(d("2026-12-01")),
            slips: vec![
                slip("天编用〔2026〕0001号", 2, 1, "2027-02-28"),
                slip("天编用〔2026〕0002号", 1, 1, "2027-02-28"),
                slip("天编用〔2026〕0003号", 1, 0, "2026-11-30"),
            ],
            roster: Vec::new(),
            posts: BTreeSet::from(["620502198001010011".to_owned()]),
            unit_record: None,
        }
    }

    /// A newly recruited teacher: 11010519491231002X is a woman born 1949-12-31.
    fn person() -> Values {
        Values::of(&[
            (F::Name, " 王芳 "),
            (F::IdNumber, "11010519491231002x"),
            (F::Sex, "female"),
            (F::BirthDate, "1949-12-31"),
            (F::Ethnicity, "汉族"),
            (F::NativePlace, "甘肃天水"),
            (F::PoliticalStatus, "masses"),
            (F::Education, "undergraduate"),
            (F::Degree, "bachelor"),
            (F::PersonnelClass, "non_leader"),
            (F::PostCategory, "professional"),
            (F::EntryForm, "open_recruitment"),
            (F::EnrolledOn, "2026-12-01"),
        ])
    }

    fn with(mut values: Values, pairs: &[(FormField, &str)]) -> Values {
        for (f, v) in pairs {
            values.set(*f, (*v).to_owned());
        }
        values
    }

    fn fields(errors: &[FieldError]) -> Vec<FormField> {
        errors.iter().map(|e| e.field).collect()
    }

    #[wasm_bindgen_test]
    fn only_slips_in_force_with_posts_left_are_offered() {
        let local = local();
        let usable: Vec<&str> = local
            .usable_slips()
            .iter()
            .map(|s| s.number.as_str())
            .collect();
        assert_eq!(usable, ["天编用〔2026〕0001号"]);
    }

    #[wasm_bindgen_test]
    fn an_onboarding_takes_category_and_funding_from_its_slip() {
        let values = with(person(), &[(F::Slip, "天编用〔2026〕0001号")]);
        let request = parse_onboarding(&values, &local()).unwrap();
        assert_eq!(request.person.name.as_str(), "王芳");
        assert_eq!(request.person.id_number.as_str(), "11010519491231002X");
        assert_eq!(
            request.person.category,
            EstablishmentCategory::PublicInstitution
        );
        assert_eq!(request.person.funding_form, Some(FundingForm::Full));
        assert_eq!(
            request.person.slip_number,
            Some(request.slip_number.clone())
        );
        assert_eq!(request.hr_document, None);
        // Filled in again from what was signed, for a revision.
        let again = person_values(&request.person);
        assert_eq!(again.get(F::IdNumber), "11010519491231002X");
        assert_eq!(again.get(F::Division), "");
    }

    #[wasm_bindgen_test]
    fn a_bad_id_number_is_named_and_nothing_else_is_blamed() {
        let values = with(
            person(),
            &[
                (F::Slip, "天编用〔2026〕0001号"),
                (F::IdNumber, "110105194912310021"),
            ],
        );
        let errors = parse_onboarding(&values, &local()).unwrap_err();
        assert_eq!(fields(&errors), [F::IdNumber]);
        let text = errors[0].text(Lang::Zh);
        assert!(text.contains("身份证号") && text.contains("校验"), "{text}");
        assert!(errors[0].text(Lang::En).contains("ID number"));
        // The birth date and sex must agree with the number.
        let values = with(
            person(),
            &[
                (F::Slip, "天编用〔2026〕0001号"),
                (F::BirthDate, "1950-01-01"),
            ],
        );
        let errors = parse_onboarding(&values, &local()).unwrap_err();
        assert_eq!(fields(&errors), [F::BirthDate]);
        let values = with(
            person(),
            &[(F::Slip, "天编用〔2026〕0001号"), (F::Sex, "male")],
        );
        assert_eq!(
            fields(&parse_onboarding(&values, &local()).unwrap_err()),
            [F::Sex]
        );
    }

    #[wasm_bindgen_test]
    fn an_id_number_in_a_post_and_an_unusable_slip_are_refused_before_signing() {
        let mut local = local();
        local.posts.insert("11010519491231002X".into());
        let values = with(person(), &[(F::Slip, "天编用〔2026〕0003号")]);
        let errors = parse_onboarding(&values, &local).unwrap_err();
        assert_eq!(fields(&errors), [F::Slip, F::IdNumber]);
        assert!(errors[0].text(Lang::Zh).contains("有效期"));
        assert!(errors[1].text(Lang::Zh).contains("已占用编制"));
        let errors = parse_onboarding(&person(), &local).unwrap_err();
        assert_eq!(errors[0].field, F::Slip);
        assert_eq!(errors[0].text(Lang::Zh), "请选择编制使用单");
        // Every field of an empty form is named, each once.
        let errors = parse_onboarding(&Values::default(), &local).unwrap_err();
        for field in [
            F::Slip,
            F::Name,
            F::IdNumber,
            F::Sex,
            F::Ethnicity,
            F::EnrolledOn,
        ] {
            assert_eq!(
                errors.iter().filter(|e| e.field == field).count(),
                1,
                "{field:?}"
            );
        }
    }

    fn with_roster() -> (LocalCopy, Person) {
        let mut local = local();
        let values = with(person(), &[(F::Slip, "天编用〔2026〕0001号")]);
        let someone = parse_onboarding(&values, &local).unwrap().person;
        local.roster.push(someone.clone());
        (local, someone)
    }

    #[wasm_bindgen_test]
    fn an_offboarding_names_a_person_of_the_roster_and_its_deadline_is_month_end() {
        let (local, someone) = with_roster();
        let values = Values::of(&[
            (F::Person, someone.id_number.as_str()),
            (F::DepartureReason, "retirement"),
            (F::LeftOn, "2026-12-03"),
            (F::DepartureDocument, "天人社发〔2026〕88号"),
        ]);
        let request = parse_offboarding(&values, &local).unwrap();
        assert_eq!(request.id_number, someone.id_number);
        assert_eq!(request.reason, DepartureReason::Retirement);
        let due = deadline(F::LeftOn, "2026-12-03").unwrap().due;
        assert_eq!(due, d("2026-12-31"));
        let nobody = with(
            values,
            &[(F::Person, "620502198001010011"), (F::LeftOn, "12/03")],
        );
        assert_eq!(
            fields(&parse_offboarding(&nobody, &local).unwrap_err()),
            [F::Person, F::LeftOn]
        );
    }

    #[wasm_bindgen_test]
    fn a_record_change_is_what_differs_and_nothing_changed_is_nothing_to_sign() {
        let (local, someone) = with_roster();
        let mut values = person_values(&someone);
        values.set(F::Person, someone.id_number.to_string());
        values.set(F::ChangedOn, "2026-11-20".into());
        let errors = parse_record_change(&values, &local).unwrap_err();
        assert_eq!(fields(&errors), [F::Changes]);
        assert!(errors[0].text(Lang::Zh).contains("变更事项"));
        values.set(F::Education, "postgraduate".into());
        values.set(F::Rank, "二级主任科员".into());
        let request = parse_record_change(&values, &local).unwrap();
        let changed: Vec<(&str, Option<&str>, Option<&str>)> = request
            .changes
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
            .collect();
        assert_eq!(
            changed,
            [
                ("education", Some("undergraduate"), Some("postgraduate")),
                ("rank", None, Some("二级主任科员"))
            ]
        );
        // The 身份证号 is not a record change's to change; every field the form offers is.
        let mut other = values.clone();
        let another = domain::IdNumber::compose(110105, d("1949-12-31"), 12).unwrap();
        other.set(F::IdNumber, another.to_string());
        let errors = parse_record_change(&other, &local).unwrap_err();
        assert_eq!(errors[0].field, F::IdNumber, "{errors:?}");
        // The form offers every field the domain lets change, and only those.
        let offered = changeable_fields();
        assert!(!offered.contains(&F::IdNumber));
        assert_eq!(offered.len(), domain::record_change::PERSON_FIELDS.len());
        for name in domain::record_change::PERSON_FIELDS {
            assert!(offered.contains(&field_of_record(name).unwrap()), "{name}");
        }
        assert_eq!(field_of_record("education"), Some(F::Education));
        assert_eq!(field_of_record("native_place"), Some(F::NativePlace));
        assert_eq!(
            display_value(F::Education, "postgraduate", Lang::Zh),
            "研究生"
        );
        // 30 working days, the holiday calendar's.
        assert!(deadline(F::ChangedOn, "2026-11-20").unwrap().due > d("2026-12-31"));
    }

    fn unit_record() -> UnitRecord {
        UnitRecord {
            id: unit(),
            name: Name::parse("天水市秦州区卫生健康局").unwrap(),
            short_name: Some(Name::parse("区卫健局").unwrap()),
            credit_code: None,
            kind: domain::unit::UnitKind::Organ,
            level: UnitLevel::SectionFull,
            institution_category: None,
            region: domain::Region::Qinzhou,
            supervising_department: None,
            parent: None,
            founded_on: Some(d("2019-01-10")),
            founding_document: None,
            funding: Vec::new(),
        }
    }

    #[wasm_bindgen_test]
    fn a_change_of_the_units_own_record_is_what_differs_with_its_rules() {
        let mut local = local();
        local.unit_record = Some(unit_record());
        let mut values = local.subject_values(UNIT_SUBJECT).unwrap();
        assert_eq!(values.get(F::UnitName), "天水市秦州区卫生健康局");
        assert_eq!(values.get(F::UnitLevel), "section_full");
        assert_eq!(values.get(F::FoundedOn), "2019-01-10");
        values.set(F::Person, UNIT_SUBJECT.into());
        values.set(F::ChangedOn, "2026-11-20".into());
        // Nothing changed: nothing to sign.
        let errors = parse_record_change(&values, &local).unwrap_err();
        assert_eq!(fields(&errors), [F::Changes]);
        values.set(F::ShortName, "秦州区卫健局".into());
        values.set(F::UnitLevel, "division_deputy".into());
        let request = parse_record_change(&values, &local).unwrap();
        assert_eq!(request.subject, ChangeSubject::Unit);
        let changed: Vec<(&str, Option<&str>, Option<&str>)> = request
            .changes
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
            .collect();
        assert_eq!(
            changed,
            [
                ("level", Some("section_full"), Some("division_deputy")),
                ("short_name", Some("区卫健局"), Some("秦州区卫健局")),
            ]
        );
        for (field, json) in UNIT_FIELDS {
            assert!(domain::record_change::UNIT_FIELDS.contains(json), "{json}");
            assert_eq!(field_of_change(&ChangeSubject::Unit, json), Some(*field));
        }
        // The unit's 单位名称 is not a person's 姓名.
        assert_eq!(
            field_of_change(&ChangeSubject::Unit, "name"),
            Some(F::UnitName)
        );
        assert_eq!(
            display_value(F::UnitLevel, "division_deputy", Lang::Zh),
            "副处级"
        );
        // Each field's rules, named beside it: an organ has no 事业单位分类, a bad credit code,
        // an empty name.
        let bad = with(
            values.clone(),
            &[
                (F::InstitutionCategory, "public_welfare_one"),
                (F::CreditCode, "12345"),
            ],
        );
        let errors = parse_record_change(&bad, &local).unwrap_err();
        assert_eq!(
            fields(&errors),
            [F::CreditCode, F::InstitutionCategory],
            "{errors:?}"
        );
        assert!(errors[1].text(Lang::Zh).contains("事业单位分类"));
        let mut bad = values;
        bad.set(F::UnitName, String::new());
        assert_eq!(
            fields(&parse_record_change(&bad, &local).unwrap_err()),
            [F::UnitName]
        );
        // Without the unit's record in the local copy there is nothing to change.
        local.unit_record = None;
        let mut values = Values::of(&[(F::Person, UNIT_SUBJECT), (F::ChangedOn, "2026-11-20")]);
        values.set(F::ShortName, "x".into());
        assert_eq!(
            fields(&parse_record_change(&values, &local).unwrap_err()),
            [F::Person]
        );
    }

    #[wasm_bindgen_test]
    fn a_change_is_named_by_its_label_for_its_subject() {
        let person = ChangeSubject::Person {
            id_number: domain::IdNumber::parse("11010519491231002X").unwrap(),
        };
        assert_eq!(change_label(Lang::Zh, &person, "native_place"), "籍贯");
        assert_eq!(
            change_label(Lang::En, &person, "native_place"),
            "Native place"
        );
        assert_eq!(
            change_label(Lang::Zh, &ChangeSubject::Unit, "short_name"),
            "简称"
        );
        // A name the form does not know is shown as the record names it.
        assert_eq!(change_label(Lang::Zh, &person, "unknown_x"), "unknown_x");
    }
}
