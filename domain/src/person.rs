//! 在编人员 and 减少人员: a person in an establishment post and one who has left.

use crate::date::Date;
use crate::document_number::DocumentNumber;
use crate::error::{Field, ValidationError};
use crate::establishment::{EstablishmentCategory, FundingForm};
use crate::id_number::{IdNumber, Sex};
use crate::ids::Name;

labelled_enum! {
    /// Political status (政治面貌).
    pub enum PoliticalStatus {
        CpcMember => "cpc_member", "中共党员", "CPC member";
        CpcProbationary => "cpc_probationary", "中共预备党员", "CPC probationary member";
        CylMember => "cyl_member", "共青团员", "CYL member";
        DemocraticParty => "democratic_party", "民主党派成员", "democratic party member";
        NonParty => "non_party", "无党派人士", "non-party personage";
        Masses => "masses", "群众", "no affiliation";
    }
}

labelled_enum! {
    /// Highest education (最高学历).
    pub enum Education {
        Postgraduate => "postgraduate", "研究生", "postgraduate";
        Undergraduate => "undergraduate", "大学本科", "undergraduate";
        JuniorCollege => "junior_college", "大学专科", "junior college";
        SecondaryVocational => "secondary_vocational", "中专", "secondary vocational";
        HighSchool => "high_school", "高中", "senior high school";
        JuniorOrBelow => "junior_or_below", "初中及以下", "junior high school or below";
    }
}

labelled_enum! {
    /// Degree (学位).
    pub enum Degree {
        Doctor => "doctor", "博士", "doctorate";
        Master => "master", "硕士", "master's";
        Bachelor => "bachelor", "学士", "bachelor's";
        None => "none", "无", "none";
    }
}

labelled_enum! {
    /// Personnel class (人员分类).
    pub enum PersonnelClass {
        DepartmentLeader => "department_leader", "部门正副职", "head or deputy of the unit";
        DivisionLeader => "division_leader", "内设机构正副职", "head or deputy of a division";
        NonLeader => "non_leader", "非领导", "non-leading staff";
    }
}

labelled_enum! {
    /// Post category (岗位类别).
    pub enum PostCategory {
        Management => "management", "管理", "management";
        Professional => "professional", "专技", "professional and technical";
        Skilled => "skilled", "工勤技能", "skilled worker";
    }
}

labelled_enum! {
    /// How the person entered the establishment (进入形式).
    pub enum EntryForm {
        Examination => "examination", "考录", "civil service examination";
        OpenRecruitment => "open_recruitment", "公开招聘", "open recruitment";
        TransferIn => "transfer_in", "调入", "transfer in";
        MilitaryResettlement => "military_resettlement", "军转安置", "resettled veteran";
        TalentIntroduction => "talent_introduction", "人才引进", "talent introduction";
        Selection => "selection", "选调", "selected graduate";
        Other => "other", "其他", "other";
    }
}

labelled_enum! {
    /// Why a person left the establishment (出编原因).
    pub enum DepartureReason {
        Retirement => "retirement", "退休", "retirement";
        TransferOut => "transfer_out", "调出", "transfer out";
        Resignation => "resignation", "辞职", "resignation";
        Dismissal => "dismissal", "辞退/解聘", "dismissal";
        Expulsion => "expulsion", "开除", "expulsion";
        Death => "death", "死亡", "death";
        Other => "other", "其他", "other";
    }
}

labelled_enum! {
    /// Age band of the structure analysis (年龄段).
    pub enum AgeBand {
        UpTo35 => "up_to_35", "35岁及以下", "35 and under";
        From36To45 => "from_36_to_45", "36至45岁", "36 to 45";
        From46To54 => "from_46_to_54", "46至54岁", "46 to 54";
        From55 => "from_55", "55岁及以上", "55 and over";
    }
}

impl AgeBand {
    /// The band of an age in whole years.
    pub fn of_age(age: i32) -> AgeBand {
        match age {
            ..=35 => AgeBand::UpTo35,
            36..=45 => AgeBand::From36To45,
            46..=54 => AgeBand::From46To54,
            _ => AgeBand::From55,
        }
    }
}

