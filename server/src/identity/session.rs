//! Sessions: an opaque token in a `HttpOnly; Secure; SameSite=Strict` cookie, stored server-side
//! by its hash, with idle and absolute timeouts. [`Session`] is the extractor every protected
//! handler takes: no valid session, no access (denied by default). State-changing requests must
//! also carry the session's CSRF token and, when the browser sends one, our own `Origin`.

use anyhow::Context;
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use protocol::identity::{CSRF_HEADER, SessionInfo};

use crate::config::Config;
use crate::db::audit::{self, Entry};
use crate::db::holders::Holder;
use crate::db::{self, Conn, sessions};
use crate::error::{ApiError, forbidden};
use crate::identity::secrets::{hash_secret, random_token};
use crate::state::AppState;

/// Name of the session cookie on an `http://` origin (`http://localhost` in development).
pub const COOKIE: &str = "dzbz_session";
/// Name of the session cookie on an `https://` origin: the `__Host-` prefix makes the browser
/// accept it only from a secure origin, with `Secure`, `Path=/` and no `Domain` — so no
/// sibling subdomain can set or shadow it.
pub const HOST_COOKIE: &str = "__Host-dzbz_session";

/// The session cookie's name for this configuration.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.is_https() {
        HOST_COOKIE
    } else {
        COOKIE
    }
}

/// A signed-in key holder, checked on this request.
#[derive(Debug, Clone)]
pub struct Session {
    pub holder: Holder,
    /// The credential used to sign in.
    pub credential_id: Vec<u8>,
    pub credential_id_b64: String,
    pub csrf_token: String,
    token_hash: String,
}

/// Refuses a request whose `Origin` header names another site.
pub fn check_origin(headers: &HeaderMap, config: &Config) -> Result<(), ApiError> {
    match headers.get(header::ORIGIN) {
        None => Ok(()),
        Some(origin)
            if origin.as_bytes() == config.public_origin.trim_end_matches('/').as_bytes() =>
        {
            Ok(())
        }
        Some(_) => Err(forbidden("origin_invalid", "请求来源网站不被允许")),
    }
}

fn cookie_token(headers: &HeaderMap, config: &Config) -> Option<String> {
    let name = cookie_name(config);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = cookie_token(&parts.headers, &state.config).ok_or(ApiError::Unauthenticated)?;
        let token_hash = hash_secret(&token);
        let mut conn = db::connection(&state.pool).await?;
        let Some(stored) = sessions::load(&mut conn, &token_hash).await? else {
            return Err(ApiError::Unauthenticated);
        };
        let now = crate::clock::unix_now();
        let identity = &state.config.identity;
        let expired = now - stored.last_seen_at > i64::from(identity.session_idle_minutes) * 60
            || now - stored.created_at > i64::from(identity.session_absolute_hours) * 3600;
        let production = identity.attestation == crate::config::AttestationMode::Production;
        let unusable =
            stored.key_revoked || stored.holder_suspended || (production && stored.key_unattested);
        if expired || unusable {
            sessions::end(&mut conn, &token_hash)
                .await
                .context("ending an expired session")?;
            return Err(ApiError::Unauthenticated);
        }
        let csrf_token = stored.csrf_token;
        if parts.method != Method::GET && parts.method != Method::HEAD {
            check_origin(&parts.headers, &state.config)?;
            let sent = parts.headers.get(CSRF_HEADER).map(HeaderValue::as_bytes);
            if sent != Some(csrf_token.as_bytes()) {
                return Err(forbidden("csrf_invalid", "页面已过期，请刷新后重试"));
            }
        }
        let credential_id = stored.credential_id;
        let holder = db::holders::load(&mut conn, &stored.holder_id)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        sessions::touch(&mut conn, &token_hash, now).await?;
        Ok(Session {
            holder,
            credential_id_b64: domain::canonical::base64url(&credential_id),
            credential_id,
            csrf_token,
            token_hash,
        })
    }
}

