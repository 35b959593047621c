//! What each application asks for: the typed payloads carried inside a signed envelope.

use crate::application::{ApplicationKind, Deadline};
use crate::calendar::HolidayCalendar;
use crate::date::Date;
use crate::document_number::DocumentNumber;
use crate::error::{Field, ValidationError};
use crate::establishment::{EstablishmentCategory, FundingForm};
use crate::headcount::Headcount;
use crate::id_number::IdNumber;
use crate::person::{DepartureReason, EntryForm, Person};
use crate::unit::UnitRecord;

/// 用编申请: posts a unit asks to fill.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QuotaUseRequest {
    /// 编制类别.
    pub category: EstablishmentCategory,
    /// 经费形式 (事业编制).
    pub funding_form: Option<FundingForm>,
    /// 申请用编数.
    pub count: Headcount,
    /// 拟补充方式 (考录, 公开招聘, 调入 …).
    pub recruitment: EntryForm,
    /// 用编理由.
    pub reason: String,
    /// 主管部门用编申请文件文号.
    pub request_document: Option<DocumentNumber>,
}

/// 入编登记申请: a recruited person to register against a slip.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OnboardingRequest {
    /// 编制使用单编号.
    pub slip_number: DocumentNumber,
    /// 人员信息.
    pub person: Person,
    /// 组织、人社部门手续文号.
    pub hr_document: Option<DocumentNumber>,
}

/// 出编登记申请: a person who left and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OffboardingRequest {
    /// 身份证号.
    pub id_number: IdNumber,
    /// 出编原因.
    pub reason: DepartureReason,
    /// 事由发生日期.
    pub left_on: Date,
    /// 组织、人社部门文件文号.
    pub document: DocumentNumber,
}

/// What a record change is about (变更对象). Written as `{"type": "person", "id_number": …}`
/// (internally tagged); read back through [`SubjectFields`], which takes the same objects
/// without serde's buffering of internally tagged enums (smaller code in the client).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "SubjectFields")]
pub enum ChangeSubject {
    /// 单位信息.
    Unit,
    /// 人员信息.
    Person {
        /// 身份证号.
        id_number: IdNumber,
    },
}

/// The written form of a [`ChangeSubject`]: the tag and the fields of every variant, flat.
#[derive(serde::Deserialize)]
struct SubjectFields {
    #[serde(rename = "type")]
    kind: SubjectKind,
    #[serde(default)]
    id_number: Option<IdNumber>,
}

/// The `type` tag of a [`ChangeSubject`].
#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum SubjectKind {
    Unit,
    Person,
}

impl TryFrom<SubjectFields> for ChangeSubject {
    type Error = &'static str;

    fn try_from(fields: SubjectFields) -> Result<Self, Self::Error> {
        match (fields.kind, fields.id_number) {
            (SubjectKind::Unit, _) => Ok(Self::Unit),
            (SubjectKind::Person, Some(id_number)) => Ok(Self::Person { id_number }),
            (SubjectKind::Person, None) => Err("missing field `id_number`"),
        }
    }
}

/// One changed field (变更事项).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldChange {
    /// The field's code name, e.g. `education`.
    pub field: String,
    /// 变更前.
    pub before: Option<String>,
    /// 变更后.
    pub after: Option<String>,
}

/// 实名制信息变更申请.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordChangeRequest {
    /// 变更对象.
    pub subject: ChangeSubject,
    /// 变更发生日期.
    pub changed_on: Date,
    /// 变更事项.
    pub changes: Vec<FieldChange>,
    /// 依据文号.
    pub document: Option<DocumentNumber>,
}

/// Most posts one quota-use request may ask for.
pub const MAX_QUOTA_COUNT: u32 = 9_999;
/// Longest reason of a request, in characters.
pub const MAX_REASON_CHARS: usize = 500;

