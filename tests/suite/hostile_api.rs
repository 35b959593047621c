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

#[tokio::test]
async fn unverified_submissions_are_kept_without_bytes_and_bounded_per_holder_and_day() {
    use protocol::identity::VerdictStatus;
    use server::signed::receiver::MAX_UNVERIFIED_PER_DAY;
    use tests::schema;

    let city = City::start().await;
    let scene = city.clerk_with_vacancy().await;
    let mut clerk = scene.clerk;
    let bound = usize::try_from(MAX_UNVERIFIED_PER_DAY).unwrap();
    // A genuine request, then its signature spoilt: refused at the signature check.
    let genuine = clerk.sign_quota_use("bound-1", &scene.unit, scene.category, 1);
    let mut forged = genuine.clone();
    forged.signature = domain::canonical::base64url(&[0x30; 72]);
    // Large bytes no key vouches for: refused before the signature check.
    let junk = |n: usize| {
        let mut s = genuine.clone();
        s.envelope = domain::canonical::base64url(format!("{n:>4000}").as_bytes());
        s
    };
    let mut sent = vec![forged];
    sent.extend((0..bound + 9).map(junk));
    let mut verdicts = Vec::new();
    for chunk in sent.chunks(50) {
        verdicts.extend(clerk.push(chunk.to_vec()).await);
    }
    assert_eq!(verdicts.len(), bound + 10);
    assert!(
        verdicts.iter().all(|v| v.status == VerdictStatus::Rejected),
        "{:?}",
        verdicts
            .iter()
            .find(|v| v.status != VerdictStatus::Rejected)
    );
    assert_eq!(verdicts[0].code.as_deref(), Some("signature_invalid"));
    assert!(verdicts[1..].iter().all(|v| v.code == verdicts[1].code));
    // Every one counted; the first `bound` recorded, without their raw bytes; the rest not.
    let pool = &city.pool;
    assert_eq!(
        schema::unverified_count(pool, &clerk.id).await,
        i64::try_from(bound + 10).unwrap()
    );
    let sizes = schema::unverified_envelope_sizes(pool).await;
    assert_eq!(sizes.len(), bound);
    assert!(sizes.iter().all(|s| *s == (0, 0, 0, 0)), "{sizes:?}");
    assert_eq!(schema::audit_count(pool, "envelope.reject").await, bound);
    // The bound holds back nothing genuine: the request itself is accepted, kept whole.
    let verdict = clerk.push(vec![genuine.clone()]).await.remove(0);
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    let stored = schema::verified_envelope_bytes(pool, "bound-1").await;
    assert_eq!(
        domain::canonical::base64url(&stored),
        genuine.envelope,
        "the accepted envelope's bytes are kept"
    );
    // The audit chain verifies.
    let output = city.server.command(&["verify-audit"]).unwrap();
    assert!(output.status.success(), "{output:?}");
}

#[tokio::test]
async fn an_https_origin_gets_hsts_and_a_host_prefixed_session_cookie() {
    let hsts = server::static_files::STRICT_TRANSPORT_SECURITY;
    // Behind a TLS proxy: the public origin is https.
    let city = City::start_configured(|config| {
        config.public_origin = "https://localhost:0".into();
    })
    .await;
    assert!(city.server.config().public_origin.starts_with("https://"));
    let unit = city.units().await.remove(0);
    let clerk = city.clerk("tls-clerk", &unit).await;
    let cookie = clerk.client.cookie.clone().unwrap();
    assert!(cookie.starts_with("__Host-dzbz_session="), "{cookie}");
    for path in ["/api/health", "/api/session", "/no-such-page"] {
        let response = clerk.client.get(path).await;
        assert_eq!(
            response.headers()["strict-transport-security"],
            hsts,
            "{path}"
        );
    }
    assert_eq!(clerk.client.get("/api/session").await.status(), 200);
    // The token under the name without the prefix is no session.
    let mut renamed = tests::keys::ApiClient::new(&city.server);
    renamed.cookie = Some(cookie.replacen("__Host-", "", 1));
    assert_eq!(renamed.get("/api/session").await.status(), 401);
    // Signing out clears the prefixed cookie: Secure, Path=/, no Domain (what `__Host-` asks).
    let response = clerk.client.delete("/api/session").await;
    let cleared = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cleared.starts_with("__Host-dzbz_session=;"), "{cleared}");
    assert!(
        cleared.contains("; Secure") && cleared.contains("; Path=/"),
        "{cleared}"
    );
    assert!(!cleared.to_lowercase().contains("domain="), "{cleared}");

    // On http (development at http://localhost): no HSTS, the plain name.
    let plain = City::start().await;
    let clerk = plain.clerk("plain-clerk", &unit).await;
    assert!(
        clerk
            .client
            .cookie
            .as_deref()
            .unwrap()
            .starts_with("dzbz_session=")
    );
    let response = clerk.client.get("/api/health").await;
    assert!(!response.headers().contains_key("strict-transport-security"));
}