/// A handler open to anyone that shows more to a signed-in holder takes `Option<Session>`:
/// no session cookie, or one that is no longer valid, is `None` (never an error); a session
/// is checked exactly as [`Session`] checks it.
impl axum::extract::OptionalFromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        if cookie_token(&parts.headers, &state.config).is_none() {
            return Ok(None);
        }
        match <Session as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(session) => Ok(Some(session)),
            Err(ApiError::Unauthenticated) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// Starts a session; returns the cookie token and the CSRF token.
pub async fn start(
    conn: &mut Conn,
    holder_id: &str,
    credential_id: &[u8],
) -> anyhow::Result<(String, String)> {
    let token = random_token()?;
    let csrf = random_token()?;
    let now = crate::clock::unix_now();
    sessions::insert(
        conn,
        &hash_secret(&token),
        holder_id,
        credential_id,
        &csrf,
        now,
    )
    .await?;
    Ok((token, csrf))
}

/// The `Set-Cookie` value for a session token (`None`: clear the cookie).
pub fn set_cookie(token: Option<&str>, config: &Config) -> HeaderValue {
    let name = cookie_name(config);
    let value = match token {
        Some(token) => format!(
            "{name}={token}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={}",
            u64::from(config.identity.session_absolute_hours) * 3600
        ),
        None => format!("{name}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0"),
    };
    // Tokens are base64url: always a valid header value.
    HeaderValue::from_str(&value)
        .unwrap_or_else(|_| HeaderValue::from_static("dzbz_session=; Max-Age=0"))
}

/// What the client keeps about its session.
pub async fn info(
    conn: &mut Conn,
    holder: &Holder,
    csrf_token: &str,
    config: &Config,
) -> anyhow::Result<SessionInfo> {
    let ids = db::credentials::active_ids(conn, &holder.info.id).await?;
    Ok(SessionInfo {
        holder: holder.info.clone(),
        csrf_token: csrf_token.to_owned(),
        credential_ids: ids
            .iter()
            .map(|id| domain::canonical::base64url(id))
            .collect(),
        rp_id: config.rp_id.clone(),
    })
}

/// `GET /api/session`: who is signed in.
#[utoipa::path(
    get,
    path = protocol::identity::SESSION_PATH,
    operation_id = "current_session",
    tag = "identity",
    summary = "The current session (当前登录信息)",
    responses(
        (status = 200, description = "the signed-in holder", body = protocol::identity::SessionInfo),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn current(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<SessionInfo>, ApiError> {
    let mut conn = db::connection(&state.pool).await?;
    Ok(Json(
        info(
            &mut conn,
            &session.holder,
            &session.csrf_token,
            &state.config,
        )
        .await?,
    ))
}

/// `DELETE /api/session`: sign out.
#[utoipa::path(
    delete,
    path = protocol::identity::SESSION_PATH,
    tag = "identity",
    summary = "Sign out (退出登录)",
    responses(
        (status = 204, description = "signed out; the cookie is cleared",
            headers(("set-cookie" = String, description = "clears the session cookie"))),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`csrf_invalid`, `origin_invalid`", body = protocol::ErrorBody),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub async fn sign_out(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, ApiError> {
    let mut tx = db::write(&state.pool).await.context("starting sign-out")?;
    sessions::end(&mut tx, &session.token_hash).await?;
    audit::append(
        &mut tx,
        Entry {
            actor: Some(&session.holder.info.id),
            credential: Some(&session.credential_id_b64),
            action: "session.end",
            target: &format!("holder:{}", session.holder.info.id),
            detail: serde_json::json!({}),
        },
        crate::clock::now(),
    )
    .await?;
    tx.commit().await.context("committing sign-out")?;
    Ok((
        [(header::SET_COOKIE, set_cookie(None, &state.config))],
        axum::http::StatusCode::NO_CONTENT,
    )
        .into_response())
}
