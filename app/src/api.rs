//! The typed HTTP client: the only module that builds URLs or calls `fetch`.
//!
//! Requests are same-origin, so the browser sends the session cookie by itself; every
//! state-changing request after sign-in also carries the session's CSRF token in
//! [`protocol::identity::CSRF_HEADER`].

use gloo_net::http::{Request, RequestBuilder, Response};
use protocol::identity::{
    CSRF_HEADER, CeremonyBegun, CeremonyFinish, ENROL_BEGIN_PATH, ENROL_FINISH_PATH,
    ENVELOPES_PATH, EnrolBeginRequest, Enrolled, SESSION_PATH, SIGN_IN_BEGIN_PATH,
    SIGN_IN_FINISH_PATH, SessionInfo, SignInBeginRequest, SubmitRequest, SubmitResponse,
};
use protocol::{ErrorBody, HealthResponse};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use web_sys::RequestCache;

use crate::i18n::{Lang, Msg};

/// How long a reachability probe may take before the server counts as unreachable.
pub const PROBE_TIMEOUT_MS: u32 = 5_000;
/// How long any other call may take.
pub const CALL_TIMEOUT_MS: u32 = 20_000;
/// Records per pull page asked for: about 3 MB of JSON, 0.5 MB gzipped — within
/// [`CALL_TIMEOUT_MS`] down to about 250 kbit/s, and a fifth of the requests (and IndexedDB
/// transactions) of the server's default for a city.
pub const PULL_PAGE_RECORDS: u32 = 5_000;

/// Why a call to the server failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: offline, server down, timed out.
    Network(String),
    /// The server answered with an error status (and, usually, an [`ErrorBody`]).
    Status {
        status: u16,
        body: Option<ErrorBody>,
    },
    /// The answer did not have the expected form.
    Decode(String),
}

impl ApiError {
    /// Whether the server said the session is missing or expired (HTTP 401).
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Status { status: 401, .. })
    }

    /// Whether the server refused the CSRF token (403 `csrf_invalid`): the session was replaced,
    /// e.g. by a sign-in in another tab.
    pub fn is_csrf_refused(&self) -> bool {
        matches!(
            self,
            ApiError::Status { status: 403, body: Some(body) } if body.code == "csrf_invalid"
        )
    }

    /// Whether the server failed on the request (500; a 503 is the server saying it is down).
    pub fn is_server_failure(&self) -> bool {
        matches!(self, ApiError::Status { status: 500, .. })
    }

    /// Whether a gateway answered for a server that did not (502, 503, 504).
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            ApiError::Status {
                status: 502..=504,
                ..
            }
        )
    }

    /// Whether no answer came (the call may be retried later).
    pub fn is_network(&self) -> bool {
        matches!(self, ApiError::Network(_))
    }

    /// The text the interface shows: the server's own message in `lang` when it sent one (its
    /// English one in the English interface, when it sent that too), otherwise a message of ours.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ApiError::Network(_) => Msg::ApiNetwork.text(lang).to_owned(),
            ApiError::Status {
                body: Some(body), ..
            } if !body.message.trim().is_empty() => match (&body.message_en, lang) {
                (Some(english), Lang::En) if !english.trim().is_empty() => english.clone(),
                _ => body.message.clone(),
            },
            ApiError::Status { status, .. } => {
                format!("{}（HTTP {status}）", Msg::ApiStatus.text(lang))
            }
            ApiError::Decode(_) => Msg::ApiDecode.text(lang).to_owned(),
        }
    }
}

