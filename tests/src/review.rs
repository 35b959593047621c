//! A supervising department or a bureau reviewer in the browser: signed in on the review
//! queue, opening a submission, taking a decision up to its confirmation and signing it.

use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use domain::Action;

use crate::browser::TestPage;
use crate::clerk::{fill, wait_for_sync};
use crate::scenario::{City, SignedInBrowser};

/// The queue's row of the application `id`.
pub fn row(id: &str) -> String {
    format!("#review-queue tr[data-application-id='{id}']")
}

/// The reviewer's own decision on the application `id`, in their list.
pub fn my_decision(id: &str) -> String {
    format!("#my-decisions li[data-application-id='{id}']")
}

/// A laptop's screen: 1366×768.
pub async fn laptop(page: &TestPage) -> anyhow::Result<()> {
    page.raw()
        .execute(SetDeviceMetricsOverrideParams::new(1366, 768, 1.0, false))
        .await?;
    Ok(())
}

/// A reviewer or supervisor in a browser of their own, landed on the queue and synced.
pub async fn reviewer_in_browser(
    city: &City,
    login: &str,
    role: &str,
    scope: &str,
) -> anyhow::Result<SignedInBrowser> {
    let scene = SignedInBrowser::start(&city.server, login, role, scope).await?;
    let page = &scene.page;
    laptop(page).await?;
    page.check(&format!("{login}_lands_on_the_queue"), async {
        page.wait_until(
            "location.pathname === '/review'",
            "a reviewer lands on the queue",
        )
        .await?;
        wait_for_sync(page).await?;
        page.wait_for_text("#review h1", "审核工作台").await?;
        Ok(())
    })
    .await?;
    Ok(scene)
}

/// Opens `id` from the queue, takes `action` with `note`, goes on to the confirmation.
pub async fn decide_up_to_confirmation(
    page: &TestPage,
    id: &str,
    action: Action,
    note: &str,
) -> anyhow::Result<()> {
    page.wait_for_attribute(&row(id), "data-mine", "true")
        .await?;
    page.click(&format!("{} .review-open", row(id))).await?;
    page.wait_for_attribute("#submission", "data-application-id", id)
        .await?;
    page.click(&format!("#decide-{}", action.code())).await?;
    if !note.is_empty() {
        fill(page, &[("#decide-note", note)]).await?;
    }
    page.click("#decide-next").await?;
    page.wait_for_attribute("#confirm-decisions li", "data-action", action.code())
        .await?;
    Ok(())
}

/// Signs the decision on the confirmation screen; back on the queue.
pub async fn sign_decision(page: &TestPage, id: &str) -> anyhow::Result<()> {
    page.click("#confirm-decision-sign").await?;
    // Back on the queue (the message that it is signed shows only while it waits).
    page.wait_until(
        "!document.querySelector('#confirm-decision') && document.querySelector('#my-decisions')",
        "the decision is signed",
    )
    .await?;
    page.wait_until(
        &format!("document.querySelector(\"{}\")", my_decision(id)),
        "the decision is listed",
    )
    .await
}