impl QuotaUseRequest {
    /// 申请数量: from 1 to [`MAX_QUOTA_COUNT`].
    pub fn check_count(count: Headcount) -> Result<(), ValidationError> {
        if (1..=MAX_QUOTA_COUNT).contains(&count.get()) {
            Ok(())
        } else {
            Err(ValidationError::OutOfRange {
                field: Field::RequestedCount,
                min: 1,
                max: i64::from(MAX_QUOTA_COUNT),
                found: i64::from(count.get()),
            })
        }
    }

    /// 经费形式: required for 事业编制 and only for it.
    pub fn check_funding(
        category: EstablishmentCategory,
        funding_form: Option<FundingForm>,
    ) -> Result<(), ValidationError> {
        match (category.has_funding_form(), funding_form) {
            (true, None) => Err(ValidationError::Empty {
                field: Field::FundingForm,
            }),
            (false, Some(form)) => Err(ValidationError::Disagrees {
                field: Field::FundingForm,
                other: Field::EstablishmentCategory,
                expected: category.label_zh().to_owned(),
                found: form.label_zh().to_owned(),
            }),
            _ => Ok(()),
        }
    }

    /// 申请理由: not blank, at most [`MAX_REASON_CHARS`] characters.
    pub fn check_reason(reason: &str) -> Result<(), ValidationError> {
        let length = reason.trim().chars().count();
        if length == 0 {
            Err(ValidationError::Empty {
                field: Field::Reason,
            })
        } else if length > MAX_REASON_CHARS {
            Err(ValidationError::TooLong {
                field: Field::Reason,
                max: MAX_REASON_CHARS,
                actual: length,
            })
        } else {
            Ok(())
        }
    }

    /// Every rule the request breaks, in the order of its fields (empty when valid).
    pub fn problems(&self) -> Vec<ValidationError> {
        [
            Self::check_funding(self.category, self.funding_form),
            Self::check_count(self.count),
            Self::check_reason(&self.reason),
        ]
        .into_iter()
        .filter_map(Result::err)
        .collect()
    }
}

impl RecordChangeRequest {
    /// The fields of a person's record that differ from `before` to `after`, by field name:
    /// `field` is the field's serde name (`education`, `rank` …), `before` and
    /// `after` its JSON value as text (codes, `yyyy-mm-dd`), `None` for an empty field.
    pub fn person_changes(before: &Person, after: &Person) -> Vec<FieldChange> {
        Self::changes_between(before, after)
    }

    /// The fields of a unit's record that differ from `before` to `after`, as
    /// [`person_changes`](Self::person_changes) gives them for a person.
    pub fn unit_changes(before: &UnitRecord, after: &UnitRecord) -> Vec<FieldChange> {
        Self::changes_between(before, after)
    }

    fn changes_between<T: serde::Serialize>(before: &T, after: &T) -> Vec<FieldChange> {
        let (Ok(serde_json::Value::Object(old)), Ok(serde_json::Value::Object(new))) =
            (serde_json::to_value(before), serde_json::to_value(after))
        else {
            return Vec::new();
        };
        let text = crate::record_change::as_text;
        new.iter()
            .filter(|(field, value)| old.get(*field) != Some(*value))
            .map(|(field, value)| FieldChange {
                field: field.clone(),
                before: text(old.get(field)),
                after: text(Some(value)),
            })
            .collect()
    }

    /// 变更事项: at least one, and each changes its field (nothing changed, nothing to sign: the
    /// client's rule before signing; the server judges the change against the record at
    /// approval).
    pub fn check_changes(changes: &[FieldChange]) -> Result<(), ValidationError> {
        if changes.is_empty() || changes.iter().any(|c| c.before == c.after) {
            Err(ValidationError::Empty {
                field: Field::Changes,
            })
        } else {
            Ok(())
        }
    }
}

/// The payload of an application, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationPayload {
    /// 用编申请.
    QuotaUse(QuotaUseRequest),
    /// 入编登记.
    Onboarding(Box<OnboardingRequest>),
    /// 出编登记.
    Offboarding(OffboardingRequest),
    /// 实名制信息变更.
    RecordChange(RecordChangeRequest),
}

