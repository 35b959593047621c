//! 实名制信息变更: applying an approved record change to a person on the staff or to the unit's
//! record, field by field, keeping the old values.
//!
//! A [`FieldChange`] names a field by its JSON name in the record (`education`, `rank`, `name`
//! …) and gives its value before and after as text, as the record holds it (codes for the
//! labelled values, `YYYY-MM-DD` for dates, `null` for an empty optional field). The change is
//! applied only if every field may be changed by a record change, every `before` is what the
//! record holds now (nobody changed it meanwhile), at least one value really changes, and the
//! changed record still satisfies its rules (read back through its validating serde form, then
//! `check`).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ValidationError;
use crate::payload::FieldChange;
use crate::person::Person;
use crate::unit::UnitRecord;

/// The fields of a person a record change may change. Not the 身份证号 (the person's identity),
/// nor the 编制类别 or 经费形式 (a change of post is an offboarding and an onboarding), nor the
/// slip and notice of the enrolment.
pub const PERSON_FIELDS: &[&str] = &[
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "native_place",
    "political_status",
    "education",
    "degree",
    "division",
    "personnel_class",
    "position",
    "rank",
    "post_category",
    "entry_form",
    "enrolled_on",
    "started_work_on",
    "current_post_since",
];

/// The fields of a unit's record a record change may change (not its id, region, kind,
/// supervising department, parent or funding, which are establishment decisions).
pub const UNIT_FIELDS: &[&str] = &[
    "name",
    "short_name",
    "credit_code",
    "level",
    "institution_category",
    "founded_on",
    "founding_document",
];

/// Why a record change cannot be applied. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordChangeError {
    /// No field would change.
    #[error("the record change changes nothing")]
    ChangesNothing,
    /// The field is not one a record change may change.
    #[error("field {field} cannot be changed by a record change")]
    NotChangeable { field: String },
    /// The record no longer holds the value the change starts from.
    #[error("field {field}: the record holds {recorded:?}, the change starts from {before:?}")]
    Stale {
        field: String,
        recorded: Option<String>,
        before: Option<String>,
    },
    /// The changed record breaks a rule.
    #[error("the changed record is invalid: {0}")]
    Invalid(String),
    /// The changed record breaks a rule (with the domain's field).
    #[error(transparent)]
    Rule(#[from] ValidationError),
}

impl RecordChangeError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::ChangesNothing => "变更事项与现有信息相同，没有需要变更的内容".to_owned(),
            Self::NotChangeable { field } => {
                format!("“{field}”不能通过实名制信息变更修改（编制类别等须办理出编、入编）")
            }
            Self::Stale {
                field,
                recorded,
                before,
            } => format!(
                "“{field}”的变更前信息（{}）与现有信息（{}）不一致，请按最新信息重新填写",
                before.as_deref().unwrap_or("空"),
                recorded.as_deref().unwrap_or("空")
            ),
            Self::Invalid(detail) => format!("变更后的信息不符合规则：{detail}"),
            Self::Rule(error) => error.message_zh(),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::ChangesNothing => {
                "the record change changes nothing: every value is the one recorded".to_owned()
            }
            Self::NotChangeable { field } => format!(
                "field {field} cannot be changed by a record change (a change of category is an offboarding and an onboarding)"
            ),
            Self::Stale {
                field,
                recorded,
                before,
            } => format!(
                "field {field}: the change starts from {}, but the record holds {}; fill it in again from the current record",
                before.as_deref().unwrap_or("empty"),
                recorded.as_deref().unwrap_or("empty")
            ),
            Self::Invalid(detail) => format!("the changed record breaks a rule: {detail}"),
            Self::Rule(error) => error.message_en(),
        }
    }
}

/// A JSON value as a field change writes it: text, or `None` for an empty field. The client
/// (`RecordChangeRequest::person_changes`) and the server's check write it with this one
/// function; a value other than text or an integer as its JSON text by the canonical writer
/// the client signs with (serde_json's `Display` would put a second serialiser of `Value` into
/// the client). Records hold text, integers and `null` only.
pub(crate) fn as_text(value: Option<&Value>) -> Option<String> {
    let value = value?;
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Some(i.to_string()),
            (None, Some(u)) => Some(u.to_string()),
            (None, None) => json_text(value),
        },
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => json_text(value),
    }
}

/// `value` as JSON text (the canonical writer's).
fn json_text(value: &Value) -> Option<String> {
    String::from_utf8(crate::canonical::canonicalize(value).ok()?).ok()
}

