//! 在编人员花名册 (the staff of a unit or scope, one column per field of a person's record) and
//! 减少人员名册 (who left in a date range, why, on which document).

use domain::Date;
use domain::certificate::Certificate;
use domain::person::Person;

use crate::table::{Cell, Table};
use crate::{Lang, order};

/// The fields of a person's record, in the roster's order: code name (as the record and a
/// record change name it), header in Chinese and English, width in characters.
pub const PERSON_FIELDS: &[(&str, &str, &str, u8)] = &[
    ("name", "姓名", "Name", 8),
    ("sex", "性别", "Sex", 5),
    ("id_number", "身份证号", "ID number", 20),
    ("birth_date", "出生日期", "Date of birth", 11),
    ("ethnicity", "民族", "Ethnicity", 7),
    ("native_place", "籍贯", "Native place", 10),
    ("political_status", "政治面貌", "Political status", 12),
    ("education", "最高学历", "Education", 10),
    ("degree", "学位", "Degree", 6),
    ("division", "内设机构", "Division", 14),
    ("category", "编制类别", "Establishment category", 12),
    ("funding_form", "经费形式", "Funding form", 9),
    ("personnel_class", "人员分类", "Personnel class", 12),
    ("position", "职务", "Position", 12),
    ("rank", "职级", "Rank", 12),
    ("post_category", "岗位类别", "Post category", 9),
    ("entry_form", "进入形式", "Way of entry", 10),
    ("enrolled_on", "入编时间", "Enrolled on", 11),
    ("enrolment_document", "入编文号", "Enrolment notice", 20),
    ("started_work_on", "参加工作时间", "Started work on", 11),
    (
        "current_post_since",
        "任现职时间",
        "In current post since",
        11,
    ),
    ("slip_number", "编制使用单编号", "Quota-use slip", 20),
];

/// The label of a person's field by its code name (the code itself if unknown).
pub fn field_label(code: &str, lang: Lang) -> &str {
    PERSON_FIELDS
        .iter()
        .find(|f| f.0 == code)
        .map_or(code, |f| lang.pick(f.1, f.2))
}

/// A coded value of `field` (as a record change holds it) by its label.
pub fn value_label(field: &str, code: &str, lang: Lang) -> String {
    use domain::person::{
        Degree, Education, EntryForm, PersonnelClass, PoliticalStatus, PostCategory,
    };
    let labels = match field {
        "sex" => domain::Sex::from_code(code).map(|v| (v.label_zh(), v.label_en())),
        "political_status" => {
            PoliticalStatus::from_code(code).map(|v| (v.label_zh(), v.label_en()))
        }
        "education" => Education::from_code(code).map(|v| (v.label_zh(), v.label_en())),
        "degree" => Degree::from_code(code).map(|v| (v.label_zh(), v.label_en())),
        "personnel_class" => PersonnelClass::from_code(code).map(|v| (v.label_zh(), v.label_en())),
        "post_category" => PostCategory::from_code(code).map(|v| (v.label_zh(), v.label_en())),
        "entry_form" => EntryForm::from_code(code).map(|v| (v.label_zh(), v.label_en())),
        _ => None,
    };
    labels.map_or_else(|| code.to_owned(), |(zh, en)| lang.pick(zh, en).to_owned())
}

/// The cells of `person`, one per [`PERSON_FIELDS`] entry.
pub fn person_cells(p: &Person, lang: Lang) -> Vec<Cell> {
    let label = |zh: &str, en: &str| Cell::text(lang.pick(zh, en));
    let opt = |t: Option<&str>| Cell::text(t.unwrap_or_default());
    vec![
        Cell::text(p.name.as_str()),
        label(p.sex.label_zh(), p.sex.label_en()),
        Cell::IdNumber(p.id_number.as_str().to_owned()),
        Cell::Date(p.birth_date),
        Cell::text(p.ethnicity.as_str()),
        Cell::text(p.native_place.as_str()),
        label(p.political_status.label_zh(), p.political_status.label_en()),
        label(p.education.label_zh(), p.education.label_en()),
        label(p.degree.label_zh(), p.degree.label_en()),
        opt(p.division.as_ref().map(|d| d.as_str())),
        label(p.category.label_zh(), p.category.label_en()),
        p.funding_form
            .map_or(Cell::Empty, |f| label(f.label_zh(), f.label_en())),
        label(p.personnel_class.label_zh(), p.personnel_class.label_en()),
        opt(p.position.as_deref()),
        opt(p.rank.as_deref()),
        label(p.post_category.label_zh(), p.post_category.label_en()),
        label(p.entry_form.label_zh(), p.entry_form.label_en()),
        Cell::Date(p.enrolled_on),
        opt(p.enrolment_document.as_ref().map(|d| d.as_str())),
        Cell::date(p.started_work_on),
        Cell::date(p.current_post_since),
        opt(p.slip_number.as_ref().map(|d| d.as_str())),
    ]
}

