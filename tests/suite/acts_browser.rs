//! The bureau administrator's signed acts in headless Chromium (issue 14, 管理文书): an
//! establishment change raises the clerk's vacancy after the clerk's next pull; a reduction
//! that would over-fill is refused in the form (the field and the rule named, in Chinese and
//! English, nothing typed lost), one the browser's stale copy let through is refused by the
//! server with its reason, and one whose document allows over-establishment is accepted and
//! flagged. A merger carries the staff over and the absorbed unit leaves the clerk's store at
//! its next pull (and the administrator's pickers); abolishing a unit with staff is refused. A
//! county administrator's pickers offer only the county's units, another county's unit typed
//! in is refused, and the county admin sets leadership posts, moves a post (调编), renames a
//! unit and creates one (its 统一社会信用代码 checked); offline, the act is held back. An act
//! the server fails on (`try_later`) is not shown as a refusal: it is kept, signed, and sent
//! again.
//! Screenshots of every kind's form, the confirmations and the refusals in both languages at
//! 1366×768. (The server's own refusal of a county admin's act on another county's unit,
//! whatever the client sends: `admin_api`.)

use std::time::Duration;

use domain::{CreditCode, EstablishmentCategory, UnitId};
use tests::browser::TestPage;
use tests::clerk::{fill, wait_for_sync};
use tests::filing::set_vacancy;
use tests::review::laptop;
use tests::scenario::{CITY_REGION, City, ClerkInBrowser, SignedInBrowser};
use tests::schema;

/// Opens 管理文书 on the tab of `kind`.
async fn open_kind(page: &TestPage, kind: &str) -> anyhow::Result<()> {
    if page.text("#act-form").await?.is_none() {
        page.click("#nav-acts").await?;
        page.wait_until("document.querySelector('#act-form')", "the acts page shows")
            .await?;
    }
    page.click(&format!("#act-kinds [data-kind='{kind}']"))
        .await?;
    page.wait_for_attribute("#act-form", "data-kind", kind)
        .await?;
    Ok(())
}

/// Fills in the document the act rests on.
async fn document(page: &TestPage, n: u32, title: &str) -> anyhow::Result<()> {
    fill(
        page,
        &[
            ("#act-document", &format!("天编发〔2026〕{n}号")),
            ("#act-title", title),
        ],
    )
    .await
}

/// "Next", the confirmation (screenshot `shot`), the signature; waits for the verdict.
async fn sign(page: &TestPage, shot: Option<&str>) -> anyhow::Result<()> {
    page.click("#act-next").await?;
    page.wait_until(
        "document.querySelector('#act-confirm')",
        "the confirmation shows",
    )
    .await?;
    if let Some(shot) = shot {
        page.screenshot(shot).await?;
    }
    page.click("#act-sign").await?;
    page.wait_until(
        "document.querySelector('#act-done') || document.querySelector('#act-refusal')",
        "the server answers",
    )
    .await
}

/// The clerk's certificate figures of `category`: approved, filled, reserved, vacant.
fn ledger_expression(category: EstablishmentCategory) -> String {
    format!(
        "JSON.stringify([...document.querySelectorAll(\"#ledger tr[data-key='{}'] td.num\")]\
         .map(td => Number(td.textContent.trim())))",
        category.code()
    )
}

/// How many records `store` of `holder`'s database holds, read in the page.
async fn stored(page: &TestPage, holder: &str, store: &str) -> anyhow::Result<u64> {
    page.call(&format!(
        "async () => {{ const db = await new Promise((ok, fail) => {{ \
           const r = indexedDB.open('staffing.{holder}'); \
           r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); }}); \
         const n = await new Promise((ok, fail) => {{ \
           const r = db.transaction('{store}').objectStore('{store}').count(); \
           r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); }}); \
         db.close(); return n; }}"
    ))
    .await
}

