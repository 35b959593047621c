//! The reports over the tiny demo city, checked against counts made here over the same data.

use domain::Date;
use domain::certificate::Certificate;
use domain::person::Person;

use crate::structure::{Dimension, analyse};
use crate::table::{Cell, Workbook};
use crate::{Lang, changes, csv, ledger, roster, svg, wire};

fn city() -> Vec<Certificate> {
    demo::generate(2018, demo::Size::Tiny).certificates
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn the_ledger_has_a_row_per_unit_and_category_and_totals_that_add_up() {
    let city = city();
    let table = ledger::establishment_ledger(&city, Lang::Zh);
    let rows: usize = city.iter().map(|c| c.ledger.all_figures().len()).sum();
    assert_eq!(table.body_rows(), rows);
    let approved: i64 = city
        .iter()
        .flat_map(|c| c.ledger.all_figures())
        .map(|(_, f)| i64::from(f.approved.get()))
        .sum();
    let last = table.rows.last().unwrap();
    assert!(last.total);
    assert_eq!(last.cells[0], Cell::text("总计"));
    assert_eq!(last.cells[3], Cell::Number(approved));
    // A total row per region and category, and one over all categories per region.
    let regions: std::collections::BTreeSet<_> = city.iter().map(|c| c.unit.region).collect();
    let region_totals = table
        .rows
        .iter()
        .filter(|r| r.total && r.cells[2] == Cell::text("各类合计"))
        .count();
    assert_eq!(region_totals, regions.len() + 1);
    // The body rows' approved figures add up to the grand total.
    let body: i64 = table
        .rows
        .iter()
        .filter(|r| !r.total)
        .map(|r| match r.cells[3] {
            Cell::Number(n) => n,
            _ => 0,
        })
        .sum();
    assert_eq!(body, approved);
}

#[test]
fn the_roster_lists_everyone_with_every_field() {
    let city = city();
    let table = roster::roster(&city, Lang::Zh);
    let staff: usize = city.iter().map(|c| c.staff.len()).sum();
    assert_eq!(table.rows.len(), staff);
    assert_eq!(table.columns.len(), 2 + roster::PERSON_FIELDS.len());
    for row in &table.rows {
        assert_eq!(row.cells.len(), table.columns.len());
        assert!(matches!(row.cells[4], Cell::IdNumber(_)));
        assert!(matches!(row.cells[5], Cell::Date(_)));
    }
    let english = roster::roster(&city, Lang::En);
    assert_eq!(english.columns[4].header, "ID number");
}

#[test]
fn departures_and_changes_keep_to_the_date_range() {
    let city = city();
    let (from, to) = (date("2000-01-01"), date("2099-12-31"));
    let all: usize = city.iter().map(|c| c.departed.len()).sum();
    assert!(all > 0, "the demo has departed staff");
    assert_eq!(
        roster::departures(&city, from, to, Lang::Zh).rows.len(),
        all
    );
    let first = city
        .iter()
        .flat_map(|c| &c.departed)
        .map(|d| d.left_on)
        .min()
        .unwrap();
    let on_first_day = city
        .iter()
        .flat_map(|c| &c.departed)
        .filter(|d| d.left_on == first)
        .count();
    assert_eq!(
        roster::departures(&city, first, first, Lang::Zh).rows.len(),
        on_first_day
    );
    let counts = changes::counts(&city, from, to);
    let enrolled = city
        .iter()
        .flat_map(|c| c.staff.iter().chain(c.departed.iter().map(|d| &d.person)))
        .filter(|p| p.enrolled_on >= from)
        .count();
    assert_eq!(counts[0] as usize, enrolled);
    assert_eq!(counts[1] as usize, all);
    let table = changes::changes(&city, from, to, Lang::Zh);
    assert_eq!(table.rows.len(), enrolled + all);
    // Oldest first.
    let dates: Vec<&Cell> = table.rows.iter().map(|r| &r.cells[2]).collect();
    let mut sorted = dates.clone();
    sorted.sort_by_key(|c| c.plain());
    assert_eq!(dates, sorted);
}

#[test]
fn structure_counts_equal_a_count_made_here() {
    let city = city();
    let people: Vec<&Person> = city.iter().flat_map(|c| &c.staff).collect();
    let on = date("2026-12-01");
    let all = analyse(&people, on, Lang::Zh);
    assert_eq!(all.len(), Dimension::ALL.len());
    for d in &all {
        assert_eq!(d.total as usize, people.len(), "{:?}", d.dimension);
    }
    let ages = &all[0];
    let up_to_35 = people.iter().filter(|p| p.age_on(on) <= 35).count();
    assert_eq!(ages.buckets[0].count as usize, up_to_35);
    let over_55 = people.iter().filter(|p| p.age_on(on) >= 55).count();
    assert_eq!(ages.buckets[3].count as usize, over_55);
    let women = people
        .iter()
        .filter(|p| p.sex == domain::Sex::Female)
        .count();
    assert_eq!(all[2].buckets[1].count as usize, women);
    let han = people.iter().filter(|p| p.ethnicity == "汉族").count();
    let ethnicity = all[5].buckets.iter().find(|b| b.label == "汉族").unwrap();
    assert_eq!(ethnicity.count as usize, han);
    // Most frequent first.
    assert!(all[5].buckets.windows(2).all(|w| w[0].count >= w[1].count));
    for d in &all {
        let chart = svg::chart(d, Lang::Zh);
        assert!(chart.starts_with("<svg") && chart.ends_with("</svg>"));
        assert_eq!(chart.matches("class=\"part\"").count(), d.buckets.len());
        assert!(!chart.contains("style="));
    }
}

#[test]
fn every_report_crosses_to_the_worker_and_into_csv_unchanged() {
    let city = city();
    let (from, to) = (date("2000-01-01"), date("2099-12-31"));
    let people: Vec<&Person> = city.iter().flat_map(|c| &c.staff).collect();
    let structure = analyse(&people, date("2026-12-01"), Lang::Zh);
    let books = [
        Workbook {
            name: "编制台帐".into(),
            sheets: vec![ledger::establishment_ledger(&city, Lang::Zh)],
        },
        Workbook {
            name: "花名册".into(),
            sheets: vec![roster::roster(&city, Lang::Zh)],
        },
        Workbook {
            name: "变动".into(),
            sheets: vec![changes::changes(&city, from, to, Lang::Zh)],
        },
        crate::structure::workbook(&structure, "人员结构分析", Lang::Zh),
    ];
    for book in &books {
        assert_eq!(&wire::decode(&wire::encode(book)).unwrap(), book);
        let text = csv::workbook_csv(book);
        assert!(text.starts_with('\u{feff}'));
        let lines = text.matches("\r\n").count();
        let rows: usize = book.sheets.iter().map(|s| s.rows.len() + 1).sum();
        let extra = if book.sheets.len() > 1 {
            2 * book.sheets.len() - 1
        } else {
            0
        };
        // No field of the demo holds a line break.
        assert_eq!(lines, rows + extra, "{}", book.name);
    }
}

#[cfg(feature = "xlsx")]
#[test]
fn the_xlsx_is_a_zip_of_the_workbook() {
    let city = city();
    let book = Workbook {
        name: "花名册".into(),
        sheets: vec![roster::roster(&city, Lang::Zh)],
    };
    let bytes = crate::xlsx::xlsx(&book, date("2026-12-01")).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let people: Vec<&Person> = city.iter().flat_map(|c| &c.staff).collect();
    let analysis = crate::structure::workbook(
        &analyse(&people, date("2026-12-01"), Lang::Zh),
        "人员结构分析",
        Lang::Zh,
    );
    let bytes = crate::xlsx::xlsx(&analysis, date("2026-12-01")).unwrap();
    assert_eq!(&bytes[..2], b"PK");
}

#[test]
fn a_record_change_is_a_row_with_old_and_new_values_by_their_labels() {
    use domain::ids::{ApplicationId, UserId};
    use domain::issued::RecordChangeEntry;
    use domain::payload::{ChangeSubject, FieldChange};
    let mut city = city();
    let unit = city.iter().position(|c| !c.staff.is_empty()).unwrap();
    let person = city[unit].staff[0].clone();
    city[unit].record_changes.push(RecordChangeEntry {
        subject: ChangeSubject::Person {
            id_number: person.id_number.clone(),
        },
        changed_on: date("2026-03-02"),
        changes: vec![
            FieldChange {
                field: "education".into(),
                before: Some("undergraduate".into()),
                after: Some("postgraduate".into()),
            },
            FieldChange {
                field: "rank".into(),
                before: None,
                after: Some("一级主任科员".into()),
            },
        ],
        document: None,
        application_id: ApplicationId::parse("a-1").unwrap(),
        approved_on: date("2026-03-05"),
        approver: UserId::parse("u-1").unwrap(),
        approver_name: "审核人".into(),
    });
    let (from, to) = (date("2026-03-01"), date("2026-03-31"));
    assert_eq!(changes::counts(&city, from, to)[2], 1);
    let table = changes::changes(&city, from, to, Lang::Zh);
    let row = table
        .rows
        .iter()
        .find(|r| r.cells[1] == Cell::text("信息变更"))
        .unwrap();
    assert_eq!(row.cells[2], Cell::Date(date("2026-03-02")));
    assert_eq!(row.cells[4], Cell::text(person.name.as_str()));
    assert_eq!(
        row.cells[7],
        Cell::text("最高学历：大学本科 → 研究生；职级：空 → 一级主任科员")
    );
    let english = changes::changes(&city, from, to, Lang::En);
    let row = english
        .rows
        .iter()
        .find(|r| r.cells[1] == Cell::text("Record change"))
        .unwrap();
    assert_eq!(
        row.cells[7],
        Cell::text("Education: undergraduate → postgraduate; Rank: empty → 一级主任科员")
    );
    // Outside the range, nothing.
    assert_eq!(changes::counts(&city, date("2026-04-01"), to)[2], 0);
}
