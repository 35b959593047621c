//! 人员变动情况: in a date range, the onboardings (入编, by the date of enrolment), the
//! offboardings (出编, by the date of leaving) and the approved record changes (信息变更, by
//! the date of the change), oldest first.

use domain::Date;
use domain::certificate::Certificate;
use domain::payload::ChangeSubject;
use domain::person::Person;

use crate::roster::{field_label, value_label};
use crate::table::{Cell, Table};
use crate::{Lang, order};

/// The kind of a change, as the report's first column names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Onboarding,
    Offboarding,
    RecordChange,
}

impl ChangeKind {
    /// The label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ChangeKind::Onboarding => lang.pick("入编", "Onboarding"),
            ChangeKind::Offboarding => lang.pick("出编", "Offboarding"),
            ChangeKind::RecordChange => lang.pick("信息变更", "Record change"),
        }
    }
}

/// One change found.
struct Found<'a> {
    kind: ChangeKind,
    date: Date,
    unit: &'a Certificate,
    person: Option<&'a Person>,
    detail: String,
    document: String,
}

/// The counts of each kind in a [`changes`] table, in [`ChangeKind`] order.
pub fn counts(certificates: &[Certificate], from: Date, to: Date) -> [u32; 3] {
    let mut counts = [0; 3];
    for f in found(certificates, from, to, Lang::Zh) {
        counts[f.kind as usize] += 1;
    }
    counts
}

fn found(certificates: &[Certificate], from: Date, to: Date, lang: Lang) -> Vec<Found<'_>> {
    let within = |d: Date| d >= from && d <= to;
    let mut out = Vec::new();
    for c in certificates {
        let everyone = c.staff.iter().chain(c.departed.iter().map(|d| &d.person));
        for p in everyone.filter(|p| within(p.enrolled_on)) {
            let mut detail = lang
                .pick(p.category.label_zh(), p.category.label_en())
                .to_owned();
            if let Some(slip) = &p.slip_number {
                detail.push_str(lang.pick("；编制使用单 ", "; quota-use slip "));
                detail.push_str(slip.as_str());
            }
            out.push(Found {
                kind: ChangeKind::Onboarding,
                date: p.enrolled_on,
                unit: c,
                person: Some(p),
                detail,
                document: p
                    .enrolment_document
                    .as_ref()
                    .map(|d| d.as_str().to_owned())
                    .unwrap_or_default(),
            });
        }
        for d in c.departed.iter().filter(|d| within(d.left_on)) {
            out.push(Found {
                kind: ChangeKind::Offboarding,
                date: d.left_on,
                unit: c,
                person: Some(&d.person),
                detail: lang
                    .pick(d.reason.label_zh(), d.reason.label_en())
                    .to_owned(),
                document: d.document.as_str().to_owned(),
            });
        }
        for e in c.record_changes.iter().filter(|e| within(e.changed_on)) {
            let person = match &e.subject {
                ChangeSubject::Person { id_number } => c
                    .staff
                    .iter()
                    .chain(c.departed.iter().map(|d| &d.person))
                    .find(|p| &p.id_number == id_number),
                ChangeSubject::Unit => None,
            };
            let none = lang.pick("空", "empty");
            let detail = e
                .changes
                .iter()
                .map(|f| {
                    let value = |v: &Option<String>| {
                        v.as_deref()
                            .map_or_else(|| none.to_owned(), |v| value_label(&f.field, v, lang))
                    };
                    format!(
                        "{}{}{} → {}",
                        field_label(&f.field, lang),
                        lang.pick("：", ": "),
                        value(&f.before),
                        value(&f.after)
                    )
                })
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; "));
            out.push(Found {
                kind: ChangeKind::RecordChange,
                date: e.changed_on,
                unit: c,
                person,
                detail,
                document: e
                    .document
                    .as_ref()
                    .map(|d| d.as_str().to_owned())
                    .unwrap_or_default(),
            });
        }
    }
    out
}

/// The 人员变动情况 of `certificates` between `from` and `to` (both included).
pub fn changes(certificates: &[Certificate], from: Date, to: Date, lang: Lang) -> Table {
    let mut table = Table::new(
        lang.pick("人员变动情况", "Staff changes"),
        &[
            (lang.pick("序号", "No."), 6),
            (lang.pick("变动类型", "Change"), 10),
            (lang.pick("日期", "Date"), 11),
            (lang.pick("单位", "Unit"), 24),
            (lang.pick("姓名", "Name"), 8),
            (lang.pick("身份证号", "ID number"), 20),
            (lang.pick("编制类别", "Establishment category"), 12),
            (lang.pick("变动内容", "What changed"), 36),
            (lang.pick("文号", "Document"), 22),
        ],
    );
    let found = found(certificates, from, to, lang);
    let keys = found
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let name = f.person.map(|p| p.name.as_str()).unwrap_or_default();
            let key = format!(
                "{}{}{}{}",
                f.date,
                f.kind as u8,
                f.unit.unit.name.as_str(),
                name
            );
            (key, i)
        })
        .collect();
    for (n, i) in order(keys).into_iter().enumerate() {
        let f = &found[i];
        table.push(vec![
            Cell::Number(n as i64 + 1),
            Cell::text(f.kind.label(lang)),
            Cell::Date(f.date),
            Cell::text(f.unit.unit.name.as_str()),
            Cell::text(
                f.person
                    .map_or(lang.pick("（单位信息）", "(unit record)"), |p| {
                        p.name.as_str()
                    }),
            ),
            f.person.map_or(Cell::Empty, |p| {
                Cell::IdNumber(p.id_number.as_str().to_owned())
            }),
            f.person.map_or(Cell::Empty, |p| {
                Cell::text(lang.pick(p.category.label_zh(), p.category.label_en()))
            }),
            Cell::text(f.detail.as_str()),
            Cell::text(f.document.as_str()),
        ]);
    }
    table
}
