//! The data-verification phase (数据核实) in headless Chromium (issue 14): a bureau
//! administrator opens a unit from the states counted per region, checks a roster .xlsx
//! (written here with the server's template writer) with three bad rows — a wrong check
//! character, an ID number already in a post elsewhere, a required field missing — and the
//! report names the three errors by row, column and rule, in Chinese and English, with nothing
//! imported; the fixed file is imported by a signed act; the unit's clerk confirms in a
//! browser of their own, then the bureau; the region's counts say so, and the dashboard's
//! "units not yet verified" alert counts every other unit. Screenshots at 1366×768.

use domain::roster::row_of;
use domain::{EstablishmentCategory, UnitId};
use tests::browser::TestPage;
use tests::clerk::wait_for_sync;
use tests::review::laptop;
use tests::scenario::{CITY_REGION, City, SignedInBrowser};
use tests::schema;

/// Puts `bytes` as the file chosen in `#verification-file` (as a user's choice would).
async fn choose_file(page: &TestPage, bytes: &[u8]) -> anyhow::Result<()> {
    let numbers: Vec<String> = bytes.iter().map(u8::to_string).collect();
    let script = format!(
        "(() => {{ const file = new File([new Uint8Array([{}])], 'roster.xlsx', \
         {{ type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }}); \
         const chosen = new DataTransfer(); chosen.items.add(file); \
         const input = document.querySelector('#verification-file'); input.files = chosen.files; \
         input.dispatchEvent(new Event('change', {{ bubbles: true }})); return true; }})()",
        numbers.join(",")
    );
    page.eval::<bool>(&script).await?;
    Ok(())
}

/// The errors of the report as `row column rule`, sorted.
async fn reported(page: &TestPage) -> anyhow::Result<Vec<String>> {
    let mut errors: Vec<String> = page
        .eval(
            "[...document.querySelectorAll('#verification-errors tbody tr')].map(tr => \
             [tr.dataset.row, tr.dataset.column, tr.dataset.rule].join(' '))",
        )
        .await?;
    errors.sort();
    Ok(errors)
}

/// Waits until the unit's panel shows `state`.
async fn wait_for_state(page: &TestPage, state: &str) -> anyhow::Result<()> {
    page.wait_until(
        &format!("document.querySelector(\"#verification-unit[data-state='{state}']\")"),
        &format!("the unit is {state}"),
    )
    .await
}

/// The rows of a roster of five new people of `category`, and the same rows with three
/// errors: row 3 a wrong check character, row 4 someone in a post elsewhere, row 5 no name.
async fn rosters(
    pool: &schema::Pool,
    unit: &UnitId,
    category: EstablishmentCategory,
) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let fresh: Vec<Vec<String>> = (1..=5)
        .map(|n| {
            row_of(&tests::filing::new_person(
                &format!("1991-04-0{n}"),
                200 + n,
                category,
            ))
        })
        .collect();
    let mut bad = fresh.clone();
    let id = bad[1][2].clone();
    let last = if id.ends_with('1') { '2' } else { '1' };
    bad[1][2] = format!("{}{last}", &id[..17]);
    let (other, in_post) = schema::someone_elsewhere(pool, unit).await;
    let person = schema::certificate(pool, &other)
        .await
        .staff
        .into_iter()
        .find(|p| p.id_number.as_str() == in_post)
        .expect("the person in post");
    bad[2] = row_of(&person);
    bad[3][0] = String::new();
    (bad, fresh)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roster_with_three_bad_rows_is_reported_then_imported_and_confirmed_per_region()