/// The five-year age band (五岁年龄段) of an age, as its lower bound: 20 for 20–24, 25 for
/// 25–29, …; ages under 20 fall in the band 0 and 60 and over in the band 60.
pub fn five_year_band(age: i32) -> i32 {
    match age {
        ..20 => 0,
        60.. => 60,
        a => a - a.rem_euclid(5),
    }
}

/// A person in an establishment post (在编人员).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Person {
    /// 身份证号.
    pub id_number: IdNumber,
    /// 姓名.
    pub name: Name,
    /// 性别.
    pub sex: Sex,
    /// 出生日期.
    pub birth_date: Date,
    /// 民族, e.g. 汉族, 回族.
    pub ethnicity: String,
    /// 籍贯.
    pub native_place: String,
    /// 政治面貌.
    pub political_status: PoliticalStatus,
    /// 最高学历.
    pub education: Education,
    /// 学位.
    pub degree: Degree,
    /// 内设机构.
    pub division: Option<Name>,
    /// 编制类别.
    pub category: EstablishmentCategory,
    /// 经费形式 (事业编制 only).
    pub funding_form: Option<FundingForm>,
    /// 人员分类.
    pub personnel_class: PersonnelClass,
    /// 职务.
    pub position: Option<String>,
    /// 职级.
    pub rank: Option<String>,
    /// 岗位类别.
    pub post_category: PostCategory,
    /// 进入形式.
    pub entry_form: EntryForm,
    /// 入编时间.
    pub enrolled_on: Date,
    /// 入编文号 (the onboarding notice).
    pub enrolment_document: Option<DocumentNumber>,
    /// 参加工作时间.
    pub started_work_on: Option<Date>,
    /// 任现职时间.
    pub current_post_since: Option<Date>,
    /// 编制使用单编号 the person was enrolled on.
    pub slip_number: Option<DocumentNumber>,
}

impl Person {
    /// Cross-field checks: 身份证号 agrees with 出生日期 and 性别; a funding form exactly for
    /// 事业编制; no date before the birth date.
    pub fn check(&self) -> Result<(), ValidationError> {
        self.id_number.check_agrees(self.birth_date, self.sex)?;
        match (self.category.has_funding_form(), self.funding_form) {
            (true, None) => {
                return Err(ValidationError::Empty {
                    field: Field::FundingForm,
                });
            }
            (false, Some(form)) => {
                return Err(ValidationError::Disagrees {
                    field: Field::FundingForm,
                    other: Field::EstablishmentCategory,
                    expected: self.category.label_zh().to_owned(),
                    found: form.label_zh().to_owned(),
                });
            }
            _ => {}
        }
        for d in [
            Some(self.enrolled_on),
            self.started_work_on,
            self.current_post_since,
        ]
        .into_iter()
        .flatten()
        {
            if d < self.birth_date {
                return Err(ValidationError::Disagrees {
                    field: Field::Date,
                    other: Field::BirthDate,
                    expected: format!("≥ {}", self.birth_date),
                    found: d.to_string(),
                });
            }
        }
        Ok(())
    }

    /// Age in whole years on `on`.
    pub fn age_on(&self, on: Date) -> i32 {
        self.birth_date.years_until(on)
    }
}

