//! Documents anyone can check (issue 13), in headless Chromium against the real server: a
//! quota-use slip issued through the workflow carries its signed QR code on the print view (read
//! back from the SVG with an independent decoder and compared with the server's); the
//! verification page at `/verify/` answers GENUINE online (with the status for the unit's clerk,
//! without it for anyone else) and offline with the server stopped (status as of the last
//! sync), NOT GENUINE for one altered byte of the document or of the signature, a truncated
//! content and a forger's key; a bureau reviewer voids the slip in the review pages (a signed
//! decision with a reason) and the page answers "void"; an exported audit chain checks on the
//! auditor's page, and one altered entry is named as the first broken link. Screenshots in
//! Chinese and English.

use domain::Action;
use domain::canonical::base64url;
use tests::browser::{TestBrowser, TestPage};
use tests::clerk::{fill, item, sign_request, wait_for_sync};
use tests::review::{laptop, reviewer_in_browser, row};
use tests::scenario::{CITY_REGION, ClerkInBrowser, Deciders};

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

/// Enters `input` on the verification page and checks; waits for the answer and returns
/// `(outcome, reason, status)` as the page marks them.
async fn check(page: &TestPage, input: &str) -> anyhow::Result<(String, String, String)> {
    // A fresh answer: clear the last one first.
    page.click("#clear-button").await?;
    page.wait_until("!document.querySelector('#verify-result')", "cleared")
        .await?;
    fill(page, &[("#verify-input", input)]).await?;
    page.click("#verify-button").await?;
    page.wait_until(
        "document.querySelector('#verify-result') && document.querySelector('#verify-button:not([disabled])')",
        "an answer",
    )
    .await?;
    let outcome = page
        .attribute("#verify-result", "data-outcome")
        .await?
        .unwrap_or_default();
    let reason = page
        .attribute("#verify-result", "data-reason")
        .await?
        .unwrap_or_default();
    let status = page
        .attribute("#verify-status", "data-status")
        .await?
        .unwrap_or_default();
    Ok((outcome, reason, status))
}

/// Opens the verification page in a new tab of `browser`, under its service worker, with the
/// published keys fetched.
async fn verification_page(browser: &TestBrowser, url: &str) -> anyhow::Result<TestPage> {
    let page = browser.open(url).await?;
    laptop(&page).await?;
    page.wait_for_text("#verify-title", "文书真伪核验").await?;
    page.wait_until(
        "navigator.serviceWorker.controller || (location.reload(), false)",
        "the verification page's service worker controls it",
    )
    .await?;
    page.wait_for_text("#verify-title", "文书真伪核验").await?;
    page.wait_until(
        "!document.querySelector('#keys-synced')?.textContent.includes('尚未同步')",
        "the published keys are kept",
    )
    .await?;
    Ok(page)
}

/// `content` with one byte of its document part changed (a digit of the count, or else the
/// last character of the unit's name replaced).
fn altered_document(content: &str) -> String {
    let parts: Vec<&str> = content.split('.').collect();
    let mut document = domain::canonical::base64url_decode(parts[1]).expect("the document part");
    let at = document
        .windows(8)
        .position(|w| w == b"\"count\":")
        .map_or(document.len() - 3, |i| i + 8);
    document[at] = if document[at] == b'1' { b'2' } else { b'1' };
    format!(
        "{}.{}.{}.{}",
        parts[0],
        base64url(&document),
        parts[2],
        parts[3]
    )
}

/// `content` with one byte of its signature changed.
fn altered_signature(content: &str) -> String {
    let parts: Vec<&str> = content.split('.').collect();
    let mut signature = domain::canonical::base64url_decode(parts[3]).expect("the signature");
    let last = signature.len() - 1;
    signature[last] ^= 0x01;
    format!(
        "{}.{}.{}.{}",
        parts[0],
        parts[1],
        parts[2],
        base64url(&signature)
    )
}