impl ApplicationPayload {
    /// The rules the payload itself must satisfy, whoever built it: the client checks them
    /// before signing and the server again on every envelope it receives.
    pub fn check(&self) -> Result<(), ValidationError> {
        match self {
            Self::QuotaUse(request) => request.problems().into_iter().next().map_or(Ok(()), Err),
            Self::Onboarding(request) => request.person.check(),
            // A record change that changes nothing is refused at approval, against the record
            // as it then is (`record_change`); the client refuses it before signing.
            Self::Offboarding(_) | Self::RecordChange(_) => Ok(()),
        }
    }

    /// Its filing deadline (申报时限), for the kinds that have one: an offboarding by the end of
    /// the month of the departure, a record change within 30 working days of the change
    /// (`calendar`'s working days).
    pub fn deadline(&self, calendar: &HolidayCalendar) -> Option<Deadline> {
        match self {
            Self::Offboarding(request) => Some(Deadline::offboarding(request.left_on)),
            Self::RecordChange(request) => {
                Some(Deadline::record_change_30(request.changed_on, calendar))
            }
            Self::QuotaUse(_) | Self::Onboarding(_) => None,
        }
    }

    /// The kind of application it belongs to.
    pub fn kind(&self) -> ApplicationKind {
        match self {
            Self::QuotaUse(_) => ApplicationKind::QuotaUse,
            Self::Onboarding(_) => ApplicationKind::Onboarding,
            Self::Offboarding(_) => ApplicationKind::Offboarding,
            Self::RecordChange(_) => ApplicationKind::RecordChange,
        }
    }

