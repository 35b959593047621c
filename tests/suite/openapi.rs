//! The OpenAPI document as a client gets it: `GET /api/openapi.json` from the real server.

use serde_json::Value;
use tests::server::TestServer;

#[tokio::test]
async fn the_openapi_document_lists_the_api_and_its_rejection_codes() -> anyhow::Result<()> {
    let server = TestServer::start().await?;
    // Loopback only: the server binds 127.0.0.1.
    let url = format!(
        "http://127.0.0.1:{}{}",
        server.port(),
        protocol::OPENAPI_PATH
    );
    let response = reqwest::get(url).await?;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str()?.to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let doc: Value = serde_json::from_str(&response.text().await?)?;

    let version = doc["openapi"].as_str().unwrap_or_default();
    assert!(version.starts_with("3."), "openapi: {version}");
    assert_eq!(doc["info"]["title"], "电子编制管理证 API");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));

    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        (protocol::identity::ENVELOPES_PATH, "post"),
        (protocol::identity::DECISIONS_PATH, "post"),
        (protocol::sync::SYNC_PULL_PATH, "get"),
        (protocol::HEALTH_PATH, "get"),
        (protocol::identity::SESSION_PATH, "delete"),
        (protocol::documents::DOCUMENT_KEYS_PATH, "get"),
        (protocol::documents::DOCUMENT_CHECK_PATH, "get"),
        (protocol::documents::AUDIT_HEAD_PATH, "get"),
    ] {
        assert!(paths[path].get(method).is_some(), "{method} {path} missing");
    }

    let codes: Vec<&str> = doc["components"]["schemas"]["RejectionCode"]["enum"]
        .as_array()
        .expect("RejectionCode is an enumeration")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // Codes of the verifier, of both endpoints and of request errors.
    for code in [
        "signature_invalid",
        "challenge_mismatch",
        "counter_regression",
        "application_id_reused",
        "transition_not_allowed",
        "csrf_invalid",
        "unauthenticated",
    ] {
        assert!(codes.contains(&code), "{code} missing from RejectionCode");
    }
    Ok(())
}
