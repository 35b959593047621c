//! Key holders (使用人员): who they are, their role and scope, and the one-time enrolment code
//! with which they register a security key.

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use domain::{Region, Role, Scope};
use protocol::identity::{HolderCreated, HolderInfo, NewHolder};

use crate::config::Config;
use crate::db::audit::{self, Entry};
use crate::db::holders::grant_of;
use crate::db::{self, Conn, Pool};
use crate::error::{ApiError, ApiJson, refused};
use crate::identity::secrets::hash_secret;
use crate::identity::session::Session;
use crate::state::AppState;

/// Length of an enrolment code: 16 characters from an alphabet without look-alikes.
const CODE_LENGTH: usize = 16;
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// The region a scope lies in (a unit's region for unit and department scopes).
pub async fn region_of(conn: &mut Conn, scope: &Scope) -> anyhow::Result<Option<Region>> {
    match scope {
        Scope::Region(region) => Ok(Some(*region)),
        Scope::Unit(id) | Scope::Department(id) => db::units::region(conn, id).await,
    }
}

fn enrolment_code() -> anyhow::Result<String> {
    let mut bytes = [0u8; CODE_LENGTH];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("the system random source failed: {e}"))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
        .collect())
}

/// Normalises a code as typed: spaces and dashes dropped, upper case.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Creates a key holder and a one-time enrolment code (kept only as its hash), audited with
/// `actor` (`None` for the server's CLI). The login must be new; the scope's unit must exist.
pub async fn create_holder_as(
    pool: &Pool,
    new: &NewHolder,
    config: &Config,
    actor: Option<(&str, &str)>,
) -> Result<HolderCreated, ApiError> {
    let grant =
        grant_of(&new.role, &new.scope).map_err(|e| refused("holder_invalid", e.message_zh()))?;
    let login = new.login.trim();
    let name = new.name.trim();
    if login.is_empty()
        || login.len() > 64
        || !login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.@".contains(c))
    {
        return Err(refused(
            "holder_invalid",
            "登录名：须为1至64位字母、数字或 - _ . @",
        ));
    }
    if name.is_empty() || name.chars().count() > 32 {
        return Err(refused("holder_invalid", "姓名：不能为空，且不超过32个字"));
    }
    let phone = new.phone.trim();
    if phone.chars().count() > 32
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-".contains(c))
    {
        return Err(refused(
            "holder_invalid",
            "联系电话：至多32位数字、空格、+ 或 -",
        ));
    }
    let mut tx = db::write(pool)
        .await
        .context("starting to create a holder")?;
    if region_of(&mut tx, grant.scope()).await?.is_none() {
        return Err(refused("unit_unknown", "管理范围：所指单位不存在"));
    }
    if db::holders::id_by_login(&mut tx, login).await?.is_some() {
        return Err(refused("login_taken", format!("登录名：{login} 已被使用")));
    }
    let id = webauthn_rs::prelude::Uuid::new_v4().to_string();
    let now = crate::clock::now();
    db::holders::insert(&mut tx, &id, login, name, &grant, now).await?;
    if !phone.is_empty() {
        db::admin::set_phone(&mut tx, &id, phone).await?;
    }
    let (code, expires_at) = insert_code(&mut tx, &id, config).await?;
    audit::append(
        &mut tx,
        Entry {
            actor: actor.map(|a| a.0),
            credential: actor.map(|a| a.1),
            action: "holder.create",
            target: &format!("holder:{id}"),
            detail: serde_json::json!({ "role": grant.role().code(), "scope": grant.scope().to_string() }),
        },
        now,
    )
    .await?;
    tx.commit().await.context("committing the holder")?;
    let holder = HolderInfo {
        id,
        login: login.to_owned(),
        name: name.to_owned(),
        role: grant.role().code().to_owned(),
        scope: grant.scope().to_string(),
    };
    Ok(with_code(holder, code, expires_at, config))
}

/// Stores a new one-time code for `holder_id` (its hash only); returns the code and its expiry.
async fn insert_code(
    conn: &mut Conn,
    holder_id: &str,
    config: &Config,
) -> anyhow::Result<(String, String)> {
    // A new code replaces any the holder still had.
    db::holders::cancel_codes(conn, holder_id, crate::clock::unix_now()).await?;
    let code = enrolment_code()?;
    let expires = crate::clock::unix_now() + i64::from(config.identity.enrolment_code_hours) * 3600;
    db::holders::insert_code(conn, &hash_secret(&code), holder_id, expires).await?;
    let expires_at = domain::Timestamp::from_unix_seconds(expires)
        .map(|t| t.to_string())
        .unwrap_or_default();
    Ok((code, expires_at))
}

fn with_code(
    holder: HolderInfo,
    code: String,
    expires_at: String,
    config: &Config,
) -> HolderCreated {
    let origin = config.public_origin.trim_end_matches('/');
    HolderCreated {
        holder,
        enrolment_link: format!("{origin}/enrol#code={code}"),
        enrolment_code: code,
        expires_at,
    }
}