/// The same document signed with a key nobody published (a forger's).
fn forged(content: &str) -> String {
    let parts: Vec<&str> = content.split('.').collect();
    let bytes = domain::canonical::base64url_decode(parts[1]).expect("the document part");
    let form = documents::DocumentForm::from_signed_bytes(&bytes).expect("a document");
    let key = documents::DocumentSigningKey::from_secret(form.bureau, &[7u8; 32])
        .expect("a forger's key");
    documents::SignedDocument::sign(form, &key)
        .expect("signed")
        .qr_content()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_printed_slip_carries_its_signed_qr_code_which_the_verification_page_checks()
-> anyhow::Result<()> {
    let mut scene = ClerkInBrowser::synced("doc-clerk", 2).await?;
    let Deciders {
        mut supervisor,
        mut reviewer,
    } = scene.city.deciders(&scene.department).await;
    let page = &scene.page;

    // A quota-use request through the workflow: signed by the clerk, endorsed, approved.
    let quota = sign_request(page, scene.category, "新设科室，申请使用空编一名").await?;
    page.wait_for_attribute(&item(&quota), "data-status", "accepted")
        .await?;
    supervisor
        .decide("d-doc-endorse", &quota, Action::Endorse, "")
        .await;
    let verdict = reviewer
        .decide("d-doc-approve", &quota, Action::Approve, "同意")
        .await;
    let slip = verdict.slip_number.expect("the approval issued a slip");

    // The server's QR content of the slip, as a reviewer in scope reads it.
    let answer: protocol::documents::DocumentCheck = reviewer
        .client
        .get(&format!(
            "{}?number={}",
            protocol::documents::DOCUMENT_CHECK_PATH,
            urlencode(&slip)
        ))
        .await
        .json()
        .await?;
    let detail = answer
        .detail
        .expect("a reviewer sees the document's detail");
    let content = detail.signed.qr.clone();
    anyhow::ensure!(content.starts_with("DZ1."), "{content}");

    // 1. The print view carries the QR code: decoded from its SVG, it is the server's content.
    page.check("documents_print_qr", async {
        page.reload().await?;
        wait_for_sync(page).await?;
        page.wait_for_attribute(&item(&quota), "data-review", "approved")
            .await?;
        page.click(&format!("{} .outbox-print", item(&quota)))
            .await?;
        page.wait_for_text("#print-number", &slip).await?;
        page.wait_until(
            "document.querySelector('#print-qr-code path')",
            "the QR code",
        )
        .await?;
        let shown = page
            .attribute("#print-qr-code", "data-content")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(shown == content, "the page's content is the server's");
        let path = page
            .attribute("#print-qr-code path", "d")
            .await?
            .unwrap_or_default();
        let view_box = page
            .attribute("#print-qr-code", "viewBox")
            .await?
            .unwrap_or_default();
        let side: usize = view_box
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or_default();
        let decoded = tests::qr::decode_svg_path(&path, side);
        anyhow::ensure!(
            decoded.as_deref() == Some(content.as_str()),
            "the drawn QR code decodes to the server's content: {decoded:?}"
        );
        page.wait_for_text("#print-qr-number", &slip).await?;
        page.wait_for_text("#print-verify-url", "/verify/").await?;
        page.wait_for_attribute("#print-document-status", "data-status", "current")
            .await?;
        // The pull kept the document's status for the verification page (offline: "status as
        // of the last sync"), under the key the page reads.
        let kept = serde_json::to_string(&format!("staffing.verify.status.{slip}"))?;
        page.wait_until(
            &format!("(localStorage.getItem({kept}) || '').startsWith('current ')"),
            "the slip's status kept by the pull for the verification page",
        )
        .await?;
        both_languages(page, "documents_print_slip").await
    })
    .await?;

    // 2. The unit's clerk (signed in) checks it online: genuine, and its status.
    let url = scene.city.server.url_for("/verify/");
    let clerk_tab = verification_page(&scene.browser, &url).await?;
    clerk_tab
        .check("documents_verify_clerk", async {
            let (outcome, _, status) = check(&clerk_tab, &content).await?;
            anyhow::ensure!(
                outcome == "genuine" && status == "current",
                "{outcome} {status}"
            );
            clerk_tab.wait_for_text("#verify-number", &slip).await?;
            clerk_tab
                .wait_for_text("#verify-particulars", "机关事业单位编制使用单")
                .await?;
            both_languages(&clerk_tab, "documents_verify_genuine").await
        })
        .await?;

    // 3. Anyone (no account, another browser): genuine or not and the number, no status.
    let anyone = TestBrowser::launch().await?;
    let hr = verification_page(&anyone, &url).await?;
    hr.check("documents_verify_anyone", async {
        let (outcome, _, status) = check(&hr, &content).await?;
        anyhow::ensure!(
            outcome == "genuine" && status == "hidden",
            "{outcome} {status}"
        );
        let (outcome, _, _) = check(&hr, &slip).await?;
        anyhow::ensure!(outcome == "genuine", "the number alone: {outcome}");
        for (what, bad, reason) in [
            ("document", altered_document(&content), "bad_signature"),
            ("signature", altered_signature(&content), "bad_signature"),
            (
                "truncated",
                content[..content.len() - 30].to_owned(),
                "truncated",
            ),
            ("forged", forged(&content), "foreign_key"),
        ] {
            let (outcome, got, _) = check(&hr, &bad).await?;
            anyhow::ensure!(
                outcome == "not-genuine" && got == reason,
                "{what}: {outcome} {got}"
            );
        }
        both_languages(&hr, "documents_verify_not_genuine").await
    })
    .await?;

    // 4. Offline (the server stopped): genuine from the content and the keys kept here.
    scene.city.server.stop().await?;
    hr.check("documents_verify_offline", async {
        hr.reload().await?;
        hr.wait_for_text("#verify-title", "文书真伪核验").await?;
        let (outcome, _, status) = check(&hr, &content).await?;
        anyhow::ensure!(
            outcome == "genuine" && status == "offline",
            "{outcome} {status}"
        );
        hr.wait_for_text("#verify-status", "状态截至上次同步")
            .await?;
        let (outcome, reason, _) = check(&hr, &altered_document(&content)).await?;
        anyhow::ensure!(outcome == "not-genuine" && reason == "bad_signature");
        // A number alone cannot be checked offline: no verdict either way.
        let (outcome, reason, _) = check(&hr, &slip).await?;
        anyhow::ensure!(outcome == "unchecked" && reason == "needs_network");
        hr.screenshot("documents_verify_offline").await?;
        Ok(())
    })
    .await?;
    scene.city.server.start_again().await?;

    // 5. A bureau reviewer voids the slip in the review pages (a signed decision, reason
    //    required): the page then answers "void".
    let bureau =
        reviewer_in_browser(&scene.city, "doc-reviewer", "bureau_reviewer", CITY_REGION).await?;
    let rev = &bureau.page;
    rev.check("documents_void", async {
        fill(rev, &[("#filter-status", "all")]).await?;
        rev.wait_until(
            &format!("document.querySelector(\"{}\")", row(&quota)),
            "the approved application is listed",
        )
        .await?;
        rev.click(&format!("{} .review-open", row(&quota))).await?;
        rev.wait_for_attribute("#submission", "data-application-id", &quota)
            .await?;
        rev.wait_for_attribute("#submission-document", "data-status", "current")
            .await?;
        rev.click("#decide-void").await?;
        rev.click("#decide-next").await?;
        // No reason: refused before signing.
        rev.wait_for_text("#decide-error", "审批意见").await?;
        fill(rev, &[("#decide-note", "单位撤销本年度招聘计划")]).await?;
        rev.click("#decide-next").await?;
        rev.wait_for_attribute("#confirm-decisions li", "data-action", "void")
            .await?;
        rev.screenshot("documents_void_confirm").await?;
        rev.click("#confirm-decision-sign").await?;
        rev.wait_until(
            &format!(
                "document.querySelector(\"#my-decisions li[data-application-id='{quota}'][data-status='accepted']\")"
            ),
            "the voiding is accepted",
        )
        .await
    })
    .await?;
    clerk_tab
        .check("documents_verify_void", async {
            let (outcome, reason, status) = check(&clerk_tab, &content).await?;
            anyhow::ensure!(
                outcome == "not-genuine" && reason == "void" && status == "void",
                "{outcome} {reason} {status}"
            );
            clerk_tab
                .wait_for_text("#verify-detail", "单位撤销本年度招聘计划")
                .await?;
            both_languages(&clerk_tab, "documents_verify_void").await
        })
        .await?;
    hr.check("documents_verify_void_anyone", async {
        let (outcome, reason, status) = check(&hr, &content).await?;
        anyhow::ensure!(
            outcome == "not-genuine" && reason == "void" && status == "hidden",
            "{outcome} {reason} {status}"
        );
        Ok(())
    })
    .await?;
    // The clerk's print view says so too.
    page.check("documents_print_void", async {
        page.reload().await?;
        wait_for_sync(page).await?;
        page.wait_for_attribute("#print-document-status", "data-status", "void")
            .await?;
        page.screenshot("documents_print_void").await?;
        Ok(())
    })
    .await?;
    Ok(())
}

/// Percent-encodes a query value.
fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Puts a file with `text` into the file input `selector`, as choosing it would.
async fn choose_file(page: &TestPage, selector: &str, text: &str) -> anyhow::Result<()> {
    let script = format!(
        "(() => {{ const dt = new DataTransfer(); \
         dt.items.add(new File([{}], 'audit.json', {{ type: 'application/json' }})); \
         const input = document.querySelector({}); if (!input) return false; \
         input.files = dt.files; input.dispatchEvent(new Event('change', {{ bubbles: true }})); \
         return true; }})()",
        serde_json::to_string(text)?,
        serde_json::to_string(selector)?
    );
    let done: bool = page.eval(&script).await?;
    anyhow::ensure!(done, "no file input at {selector}");
    Ok(())
}

/// Checks the chain on the auditor's page; `(outcome, first broken entry)`.
async fn check_audit(page: &TestPage) -> anyhow::Result<(String, String)> {
    page.eval::<bool>(
        "(() => { document.querySelector('#audit-result')?.remove(); return true; })()",
    )
    .await?;
    page.click("#audit-check").await?;
    page.wait_until(
        "document.querySelector('#audit-result')",
        "the auditor's answer",
    )
    .await?;
    let outcome = page
        .attribute("#audit-result", "data-outcome")
        .await?
        .unwrap_or_default();
    let first = page
        .attribute("#audit-result", "data-first-broken")
        .await?
        .unwrap_or_default();
    Ok((outcome, first))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exported_audit_chain_checks_on_the_auditors_page_until_an_entry_is_altered()
-> anyhow::Result<()> {
    let city = tests::scenario::City::start().await;
    let mut review = city.review().await;
    let (unit, category) = (review.unit.clone(), review.category);
    review
        .clerk
        .file_quota_use("q-audit", &unit, category, 1)
        .await;
    review
        .supervisor
        .decide("q-audit-e", "q-audit", Action::Endorse, "同意上报")
        .await;
    review
        .reviewer
        .decide("q-audit-a", "q-audit", Action::Approve, "同意")
        .await;

    // The chain exported by the server's command.
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("audit.json");
    let out = city
        .server
        .run_command(&["export-audit", file.to_str().unwrap_or_default()])?;
    anyhow::ensure!(out.status.success(), "export-audit: {out:?}");
    let exported = std::fs::read_to_string(&file)?;

    let browser = TestBrowser::launch().await?;
    let page = browser.open(&city.server.url_for("/verify/#audit")).await?;
    laptop(&page).await?;
    page.check("documents_audit", async {
        page.wait_for_attribute("#tab-audit", "class", "tab active")
            .await?;
        choose_file(&page, "#audit-chain", &exported).await?;
        // Against the head the export carries, then the server's current head.
        let (outcome, _) = check_audit(&page).await?;
        anyhow::ensure!(outcome == "intact", "the export's own head: {outcome}");
        page.click("#audit-fetch-head").await?;
        page.wait_until(
            "document.querySelector('#audit-head-fetched')",
            "the head is fetched",
        )
        .await?;
        let (outcome, _) = check_audit(&page).await?;
        anyhow::ensure!(outcome == "intact", "the server's head: {outcome}");
        both_languages(&page, "documents_audit_intact").await?;

        // One entry altered: named as the first broken link.
        let mut altered: serde_json::Value = serde_json::from_str(&exported)?;
        let entries = altered["entries"]
            .as_array_mut()
            .ok_or_else(|| anyhow::anyhow!("no entries"))?;
        let k = entries.len() / 2;
        let target = entries[k]["target"].as_str().unwrap_or_default().to_owned();
        entries[k]["target"] = serde_json::Value::String(format!("{target}x"));
        choose_file(&page, "#audit-chain", &serde_json::to_string(&altered)?).await?;
        let (outcome, first) = check_audit(&page).await?;
        anyhow::ensure!(
            outcome == "broken" && first == (k + 1).to_string(),
            "{outcome} at {first}, altered {}",
            k + 1
        );
        page.wait_for_text("#audit-reason", &format!("第 {} 条", k + 1))
            .await?;
        both_languages(&page, "documents_audit_broken").await
    })
    .await?;
    Ok(())
}