-> anyhow::Result<()> {
    let city = City::start().await;
    let pool = city.pool.clone();
    let unit = city.vacancy().await.unit;
    let category = tests::filing::vacant_category(&pool, &unit, 0).await;
    let region = schema::certificate(&pool, &unit).await.unit.region;
    let (bad, fixed) = rosters(&pool, &unit, category).await;
    let bad = server::roster::workbook(&bad)?;
    let fixed = server::roster::workbook(&fixed)?;
    let staff_before = schema::staff_count(&pool).await;

    let admin = SignedInBrowser::start(&city.server, "admin", "bureau_admin", CITY_REGION).await?;
    let page = &admin.page;
    laptop(page).await?;
    wait_for_sync(page).await?;
    page.check("verification_import_report", async {
        page.click("#nav-verification").await?;
        page.wait_until(
            "document.querySelector('#verification-regions')",
            "the states per region show",
        )
        .await?;
        page.click(&format!(
            "#verification-regions tr[data-region='{}'] button.link",
            region.code()
        ))
        .await?;
        page.click(&format!(
            "#verification-units tr[data-unit='{unit}'] button.link"
        ))
        .await?;
        wait_for_state(page, "not_started").await?;
        // The template is a link to the server's file.
        let template = page.attribute("#verification-template", "href").await?;
        assert_eq!(template.as_deref(), Some("/api/import/template"));

        // The picker speaks the interface's language, then names the file chosen.
        page.wait_for_text("#verification-file-name", "未选择文件")
            .await?;
        // The file with three bad rows: three errors named, nothing imported.
        choose_file(page, &bad).await?;
        page.wait_for_text("#verification-file-name", "roster.xlsx")
            .await?;
        page.click("#verification-check").await?;
        page.wait_until(
            "document.querySelector('#verification-errors')",
            "the report shows",
        )
        .await?;
        assert_eq!(
            reported(page).await?,
            vec!["3 C check_digit", "4 C id_in_post", "5 A required"]
        );
        let table = page.text("#verification-errors").await?.unwrap_or_default();
        assert!(
            table.contains("C（身份证号）") && table.contains("A（姓名）"),
            "{table}"
        );
        let counts = page.text("#verification-counts").await?.unwrap_or_default();
        assert!(
            counts.contains("数据行：5") && counts.contains("无误：2"),
            "{counts}"
        );
        assert!(page.text("#verification-nothing").await?.is_some());
        assert_eq!(
            schema::staff_count(&pool).await,
            staff_before,
            "nothing imported"
        );
        page.eval::<bool>(
            "(document.querySelector('#verification-report').scrollIntoView(), true)",
        )
        .await?;
        page.screenshot("verification_report_zh").await?;
        page.click("#lang-switch").await?;
        page.wait_for_text("#verification h1", "Data verification")
            .await?;
        let table = page.text("#verification-errors").await?.unwrap_or_default();
        assert!(
            table.contains("C (ID number)") || table.contains("C（ID number）"),
            "{table}"
        );
        page.eval::<bool>(
            "(document.querySelector('#verification-report').scrollIntoView(), true)",
        )
        .await?;
        page.screenshot("verification_report_en").await?;
        page.click("#lang-switch").await?;
        page.wait_for_text("#verification h1", "数据核实").await?;

        // The fixed file: clean, imported by a signed act.
        choose_file(page, &fixed).await?;
        page.click("#verification-check").await?;
        page.wait_until(
            "document.querySelector('#verification-clean')",
            "the clean report shows",
        )
        .await?;
        page.click("#verification-import").await?;
        wait_for_state(page, "imported").await?;
        assert_eq!(schema::staff_count(&pool).await, staff_before + 5);
        Ok(())
    })
    .await?;

    // The unit's clerk, in a browser of their own, confirms.
    let clerk = SignedInBrowser::start(
        &city.server,
        "clerk-verif",
        "unit_clerk",
        &format!("unit:{unit}"),
    )
    .await?;
    let clerk_page = &clerk.page;
    laptop(clerk_page).await?;
    wait_for_sync(clerk_page).await?;
    clerk_page
        .check("verification_unit_confirms", async {
            clerk_page.click("#nav-verification").await?;
            wait_for_state(clerk_page, "imported").await?;
            let regions: bool = clerk_page
                .eval("document.querySelector('#verification-regions') === null")
                .await?;
            assert!(regions, "a clerk sees their unit only");
            clerk_page.screenshot("verification_clerk_zh").await?;
            clerk_page.click("#verification-confirm-unit").await?;
            wait_for_state(clerk_page, "confirmed_by_unit").await
        })
        .await?;

    // The bureau confirms after the unit; the region's counts say so.
    page.check("verification_bureau_confirms", async {
        page.eval::<bool>(&format!(
            "(location.assign('/admin/verification?unit={unit}'), true)"
        ))
        .await?;
        wait_for_state(page, "confirmed_by_unit").await?;
        page.click("#verification-confirm-bureau").await?;
        wait_for_state(page, "confirmed_by_bureau").await?;
        let row = format!("#verification-regions tr[data-region='{}']", region.code());
        let confirmed = page
            .text(&format!("{row} td:nth-child(5)"))
            .await?
            .unwrap_or_default();
        assert_eq!(confirmed.trim(), "1", "one unit confirmed by the bureau");
        page.eval::<bool>("(window.scrollTo(0, 0), true)").await?;
        page.screenshot("verification_progress_zh").await?;
        page.click("#lang-switch").await?;
        page.wait_for_text("#verification h1", "Data verification")
            .await?;
        page.screenshot("verification_progress_en").await?;
        page.click("#lang-switch").await?;
        page.wait_for_text("#verification h1", "数据核实").await?;

        // The dashboard: every other unit is not yet verified.
        let total: String = page
            .eval("document.querySelector('#verification-total td:last-child').textContent")
            .await?;
        let total: u32 = total.trim().parse()?;
        page.click("#nav-oversight").await?;
        page.wait_for_attribute(
            "#alert-count-unverified",
            "data-count",
            &(total - 1).to_string(),
        )
        .await?;
        let listed: bool = page
            .eval(&format!(
                "document.querySelector(\"#alert-list-unverified tr[data-unit='{unit}']\") === null"
            ))
            .await?;
        assert!(listed, "the confirmed unit is not an alert");
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_only_the_valid_rows_is_a_choice_that_leaves_the_others_out() -> anyhow::Result<()>
{
    let city = City::start().await;
    let pool = city.pool.clone();
    let unit = city.vacancy().await.unit;
    let category = tests::filing::vacant_category(&pool, &unit, 0).await;
    let (bad, fixed) = rosters(&pool, &unit, category).await;
    let bad = server::roster::workbook(&bad)?;
    let staff_before = schema::staff_count(&pool).await;
    let admin = SignedInBrowser::start(&city.server, "admin", "bureau_admin", CITY_REGION).await?;
    let page = &admin.page;
    laptop(page).await?;
    wait_for_sync(page).await?;
    page.check("verification_valid_rows_only", async {
        // From the dashboard's alert of the units not yet verified.
        page.click("#nav-oversight").await?;
        let link = format!("#alert-list-unverified tr[data-unit='{unit}'] a");
        page.wait_until(
            &format!("document.querySelector(\"{link}\")"),
            "the unit is listed among those not verified",
        )
        .await?;
        page.click(&link).await?;
        wait_for_state(page, "not_started").await?;
        choose_file(page, &bad).await?;
        page.click("#verification-check").await?;
        page.wait_until(
            "document.querySelector('#verification-import-valid')",
            "the choice is offered",
        )
        .await?;
        // No button imports the file whole while it has errors.
        let whole: bool = page
            .eval("document.querySelector('#verification-import') === null")
            .await?;
        assert!(whole);
        page.click("#verification-import-valid").await?;
        wait_for_state(page, "imported").await?;
        assert_eq!(schema::staff_count(&pool).await, staff_before + 2);
        // Rows 2 and 6 of the file: the first and the last person.
        let staff = schema::certificate(&pool, &unit).await.staff;
        for row in [&fixed[0], &fixed[4]] {
            assert!(staff.iter().any(|p| p.id_number.as_str() == row[2]));
        }
        Ok(())
    })
    .await
}
