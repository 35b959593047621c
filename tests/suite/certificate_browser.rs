//! The whole certificate on screen (issue 12), in headless Chromium with a virtual security key,
//! offline after one sync (the server stopped): every section of a demo unit checked against
//! the certificate the server's API gave before going offline; the organisation chart with a
//! box per body; an affiliate opening its own certificate; a person's own page with the whole
//! record; and a scope of thousands of people whose roster filters by name and by category to
//! the counts the test makes over the same people. Screenshots of every section in Chinese and
//! English at laptop size (1366×768).

use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use domain::certificate::Certificate;
use domain::{EstablishmentCategory, Region};
use tests::browser::TestPage;
use tests::clerk::{fill, wait_for_sync};
use tests::scenario::{CITY_REGION, City, SignedInBrowser};
use tests::schema;

/// Rows the roster draws at once (`app::pages::certificate::roster::PAGE_ROWS`).
const PAGE_ROWS: usize = 50;

/// A laptop's screen.
async fn laptop(page: &TestPage) -> anyhow::Result<()> {
    page.raw()
        .execute(SetDeviceMetricsOverrideParams::new(1366, 768, 1.0, false))
        .await?;
    Ok(())
}

/// Both languages of the current screen: `<name>_zh.png` and `<name>_en.png`.
/// (At laptop size: a whole-page screenshot resets the size.)
async fn both_languages(page: &TestPage, name: &str) -> anyhow::Result<()> {
    laptop(page).await?;
    page.screenshot(&format!("{name}_zh")).await?;
    page.click("#lang-switch").await?;
    page.wait_for_text("#lang-switch", "中文").await?;
    laptop(page).await?;
    page.screenshot(&format!("{name}_en")).await?;
    page.click("#lang-switch").await?;
    page.wait_for_text("#lang-switch", "English").await?;
    Ok(())
}

/// How many elements match `selector`.
async fn count(page: &TestPage, selector: &str) -> anyhow::Result<usize> {
    page.eval(&format!(
        "document.querySelectorAll({}).length",
        serde_json::to_string(selector)?
    ))
    .await
}

/// The texts of the elements matching `selector`.
async fn texts(page: &TestPage, selector: &str) -> anyhow::Result<Vec<String>> {
    page.eval(&format!(
        "[...document.querySelectorAll({})].map(e => e.textContent.trim())",
        serde_json::to_string(selector)?
    ))
    .await
}

/// Waits until `selector` matches exactly `n` elements.
async fn wait_count(page: &TestPage, selector: &str, n: usize) -> anyhow::Result<()> {
    page.wait_until(
        &format!(
            "document.querySelectorAll({}).length === {n}",
            serde_json::to_string(selector)?
        ),
        &format!("{n} of `{selector}`"),
    )
    .await
}

/// Opens the tab `slug` of the unit shown and waits for its section.
async fn open_section(page: &TestPage, slug: &str) -> anyhow::Result<()> {
    let tab = format!("#certificate-tabs a[data-section='{slug}']");
    page.wait_until(
        &format!("document.querySelector({})", serde_json::to_string(&tab)?),
        "the tabs",
    )
    .await?;
    page.click(&tab).await?;
    let id = if slug.is_empty() { "overview" } else { slug };
    page.wait_until(
        &format!("document.querySelector('#section-{id}')"),
        &format!("the section {id}"),
    )
    .await
}

/// A table's body rows (the ledger's total row apart), or its empty message when `expected`
/// is 0.
async fn check_rows(page: &TestPage, id: &str, expected: usize) -> anyhow::Result<()> {
    if expected == 0 {
        page.wait_until(
            &format!("document.querySelector('#{id}-empty')"),
            &format!("{id} says why it is empty"),
        )
        .await
    } else {
        wait_count(page, &format!("#{id} tbody tr:not(.total)"), expected).await
    }
}

