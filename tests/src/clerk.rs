//! A clerk in the browser: enrolled with a virtual security key, signed in, filing 编制使用申请
//! through the form, reading the sync status and the local store.

use domain::{Date, EstablishmentCategory, IdNumber, Timestamp};
use protocol::identity::HolderCreated;

use crate::browser::{TestBrowser, TestPage};
use crate::server::TestServer;

/// Sets form controls as typing or choosing would (value, then `input` and `change`).
pub async fn fill(page: &TestPage, fields: &[(&str, &str)]) -> anyhow::Result<()> {
    let fields = serde_json::to_string(fields)?;
    let done: bool = page
        .eval(&format!(
            "(() => {{ for (const [sel, v] of {fields}) {{ const e = document.querySelector(sel); \
             if (!e) return false; e.value = v; \
             e.dispatchEvent(new Event('input', {{ bubbles: true }})); \
             e.dispatchEvent(new Event('change', {{ bubbles: true }})); }} return true; }})()"
        ))
        .await?;
    anyhow::ensure!(done, "a form control is missing");
    Ok(())
}

/// On a tab opened at `created`'s enrolment link (with a virtual key): checks the code is filled
/// in, enrols, follows the link to sign-in, checks the login is filled in, signs in and waits
/// for the certificate (where a clerk lands), then opens `/apply`.
pub async fn enrol_and_sign_in(page: &TestPage, created: &HolderCreated) -> anyhow::Result<()> {
    let login = &created.holder.login;
    page.wait_for_text("#enrol h1", "注册安全密钥").await?;
    page.wait_until(
        &format!(
            "document.querySelector('#enrol-code')?.value === {}",
            serde_json::to_string(&created.enrolment_code)?
        ),
        "the code is filled in from the link",
    )
    .await?;
    page.click("#enrol-button").await?;
    page.wait_for_text("#enrol-done", "注册成功").await?;
    page.wait_for_text("#enrol-login", login).await?;
    page.click("#enrol-sign-in-link").await?;
    page.wait_for_text("#sign-in h1", "使用安全密钥登录")
        .await?;
    page.wait_until(
        &format!(
            "document.querySelector('#sign-in-login')?.value === {}",
            serde_json::to_string(login)?
        ),
        "the login name is filled in after enrolment",
    )
    .await?;
    page.click("#sign-in-button").await?;
    // Each role lands on its own work: a clerk on the certificate (then this opens /apply),
    // a reviewer on the queue.
    page.wait_until(
        "['/certificate', '/review', '/admin/holders'].includes(location.pathname)",
        "signed in, on the landing page",
    )
    .await?;
    let on_certificate: bool = page.eval("location.pathname === '/certificate'").await?;
    if on_certificate {
        open_applications(page).await?;
    }
    Ok(())
}

/// Opens the application page from the navigation.
pub async fn open_applications(page: &TestPage) -> anyhow::Result<()> {
    page.click("#nav-apply").await?;
    page.wait_until("location.pathname === '/apply'", "on /apply")
        .await
}

/// How long the service worker may take to install (precache) and take control.
const SERVICE_WORKER_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Creates a holder, opens its enrolment link in a new tab of `browser` with a virtual key,
/// enrols and signs in; returns the tab (on the holder's landing page, under the service
/// worker) and the holder.
pub async fn signed_in_tab(
    browser: &TestBrowser,
    server: &TestServer,
    login: &str,
    role: &str,
    scope: &str,
) -> anyhow::Result<(TestPage, HolderCreated)> {
    let created = crate::keys::create_holder(server, login, role, scope).await;
    let page = browser.open(&created.enrolment_link).await?;
    page.add_virtual_authenticator().await?;
    page.check(&format!("{login}_enrol_and_sign_in"), async {
        enrol_and_sign_in(&page, &created).await?;
        // The worker takes control once it has precached every bundle of the client (about
        // 1.5 MB of gzip files, several MB once unpacked): longer than other waits.
        page.wait_for_service_worker(SERVICE_WORKER_WAIT).await
    })
    .await?;
    Ok((page, created))
}

