//! The HTTP surface without a browser: health, JSON errors, security headers, cache policy.

use protocol::{ComponentStatus, ErrorBody, HealthResponse};
use tests::server::TestServer;

async fn get(server: &TestServer, path: &str) -> anyhow::Result<reqwest::Response> {
    // Loopback only: the server binds 127.0.0.1.
    let url = format!("http://127.0.0.1:{}{path}", server.port());
    Ok(reqwest::get(url).await?)
}

#[tokio::test]
async fn health_reports_version_and_database() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let response = get(&server, "/api/health").await?;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let health: HealthResponse = response.json().await?;
    assert_eq!(health.status, ComponentStatus::Ok);
    assert_eq!(health.database, ComponentStatus::Ok);
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
    Ok(())
}

#[tokio::test]
async fn unknown_api_paths_answer_a_json_error_body() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    for path in ["/api/nothing-here", "/api"] {
        let response = get(&server, path).await?;
        assert_eq!(response.status(), 404, "{path}");
        let body: ErrorBody = response.json().await?;
        assert_eq!(body.code, "not_found");
        assert!(!body.message.is_empty());
    }
    Ok(())
}

#[tokio::test]
async fn every_response_carries_the_security_headers() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    for path in ["/", "/api/health", "/api/missing", "/sign-in"] {
        let response = get(&server, path).await?;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str()?;
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
    }
    Ok(())
}

#[tokio::test]
async fn the_shell_is_revalidated_and_hashed_assets_are_immutable() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let index = get(&server, "/").await?;
    assert_eq!(
        index.status(),
        200,
        "is the client built? run `cargo xtask test`"
    );
    assert_eq!(index.headers()["cache-control"], "no-cache");
    let html = index.text().await?;
    assert!(
        !html.contains("<script type=\"module\">") && !html.contains("<script type=module>"),
        "inline boot script left in index.html"
    );

    // Client-side routes get the shell; a missing file does not.
    let route = get(&server, "/sign-in").await?;
    assert_eq!(route.status(), 200);
    assert_eq!(route.text().await?, html);
    assert_eq!(get(&server, "/no-such-file.js").await?.status(), 404);

    let sw = get(&server, "/sw.js").await?;
    assert_eq!(sw.status(), 200);
    assert_eq!(sw.headers()["cache-control"], "no-cache");
    let sw = sw.text().await?;
    assert!(
        !sw.contains("__ASSETS__"),
        "the service worker's asset list was not written"
    );

    // Every hashed file the shell references is served as immutable.
    let mut hashed = 0;
    for asset in referenced_paths(&html) {
        let response = get(&server, &asset).await?;
        assert_eq!(response.status(), 200, "{asset}");
        if server::static_files::is_content_hashed(&asset) {
            assert_eq!(
                response.headers()["cache-control"],
                server::static_files::IMMUTABLE,
                "{asset}"
            );
            hashed += 1;
        }
        assert!(
            sw.contains(&format!("\"{asset}\"")),
            "{asset} is not in the service worker"
        );
    }
    assert!(
        hashed >= 3,
        "expected the boot script, JS glue and CSS to be hashed"
    );
    Ok(())
}

#[tokio::test]
async fn each_bundle_answers_its_routes_and_the_worker_precaches_every_bundle() -> anyhow::Result<()>
{
    let server = TestServer::start().await?;
    let main = get(&server, "/").await?.text().await?;
    let sw = get(&server, "/sw.js").await?.text().await?;
    for (route, prefix) in [
        ("/review", "/review/"),
        ("/reports", "/reports/"),
        ("/admin/holders", "/admin/"),
        ("/admin/oversight", "/admin/"),
    ] {
        let response = get(&server, route).await?;
        assert_eq!(response.status(), 200, "{route}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{route}");
        let html = response.text().await?;
        assert_ne!(html, main, "{route} got the main bundle's shell");
        let assets = referenced_paths(&html);
        let wasm = assets
            .iter()
            .find(|p| p.ends_with(".wasm"))
            .expect("the shell preloads the wasm module");
        assert!(wasm.starts_with(prefix), "{route}: {wasm}");
        for asset in assets.iter().filter(|a| a.starts_with(prefix)) {
            assert_eq!(get(&server, asset).await?.status(), 200, "{asset}");
            assert!(
                sw.contains(&format!("\"{asset}\"")),
                "{asset} is not in the service worker"
            );
        }
        assert!(
            sw.contains(&format!("\"{prefix}\"")),
            "{prefix}'s shell is not in the service worker"
        );
    }
    // The main bundle's routes, wherever they lead.
    for route in [
        "/certificate/620502-0012/staff",
        "/person/620502-0012",
        "/apply",
    ] {
        assert_eq!(get(&server, route).await?.text().await?, main, "{route}");
    }
    Ok(())
}

#[tokio::test]
async fn large_text_answers_are_compressed() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let html = get(&server, "/").await?.text().await?;
    let wasm = referenced_paths(&html)
        .into_iter()
        .find(|p| p.ends_with(".wasm"))
        .expect("the shell preloads the wasm module");
    let client = reqwest::Client::new();
    let response = client
        .get(format!("http://127.0.0.1:{}{wasm}", server.port()))
        .header("accept-encoding", "gzip")
        .send()
        .await?;
    assert_eq!(response.headers()["content-encoding"], "gzip");
    Ok(())
}

/// Every `href="/…"` and `src="/…"` in the HTML.
fn referenced_paths(html: &str) -> Vec<String> {
    // The release shell is minified: attribute values may be quoted or not.
    let mut paths = Vec::new();
    for attr in ["href=", "src="] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let value = rest.strip_prefix('"').unwrap_or(rest);
            let end = value
                .find(|c: char| c == '"' || c == '>' || c.is_whitespace())
                .unwrap_or(value.len());
            if value.starts_with('/') {
                paths.push(value[..end].to_owned());
            }
        }
    }
    paths.sort();
    paths.dedup();
    paths
}

#[tokio::test]
async fn a_malformed_json_body_gets_the_json_error_body() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    let response = reqwest::Client::new()
        .post(format!(
            "http://127.0.0.1:{}/api/session/begin",
            server.port()
        ))
        .header("content-type", "application/json")
        .body("{\"login\": ")
        .send()
        .await?;
    assert_eq!(response.status(), 400);
    let body: ErrorBody = response.json().await?;
    assert_eq!(body.code, "bad_request");
    assert!(body.message.starts_with("请求内容无效"), "{}", body.message);
    Ok(())
}