/// Issues a new one-time enrolment code to an existing holder, so that they can register
/// another (or a replacement) security key. Audited with `actor` (`None`: the server's CLI).
pub async fn issue_code_as(
    pool: &Pool,
    login: &str,
    config: &Config,
    actor: Option<&Session>,
) -> Result<HolderCreated, ApiError> {
    if let Some(session) = actor {
        require_admin(session)?;
    }
    let mut tx = db::write(pool).await.context("starting to issue a code")?;
    let id = db::holders::id_by_login(&mut tx, login.trim())
        .await?
        .ok_or_else(|| refused("holder_unknown", format!("登录名：{} 不存在", login.trim())))?;
    let holder = db::holders::load(&mut tx, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if let Some(session) = actor {
        let region = region_of(&mut tx, holder.grant.scope()).await?;
        if !region.is_some_and(|r| session.holder.grant.may_administer(r)) {
            return Err(crate::error::forbidden(
                "out_of_scope",
                "只有本行政区划的编办管理员可以为使用人员签发注册码",
            ));
        }
    }
    let (code, expires_at) = insert_code(&mut tx, &id, config).await?;
    audit::append(
        &mut tx,
        Entry {
            actor: actor.map(|s| s.holder.info.id.as_str()),
            credential: actor.map(|s| s.credential_id_b64.as_str()),
            action: "holder.enrolment_code",
            target: &format!("holder:{id}"),
            detail: serde_json::json!({}),
        },
        crate::clock::now(),
    )
    .await?;
    tx.commit().await.context("committing the code")?;
    Ok(with_code(holder.info, code, expires_at, config))
}

/// [`issue_code_as`] by the server itself (CLI, tests).
pub async fn issue_code(
    pool: &Pool,
    login: &str,
    config: &Config,
) -> anyhow::Result<HolderCreated> {
    issue_code_as(pool, login, config, None)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {}", e.body().code, e.body().message))
}

/// `POST /api/holders/enrolment` `{login}`: a bureau administrator issues a new enrolment code
/// to a holder of their region (a second key, or a replacement for a lost one).
#[utoipa::path(
    post,
    path = "/api/holders/enrolment",
    tag = "identity",
    summary = "A new one-time enrolment code for an existing holder (补发注册码)",
    description = "For a `bureau_admin` of the holder's region: a second key, or a replacement.",
    request_body = protocol::identity::SignInBeginRequest,
    responses(
        (status = 200, description = "the code and link, shown once", body = protocol::identity::HolderCreated),
        (status = 400, description = "`bad_request`: not the expected body", body = protocol::ErrorBody),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`, `csrf_invalid`, `origin_invalid`", body = protocol::ErrorBody),
        (status = 422, description = "`holder_unknown`", body = protocol::ErrorBody),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub async fn new_enrolment_code(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<protocol::identity::SignInBeginRequest>,
) -> Result<Json<HolderCreated>, ApiError> {
    Ok(Json(
        issue_code_as(&state.pool, &request.login, &state.config, Some(&session)).await?,
    ))
}

/// [`create_holder_as`] by the server itself (CLI, tests): the first bureau administrator is
/// created this way.
pub async fn create_holder(
    pool: &Pool,
    new: &NewHolder,
    config: &Config,
) -> anyhow::Result<HolderCreated> {
    create_holder_as(pool, new, config, None)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {}", e.body().code, e.body().message))
}

/// Refuses anyone but a bureau administrator before anything is looked up, so that other
/// holders cannot learn which logins, units or keys exist from the answers.
pub fn require_admin(session: &Session) -> Result<(), ApiError> {
    if session.holder.grant.role() == Role::BureauAdmin {
        Ok(())
    } else {
        Err(crate::error::forbidden(
            "out_of_scope",
            "只有编办管理员可以管理使用人员和安全密钥",
        ))
    }
}

/// `POST /api/holders`: a bureau administrator creates a key holder within their region.
#[utoipa::path(
    post,
    path = protocol::identity::HOLDERS_PATH,
    operation_id = "create_holder",
    tag = "identity",
    summary = "Create a key holder (备案使用人员)",
    description = "For a `bureau_admin` of the region: answers the one-time enrolment code and \
        link (shown once).",
    request_body = protocol::identity::NewHolder,
    responses(
        (status = 200, description = "the holder, the code and the link", body = protocol::identity::HolderCreated),
        (status = 400, description = "`bad_request`: not the expected body", body = protocol::ErrorBody),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`, `csrf_invalid`, `origin_invalid`", body = protocol::ErrorBody),
        (status = 422, description = "`holder_invalid`, `login_taken`, `unit_unknown`", body = protocol::ErrorBody),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    ApiJson(new): ApiJson<NewHolder>,
) -> Result<Json<HolderCreated>, ApiError> {
    require_admin(&session)?;
    let scope: Scope = new
        .scope
        .parse()
        .map_err(|e: domain::ValidationError| refused("holder_invalid", e.message_zh()))?;
    let mut conn = db::connection(&state.pool).await?;
    let region = region_of(&mut conn, &scope)
        .await?
        .ok_or_else(|| refused("unit_unknown", "管理范围：所指单位不存在"))?;
    drop(conn);
    if !session.holder.grant.may_administer(region) {
        return Err(crate::error::forbidden(
            "out_of_scope",
            "只有本行政区划的编办管理员可以备案使用人员",
        ));
    }
    let created = create_holder_as(
        &state.pool,
        &new,
        &state.config,
        Some((&session.holder.info.id, &session.credential_id_b64)),
    )
    .await?;
    Ok(Json(created))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_unambiguous_and_normalised() {
        let code = enrolment_code().unwrap();
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(code, enrolment_code().unwrap());
        assert_eq!(normalise_code(" ab12-cd34 "), "AB12CD34");
    }
}
