//! Reports and the structure analysis in headless Chromium, offline after one sync: a city
//! bureau's reviewer (the whole tiny demo city in the store) opens each report — 编制台帐,
//! 在编人员花名册, 减少人员名册, 人员变动情况 — and the 人员结构分析, exports each as .xlsx (built
//! in the export worker) and .csv, both saved by Chromium as a user's download; the .xlsx is
//! read back with calamine and the CSV parsed, and both compared with the server's
//! certificates (an ID number ending in X and dates included); the charts' counts equal a
//! count made here over the same people. Screenshots of every report and chart in Chinese and
//! English at 1366×768.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use domain::certificate::Certificate;
use domain::person::Person;
use domain::{Date, EstablishmentCategory};
use tests::browser::{TestPage, downloaded};
use tests::clerk::{fill, today, wait_for_sync};
use tests::scenario::{CITY_REGION, City, SignedInBrowser};
use tests::schema;

/// A sheet read back: its rows of cells, the header first.
type Sheet = Vec<Vec<Data>>;

fn read_xlsx(bytes: &[u8]) -> anyhow::Result<BTreeMap<String, Sheet>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec()))?;
    let mut sheets = BTreeMap::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name)?;
        sheets.insert(name, range.rows().map(<[Data]>::to_vec).collect());
    }
    Ok(sheets)
}

/// A date cell as a date (Excel's serial day: 1 is 1900-01-01, with its 1900 leap year).
fn cell_date(cell: &Data) -> Option<Date> {
    let Data::DateTime(serial) = cell else {
        return None;
    };
    let days = serial.as_f64() as i64;
    Date::from_days_since_epoch(days - 25_569)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn cell_number(cell: &Data) -> Option<i64> {
    match cell {
        Data::Float(f) => Some(*f as i64),
        Data::Int(i) => Some(*i),
        _ => None,
    }
}

/// RFC 4180 fields of a CSV text (the BOM removed), line by line.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

/// The CSV bytes checked and parsed: a UTF-8 BOM first.
fn csv_rows(bytes: &[u8]) -> anyhow::Result<Vec<Vec<String>>> {
    anyhow::ensure!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "the CSV has no BOM");
    Ok(parse_csv(std::str::from_utf8(&bytes[3..])?))
}

