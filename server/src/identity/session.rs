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
use sqlx::{Row, SqliteConnection};

use crate::audit::{self, Entry};
use crate::config::Config;
use crate::error::{ApiError, forbidden};
use crate::identity::holders::{self, Holder};
use crate::startup::AppState;

/// Name of the session cookie.
pub const COOKIE: &str = "dzbz_session";

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

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = cookie_token(&parts.headers).ok_or(ApiError::Unauthenticated)?;
        let token_hash = super::hash_secret(&token);
        let mut conn = state.pool.acquire().await.context("taking a connection")?;
        let Some(row) = sqlx::query(
            "SELECT s.holder_id, s.credential_id, s.csrf_token, s.created_at, s.last_seen_at, c.revoked_at \
             FROM session s JOIN credential c ON c.id = s.credential_id WHERE s.token_hash = ?",
        )
        .bind(&token_hash)
        .fetch_optional(&mut *conn)
        .await
        .context("reading the session")?
        else {
            return Err(ApiError::Unauthenticated);
        };
        let now = super::unix_now();
        let identity = &state.config.identity;
        let created_at: i64 = row.try_get("created_at")?;
        let last_seen_at: i64 = row.try_get("last_seen_at")?;
        let revoked: Option<String> = row.try_get("revoked_at")?;
        let expired = now - last_seen_at > i64::from(identity.session_idle_minutes) * 60
            || now - created_at > i64::from(identity.session_absolute_hours) * 3600;
        if expired || revoked.is_some() {
            sqlx::query("DELETE FROM session WHERE token_hash = ?")
                .bind(&token_hash)
                .execute(&mut *conn)
                .await
                .context("ending an expired session")?;
            return Err(ApiError::Unauthenticated);
        }
        let csrf_token: String = row.try_get("csrf_token")?;
        if parts.method != Method::GET && parts.method != Method::HEAD {
            check_origin(&parts.headers, &state.config)?;
            let sent = parts.headers.get(CSRF_HEADER).map(HeaderValue::as_bytes);
            if sent != Some(csrf_token.as_bytes()) {
                return Err(forbidden("csrf_invalid", "页面已过期，请刷新后重试"));
            }
        }
        let holder_id: String = row.try_get("holder_id")?;
        let credential_id: Vec<u8> = row.try_get("credential_id")?;
        let holder = holders::load(&mut conn, &holder_id)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        sqlx::query("UPDATE session SET last_seen_at = ? WHERE token_hash = ?")
            .bind(now)
            .bind(&token_hash)
            .execute(&mut *conn)
            .await
            .context("touching the session")?;
        Ok(Session {
            holder,
            credential_id_b64: domain::canonical::base64url(&credential_id),
            credential_id,
            csrf_token,
            token_hash,
        })
    }
}

/// Starts a session; returns the cookie token and the CSRF token.
pub async fn start(
    conn: &mut SqliteConnection,
    holder_id: &str,
    credential_id: &[u8],
) -> anyhow::Result<(String, String)> {
    let token = super::random_token()?;
    let csrf = super::random_token()?;
    let now = super::unix_now();
    sqlx::query(
        "INSERT INTO session (token_hash, holder_id, credential_id, csrf_token, created_at, last_seen_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(super::hash_secret(&token))
    .bind(holder_id)
    .bind(credential_id)
    .bind(&csrf)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await
    .context("writing the session")?;
    Ok((token, csrf))
}

/// The `Set-Cookie` value for a session token (`None`: clear the cookie).
pub fn set_cookie(token: Option<&str>, config: &Config) -> HeaderValue {
    let value = match token {
        Some(token) => format!(
            "{COOKIE}={token}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={}",
            u64::from(config.identity.session_absolute_hours) * 3600
        ),
        None => format!("{COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0"),
    };
    // Tokens are base64url: always a valid header value.
    HeaderValue::from_str(&value)
        .unwrap_or_else(|_| HeaderValue::from_static("dzbz_session=; Max-Age=0"))
}

/// What the client keeps about its session.
pub async fn info(
    conn: &mut SqliteConnection,
    holder: &Holder,
    csrf_token: &str,
    config: &Config,
) -> anyhow::Result<SessionInfo> {
    let ids: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT id FROM credential WHERE holder_id = ? AND revoked_at IS NULL ORDER BY created_at",
    )
    .bind(&holder.info.id)
    .fetch_all(&mut *conn)
    .await
    .context("reading the holder's credentials")?;
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
    let mut conn = state.pool.acquire().await.context("taking a connection")?;
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
    let mut tx = state
        .pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting sign-out")?;
    sqlx::query("DELETE FROM session WHERE token_hash = ?")
        .bind(&session.token_hash)
        .execute(&mut *tx)
        .await
        .context("ending the session")?;
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
