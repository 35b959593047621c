//! The one error type of the HTTP API and its mapping to a status and a JSON [`ErrorBody`].

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use protocol::ErrorBody;

/// Every way an API request can fail. Each variant has a stable `code`; the message is in
/// Chinese and English ([`english`], by code) and never carries internals.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no such resource")]
    NotFound,
    #[error("the request body is not acceptable: {0}")]
    BadRequest(String),
    #[error("service unavailable: {0}")]
    Unavailable(&'static str),
    /// No valid session.
    #[error("not signed in")]
    Unauthenticated,
    /// Signed in, but the role or scope does not allow it (or a CSRF/origin check failed).
    #[error("forbidden: {code}")]
    Forbidden { code: &'static str, message: String },
    /// A request the rules refuse, with its own stable code.
    #[error("refused: {code}")]
    Refused { code: &'static str, message: String },
    /// Too many enrolment or sign-in attempts from one address.
    #[error("rate limited")]
    RateLimited,
    /// A request body over `startup::MAX_BODY_BYTES`.
    #[error("request body too large")]
    PayloadTooLarge,
    /// Anything unexpected: logged with its cause, answered as a bare 500.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The codes handlers answer with [`ApiError::Forbidden`] (403) through [`forbidden`]: listed
/// in the OpenAPI document (`crate::openapi`), whose test checks the handlers against it.
pub const FORBIDDEN_CODES: &[&str] = &["origin_invalid", "csrf_invalid", "out_of_scope"];

/// The codes handlers answer with [`ApiError::Refused`] (422) through [`refused`], besides
/// the verifier's `malformed_base64` (`crate::signed::refusal::Refusal`): listed and checked
/// like [`FORBIDDEN_CODES`].
pub const REFUSED_CODES: &[&str] = &[
    "enrolment_code_invalid",
    "enrolment_refused",
    "attestation_unavailable",
    "credential_exists",
    "ceremony_unknown",
    "sign_in_failed",
    "holder_invalid",
    "login_taken",
    "holder_unknown",
    "unit_unknown",
];

impl ApiError {
    /// One error of each kind whose code is fixed (the codes of the other two, `Forbidden` and
    /// `Refused`, are [`FORBIDDEN_CODES`] and [`REFUSED_CODES`]).
    pub fn fixed_kinds() -> [ApiError; 7] {
        [
            ApiError::NotFound,
            ApiError::BadRequest(String::new()),
            ApiError::Unavailable("database"),
            ApiError::Unauthenticated,
            ApiError::RateLimited,
            ApiError::PayloadTooLarge,
            ApiError::Internal(anyhow::anyhow!("example")),
        ]
    }

    /// Every code an `ApiError` can carry, each once.
    pub fn codes() -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = Vec::new();
        let fixed = Self::fixed_kinds();
        let all = fixed
            .iter()
            .map(ApiError::code)
            .chain(FORBIDDEN_CODES.iter().copied())
            .chain(REFUSED_CODES.iter().copied());
        for code in all {
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        codes
    }

    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden { code, .. } | ApiError::Refused { code, .. } => code,
            ApiError::RateLimited => "rate_limited",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The body sent to the client.
    pub fn body(&self) -> ErrorBody {
        let message = match self {
            ApiError::NotFound => "请求的资源不存在".to_owned(),
            ApiError::BadRequest(detail) => format!("请求内容无效：{detail}"),
            ApiError::Unavailable(what) => format!("服务暂不可用：{what}"),
            ApiError::Unauthenticated => "请先使用安全密钥登录".to_owned(),
            ApiError::Forbidden { message, .. } | ApiError::Refused { message, .. } => {
                message.clone()
            }
            ApiError::RateLimited => "尝试次数过多，请稍后再试".to_owned(),
            ApiError::PayloadTooLarge => "请求内容过大（上限 1 MiB），请分批提交".to_owned(),
            ApiError::Internal(_) => "服务器内部错误，请稍后重试".to_owned(),
        };
        let message_en = match self {
            ApiError::BadRequest(detail) => format!("the request is not valid: {detail}"),
            ApiError::Unavailable(what) => format!("the service is unavailable: {what}"),
            other => english(other.code()).to_owned(),
        };
        ErrorBody {
            code: self.code().to_owned(),
            message,
            message_en: Some(message_en),
        }
    }
}

/// The English message of an error code (the Chinese one, given where the error is raised, may
/// name more: which field, which role).
pub fn english(code: &str) -> &'static str {
    match code {
        "not_found" => "the requested resource does not exist",
        "bad_request" => "the request is not valid",
        "unavailable" => "the service is unavailable",
        "unauthenticated" => "sign in with your security key first",
        "rate_limited" => "too many attempts; try again later",
        "payload_too_large" => "the request is too large (limit 1 MiB); send it in parts",
        "internal" => "internal server error; try again later",
        "origin_invalid" => "requests from this web site are not allowed",
        "csrf_invalid" => "the page has expired; reload it and try again",
        "out_of_scope" => "your role and scope do not allow this",
        "enrolment_code_invalid" => {
            "the enrolment code is invalid, used or expired; ask the bureau's administrator for a new one"
        }
        "enrolment_refused" => {
            "the security key was not enrolled: it did not pass the check (model not accepted, or no PIN)"
        }
        "attestation_unavailable" => {
            "security keys cannot be enrolled: the bureau has not configured the accepted models"
        }
        "credential_exists" => "this security key is enrolled already",
        "ceremony_unknown" => "the operation has expired; start again",
        "sign_in_failed" => "the login name or the security key is not right",
        "holder_invalid" => "the key holder's login name, name, role or scope is invalid",
        "login_taken" => "this login name is in use",
        "holder_unknown" => "no key holder has this login name",
        "unit_unknown" => "the unit does not exist",
        "malformed_base64" => "a field of the request is not valid base64url",
        _ => "the request was refused",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        (self.status(), Json(self.body())).into_response()
    }
}

/// Shorthand for a 403 with its code and Chinese message.
pub fn forbidden(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Forbidden {
        code,
        message: message.into(),
    }
}

/// Shorthand for a 422 with its code and Chinese message.
pub fn refused(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::Refused {
        code,
        message: message.into(),
    }
}

/// `Json<T>` whose rejection (wrong content type, malformed JSON, missing field) is an
/// [`ApiError::BadRequest`] with the usual JSON body, in Chinese, naming what was wrong.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            // A body without a declared length that runs past the limit.
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::PayloadTooLarge)
            }
            Err(rejection) => Err(ApiError::BadRequest(rejection.body_text())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let err = ApiError::Internal(anyhow::anyhow!("disk /var/secret full"));
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = err.body();
        assert_eq!(body.code, "internal");
        assert!(!body.message.contains("secret"));
    }

    #[test]
    fn every_variant_has_a_distinct_code() {
        let codes: std::collections::BTreeSet<_> = ApiError::fixed_kinds()
            .iter()
            .map(|e| e.body().code)
            .collect();
        assert_eq!(codes.len(), 7);
        let doc = include_str!("../../docs/API.md");
        for code in ApiError::codes() {
            assert_ne!(english(code), english("?"), "{code} has no English message");
            assert!(
                doc.contains(&format!("| `{code}` |")),
                "{code} is missing from docs/API.md"
            );
        }
    }
}