/// A4 landscape less the chart's 10 mm margins (`@page chart`), at 96 dpi: 277 × 190 mm.
const A4_LANDSCAPE_PX: (f64, f64) = (277.0 / 25.4 * 96.0, 190.0 / 25.4 * 96.0);

/// The organisation chart as printed (print media emulated, the viewport one A4 landscape
/// page's printable area): the drawing and every one of its `boxes` boxes inside the page;
/// `certificate_chart_print.png`.
async fn chart_fits_a4_landscape(page: &TestPage, boxes: usize) -> anyhow::Result<()> {
    use chromiumoxide::cdp::browser_protocol::emulation::SetEmulatedMediaParams;
    let media = |m: &str| SetEmulatedMediaParams::builder().media(m).build();
    let (width, height) = A4_LANDSCAPE_PX;
    page.raw().execute(media("print")).await?;
    page.set_viewport(width as i64, height as i64).await?;
    let (svg_width, svg_bottom, inside): (f64, f64, usize) = page
        .eval(&format!(
            "(() => {{ const box = e => {{ const r = e.getBoundingClientRect(); \
               return [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY]; }}; \
               const svg = box(document.querySelector('#org-chart svg')); \
               const inside = [...document.querySelectorAll('#org-chart .org-box')].map(box) \
                 .filter(([l, t, r, b]) => l >= 0 && t >= 0 && r <= {width} && b <= {height}).length; \
               return [svg[2] - svg[0], svg[3], inside]; }})()"
        ))
        .await?;
    page.screenshot("certificate_chart_print").await?;
    page.raw().execute(media("")).await?;
    laptop(page).await?;
    anyhow::ensure!(
        svg_width <= width && svg_bottom <= height,
        "the chart ({svg_width:.0} px wide, ending at {svg_bottom:.0} px) is not within \
         one A4 landscape page ({width:.0} × {height:.0} px)"
    );
    anyhow::ensure!(
        inside == boxes,
        "{inside} of the chart's {boxes} boxes are on the printed page"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_section_of_a_unit_offline_matches_the_servers_certificate() -> anyhow::Result<()> {
    let mut city = City::start().await;
    let unit = schema::first_unit_with_affiliates(&city.pool).await;
    let api = city.clerk("cert-api", &unit).await;
    let response = api
        .client
        .get(&format!("/api/units/{unit}/certificate"))
        .await;
    anyhow::ensure!(response.status() == 200, "{}", response.status());
    let c: Certificate = serde_json::from_str(&response.text().await?)?;
    let scene = SignedInBrowser::start(
        &city.server,
        "cert-clerk",
        "unit_clerk",
        &format!("unit:{unit}"),
    )
    .await?;
    let page = &scene.page;
    wait_for_sync(page).await?;
    laptop(page).await?;
    city.server.stop().await?;
    page.check("certificate_sections", async {
        page.click("#nav-certificate").await?;
        page.wait_for_attribute("#unit-view", "data-unit-id", unit.as_str())
            .await?;

        // 概览 and 编制台帐: the figures per category, as the server has them.
        for slug in ["", "ledger"] {
            open_section(page, slug).await?;
            for (category, f) in c.ledger.all_figures() {
                let read = format!(
                    "JSON.stringify([...document.querySelectorAll(\"#ledger tr[data-key='{}'] td.num\")].map(td => Number(td.textContent.trim())))",
                    category.code()
                );
                let expected = serde_json::to_string(&[
                    f.approved.get(),
                    f.filled.get(),
                    f.reserved.get(),
                    f.vacant().get(),
                ])?;
                page.wait_until(&format!("{read} === {expected:?}"), "the figures")
                    .await?;
                let over = page
                    .attribute(&format!("#ledger tr[data-key='{}']", category.code()), "class")
                    .await?
                    .unwrap_or_default();
                anyhow::ensure!(over.contains("over") == f.is_over(), "超编 flag of {category}");
            }
        }
        check_rows(page, "ledger-rows", c.ledger.rows().len()).await?;
        let documents = texts(page, "#ledger-rows tbody tr:not(.total) td:first-child").await?;
        let expected: Vec<String> = c.ledger.rows().iter().map(|r| r.document.to_string()).collect();
        anyhow::ensure!(documents == expected, "{documents:?} != {expected:?}");
        both_languages(page, "certificate_ledger").await?;

        open_section(page, "info").await?;
        let field = |name: &str| format!("#unit-record [data-field={name}] dd");
        page.wait_for_text(&field("unit-name"), c.unit.name.as_str()).await?;
        if let Some(code) = &c.unit.credit_code {
            page.wait_for_text(&field("credit-code"), &code.to_string()).await?;
        }
        page.wait_for_text(&field("region"), c.unit.region.label_zh()).await?;
        page.wait_for_text(&field("kind"), c.unit.kind.label_zh()).await?;
        page.wait_for_text(&field("level"), c.unit.level.label_zh()).await?;
        if let Some(total) = c.unit.funded_total().filter(|_| !c.unit.funding.is_empty()) {
            page.wait_for_attribute("#unit-record .funding-total", "data-total", &total.get().to_string())
                .await?;
        }
        wait_count(page, "#unit-record .funding li", c.unit.funding.len()).await?;
        both_languages(page, "certificate_info").await?;

        open_section(page, "functions").await?;
        if c.functions.is_empty() {
            check_rows(page, "functions", 0).await?;
        } else {
            wait_count(page, "#functions li", c.functions.len()).await?;
            let needle: String = c.functions[0].text.chars().take(4).collect();
            fill(page, &[("#functions-search", needle.as_str())]).await?;
            let expected = c.functions.iter().filter(|f| f.text.contains(&needle)).count();
            wait_count(page, "#functions li", expected).await?;
        }
        both_languages(page, "certificate_functions").await?;

        open_section(page, "powers").await?;
        check_rows(page, "powers", c.power_list.len()).await?;
        if let Some(first) = c.power_list.first() {
            fill(page, &[("#powers-category", first.category.code())]).await?;
            let expected = c.power_list.iter().filter(|p| p.category == first.category).count();
            wait_count(page, "#powers tbody tr", expected).await?;
        }
        both_languages(page, "certificate_powers").await?;

        open_section(page, "divisions").await?;
        check_rows(page, "divisions", c.divisions.len()).await?;
        let names = texts(page, "#divisions .division-name").await?;
        let expected: Vec<String> = c.divisions.iter().map(|d| d.name.to_string()).collect();
        anyhow::ensure!(names == expected, "{names:?} != {expected:?}");
        both_languages(page, "certificate_divisions").await?;

        open_section(page, "chart").await?;
        let boxes = 1 + c.divisions.len() + c.affiliates.len();
        wait_count(page, "#org-chart .org-box", boxes).await?;
        for d in &c.divisions {
            let shown: bool = page
                .eval(&format!(
                    "[...document.querySelectorAll('#org-chart .org-node title')].some(t => t.textContent === {})",
                    serde_json::to_string(d.name.as_str())?
                ))
                .await?;
            anyhow::ensure!(shown, "{} is not in the chart", d.name);
        }
        both_languages(page, "certificate_chart").await?;
        chart_fits_a4_landscape(page, boxes).await?;

        open_section(page, "history").await?;
        if c.history.is_empty() {
            check_rows(page, "history", 0).await?;
        } else {
            wait_count(page, "#history .event", c.history.len()).await?;
            let dates = texts(page, "#history .event-date").await?;
            let mut expected: Vec<String> = c.history.iter().map(|e| e.date.to_string()).collect();
            expected.sort();
            anyhow::ensure!(dates == expected, "{dates:?} != {expected:?}");
        }
        both_languages(page, "certificate_history").await?;

        open_section(page, "leadership").await?;
        check_rows(page, "leadership", c.leadership_posts.len()).await?;
        let over = c.leadership_posts.iter().filter(|p| !p.over().is_zero()).count();
        wait_count(page, "#leadership tr.over", over).await?;
        both_languages(page, "certificate_leadership").await?;

        open_section(page, "departed").await?;
        check_rows(page, "departed", c.departed.len()).await?;
        let ids = texts(page, "#departed td.id-number").await?;
        let expected: Vec<String> = c.departed.iter().map(|d| d.person.id_number.masked()).collect();
        anyhow::ensure!(ids == expected, "{ids:?} != {expected:?}");
        both_languages(page, "certificate_departed").await?;

        open_section(page, "staff").await?;
        page.wait_for_attribute("#roster-count", "data-total", &c.staff.len().to_string())
            .await?;
        let ids = texts(page, "#roster td.id-number").await?;
        let expected: Vec<String> = c.staff.iter().take(PAGE_ROWS).map(|p| p.id_number.masked()).collect();
        anyhow::ensure!(ids == expected, "masked roster {ids:?} != {expected:?}");
        anyhow::ensure!(
            !page.text("#roster").await?.unwrap_or_default().contains(c.staff[0].id_number.as_str()),
            "an unmasked ID number in the roster"
        );
        both_languages(page, "certificate_staff").await?;

        // A person's own page: the whole record, the ID number unmasked.
        let person = &c.staff[0];
        page.click("#roster .person-name a").await?;
        page.wait_for_attribute("#person-record", "data-id", person.id_number.as_str())
            .await?;
        let field = |name: &str| format!("#person-record [data-field={name}] dd");
        page.wait_for_text(&field("id-number"), person.id_number.as_str()).await?;
        page.wait_for_text(&field("name"), person.name.as_str()).await?;
        page.wait_for_text(&field("birth-date"), &person.birth_date.to_string()).await?;
        page.wait_for_text(&field("category"), person.category.label_zh()).await?;
        page.wait_for_text(&field("enrolled-on"), &person.enrolled_on.to_string()).await?;
        page.wait_for_text(&field("native-place"), &person.native_place).await?;
        anyhow::ensure!(count(page, "#person-record .record-row").await? >= 22, "not the whole record");
        page.wait_until(
            "document.querySelector('#person-documents, #person-documents-empty') && \
             document.querySelector('#person-changes, #person-changes-empty')",
            "the documents and the changes",
        )
        .await?;
        both_languages(page, "certificate_person").await?;

        // Each affiliate opens its own certificate (in a clerk's scope: the unit's affiliates).
        page.click("#person-back").await?;
        page.wait_for_attribute("#unit-view", "data-unit-id", unit.as_str()).await?;
        open_section(page, "affiliates").await?;
        check_rows(page, "affiliates", c.affiliates.len()).await?;
        both_languages(page, "certificate_affiliates").await?;
        let affiliate = &c.affiliates[0];
        page.click(&format!("#affiliates a[href='/certificate/{}']", affiliate.unit))
            .await?;
        page.wait_for_attribute("#unit-view", "data-unit-id", affiliate.unit.as_str())
            .await?;
        page.wait_for_text("#unit-name", affiliate.name.as_str()).await?;
        // And the unit search finds the unit again.
        fill(page, &[("#unit-filter", c.unit.name.as_str())]).await?;
        page.click(&format!("#unit-matches a[data-unit='{unit}']")).await?;
        page.wait_for_attribute("#unit-view", "data-unit-id", unit.as_str()).await?;
        both_languages(page, "certificate_overview").await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scope_of_thousands_filters_by_name_and_category_offline() -> anyhow::Result<()> {
    let mut city = City::start_configured(|config| {
        config.demo = Some(server::config::DemoConfig {
            size: "medium".into(),
            seed: server::config::DEFAULT_DEMO_SEED,
        });
    })
    .await;
    // Every person of the city, read from the server's database.
    let mut people = Vec::new();
    let mut city_unit = None;
    for id in city.units().await {
        let c = schema::certificate(&city.pool, &id).await;
        if city_unit.is_none() && c.unit.region == Region::Tianshui {
            city_unit = Some(id.clone());
        }
        people.extend(c.staff);
    }
    let units = schema::unit_count(&city.pool).await;
    anyhow::ensure!(
        people.len() >= 5_000,
        "the city has {} people",
        people.len()
    );
    let unit = city_unit.ok_or_else(|| anyhow::anyhow!("no city-level unit"))?;
    let scene = SignedInBrowser::start(
        &city.server,
        "roster-reviewer",
        "bureau_reviewer",
        CITY_REGION,
    )
    .await?;
    let page = &scene.page;
    // Thousands of people through the debug client: a few waits.
    let mut synced = wait_for_sync(page).await;
    for _ in 0..10 {
        if synced.is_ok() {
            break;
        }
        synced = wait_for_sync(page).await;
    }
    synced?;
    laptop(page).await?;
    city.server.stop().await?;
    page.check("certificate_big_roster", async {
        page.click("#nav-certificate").await?;
        open_section(page, "staff").await?;
        // The unit search leads to the same section of the unit found.
        fill(page, &[("#unit-filter", unit.as_str())]).await?;
        page.click(&format!("#unit-matches a[href='/certificate/{unit}/staff']")).await?;
        page.wait_for_attribute("#unit-view", "data-unit-id", unit.as_str()).await?;
        page.wait_until("document.querySelector('#section-staff #roster-scope')", "the scopes").await?;
        fill(page, &[("#roster-scope", "region")]).await?;
        page.wait_for_attribute("#roster-count", "data-total", &people.len().to_string())
            .await?;
        page.wait_for_attribute("#roster-count", "data-units", &units.to_string())
            .await?;
        wait_count(page, "#roster tbody tr", PAGE_ROWS).await?;

        // By name: what the roster searches (name, ID number, division), counted here.
        let needle = "王";
        let expected = people
            .iter()
            .filter(|p| {
                p.name.as_str().contains(needle)
                    || p.division.as_ref().is_some_and(|d| d.as_str().contains(needle))
            })
            .count();
        anyhow::ensure!(expected > 0, "nobody named {needle}");
        fill(page, &[("#roster-search", needle)]).await?;
        page.wait_for_attribute("#roster-count", "data-shown", &expected.to_string())
            .await?;
        let names = texts(page, "#roster .person-name").await?;
        anyhow::ensure!(names.len() == expected.min(PAGE_ROWS), "{names:?}");
        both_languages(page, "certificate_roster_by_name").await?;

        // By category, the name cleared.
        fill(page, &[("#roster-search", "")]).await?;
        let category = EstablishmentCategory::PublicInstitution;
        fill(page, &[("#roster-category", category.code())]).await?;
        let expected = people.iter().filter(|p| p.category == category).count();
        page.wait_for_attribute("#roster-count", "data-shown", &expected.to_string())
            .await?;
        // Both at once.
        fill(page, &[("#roster-search", needle)]).await?;
        let both = people
            .iter()
            .filter(|p| p.category == category)
            .filter(|p| {
                p.name.as_str().contains(needle)
                    || p.division.as_ref().is_some_and(|d| d.as_str().contains(needle))
            })
            .count();
        page.wait_for_attribute("#roster-count", "data-shown", &both.to_string())
            .await?;
        // Sorted by name, descending: the first page is the last names.
        page.click("#roster th button.sort[data-column='0']").await?;
        page.click("#roster th button.sort[data-column='0']").await?;
        page.wait_until("document.querySelector('#roster th button.sort[data-column=\"0\"]').textContent.includes('▼')", "sorted down").await?;
        let names = texts(page, "#roster .person-name").await?;
        anyhow::ensure!(names.windows(2).all(|w| w[0] >= w[1]), "not sorted: {names:?}");
        both_languages(page, "certificate_roster_by_category").await?;
        Ok(())
    })
    .await
}