/// Applies `changes` to `record` (any record with a validating serde form), allowing only
/// `fields`: the changed record, and the changes that really change something, each with the
/// value recorded before as `before`.
fn apply<T: Serialize + DeserializeOwned>(
    record: &T,
    changes: &[FieldChange],
    fields: &[&str],
) -> Result<(T, Vec<FieldChange>), RecordChangeError> {
    let mut value =
        serde_json::to_value(record).map_err(|e| RecordChangeError::Invalid(e.to_string()))?;
    let object = value
        .as_object_mut()
        .ok_or_else(|| RecordChangeError::Invalid("not a record".into()))?;
    let mut applied = Vec::new();
    for change in changes {
        if !fields.contains(&change.field.as_str()) {
            return Err(RecordChangeError::NotChangeable {
                field: change.field.clone(),
            });
        }
        let recorded = as_text(object.get(&change.field));
        if recorded != change.before {
            return Err(RecordChangeError::Stale {
                field: change.field.clone(),
                recorded,
                before: change.before.clone(),
            });
        }
        if change.after == recorded {
            continue;
        }
        let after = change.after.clone().map_or(Value::Null, Value::String);
        object.insert(change.field.clone(), after);
        applied.push(change.clone());
    }
    if applied.is_empty() {
        return Err(RecordChangeError::ChangesNothing);
    }
    let changed: T =
        serde_json::from_value(value).map_err(|e| RecordChangeError::Invalid(e.to_string()))?;
    Ok((changed, applied))
}

/// A person's record with `changes` applied and checked ([`Person::check`]).
pub fn change_person(
    person: &Person,
    changes: &[FieldChange],
) -> Result<(Person, Vec<FieldChange>), RecordChangeError> {
    let (changed, applied) = apply(person, changes, PERSON_FIELDS)?;
    changed.check()?;
    Ok((changed, applied))
}

/// A unit's record with `changes` applied and checked ([`UnitRecord::check`]).
pub fn change_unit(
    unit: &UnitRecord,
    changes: &[FieldChange],
) -> Result<(UnitRecord, Vec<FieldChange>), RecordChangeError> {
    let (changed, applied) = apply(unit, changes, UNIT_FIELDS)?;
    changed.check()?;
    Ok((changed, applied))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::establishment::EstablishmentCategory;
    use crate::fixtures::{id, person};

    fn change(field: &str, before: Option<&str>, after: Option<&str>) -> FieldChange {
        FieldChange {
            field: field.into(),
            before: before.map(Into::into),
            after: after.map(Into::into),
        }
    }

    #[test]
    fn a_change_applies_and_keeps_the_old_value() {
        let p = person(id(1), EstablishmentCategory::Administrative);
        let education = p.education.code();
        let (changed, applied) = change_person(
            &p,
            &[
                change("education", Some(education), Some("postgraduate")),
                change("rank", p.rank.as_deref(), p.rank.as_deref()),
            ],
        )
        .unwrap();
        assert_eq!(changed.education, crate::person::Education::Postgraduate);
        // The field that did not change is not kept as a change.
        assert_eq!(applied.len(), 1);
        assert_eq!(applied[0].before.as_deref(), Some(education));
        assert_eq!(changed.id_number, p.id_number);
    }

    #[test]
    fn refusals_name_the_field_and_the_rule() {
        let p = person(id(1), EstablishmentCategory::Administrative);
        let same = change_person(
            &p,
            &[change("ethnicity", Some(&p.ethnicity), Some(&p.ethnicity))],
        );
        assert_eq!(same.unwrap_err(), RecordChangeError::ChangesNothing);
        assert_eq!(
            change_person(&p, &[]).unwrap_err(),
            RecordChangeError::ChangesNothing
        );
        let e = change_person(
            &p,
            &[change(
                "category",
                Some("administrative"),
                Some("logistics"),
            )],
        )
        .unwrap_err();
        assert!(matches!(e, RecordChangeError::NotChangeable { .. }));
        assert!(e.message_zh().contains("category"), "{}", e.message_zh());
        let e = change_person(&p, &[change("ethnicity", Some("回族"), Some("汉族"))]).unwrap_err();
        assert!(matches!(e, RecordChangeError::Stale { .. }), "{e:?}");
        // A birth date that disagrees with the ID number is refused by the person's rules.
        let e = change_person(
            &p,
            &[change(
                "birth_date",
                Some(&p.birth_date.to_string()),
                Some("1999-01-01"),
            )],
        )
        .unwrap_err();
        assert!(matches!(e, RecordChangeError::Rule(_)), "{e:?}");
        // An unknown code does not read back.
        let e = change_person(
            &p,
            &[change("education", Some(p.education.code()), Some("phd"))],
        )
        .unwrap_err();
        assert!(matches!(e, RecordChangeError::Invalid(_)));
        for e in [
            RecordChangeError::ChangesNothing,
            RecordChangeError::Invalid("x".into()),
        ] {
            assert!(!e.message_zh().is_empty() && !e.message_en().is_empty());
        }
    }
}
