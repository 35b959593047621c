//! The WebAuthn ceremonies: enrolling a security key with a one-time code, signing in with it,
//! and revoking it. Ceremony state lives server-side (table `ceremony`), is used once and
//! expires after five minutes.
//!
//! Attestation: in `production` mode only authenticators whose attestation chains to a
//! configured root are enrolled (webauthn-rs' attested-passkey flow with an
//! `AttestationCaList`); in `demo` mode any authenticator that verifies the user (PIN) is.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use protocol::identity::{
    CeremonyBegun, CeremonyFinish, EnrolBeginRequest, Enrolled, RevokeRequest, SignInBeginRequest,
};
use serde::{Deserialize, Serialize};
use webauthn_rs::WebauthnBuilder;
use webauthn_rs::prelude::{
    AttestationCaList, AttestationCaListBuilder, AttestedPasskeyRegistration,
    AuthenticatorAttachment, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, Url, Uuid,
};

use crate::clock::unix_now;
use crate::config::{AttestationMode, Config};
use crate::db::audit::{self, Entry};
use crate::db::{self, Conn, credentials};
use crate::error::{ApiError, ApiJson, forbidden, refused};
use crate::identity::holders::{self, normalise_code};
use crate::identity::rate_limit::RateLimiter;
use crate::identity::secrets::{hash_secret, random_token};
use crate::identity::session::{self, Session, check_origin};
use crate::state::{AppState, IdentityState};

/// How long a ceremony may take.
const CEREMONY_SECONDS: i64 = 300;

/// Builds the WebAuthn relying party, the attestation policy and the envelope policy.
pub fn build(config: &Config) -> anyhow::Result<IdentityState> {
    let origin = Url::parse(&config.public_origin)
        .with_context(|| format!("public_origin {:?} is not a URL", config.public_origin))?;
    let webauthn = WebauthnBuilder::new(&config.rp_id, &origin)
        .context("the rp_id must be the public origin's host")?
        .rp_name(domain::PRODUCT_NAME_ZH)
        .build()
        .context("building the WebAuthn relying party")?;
    let identity = &config.identity;
    let attestation_cas = match identity.attestation {
        AttestationMode::Demo => None,
        AttestationMode::Production => Some(ca_list(config)?),
    };
    let mut policy = crate::signed::verify::VerifyPolicy::new(
        config.rp_id.clone(),
        vec![config.public_origin.clone()],
    );
    policy.offline_window = Duration::from_secs(u64::from(identity.offline_window_days) * 86_400);
    let mut decoy_secret = [0u8; 32];
    getrandom::fill(&mut decoy_secret)
        .map_err(|e| anyhow::anyhow!("the system random source failed: {e}"))?;
    Ok(IdentityState {
        webauthn,
        attestation_cas,
        policy,
        decoy_secret,
        limiter: RateLimiter::new(identity.rate_limit_per_minute, Duration::from_secs(60)),
    })
}

fn ca_list(config: &Config) -> anyhow::Result<AttestationCaList> {
    let mut builder = AttestationCaListBuilder::new();
    for ca in &config.identity.attestation_cas {
        let pem = std::fs::read(&ca.pem)
            .with_context(|| format!("reading attestation root {}", ca.pem.display()))?;
        for aaguid in &ca.aaguids {
            let aaguid = Uuid::parse_str(aaguid).with_context(|| format!("AAGUID {aaguid:?}"))?;
            builder
                .insert_device_pem(&pem, aaguid, ca.description.clone(), Default::default())
                .map_err(|e| anyhow::anyhow!("attestation root {}: {e:?}", ca.pem.display()))?;
        }
    }
    let list = builder.build();
    if list.is_empty() {
        tracing::warn!(
            "production attestation with no configured roots: no security key can be enrolled"
        );
    }
    Ok(list)
}

/// Server-side state of a ceremony.
#[derive(Serialize, Deserialize)]
enum CeremonyState {
    Enrol {
        code_hash: String,
        registration: PasskeyRegistration,
    },
    EnrolAttested {
        code_hash: String,
        registration: AttestedPasskeyRegistration,
    },
    SignIn {
        authentication: PasskeyAuthentication,
    },
}

async fn save_ceremony(
    conn: &mut Conn,
    holder_id: &str,
    state: &CeremonyState,
) -> anyhow::Result<String> {
    let id = random_token()?;
    let now = unix_now();
    let kind = match state {
        CeremonyState::SignIn { .. } => "sign_in",
        _ => "enrol",
    };
    let state = serde_json::to_string(state).context("serialising a ceremony")?;
    db::ceremonies::insert(
        conn,
        &id,
        kind,
        holder_id,
        &state,
        now,
        now + CEREMONY_SECONDS,
    )
    .await?;
    Ok(id)
}

