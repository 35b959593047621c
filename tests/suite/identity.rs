//! The whole identity path in headless Chromium with a virtual security key: a clerk enrols a
//! key from the enrolment link, signs in, fills in a 编制使用申请, signs it while the server is
//! stopped, reloads offline (still signed in, the application still pending), and sees the
//! restarted server accept it.

use domain::EstablishmentCategory;
use protocol::identity::NewHolder;
use tests::browser::TestBrowser;
use tests::clerk::{enrol_and_sign_in, fill};
use tests::filing::set_vacancy;
use tests::keys::create_named_holder;
use tests::scenario::City;
use tests::schema;

const LOGIN: &str = "e2e-clerk";
const NAME: &str = "李经办";
const REASON: &str = "两名教师退休，需公开招聘补充";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_enrols_signs_in_signs_offline_and_the_server_accepts_it_after_restart()
-> anyhow::Result<()> {
    let mut city = City::start().await;
    // A unit with two vacant 事业编制 posts, for the request filed below.
    let unit = city.vacancy().await.unit;
    set_vacancy(
        &city.pool,
        &unit,
        EstablishmentCategory::PublicInstitution,
        2,
    )
    .await;
    let new = NewHolder {
        login: LOGIN.into(),
        name: NAME.into(),
        role: "unit_clerk".into(),
        scope: format!("unit:{unit}"),
        phone: String::new(),
    };
    let created = create_named_holder(&city.server, &new).await;

    let browser = TestBrowser::launch().await?;
    let page = browser.open(&created.enrolment_link).await?;
    // Per tab, and before the page calls create().
    page.add_virtual_authenticator().await?;
    let mut application_id = String::new();
    page.check("identity_enrol_and_sign_in", async {
        enrol_and_sign_in(&page, &created).await?;
        page.wait_for_text("#session-holder", NAME).await?;
        page.wait_for_text("#apply h1", "办理申请").await?;
        Ok(())
    })
    .await?;

    page.check("identity_apply", async {
        fill(&page, &[("#apply-category", "public_institution")]).await?;
        page.wait_until(
            "document.querySelector('#apply-funding')",
            "经费形式 appears",
        )
        .await?;
        fill(
            &page,
            &[
                ("#apply-funding", "full"),
                ("#apply-count", "2"),
                ("#apply-recruitment", "open_recruitment"),
                ("#apply-reason", REASON),
                ("#apply-document", "天教发〔2026〕12号"),
            ],
        )
        .await?;
        page.click("#apply-next").await?;
        page.wait_for_text("#confirm h2", "确认签名内容").await?;
        page.wait_for_text("#confirm [data-field=reason] dd", REASON)
            .await?;
        page.wait_for_text("#confirm [data-field=category] dd", "事业编制")
            .await?;
        page.wait_for_text("#confirm-canonical", "\"kind\":\"quota_use\"")
            .await?;
        application_id = page
            .text("#confirm [data-field=application-id] dd")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(!application_id.is_empty(), "no application id shown");
        // The service worker must hold the shell before the server goes away.
        page.wait_until(
            "navigator.serviceWorker.controller",
            "service worker controls the page",
        )
        .await?;
        Ok(())
    })
    .await?;

    let item = format!("[data-application-id='{application_id}']");
    city.server.stop().await?;
    page.check("identity_sign_offline", async {
        page.click("#confirm-sign").await?;
        page.wait_for_text("#apply-signed", "已签名").await?;
        page.wait_for_attribute(&item, "data-status", "pending")
            .await?;
        page.wait_for_text(&format!("{item} .outbox-status"), "待同步")
            .await?;

        // A reload with the server still down: signed in, still pending.
        page.reload().await?;
        page.wait_for_text("#session-holder", NAME).await?;
        page.wait_for_attribute("#connectivity", "data-connectivity", "offline")
            .await?;
        page.wait_for_attribute(&item, "data-status", "pending")
            .await?;
        page.wait_for_text(&format!("{item} .outbox-status"), "待同步")
            .await?;
        Ok(())
    })
    .await?;

    city.server.start_again().await?;
    page.check("identity_accepted_after_restart", async {
        page.wait_for_attribute(&item, "data-status", "accepted")
            .await?;
        page.wait_for_text(&format!("{item} .outbox-status"), "已提交")
            .await?;
        Ok(())
    })
    .await?;

    let status = schema::envelopes(&city.pool, &application_id)
        .await
        .first()
        .map(|e| e.status.clone());
    anyhow::ensure!(
        status.as_deref() == Some("accepted"),
        "the server recorded {status:?}"
    );
    Ok(())
}