/// The units in report order: by region (the city first), then by name.
pub fn units_in_order(certificates: &[Certificate]) -> Vec<&Certificate> {
    let keys = certificates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                format!("{:02}{}", c.unit.region as usize, c.unit.name.as_str()),
                i,
            )
        })
        .collect();
    order(keys).into_iter().map(|i| &certificates[i]).collect()
}

/// 在编人员花名册: 序号, 单位, then every field of [`PERSON_FIELDS`].
pub fn roster(certificates: &[Certificate], lang: Lang) -> Table {
    let mut columns = vec![
        (lang.pick("序号", "No."), 6),
        (lang.pick("单位", "Unit"), 24),
    ];
    columns.extend(PERSON_FIELDS.iter().map(|f| (lang.pick(f.1, f.2), f.3)));
    let mut table = Table::new(lang.pick("在编人员花名册", "Staff roster"), &columns);
    let mut n = 0;
    for c in units_in_order(certificates) {
        for p in &c.staff {
            n += 1;
            let mut cells = vec![Cell::Number(n), Cell::text(c.unit.name.as_str())];
            cells.extend(person_cells(p, lang));
            table.push(cells);
        }
    }
    table
}

/// 减少人员名册: the people who left between `from` and `to` (both included), oldest first.
pub fn departures(certificates: &[Certificate], from: Date, to: Date, lang: Lang) -> Table {
    let mut table = Table::new(
        lang.pick("减少人员名册", "Departed staff"),
        &[
            (lang.pick("序号", "No."), 6),
            (lang.pick("单位", "Unit"), 24),
            (lang.pick("姓名", "Name"), 8),
            (lang.pick("性别", "Sex"), 5),
            (lang.pick("身份证号", "ID number"), 20),
            (lang.pick("出生日期", "Date of birth"), 11),
            (lang.pick("编制类别", "Establishment category"), 12),
            (lang.pick("内设机构", "Division"), 14),
            (lang.pick("职务", "Position"), 12),
            (lang.pick("出编原因", "Reason"), 10),
            (lang.pick("出编时间", "Left on"), 11),
            (lang.pick("依据文号", "Document"), 22),
            (lang.pick("出编通知单编号", "Offboarding notice"), 22),
        ],
    );
    let mut found = Vec::new();
    for c in certificates {
        for d in c
            .departed
            .iter()
            .filter(|d| d.left_on >= from && d.left_on <= to)
        {
            found.push((c, d));
        }
    }
    let keys = found
        .iter()
        .enumerate()
        .map(|(i, (c, d))| {
            let key = format!(
                "{}{}{}",
                d.left_on,
                c.unit.name.as_str(),
                d.person.name.as_str()
            );
            (key, i)
        })
        .collect();
    for (n, i) in order(keys).into_iter().enumerate() {
        let (c, d) = found[i];
        let p = &d.person;
        table.push(vec![
            Cell::Number(n as i64 + 1),
            Cell::text(c.unit.name.as_str()),
            Cell::text(p.name.as_str()),
            Cell::text(lang.pick(p.sex.label_zh(), p.sex.label_en())),
            Cell::IdNumber(p.id_number.as_str().to_owned()),
            Cell::Date(p.birth_date),
            Cell::text(lang.pick(p.category.label_zh(), p.category.label_en())),
            Cell::text(p.division.as_ref().map(|d| d.as_str()).unwrap_or_default()),
            Cell::text(p.position.as_deref().unwrap_or_default()),
            Cell::text(lang.pick(d.reason.label_zh(), d.reason.label_en())),
            Cell::Date(d.left_on),
            Cell::text(d.document.as_str()),
            Cell::text(d.approval.as_ref().map(|a| a.as_str()).unwrap_or_default()),
        ]);
    }
    table
}