/// Takes a ceremony out (it can be finished once).
async fn take_ceremony(conn: &mut Conn, id: &str) -> Result<(String, CeremonyState), ApiError> {
    let taken = db::ceremonies::take(conn, id)
        .await?
        .ok_or_else(|| refused("ceremony_unknown", "操作已过期，请重新开始"))?;
    if taken.expires_at < unix_now() {
        return Err(refused("ceremony_unknown", "操作已过期，请重新开始"));
    }
    Ok((
        taken.holder_id,
        serde_json::from_str(&taken.state).context("stored ceremony state")?,
    ))
}

fn limit(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> Result<(), ApiError> {
    check_origin(headers, &state.config)?;
    let address = crate::identity::rate_limit::client_address(
        peer.ip(),
        headers,
        &state.config.identity.trusted_proxies,
    );
    if state.identity.limiter.allow(address) {
        Ok(())
    } else {
        Err(ApiError::RateLimited)
    }
}

/// `POST /api/enrolment/begin`: check the one-time code and return creation options.
#[utoipa::path(
    post,
    path = protocol::identity::ENROL_BEGIN_PATH,
    tag = "identity",
    summary = "Begin enrolling a security key with a one-time code (注册安全密钥：开始)",
    description = "Creation options for a new security key and whom they are for \
        (rate-limited per address).",
    request_body = protocol::identity::EnrolBeginRequest,
    responses(
        (status = 200, description = "the ceremony and its creation options", body = protocol::identity::CeremonyBegun),
        (status = 400, description = "`bad_request`: not the expected body", body = protocol::ErrorBody),
        (status = 403, description = "`origin_invalid`", body = protocol::ErrorBody),
        (status = 422, description = "`enrolment_code_invalid`, `attestation_unavailable`", body = protocol::ErrorBody),
        (status = 429, description = "`rate_limited`: too many attempts from this address", body = protocol::ErrorBody),
    ),
)]
pub async fn enrol_begin(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<EnrolBeginRequest>,
) -> Result<Json<CeremonyBegun>, ApiError> {
    limit(&state, peer, &headers)?;
    let code_hash = hash_secret(&normalise_code(&request.code));
    let mut tx = db::write(&state.pool).await.context("starting enrolment")?;
    let holder_id = db::holders::holder_of_code(&mut tx, &code_hash, unix_now())
        .await?
        .ok_or_else(|| {
            refused(
                "enrolment_code_invalid",
                "注册码无效、已使用或已过期，请向编办管理员重新申领",
            )
        })?;
    let holder = db::holders::load(&mut tx, &holder_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let exclude: Vec<_> = credentials::active_passkeys(&mut tx, &holder_id)
        .await?
        .iter()
        .map(|p| p.cred_id().clone())
        .collect();
    let user = Uuid::parse_str(&holder_id).context("holder ids are UUIDs")?;
    let identity = &state.identity;
    let (options, ceremony) = match &identity.attestation_cas {
        None => {
            let (options, registration) = identity
                .webauthn
                .start_passkey_registration(
                    user,
                    &holder.info.login,
                    &holder.info.name,
                    Some(exclude),
                )
                .context("starting registration")?;
            (
                options,
                CeremonyState::Enrol {
                    code_hash,
                    registration,
                },
            )
        }
        Some(cas) => {
            let (options, registration) = identity
                .webauthn
                .start_attested_passkey_registration(
                    user,
                    &holder.info.login,
                    &holder.info.name,
                    Some(exclude),
                    cas.clone(),
                    Some(AuthenticatorAttachment::CrossPlatform),
                )
                .map_err(|e| {
                    tracing::warn!(error = %e, "attested registration could not start");
                    refused(
                        "attestation_unavailable",
                        "无法注册安全密钥：编办尚未配置可信的安全密钥型号",
                    )
                })?;
            (
                options,
                CeremonyState::EnrolAttested {
                    code_hash,
                    registration,
                },
            )
        }
    };
    let id = save_ceremony(&mut tx, &holder_id, &ceremony).await?;
    tx.commit().await.context("committing enrolment start")?;
    Ok(Json(CeremonyBegun {
        ceremony: id,
        options: serde_json::to_value(options).context("serialising options")?,
        holder: Some(holder.info),
    }))
}

/// `POST /api/enrolment/finish`: verify the new credential and store it; the code is used up.
#[utoipa::path(
    post,
    path = protocol::identity::ENROL_FINISH_PATH,
    tag = "identity",
    summary = "Finish enrolling a security key (注册安全密钥：完成)",
    description = "Stores the key; the code is used up, and so is the ceremony, whatever the \
        outcome.",
    request_body = protocol::identity::CeremonyFinish,
    responses(
        (status = 200, description = "the key is enrolled", body = protocol::identity::Enrolled),
        (status = 400, description = "`bad_request`: not the expected body", body = protocol::ErrorBody),
        (status = 403, description = "`origin_invalid`", body = protocol::ErrorBody),
        (status = 422, description = "`ceremony_unknown`, `enrolment_refused`, `credential_exists`, `enrolment_code_invalid`", body = protocol::ErrorBody),
        (status = 429, description = "`rate_limited`: too many attempts from this address", body = protocol::ErrorBody),
    ),
)]
pub async fn enrol_finish(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<CeremonyFinish>,
) -> Result<Json<Enrolled>, ApiError> {
    limit(&state, peer, &headers)?;
    let credential: RegisterPublicKeyCredential = serde_json::from_value(request.credential)
        .map_err(|e| ApiError::BadRequest(format!("credential: {e}")))?;
    // Used up here, whatever happens next: one attempt per ceremony.
    let (holder_id, ceremony) =
        take_ceremony(&mut *db::connection(&state.pool).await?, &request.ceremony).await?;
    let mut tx = db::write(&state.pool).await.context("starting enrolment")?;
    let webauthn = &state.identity.webauthn;
    let rejected = |e: webauthn_rs::prelude::WebauthnError| {
        tracing::info!(error = %e, "enrolment refused");
        refused(
            "enrolment_refused",
            "安全密钥注册失败：该密钥未通过核验（型号未获认可或未验证PIN）",
        )
    };
    let (passkey, attested, code_hash) = match ceremony {
        CeremonyState::Enrol {
            code_hash,
            registration,
        } => (
            webauthn
                .finish_passkey_registration(&credential, &registration)
                .map_err(rejected)?,
            false,
            code_hash,
        ),
        CeremonyState::EnrolAttested {
            code_hash,
            registration,
        } => {
            let attested = webauthn
                .finish_attested_passkey_registration(&credential, &registration)
                .map_err(rejected)?;
            (Passkey::from(attested), true, code_hash)
        }
        CeremonyState::SignIn { .. } => {
            return Err(refused("ceremony_unknown", "操作已过期，请重新开始"));
        }
    };
    if !db::holders::use_code(&mut tx, &code_hash, unix_now()).await? {
        return Err(refused(
            "enrolment_code_invalid",
            "注册码无效、已使用或已过期，请向编办管理员重新申领",
        ));
    }
    let now = crate::clock::now();
    if !credentials::insert(&mut tx, &passkey, &holder_id, attested, now).await? {
        return Err(refused("credential_exists", "该安全密钥已注册"));
    }
    let credential_id = domain::canonical::base64url(passkey.cred_id());
    audit::append(
        &mut tx,
        Entry {
            actor: Some(&holder_id),
            credential: Some(&credential_id),
            action: "credential.enrol",
            target: &format!("holder:{holder_id}"),
            detail: serde_json::json!({ "attested": attested }),
        },
        now,
    )
    .await?;
    let holder = db::holders::load(&mut tx, &holder_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await.context("committing enrolment")?;
    Ok(Json(Enrolled {
        holder: holder.info,
        credential_id,
    }))
}

fn sign_in_failed() -> ApiError {
    refused("sign_in_failed", "登录名或安全密钥不正确")
}

/// `POST /api/session/begin`: request options for the holder's keys.
#[utoipa::path(
    post,
    path = protocol::identity::SIGN_IN_BEGIN_PATH,
    tag = "identity",
    summary = "Begin signing in with a security key (登录：开始)",
    description = "Request options for the holder's keys (rate-limited). Any login gets an \
        answer of the same shape, so the answer does not tell who exists.",
    request_body = protocol::identity::SignInBeginRequest,
    responses(
        (status = 200, description = "the ceremony and its request options", body = protocol::identity::CeremonyBegun),
        (status = 400, description = "`bad_request`: not the expected body", body = protocol::ErrorBody),
        (status = 403, description = "`origin_invalid`", body = protocol::ErrorBody),
        (status = 429, description = "`rate_limited`: too many attempts from this address", body = protocol::ErrorBody),
    ),
)]
pub async fn sign_in_begin(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignInBeginRequest>,
) -> Result<Json<CeremonyBegun>, ApiError> {
    limit(&state, peer, &headers)?;
    let mut tx = db::write(&state.pool).await.context("starting sign-in")?;
    let holder_id = db::holders::id_by_login(&mut tx, request.login.trim()).await?;
    let passkeys = match &holder_id {
        Some(id) => credentials::active_passkeys(&mut tx, id).await?,
        None => Vec::new(),
    };
    let (Some(holder_id), false) = (holder_id, passkeys.is_empty()) else {
        // Unknown login, or no usable key: answer as for a real holder, with a key id that
        // matches nothing, so that the answer does not tell who exists.
        return Ok(Json(decoy_ceremony(&state, request.login.trim())?));
    };
    let (options, authentication) = state
        .identity
        .webauthn
        .start_passkey_authentication(&passkeys)
        .context("starting authentication")?;
    let id = save_ceremony(
        &mut tx,
        &holder_id,
        &CeremonyState::SignIn { authentication },
    )
    .await?;
    tx.commit().await.context("committing sign-in start")?;
    Ok(Json(CeremonyBegun {
        ceremony: id,
        options: serde_json::to_value(options).context("serialising options")?,
        holder: None,
    }))
}