/// A person who has left the establishment (减少人员).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DepartedPerson {
    /// The record as it was when the person left.
    pub person: Person,
    /// 出编原因.
    pub reason: DepartureReason,
    /// 出编事由发生日期.
    pub left_on: Date,
    /// 依据文件文号 (the organisation/HR document).
    pub document: DocumentNumber,
    /// 出编登记的批准文号, if any.
    pub approval: Option<DocumentNumber>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{date, id, person};

    #[test]
    fn check_agreement_and_funding() {
        let p = person(id(1), EstablishmentCategory::Administrative);
        p.check().unwrap();
        let mut q = p.clone();
        q.birth_date = date("1960-01-01");
        assert_eq!(q.check().unwrap_err().field(), Field::BirthDate);
        let mut q = p.clone();
        q.funding_form = Some(FundingForm::Full);
        let e = q.check().unwrap_err();
        assert_eq!(e.field(), Field::FundingForm);
        assert_eq!(
            e.message_zh(),
            "经费形式与编制类别不一致：编制类别为行政编制，经费形式为全额拨款"
        );
        let mut q = person(id(1), EstablishmentCategory::PublicInstitution);
        q.funding_form = None;
        assert_eq!(q.check().unwrap_err().message_zh(), "经费形式不能为空");
        let mut q = p.clone();
        q.enrolled_on = date("1969-01-01");
        assert!(q.check().is_err());
    }

    #[test]
    fn age_bands() {
        let p = person(id(1), EstablishmentCategory::Administrative);
        assert_eq!(p.age_on(p.birth_date.add_years(35).unwrap()), 35);
        assert_eq!(AgeBand::of_age(35), AgeBand::UpTo35);
        assert_eq!(AgeBand::of_age(36), AgeBand::From36To45);
        assert_eq!(AgeBand::of_age(54), AgeBand::From46To54);
        assert_eq!(AgeBand::of_age(55), AgeBand::From55);
        assert_eq!(five_year_band(19), 0);
        assert_eq!(five_year_band(24), 20);
        assert_eq!(five_year_band(25), 25);
        assert_eq!(five_year_band(59), 55);
        assert_eq!(five_year_band(63), 60);
    }

    #[test]
    fn every_enum_round_trips_through_its_code() {
        fn check<T>(all: &[T], code: impl Fn(&T) -> &'static str, zh: impl Fn(&T) -> &'static str)
        where
            T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + core::fmt::Debug,
        {
            let mut seen = std::collections::BTreeSet::new();
            for v in all {
                assert!(seen.insert(code(v)), "duplicate code {}", code(v));
                assert!(!zh(v).is_empty());
                let json = serde_json::to_string(v).unwrap();
                assert_eq!(json, format!("\"{}\"", code(v)));
                assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), v);
            }
        }
        check(PoliticalStatus::ALL, |v| v.code(), |v| v.label_zh());
        check(Education::ALL, |v| v.code(), |v| v.label_zh());
        check(Degree::ALL, |v| v.code(), |v| v.label_zh());
        check(PersonnelClass::ALL, |v| v.code(), |v| v.label_zh());
        check(PostCategory::ALL, |v| v.code(), |v| v.label_zh());
        check(EntryForm::ALL, |v| v.code(), |v| v.label_zh());
        check(DepartureReason::ALL, |v| v.code(), |v| v.label_zh());
        check(AgeBand::ALL, |v| v.code(), |v| v.label_zh());
        check(crate::unit::UnitKind::ALL, |v| v.code(), |v| v.label_zh());
        check(crate::unit::UnitLevel::ALL, |v| v.code(), |v| v.label_zh());
        check(
            crate::unit::InstitutionCategory::ALL,
            |v| v.code(),
            |v| v.label_zh(),
        );
        check(
            crate::unit::PowerCategory::ALL,
            |v| v.code(),
            |v| v.label_zh(),
        );
        check(
            crate::unit::LeadershipLevel::ALL,
            |v| v.code(),
            |v| v.label_zh(),
        );
        check(
            crate::application::ApplicationStatus::ALL,
            |v| v.code(),
            |v| v.label_zh(),
        );
        check(
            crate::application::Action::ALL,
            |v| v.code(),
            |v| v.label_zh(),
        );
        check(
            crate::slip::IssuedDocumentKind::ALL,
            |v| v.code(),
            |v| v.label_zh(),
        );
        check(crate::region::Region::ALL, |v| v.code(), |v| v.label_zh());
        check(crate::role::Role::ALL, |v| v.code(), |v| v.label_zh());
        assert!(serde_json::from_str::<DepartureReason>("\"Retirement\"").is_err());
        assert_eq!(DepartureReason::Dismissal.label_zh(), "辞退/解聘");
    }
}
