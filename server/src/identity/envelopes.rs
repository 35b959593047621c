//! `POST /api/envelopes`: signed applications in, one verdict each out.
//!
//! For each submission, in one `BEGIN IMMEDIATE` transaction: a repeat of envelope bytes already
//! seen gets the first verdict and changes nothing; otherwise the signature and everything
//! around it is checked ([`crate::signing::verify`]), then what needs the database: the
//! application id not used by another envelope, the unit known, the signer's role and scope
//! allowing this application for this unit, a payload that fits the kind, and for a quota-use
//! request a vacancy that covers it: the unit's vacant posts of the category, less what its
//! other requests still awaiting a decision ask for (`domain::UnitLedger::check_request`;
//! decided in this transaction, so two clerks pushing at once cannot both take the last post;
//! the approval checks the ledger again). The raw bytes, the assertion and the verdict are
//! stored, and the verdict is audited. A batch is verified in the order of the keys' signature
//! counters (see DESIGN-NOTES §1.7) and answered in the order sent.
//!
//! Codes beyond [`crate::signing::Rejection`]: [`ENDPOINT_CODES`].

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use domain::canonical::{hex, sha256};
use domain::payload::QuotaUseRequest;
use domain::{ApplicationPayload, LedgerError, SignedEnvelope, UnitId, UserId};
use protocol::identity::{
    SignedSubmission as WireSubmission, SubmitRequest, SubmitResponse, Verdict, VerdictStatus,
};
use sqlx::{Row, SqliteConnection};
use webauthn_rs::prelude::{Credential, Passkey};

use crate::db::audit::{self, Entry};
use crate::db::changes::{self, Entity};
use crate::db::holders;
use crate::db::{applications, certificates};
use crate::error::{ApiError, ApiJson};
use crate::identity::session::Session;
use crate::identity::verdicts;
use crate::signing::{self, KnownCredential, Rejection, SignedSubmission, decode_b64url};
use crate::state::AppState;

/// Most submissions in one request (shared with the client, which sends in batches).
pub const MAX_BATCH: usize = protocol::identity::MAX_SUBMISSIONS;

/// The verdict codes of this endpoint beyond [`Rejection`]'s: listed in the OpenAPI document
/// (`crate::openapi`), whose test checks that every code given below is here.
pub const ENDPOINT_CODES: &[&str] = &[
    "application_id_reused",
    "unit_unknown",
    "out_of_scope",
    "payload_invalid",
    "no_vacancy",
];

fn rejected(code: &str, message: String, application_id: Option<String>) -> Verdict {
    Verdict {
        application_id,
        status: VerdictStatus::Rejected,
        code: Some(code.to_owned()),
        message: Some(message),
    }
}

/// The raw bytes of a submission's base64url fields (also used for signed decisions).
pub(crate) fn decode(wire: &WireSubmission) -> Result<SignedSubmission, Rejection> {
    Ok(SignedSubmission {
        envelope: decode_b64url("envelope", &wire.envelope)?,
        credential_id: decode_b64url("credential_id", &wire.credential_id)?,
        client_data_json: decode_b64url("client_data_json", &wire.client_data_json)?,
        authenticator_data: decode_b64url("authenticator_data", &wire.authenticator_data)?,
        signature: decode_b64url("signature", &wire.signature)?,
    })
}

/// The handler. Any signed-in holder may carry submissions (a clerk, or a supervising
/// department relaying them); what each one may do is decided by its signer's grant.
#[utoipa::path(
    post,
    path = protocol::identity::ENVELOPES_PATH,
    tag = "signed",
    summary = "Submit signed applications (提交签名申报)",
    description = "One verdict per signed application, in order; a repeat gets the first \
        verdict. Any signed-in holder may carry submissions (a clerk, or a department relaying \
        them); each is judged by its signer's grant. A verdict's `code` is a `RejectionCode`.",
    request_body = protocol::identity::SubmitRequest,
    responses(
        (status = 200, description = "one verdict per submission, in order", body = protocol::identity::SubmitResponse),
        (status = 400, description = "`bad_request`: not the expected body, or more than 200 submissions", body = protocol::ErrorBody),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`csrf_invalid`, `origin_invalid`", body = protocol::ErrorBody),
    ),
    security(("session" = [], "csrf" = [])),
)]

pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<SubmitRequest>,
) -> Result<Json<SubmitResponse>, ApiError> {
    if request.submissions.len() > MAX_BATCH {
        return Err(ApiError::BadRequest(format!(
            "一次最多提交{MAX_BATCH}份申报"
        )));
    }
    let decoded: Vec<Result<SignedSubmission, Rejection>> =
        request.submissions.iter().map(decode).collect();
    let mut order: Vec<usize> = (0..decoded.len()).collect();
    order.sort_by_key(|&i| {
        decoded[i]
            .as_ref()
            .ok()
            .and_then(|s| signing::assertion_counter(&s.authenticator_data))
            .unwrap_or(0)
    });
    let mut verdicts: Vec<Option<Verdict>> = vec![None; decoded.len()];
    for i in order {
        let verdict = match &decoded[i] {
            Err(rejection) => rejected(rejection.code(), rejection.message_zh(), None),
            Ok(submission) => process(&state, &session, submission).await?,
        };
        verdicts[i] = Some(verdict);
    }
    Ok(Json(SubmitResponse {
        verdicts: verdicts.into_iter().flatten().collect(),
    }))
}

/// The stored credential with raw id `id` (also used for signed decisions).
pub(crate) async fn known_credential(
    conn: &mut SqliteConnection,
    id: &[u8],
) -> anyhow::Result<Option<KnownCredential>> {
    let Some(row) = sqlx::query(
        "SELECT holder_id, passkey, revoked_at, highest_envelope_counter FROM credential WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .context("reading the credential")?
    else {
        return Ok(None);
    };
    let passkey: Passkey =
        serde_json::from_str(row.try_get("passkey")?).context("stored passkey")?;
    let holder: String = row.try_get("holder_id")?;
    let highest: i64 = row.try_get("highest_envelope_counter")?;
    Ok(Some(KnownCredential {
        credential_id: id.to_vec(),
        holder: UserId::parse(&holder).map_err(|e| anyhow::anyhow!(e.message_en()))?,
        credential: Credential::from(passkey),
        revoked: row.try_get::<Option<String>, _>("revoked_at")?.is_some(),
        highest_counter: u32::try_from(highest).unwrap_or(u32::MAX),
    }))
}

/// The checks that need the database, after the signature verified.
async fn check_application(
    conn: &mut SqliteConnection,
    envelope: &SignedEnvelope,
) -> anyhow::Result<Result<(), (&'static str, String)>> {
    let reused: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM envelope WHERE application_id = ? AND status <> 'rejected'",
    )
    .bind(envelope.application_id.as_str())
    .fetch_optional(&mut *conn)
    .await
    .context("checking the application id")?;
    if reused.is_some() {
        return Ok(Err((
            "application_id_reused",
            "该申报编号已被另一份申报使用".to_owned(),
        )));
    }
    let record: Option<String> = sqlx::query_scalar("SELECT record FROM unit WHERE id = ?")
        .bind(envelope.unit.as_str())
        .fetch_optional(&mut *conn)
        .await
        .context("reading the unit")?;
    let Some(record) = record else {
        return Ok(Err(("unit_unknown", "申报单位不存在".to_owned())));
    };
    let unit: domain::unit::UnitRecord =
        serde_json::from_str(&record).context("stored unit record")?;
    let signer = holders::load(conn, envelope.signer.as_str()).await?;
    if !signer.is_some_and(|h| h.grant.may_file(&unit, envelope.kind)) {
        return Ok(Err((
            "out_of_scope",
            "签名人无权为该单位办理此项申报".to_owned(),
        )));
    }
    let payload = match envelope.decode_payload() {
        Err(e) => return Ok(Err(("payload_invalid", e.message_zh()))),
        Ok(payload) => payload,
    };
    // The payload's own rules (domain), whatever the client checked before signing.
    if let Err(e) = payload.check() {
        return Ok(Err(("payload_invalid", e.message_zh())));
    }
    if let ApplicationPayload::QuotaUse(request) = &payload
        && let Err(e) = check_vacancy(conn, &unit.id, request).await?
    {
        return Ok(Err(("no_vacancy", e.message_zh())));
    }
    Ok(Ok(()))
}

/// Whether `unit`'s vacancy covers a quota-use request: the figures gathered here, the rule
/// is the domain's (`UnitLedger::check_request`). Inside the caller's `BEGIN IMMEDIATE`
/// transaction, so the requests counted are exactly those accepted before this one.
async fn check_vacancy(
    conn: &mut SqliteConnection,
    unit: &UnitId,
    request: &QuotaUseRequest,
) -> anyhow::Result<Result<(), LedgerError>> {
    let ledger = certificates::read_ledger(conn, unit).await?;
    let claimed = applications::claimed_posts(conn, unit).await?;
    let outstanding = domain::ledger::outstanding_posts(request.category, claimed);
    Ok(ledger.check_request(request.category, request.count, outstanding))
}

