//! Key holders with a software security key (webauthn-authenticator-rs `SoftToken`), talking
//! to the real server over HTTP as a browser would: our `Origin` on every request, the session
//! cookie and CSRF token once signed in, assertions over a caller-chosen challenge for offline
//! signing.

use domain::canonical::{base64url, sha256};
use protocol::ErrorBody;
use protocol::identity::{
    CeremonyBegun, CeremonyFinish, EnrolBeginRequest, Enrolled, HolderCreated, NewHolder,
    SessionInfo, SignInBeginRequest, SignedSubmission,
};
use serde::Serialize;
use webauthn_authenticator_rs::prelude::{
    CreationChallengeResponse, RequestChallengeResponse, Url, WebauthnAuthenticator,
};
use webauthn_authenticator_rs::softtoken::SoftToken;

use crate::server::TestServer;

/// A browser-like HTTP client for one server.
pub struct ApiClient {
    pub http: reqwest::Client,
    /// Sent as `Origin` (the server's public origin unless a test changes it).
    pub origin: String,
    /// Where requests go (loopback).
    pub base: String,
    /// `name=value` of the session cookie, once signed in.
    pub cookie: Option<String>,
    /// The session's CSRF token, once signed in.
    pub csrf: Option<String>,
}

impl ApiClient {
    pub fn new(server: &TestServer) -> Self {
        Self {
            http: reqwest::Client::new(),
            origin: server.config().public_origin.clone(),
            base: format!("http://127.0.0.1:{}", server.port()),
            cookie: None,
            csrf: None,
        }
    }

    /// Adds `Origin`, and the cookie and CSRF header when there is a session.
    pub fn with_session(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let mut request = request.header("origin", &self.origin);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(csrf) = &self.csrf {
            request = request.header(protocol::identity::CSRF_HEADER, csrf);
        }
        request
    }

    pub async fn post(&self, path: &str, body: &impl Serialize) -> reqwest::Response {
        self.with_session(self.http.post(format!("{}{path}", self.base)).json(body))
            .send()
            .await
            .expect("the test server answers")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.with_session(self.http.get(format!("{}{path}", self.base)))
            .send()
            .await
            .expect("the test server answers")
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        self.with_session(self.http.delete(format!("{}{path}", self.base)))
            .send()
            .await
            .expect("the test server answers")
    }
}

/// The status and error code of an error answer.
pub async fn error_code(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: ErrorBody = response.json().await.expect("an ErrorBody");
    (status, body.code)
}

/// Creates a key holder named 测试人员 through the server library (as `server create-holder`
/// does).
pub async fn create_holder(
    server: &TestServer,
    login: &str,
    role: &str,
    scope: &str,
) -> HolderCreated {
    create_named_holder(
        server,
        &NewHolder {
            login: login.into(),
            name: "测试人员".into(),
            role: role.into(),
            scope: scope.into(),
            phone: String::new(),
        },
    )
    .await
}

/// Creates the key holder `new` through the server library.
pub async fn create_named_holder(server: &TestServer, new: &NewHolder) -> HolderCreated {
    let pool = server.database().await.expect("the test database opens");
    let created = server::identity::create_holder(&pool, new, server.config())
        .await
        .expect("the holder is created");
    pool.close().await;
    created
}

/// A key holder with an enrolled software key.
pub struct KeyHolder {
    pub token: SoftToken,
    pub created: HolderCreated,
    /// The holder's id (as `SignedEnvelope::signer`).
    pub id: String,
    /// The enrolled credential, base64url.
    pub credential_id: String,
    pub client: ApiClient,
}

impl KeyHolder {
    /// Creates a holder, enrols a fresh soft token and signs in.
    pub async fn signed_in(server: &TestServer, login: &str, role: &str, scope: &str) -> KeyHolder {
        let mut holder =
            Self::enrolled(server, create_holder(server, login, role, scope).await).await;
        holder.sign_in().await;
        holder
    }

    /// Enrols a fresh soft token with `created`'s code (not signed in).
    pub async fn enrolled(server: &TestServer, created: HolderCreated) -> KeyHolder {
        let (token, _ca) = SoftToken::new(true).expect("a soft token");
        Self::enrol(server, created, token)
            .await
            .expect("enrolment succeeds")
    }