/// Switches the interface language and waits for the page title in it.
async fn switch_language(page: &TestPage, title: &str) -> anyhow::Result<()> {
    page.click("#lang-switch").await?;
    page.wait_for_text("#acts h1", title).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_establishment_change_raises_the_clerks_vacancy_and_over_filling_is_refused()
-> anyhow::Result<()> {
    let scene = ClerkInBrowser::synced("clerk", 1).await?;
    let (unit, category) = (scene.unit.clone(), scene.category);
    let cat = category.code();
    let admin =
        SignedInBrowser::start(&scene.city.server, "admin", "bureau_admin", CITY_REGION).await?;
    let page = &admin.page;
    laptop(page).await?;
    wait_for_sync(page).await?;
    page.check("acts_establishment_change", async {
        open_kind(page, "establishment_change").await?;
        // Nothing filled in: each required field named.
        page.click("#act-next").await?;
        page.wait_for_text("#act-unit-error", "不能为空").await?;
        page.wait_for_text("#act-document-error", "不能为空")
            .await?;
        page.wait_for_text("#act-cat-error", "至少填写一项").await?;
        page.screenshot("acts_change_errors_zh").await?;
        // 核增 2 posts: the preview shows the vacancy 1 → 3.
        fill(
            page,
            &[
                ("#act-unit", unit.as_str()),
                (&format!("#act-cat-{cat}"), "2"),
            ],
        )
        .await?;
        document(page, 41, "关于核增编制的批复").await?;
        page.wait_for_text(
            &format!("#act-previews tr[data-key='{cat}'] td.vacant"),
            "1 → 3",
        )
        .await?;
        sign(page, Some("acts_change_confirm_zh")).await?;
        page.wait_for_attribute("#act-done", "data-flags", "")
            .await?;
        page.screenshot("acts_change_done_zh").await?;
        Ok(())
    })
    .await?;

    // The clerk's next pull: 3 vacant.
    let clerk = &scene.page;
    clerk
        .check("acts_clerk_vacancy_up", async {
            clerk.reload().await?;
            wait_for_sync(clerk).await?;
            clerk.click("#nav-certificate").await?;
            clerk
                .wait_until(
                    &format!("JSON.parse({})[3] === 3", ledger_expression(category)),
                    "the clerk's vacancy is 3",
                )
                .await
        })
        .await?;

    page.check("acts_over_filling_refused", async {
        // 核减 4 of 3 vacant: refused in the form, the rule named, what was typed kept.
        page.click("#act-again").await?;
        page.wait_until("document.querySelector('#act-form')", "a new form")
            .await?;
        fill(
            page,
            &[
                ("#act-unit", unit.as_str()),
                (&format!("#act-cat-{cat}"), "-4"),
            ],
        )
        .await?;
        document(page, 42, "关于核减编制的批复").await?;
        page.click("#act-next").await?;
        let error = page.wait_for_text("#act-cat-error", "超出核定数").await?;
        assert!(error.contains("编制增减"), "{error}");
        let kept: String = page
            .eval(&format!("document.querySelector('#act-cat-{cat}').value"))
            .await?;
        assert_eq!(kept, "-4");
        assert!(page.text("#act-confirm").await?.is_none());
        page.screenshot("acts_over_refused_zh").await?;
        switch_language(page, "Bureau acts").await?;
        page.wait_for_text("#act-cat-error", "changes").await?;
        page.screenshot("acts_over_refused_en").await?;
        // Every kind's form in English.
        for kind in [
            "establishment_transfer",
            "unit_create",
            "unit_amend",
            "unit_merge",
            "unit_abolish",
            "leadership_posts",
        ] {
            open_kind(page, kind).await?;
            page.screenshot(&format!("acts_form_{kind}_en")).await?;
        }
        switch_language(page, "管理文书").await?;
        for kind in [
            "establishment_transfer",
            "unit_create",
            "unit_amend",
            "unit_merge",
            "unit_abolish",
            "leadership_posts",
        ] {
            open_kind(page, kind).await?;
            page.screenshot(&format!("acts_form_{kind}_zh")).await?;
        }
        open_kind(page, "establishment_change").await?;
        // The values of the form are kept across the tabs.
        let kept: String = page
            .eval("document.querySelector('#act-unit').value")
            .await?;
        assert_eq!(kept, unit.as_str());
        Ok(())
    })
    .await?;

    // The server's copy changed behind the browser's (0 vacant now): a reduction of 2 passes
    // the form and is refused by the server, its reason shown, the form kept.
    set_vacancy(&scene.city.pool, &unit, category, 0).await;
    page.check("acts_refused_by_the_server", async {
        fill(page, &[(&format!("#act-cat-{cat}"), "-2")]).await?;
        sign(page, None).await?;
        page.wait_for_attribute("#act-refusal", "data-code", "over_establishment")
            .await?;
        let reason = page.text("#act-refusal").await?.unwrap_or_default();
        assert!(
            reason.contains("未予受理") && reason.contains("超出核定数"),
            "{reason}"
        );
        let kept: String = page
            .eval("document.querySelector('#act-document').value")
            .await?;
        assert_eq!(kept, "天编发〔2026〕42号");
        page.screenshot("acts_server_refusal_zh").await?;
        switch_language(page, "Bureau acts").await?;
        page.wait_for_text("#act-refusal", "Refused").await?;
        page.screenshot("acts_server_refusal_en").await?;
        switch_language(page, "管理文书").await?;
        // The document records over-establishment: accepted, flagged.
        page.click("#act-over").await?;
        document(page, 43, "关于核减编制的批复（同意超编）").await?;
        sign(page, Some("acts_over_confirm_zh")).await?;
        page.wait_for_attribute("#act-done", "data-flags", "over_establishment")
            .await?;
        page.wait_until("document.querySelector('#act-flagged')", "flagged")
            .await?;
        Ok(())
    })
    .await?;
    let after = schema::certificate(&scene.city.pool, &unit)
        .await
        .ledger
        .figures(category);
    assert!(after.is_over(), "{after:?}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merger_carries_the_staff_over_and_the_absorbed_unit_leaves_the_clerks_store()
-> anyhow::Result<()> {
    let city = City::start().await;
    let mut staffed = Vec::new();
    for id in schema::units_in_region(&city.pool, "620502").await {
        let unit = UnitId::parse(&id)?;
        let certificate = schema::certificate(&city.pool, &unit).await;
        let reserved: u32 = certificate
            .ledger
            .all_figures()
            .iter()
            .map(|(_, f)| f.reserved.get())
            .sum();
        if !certificate.staff.is_empty() && reserved == 0 {
            staffed.push((unit, certificate.staff.len()));
        }
    }
    anyhow::ensure!(staffed.len() >= 2, "two staffed units in 秦州区");
    let (absorbed, absorbed_staff) = staffed[0].clone();
    let (into, into_staff) = staffed[1].clone();

    let clerk = SignedInBrowser::start(
        &city.server,
        "zhou",
        "unit_clerk",
        &format!("unit:{absorbed}"),
    )
    .await?;
    let clerk_id = clerk.holder.holder.id.clone();
    wait_for_sync(&clerk.page).await?;
    assert_eq!(stored(&clerk.page, &clerk_id, "units").await?, 1);

    let admin = SignedInBrowser::start(&city.server, "admin", "bureau_admin", CITY_REGION).await?;
    let page = &admin.page;
    laptop(page).await?;
    wait_for_sync(page).await?;
    page.check("acts_merge", async {
        // Abolishing a unit with staff is refused in the form.
        open_kind(page, "unit_abolish").await?;
        fill(page, &[("#act-unit", into.as_str())]).await?;
        document(page, 50, "关于撤销的批复").await?;
        page.click("#act-next").await?;
        page.wait_for_text("#act-unit-error", "不能撤销").await?;
        page.screenshot("acts_abolish_refused_zh").await?;

        open_kind(page, "unit_merge").await?;
        fill(
            page,
            &[
                ("#act-absorbed", absorbed.as_str()),
                ("#act-into", into.as_str()),
            ],
        )
        .await?;
        document(page, 51, "关于单位合并的批复").await?;
        page.wait_until(
            &format!("document.querySelector(\"#act-previews table[data-unit='{into}']\")"),
            "the merged unit's figures",
        )
        .await?;
        page.screenshot("acts_merge_form_zh").await?;
        sign(page, Some("acts_merge_confirm_zh")).await?;
        page.wait_until("document.querySelector('#act-done')", "accepted")
            .await?;
        // The administrator's own pickers no longer offer the absorbed unit after the sync.
        page.wait_until(
            &format!("!document.querySelector(\"#act-units option[value='{absorbed}']\")"),
            "the absorbed unit leaves the pickers",
        )
        .await?;
        Ok(())
    })
    .await?;
    let merged = schema::certificate(&city.pool, &into).await;
    assert_eq!(merged.staff.len(), absorbed_staff + into_staff);

    // The clerk's next pull removes the unit from the store.
    clerk.page.reload().await?;
    let mut left = u64::MAX;
    for _ in 0..60 {
        left = stored(&clerk.page, &clerk_id, "units").await?;
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(left, 0, "the merged unit is gone from the clerk's store");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_county_administrator_acts_only_on_the_countys_units() -> anyhow::Result<()> {
    let mut city = City::start().await;
    let county: Vec<String> = schema::units_in_region(&city.pool, "620502")
        .await
        .into_iter()
        .collect();
    let city_unit = city
        .units()
        .await
        .into_iter()
        .find(|u| u.as_str().starts_with("620500-"))
        .expect("a unit of the city itself");
    let admin =
        SignedInBrowser::start(&city.server, "county", "bureau_admin", "region:620502").await?;
    let page = &admin.page;
    laptop(page).await?;
    wait_for_sync(page).await?;
    page.check("acts_county", async {
        open_kind(page, "leadership_posts").await?;
        page.wait_until(
            "document.querySelectorAll('#act-units option').length > 0",
            "the pickers are filled",
        )
        .await?;
        let offered: Vec<String> = page
            .eval("[...document.querySelectorAll('#act-units option')].map(o => o.value)")
            .await?;
        assert_eq!(offered, county, "only the county's units are offered");

        // Another county's unit typed in: refused in the form.
        fill(page, &[("#act-unit", city_unit.as_str())]).await?;
        page.click("#act-next").await?;
        page.wait_for_text("#act-unit-error", "不是您管理范围内的单位")
            .await?;
        page.screenshot("acts_county_out_of_scope_zh").await?;

        // Leadership posts of a county unit.
        let unit = &county[0];
        fill(
            page,
            &[
                ("#act-unit", unit.as_str()),
                ("#act-lead-unit_principal", "1"),
                ("#act-lead-unit_deputy", "3"),
            ],
        )
        .await?;
        document(page, 60, "关于核定领导职数的通知").await?;
        sign(page, Some("acts_leadership_confirm_zh")).await?;
        page.wait_until("document.querySelector('#act-done')", "accepted")
            .await?;

        // 调编: one administrative post from the first county unit to the second.
        page.click("#act-again").await?;
        open_kind(page, "establishment_transfer").await?;
        fill(
            page,
            &[
                ("#act-from", county[0].as_str()),
                ("#act-to", county[1].as_str()),
                ("#act-cat-administrative", "1"),
            ],
        )
        .await?;
        document(page, 63, "关于调整编制的通知").await?;
        sign(page, Some("acts_transfer_confirm_zh")).await?;
        page.wait_until("document.querySelector('#act-done')", "accepted")
            .await?;

        // A rename: the form starts from the unit's record.
        page.click("#act-again").await?;
        open_kind(page, "unit_amend").await?;
        fill(page, &[("#act-unit", county[1].as_str())]).await?;
        page.wait_until(
            "document.querySelector('#act-name').value.length > 0",
            "the record is filled in",
        )
        .await?;
        fill(page, &[("#act-name", "秦州区人民政府办公室（更名）")]).await?;
        document(page, 64, "关于单位更名的批复").await?;
        sign(page, Some("acts_amend_confirm_zh")).await?;
        page.wait_until("document.querySelector('#act-done')", "accepted")
            .await?;

        // A new unit: a credit code with a wrong check character is named, then the right one.
        page.click("#act-again").await?;
        open_kind(page, "unit_create").await?;
        let code = CreditCode::compose("12620502MB1234567").expect("a credit code");
        let wrong = format!(
            "{}{}",
            &code.as_str()[..17],
            if code.as_str().ends_with('0') {
                '1'
            } else {
                '0'
            }
        );
        fill(
            page,
            &[
                ("#act-region", "620502"),
                ("#act-name", "天水市秦州区数据核实中心"),
                ("#act-credit-code", &wrong),
                ("#act-kind", "public_institution"),
                ("#act-level", "section_full"),
                ("#act-institution-category", "public_welfare_one"),
            ],
        )
        .await?;
        document(page, 61, "关于设立数据核实中心的批复").await?;
        page.click("#act-next").await?;
        page.wait_for_text("#act-credit-code-error", "校验").await?;
        page.screenshot("acts_create_bad_credit_code_zh").await?;
        fill(page, &[("#act-credit-code", code.as_str())]).await?;
        sign(page, Some("acts_create_confirm_zh")).await?;
        page.wait_until("document.querySelector('#act-done')", "accepted")
            .await?;
        Ok(())
    })
    .await?;
    let created = schema::units_in_region(&city.pool, "620502").await;
    assert_eq!(created.len(), county.len() + 1, "the unit was created");
    let renamed = schema::certificate(&city.pool, &UnitId::parse(&county[1])?).await;
    assert_eq!(renamed.unit.name.as_str(), "秦州区人民政府办公室（更名）");

    // Offline: the page says an act needs the network, keeps the form, and does not sign.
    city.server.stop().await?;
    page.check("acts_offline", async {
        page.click("#act-again").await?;
        open_kind(page, "establishment_change").await?;
        fill(
            page,
            &[
                ("#act-unit", county[1].as_str()),
                ("#act-cat-administrative", "1"),
            ],
        )
        .await?;
        document(page, 62, "关于核增编制的批复").await?;
        page.wait_until("document.querySelector('#acts-offline')", "offline is said")
            .await?;
        page.screenshot("acts_offline_form_zh").await?;
        page.click("#act-next").await?;
        page.wait_until(
            "document.querySelector('#act-confirm')",
            "the confirmation shows",
        )
        .await?;
        let disabled: bool = page
            .eval("document.querySelector('#act-sign').disabled")
            .await?;
        assert!(disabled, "no signature offline");
        page.wait_until("document.querySelector('#acts-offline')", "offline is said")
            .await?;
        page.screenshot("acts_offline_zh").await?;
        switch_language(page, "Bureau acts").await?;
        page.wait_for_text("#acts-offline", "need the network")
            .await?;
        page.screenshot("acts_offline_en").await?;
        switch_language(page, "管理文书").await?;
        page.click("#act-back").await?;
        page.wait_until("document.querySelector('#act-form')", "back to the form")
            .await?;
        let kept: String = page
            .eval("document.querySelector('#act-unit').value")
            .await?;
        assert_eq!(kept, county[1]);
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_act_the_server_cannot_process_now_is_kept_and_sent_again() -> anyhow::Result<()> {
    let city = City::start().await;
    let county: Vec<String> = schema::units_in_region(&city.pool, "620502")
        .await
        .into_iter()
        .collect();
    let unit = UnitId::parse(&county[0])?;
    let admin = SignedInBrowser::start(&city.server, "admin", "bureau_admin", CITY_REGION).await?;
    let page = &admin.page;
    laptop(page).await?;
    wait_for_sync(page).await?;
    let record = schema::unit_record(&city.pool, &unit).await;
    page.check("acts_try_later", async {
        open_kind(page, "establishment_change").await?;
        fill(
            page,
            &[
                ("#act-unit", unit.as_str()),
                ("#act-cat-administrative", "1"),
            ],
        )
        .await?;
        document(page, 71, "关于核增编制的批复").await?;
        page.click("#act-next").await?;
        page.wait_until(
            "document.querySelector('#act-confirm')",
            "the confirmation shows",
        )
        .await?;
        // The server fails on this unit's stored record: it keeps nothing and says try later.
        schema::damage_unit_record(&city.pool, &unit).await;
        page.click("#act-sign").await?;
        page.wait_for_text("#acts-problem", "服务器暂时未能处理")
            .await?;
        anyhow::ensure!(
            page.text("#act-refusal").await?.is_none(),
            "a try-later is not shown as a refusal"
        );
        page.wait_for_text("#act-sign", "重新提交").await?;
        page.screenshot("acts_try_later_zh").await?;
        // Repaired: the same signed act, sent again, is accepted.
        schema::restore_unit_record(&city.pool, &unit, &record).await;
        page.click("#act-sign").await?;
        page.wait_until("document.querySelector('#act-done')", "accepted")
            .await?;
        Ok(())
    })
    .await?;
    Ok(())
}
