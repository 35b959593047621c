//! The bureau administrator's view of key holders and keys (使用人员备案): list and search,
//! one holder with their keys, suspend and reinstate, and the data of a unit's 使用人员备案表.
//!
//! Every handler refuses anyone but a `bureau_admin` before looking anything up
//! ([`holders::require_admin`]), then the scope: the region the holder's scope (or the unit)
//! lies in must be within the admin's (`Grant::may_administer`). Suspension and reinstatement
//! are audited with the admin as actor.

use anyhow::Context;
use axum::Json;
use axum::extract::{Path, Query, State};
use domain::{Region, UnitId};
use protocol::admin::{
    HolderDetail, HolderList, HolderRegister, HolderStatusChange, HolderSummary, KeyInfo,
};
use serde::Deserialize;
use webauthn_rs::prelude::{Credential, Passkey};

use crate::db::admin::{HolderRow, KeyRow};
use crate::db::audit::{self, Entry};
use crate::db::{self, Conn};
use crate::error::{ApiError, ApiJson, forbidden};
use crate::identity::holders;
use crate::identity::session::Session;
use crate::state::AppState;

/// Well-known authenticator models by AAGUID (FIDO metadata), for the key list.
const KNOWN_MODELS: &[(&str, &str)] = &[
    ("cb69481e-8ff7-4039-93ec-0a2729a154a8", "YubiKey 5 Series"),
    (
        "ee882879-721c-4913-9775-3dfcce97072a",
        "YubiKey 5 Series (NFC)",
    ),
    (
        "2fc0579f-8113-47ea-b116-bb5a8db9202a",
        "YubiKey 5 Series with NFC",
    ),
    (
        "fa2b99dc-9e39-4257-8f92-4a30d23c4118",
        "YubiKey 5 Series with NFC",
    ),
    (
        "149a2021-8ef6-4133-96b8-81f8d5b7f1f5",
        "Security Key by Yubico with NFC",
    ),
    (
        "833b721a-ff5f-4d00-bb2e-bdda3ec01e29",
        "Feitian ePass FIDO2",
    ),
    (
        "12ded745-4bed-47d4-abaa-e713f51d6393",
        "Feitian AllinOne FIDO2",
    ),
];

/// The model of a key by its AAGUID, empty when not well known.
pub fn model_of(aaguid: &str) -> &'static str {
    KNOWN_MODELS
        .iter()
        .find(|(id, _)| *id == aaguid)
        .map_or("", |(_, model)| model)
}

/// The AAGUID a key reported with its attestation (all zeros when it reported none).
fn aaguid_of(passkey: &Passkey) -> String {
    use webauthn_rs_core::proto::AttestationMetadata;
    let credential = Credential::from(passkey.clone());
    match credential.attestation.metadata {
        AttestationMetadata::Packed { aaguid } | AttestationMetadata::Tpm { aaguid, .. } => {
            aaguid.to_string()
        }
        _ => "00000000-0000-0000-0000-000000000000".to_owned(),
    }
}

fn summary(row: HolderRow) -> HolderSummary {
    HolderSummary {
        id: row.id,
        login: row.login,
        name: row.name,
        role: row.role,
        scope: row.scope,
        phone: row.phone,
        created_at: row.created_at,
        suspended_at: row.suspended_at,
        active_keys: row.active_keys,
    }
}

fn key_info(row: KeyRow, production: bool) -> KeyInfo {
    let aaguid = serde_json::from_str::<Passkey>(&row.passkey)
        .map(|p| aaguid_of(&p))
        .unwrap_or_default();
    KeyInfo {
        credential_id: domain::canonical::base64url(&row.id),
        model: model_of(&aaguid).to_owned(),
        aaguid,
        enrolled_at: row.created_at,
        last_used_at: row.last_used_at,
        counter: u64::try_from(row.counter).unwrap_or(0),
        attested: row.attested,
        needs_reenrolment: production && !row.attested && row.revoked_at.is_none(),
        revoked_at: row.revoked_at,
    }
}

fn may_administer(session: &Session, region: Option<Region>) -> bool {
    region.is_some_and(|r| session.holder.grant.may_administer(r))
}

fn out_of_scope() -> ApiError {
    forbidden(
        "out_of_scope",
        "只有本行政区划的编办管理员可以管理该使用人员或单位",
    )
}

/// A holder the admin may administer, with their keys.
async fn detail(
    conn: &mut Conn,
    session: &Session,
    id: &str,
    production: bool,
) -> Result<HolderDetail, ApiError> {
    let row = db::admin::holder(conn, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !may_administer(session, row.region) {
        return Err(out_of_scope());
    }
    let keys = db::admin::keys(conn, id)
        .await?
        .into_iter()
        .map(|k| key_info(k, production))
        .collect();
    Ok(HolderDetail {
        holder: summary(row),
        keys,
    })
}

/// Query of `GET /api/holders`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct HolderQuery {
    /// Part of a login or name.
    pub q: Option<String>,
    /// A unit id: holders whose scope is that unit or department.
    pub unit: Option<String>,
}

