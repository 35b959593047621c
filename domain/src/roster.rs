//! The roster import of the data-verification phase (数据核实): the columns of a unit's staff
//! file (one per person field of `docs/DOMAIN.md`, in that order), every cell checked with the
//! domain rules, and the digest of the rows a signed import names.
//!
//! A cell holds a value as a person would type it: a code's Chinese label (or its code), a date
//! `yyyy-mm-dd`, a 文号. [`check_rows`] checks a whole file: each row becomes a [`Person`] or a
//! list of [`CellError`]s naming the column and the rule, in Chinese and English; an ID number
//! already in a post anywhere (`in_post`) or twice in the file is an error too.

use std::collections::HashSet;

use crate::canonical;
use crate::date::Date;
use crate::document_number::DocumentNumber;
use crate::error::ValidationError;
use crate::establishment::{EstablishmentCategory, FundingForm};
use crate::id_number::{IdNumber, Sex};
use crate::ids::Name;
use crate::person::{
    Degree, Education, EntryForm, Person, PersonnelClass, PoliticalStatus, PostCategory,
};

/// One column of the roster file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header (Chinese), as in the template's first row.
    pub header: &'static str,
    /// The English name.
    pub header_en: &'static str,
    /// Whether a value is required.
    pub required: bool,
}

const fn col(header: &'static str, header_en: &'static str, required: bool) -> Column {
    Column {
        header,
        header_en,
        required,
    }
}

/// The columns, in the template's order.
pub const COLUMNS: &[Column] = &[
    col("姓名", "name", true),
    col("性别", "sex", true),
    col("身份证号", "ID number", true),
    col("出生日期", "date of birth", true),
    col("民族", "ethnicity", true),
    col("籍贯", "native place", true),
    col("政治面貌", "political status", true),
    col("最高学历", "education", true),
    col("学位", "degree", true),
    col("内设机构", "division", false),
    col("编制类别", "establishment category", true),
    col("经费形式", "funding form", false),
    col("人员分类", "personnel class", true),
    col("职务", "position", false),
    col("职级", "rank", false),
    col("岗位类别", "post category", true),
    col("进入形式", "entry form", true),
    col("入编时间", "enrolled on", true),
    col("入编文号", "enrolment document", false),
    col("参加工作时间", "started work on", false),
    col("任现职时间", "in current post since", false),
    col("编制使用单编号", "slip number", false),
];

/// One error of a cell (or of a row, `column` 2 for the ID number when it is a row's rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The column's index in [`COLUMNS`].
    pub column: usize,
    /// `required`, `format`, `check_digit`, `birth_date_mismatch`, `sex_mismatch`,
    /// `code_unknown`, `date_invalid`, `id_in_post`, `duplicate_in_file`, `disagrees`.
    pub rule: &'static str,
    pub message_zh: String,
    pub message_en: String,
}

/// The letter of column `index` (0 = `A`), for the report.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

fn error(column: usize, rule: &'static str, zh: String, en: String) -> CellError {
    let c = COLUMNS[column];
    CellError {
        column,
        rule,
        message_zh: format!("{}：{zh}", c.header),
        message_en: format!("{}: {en}", c.header_en),
    }
}

fn validation(column: usize, e: &ValidationError) -> CellError {
    let rule = match e {
        ValidationError::Empty { .. } => "required",
        ValidationError::CheckCharacter { .. } => "check_digit",
        ValidationError::Disagrees { .. } => "disagrees",
        _ => "format",
    };
    CellError {
        column,
        rule,
        message_zh: e.message_zh(),
        message_en: e.message_en(),
    }
}

/// Reads a coded value by its Chinese label or its code.
fn coded<T: Copy>(
    column: usize,
    text: &str,
    all: &'static [T],
    label: fn(T) -> &'static str,
    code: fn(T) -> &'static str,
) -> Result<T, CellError> {
    all.iter()
        .copied()
        .find(|v| label(*v) == text || code(*v) == text)
        .ok_or_else(|| {
            let allowed: Vec<&str> = all.iter().map(|v| label(*v)).collect();
            error(
                column,
                "code_unknown",
                format!("“{text}”不是可选值（{}）", allowed.join("、")),
                format!("{text:?} is not one of the allowed values"),
            )
        })
}

