//! The clerk's pages end to end, in headless Chromium with a virtual security key against the
//! real server and database: a quota-use request approved (the deciders with software keys),
//! its slip printed, an onboarding filed against that slip, an offboarding and a record change
//! with old → new shown; a draft that survives a reload; a bad ID number named beside its
//! field with everything typed kept. Screenshots of each screen in Chinese and English.

use domain::{Action, IdNumber};
use tests::browser::TestPage;
use tests::clerk::{
    confirm_and_sign, fill, item, newcomer_fields, newcomer_id, open_kind, person_option,
    sign_request, today, wait_for_sync,
};
use tests::scenario::{ClerkInBrowser, Deciders};

/// `id` with a wrong check character (the 18th).
fn wrong_check_character(id: &IdNumber) -> String {
    let mut bad = id.as_str().to_owned();
    let wrong = if bad.ends_with('1') { "2" } else { "1" };
    bad.replace_range(17.., wrong);
    bad
}

/// Both languages of the current screen: `<name>_zh.png` and `<name>_en.png`.
async fn both_languages(page: &TestPage, name: &str) -> anyhow::Result<()> {
    page.screenshot(&format!("{name}_zh")).await?;
    page.click("#lang-switch").await?;
    page.wait_for_text("#lang-switch", "中文").await?;
    page.screenshot(&format!("{name}_en")).await?;
    page.click("#lang-switch").await?;
    page.wait_for_text("#lang-switch", "English").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_files_an_onboarding_against_a_slip_an_offboarding_and_a_record_change()
-> anyhow::Result<()> {
    let scene = ClerkInBrowser::synced("clerk-cycle", 2).await?;
    let page = &scene.page;
    let Deciders {
        mut supervisor,
        mut reviewer,
    } = scene.city.deciders(&scene.department).await;

    // A quota-use request, endorsed and approved: the slip reaches the clerk.
    let quota = sign_request(page, scene.category, "教师退休，申请补充一名").await?;
    page.wait_for_attribute(&item(&quota), "data-status", "accepted")
        .await?;
    supervisor
        .decide("d-endorse", &quota, Action::Endorse, "")
        .await;
    let verdict = reviewer
        .decide("d-approve", &quota, Action::Approve, "同意")
        .await;
    let slip = verdict.slip_number.expect("the approval issued a slip");
    page.check("clerk_slip_arrives", async {
        page.reload().await?;
        page.wait_for_attribute(&item(&quota), "data-review", "approved")
            .await?;
        page.wait_for_text(&format!("{} .outbox-status", item(&quota)), "已核准")
            .await?;
        page.wait_for_text(&format!("{} .outbox-slip", item(&quota)), &slip)
            .await?;
        // Kind, category and count, not the reason alone.
        let summary = page
            .text(&format!("{} .outbox-summary", item(&quota)))
            .await?
            .unwrap_or_default();
        anyhow::ensure!(summary.contains(" 1 "), "no count in {summary:?}");
        both_languages(page, "clerk_applications").await?;
        // The certificate, where a clerk lands: the slip is listed, open.
        page.click("#nav-certificate").await?;
        page.wait_for_text("#slips", &slip).await?;
        both_languages(page, "clerk_certificate").await
    })
    .await?;

    page.check("clerk_print_slip", async {
        page.click(&format!("{} .outbox-print", item(&quota)))
            .await?;
        page.wait_for_text("#print-number", &slip).await?;
        page.wait_for_text(".print-sheet h1", "机关事业单位编制使用单")
            .await?;
        page.wait_for_text("#print-by", "打印人").await?;
        let unit = page.text("#print-unit").await?.unwrap_or_default();
        anyhow::ensure!(
            !unit.contains(scene.unit.as_str()),
            "the unit by its id: {unit}"
        );
        page.screenshot("clerk_print_slip").await?;
        Ok(())
    })
    .await?;

    // 入编登记 against the slip: a bad ID number first, named beside its field.
    let newcomer = newcomer_id();
    let mut onboarding = String::new();
    page.check("clerk_onboarding", async {
        page.click("#nav-apply").await?;
        open_kind(page, "onboarding").await?;
        page.wait_until(
            &format!(
                "[...document.querySelectorAll('#apply-slip option')].some(o => o.value === {})",
                serde_json::to_string(&slip)?
            ),
            "the slip is offered",
        )
        .await?;
        fill(page, &[("#apply-slip", slip.as_str())]).await?;
        fill(page, &newcomer_fields()).await?;
        let bad = wrong_check_character(&newcomer);
        fill(page, &[("#apply-id-number", bad.as_str())]).await?;
        page.wait_for_text("#apply-id-number-error", "校验").await?;
        both_languages(page, "clerk_onboarding_bad_id").await?;
        fill(page, &[("#apply-id-number", newcomer.as_str())]).await?;
        page.wait_until(
            "!document.querySelector('#apply-id-number-error')",
            "the error goes once the number is right",
        )
        .await?;
        // 出生日期 and 性别 come from the number.
        page.wait_until(
            "document.querySelector('#apply-birth-date')?.value === '1996-03-15'",
            "the birth date is filled in from the ID number",
        )
        .await?;
        page.click("#apply-next").await?;
        page.wait_for_text("#confirm [data-field=slip] dd", &slip)
            .await?;
        page.wait_for_text("#confirm [data-field=id-number] dd", newcomer.as_str())
            .await?;
        page.click("#confirm-back").await?;
        onboarding = confirm_and_sign(page, "clerk_onboarding_confirm").await?;
        Ok(())
    })
    .await?;

    // The bureau approves it: the person is on the roster, the notice prints.
    let verdict = reviewer
        .decide("d-onboard", &onboarding, Action::Approve, "同意入编")
        .await;
    let notice = verdict.notice_number.expect("the approval issued a notice");
    page.check("clerk_onboarding_approved", async {
        page.reload().await?;
        page.wait_for_attribute(&item(&onboarding), "data-review", "approved")
            .await?;
        page.wait_for_text(&format!("{} .outbox-notice", item(&onboarding)), &notice)
            .await?;
        page.click("#nav-certificate").await?;
        page.wait_for_text("#roster", "赵新来").await?;
        page.wait_for_text("#slips", "1 / 1").await?;
        page.click(&format!("{} .outbox-print", item(&onboarding)))
            .await?;
        page.wait_for_text(".print-sheet h1", "机关事业单位入编通知单")
            .await?;
        page.wait_for_text("#print-number", &notice).await?;
        page.wait_for_text(".print-sheet", "赵新来").await?;
        // The printed notice shows the 身份证号 masked (region and last four).
        page.wait_for_text(".print-sheet", &newcomer.masked())
            .await?;
        let sheet = page.text(".print-sheet").await?.unwrap_or_default();
        anyhow::ensure!(
            !sheet.contains(newcomer.as_str()),
            "the whole ID number is printed"
        );
        let decider = page.text("#print-decider").await?.unwrap_or_default();
        anyhow::ensure!(!decider.trim().is_empty(), "no approving reviewer printed");
        page.screenshot("clerk_print_onboarding_notice").await?;
        page.click("#nav-apply").await?;
        Ok(())
    })
    .await?;

    // 出编登记 of someone on the roster: the month-end deadline and the days left.
    page.check("clerk_offboarding", async {
        open_kind(page, "offboarding").await?;
        // The roster is read from the store after the page opens.
        page.wait_until(
            "document.querySelectorAll('#apply-person option').length > 1",
            "the roster in the person list",
        )
        .await?;
        let person: String = page
            .eval("document.querySelectorAll('#apply-person option')[1]?.value ?? ''")
            .await?;
        anyhow::ensure!(!person.is_empty(), "nobody on the roster");
        let today = today().to_string();
        fill(
            page,
            &[
                ("#apply-person", person.as_str()),
                ("#apply-departure-reason", "retirement"),
                ("#apply-left-on", today.as_str()),
                ("#apply-departure-document", "天人社发〔2026〕88号"),
            ],
        )
        .await?;
        page.wait_for_text("#apply-deadline", "剩余").await?;
        both_languages(page, "clerk_offboarding").await?;
        confirm_and_sign(page, "clerk_offboarding_confirm").await?;
        Ok(())
    })
    .await?;

    // 实名制信息变更: nothing changed is nothing to sign; each change shows old → new.
    page.check("clerk_record_change", async {
        open_kind(page, "record_change").await?;
        let person = person_option(page, "").await?;
        fill(page, &[("#apply-person", person.as_str())]).await?;
        page.wait_until(
            "document.querySelector('#apply-name')?.value?.length > 0",
            "the record fills the form",
        )
        .await?;
        page.wait_for_text("#apply-changes-error", "变更事项")
            .await?;
        let today = today().to_string();
        fill(
            page,
            &[
                ("#apply-changed-on", today.as_str()),
                ("#apply-rank", "二级主任科员"),
                ("#apply-native-place", "甘肃秦安"),
            ],
        )
        .await?;
        page.wait_for_text(".field-change[data-field=rank]", "→ 二级主任科员")
            .await?;
        page.wait_for_text(".field-change[data-field=native-place]", "甘肃秦安")
            .await?;
        page.wait_until(
            "!document.querySelector('#apply-changes-error')",
            "something changed",
        )
        .await?;
        page.wait_for_text("#apply-deadline", "剩余").await?;
        both_languages(page, "clerk_record_change").await?;
        page.click("#apply-next").await?;
        page.wait_for_text("#confirm [data-field=change] dd", "→")
            .await?;
        page.wait_for_text("#confirm", "二级主任科员").await?;
        page.click("#confirm-back").await?;
        confirm_and_sign(page, "clerk_record_change_confirm").await?;
        Ok(())
    })
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_survives_a_reload_and_a_bad_id_number_keeps_what_was_typed() -> anyhow::Result<()>
{
    let scene = ClerkInBrowser::synced("clerk-draft", 1).await?;
    let page = &scene.page;
    let bad = wrong_check_character(&newcomer_id());
    let bad = bad.as_str();
    page.check("clerk_draft", async {
        open_kind(page, "onboarding").await?;
        page.wait_for_text("#apply-no-slip", "编制使用单").await?;
        fill(page, &newcomer_fields()).await?;
        fill(page, &[("#apply-id-number", bad)]).await?;
        page.wait_for_text("#apply-id-number-error", "身份证号")
            .await?;
        page.click("#apply-next").await?;
        page.wait_for_text("#apply-slip-error", "请选择编制使用单")
            .await?;
        page.wait_for_text("#apply-form-errors", "保留").await?;
        anyhow::ensure!(
            page.text("#confirm").await?.is_none(),
            "went on with errors"
        );
        page.wait_until(
            "document.querySelector('#draft-saved')",
            "the draft is saved",
        )
        .await?;
        page.reload().await?;
        page.wait_for_text("#drafts .draft", "赵新来").await?;
        page.wait_for_text("#drafts .draft-kind", "入编登记")
            .await?;
        page.screenshot("clerk_draft_after_reload").await?;
        page.click("#drafts .draft-resume").await?;
        page.wait_for_attribute("#apply-form", "data-kind", "onboarding")
            .await?;
        page.wait_until(
            &format!(
                "document.querySelector('#apply-id-number')?.value === '{bad}' && \
                 document.querySelector('#apply-name')?.value === '赵新来' && \
                 document.querySelector('#apply-education')?.value === 'postgraduate'"
            ),
            "the draft holds what was typed",
        )
        .await?;
        page.wait_for_text("#apply-id-number-error", "身份证号")
            .await?;
        // Nothing was signed: a draft is not an application.
        anyhow::ensure!(
            page.text(".outbox-item").await?.is_none(),
            "a draft was listed"
        );
        page.click("#drafts .draft-discard").await?;
        page.wait_until("!document.querySelector('#drafts')", "the draft is gone")
            .await?;
        page.reload().await?;
        wait_for_sync(page).await?;
        page.wait_until(
            "document.querySelector('#apply-kinds') && !document.querySelector('#drafts')",
            "the discarded draft stays gone",
        )
        .await?;
        Ok(())
    })
    .await
}