    /// Enrols `token`; the server's error code when it refuses.
    pub async fn enrol(
        server: &TestServer,
        created: HolderCreated,
        mut token: SoftToken,
    ) -> Result<KeyHolder, String> {
        let client = ApiClient::new(server);
        let origin = Url::parse(&client.origin).expect("a URL origin");
        let begun: CeremonyBegun = client
            .post(
                "/api/enrolment/begin",
                &EnrolBeginRequest {
                    code: created.enrolment_code.clone(),
                },
            )
            .await
            .json()
            .await
            .expect("creation options");
        let options: CreationChallengeResponse =
            serde_json::from_value(begun.options).expect("WebAuthn JSON");
        let credential = token
            .do_registration(origin, options)
            .expect("the soft token registers");
        let response = client
            .post(
                "/api/enrolment/finish",
                &CeremonyFinish {
                    ceremony: begun.ceremony,
                    credential: serde_json::to_value(credential).expect("JSON"),
                },
            )
            .await;
        if response.status() != 200 {
            return Err(error_code(response).await.1);
        }
        let enrolled: Enrolled = response.json().await.expect("Enrolled");
        Ok(KeyHolder {
            token,
            id: created.holder.id.clone(),
            credential_id: enrolled.credential_id,
            created,
            client,
        })
    }

    /// Signs in with the key; keeps the cookie and CSRF token; checks the cookie's attributes.
    pub async fn sign_in(&mut self) -> SessionInfo {
        let origin = Url::parse(&self.client.origin).expect("a URL origin");
        let begun: CeremonyBegun = self
            .client
            .post(
                "/api/session/begin",
                &SignInBeginRequest {
                    login: self.created.holder.login.clone(),
                },
            )
            .await
            .json()
            .await
            .expect("request options");
        let options: RequestChallengeResponse =
            serde_json::from_value(begun.options).expect("WebAuthn JSON");
        let credential = self
            .token
            .do_authentication(origin, options)
            .expect("the soft token signs");
        let response = self
            .client
            .post(
                "/api/session/finish",
                &CeremonyFinish {
                    ceremony: begun.ceremony,
                    credential: serde_json::to_value(credential).expect("JSON"),
                },
            )
            .await;
        assert_eq!(response.status(), 200, "sign-in");
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .expect("ASCII")
            .to_owned();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("Secure")
                && cookie.contains("SameSite=Strict")
        );
        self.client.cookie = cookie.split(';').next().map(str::to_owned);
        let info: SessionInfo = response.json().await.expect("SessionInfo");
        self.client.csrf = Some(info.csrf_token.clone());
        info
    }

    /// Tries to sign in with the key and asserts the server refuses (`sign_in_failed`): a
    /// revoked key, a suspended holder, a demo-enrolled key in production mode.
    pub async fn sign_in_again_refused(&mut self) {
        let origin = Url::parse(&self.client.origin).expect("a URL origin");
        let begun: CeremonyBegun = self
            .client
            .post(
                "/api/session/begin",
                &SignInBeginRequest {
                    login: self.created.holder.login.clone(),
                },
            )
            .await
            .json()
            .await
            .expect("request options");
        let options: RequestChallengeResponse =
            serde_json::from_value(begun.options).expect("WebAuthn JSON");
        // The options may name no key of this token (a decoy): then the token cannot answer,
        // which is a refusal too.
        let Ok(credential) = self.token.do_authentication(origin, options) else {
            return;
        };
        let response = self
            .client
            .post(
                "/api/session/finish",
                &CeremonyFinish {
                    ceremony: begun.ceremony,
                    credential: serde_json::to_value(credential).expect("JSON"),
                },
            )
            .await;
        assert_eq!(error_code(response).await, (422, "sign_in_failed".into()));
    }

    /// Signs `bytes` as the browser does offline: challenge = SHA-256(bytes), this key only,
    /// user verification required; no server involved.
    pub fn sign(&mut self, bytes: &[u8]) -> SignedSubmission {
        let options: RequestChallengeResponse = serde_json::from_value(serde_json::json!({
            "publicKey": {
                "challenge": base64url(&sha256(bytes)),
                "rpId": "localhost",
                "allowCredentials": [{ "type": "public-key", "id": self.credential_id }],
                "userVerification": "required",
                "timeout": 60000
            }
        }))
        .expect("request options");
        let origin = Url::parse(&self.client.origin).expect("a URL origin");
        let pkc = self
            .token
            .do_authentication(origin, options)
            .expect("the soft token signs");
        SignedSubmission {
            envelope: base64url(bytes),
            credential_id: base64url(&pkc.raw_id),
            client_data_json: base64url(&pkc.response.client_data_json),
            authenticator_data: base64url(&pkc.response.authenticator_data),
            signature: base64url(&pkc.response.signature),
        }
    }
}
