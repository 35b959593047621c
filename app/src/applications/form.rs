//! What every application form shares: its fields ([`FormField`], one list for all four kinds,
//! so that one field row and one select serve them all), the values as typed ([`Values`]: what
//! a draft keeps), an error per field ([`FieldError`]) and the [`Parser`] that turns typed text
//! into domain values, collecting every error at once.

use std::collections::BTreeMap;

use domain::{Date, DocumentNumber, Field, IdNumber, Name, ValidationError};
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Msg};

macro_rules! form_fields {
    ($($variant:ident => $name:literal, $label:ident;)*) => {
        /// A field of one of the forms.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum FormField { $($variant),* }

        impl FormField {
            /// Every field.
            pub const ALL: &'static [FormField] = &[$(FormField::$variant),*];

            /// Stable name: element ids are `apply-<name>` and `apply-<name>-error`, and a
            /// draft keeps its values under these names.
            pub fn name(self) -> &'static str {
                const NAMES: &[&str] = &[$($name),*];
                NAMES[self as usize]
            }

            /// The field's label.
            pub fn label(self) -> Msg {
                const LABELS: &[Msg] = &[$(Msg::$label),*];
                LABELS[self as usize]
            }
        }
    };
}

form_fields! {
    Category => "category", FieldCategory;
    Funding => "funding", FieldFunding;
    Count => "count", FieldCount;
    Recruitment => "recruitment", FieldRecruitment;
    Reason => "reason", FieldReason;
    Document => "document", FieldDocument;
    Slip => "slip", FieldSlip;
    HrDocument => "hr-document", FieldHrDocument;
    IdNumber => "id-number", FieldIdNumber;
    Name => "name", FieldName;
    Sex => "sex", FieldSex;
    BirthDate => "birth-date", FieldBirthDate;
    Ethnicity => "ethnicity", FieldEthnicity;
    NativePlace => "native-place", FieldNativePlace;
    PoliticalStatus => "political-status", FieldPoliticalStatus;
    Education => "education", FieldEducation;
    Degree => "degree", FieldDegree;
    Division => "division", FieldDivision;
    PersonnelClass => "personnel-class", FieldPersonnelClass;
    Position => "position", FieldPosition;
    Rank => "rank", FieldRank;
    PostCategory => "post-category", FieldPostCategory;
    EntryForm => "entry-form", FieldEntryForm;
    EnrolledOn => "enrolled-on", FieldEnrolledOn;
    StartedWorkOn => "started-work-on", FieldStartedWorkOn;
    CurrentPostSince => "current-post-since", FieldCurrentPostSince;
    UnitName => "unit-name", FieldUnitName;
    ShortName => "short-name", FieldShortName;
    CreditCode => "credit-code", FieldCreditCode;
    UnitLevel => "unit-level", FieldUnitLevel;
    InstitutionCategory => "institution-category", FieldInstitutionCategory;
    FoundedOn => "founded-on", FieldFoundedOn;
    FoundingDocument => "founding-document", FieldFoundingDocument;
    Person => "person", FieldPerson;
    DepartureReason => "departure-reason", FieldDepartureReason;
    LeftOn => "left-on", FieldLeftOn;
    DepartureDocument => "departure-document", FieldDepartureDocument;
    ChangedOn => "changed-on", FieldChangedOn;
    ChangeDocument => "change-document", FieldChangeDocument;
    Changes => "changes", FieldChanges;
}

impl FormField {
    /// The form field a domain rule's field belongs to, where the form has one.
    pub fn of_domain(field: Field) -> Option<FormField> {
        Some(match field {
            Field::IdNumber => FormField::IdNumber,
            Field::BirthDate => FormField::BirthDate,
            Field::Sex => FormField::Sex,
            Field::FundingForm => FormField::Funding,
            Field::EstablishmentCategory => FormField::Category,
            Field::Name => FormField::Name,
            Field::SlipNumber => FormField::Slip,
            Field::RequestedCount => FormField::Count,
            Field::Reason => FormField::Reason,
            Field::Changes => FormField::Changes,
            Field::InstitutionCategory => FormField::InstitutionCategory,
            _ => return None,
        })
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// One of our messages.
    Msg(Msg),
    /// Nothing chosen in a list (请选择…).
    Choose,
    /// A rule of the domain, with its own message.
    Domain(ValidationError),
    /// A domain message built at run time, in both languages.
    Text { zh: String, en: String },
}

/// One error of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: FormField,
    pub problem: Problem,
}

impl FieldError {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match &self.problem {
            Problem::Msg(msg) => msg.text(lang).to_owned(),
            Problem::Choose => format!(
                "{}{}",
                Msg::ChooseField.text(lang),
                self.field.label().text(lang)
            ),
            Problem::Domain(e) => match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.message_en(),
            },
            Problem::Text { zh, en } => match lang {
                Lang::Zh => zh.clone(),
                Lang::En => en.clone(),
            },
        }
    }
}

/// The values of a form as typed, by field name (codes of the chosen options, the raw text of
/// the inputs): what a draft keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Values(BTreeMap<String, String>);

impl Values {
    /// Values from pairs (empty texts left out).
    pub fn of(pairs: &[(FormField, &str)]) -> Values {
        let mut values = Values::default();
        for (field, value) in pairs {
            values.set(*field, (*value).to_owned());
        }
        values
    }

