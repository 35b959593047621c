//! Documents anyone can check, server side (docs/API.md, "Documents anyone can check"): the
//! bureaus' keys ([`keyring`]), and three public endpoints —
//!
//! - `GET /api/document-keys`: every published key (anyone);
//! - `GET /api/documents/check?content=…|number=…`: genuine or not. Anyone gets only that, the
//!   code of what failed and the number — never personal data. A holder whose grant may read
//!   the document's unit (`Grant::may_read`: its clerk, its supervising department, the
//!   bureau's coordinators and reviewers of its region) also gets the status (current, used,
//!   void, lapsed), the signed document and what happened to it. The check of a session is
//!   explicit here: [`Session`] is taken when present (`Option<Session>`), and the scope decided
//!   with `may_read` on the document's unit.
//! - `GET /api/audit/head`: the audit chain's head signed with the city bureau's key (anyone).
//!
//! Signing happens at issuance (`signed::effects`), voiding through a signed decision
//! (`signed::decision`).

pub mod keyring;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use documents::PublishedKey;
use documents::audit::AuditHead as Head;
use documents::qr::{self, Verdict};
use domain::Bureau;
use protocol::documents::{
    AuditHead, DocumentCheck, DocumentCheckQuery, DocumentDetail, DocumentEvent, DocumentKey,
    DocumentKeys,
};

use crate::db::documents::{StoredDocument, issued_signature};
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::identity::session::Session;
use crate::state::AppState;

/// The routes under `/api` that this module serves; all three are public.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/document-keys", get(keys))
        .route("/documents/check", get(check))
        .route("/audit/head", get(audit_head))
}

/// A published key on the wire, with its PEM.
pub fn wire_key(key: &PublishedKey) -> anyhow::Result<DocumentKey> {
    Ok(DocumentKey {
        key_id: key.key_id.to_string(),
        bureau: keyring::bureau_code(key.bureau).to_owned(),
        public_key: key.public_key.clone(),
        pem: key.pem()?,
        created_at: key.created_at.to_string(),
        retired_at: key.retired_at.map(|t| t.to_string()),
    })
}

/// Every published key on the wire.
pub async fn published(conn: &mut Conn) -> anyhow::Result<Vec<DocumentKey>> {
    db::documents::keys(conn)
        .await?
        .iter()
        .map(wire_key)
        .collect()
}

/// `GET /api/document-keys`.
#[utoipa::path(
    get,
    path = protocol::documents::DOCUMENT_KEYS_PATH,
    tag = "documents",
    summary = "The bureaus' published SM2 document keys (单据签名公钥)",
    description = "Every key a bureau signs issued documents with, retired ones included (they \
        verify what they signed before they were retired). Public: no session.",
    responses((status = 200, description = "the keys", body = DocumentKeys)),
)]
pub async fn keys(State(state): State<AppState>) -> Result<Json<DocumentKeys>, ApiError> {
    let mut conn = db::connection(&state.pool).await?;
    Ok(Json(DocumentKeys {
        keys: published(&mut conn).await?,
    }))
}

/// `GET /api/documents/check`.
#[utoipa::path(
    get,
    path = protocol::documents::DOCUMENT_CHECK_PATH,
    tag = "documents",
    summary = "Check an issued document: genuine or not (单据真伪核验)",
    description = "By its QR content (`content`) or its number (`number`). Anyone gets genuine \
        or not, the code of what failed and the number — no personal data. A signed-in holder \
        whose scope covers the document's unit also gets `detail`: the status (current, used, \
        void, lapsed), the signed document and what happened to it.",
    params(
        ("content" = Option<String>, Query, description = "the QR content `DZ1.…`"),
        ("number" = Option<String>, Query, description = "a document number, e.g. 天编用〔2026〕0012号"),
    ),
    responses(
        (status = 200, description = "the answer", body = DocumentCheck),
        (status = 400, description = "`bad_request`: neither or both of `content` and `number`", body = protocol::ErrorBody),
    ),
)]
pub async fn check(
    State(state): State<AppState>,
    session: Option<Session>,
    params: Result<Query<DocumentCheckQuery>, QueryRejection>,
) -> Result<Json<DocumentCheck>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let mut conn = db::connection(&state.pool).await?;
    let not = |code: &str, message: String, number: Option<String>| DocumentCheck {
        genuine: false,
        code: code.to_owned(),
        message,
        number,
        detail: None,
    };
    let stored = match (params.content.as_deref(), params.number.as_deref()) {
        (Some(content), None) => {
            let keys = db::documents::keys(&mut conn).await?;
            match qr::verify(content, &keys) {
                Verdict::NotGenuine { failure, number } => {
                    return Ok(Json(not(failure.code(), failure.message_zh(), number)));
                }
                Verdict::Genuine { document, .. } => {
                    let number = document.form.number.to_string();
                    match db::documents::by_number(&mut conn, &number).await? {
                        // What was signed must be what the bureau holds.
                        Some(stored)
                            if stored.canonical.as_deref() == Some(&document.canonical) =>
                        {
                            stored
                        }
                        _ => return Ok(Json(unknown(Some(number)))),
                    }
                }
            }
        }
        (None, Some(number)) => match db::documents::by_number(&mut conn, number.trim()).await? {
            Some(stored) => stored,
            None => return Ok(Json(unknown(Some(number.trim().to_owned())))),
        },
        _ => {
            return Err(ApiError::BadRequest(
                "须给出二维码内容（content）或单据编号（number）之一".into(),
            ));
        }
    };
    let today = state.clock.today();
    let number = stored.issued.number.to_string();
    let void = stored.voided_at.is_some();
    let mut answer = if void {
        not(
            "document_void",
            format!("单据{number}已作废，不再有效"),
            Some(number.clone()),
        )
    } else {
        DocumentCheck {
            genuine: true,
            code: "genuine".into(),
            message: format!("单据{number}真实有效，系编办出具"),
            number: Some(number.clone()),
            detail: None,
        }
    };
    // The scope check: only a holder who may read the unit sees more than genuine or not.
    let in_scope = match &session {
        Some(session) => match db::units::record(&mut conn, &stored.issued.unit).await? {
            Some(unit) => session.holder.grant.may_read(&unit),
            None => false,
        },
        None => false,
    };
    if in_scope && let Some(signed) = issued_signature(&stored, today) {
        let events = events(&mut conn, &stored).await?;
        answer.detail = Some(DocumentDetail { signed, events });
    }
    Ok(Json(answer))
}