/// `GET /api/holders`: the holders of the admin's region.
#[utoipa::path(
    get,
    path = protocol::admin::HOLDERS_LIST_PATH,
    operation_id = "list_holders",
    tag = "admin",
    summary = "List and search key holders (使用人员列表)",
    description = "For a `bureau_admin`: the holders whose scope lies in the admin's region.",
    params(HolderQuery),
    responses(
        (status = 200, description = "the holders", body = protocol::admin::HolderList),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`", body = protocol::ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<HolderQuery>,
) -> Result<Json<HolderList>, ApiError> {
    holders::require_admin(&session)?;
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let unit = query
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let mut conn = db::connection(&state.pool).await?;
    let holders = db::admin::holders(&mut conn, q, unit)
        .await?
        .into_iter()
        .filter(|row| may_administer(&session, row.region))
        .map(summary)
        .collect();
    Ok(Json(HolderList { holders }))
}

/// `GET /api/holders/{id}`.
#[utoipa::path(
    get,
    path = protocol::admin::HOLDER_PATH,
    operation_id = "holder_detail",
    tag = "admin",
    summary = "One key holder with their keys (使用人员及其安全密钥)",
    description = "For a `bureau_admin` of the holder's region.",
    params(("id" = String, Path, description = "the holder's id")),
    responses(
        (status = 200, description = "the holder and their keys", body = protocol::admin::HolderDetail),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`", body = protocol::ErrorBody),
        (status = 404, description = "`not_found`", body = protocol::ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn holder(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<HolderDetail>, ApiError> {
    holders::require_admin(&session)?;
    let mut conn = db::connection(&state.pool).await?;
    let production = state.identity.attestation_cas.is_some();
    Ok(Json(detail(&mut conn, &session, &id, production).await?))
}

async fn set_suspended(
    state: &AppState,
    session: &Session,
    id: &str,
    suspend: bool,
    reason: &str,
) -> Result<HolderDetail, ApiError> {
    holders::require_admin(session)?;
    let mut tx = db::write(&state.pool)
        .await
        .context("starting a suspension")?;
    let row = db::admin::holder(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !may_administer(session, row.region) {
        return Err(out_of_scope());
    }
    let now = crate::clock::now();
    let changed = db::admin::set_suspended(&mut tx, id, suspend.then_some(now)).await?;
    if suspend {
        db::admin::end_sessions(&mut tx, id).await?;
    }
    if changed {
        audit::append(
            &mut tx,
            Entry {
                actor: Some(&session.holder.info.id),
                credential: Some(&session.credential_id_b64),
                action: if suspend {
                    "holder.suspend"
                } else {
                    "holder.reinstate"
                },
                target: &format!("holder:{id}"),
                // The reason may name people: its length only.
                detail: serde_json::json!({ "reason_chars": reason.chars().count() }),
            },
            now,
        )
        .await?;
    }
    let production = state.identity.attestation_cas.is_some();
    let detail = detail(&mut tx, session, id, production).await?;
    tx.commit().await.context("committing a suspension")?;
    Ok(detail)
}

/// `POST /api/holders/{id}/suspend`.
#[utoipa::path(
    post,
    path = protocol::admin::HOLDER_SUSPEND_PATH,
    operation_id = "suspend_holder",
    tag = "admin",
    summary = "Suspend a key holder (暂停使用)",
    description = "For a `bureau_admin` of the holder's region: the holder's sessions end; \
        sign-in and their signed documents are refused until reinstated. Audited.",
    params(("id" = String, Path, description = "the holder's id")),
    request_body = protocol::admin::HolderStatusChange,
    responses(
        (status = 200, description = "the holder as now", body = protocol::admin::HolderDetail),
        (status = 400, description = "`bad_request`", body = protocol::ErrorBody),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`, `csrf_invalid`, `origin_invalid`", body = protocol::ErrorBody),
        (status = 404, description = "`not_found`", body = protocol::ErrorBody),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub async fn suspend(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HolderStatusChange>,
) -> Result<Json<HolderDetail>, ApiError> {
    Ok(Json(
        set_suspended(&state, &session, &id, true, &body.reason).await?,
    ))
}

/// `POST /api/holders/{id}/reinstate`.
#[utoipa::path(
    post,
    path = protocol::admin::HOLDER_REINSTATE_PATH,
    operation_id = "reinstate_holder",
    tag = "admin",
    summary = "Reinstate a suspended key holder (恢复使用)",
    description = "For a `bureau_admin` of the holder's region. Audited.",
    params(("id" = String, Path, description = "the holder's id")),
    request_body = protocol::admin::HolderStatusChange,
    responses(
        (status = 200, description = "the holder as now", body = protocol::admin::HolderDetail),
        (status = 400, description = "`bad_request`", body = protocol::ErrorBody),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`, `csrf_invalid`, `origin_invalid`", body = protocol::ErrorBody),
        (status = 404, description = "`not_found`", body = protocol::ErrorBody),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub async fn reinstate(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HolderStatusChange>,
) -> Result<Json<HolderDetail>, ApiError> {
    Ok(Json(
        set_suspended(&state, &session, &id, false, &body.reason).await?,
    ))
}

/// `GET /api/units/{id}/holder-register`: the 使用人员备案表 of a unit.
#[utoipa::path(
    get,
    path = protocol::admin::HOLDER_REGISTER_PATH,
    operation_id = "holder_register",
    tag = "admin",
    summary = "The key-holder register of a unit (使用人员备案表)",
    description = "For a `bureau_admin` of the unit's region: the holders whose scope is the \
        unit (or the unit as a department), each with their keys.",
    params(("id" = String, Path, description = "the unit's id")),
    responses(
        (status = 200, description = "the register", body = protocol::admin::HolderRegister),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`", body = protocol::ErrorBody),
        (status = 404, description = "`not_found`", body = protocol::ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn register(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<HolderRegister>, ApiError> {
    holders::require_admin(&session)?;
    let unit_id = UnitId::parse(&id).map_err(|_| ApiError::NotFound)?;
    let mut conn = db::connection(&state.pool).await?;
    let record = db::units::record(&mut conn, &unit_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !session.holder.grant.may_administer(record.region) {
        return Err(out_of_scope());
    }
    let production = state.identity.attestation_cas.is_some();
    let mut details = Vec::new();
    for row in db::admin::holders(&mut conn, None, Some(unit_id.as_str())).await? {
        details.push(detail(&mut conn, &session, &row.id, production).await?);
    }
    Ok(Json(HolderRegister {
        unit_id: unit_id.to_string(),
        unit_name: record.name.to_string(),
        generated_at: crate::clock::now().to_string(),
        holders: details,
    }))
}

/// `GET /api/verification`: each unit's data-verification state, counted per region.
#[utoipa::path(
    get,
    path = protocol::admin::VERIFICATION_PATH,
    operation_id = "verification_overview",
    tag = "admin",
    summary = "The data-verification phase by unit and region (数据核实进度)",
    description = "For bureau roles and coordinators (a region scope): the units of the \
        holder's region, each with its state, and the counts per region.",
    responses(
        (status = 200, description = "the states", body = protocol::admin::VerificationOverview),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`", body = protocol::ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn verification(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<protocol::admin::VerificationOverview>, ApiError> {
    use protocol::admin::{RegionVerification, UnitVerification, VerificationState};
    let domain::Scope::Region(own) = session.holder.grant.scope() else {
        return Err(forbidden(
            "out_of_scope",
            "只有编办和协调配合部门可以查看数据核实进度",
        ));
    };
    let own = *own;
    let mut conn = db::connection(&state.pool).await?;
    let mut units = Vec::new();
    let mut regions: std::collections::BTreeMap<String, RegionVerification> =
        std::collections::BTreeMap::new();
    for (id, region, code, at) in db::admin::verification_overview(&mut conn).await? {
        if !Region::from_division_code(&region).is_some_and(|r| own.contains(r)) {
            continue;
        }
        let state = match code.as_deref() {
            Some("imported") => VerificationState::Imported,
            Some("confirmed_by_unit") => VerificationState::ConfirmedByUnit,
            Some("confirmed_by_bureau") => VerificationState::ConfirmedByBureau,
            _ => VerificationState::NotStarted,
        };
        let counts = regions
            .entry(region.clone())
            .or_insert_with(|| RegionVerification {
                region: region.clone(),
                not_started: 0,
                imported: 0,
                confirmed_by_unit: 0,
                confirmed_by_bureau: 0,
            });
        match state {
            VerificationState::NotStarted => counts.not_started += 1,
            VerificationState::Imported => counts.imported += 1,
            VerificationState::ConfirmedByUnit => counts.confirmed_by_unit += 1,
            VerificationState::ConfirmedByBureau => counts.confirmed_by_bureau += 1,
        }
        units.push(UnitVerification {
            unit_id: id,
            region,
            state,
            updated_at: at,
        });
    }
    Ok(Json(protocol::admin::VerificationOverview {
        units,
        regions: regions.into_values().collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_known_models_are_named() {
        assert_eq!(
            model_of("cb69481e-8ff7-4039-93ec-0a2729a154a8"),
            "YubiKey 5 Series"
        );
        assert_eq!(model_of("00000000-0000-0000-0000-000000000000"), "");
    }
}
