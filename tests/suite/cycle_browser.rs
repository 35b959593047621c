//! The whole cycle in the browser with three virtual security keys (the clerk, the supervising
//! department, the bureau reviewer; each in a browser of their own) against the real server
//! and database, every decision taken in the review queue: a quota use filed while the server
//! is down, sent when it is back, endorsed and approved, its slip printed; an onboarding
//! against the slip (on the roster; filled +1, reserved −1 on the certificate; the notice
//! printed); an offboarding of that person (off the roster, vacant +1, the notice printed); a
//! record change of a person and one of the unit's own record (the new value in the record,
//! the old one in the history); a second quota
//! use returned with a comment, revised, signed again and approved. Apart: a slip that lapses
//! when the server's clock passes its validity (shown 已失效, its post released, no longer
//! offered to an onboarding), and an onboarding with a 身份证号 in a post in another unit,
//! accepted by the clerk's form and refused at the bureau reviewer's approval. Screenshots on
//! the way.

use domain::{Action, EstablishmentCategory, IdNumber};
use tests::browser::TestPage;
use tests::clerk::{
    confirm_and_sign, fill, item, newcomer_fields, newcomer_id, open_kind, person_option,
    sign_request, today, wait_for_sync,
};
use tests::review::{
    decide_up_to_confirmation, my_decision, reviewer_in_browser, row, sign_decision,
};
use tests::scenario::{CITY_REGION, ClerkInBrowser, Deciders};
use tests::schema;

/// The certificate's figures of `category`: approved, filled, reserved, vacant.
type Figures = [i64; 4];

fn ledger_expression(category: EstablishmentCategory) -> String {
    format!(
        "JSON.stringify([...document.querySelectorAll(\"#ledger tr[data-key='{}'] td.num\")]\
         .map(td => Number(td.textContent.trim())))",
        category.code()
    )
}

/// Opens the certificate (after a reload: a fresh pull) and reads `category`'s figures.
async fn ledger(page: &TestPage, category: EstablishmentCategory) -> anyhow::Result<Figures> {
    open_certificate(page).await?;
    let read = ledger_expression(category);
    page.wait_until(&format!("{read} !== '[]'"), "the ledger is shown")
        .await?;
    let json: String = page.eval(&read).await?;
    let figures: Vec<i64> = serde_json::from_str(&json)?;
    figures
        .try_into()
        .map_err(|f| anyhow::anyhow!("not four figures: {f:?}"))
}

/// Waits until the certificate shows `expected` for `category`.
async fn wait_for_ledger(
    page: &TestPage,
    category: EstablishmentCategory,
    expected: Figures,
) -> anyhow::Result<()> {
    open_certificate(page).await?;
    page.wait_until(
        &format!(
            "{} === {:?}",
            ledger_expression(category),
            serde_json::to_string(&expected)?
        ),
        &format!("the ledger shows {expected:?}"),
    )
    .await
}

async fn open_certificate(page: &TestPage) -> anyhow::Result<()> {
    page.click("#nav-certificate").await?;
    page.wait_until(
        "location.pathname === '/certificate' && document.querySelector('#ledger')",
        "the certificate is shown",
    )
    .await
}

/// Reloads (a fresh pull) and waits until the application `id` has the review status
/// `review`.
async fn reload_until_review(page: &TestPage, id: &str, review: &str) -> anyhow::Result<()> {
    page.reload().await?;
    wait_for_sync(page).await?;
    page.wait_for_attribute(&item(id), "data-review", review)
        .await
}

/// Reloads the queue (a fresh pull), then takes `action` on `id` and signs it; waits until
/// the server accepted the decision.
async fn decide(page: &TestPage, id: &str, action: Action, note: &str) -> anyhow::Result<()> {
    page.reload().await?;
    wait_for_sync(page).await?;
    page.wait_for_attribute(&row(id), "data-mine", "true")
        .await?;
    decide_up_to_confirmation(page, id, action, note).await?;
    sign_decision(page, id).await?;
    page.wait_for_attribute(&my_decision(id), "data-status", "accepted")
        .await
}