fn unknown(number: Option<String>) -> DocumentCheck {
    DocumentCheck {
        genuine: false,
        code: "document_unknown".into(),
        message: "编办没有出具过这份单据：单据系伪造或编号有误".into(),
        number,
        detail: None,
    }
}

/// What happened to a document, oldest first.
async fn events(conn: &mut Conn, stored: &StoredDocument) -> anyhow::Result<Vec<DocumentEvent>> {
    let issued = &stored.issued;
    let mut events = vec![DocumentEvent {
        what: "issued".into(),
        at: issued.issued_on.to_string(),
        by: Some(issued.approver_name.clone()),
        note: None,
        number: None,
    }];
    if let Some(slip) = &stored.slip {
        for (notice, on) in db::documents::used_by(conn, issued.number.as_str()).await? {
            events.push(DocumentEvent {
                what: "used".into(),
                at: on,
                by: None,
                note: None,
                number: Some(notice),
            });
        }
        if slip.released && stored.voided_at.is_none() {
            events.push(DocumentEvent {
                what: "lapsed".into(),
                at: slip.valid_until.to_string(),
                by: None,
                note: None,
                number: None,
            });
        }
    }
    if let Some(at) = &stored.voided_at {
        let by = match &stored.void_decision {
            Some(decision) => db::documents::decider_name(conn, decision).await?,
            None => None,
        };
        events.push(DocumentEvent {
            what: "void".into(),
            at: at.clone(),
            by,
            note: stored.void_reason.clone(),
            number: None,
        });
    }
    Ok(events)
}

/// `GET /api/audit/head`.
#[utoipa::path(
    get,
    path = protocol::documents::AUDIT_HEAD_PATH,
    tag = "documents",
    summary = "The audit chain's head, signed by the city bureau (审计日志链头)",
    description = "The last entry's sequence number and hash, the time, and the city bureau's \
        SM2 signature over `{\"at\",\"hash\",\"seq\",\"tag\":\"dzbzglz.audit-head\"}` (RFC 8785). \
        Public: no session. 503 `unavailable` when the city bureau has no document key.",
    responses(
        (status = 200, description = "the signed head", body = AuditHead),
        (status = 503, description = "`unavailable`: no city document key", body = protocol::ErrorBody),
    ),
)]
pub async fn audit_head(State(state): State<AppState>) -> Result<Json<AuditHead>, ApiError> {
    let signed = signed_head(&state).await?;
    Ok(Json(AuditHead {
        seq: signed.seq,
        hash: signed.hash,
        at: signed.at.to_string(),
        key_id: signed.key_id.to_string(),
        signature: signed.signature,
    }))
}

/// The head of the audit chain now, signed with the city bureau's key.
pub async fn signed_head(state: &AppState) -> Result<documents::audit::SignedAuditHead, ApiError> {
    let mut conn = db::connection(&state.pool).await?;
    head_signed_by(&mut conn, &state.documents).await
}

/// The head read on `conn`, signed with the city bureau's key from `keyring`.
pub async fn head_signed_by(
    conn: &mut Conn,
    keyring: &keyring::Keyring,
) -> Result<documents::audit::SignedAuditHead, ApiError> {
    let head = db::audit::head(conn).await?;
    let Some(key) = keyring::signing_key(conn, keyring, Bureau::CITY).await? else {
        return Err(ApiError::Unavailable("document key"));
    };
    Ok(Head {
        seq: head.seq,
        hash: head.hash,
        at: crate::clock::now(),
    }
    .sign(&key))
}

/// The whole audit chain with its head signed by the city bureau's key, read in one
/// transaction (`server export-audit`).
pub async fn export_audit(
    pool: &db::Pool,
    keyring: &keyring::Keyring,
) -> anyhow::Result<documents::audit::AuditExport> {
    let mut tx = db::read(pool).await?;
    let entries = db::audit::entries(&mut tx).await?;
    let head = match head_signed_by(&mut tx, keyring).await {
        Ok(head) => head,
        Err(ApiError::Unavailable(_)) => {
            anyhow::bail!("the city bureau has no document key: run `server document-key create`")
        }
        Err(other) => anyhow::bail!("signing the audit head: {other}"),
    };
    tx.commit()
        .await
        .map_err(|e| anyhow::anyhow!("ending the export: {e}"))?;
    Ok(documents::audit::AuditExport::new(head, entries))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_endpoints_are_in_the_api_documentation() {
        let doc = include_str!("../../../docs/API.md");
        for path in [
            "`GET /api/document-keys`",
            "`GET /api/documents/check",
            "`GET /api/audit/head`",
        ] {
            assert!(doc.contains(path), "{path}");
        }
    }
}