/// Age in whole years on `on`, counted here.
fn age(birth: Date, on: Date) -> i32 {
    let mut years = i32::from(on.year()) - i32::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// A screenshot at a laptop's 1366×768 (a full-page screenshot resets the viewport after it).
async fn shot(page: &TestPage, name: &str) -> anyhow::Result<()> {
    page.set_viewport(1366, 768).await?;
    page.screenshot(name).await?;
    Ok(())
}

/// A screenshot of the page as it prints (the print stylesheet: no header, no controls), at
/// about the width of A4 landscape.
async fn print_shot(page: &TestPage, name: &str) -> anyhow::Result<()> {
    use chromiumoxide::cdp::browser_protocol::emulation::SetEmulatedMediaParams;
    let media = |m: &str| SetEmulatedMediaParams::builder().media(m).build();
    page.raw().execute(media("print")).await?;
    page.set_viewport(1123, 794).await?;
    page.screenshot(name).await?;
    page.raw().execute(media("")).await?;
    Ok(())
}

/// Opens a report's tab and waits for its output.
async fn open_report(page: &TestPage, code: &str) -> anyhow::Result<()> {
    page.click(&format!("#report-tab-{code}")).await?;
    page.wait_for_attribute("#report-output", "data-report", code)
        .await
}

/// The rows a report's table holds (all of them, not only those drawn).
async fn rows_shown(page: &TestPage) -> anyhow::Result<usize> {
    let rows = page
        .attribute(".report-count", "data-rows")
        .await?
        .unwrap_or_default();
    Ok(rows.parse()?)
}

/// Exports the report shown as `extension` and returns the downloaded file's bytes.
async fn export(
    page: &TestPage,
    dir: &std::path::Path,
    report: &str,
    extension: &str,
) -> anyhow::Result<Vec<u8>> {
    let name = format!("{report}_本机全部单位_{}.{extension}", today());
    page.click(&format!("#export-{extension}")).await?;
    page.wait_for_attribute("#export-status", "data-file", &name)
        .await?;
    downloaded(dir, &name).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_report_on_screen_and_exported_offline_matches_the_server() -> anyhow::Result<()> {
    let mut city = City::start().await;
    let mut certificates: Vec<Certificate> = Vec::new();
    for unit in city.units().await {
        certificates.push(schema::certificate(&city.pool, &unit).await);
    }
    let staff: Vec<&Person> = certificates.iter().flat_map(|c| &c.staff).collect();
    let with_x = staff
        .iter()
        .find(|p| p.id_number.as_str().ends_with('X'))
        .map(|p| (*p).clone())
        .expect("the tiny demo city has a 身份证号 ending in X");
    let scene =
        SignedInBrowser::start(&city.server, "reports", "bureau_reviewer", CITY_REGION).await?;
    let page = &scene.page;
    let downloads = tempfile::tempdir()?;
    scene.browser.save_downloads_in(downloads.path()).await?;
    page.set_viewport(1366, 768).await?;
    wait_for_sync(page).await?;
    // Offline from here on: everything below comes from IndexedDB and the service worker.
    city.server.stop().await?;
    page.check("reports_all", async {
        page.click("#nav-reports").await?;
        page.wait_until("document.querySelector('#report-output')", "the reports show")
            .await?;

        // 编制台帐: a row per unit and category, and the figures of the server's ledgers.
        open_report(page, "ledger").await?;
        shot(page, "reports_ledger_zh").await?;
        print_shot(page, "reports_ledger_print").await?;
        let figures: Vec<(String, EstablishmentCategory, domain::ledger::Figures)> = certificates
            .iter()
            .flat_map(|c| {
                c.ledger
                    .all_figures()
                    .into_iter()
                    .map(|(category, f)| (c.unit.name.to_string(), category, f))
            })
            .collect();
        let xlsx = read_xlsx(&export(page, downloads.path(), "编制台帐", "xlsx").await?)?;
        let sheet = &xlsx["编制台帐"];
        assert_eq!(cell_text(&sheet[0][3]), "核定数");
        for (unit, category, f) in &figures {
            let row = sheet
                .iter()
                .find(|r| cell_text(&r[1]) == *unit && cell_text(&r[2]) == category.label_zh())
                .unwrap_or_else(|| panic!("{unit} {category} is in the ledger"));
            let numbers: Vec<Option<i64>> = row[3..7].iter().map(cell_number).collect();
            let expected = [f.approved, f.filled, f.reserved, f.vacant()]
                .map(|h| Some(i64::from(h.get())));
            assert_eq!(numbers, expected, "{unit} {category}");
        }
        let approved: i64 = figures.iter().map(|(_, _, f)| i64::from(f.approved.get())).sum();
        let grand = sheet.last().expect("a grand total");
        assert_eq!(
            (cell_text(&grand[0]), cell_number(&grand[3])),
            ("总计".to_owned(), Some(approved))
        );
        let csv = csv_rows(&export(page, downloads.path(), "编制台帐", "csv").await?)?;
        assert_eq!(csv.len(), sheet.len());
        assert_eq!(csv.last().map(|r| r[3].clone()), Some(approved.to_string()));
        assert_eq!(rows_shown(page).await?, sheet.len() - 1);

        // 在编人员花名册: everyone, every field; the 身份证号 as text, dates as dates.
        open_report(page, "roster").await?;
        shot(page, "reports_roster_zh").await?;
        print_shot(page, "reports_roster_print").await?;
        assert_eq!(rows_shown(page).await?, staff.len());
        let shown: String = page.text("#report-table tbody").await?.unwrap_or_default();
        assert!(
            !shown.contains(with_x.id_number.as_str()),
            "ID numbers are masked on screen"
        );
        let xlsx = read_xlsx(&export(page, downloads.path(), "在编人员花名册", "xlsx").await?)?;
        let sheet = &xlsx["在编人员花名册"];
        let header: Vec<String> = sheet[0].iter().map(cell_text).collect();
        for column in ["姓名", "身份证号", "出生日期", "民族", "政治面貌", "编制类别", "入编时间", "编制使用单编号"] {
            assert!(header.iter().any(|h| h == column), "{column} in {header:?}");
        }
        let col = |name: &str| header.iter().position(|h| h == name).expect("a column");
        let (id_col, birth_col, enrolled_col) = (col("身份证号"), col("出生日期"), col("入编时间"));
        assert_eq!(sheet.len() - 1, staff.len());
        let by_id: BTreeMap<String, &Vec<Data>> = sheet[1..]
            .iter()
            .map(|r| (cell_text(&r[id_col]), r))
            .collect();
        for p in &staff {
            let row = by_id
                .get(p.id_number.as_str())
                .unwrap_or_else(|| panic!("{} is in the roster", p.id_number.as_str()));
            assert!(matches!(row[id_col], Data::String(_)), "the ID is text");
            assert_eq!(cell_text(&row[col("姓名")]), p.name.as_str());
            assert_eq!(cell_date(&row[birth_col]), Some(p.birth_date));
            assert_eq!(cell_date(&row[enrolled_col]), Some(p.enrolled_on));
            assert_eq!(cell_text(&row[col("编制类别")]), p.category.label_zh());
        }
        let x_row = by_id[with_x.id_number.as_str()];
        assert_eq!(x_row[id_col], Data::String(with_x.id_number.as_str().to_owned()));
        let csv = csv_rows(&export(page, downloads.path(), "在编人员花名册", "csv").await?)?;
        assert_eq!(csv[0], header);
        let csv_x = csv
            .iter()
            .find(|r| r[id_col] == with_x.id_number.as_str())
            .expect("the ID ending in X is in the CSV");
        assert_eq!(csv_x[birth_col], with_x.birth_date.to_string());
        assert_eq!(csv_x[col("姓名")], with_x.name.as_str());
        assert_eq!(csv.len() - 1, staff.len());

        // 减少人员名册 over a range that holds every departure, then over one day.
        open_report(page, "departures").await?;
        fill(page, &[("#report-from", "2000-01-01"), ("#report-to", "2099-12-31")]).await?;
        let departed: Vec<_> = certificates.iter().flat_map(|c| &c.departed).collect();
        page.wait_for_attribute(".report-count", "data-rows", &departed.len().to_string())
            .await?;
        shot(page, "reports_departures_zh").await?;
        let xlsx = read_xlsx(&export(page, downloads.path(), "减少人员名册", "xlsx").await?)?;
        let sheet = &xlsx["减少人员名册"];
        let left: BTreeSet<(String, Option<Date>)> = sheet[1..]
            .iter()
            .map(|r| (cell_text(&r[4]), cell_date(&r[10])))
            .collect();
        let expected: BTreeSet<(String, Option<Date>)> = departed
            .iter()
            .map(|d| (d.person.id_number.as_str().to_owned(), Some(d.left_on)))
            .collect();
        assert_eq!(left, expected);
        let csv = csv_rows(&export(page, downloads.path(), "减少人员名册", "csv").await?)?;
        assert_eq!(csv.len(), sheet.len());
        let first = departed.iter().map(|d| d.left_on).min().expect("someone left");
        let on_that_day = departed.iter().filter(|d| d.left_on == first).count();
        fill(page, &[("#report-from", &first.to_string()), ("#report-to", &first.to_string())])
            .await?;
        page.wait_for_attribute(".report-count", "data-rows", &on_that_day.to_string())
            .await?;

        // 人员变动情况: the onboardings and offboardings of the range.
        open_report(page, "changes").await?;
        fill(page, &[("#report-from", "2000-01-01"), ("#report-to", "2099-12-31")]).await?;
        let from = Date::parse("2000-01-01")?;
        let onboarded = certificates
            .iter()
            .flat_map(|c| c.staff.iter().chain(c.departed.iter().map(|d| &d.person)))
            .filter(|p| p.enrolled_on >= from)
            .count();
        let record_changes: usize = certificates.iter().map(|c| c.record_changes.len()).sum();
        let expected = onboarded + departed.len() + record_changes;
        page.wait_for_attribute(".report-count", "data-rows", &expected.to_string())
            .await?;
        shot(page, "reports_changes_zh").await?;
        let xlsx = read_xlsx(&export(page, downloads.path(), "人员变动情况", "xlsx").await?)?;
        let sheet = &xlsx["人员变动情况"];
        assert_eq!(sheet.len() - 1, expected);
        let offboardings = sheet[1..].iter().filter(|r| cell_text(&r[1]) == "出编").count();
        assert_eq!(offboardings, departed.len());
        assert!(sheet[1..].iter().all(|r| cell_date(&r[2]).is_some()));
        let csv = csv_rows(&export(page, downloads.path(), "人员变动情况", "csv").await?)?;
        assert_eq!(csv.len(), sheet.len());

        // 人员结构分析 at a chosen date: every chart's counts equal a count made here.
        open_report(page, "structure").await?;
        let on = Date::parse("2026-07-01")?;
        fill(page, &[("#report-on", "2026-07-01")]).await?;
        page.wait_until(
            "document.querySelector('.report-meta')?.textContent.includes('2026-07-01')",
            "the ages are counted on the chosen date",
        )
        .await?;
        shot(page, "reports_structure_zh").await?;
        print_shot(page, "reports_structure_print").await?;
        let counts: BTreeMap<String, BTreeMap<String, u32>> = serde_json::from_str(
            &page
                .eval::<String>(
                    "JSON.stringify(Object.fromEntries([...document.querySelectorAll('svg.chart')]\
                     .map(s => [s.dataset.dimension, Object.fromEntries([...s.querySelectorAll('.part')]\
                     .map(p => [p.dataset.label, Number(p.dataset.count)]))])))",
                )
                .await?,
        )?;
        assert_eq!(counts.len(), 12, "{:?}", counts.keys());
        let count = |f: &dyn Fn(&Person) -> bool| staff.iter().filter(|p| f(p)).count() as u32;
        let ages = &counts["age_band"];
        assert_eq!(ages["35岁及以下"], count(&|p| age(p.birth_date, on) <= 35));
        assert_eq!(ages["36至45岁"], count(&|p| (36..=45).contains(&age(p.birth_date, on))));
        assert_eq!(ages["46至54岁"], count(&|p| (46..=54).contains(&age(p.birth_date, on))));
        assert_eq!(ages["55岁及以上"], count(&|p| age(p.birth_date, on) >= 55));
        assert_eq!(
            counts["five_year_band"]["30–34岁"],
            count(&|p| (30..=34).contains(&age(p.birth_date, on)))
        );
        assert_eq!(counts["sex"]["女"], count(&|p| p.sex == domain::Sex::Female));
        for (dimension, label_of) in [
            ("education", (|p: &Person| p.education.label_zh()) as fn(&Person) -> &'static str),
            ("degree", |p| p.degree.label_zh()),
            ("political_status", |p| p.political_status.label_zh()),
            ("post_category", |p| p.post_category.label_zh()),
            ("category", |p| p.category.label_zh()),
            ("entry_form", |p| p.entry_form.label_zh()),
        ] {
            for (label, n) in &counts[dimension] {
                assert_eq!(*n, count(&|p| label_of(p) == label), "{dimension} {label}");
            }
        }
        for (label, n) in &counts["ethnicity"] {
            assert_eq!(*n, count(&|p| p.ethnicity == *label), "ethnicity {label}");
        }
        for (label, n) in &counts["rank"] {
            assert_eq!(*n, count(&|p| p.rank.as_deref().unwrap_or("未填写") == label), "rank {label}");
        }
        assert_eq!(
            counts["funding_form"]["全额拨款"],
            count(&|p| p.funding_form == Some(domain::FundingForm::Full))
        );
        let xlsx = read_xlsx(&export(page, downloads.path(), "人员结构分析", "xlsx").await?)?;
        assert_eq!(xlsx.len(), 12, "a sheet per dimension: {:?}", xlsx.keys());
        let ages_sheet = &xlsx["年龄结构"];
        assert_eq!(cell_text(&ages_sheet[1][0]), "35岁及以下");
        assert_eq!(
            cell_number(&ages_sheet[1][1]),
            Some(i64::from(ages["35岁及以下"]))
        );
        let total = ages_sheet.last().expect("a total row");
        assert_eq!(cell_number(&total[1]), Some(staff.len() as i64));
        let csv = csv_rows(&export(page, downloads.path(), "人员结构分析", "csv").await?)?;
        assert!(csv.iter().any(|r| r.first().map(String::as_str) == Some("年龄结构")));

        // The same pages in English.
        page.click("#lang-switch").await?;
        for code in ["structure", "changes", "departures", "roster", "ledger"] {
            open_report(page, code).await?;
            page.wait_for_text("#reports h1", "Reports").await?;
            shot(page, &format!("reports_{code}_en")).await?;
        }
        Ok(())
    })
    .await
}