/// Checks one row's cells (missing trailing cells are empty): the person, or every error.
pub fn check_row(cells: &[String]) -> Result<Person, Vec<CellError>> {
    let cell = |i: usize| cells.get(i).map(|s| s.trim()).unwrap_or("");
    let mut errors = Vec::new();
    for (i, c) in COLUMNS.iter().enumerate() {
        if c.required && cell(i).is_empty() {
            errors.push(error(
                i,
                "required",
                "不能为空".into(),
                "is required".into(),
            ));
        }
    }
    macro_rules! take {
        ($e:expr) => {
            match $e {
                Ok(v) => Some(v),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        };
    }
    let optional = |i: usize| Some(cell(i)).filter(|s| !s.is_empty());
    let date = |i: usize| {
        Date::parse(cell(i)).map_err(|_| {
            error(
                i,
                "date_invalid",
                format!("“{}”不是有效日期（yyyy-mm-dd）", cell(i)),
                format!("{:?} is not a valid date (yyyy-mm-dd)", cell(i)),
            )
        })
    };
    let required_ok = |i: usize| !cell(i).is_empty();
    let name = if required_ok(0) {
        take!(Name::parse(cell(0)).map_err(|e| validation(0, &e)))
    } else {
        None
    };
    let sex = if required_ok(1) {
        take!(coded(1, cell(1), Sex::ALL, Sex::label_zh, Sex::code))
    } else {
        None
    };
    let id_number = if required_ok(2) {
        take!(IdNumber::parse(cell(2)).map_err(|e| validation(2, &e)))
    } else {
        None
    };
    let birth_date = if required_ok(3) { take!(date(3)) } else { None };
    let political_status = if required_ok(6) {
        take!(coded(
            6,
            cell(6),
            PoliticalStatus::ALL,
            PoliticalStatus::label_zh,
            PoliticalStatus::code
        ))
    } else {
        None
    };
    let education = if required_ok(7) {
        take!(coded(
            7,
            cell(7),
            Education::ALL,
            Education::label_zh,
            Education::code
        ))
    } else {
        None
    };
    let degree = if required_ok(8) {
        take!(coded(
            8,
            cell(8),
            Degree::ALL,
            Degree::label_zh,
            Degree::code
        ))
    } else {
        None
    };
    let division = match optional(9) {
        Some(text) => take!(Name::parse(text).map_err(|e| validation(9, &e))).map(Some),
        None => Some(None),
    };
    let category = if required_ok(10) {
        take!(coded(
            10,
            cell(10),
            EstablishmentCategory::ALL,
            EstablishmentCategory::label_zh,
            EstablishmentCategory::code
        ))
    } else {
        None
    };
    let funding_form = match optional(11) {
        Some(text) => take!(coded(
            11,
            text,
            FundingForm::ALL,
            FundingForm::label_zh,
            FundingForm::code
        ))
        .map(Some),
        None => Some(None),
    };
    let personnel_class = if required_ok(12) {
        take!(coded(
            12,
            cell(12),
            PersonnelClass::ALL,
            PersonnelClass::label_zh,
            PersonnelClass::code
        ))
    } else {
        None
    };
    let post_category = if required_ok(15) {
        take!(coded(
            15,
            cell(15),
            PostCategory::ALL,
            PostCategory::label_zh,
            PostCategory::code
        ))
    } else {
        None
    };
    let entry_form = if required_ok(16) {
        take!(coded(
            16,
            cell(16),
            EntryForm::ALL,
            EntryForm::label_zh,
            EntryForm::code
        ))
    } else {
        None
    };
    let enrolled_on = if required_ok(17) {
        take!(date(17))
    } else {
        None
    };
    let document = |i: usize| match optional(i) {
        Some(text) => DocumentNumber::parse(text)
            .map(Some)
            .map_err(|e| validation(i, &e)),
        None => Ok(None),
    };
    let enrolment_document = take!(document(18));
    let started_work_on = match optional(19) {
        Some(_) => take!(date(19)).map(Some),
        None => Some(None),
    };
    let current_post_since = match optional(20) {
        Some(_) => take!(date(20)).map(Some),
        None => Some(None),
    };
    let slip_number = take!(document(21));
    let (
        Some(name),
        Some(sex),
        Some(id_number),
        Some(birth_date),
        Some(political_status),
        Some(education),
        Some(degree),
        Some(division),
        Some(category),
        Some(funding_form),
        Some(personnel_class),
        Some(post_category),
        Some(entry_form),
        Some(enrolled_on),
        Some(enrolment_document),
        Some(started_work_on),
        Some(current_post_since),
        Some(slip_number),
    ) = (
        name,
        sex,
        id_number,
        birth_date,
        political_status,
        education,
        degree,
        division,
        category,
        funding_form,
        personnel_class,
        post_category,
        entry_form,
        enrolled_on,
        enrolment_document,
        started_work_on,
        current_post_since,
        slip_number,
    )
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let person = Person {
        id_number,
        name,
        sex,
        birth_date,
        ethnicity: cell(4).to_owned(),
        native_place: cell(5).to_owned(),
        political_status,
        education,
        degree,
        division,
        category,
        funding_form,
        personnel_class,
        position: optional(13).map(str::to_owned),
        rank: optional(14).map(str::to_owned),
        post_category,
        entry_form,
        enrolled_on,
        enrolment_document,
        started_work_on,
        current_post_since,
        slip_number,
    };
    if let Err(e) = person.check() {
        let (column, rule) = match &e {
            ValidationError::Disagrees { field, .. }
                if *field == crate::error::Field::BirthDate =>
            {
                (3, "birth_date_mismatch")
            }
            ValidationError::Disagrees { field, .. } if *field == crate::error::Field::Sex => {
                (1, "sex_mismatch")
            }
            ValidationError::Empty { field } | ValidationError::Disagrees { field, .. }
                if *field == crate::error::Field::FundingForm =>
            {
                (11, "disagrees")
            }
            _ => (2, "disagrees"),
        };
        return Err(vec![CellError {
            column,
            rule,
            message_zh: e.message_zh(),
            message_en: e.message_en(),
        }]);
    }
    Ok(person)
}

/// A person as a row of the roster file (the inverse of [`check_row`]): for the template's
/// examples, exports and tests.
pub fn row_of(p: &Person) -> Vec<String> {
    let date = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let text = |t: Option<&str>| t.unwrap_or("").to_owned();
    vec![
        p.name.to_string(),
        p.sex.label_zh().to_owned(),
        p.id_number.to_string(),
        p.birth_date.to_string(),
        p.ethnicity.clone(),
        p.native_place.clone(),
        p.political_status.label_zh().to_owned(),
        p.education.label_zh().to_owned(),
        p.degree.label_zh().to_owned(),
        text(p.division.as_ref().map(Name::as_str)),
        p.category.label_zh().to_owned(),
        text(p.funding_form.map(FundingForm::label_zh)),
        p.personnel_class.label_zh().to_owned(),
        text(p.position.as_deref()),
        text(p.rank.as_deref()),
        p.post_category.label_zh().to_owned(),
        p.entry_form.label_zh().to_owned(),
        p.enrolled_on.to_string(),
        text(p.enrolment_document.as_ref().map(DocumentNumber::as_str)),
        date(p.started_work_on),
        date(p.current_post_since),
        text(p.slip_number.as_ref().map(DocumentNumber::as_str)),
    ]
}

/// A whole file checked: each data row's person (`None` when it has errors) and the errors by
/// row index (0 = the first data row).
#[derive(Debug, Clone, Default)]
pub struct RosterCheck {
    pub people: Vec<Option<Person>>,
    pub errors: Vec<(usize, CellError)>,
}

impl RosterCheck {
    /// The rows without errors.
    pub fn valid(&self) -> Vec<&Person> {
        self.people.iter().flatten().collect()
    }

    /// Every row is valid.
    pub fn all(&self) -> Option<Vec<&Person>> {
        self.people.iter().map(Option::as_ref).collect()
    }
}

/// Checks every row; `in_post` says whether an ID number already holds a post anywhere.
pub fn check_rows(rows: &[Vec<String>], in_post: impl Fn(&IdNumber) -> bool) -> RosterCheck {
    let mut check = RosterCheck::default();
    let mut seen = HashSet::new();
    for (index, row) in rows.iter().enumerate() {
        match check_row(row) {
            Ok(person) => {
                let mut row_errors = Vec::new();
                if in_post(&person.id_number) {
                    row_errors.push(error(
                        2,
                        "id_in_post",
                        // Masked: the report names the row; the number is the file's own.
                        format!(
                            "{}已在编（一人只能占用一个编制）",
                            person.id_number.masked()
                        ),
                        format!(
                            "{} already holds a post (one person, one post)",
                            person.id_number.masked()
                        ),
                    ));
                }
                if !seen.insert(person.id_number.clone()) {
                    row_errors.push(error(
                        2,
                        "duplicate_in_file",
                        "在文件中重复出现".into(),
                        "appears twice in the file".into(),
                    ));
                }
                if row_errors.is_empty() {
                    check.people.push(Some(person));
                } else {
                    check.people.push(None);
                    check
                        .errors
                        .extend(row_errors.into_iter().map(|e| (index, e)));
                }
            }
            Err(errors) => {
                check.people.push(None);
                check.errors.extend(errors.into_iter().map(|e| (index, e)));
            }
        }
    }
    check
}

/// The digest a signed import names: hex SHA-256 of the canonical JSON array of the people.
pub fn digest(people: &[&Person]) -> Result<String, canonical::CanonicalError> {
    let value = serde_json::to_value(people)
        .map_err(|e| canonical::CanonicalError::NotJson(e.to_string()))?;
    Ok(canonical::hex(&canonical::sha256(
        &canonical::canonicalize(&value)?,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn good_row(id: &str, name: &str) -> Vec<String> {
        [
            name,
            "女",
            id,
            "1949-12-31",
            "汉族",
            "甘肃天水",
            "中共党员",
            "大学本科",
            "学士",
            "",
            "行政编制",
            "",
            "非领导",
            "科员",
            "一级科员",
            "管理",
            "考录",
            "2010-09-01",
            "",
            "2010-09-01",
            "",
            "",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
    }

    #[test]
    fn a_good_row_is_a_person_and_bad_cells_are_named() {
        let person = check_row(&good_row("11010519491231002X", "王芳")).unwrap();
        assert_eq!(person.name.as_str(), "王芳");
        assert_eq!(check_row(&row_of(&person)).unwrap(), person);
        let mut bad = good_row("110105194912310021", "王芳");
        bad[0] = String::new();
        let errors = check_row(&bad).unwrap_err();
        let rules: Vec<(usize, &str)> = errors.iter().map(|e| (e.column, e.rule)).collect();
        assert!(rules.contains(&(0, "required")), "{rules:?}");
        assert!(rules.contains(&(2, "check_digit")), "{rules:?}");
        assert_eq!(column_letter(2), "C");
        assert_eq!(column_letter(26), "AA");
    }

    #[test]
    fn ids_in_post_or_twice_in_the_file_are_errors() {
        let rows = vec![
            good_row("11010519491231002X", "甲"),
            good_row("11010519491231002X", "乙"),
        ];
        let check = check_rows(&rows, |_| false);
        assert_eq!(check.errors.len(), 1);
        assert_eq!(check.errors[0].1.rule, "duplicate_in_file");
        let check = check_rows(&rows[..1], |_| true);
        assert_eq!(check.errors[0].1.rule, "id_in_post");
        // The number is shown masked in the report.
        assert!(
            check.errors[0]
                .1
                .message_zh
                .contains("110105********002X已在编"),
            "{}",
            check.errors[0].1.message_zh
        );
        assert!(!check.errors[0].1.message_en.contains("19491231"));
        let clean = check_rows(&rows[..1], |_| false);
        assert_eq!(digest(&clean.all().unwrap()).unwrap().len(), 64);
    }
}
