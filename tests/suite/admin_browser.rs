//! The bureau's pages in headless Chromium (issue 14): the oversight dashboard of a city
//! bureau administrator, from the synced data and offline — a unit put over establishment
//! (超编) and an offboarding filed a hundred days late, both made in the test, shown among the
//! alerts; the ledger by region with its drill-down to the region's units; the export as
//! .xlsx read back with calamine. 使用人员备案: the administrator registers a clerk (a form
//! with missing and malformed fields first: each named, nothing typed lost), issues the
//! one-time code (a link and its QR code, read back), the clerk opens the link in a browser
//! of their own, enrols a virtual key and signs in; the administrator revokes the key and the
//! clerk's next sign-in is refused.
//! Screenshots in Chinese and English at 1366×768.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use domain::payload::{ApplicationPayload, OffboardingRequest};
use domain::person::DepartureReason;
use domain::{Date, DocumentNumber, HeadcountDelta, LedgerRow, UnitId};
use protocol::identity::{HolderCreated, HolderInfo, VerdictStatus};
use tests::browser::{TestBrowser, downloaded};
use tests::clerk::{enrol_and_sign_in, fill, today, wait_for_sync};
use tests::review::laptop;
use tests::scenario::{CITY_REGION, City, SignedInBrowser};
use tests::schema::{self, Pool};

/// Puts `unit` over establishment (超编) in one of its categories with staff: a 核减 ledger row
/// written straight to the database leaves one post fewer approved than filled (as legacy
/// data may be). Returns the unit's name.
async fn over_establish(pool: &Pool, unit: &UnitId) -> String {
    let certificate = schema::certificate(pool, unit).await;
    let (category, f) = certificate
        .ledger
        .all_figures()
        .into_iter()
        .find(|(_, f)| f.filled.get() > 0)
        .expect("the unit has staff");
    let delta = i64::from(f.filled.get()) - 1 - i64::from(f.approved.get());
    let position = schema::next_ledger_position(pool, unit).await;
    let row = LedgerRow {
        document: DocumentNumber::parse(&format!("天机编发〔2026〕{}号", 300 + position))
            .expect("a document number"),
        date: Date::parse("2026-02-01").expect("a date"),
        title: "关于核减编制的批复".into(),
        changes: [(category, HeadcountDelta::new(delta as i32))].into(),
        note: Some("测试：超编".into()),
    };
    schema::insert_ledger_row(pool, unit, position, &row).await;
    let after = schema::certificate(pool, unit)
        .await
        .ledger
        .figures(category);
    assert!(after.is_over(), "{after:?}");
    certificate.unit.name.to_string()
}

fn read_xlsx(bytes: &[u8]) -> anyhow::Result<Vec<(String, Vec<Vec<String>>)>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec()))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name)?;
        let rows = range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Data::String(s) => s.clone(),
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        sheets.push((name, rows));
    }
    Ok(sheets)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_an_over_established_unit_and_a_late_offboarding_offline()