/// Request options shaped like real ones for a login that has no usable key: a fresh
/// challenge and one credential id derived from the login with a per-process secret, so the
/// same login gets the same id while the server runs. Its ceremony id is stored nowhere, so
/// finishing it fails as any wrong key does.
fn decoy_ceremony(state: &AppState, login: &str) -> Result<CeremonyBegun, ApiError> {
    use webauthn_rs_proto::{
        AllowCredentials, AuthenticatorTransport, PublicKeyCredentialRequestOptions,
        RequestChallengeResponse, UserVerificationPolicy,
    };
    let mut challenge = vec![0u8; 32];
    getrandom::fill(&mut challenge)
        .map_err(|e| anyhow::anyhow!("the system random source failed: {e}"))?;
    let mut keyed = state.identity.decoy_secret.to_vec();
    keyed.extend_from_slice(login.as_bytes());
    let fake_id = domain::canonical::sha256(&keyed).to_vec();
    let options = RequestChallengeResponse {
        public_key: PublicKeyCredentialRequestOptions {
            challenge,
            timeout: Some(300_000),
            rp_id: state.config.rp_id.clone(),
            allow_credentials: vec![AllowCredentials {
                type_: "public-key".to_owned(),
                id: fake_id,
                transports: Some(vec![AuthenticatorTransport::Usb]),
            }],
            user_verification: UserVerificationPolicy::Required,
            hints: None,
            extensions: None,
        },
        mediation: None,
    };
    Ok(CeremonyBegun {
        ceremony: random_token()?,
        options: serde_json::to_value(options).context("serialising options")?,
        holder: None,
    })
}