    /// The text of `field` (empty if none).
    pub fn get(&self, field: FormField) -> &str {
        self.0.get(field.name()).map_or("", String::as_str)
    }

    /// Sets `field` (an empty text removes it).
    pub fn set(&mut self, field: FormField, value: String) {
        if value.is_empty() {
            self.0.remove(field.name());
        } else {
            self.0.insert(field.name().to_owned(), value);
        }
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Reads typed values into domain values, collecting one error per field.
pub struct Parser<'a> {
    values: &'a Values,
    errors: Vec<FieldError>,
}

impl<'a> Parser<'a> {
    pub fn new(values: &'a Values) -> Self {
        Parser {
            values,
            errors: Vec::new(),
        }
    }

    /// Records an error (the first per field counts).
    pub fn fail(&mut self, field: FormField, problem: Problem) {
        if !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(FieldError { field, problem });
        }
    }

    /// Records a domain error under `field`, or under the form field the rule names.
    pub fn fail_domain(&mut self, field: FormField, error: ValidationError) {
        let field = FormField::of_domain(error.field()).unwrap_or(field);
        self.fail(field, Problem::Domain(error));
    }

    /// Whether no error was recorded.
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The trimmed text of `field`.
    pub fn text(&self, field: FormField) -> &'a str {
        self.values.get(field).trim()
    }

    /// A required text.
    pub fn required(&mut self, field: FormField) -> String {
        let text = self.text(field);
        if text.is_empty() {
            self.fail(field, Problem::Msg(Msg::ErrRequired));
        }
        text.to_owned()
    }

    /// An optional text (`None` when empty).
    pub fn optional(&self, field: FormField) -> Option<String> {
        Some(self.text(field).to_owned()).filter(|t| !t.is_empty())
    }

    /// A value of `field` that `parse` validates, required.
    pub fn parsed<T>(
        &mut self,
        field: FormField,
        parse: fn(&str) -> Result<T, ValidationError>,
    ) -> Option<T> {
        match parse(self.text(field)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(field, Problem::Domain(e));
                None
            }
        }
    }

    /// A value of `field` that `parse` validates, `None` when empty.
    pub fn parsed_optional<T>(
        &mut self,
        field: FormField,
        parse: fn(&str) -> Result<T, ValidationError>,
    ) -> Option<T> {
        if self.text(field).is_empty() {
            None
        } else {
            self.parsed(field, parse)
        }
    }

    /// A name (姓名, 内设机构), required.
    pub fn name(&mut self, field: FormField) -> Option<Name> {
        self.parsed(field, Name::parse)
    }

    /// A 身份证号, required.
    pub fn id_number(&mut self, field: FormField) -> Option<IdNumber> {
        self.parsed(field, IdNumber::parse)
    }

    /// A date `yyyy-mm-dd`, required.
    pub fn date(&mut self, field: FormField) -> Option<Date> {
        self.parsed(field, Date::parse)
    }

    /// A date `yyyy-mm-dd`, optional.
    pub fn optional_date(&mut self, field: FormField) -> Option<Date> {
        self.parsed_optional(field, Date::parse)
    }

    /// A 文号, optional.
    pub fn optional_document(&mut self, field: FormField) -> Option<DocumentNumber> {
        self.parsed_optional(field, DocumentNumber::parse)
    }

    /// A 文号, required.
    pub fn document(&mut self, field: FormField) -> Option<DocumentNumber> {
        self.parsed(field, DocumentNumber::parse)
    }

    /// The value chosen in a list of codes, required.
    pub fn choice<T>(&mut self, field: FormField, from_code: fn(&str) -> Option<T>) -> Option<T> {
        let value = from_code(self.text(field));
        if value.is_none() {
            self.fail(field, Problem::Choose);
        }
        value
    }

    /// The result: `value` if no error was recorded, else every error in the order of
    /// [`FormField`].
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(value) if self.errors.is_empty() => Ok(value),
            _ => {
                let mut errors = self.errors;
                crate::order::sort_by(&mut errors, |a, b| a.field.cmp(&b.field));
                Err(errors)
            }
        }
    }
}

/// The options of a list: `(code, Chinese label, English label)`.
pub type Choices = Vec<(&'static str, &'static str, &'static str)>;

/// The options of a labelled domain enum.
pub fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    zh: fn(T) -> &'static str,
    en: fn(T) -> &'static str,
) -> Choices {
    all.iter().map(|v| (code(*v), zh(*v), en(*v))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn fields_have_unique_names_and_labels() {
        let mut names = std::collections::BTreeSet::new();
        for field in FormField::ALL {
            assert!(names.insert(field.name()), "{field:?}");
            assert!(!field.label().text(Lang::Zh).is_empty());
        }
    }

    #[wasm_bindgen_test]
    fn values_keep_what_was_typed_and_round_trip() {
        let mut values = Values::of(&[(FormField::Name, " 张三 "), (FormField::Rank, "")]);
        assert_eq!(values.get(FormField::Name), " 张三 ");
        assert_eq!(values.get(FormField::Rank), "");
        values.set(FormField::Name, String::new());
        assert!(values.is_empty());
        let values = Values::of(&[(FormField::IdNumber, "11010519491231002X")]);
        let json = serde_json::to_string(&values).unwrap();
        assert_eq!(json, r#"{"id-number":"11010519491231002X"}"#);
        assert_eq!(serde_json::from_str::<Values>(&json).unwrap(), values);
    }
}