/// Fills in a 编制使用申请 for one post of `category` and goes on to the confirmation; returns
/// the application id it shows.
pub async fn fill_and_confirm(
    page: &TestPage,
    category: EstablishmentCategory,
    reason: &str,
) -> anyhow::Result<String> {
    fill(page, &[("#apply-category", category.code())]).await?;
    if category.has_funding_form() {
        page.wait_until(
            "document.querySelector('#apply-funding')",
            "经费形式 appears",
        )
        .await?;
        fill(page, &[("#apply-funding", "full")]).await?;
    }
    fill(
        page,
        &[
            ("#apply-count", "1"),
            ("#apply-recruitment", "open_recruitment"),
            ("#apply-reason", reason),
        ],
    )
    .await?;
    page.click("#apply-next").await?;
    page.wait_for_text("#confirm h2", "确认签名内容").await?;
    let id = page
        .text("#confirm [data-field=application-id] dd")
        .await?
        .unwrap_or_default();
    anyhow::ensure!(!id.is_empty(), "no application id shown");
    Ok(id)
}

/// Fills in and signs a 编制使用申请 for one post of `category`; returns its application id
/// once it is listed as signed.
pub async fn sign_request(
    page: &TestPage,
    category: EstablishmentCategory,
    reason: &str,
) -> anyhow::Result<String> {
    let id = fill_and_confirm(page, category, reason).await?;
    page.click("#confirm-sign").await?;
    page.wait_until(
        &format!("document.querySelector(\"[data-application-id='{id}']\")"),
        "the signed application is listed",
    )
    .await?;
    Ok(id)
}

/// Waits until the sync-status panel says a pull completed (a last sync is shown).
pub async fn wait_for_sync(page: &TestPage) -> anyhow::Result<()> {
    page.check("wait_for_sync", async {
        page.wait_until(
            "document.querySelector('#sync-status')?.dataset.lastSync?.length > 0",
            "a sync completed",
        )
        .await
    })
    .await
}

/// The clerk's list item of the application `id`.
pub fn item(id: &str) -> String {
    format!("[data-application-id='{id}']")
}

/// Today in China, by this machine's clock (what the app counts deadlines from).
pub fn today() -> Date {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    Timestamp::from_unix_seconds(i64::try_from(now).unwrap_or_default())
        .expect("a time")
        .date_in_china()
}

/// A valid ID number of nobody in the demo city (a Beijing region code).
pub fn newcomer_id() -> IdNumber {
    IdNumber::compose(110105, Date::parse("1996-03-15").expect("a date"), 124).expect("an id")
}

/// The person fields of a newcomer, as a clerk types them (the ID number apart).
pub fn newcomer_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("#apply-name", "赵新来"),
        ("#apply-ethnicity", "汉族"),
        ("#apply-native-place", "甘肃天水"),
        ("#apply-political-status", "cyl_member"),
        ("#apply-education", "postgraduate"),
        ("#apply-degree", "master"),
        ("#apply-personnel-class", "non_leader"),
        ("#apply-post-category", "professional"),
        ("#apply-entry-form", "open_recruitment"),
        ("#apply-enrolled-on", "2026-12-01"),
    ]
}

/// Opens the form of `kind` on the application page.
pub async fn open_kind(page: &TestPage, kind: &str) -> anyhow::Result<()> {
    if page.text("#apply-kinds").await?.is_none() {
        page.click("#nav-apply").await?;
    }
    page.wait_until(
        "document.querySelector('#apply-kinds')",
        "the kinds are shown",
    )
    .await?;
    page.click(&format!("#kind-{kind}")).await?;
    page.wait_for_attribute("#apply-form", "data-kind", kind)
        .await
}

/// Goes on to the confirmation and signs; returns the application id once it is accepted.
pub async fn confirm_and_sign(page: &TestPage, shot: &str) -> anyhow::Result<String> {
    page.click("#apply-next").await?;
    page.wait_for_text("#confirm h2", "确认签名内容").await?;
    page.screenshot(shot).await?;
    let id = page
        .text("#confirm [data-field=application-id] dd")
        .await?
        .unwrap_or_default();
    anyhow::ensure!(!id.is_empty(), "no application id shown");
    page.click("#confirm-sign").await?;
    page.wait_for_attribute(&item(&id), "data-status", "accepted")
        .await?;
    Ok(id)
}

/// The value (身份证号) of the first person in `#apply-person` whose label holds `name` (any
/// person for `""`; not the unit's own record), once the roster is in the list.
pub async fn person_option(page: &TestPage, name: &str) -> anyhow::Result<String> {
    let find = format!(
        "[...document.querySelectorAll('#apply-person option')].find(o => o.value && \
         o.value !== 'unit' && o.textContent.includes({}))?.value ?? ''",
        serde_json::to_string(name)?
    );
    page.wait_until(&find, "the person is in the list").await?;
    page.eval(&find).await
}