/// `POST /api/session/finish`: verify the assertion, update the key's counter, start a session.
#[utoipa::path(
    post,
    path = protocol::identity::SIGN_IN_FINISH_PATH,
    tag = "identity",
    summary = "Finish signing in: verify the assertion, start a session (登录：完成)",
    description = "Sets the session cookie; the answer carries the CSRF token and the \
        credential ids for offline signing.",
    request_body = protocol::identity::CeremonyFinish,
    responses(
        (status = 200, description = "signed in", body = protocol::identity::SessionInfo,
            headers(("set-cookie" = String, description = "the session cookie"))),
        (status = 400, description = "`bad_request`: not the expected body", body = protocol::ErrorBody),
        (status = 403, description = "`origin_invalid`", body = protocol::ErrorBody),
        (status = 422, description = "`sign_in_failed` (deliberately not told apart), `ceremony_unknown`", body = protocol::ErrorBody),
        (status = 429, description = "`rate_limited`: too many attempts from this address", body = protocol::ErrorBody),
    ),
)]
pub async fn sign_in_finish(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<CeremonyFinish>,
) -> Result<Response, ApiError> {
    limit(&state, peer, &headers)?;
    let credential: PublicKeyCredential = serde_json::from_value(request.credential)
        .map_err(|e| ApiError::BadRequest(format!("credential: {e}")))?;
    // Used up here, whatever happens next. An unknown ceremony (expired, used, or a decoy
    // given for an unknown login) fails as a wrong key does.
    let (holder_id, ceremony) =
        take_ceremony(&mut *db::connection(&state.pool).await?, &request.ceremony)
            .await
            .map_err(|_| sign_in_failed())?;
    let mut tx = db::write(&state.pool).await.context("starting sign-in")?;
    let CeremonyState::SignIn { authentication } = ceremony else {
        return Err(refused("ceremony_unknown", "操作已过期，请重新开始"));
    };
    let result = state
        .identity
        .webauthn
        .finish_passkey_authentication(&credential, &authentication)
        .map_err(|e| {
            tracing::info!(error = %e, "sign-in refused");
            sign_in_failed()
        })?;
    let id = result.cred_id().clone();
    let stored = credentials::load(&mut tx, &id)
        .await?
        .filter(|stored| stored.holder_id == holder_id)
        .ok_or_else(sign_in_failed)?;
    // Revoked, its holder suspended, or enrolled in demo mode while the server runs in
    // production mode (the holder must enrol a key again): told apart only in the audit log.
    if !stored.usable(state.identity.attestation_cas.is_some()) {
        return Err(sign_in_failed());
    }
    db::admin::touch_key(&mut tx, &id, crate::clock::now()).await?;
    let mut passkey = stored.passkey;
    if passkey.update_credential(&result) == Some(true) {
        credentials::update_passkey(&mut tx, &id, &passkey).await?;
    }
    let (token, csrf) = session::start(&mut tx, &holder_id, &id).await?;
    let holder = db::holders::load(&mut tx, &holder_id)
        .await?
        .ok_or_else(sign_in_failed)?;
    let credential_id = domain::canonical::base64url(&id);
    audit::append(
        &mut tx,
        Entry {
            actor: Some(&holder_id),
            credential: Some(&credential_id),
            action: "session.start",
            target: &format!("holder:{holder_id}"),
            detail: serde_json::json!({}),
        },
        crate::clock::now(),
    )
    .await?;
    let info = session::info(&mut tx, &holder, &csrf, &state.config).await?;
    tx.commit().await.context("committing sign-in")?;
    Ok((
        [(
            header::SET_COOKIE,
            session::set_cookie(Some(&token), &state.config),
        )],
        Json(info),
    )
        .into_response())
}

