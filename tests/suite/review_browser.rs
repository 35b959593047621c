//! The supervising department and the bureau in the browser, with virtual security keys
//! against the real server: a request the clerk filed in the browser is endorsed and approved
//! in the review queue and the clerk sees the slip; a return's comment reaches the clerk; a
//! decision signed offline is sent later (and the badge stops saying 在线 at once); two
//! reviewers deciding the same application: one decision stands, the other's list says why.
//! Screenshots of the queue, the submission and the confirmation, in Chinese and English, at
//! laptop size.

use std::time::{Duration, Instant};

use domain::Action;
use tests::clerk::{fill, sign_request};
use tests::review::{
    decide_up_to_confirmation, my_decision, reviewer_in_browser, row, sign_decision,
};
use tests::scenario::{CITY_REGION, City, ClerkInBrowser, Review};
use tests::schema;

/// An application filed and endorsed over the API (software keys): (its id, the scenario).
async fn endorsed_request(city: &City) -> (String, Review) {
    let mut review = city.review().await;
    let id = uuid_like(1);
    review
        .clerk
        .file_quota_use(&id, &review.unit, review.category, 1)
        .await;
    let verdict = review
        .supervisor
        .decide(&uuid_like(2), &id, Action::Endorse, "")
        .await;
    assert_eq!(verdict.application_status.as_deref(), Some("endorsed"));
    (id, review)
}