-> anyhow::Result<()> {
    // The server's threshold of days waiting, which the dashboard starts from.
    let mut city = City::start_configured(|c| c.oversight.waiting_days = 3).await;
    let pool = city.pool.clone();
    let mut clerk = city.clerk_with_vacancy().await;
    // Another unit with staff, put over establishment.
    let mut over = None;
    for unit in city.units().await {
        if unit != clerk.unit && !schema::certificate(&pool, &unit).await.staff.is_empty() {
            over = Some(unit);
            break;
        }
    }
    let over = over.expect("a second unit with staff");
    let over_name = over_establish(&pool, &over).await;
    // The clerk's offboarding of someone who left a hundred days ago: accepted, flagged late.
    let leaving = schema::certificate(&pool, &clerk.unit).await.staff[0].clone();
    let left_on = today().add_days(-100).expect("a date");
    let payload = ApplicationPayload::Offboarding(OffboardingRequest {
        id_number: leaving.id_number.clone(),
        reason: DepartureReason::Retirement,
        left_on,
        document: DocumentNumber::parse("天人社发〔2026〕9号").expect("a document number"),
    });
    let verdict = clerk.clerk.file("off-late", &clerk.unit, &payload).await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    let (_, days_overdue) = schema::lateness(&pool, "off-late").await;
    assert!(days_overdue > 0);

    let scene = SignedInBrowser::start(&city.server, "admin", "bureau_admin", CITY_REGION).await?;
    let page = &scene.page;
    let downloads = tempfile::tempdir()?;
    scene.browser.save_downloads_in(downloads.path()).await?;
    laptop(page).await?;
    wait_for_sync(page).await?;
    // Offline from here on: the dashboard is computed from IndexedDB.
    city.server.stop().await?;
    page.check("admin_oversight", async {
        page.click("#nav-oversight").await?;
        page.wait_until(
            "document.querySelector('#alert-count-over')",
            "the dashboard shows",
        )
        .await?;
        let over_rows: usize = page
            .eval(&format!(
                "document.querySelectorAll(\"#alert-list-over tr[data-unit='{over}']\").length"
            ))
            .await?;
        assert!(over_rows >= 1, "the over-established unit is an alert");
        let over_text = page
            .text(&format!("#alert-list-over tr[data-unit='{over}']"))
            .await?
            .unwrap_or_default();
        assert!(
            over_text.contains(&over_name) && over_text.contains("超编 1"),
            "{over_text}"
        );
        let late = page
            .text(&format!("#alert-list-late tr[data-unit='{}']", clerk.unit))
            .await?
            .unwrap_or_default();
        assert!(
            late.contains("出编登记") && late.contains(&format!("逾期 {days_overdue} 天")),
            "{late}"
        );
        let late_count = page.attribute("#alert-count-late", "data-count").await?;
        assert_eq!(late_count.as_deref(), Some("1"));
        page.wait_until(
            "document.querySelector('#waiting-days').value === '3'",
            "the server's threshold is used",
        )
        .await?;
        // No unit's data is verified yet: each is an alert.
        let unverified = page
            .attribute("#alert-count-unverified", "data-count")
            .await?
            .unwrap_or_default();
        assert!(unverified.parse::<u32>()? > 0, "{unverified}");
        page.screenshot("admin_oversight_alerts_zh").await?;

        // The ledger by region; the drill-down lists the region's units, the over one marked.
        page.click("#oversight-ledger tr.total button.link").await?;
        page.wait_until(
            "document.querySelector('#oversight-units')",
            "the region's units show",
        )
        .await?;
        page.eval::<bool>("(document.querySelector('#oversight-ledger').scrollIntoView(), true)")
            .await?;
        page.screenshot("admin_oversight_ledger_zh").await?;

        // Exported as .xlsx: the ledger, the units, the alerts with both units named.
        let name = format!("监督看板_{}.xlsx", today());
        page.click("#oversight-export").await?;
        page.wait_for_attribute("#export-status", "data-file", &name)
            .await?;
        let sheets = read_xlsx(&downloaded(downloads.path(), &name).await?)?;
        let titles: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(titles.len(), 3, "{titles:?}");
        let (_, alerts) = &sheets[2];
        assert!(alerts.iter().any(|r| r.contains(&over_name)), "{alerts:?}");
        assert!(
            alerts
                .iter()
                .any(|r| r.first().map(String::as_str) == Some("逾期办理的出编登记和信息变更")),
            "{alerts:?}"
        );

        // In English.
        page.click("#lang-switch").await?;
        page.wait_for_text("#oversight h1", "Oversight dashboard")
            .await?;
        let late = page
            .text(&format!("#alert-list-late tr[data-unit='{}']", clerk.unit))
            .await?
            .unwrap_or_default();
        assert!(
            late.contains("offboarding") && late.contains("late by"),
            "{late}"
        );
        page.eval::<bool>("(window.scrollTo(0, 0), true)").await?;
        page.screenshot("admin_oversight_alerts_en").await?;
        page.eval::<bool>("(document.querySelector('#oversight-ledger').scrollIntoView(), true)")
            .await?;
        page.screenshot("admin_oversight_ledger_en").await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_registers_a_clerk_who_enrols_and_a_revoked_key_is_refused() -> anyhow::Result<()>
{
    let city = City::start().await;
    let unit = city.vacancy().await.unit;
    let scene = SignedInBrowser::start(&city.server, "admin", "bureau_admin", CITY_REGION).await?;
    let admin = &scene.page;
    laptop(admin).await?;
    let mut created = None;
    admin
        .check("admin_registers_a_clerk", async {
            admin.click("#nav-holders").await?;
            admin
                .wait_until("document.querySelector('#holder-form')", "the form shows")
                .await?;
            // A name missing and a scope malformed: both named, what was typed kept.
            fill(
                admin,
                &[
                    ("#holder-login", "clerk-new"),
                    ("#holder-scope", "unit"),
                    ("#holder-phone", "0938-8212345"),
                ],
            )
            .await?;
            admin.click("#holder-register").await?;
            admin.wait_for_text("#holder-name-error", "必填").await?;
            admin.wait_for_text("#holder-scope-error", "unit:").await?;
            let kept: String = admin
                .eval("document.querySelector('#holder-login').value")
                .await?;
            assert_eq!(kept, "clerk-new");
            admin.screenshot("admin_holders_form_errors_zh").await?;
            fill(
                admin,
                &[
                    ("#holder-name", "李新"),
                    ("#holder-scope", &format!("unit:{unit}")),
                ],
            )
            .await?;
            admin.click("#holder-register").await?;
            admin
                .wait_until(
                    "document.querySelector('#enrolment-link')",
                    "the code is shown",
                )
                .await?;
            let link = admin
                .attribute("#enrolment-link", "href")
                .await?
                .unwrap_or_default();
            let code = admin
                .text("#enrolment-code-value")
                .await?
                .unwrap_or_default();
            assert!(link.contains(&code) && !code.is_empty(), "{link} {code}");
            // The link again as a QR code, read back from the SVG.
            let path = admin
                .attribute("#enrolment-qr path", "d")
                .await?
                .unwrap_or_default();
            let side: usize = admin
                .attribute("#enrolment-qr", "viewBox")
                .await?
                .unwrap_or_default()
                .rsplit(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or_default();
            assert_eq!(
                tests::qr::decode_svg_path(&path, side).as_deref(),
                Some(link.as_str()),
                "the QR code holds the enrolment link"
            );
            admin
                .wait_until(
                    "document.querySelector(\"#holder-list tr[data-login='clerk-new']\")",
                    "the new holder is listed",
                )
                .await?;
            admin.screenshot("admin_holders_code_zh").await?;
            created = Some(HolderCreated {
                holder: HolderInfo {
                    id: String::new(),
                    login: "clerk-new".into(),
                    name: "李新".into(),
                    role: "unit_clerk".into(),
                    scope: format!("unit:{unit}"),
                },
                enrolment_code: code,
                enrolment_link: link,
                expires_at: String::new(),
            });
            Ok(())
        })
        .await?;
    let created = created.expect("a code was issued");

    // The clerk, on a computer of their own: opens the link, enrols, signs in.
    let clerk_browser = TestBrowser::launch().await?;
    let clerk = clerk_browser.open(&created.enrolment_link).await?;
    clerk.add_virtual_authenticator().await?;
    clerk
        .check("new_clerk_enrols_and_signs_in", async {
            enrol_and_sign_in(&clerk, &created).await?;
            wait_for_sync(&clerk).await
        })
        .await?;

    // The administrator sees the key and revokes it.
    admin
        .check("admin_revokes_the_key", async {
            fill(admin, &[("#holder-search", "clerk-new")]).await?;
            admin
                .wait_until(
                    "document.querySelectorAll('#holder-list tbody tr').length === 1",
                    "the search finds the clerk",
                )
                .await?;
            admin
                .click("#holder-list tr[data-login='clerk-new'] .holder-open")
                .await?;
            admin
                .wait_for_attribute("#holder-detail", "data-login", "clerk-new")
                .await?;
            admin
                .wait_until(
                    "document.querySelector(\"#holder-detail tr[data-state='active']\")",
                    "the enrolled key is listed",
                )
                .await?;
            let flagged = admin
                .text("#holder-detail .holder-keys")
                .await?
                .unwrap_or_default();
            assert!(
                flagged.contains("演示模式注册"),
                "a demo-mode key says so: {flagged}"
            );
            admin.screenshot("admin_holder_keys_zh").await?;
            admin.click("#lang-switch").await?;
            admin.wait_for_text("#holders h1", "Key holders").await?;
            admin.screenshot("admin_holder_keys_en").await?;
            admin.click("#lang-switch").await?;
            // The unit's 使用人员备案表, with the clerk and the key.
            fill(admin, &[("#register-unit", unit.as_str())]).await?;
            admin.click("#register-show").await?;
            admin
                .wait_for_attribute("#register-sheet", "data-unit", unit.as_str())
                .await?;
            let sheet = admin.text("#register-sheet").await?.unwrap_or_default();
            assert!(
                sheet.contains("clerk-new") && sheet.contains("李新"),
                "{sheet}"
            );
            admin.screenshot("admin_holder_register_zh").await?;
            admin.click("#holder-detail .key-revoke").await?;
            admin
                .wait_until(
                    "document.querySelector(\"#holder-detail tr[data-state='revoked']\")",
                    "the key is revoked",
                )
                .await
        })
        .await?;

    // The clerk's next action: the session is gone, and signing in with the key is refused.
    clerk
        .check("revoked_clerk_is_refused", async {
            clerk.reload().await?;
            clerk
                .eval::<bool>("(location.assign('/sign-in'), true)")
                .await?;
            clerk
                .wait_for_text("#sign-in h1", "使用安全密钥登录")
                .await?;
            fill(&clerk, &[("#sign-in-login", "clerk-new")]).await?;
            clerk.click("#sign-in-button").await?;
            clerk
                .wait_until(
                    "document.querySelector('#sign-in-error')",
                    "the sign-in is refused",
                )
                .await?;
            let signed_in: bool = clerk
                .eval("document.querySelector('#session-holder') !== null")
                .await?;
            assert!(!signed_in);
            clerk.screenshot("revoked_clerk_sign_in_refused").await?;
            Ok(())
        })
        .await
}