/// `POST /api/credentials/revoke`: a bureau administrator revokes a key; its sessions end and
/// every later check refuses it.
#[utoipa::path(
    post,
    path = protocol::identity::REVOKE_PATH,
    operation_id = "revoke_credential",
    tag = "identity",
    summary = "Revoke a security key (吊销安全密钥)",
    description = "For a `bureau_admin` of the key holder's region: the key's sessions end and \
        every later check refuses it.",
    request_body = protocol::identity::RevokeRequest,
    responses(
        (status = 204, description = "revoked"),
        (status = 400, description = "`bad_request`: not the expected body", body = protocol::ErrorBody),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`, `csrf_invalid`, `origin_invalid`", body = protocol::ErrorBody),
        (status = 404, description = "`not_found`: no such key", body = protocol::ErrorBody),
        (status = 422, description = "`malformed_base64`: the credential id is not base64url", body = protocol::ErrorBody),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub async fn revoke(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<RevokeRequest>,
) -> Result<axum::http::StatusCode, ApiError> {
    holders::require_admin(&session)?;
    let id = crate::signed::verify::decode_b64url("credential_id", &request.credential_id)
        .map_err(|r| refused(r.code(), r.message_zh()))?;
    let mut tx = db::write(&state.pool)
        .await
        .context("starting revocation")?;
    let holder_id = credentials::load(&mut tx, &id)
        .await?
        .ok_or(ApiError::NotFound)?
        .holder_id;
    let holder = db::holders::load(&mut tx, &holder_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let region = holders::region_of(&mut tx, holder.grant.scope()).await?;
    if !region.is_some_and(|r| session.holder.grant.may_administer(r)) {
        return Err(forbidden(
            "out_of_scope",
            "只有本行政区划的编办管理员可以吊销安全密钥",
        ));
    }
    let now = crate::clock::now();
    credentials::revoke(&mut tx, &id, now).await?;
    // A code issued earlier must not enrol a new key for someone whose key was just revoked.
    db::holders::cancel_codes(&mut tx, &holder_id, unix_now()).await?;
    db::sessions::end_all_of_key(&mut tx, &id).await?;
    audit::append(
        &mut tx,
        Entry {
            actor: Some(&session.holder.info.id),
            credential: Some(&session.credential_id_b64),
            action: "credential.revoke",
            target: &format!("credential:{}", request.credential_id),
            detail: serde_json::json!({ "holder": holder_id }),
        },
        now,
    )
    .await?;
    tx.commit().await.context("committing revocation")?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