fn uuid_like(n: u32) -> String {
    format!("7d0f3a52-9c1e-4b7a-8d2e-{n:012}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_filed_in_the_browser_is_endorsed_and_approved_in_the_browser()
-> anyhow::Result<()> {
    let clerk = ClerkInBrowser::synced("rv-clerk", 2).await?;
    let city = &clerk.city;
    let id = sign_request(&clerk.page, clerk.category, "新设科室，申请使用空编").await?;
    clerk
        .page
        .wait_for_attribute(
            &format!("[data-application-id='{id}']"),
            "data-status",
            "accepted",
        )
        .await?;

    // The supervising department endorses, in Chinese.
    let supervisor = reviewer_in_browser(
        city,
        "rv-supervisor",
        "supervisor",
        &format!("department:{}", clerk.department),
    )
    .await?;
    let page = &supervisor.page;
    page.check("review_supervisor_endorses", async {
        page.wait_for_attribute(&row(&id), "data-status", "submitted")
            .await?;
        page.screenshot("review_queue_zh").await?;
        decide_up_to_confirmation(page, &id, Action::Endorse, "同意，报编办核准").await?;
        page.screenshot("review_confirm_zh").await?;
        page.click("#confirm-decision-back").await?;
        page.wait_for_attribute("#submission", "data-application-id", &id)
            .await?;
        page.screenshot("review_submission_zh").await?;
        page.click("#decide-next").await?;
        sign_decision(page, &id).await?;
        page.wait_for_attribute(&my_decision(&id), "data-status", "accepted")
            .await?;
        // The panel counts the reviewer's own decisions.
        page.wait_for_attribute("#sync-status", "data-waiting", "0")
            .await?;
        page.wait_for_text("#sync-waiting", "待同步审批决定")
            .await?;
        Ok(())
    })
    .await?;
    assert_eq!(
        schema::application_status(&city.pool, &id).await,
        "endorsed"
    );
    drop(supervisor);

    // The bureau approves, in English.
    let reviewer = reviewer_in_browser(city, "rv-reviewer", "bureau_reviewer", CITY_REGION).await?;
    let page = &reviewer.page;
    let mut number = String::new();
    page.check("review_reviewer_approves", async {
        page.click("#lang-switch").await?;
        page.wait_for_text("#review h1", "Review queue").await?;
        page.wait_for_attribute(&row(&id), "data-status", "endorsed")
            .await?;
        page.screenshot("review_queue_en").await?;
        decide_up_to_confirmation(page, &id, Action::Approve, "").await?;
        page.screenshot("review_confirm_en").await?;
        page.click("#confirm-decision-back").await?;
        page.wait_for_attribute("#submission", "data-application-id", &id)
            .await?;
        page.wait_until("document.querySelector('#submission-ledger')", "the ledger")
            .await?;
        page.screenshot("review_submission_en").await?;
        page.click("#decide-next").await?;
        sign_decision(page, &id).await?;
        page.wait_for_attribute(&my_decision(&id), "data-status", "accepted")
            .await?;
        number = page
            .attribute(&my_decision(&id), "data-number")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(!number.is_empty(), "the approval's slip number is shown");
        Ok(())
    })
    .await?;
    assert_eq!(
        schema::application_status(&city.pool, &id).await,
        "approved"
    );

    // The clerk's list: 已核准, with the slip's number.
    let page = &clerk.page;
    page.check("review_clerk_sees_the_slip", async {
        page.reload().await?;
        let item = format!("[data-application-id='{id}']");
        page.wait_for_attribute(&item, "data-review", "approved")
            .await?;
        page.wait_for_text(&item, "已核准").await?;
        page.wait_for_text(&item, &number).await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_return_with_a_comment_reaches_the_clerk() -> anyhow::Result<()> {
    let clerk = ClerkInBrowser::synced("rt-clerk", 2).await?;
    let city = &clerk.city;
    let id = sign_request(&clerk.page, clerk.category, "申请使用空编").await?;
    clerk
        .page
        .wait_for_attribute(
            &format!("[data-application-id='{id}']"),
            "data-status",
            "accepted",
        )
        .await?;
    let supervisor = reviewer_in_browser(
        city,
        "rt-supervisor",
        "supervisor",
        &format!("department:{}", clerk.department),
    )
    .await?;
    let page = &supervisor.page;
    let note = "请补充请示文号后重新报送";
    page.check("return_with_comment", async {
        // A return without its reason is refused before anything is signed.
        decide_up_to_confirmation(page, &id, Action::Endorse, "").await?;
        page.click("#confirm-decision-back").await?;
        page.click("#decide-return").await?;
        fill(page, &[("#decide-note", "  ")]).await?;
        page.click("#decide-next").await?;
        page.wait_for_text("#decide-error", "审批意见").await?;
        fill(page, &[("#decide-note", note)]).await?;
        page.click("#decide-next").await?;
        page.wait_for_text("#confirm-decisions [data-field=note]", note)
            .await?;
        sign_decision(page, &id).await?;
        page.wait_for_attribute(&my_decision(&id), "data-status", "accepted")
            .await?;
        Ok(())
    })
    .await?;
    assert_eq!(
        schema::application_status(&city.pool, &id).await,
        "returned"
    );
    let page = &clerk.page;
    page.check("return_reaches_the_clerk", async {
        page.reload().await?;
        let item = format!("[data-application-id='{id}']");
        page.wait_for_attribute(&item, "data-review", "returned")
            .await?;
        page.wait_for_text(&item, "已退回").await?;
        page.wait_for_text(&item, note).await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decision_signed_offline_is_sent_later() -> anyhow::Result<()> {
    let mut city = City::start().await;
    let (id, _review) = endorsed_request(&city).await;
    let reviewer =
        reviewer_in_browser(&city, "off-reviewer", "bureau_reviewer", CITY_REGION).await?;
    let page = &reviewer.page;
    page.wait_for_attribute(&row(&id), "data-status", "endorsed")
        .await?;
    page.wait_for_attribute("#connectivity", "data-connectivity", "online")
        .await?;
    city.server.stop().await?;
    page.check("decision_offline", async {
        decide_up_to_confirmation(page, &id, Action::Approve, "").await?;
        sign_decision(page, &id).await?;
        // The push fails: the badge says so at once, not after the next probe (15 s).
        let signed = Instant::now();
        page.wait_for_attribute("#connectivity", "data-connectivity", "offline")
            .await?;
        anyhow::ensure!(
            signed.elapsed() < Duration::from_secs(6),
            "the badge said 在线 for {:?} after a failed push",
            signed.elapsed()
        );
        page.wait_for_attribute(&my_decision(&id), "data-status", "pending")
            .await?;
        page.wait_for_attribute("#sync-status", "data-waiting", "1")
            .await?;
        page.reload().await?;
        page.wait_for_attribute(&my_decision(&id), "data-status", "pending")
            .await?;
        Ok(())
    })
    .await?;
    city.server.start_again().await?;
    page.check("decision_sent_later", async {
        page.wait_for_attribute(&my_decision(&id), "data-status", "accepted")
            .await?;
        page.wait_for_attribute("#sync-status", "data-waiting", "0")
            .await?;
        Ok(())
    })
    .await?;
    assert_eq!(
        schema::application_status(&city.pool, &id).await,
        "approved"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_reviewers_deciding_the_same_application_one_decision_stands() -> anyhow::Result<()> {
    let mut city = City::start().await;
    let (id, _review) = endorsed_request(&city).await;
    let first = reviewer_in_browser(&city, "two-a", "bureau_reviewer", CITY_REGION).await?;
    let second = reviewer_in_browser(&city, "two-b", "bureau_reviewer", CITY_REGION).await?;
    for page in [&first.page, &second.page] {
        page.wait_for_attribute(&row(&id), "data-status", "endorsed")
            .await?;
    }
    // Both decide before either decision reaches the server.
    city.server.stop().await?;
    decide_up_to_confirmation(&first.page, &id, Action::Approve, "").await?;
    sign_decision(&first.page, &id).await?;
    decide_up_to_confirmation(&second.page, &id, Action::Reject, "不符合条件").await?;
    sign_decision(&second.page, &id).await?;
    city.server.start_again().await?;

    let settled = "['accepted', 'rejected'].includes(document.querySelector(\"#my-decisions li\")?.dataset.status)";
    for page in [&first.page, &second.page] {
        page.wait_until(settled, "the decision was judged").await?;
    }
    let statuses = [
        first
            .page
            .attribute(&my_decision(&id), "data-status")
            .await?,
        second
            .page
            .attribute(&my_decision(&id), "data-status")
            .await?,
    ];
    let accepted = statuses
        .iter()
        .filter(|s| s.as_deref() == Some("accepted"))
        .count();
    assert_eq!(accepted, 1, "one decision stands: {statuses:?}");
    let (loser, status) = if statuses[0].as_deref() == Some("accepted") {
        (&second.page, "approved")
    } else {
        (&first.page, "rejected")
    };
    assert_eq!(schema::application_status(&city.pool, &id).await, status);
    loser
        .check("two_reviewers_loser_told_why", async {
            let state = format!("{} [data-decision-state]", my_decision(&id));
            loser
                .wait_for_attribute(&state, "data-decision-state", "overtaken")
                .await?;
            loser.wait_for_text(&state, "他人先行处理").await?;
            loser.screenshot("review_overtaken_zh").await?;
            Ok(())
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clerk_withdraws_an_application_still_with_the_reviewers() -> anyhow::Result<()> {
    let clerk = ClerkInBrowser::synced("wd-clerk", 2).await?;
    let page = &clerk.page;
    let id = sign_request(page, clerk.category, "申请使用空编，后撤回").await?;
    let item = format!("li[data-application-id='{id}']");
    page.check("withdraw", async {
        page.wait_for_attribute(&item, "data-review", "submitted")
            .await?;
        page.click(&format!("{item} .withdraw-open")).await?;
        page.wait_for_text(&format!("{item} .withdraw-confirm"), "撤回此申请")
            .await?;
        page.screenshot("withdraw_confirm_zh").await?;
        page.click(&format!("{item} .withdraw-sign")).await?;
        page.wait_for_attribute(&item, "data-review", "withdrawn")
            .await?;
        page.wait_for_text(&item, "已撤回").await?;
        Ok(())
    })
    .await?;
    assert_eq!(
        schema::application_status(&clerk.city.pool, &id).await,
        "withdrawn"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routine_onboardings_are_approved_together_one_signature_each() -> anyhow::Result<()> {
    use domain::DocumentNumber;
    use domain::payload::{ApplicationPayload, OnboardingRequest};
    use tests::filing::{new_person, set_vacancy};

    let city = City::start().await;
    let mut review = city.review().await;
    let (unit, category) = (review.unit.clone(), review.category);
    set_vacancy(&city.pool, &unit, category, 3).await;
    let request = uuid_like(10);
    review
        .clerk
        .file_quota_use(&request, &unit, category, 2)
        .await;
    review
        .supervisor
        .decide(&uuid_like(11), &request, Action::Endorse, "")
        .await;
    let slip = review
        .reviewer
        .decide(&uuid_like(12), &request, Action::Approve, "")
        .await
        .slip_number
        .expect("a slip");
    let mut ids = Vec::new();
    let mut sequence = 990;
    for n in 20..22 {
        let person = loop {
            let person = new_person("1998-03-02", sequence, category);
            sequence += 1;
            if !schema::holds_post(&city.pool, person.id_number.as_str()).await {
                break person;
            }
        };
        let payload = ApplicationPayload::Onboarding(Box::new(OnboardingRequest {
            slip_number: DocumentNumber::parse(&slip)?,
            person,
            hr_document: None,
        }));
        let id = uuid_like(n);
        let verdict = review.clerk.file(&id, &unit, &payload).await;
        assert_eq!(
            verdict.status,
            protocol::identity::VerdictStatus::Accepted,
            "{verdict:?}"
        );
        ids.push(id);
    }

    let reviewer =
        reviewer_in_browser(&city, "batch-reviewer", "bureau_reviewer", CITY_REGION).await?;
    let page = &reviewer.page;
    page.check("batch_approval", async {
        // One onboarding on its screen: the slip it uses and the person, as signed.
        page.wait_for_attribute(&row(&ids[0]), "data-mine", "true")
            .await?;
        page.click(&format!("{} .review-open", row(&ids[0])))
            .await?;
        page.wait_for_text("#signed-fields [data-field=slip]", &slip)
            .await?;
        page.wait_for_text("#signed-fields [data-field=name]", "王新")
            .await?;
        page.screenshot("review_submission_onboarding_zh").await?;
        page.click("#submission-back").await?;
        for id in &ids {
            page.wait_for_attribute(&row(id), "data-mine", "true")
                .await?;
            page.click(&format!("{} .batch-choose", row(id))).await?;
        }
        page.click("#batch-approve").await?;
        page.wait_for_attribute("#confirm-decisions", "data-count", "2")
            .await?;
        page.screenshot("review_batch_confirm_zh").await?;
        page.click("#confirm-decision-sign").await?;
        for id in &ids {
            page.wait_for_attribute(&my_decision(id), "data-status", "accepted")
                .await?;
        }
        Ok(())
    })
    .await?;
    for id in &ids {
        assert_eq!(schema::application_status(&city.pool, id).await, "approved");
    }
    Ok(())
}
