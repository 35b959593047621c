//! The client in headless Chromium against the real server: the Chinese sign-in page, start
//! without the server, reachability coming back, and the virtual security key.

use tests::scenario::AppInBrowser;

const CONNECTIVITY: &str = "#connectivity";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_loads_and_shows_the_chinese_sign_in_page() -> anyhow::Result<()> {
    let app = AppInBrowser::open().await?;
    let page = &app.page;
    page.check("sign_in_page", async {
        page.wait_for_text("#sign-in h1", "使用安全密钥登录")
            .await?;
        page.wait_for_text("label[for=sign-in-login]", "登录名")
            .await?;
        let enabled: bool = page
            .eval("!document.querySelector('#sign-in-button').disabled")
            .await?;
        assert!(enabled, "security-key sign-in is available");
        assert_eq!(
            page.eval::<String>("document.documentElement.lang").await?,
            "zh-CN"
        );
        page.wait_for_attribute(CONNECTIVITY, "data-connectivity", "online")
            .await?;
        page.wait_for_text(CONNECTIVITY, "在线").await?;

        // English on request, remembered across a reload.
        page.click("#lang-switch").await?;
        page.wait_for_text("#sign-in h1", "Sign in with your security key")
            .await?;
        page.reload().await?;
        page.wait_for_text("#sign-in h1", "Sign in with your security key")
            .await?;
        assert_eq!(
            page.eval::<String>("document.documentElement.lang").await?,
            "en"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_one_visit_the_app_starts_offline_and_sees_the_server_return() -> anyhow::Result<()> {
    let mut app = AppInBrowser::open().await?;
    let page = &app.page;
    page.check("offline_start", async {
        page.wait_for_text("#sign-in h1", "使用安全密钥登录")
            .await?;
        page.wait_for_attribute(CONNECTIVITY, "data-connectivity", "online")
            .await?;
        // The service worker has installed the shell and controls the page.
        page.call::<bool>("async () => { await navigator.serviceWorker.ready; return true; }")
            .await?;
        page.wait_until(
            "navigator.serviceWorker.controller",
            "service worker controls the page",
        )
        .await?;

        app.server.stop().await?;
        page.reload().await?;
        page.wait_for_text("#sign-in h1", "使用安全密钥登录")
            .await?;
        page.wait_for_attribute(CONNECTIVITY, "data-connectivity", "offline")
            .await?;
        page.wait_for_text(CONNECTIVITY, "离线").await?;
        page.wait_for_text(".offline-banner", "离线").await?;

        // The server comes back: the indicator follows without a reload.
        app.server.start_again().await?;
        page.wait_for_attribute(CONNECTIVITY, "data-connectivity", "online")
            .await?;
        page.wait_for_text(CONNECTIVITY, "在线").await?;
        let banner: bool = page
            .eval("document.querySelector('.offline-banner') !== null")
            .await?;
        assert!(
            !banner,
            "the offline banner must go when the server is back"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_virtual_security_key_creates_and_gets_a_credential() -> anyhow::Result<()> {
    let app = AppInBrowser::open().await?;
    let page = &app.page;
    let authenticator = page.add_virtual_authenticator().await?;
    page.check("virtual_authenticator", async {
        let outcome: serde_json::Value = page.call(CREATE_AND_GET).await?;
        assert_eq!(outcome["createType"], "public-key", "{outcome}");
        assert_eq!(outcome["getType"], "public-key", "{outcome}");
        assert_eq!(outcome["sameId"], true, "{outcome}");
        // Flags of the assertion's authenticator data: user present and user verified.
        assert_eq!(outcome["userPresent"], true, "{outcome}");
        assert_eq!(outcome["userVerified"], true, "{outcome}");
        assert_eq!(
            outcome["signatureBytes"].as_u64().map(|n| n > 0),
            Some(true),
            "{outcome}"
        );
        let held = page.authenticator_credentials(&authenticator).await?;
        assert_eq!(
            held.len(),
            1,
            "the key holds exactly the credential created"
        );
        assert_eq!(held[0].rp_id.as_deref(), Some("localhost"));
        Ok(())
    })
    .await
}

/// Registers a credential with the options our enrolment will use, then asserts with it
/// over a challenge chosen by the page (as offline signing will).
const CREATE_AND_GET: &str = r#"async () => {
  const random = (n) => crypto.getRandomValues(new Uint8Array(n));
  const created = await navigator.credentials.create({ publicKey: {
    rp: { id: "localhost", name: "电子编制管理证" },
    user: { id: random(16), name: "clerk@example", displayName: "经办人" },
    challenge: random(32),
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    authenticatorSelection: { authenticatorAttachment: "cross-platform",
                              userVerification: "required", residentKey: "discouraged" },
    attestation: "direct",
  }});
  const challenge = new Uint8Array(await crypto.subtle.digest("SHA-256",
    new TextEncoder().encode('{"kind":"quota_use"}')));
  const got = await navigator.credentials.get({ publicKey: {
    rpId: "localhost", challenge, userVerification: "required",
    allowCredentials: [{ type: "public-key", id: created.rawId }],
  }});
  const flags = new Uint8Array(got.response.authenticatorData)[32];
  const same = new Uint8Array(created.rawId).join() === new Uint8Array(got.rawId).join();
  return { createType: created.type, getType: got.type, sameId: same,
           userPresent: (flags & 1) === 1, userVerified: (flags & 4) === 4,
           signatureBytes: got.response.signature.byteLength };
}"#;