/// `GET /api/health`, bypassing every cache, with a timeout.
pub async fn health() -> Result<HealthResponse, ApiError> {
    let signal = web_sys::AbortSignal::timeout_with_u32(PROBE_TIMEOUT_MS);
    let response = Request::get(protocol::HEALTH_PATH)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

/// `POST /api/enrolment/begin`: the creation options for a one-time enrolment code.
pub async fn enrol_begin(code: &str) -> Result<CeremonyBegun, ApiError> {
    let body = EnrolBeginRequest {
        code: code.to_owned(),
    };
    send(Request::post(ENROL_BEGIN_PATH), None, Some(&body)).await
}

/// `POST /api/enrolment/finish` with `PublicKeyCredential.toJSON()`.
pub async fn enrol_finish(finish: &CeremonyFinish) -> Result<Enrolled, ApiError> {
    let body = finish_body(finish)?;
    send(Request::post(ENROL_FINISH_PATH), None, Some(&body)).await
}

/// A [`CeremonyFinish`] as JSON, its credential written by [`crate::json::value_text`]: the
/// client serialises no `serde_json::Value` with serde_json (the same JSON value is sent).
fn finish_body(finish: &CeremonyFinish) -> Result<Box<RawValue>, ApiError> {
    let ceremony = serde_json::to_string(&finish.ceremony);
    let credential = crate::json::value_text(&finish.credential);
    let (Ok(ceremony), Ok(credential)) = (ceremony, credential) else {
        return Err(ApiError::Decode("credential".to_owned()));
    };
    RawValue::from_string(format!(
        "{{\"ceremony\":{ceremony},\"credential\":{credential}}}"
    ))
    .map_err(|e| ApiError::Decode(e.to_string()))
}

/// `POST /api/session/begin`: the request options for signing in as `login`.
pub async fn sign_in_begin(login: &str) -> Result<CeremonyBegun, ApiError> {
    let body = SignInBeginRequest {
        login: login.to_owned(),
    };
    send(Request::post(SIGN_IN_BEGIN_PATH), None, Some(&body)).await
}

/// `POST /api/session/finish`: the server sets the session cookie and answers who is in.
pub async fn sign_in_finish(finish: &CeremonyFinish) -> Result<SessionInfo, ApiError> {
    let body = finish_body(finish)?;
    send(Request::post(SIGN_IN_FINISH_PATH), None, Some(&body)).await
}

/// `GET /api/session`: the current session (401 when there is none).
pub async fn session() -> Result<SessionInfo, ApiError> {
    send::<SessionInfo, ()>(Request::get(SESSION_PATH), None, None).await
}

/// `DELETE /api/session`: signs out.
pub async fn sign_out(csrf_token: &str) -> Result<(), ApiError> {
    let response = call::<()>(Request::delete(SESSION_PATH), Some(csrf_token), None).await?;
    if response.ok() {
        Ok(())
    } else {
        Err(status_error(response).await)
    }
}

/// `POST /api/envelopes`: signed applications; one verdict per submission, in order.
pub async fn submit(csrf_token: &str, request: &SubmitRequest) -> Result<SubmitResponse, ApiError> {
    send(
        Request::post(ENVELOPES_PATH),
        Some(csrf_token),
        Some(request),
    )
    .await
}

/// `POST /api/decisions`: one signed decision; its verdict (a repeat gets the first one).
pub async fn decide(
    csrf_token: &str,
    request: &protocol::identity::DecideRequest,
) -> Result<protocol::identity::DecisionVerdict, ApiError> {
    send(
        Request::post(protocol::identity::DECISIONS_PATH),
        Some(csrf_token),
        Some(request),
    )
    .await
}

/// `GET /api/sync/pull`: the next page after `cursor` (none: from the start), of at most
/// [`PULL_PAGE_RECORDS`]. The body is read as bytes and decoded from them: no detour through a
/// JavaScript string.
pub async fn pull(cursor: Option<&str>) -> Result<protocol::sync::PullResponse, ApiError> {
    let mut path = format!(
        "{}?limit={PULL_PAGE_RECORDS}",
        protocol::sync::SYNC_PULL_PATH
    );
    if let Some(cursor) = cursor {
        path.push_str("&cursor=");
        path.push_str(&String::from(js_sys::encode_uri_component(cursor)));
    }
    let response = call::<()>(Request::get(&path), None, None).await?;
    if !response.ok() {
        return Err(status_error(response).await);
    }
    let body = response
        .binary()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))?;
    crate::json::from_bytes(&body).map_err(ApiError::Decode)
}

async fn send<T: DeserializeOwned, B: Serialize>(
    builder: RequestBuilder,
    csrf_token: Option<&str>,
    body: Option<&B>,
) -> Result<T, ApiError> {
    read(call(builder, csrf_token, body).await?).await
}

async fn call<B: Serialize>(
    builder: RequestBuilder,
    csrf_token: Option<&str>,
    body: Option<&B>,
) -> Result<Response, ApiError> {
    let signal = web_sys::AbortSignal::timeout_with_u32(CALL_TIMEOUT_MS);
    let mut builder = builder
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal));
    if let Some(token) = csrf_token {
        builder = builder.header(CSRF_HEADER, token);
    }
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
    .map_err(|e| ApiError::Decode(e.to_string()))?;
    request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(status_error(response).await);
    }
    response
        .json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

async fn status_error(response: Response) -> ApiError {
    ApiError::Status {
        status: response.status(),
        body: response.json::<ErrorBody>().await.ok(),
    }
}

/// Bureau administration (`/admin/holders`): the holders of the administrator's region whose
/// login or name contains `query` (`GET /api/holders?q=`).
pub async fn admin_holders(query: &str) -> Result<protocol::admin::HolderList, ApiError> {
    let path = format!(
        "{}?q={}",
        protocol::admin::HOLDERS_LIST_PATH,
        String::from(js_sys::encode_uri_component(query))
    );
    send::<_, ()>(Request::get(&path), None, None).await
}