async fn process(
    state: &AppState,
    session: &Session,
    submission: &SignedSubmission,
) -> Result<Verdict, ApiError> {
    let envelope_hash = hex(&sha256(&submission.envelope));
    let mut tx = state
        .pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a submission")?;
    if let Some(row) = sqlx::query(
        "SELECT application_id, status, code, message FROM envelope \
         WHERE envelope_hash = ? AND verified = 1",
    )
    .bind(&envelope_hash)
    .fetch_optional(&mut *tx)
    .await
    .context("looking for a repeat")?
    {
        let status: String = row.try_get("status").context("status")?;
        return Ok(Verdict {
            application_id: row.try_get("application_id").context("application id")?,
            status: verdicts::status_of(&status),
            code: row.try_get("code").context("code")?,
            message: row.try_get("message").context("message")?,
        });
    }
    let now = crate::clock::now();
    let known = known_credential(&mut tx, &submission.credential_id).await?;
    let outcome = signing::verify(submission, known.as_ref(), &state.identity.policy, now);
    // What the envelope says, for the record, even when it was refused.
    let readable = SignedEnvelope::from_signed_bytes(&submission.envelope)
        .ok()
        .map(|(e, _)| e);
    if let Ok(verified) = &outcome {
        verdicts::raise_counter(&mut tx, &submission.credential_id, verified.counter).await?;
    }
    let (status, code, message) = match &outcome {
        Ok(verified) => match check_application(&mut tx, &verified.envelope).await? {
            Ok(()) => {
                // From now on the application is tracked, `submitted`, for decisions.
                crate::db::applications::insert_submitted(
                    &mut tx,
                    &verified.envelope,
                    &envelope_hash,
                    now,
                )
                .await?;
                // Sync: the new application reaches those whose scope covers its unit.
                let (unit, id) = (&verified.envelope.unit, &verified.envelope.application_id);
                changes::record(&mut tx, unit.as_str(), Entity::Application, id.as_str()).await?;
                verdicts::accepted()
            }
            Err((code, message)) => verdicts::refused(code, message),
        },
        Err(rejection) => verdicts::of_rejection(rejection),
    };
    let status_code = verdicts::status_code(status);
    let application_id = readable.as_ref().map(|e| e.application_id.to_string());
    sqlx::query(
        "INSERT INTO envelope (envelope_hash, verified, application_id, credential_id, unit_id, kind, \
         signer, bytes, client_data_json, authenticator_data, signature, status, code, message, \
         received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&envelope_hash)
    .bind(verdicts::signature_verified(&outcome))
    .bind(&application_id)
    .bind(&submission.credential_id)
    .bind(readable.as_ref().map(|e| e.unit.to_string()))
    .bind(readable.as_ref().map(|e| e.kind.code()))
    .bind(readable.as_ref().map(|e| e.signer.to_string()))
    .bind(&submission.envelope)
    .bind(&submission.client_data_json)
    .bind(&submission.authenticator_data)
    .bind(&submission.signature)
    .bind(status_code)
    .bind(&code)
    .bind(&message)
    .bind(now.to_string())
    .execute(&mut *tx)
    .await
    .context("recording the envelope")?;
    audit::append(
        &mut tx,
        Entry {
            actor: Some(&session.holder.info.id),
            credential: Some(&session.credential_id_b64),
            action: match status {
                VerdictStatus::Accepted => "envelope.accept",
                VerdictStatus::Held => "envelope.hold",
                VerdictStatus::Rejected => "envelope.reject",
            },
            target: &application_id.as_ref().map_or_else(
                || format!("envelope:{envelope_hash}"),
                |id| format!("application:{id}"),
            ),
            detail: serde_json::json!({
                "code": code,
                "unit": readable.as_ref().map(|e| e.unit.to_string()),
                "kind": readable.as_ref().map(|e| e.kind.code()),
                "signer": readable.as_ref().map(|e| e.signer.to_string()),
                "envelope_hash": envelope_hash,
            }),
        },
        now,
    )
    .await?;
    tx.commit().await.context("committing the submission")?;
    if status != VerdictStatus::Accepted {
        tracing::info!(
            code = code.as_deref().unwrap_or(""),
            status = status_code,
            "envelope not accepted"
        );
    }
    Ok(Verdict {
        application_id,
        status,
        code,
        message,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_endpoint_codes_are_in_the_api_documentation() {
        let doc = include_str!("../../../docs/API.md");
        for code in super::ENDPOINT_CODES {
            assert!(
                doc.contains(&format!("| `{code}` |")),
                "{code} is missing from docs/API.md"
            );
        }
    }
}
