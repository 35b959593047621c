//! Hostile input over HTTP (issue 15): sign-in assertions whose clientData a browser would
//! only write inside a cross-origin frame, and bodies over the size limit.

use tests::keys::error_code;
use tests::scenario::City;

#[tokio::test]
async fn sign_in_refuses_client_data_of_a_cross_origin_frame() {
    let city = City::start().await;
    let unit = city.units().await.remove(0);
    let mut holder = city.clerk("cross-frame", &unit).await;
    // The control: our own clientDataJSON as a top-level page writes it signs in.
    let response = holder
        .sign_in_with_client_data(|cd| {
            cd.insert("crossOrigin".into(), false.into());
        })
        .await;
    assert_eq!(response.status(), 200);
    // `crossOrigin: true`, and a `topOrigin` (only present in a cross-origin frame).
    let response = holder
        .sign_in_with_client_data(|cd| {
            cd.insert("crossOrigin".into(), true.into());
        })
        .await;
    assert_eq!(error_code(response).await, (422, "sign_in_failed".into()));
    let response = holder
        .sign_in_with_client_data(|cd| {
            cd.insert("topOrigin".into(), "https://evil.example".into());
        })
        .await;
    assert_eq!(error_code(response).await, (422, "sign_in_failed".into()));
    // What webauthn-rs already checks stays checked: another origin, another type.
    let response = holder
        .sign_in_with_client_data(|cd| {
            cd.insert("origin".into(), "https://evil.example".into());
        })
        .await;
    assert_eq!(error_code(response).await, (422, "sign_in_failed".into()));
    let response = holder
        .sign_in_with_client_data(|cd| {
            cd.insert("type".into(), "webauthn.create".into());
        })
        .await;
    assert_eq!(error_code(response).await, (422, "sign_in_failed".into()));
}

/// Security headers every answer carries, errors included.
const SECURITY_HEADERS: [&str; 5] = [
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "cache-control",
];

#[tokio::test]
async fn a_body_over_the_limit_is_413_with_the_error_body_and_the_headers() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let city = City::start().await;
    let unit = city.units().await.remove(0);
    let clerk = city.clerk("big-body", &unit).await;
    let limit = server::startup::MAX_BODY_BYTES;

    // A declared length over the limit: refused before the body is read (and before the
    // session is looked at).
    let big = serde_json::json!({ "submissions": [{ "envelope": "A".repeat(limit) }] });
    for client in [&clerk.client, &tests::keys::ApiClient::new(&city.server)] {
        let response = client.post("/api/envelopes", &big).await;
        for name in SECURITY_HEADERS {
            assert!(response.headers().contains_key(name), "{name} is missing");
        }
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let body: protocol::ErrorBody = response.json().await.unwrap();
        assert_eq!(body.code, "payload_too_large");
        assert!(body.message.contains("1 MiB"), "{}", body.message);
    }
    // Just under the limit is read (and refused for what it is, not for its size).
    let small = serde_json::json!({ "login": "x".repeat(limit - 100) });
    let response = clerk.client.post("/api/session/begin", &small).await;
    assert_ne!(response.status(), 413);

    // A chunked body with no declared length, running past the limit while it is read.
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", city.server.port()))
        .await
        .unwrap();
    let head = format!(
        "POST /api/session/begin HTTP/1.1\r\nhost: localhost\r\norigin: {}\r\n\
         content-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        city.server.config().public_origin
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "A".repeat(64 * 1024));
    for _ in 0..(limit / (64 * 1024) + 2) {
        // The server may answer and close before the body ends.
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).to_lowercase();
    assert!(answer.starts_with("http/1.1 413"), "{answer}");
    for name in SECURITY_HEADERS {
        assert!(
            answer.contains(&format!("\r\n{name}: ")),
            "{name} is missing"
        );
    }
    assert!(
        answer.contains("\"code\":\"payload_too_large\""),
        "{answer}"
    );
}