/// `GET /api/holders/{id}`: one holder with their keys.
pub async fn admin_holder(id: &str) -> Result<protocol::admin::HolderDetail, ApiError> {
    let path = protocol::admin::HOLDER_PATH
        .replace("{id}", &String::from(js_sys::encode_uri_component(id)));
    send::<_, ()>(Request::get(&path), None, None).await
}

/// `POST /api/holders`: registers a holder; the answer carries their one-time enrolment code.
pub async fn admin_create_holder(
    csrf_token: &str,
    holder: &protocol::identity::NewHolder,
) -> Result<protocol::identity::HolderCreated, ApiError> {
    send(
        Request::post(protocol::identity::HOLDERS_PATH),
        Some(csrf_token),
        Some(holder),
    )
    .await
}

/// `POST /api/holders/enrolment`: a new one-time enrolment code for `login`.
pub async fn admin_enrolment_code(
    csrf_token: &str,
    login: &str,
) -> Result<protocol::identity::HolderCreated, ApiError> {
    let body = SignInBeginRequest {
        login: login.to_owned(),
    };
    let path = format!("{}/enrolment", protocol::identity::HOLDERS_PATH);
    send(Request::post(&path), Some(csrf_token), Some(&body)).await
}

/// `POST /api/credentials/revoke`: revokes a key (its sessions end).
pub async fn admin_revoke_key(csrf_token: &str, credential_id: &str) -> Result<(), ApiError> {
    let body = protocol::identity::RevokeRequest {
        credential_id: credential_id.to_owned(),
    };
    let response = call(
        Request::post(protocol::identity::REVOKE_PATH),
        Some(csrf_token),
        Some(&body),
    )
    .await?;
    if response.ok() {
        Ok(())
    } else {
        Err(status_error(response).await)
    }
}

/// `POST /api/holders/{id}/suspend` (or `/reinstate`); the holder as they are now.
pub async fn admin_suspend(
    csrf_token: &str,
    id: &str,
    suspend: bool,
) -> Result<protocol::admin::HolderDetail, ApiError> {
    let template = if suspend {
        protocol::admin::HOLDER_SUSPEND_PATH
    } else {
        protocol::admin::HOLDER_REINSTATE_PATH
    };
    let path = template.replace("{id}", &String::from(js_sys::encode_uri_component(id)));
    let body = protocol::admin::HolderStatusChange {
        reason: String::new(),
    };
    send(Request::post(&path), Some(csrf_token), Some(&body)).await
}

/// `GET /api/units/{id}/holder-register`: the data of a unit's 使用人员备案表.
pub async fn admin_holder_register(
    unit: &str,
) -> Result<protocol::admin::HolderRegister, ApiError> {
    let path = protocol::admin::HOLDER_REGISTER_PATH
        .replace("{id}", &String::from(js_sys::encode_uri_component(unit)));
    send::<_, ()>(Request::get(&path), None, None).await
}

/// `POST /api/acts`: one signed act of the bureau (or a clerk's verification act); its verdict
/// (a refusal is a verdict too, HTTP 200; a repeat gets the first one).
pub async fn submit_act(
    csrf_token: &str,
    request: &protocol::admin::ActRequest,
) -> Result<protocol::admin::ActVerdict, ApiError> {
    send(
        Request::post(protocol::admin::ACTS_PATH),
        Some(csrf_token),
        Some(request),
    )
    .await
}

/// `POST /api/import/check?unit=…`: the roster file as chosen (sent as it is, never read into
/// the app), answered by the report of every error; nothing is imported.
pub async fn import_check(
    csrf_token: &str,
    unit: &str,
    file: &web_sys::Blob,
) -> Result<protocol::admin::ImportReport, ApiError> {
    let path = format!(
        "{}?unit={}",
        protocol::admin::IMPORT_CHECK_PATH,
        String::from(js_sys::encode_uri_component(unit))
    );
    let signal = web_sys::AbortSignal::timeout_with_u32(CALL_TIMEOUT_MS);
    let request = Request::post(&path)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal))
        .header(CSRF_HEADER, csrf_token)
        .header(
            "Content-Type",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|e| ApiError::Decode(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    read(response).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_finish_body_is_the_ceremony_finish_as_json() {
        let finish = CeremonyFinish {
            ceremony: "c-\"1\"".to_owned(),
            credential: serde_json::json!({
                "id": "Yw", "type": "public-key", "clientExtensionResults": {},
                "response": {"clientDataJSON": "ZA", "authenticatorData": "YQ", "signature": "cw"}
            }),
        };
        let body = finish_body(&finish).unwrap();
        assert_eq!(
            serde_json::from_str::<CeremonyFinish>(body.get()).unwrap(),
            finish
        );
        assert_eq!(serde_json::to_string(&body).unwrap(), body.get());
    }
}