/// Opens the print view of the application `id` and checks its title and number.
async fn print(page: &TestPage, id: &str, title: &str, number: &str) -> anyhow::Result<()> {
    page.click(&format!("{} .outbox-print", item(id))).await?;
    page.wait_for_text(".print-sheet h1", title).await?;
    page.wait_for_text("#print-number", number).await?;
    page.wait_for_text("#print-by", "打印人").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_cycle_with_three_security_keys_in_the_browser() -> anyhow::Result<()> {
    let mut clerk = ClerkInBrowser::synced("cy-clerk", 2).await?;
    let (unit, category) = (clerk.unit.clone(), clerk.category);
    let page = &clerk.page;

    // 1. The quota use, signed while the server is down: 待同步, then sent when it is back.
    page.wait_for_attribute("#connectivity", "data-connectivity", "online")
        .await?;
    clerk.city.server.stop().await?;
    let page = &clerk.page;
    let quota = sign_request(page, category, "新设科室，申请使用空编一名").await?;
    page.check("cycle_filed_offline", async {
        page.wait_for_attribute(&item(&quota), "data-status", "pending")
            .await?;
        page.wait_for_text(&format!("{} .outbox-status", item(&quota)), "待同步")
            .await?;
        page.screenshot("cycle_clerk_offline_pending").await?;
        Ok(())
    })
    .await?;
    clerk.city.server.start_again().await?;
    let city = &clerk.city;
    let page = &clerk.page;
    page.check("cycle_sent_later", async {
        page.wait_for_attribute(&item(&quota), "data-status", "accepted")
            .await?;
        page.wait_for_attribute(&item(&quota), "data-review", "submitted")
            .await
    })
    .await?;

    // 2. The supervising department endorses, in its own browser.
    let department = format!("department:{}", clerk.department);
    let supervisor = reviewer_in_browser(city, "cy-supervisor", "supervisor", &department).await?;
    let sup = &supervisor.page;
    sup.check("cycle_supervisor_endorses", async {
        sup.wait_for_attribute(&row(&quota), "data-status", "submitted")
            .await?;
        sup.screenshot("cycle_supervisor_queue").await?;
        decide(sup, &quota, Action::Endorse, "同意，报编办核准").await
    })
    .await?;
    assert_eq!(
        schema::application_status(&city.pool, &quota).await,
        "endorsed"
    );

    // 3. The bureau approves, in a third browser: a numbered slip.
    let bureau = reviewer_in_browser(city, "cy-reviewer", "bureau_reviewer", CITY_REGION).await?;
    let rev = &bureau.page;
    let mut slip = String::new();
    rev.check("cycle_reviewer_approves", async {
        rev.wait_for_attribute(&row(&quota), "data-status", "endorsed")
            .await?;
        decide_up_to_confirmation(rev, &quota, Action::Approve, "同意").await?;
        rev.screenshot("cycle_reviewer_confirm").await?;
        sign_decision(rev, &quota).await?;
        rev.wait_for_attribute(&my_decision(&quota), "data-status", "accepted")
            .await?;
        slip = rev
            .attribute(&my_decision(&quota), "data-number")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(!slip.is_empty(), "the approval's slip number is shown");
        Ok(())
    })
    .await?;

    // 4. The clerk sees the slip and prints it.
    let mut before = [0; 4];
    page.check("cycle_clerk_slip", async {
        reload_until_review(page, &quota, "approved").await?;
        page.wait_for_text(&format!("{} .outbox-slip", item(&quota)), &slip)
            .await?;
        before = ledger(page, category).await?;
        page.wait_for_text("#slips", &slip).await?;
        page.screenshot("cycle_clerk_certificate_slip").await?;
        print(page, &quota, "机关事业单位编制使用单", &slip).await?;
        page.screenshot("cycle_print_slip").await?;
        Ok(())
    })
    .await?;
    anyhow::ensure!(before[2] >= 1, "the slip reserves a post: {before:?}");

    // 5. An onboarding against the slip, approved: on the roster, filled +1, reserved −1.
    let newcomer = newcomer_id();
    let mut onboarding = String::new();
    page.check("cycle_onboarding", async {
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
        fill(page, &[("#apply-id-number", newcomer.as_str())]).await?;
        onboarding = confirm_and_sign(page, "cycle_onboarding_confirm").await?;
        Ok(())
    })
    .await?;
    rev.check("cycle_reviewer_approves_onboarding", async {
        decide(rev, &onboarding, Action::Approve, "同意入编").await
    })
    .await?;
    page.check("cycle_onboarded", async {
        reload_until_review(page, &onboarding, "approved").await?;
        let notice = page
            .wait_for_text(&format!("{} .outbox-notice", item(&onboarding)), "")
            .await?;
        anyhow::ensure!(!notice.trim().is_empty(), "no notice number");
        wait_for_ledger(
            page,
            category,
            [before[0], before[1] + 1, before[2] - 1, before[3]],
        )
        .await?;
        page.wait_for_text("#roster", "赵新来").await?;
        page.screenshot("cycle_clerk_certificate_onboarded").await?;
        print(page, &onboarding, "机关事业单位入编通知单", notice.trim()).await?;
        page.wait_for_text(".print-sheet", "赵新来").await?;
        page.screenshot("cycle_print_onboarding_notice").await?;
        Ok(())
    })
    .await?;

    // 6. The newcomer leaves again: off the roster, vacant +1, the notice printed.
    let mut offboarding = String::new();
    page.check("cycle_offboarding", async {
        page.click("#nav-apply").await?;
        open_kind(page, "offboarding").await?;
        let person = person_option(page, "赵新来").await?;
        anyhow::ensure!(person == newcomer.as_str(), "picked {person}");
        let today = today().to_string();
        fill(
            page,
            &[
                ("#apply-person", person.as_str()),
                ("#apply-departure-reason", "transfer_out"),
                ("#apply-left-on", today.as_str()),
                ("#apply-departure-document", "天人社发〔2026〕99号"),
            ],
        )
        .await?;
        page.wait_for_text("#apply-deadline", "剩余").await?;
        offboarding = confirm_and_sign(page, "cycle_offboarding_confirm").await?;
        Ok(())
    })
    .await?;
    rev.check("cycle_reviewer_approves_offboarding", async {
        decide(rev, &offboarding, Action::Approve, "").await
    })
    .await?;
    page.check("cycle_offboarded", async {
        reload_until_review(page, &offboarding, "approved").await?;
        let notice = page
            .wait_for_text(&format!("{} .outbox-notice", item(&offboarding)), "")
            .await?;
        anyhow::ensure!(!notice.trim().is_empty(), "no notice number");
        wait_for_ledger(
            page,
            category,
            [before[0], before[1], before[2] - 1, before[3] + 1],
        )
        .await?;
        page.wait_until(
            "!document.querySelector('#roster').textContent.includes('赵新来')",
            "the person left the roster",
        )
        .await?;
        print(page, &offboarding, "机关事业单位出编通知单", notice.trim()).await?;
        page.screenshot("cycle_print_offboarding_notice").await?;
        Ok(())
    })
    .await?;

    // 7. A record change of someone on the roster: the new value in the record, the old one in
    //    the history.
    let (mut person, mut old, mut new) = (String::new(), String::new(), String::new());
    let mut change = String::new();
    page.check("cycle_record_change", async {
        page.click("#nav-apply").await?;
        open_kind(page, "record_change").await?;
        person = person_option(page, "").await?;
        fill(page, &[("#apply-person", person.as_str())]).await?;
        page.wait_until(
            "document.querySelector('#apply-name')?.value?.length > 0",
            "the record fills the form",
        )
        .await?;
        old = page
            .eval("document.querySelector('#apply-native-place').value")
            .await?;
        new = if old == "甘肃清水" {
            "甘肃秦安"
        } else {
            "甘肃清水"
        }
        .to_owned();
        let today = today().to_string();
        fill(
            page,
            &[
                ("#apply-changed-on", today.as_str()),
                ("#apply-native-place", new.as_str()),
            ],
        )
        .await?;
        page.wait_for_text(
            ".field-change[data-field=native-place]",
            &format!("→ {new}"),
        )
        .await?;
        change = confirm_and_sign(page, "cycle_record_change_confirm").await?;
        Ok(())
    })
    .await?;
    rev.check("cycle_reviewer_approves_record_change", async {
        decide(rev, &change, Action::Approve, "").await
    })
    .await?;
    page.check("cycle_record_changed", async {
        reload_until_review(page, &change, "approved").await?;
        // The form starts from the record as it is now.
        open_kind(page, "record_change").await?;
        person_option(page, "").await?;
        fill(page, &[("#apply-person", person.as_str())]).await?;
        page.wait_until(
            &format!(
                "document.querySelector('#apply-native-place')?.value === {}",
                serde_json::to_string(&new)?
            ),
            "the record holds the new value",
        )
        .await
    })
    .await?;
    let certificate = schema::certificate(&city.pool, &unit).await;
    let changed = certificate
        .staff
        .iter()
        .find(|p| p.id_number.as_str() == person)
        .expect("the person is on the staff");
    assert_eq!(changed.native_place, new);
    let entry = certificate
        .record_changes
        .iter()
        .find(|e| e.is_about(&changed.id_number))
        .expect("the change is in the history");
    assert_eq!(entry.changes[0].before.as_deref(), Some(old.as_str()));
    assert_eq!(entry.changes[0].after.as_deref(), Some(new.as_str()));

    // 7b. A record change of the unit's own record (本单位信息): its short name.
    let old_short = certificate
        .unit
        .short_name
        .as_ref()
        .map(|n| n.as_str().to_owned());
    let new_short = "新简称";
    let mut unit_change = String::new();
    page.check("cycle_unit_record_change", async {
        page.click("#nav-apply").await?;
        open_kind(page, "record_change").await?;
        page.wait_until(
            "document.querySelector(\"#apply-person option[value='unit']\")",
            "the unit's record is offered",
        )
        .await?;
        fill(page, &[("#apply-person", "unit")]).await?;
        page.wait_until(
            "document.querySelector('#apply-unit-name')?.value?.length > 0",
            "the unit's record fills the form",
        )
        .await?;
        page.wait_for_text("#apply-changes-error", "变更事项")
            .await?;
        let today = today().to_string();
        fill(
            page,
            &[
                ("#apply-changed-on", today.as_str()),
                ("#apply-short-name", new_short),
            ],
        )
        .await?;
        page.wait_for_text(
            ".field-change[data-field=short-name]",
            &format!("→ {new_short}"),
        )
        .await?;
        page.click("#apply-next").await?;
        page.wait_for_text("#confirm [data-field=person] dd", "本单位信息")
            .await?;
        page.wait_for_text("#confirm [data-field=change]", "简称")
            .await?;
        page.click("#confirm-back").await?;
        unit_change = confirm_and_sign(page, "cycle_unit_record_change_confirm").await?;
        Ok(())
    })
    .await?;
    rev.check("cycle_reviewer_approves_unit_change", async {
        decide(rev, &unit_change, Action::Approve, "").await
    })
    .await?;
    page.check("cycle_unit_record_changed", async {
        reload_until_review(page, &unit_change, "approved").await?;
        open_kind(page, "record_change").await?;
        page.wait_until(
            "document.querySelector(\"#apply-person option[value='unit']\")",
            "the unit's record is offered",
        )
        .await?;
        fill(page, &[("#apply-person", "unit")]).await?;
        page.wait_until(
            &format!(
                "document.querySelector('#apply-short-name')?.value === {}",
                serde_json::to_string(new_short)?
            ),
            "the unit's record holds the new short name",
        )
        .await
    })
    .await?;
    let certificate = schema::certificate(&city.pool, &unit).await;
    assert_eq!(
        certificate.unit.short_name.as_ref().map(|n| n.as_str()),
        Some(new_short)
    );
    let entry = certificate
        .record_changes
        .iter()
        .find(|e| e.subject == domain::payload::ChangeSubject::Unit)
        .expect("the unit's change is in the history");
    assert_eq!(entry.changes[0].before, old_short);

    // 8. A second quota use, returned with a comment, revised, signed again and approved.
    let reason = "业务增加，申请使用空编一名";
    let note = "请补充请示文号后重新报送";
    let mut second = String::new();
    page.check("cycle_second_request", async {
        page.click("#nav-apply").await?;
        open_kind(page, "quota_use").await?;
        second = sign_request(page, category, reason).await?;
        page.wait_for_attribute(&item(&second), "data-status", "accepted")
            .await
    })
    .await?;
    sup.check("cycle_supervisor_endorses_second", async {
        decide(sup, &second, Action::Endorse, "").await
    })
    .await?;
    rev.check("cycle_reviewer_returns", async {
        decide(rev, &second, Action::Return, note).await
    })
    .await?;
    assert_eq!(
        schema::application_status(&city.pool, &second).await,
        "returned"
    );
    let mut revised = String::new();
    page.check("cycle_clerk_revises", async {
        reload_until_review(page, &second, "returned").await?;
        page.wait_for_text(&item(&second), "已退回").await?;
        page.wait_for_text(&format!("{} .outbox-comment", item(&second)), note)
            .await?;
        page.screenshot("cycle_clerk_returned").await?;
        page.click(&format!("{} .outbox-revise", item(&second)))
            .await?;
        page.wait_for_text("#apply-revising", "修改").await?;
        page.wait_until(
            &format!(
                "document.querySelector('#apply-reason')?.value === {}",
                serde_json::to_string(reason)?
            ),
            "the form holds what was signed",
        )
        .await?;
        fill(
            page,
            &[(
                "#apply-reason",
                "业务增加，申请使用空编一名（请示文号：天政发〔2026〕7号）",
            )],
        )
        .await?;
        revised = confirm_and_sign(page, "cycle_revised_confirm").await?;
        anyhow::ensure!(revised != second, "a revision is a new application");
        page.wait_for_text(&format!("{} .outbox-revised", item(&second)), &revised)
            .await?;
        Ok(())
    })
    .await?;
    sup.check("cycle_supervisor_endorses_revision", async {
        decide(sup, &revised, Action::Endorse, "").await
    })
    .await?;
    rev.check("cycle_reviewer_approves_revision", async {
        decide(rev, &revised, Action::Approve, "同意").await
    })
    .await?;
    page.check("cycle_revision_approved", async {
        reload_until_review(page, &revised, "approved").await?;
        let slip = page
            .wait_for_text(&format!("{} .outbox-slip", item(&revised)), "")
            .await?;
        anyhow::ensure!(!slip.trim().is_empty(), "no slip number");
        page.screenshot("cycle_clerk_applications_end").await?;
        Ok(())
    })
    .await?;
    assert_eq!(
        schema::application_status(&city.pool, &revised).await,
        "approved"
    );
    Ok(())
}

/// Whether the onboarding form offers the slip `number` (the expression).
fn slip_offered(number: &str) -> anyhow::Result<String> {
    Ok(format!(
        "[...document.querySelectorAll('#apply-slip option')].some(o => o.value === {})",
        serde_json::to_string(number)?
    ))
}

/// The certificate's slip table row of `number`'s state (`data-state`), as an expression.
fn slip_state(number: &str) -> anyhow::Result<String> {
    Ok(format!(
        "[...document.querySelectorAll('#slips tr.slip')].find(r => r.textContent.includes({}))\
         ?.dataset.state ?? ''",
        serde_json::to_string(number)?
    ))
}

/// A clerk's quota use for one post, filed in the browser, endorsed and approved with
/// software keys; returns the slip's number once the clerk has it.
async fn approved_in_browser(clerk: &ClerkInBrowser, reason: &str) -> anyhow::Result<String> {
    let page = &clerk.page;
    let Deciders {
        mut supervisor,
        mut reviewer,
    } = clerk.city.deciders(&clerk.department).await;
    open_kind(page, "quota_use").await?;
    let quota = sign_request(page, clerk.category, reason).await?;
    page.wait_for_attribute(&item(&quota), "data-status", "accepted")
        .await?;
    supervisor
        .decide("d-endorse", &quota, Action::Endorse, "")
        .await;
    let verdict = reviewer
        .decide("d-approve", &quota, Action::Approve, "同意")
        .await;
    let slip = verdict
        .slip_number
        .clone()
        .ok_or_else(|| anyhow::anyhow!("the approval issued no slip: {verdict:?}"))?;
    reload_until_review(page, &quota, "approved").await?;
    page.wait_for_text(&format!("{} .outbox-slip", item(&quota)), &slip)
        .await?;
    Ok(slip)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slip_lapses_and_its_posts_are_released_in_the_browser() -> anyhow::Result<()> {
    let clerk = ClerkInBrowser::synced("lp-clerk", 2).await?;
    let (page, category) = (&clerk.page, clerk.category);
    let before = ledger(page, category).await?;
    let slip = approved_in_browser(&clerk, "新设科室，申请使用空编一名").await?;

    // Open: reserved +1, vacant −1, and the onboarding form offers it.
    page.check("lapse_slip_open", async {
        wait_for_ledger(
            page,
            category,
            [before[0], before[1], before[2] + 1, before[3] - 1],
        )
        .await?;
        page.wait_until(
            &format!("{} === 'open'", slip_state(&slip)?),
            "the slip is shown open",
        )
        .await?;
        page.wait_for_text("#slips", "有效").await?;
        page.screenshot("lapse_certificate_slip_open").await?;
        open_kind(page, "onboarding").await?;
        page.wait_until(&slip_offered(&slip)?, "the slip is offered")
            .await
    })
    .await?;

    // Ninety-two days on (the slip is valid 90): the next sync shows it lapsed, the post back.
    clerk.city.server.clock().advance_days(92);
    page.check("lapse_slip_lapsed", async {
        page.reload().await?;
        wait_for_sync(page).await?;
        wait_for_ledger(page, category, before).await?;
        page.wait_until(
            &format!("{} === 'lapsed'", slip_state(&slip)?),
            "the slip is shown lapsed",
        )
        .await?;
        page.wait_for_text("#slips", "已失效").await?;
        page.screenshot("lapse_certificate_slip_lapsed").await?;
        open_kind(page, "onboarding").await?;
        let offered: bool = page.eval(&slip_offered(&slip)?).await?;
        anyhow::ensure!(!offered, "the lapsed slip {slip} is still offered");
        page.screenshot("lapse_onboarding_without_slip").await?;
        Ok(())
    })
    .await?;
    let certificate = schema::certificate(&clerk.city.pool, &clerk.unit).await;
    let stored = certificate
        .slips
        .iter()
        .find(|s| s.number.as_str() == slip)
        .ok_or_else(|| anyhow::anyhow!("the slip is not on the certificate"))?;
    anyhow::ensure!(stored.released, "the slip was not released");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_number_in_a_post_elsewhere_is_refused_at_approval_in_the_browser()
-> anyhow::Result<()> {
    let clerk = ClerkInBrowser::synced("ho-clerk", 2).await?;
    let (page, city) = (&clerk.page, &clerk.city);
    let slip = approved_in_browser(&clerk, "新设科室，申请使用空编一名").await?;
    let bureau = reviewer_in_browser(city, "ho-reviewer", "bureau_reviewer", CITY_REGION).await?;
    let rev = &bureau.page;

    // A 身份证号 on another unit's staff, outside what the clerk's copy holds.
    let (elsewhere, held) = schema::someone_elsewhere(&city.pool, &clerk.unit).await;
    anyhow::ensure!(
        !schema::unit_family(&city.pool, &clerk.unit)
            .await
            .contains(elsewhere.as_str()),
        "{elsewhere} is in the clerk's copy"
    );
    let held = IdNumber::parse(&held)?;
    let staff_before = schema::certificate(&city.pool, &clerk.unit)
        .await
        .staff
        .len();

    // The clerk's form cannot know: it accepts the number and signs.
    let mut onboarding = String::new();
    page.check("held_onboarding_filed", async {
        open_kind(page, "onboarding").await?;
        page.wait_until(&slip_offered(&slip)?, "the slip is offered")
            .await?;
        fill(page, &[("#apply-slip", slip.as_str())]).await?;
        fill(page, &newcomer_fields()).await?;
        let born = held.birth_date().to_string();
        fill(
            page,
            &[
                ("#apply-id-number", held.as_str()),
                ("#apply-sex", held.sex().code()),
                ("#apply-birth-date", born.as_str()),
            ],
        )
        .await?;
        onboarding = confirm_and_sign(page, "held_onboarding_confirm").await?;
        Ok(())
    })
    .await?;

    // The bureau reviewer approves in the browser: refused, the rule named on the list.
    rev.check("held_approval_refused", async {
        rev.reload().await?;
        wait_for_sync(rev).await?;
        decide_up_to_confirmation(rev, &onboarding, Action::Approve, "同意入编").await?;
        sign_decision(rev, &onboarding).await?;
        rev.wait_for_attribute(&my_decision(&onboarding), "data-status", "rejected")
            .await?;
        rev.wait_for_text(&my_decision(&onboarding), "身份证号")
            .await?;
        rev.screenshot("held_reviewer_refused").await?;
        Ok(())
    })
    .await?;
    assert_eq!(
        schema::application_status(&city.pool, &onboarding).await,
        "submitted"
    );

    // The clerk's roster does not gain the person.
    page.check("held_roster_unchanged", async {
        page.reload().await?;
        wait_for_sync(page).await?;
        open_certificate(page).await?;
        page.wait_until("document.querySelector('#roster')", "the roster is shown")
            .await?;
        let text = page.text("#roster").await?.unwrap_or_default();
        anyhow::ensure!(!text.contains("赵新来"), "the person is on the roster");
        page.screenshot("held_clerk_roster").await?;
        Ok(())
    })
    .await?;
    let certificate = schema::certificate(&city.pool, &clerk.unit).await;
    assert_eq!(certificate.staff.len(), staff_before);
    assert!(
        !certificate
            .staff
            .iter()
            .any(|p| p.id_number.as_str() == held.as_str())
    );
    Ok(())
}
