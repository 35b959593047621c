//! Reading a unit's certificate, within the reader's scope. A read of personal data by anyone
//! but the unit's own clerk (a clerk reading an affiliate included) is written to the audit log,
//! as for sync pulls.

use anyhow::Context;
use axum::Json;
use axum::extract::{Path, State};
use domain::certificate::Certificate;
use domain::{Role, Scope, UnitId};

use crate::db::audit::{self, Entry};
use crate::error::{ApiError, forbidden};
use crate::identity::session::Session;
use crate::state::AppState;

/// `GET /api/units/{id}/certificate`.
#[utoipa::path(
    get,
    path = "/api/units/{id}/certificate",
    operation_id = "unit_certificate",
    tag = "signed",
    summary = "A unit's whole certificate (查看编制证)",
    description = "For holders whose scope covers the unit; reads by anyone but the unit's own \
        clerk are audited. The body is the JSON of `domain::certificate::Certificate`.",
    params(("id" = String, Path, description = "the unit's id")),
    responses(
        (status = 200, description = "the certificate", body = Object),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`out_of_scope`", body = protocol::ErrorBody),
        (status = 404, description = "`not_found`: no such unit", body = protocol::ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn certificate(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Json<Certificate>, ApiError> {
    let id = UnitId::parse(&id).map_err(|_| ApiError::NotFound)?;
    let certificate = crate::db::certificates::read(&state.pool, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !session.holder.grant.may_read(&certificate.unit) {
        return Err(forbidden("out_of_scope", "无权查看该单位的编制证"));
    }
    // Every read of personal data is audited except a clerk reading their own unit.
    let own = matches!(
        (session.holder.grant.role(), session.holder.grant.scope()),
        (Role::UnitClerk, Scope::Unit(own)) if *own == id
    );
    if !own {
        audit::append_alone(
            &state.pool,
            Entry {
                actor: Some(&session.holder.info.id),
                credential: Some(&session.credential_id_b64),
                action: "certificate.read",
                target: &format!("unit:{id}"),
                detail: serde_json::json!({ "staff": certificate.staff.len() }),
            },
            crate::clock::now(),
        )
        .await
        .context("auditing the read")?;
    }
    Ok(Json(certificate))
}