    /// The payload as a JSON value (the form inside the envelope).
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            Self::QuotaUse(p) => serde_json::to_value(p),
            Self::Onboarding(p) => serde_json::to_value(p),
            Self::Offboarding(p) => serde_json::to_value(p),
            Self::RecordChange(p) => serde_json::to_value(p),
        }
    }

    /// Reads a payload of `kind` from a JSON value (validating every field).
    pub fn from_value(
        kind: ApplicationKind,
        value: &serde_json::Value,
    ) -> Result<Self, serde_json::Error> {
        use serde::Deserialize;
        Ok(match kind {
            ApplicationKind::QuotaUse => Self::QuotaUse(QuotaUseRequest::deserialize(value)?),
            ApplicationKind::Onboarding => {
                Self::Onboarding(Box::new(OnboardingRequest::deserialize(value)?))
            }
            ApplicationKind::Offboarding => {
                Self::Offboarding(OffboardingRequest::deserialize(value)?)
            }
            ApplicationKind::RecordChange => {
                Self::RecordChange(RecordChangeRequest::deserialize(value)?)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> QuotaUseRequest {
        QuotaUseRequest {
            category: EstablishmentCategory::PublicInstitution,
            funding_form: Some(FundingForm::Full),
            count: Headcount::new(2),
            recruitment: EntryForm::OpenRecruitment,
            reason: "两名教师退休".into(),
            request_document: None,
        }
    }

    #[test]
    fn a_sound_request_passes_and_each_rule_names_its_field() {
        assert!(request().problems().is_empty());
        assert_eq!(ApplicationPayload::QuotaUse(request()).check(), Ok(()));
        let bad = QuotaUseRequest {
            funding_form: None,
            count: Headcount::new(0),
            reason: "   ".into(),
            ..request()
        };
        let fields: Vec<Field> = bad.problems().iter().map(ValidationError::field).collect();
        assert_eq!(
            fields,
            [Field::FundingForm, Field::RequestedCount, Field::Reason]
        );
        for problem in bad.problems() {
            assert!(
                problem.message_zh().contains(problem.field().label_zh()),
                "{problem}"
            );
        }
        assert_eq!(
            ApplicationPayload::QuotaUse(bad)
                .check()
                .unwrap_err()
                .field(),
            Field::FundingForm
        );
    }

    #[test]
    fn a_record_change_lists_what_differs_and_nothing_changed_is_refused() {
        use crate::fixtures::{id, person};
        let before = person(id(1), EstablishmentCategory::Administrative);
        let mut after = before.clone();
        assert!(RecordChangeRequest::person_changes(&before, &after).is_empty());
        after.education = crate::person::Education::Postgraduate;
        after.rank = Some("一级主任科员".into());
        let changes = RecordChangeRequest::person_changes(&before, &after);
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["education", "rank"]);
        assert_eq!(changes[0].after.as_deref(), Some("postgraduate"));
        assert_eq!(changes[1].after.as_deref(), Some("一级主任科员"));
        assert!(RecordChangeRequest::check_changes(&changes).is_ok());
        let err = RecordChangeRequest::check_changes(&[]).unwrap_err();
        assert_eq!(err.field(), Field::Changes);
        assert_eq!(err.message_zh(), "变更事项不能为空");
        let same = FieldChange {
            field: "rank".into(),
            before: Some("x".into()),
            after: Some("x".into()),
        };
        assert!(RecordChangeRequest::check_changes(&[same]).is_err());
    }

    #[test]
    fn a_change_of_the_units_record_lists_what_differs_by_its_record_names() {
        let before = crate::certificate::tests::sample().unit;
        let mut after = before.clone();
        assert!(RecordChangeRequest::unit_changes(&before, &after).is_empty());
        after.short_name = None;
        after.level = crate::unit::UnitLevel::DivisionDeputy;
        let changes = RecordChangeRequest::unit_changes(&before, &after);
        let changed: Vec<(&str, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
            .collect();
        assert_eq!(
            changed,
            [
                ("level", Some("section_full"), Some("division_deputy")),
                ("short_name", Some("区卫健局"), None),
            ]
        );
    }

    #[test]
    fn a_change_subject_is_written_tagged_and_read_back_from_the_same_json() {
        use crate::fixtures::id;
        let person = ChangeSubject::Person { id_number: id(1) };
        let json = serde_json::to_string(&person).unwrap();
        assert_eq!(
            json,
            format!(
                "{{\"type\":\"person\",\"id_number\":\"{}\"}}",
                id(1).as_str()
            )
        );
        assert_eq!(
            serde_json::from_str::<ChangeSubject>(&json).unwrap(),
            person
        );
        assert_eq!(
            serde_json::to_string(&ChangeSubject::Unit).unwrap(),
            r#"{"type":"unit"}"#
        );
        let unit: ChangeSubject = serde_json::from_str(r#"{"type":"unit"}"#).unwrap();
        assert_eq!(unit, ChangeSubject::Unit);
        for bad in [
            r#"{"type":"person"}"#,
            r#"{"type":"person","id_number":null}"#,
            r#"{"type":"person","id_number":"1"}"#,
            r#"{"type":"unit_x"}"#,
            r#"{"id_number":"1"}"#,
        ] {
            assert!(serde_json::from_str::<ChangeSubject>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_and_the_funding_rule() {
        assert!(QuotaUseRequest::check_count(Headcount::new(MAX_QUOTA_COUNT)).is_ok());
        assert!(QuotaUseRequest::check_count(Headcount::new(MAX_QUOTA_COUNT + 1)).is_err());
        assert!(QuotaUseRequest::check_reason(&"字".repeat(MAX_REASON_CHARS)).is_ok());
        assert!(QuotaUseRequest::check_reason(&"字".repeat(MAX_REASON_CHARS + 1)).is_err());
        // Administrative posts carry no funding form.
        let err = QuotaUseRequest::check_funding(
            EstablishmentCategory::Administrative,
            Some(FundingForm::Full),
        )
        .unwrap_err();
        assert_eq!(err.field(), Field::FundingForm);
        assert!(
            QuotaUseRequest::check_funding(EstablishmentCategory::Administrative, None).is_ok()
        );
    }
}
