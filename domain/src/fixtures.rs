//! Test fixtures shared by the unit and property tests of this crate.

use crate::date::Date;
use crate::document_number::DocumentNumber;
use crate::establishment::{EstablishmentCategory, FundingForm};
use crate::id_number::IdNumber;
use crate::ids::Name;
use crate::person::{
    Degree, Education, EntryForm, Person, PersonnelClass, PoliticalStatus, PostCategory,
};

pub fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

pub fn doc(s: &str) -> DocumentNumber {
    DocumentNumber::parse(s).unwrap()
}

/// The `n`-th test ID number: born 1970-01-01 plus `n` * 97 days in 秦州区.
pub fn id(n: u32) -> IdNumber {
    let born = date("1970-01-01").add_days(i64::from(n) * 97).unwrap();
    IdNumber::compose(620502, born, (n % 1000) as u16).unwrap()
}

pub fn person(id_number: IdNumber, category: EstablishmentCategory) -> Person {
    Person {
        birth_date: id_number.birth_date(),
        sex: id_number.sex(),
        id_number,
        name: Name::parse("张三").unwrap(),
        ethnicity: "汉族".into(),
        native_place: "甘肃天水".into(),
        political_status: PoliticalStatus::CpcMember,
        education: Education::Undergraduate,
        degree: Degree::Bachelor,
        division: Some(Name::parse("办公室").unwrap()),
        category,
        funding_form: category.has_funding_form().then_some(FundingForm::Full),
        personnel_class: PersonnelClass::NonLeader,
        position: Some("科员".into()),
        rank: Some("一级科员".into()),
        post_category: PostCategory::Management,
        entry_form: EntryForm::Examination,
        enrolled_on: date("2020-09-01"),
        enrolment_document: None,
        started_work_on: Some(date("2020-09-01")),
        current_post_since: None,
        slip_number: None,
    }
}
