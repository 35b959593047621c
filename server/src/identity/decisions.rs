//! `POST /api/decisions`: a signed decision on an application (a department's endorsement, the
//! bureau's approval, return or rejection), verified like a signed application and applied in
//! one step.
//!
//! The reviewer's client builds a `domain::SignedDecision` (tag `dzbzglz.decision`), and the
//! reviewer's security key signs `SHA-256` of its canonical bytes, exactly as a clerk signs an
//! application. In one `BEGIN IMMEDIATE` transaction: a repeat of decision bytes already seen
//! gets the first verdict and changes nothing; otherwise the signature and everything around it
//! is checked ([`crate::signing::verify_document`], the same checks and codes as for
//! applications), then, in this order:
//!
//! 1. the document's own rules (`SignedDecision::check`): a decision's action, a note for a
//!    return or a rejection;
//! 2. the decision id not used by another decision;
//! 3. the application exists (its envelope was accepted);
//! 4. the *decider's* grant covers the application's unit for this step: `may_endorse` for the
//!    steps the domain gives the supervising department (`Action::allowed_roles`: endorsing, and
//!    returning or rejecting a quota-use request before it is endorsed), `may_decide` for the
//!    bureau's;
//! 5. the domain lifecycle allows the step from the application's current status for the
//!    decider's role (`domain::application::transition`): the server keeps no state machine of
//!    its own;
//! 6. the effects of an approval: a quota-use approval reserves the posts and issues the
//!    quota-use slip through `domain::UnitBook::approve_quota_use` (which keeps
//!    `filled + reserved <= approved`), numbered with `domain::Numbering` for the bureau of the
//!    decider's region and the year; the new ledger figures, the slip and the counter are
//!    written in the same transaction.
//!
//! Then the new status is stored, and the raw bytes, assertion and verdict are kept and audited
//! (`decision.accept`, `decision.reject`, `decision.hold`) — all in that transaction.
//!
//! Approvals of onboarding, offboarding and record-change applications change their status
//! only: their effects on the staff lists and the ledger (`UnitBook::approve_onboarding`,
//! `approve_offboarding`) come with synchronising those applications' records, and are not
//! applied by this endpoint.
//!
//! Codes beyond [`crate::signing::Rejection`]: `action_not_a_decision`, `note_required`,
//! `note_too_long`, `decision_id_reused`, `application_unknown`, `out_of_scope`,
//! `transition_not_allowed`, `no_vacancy`, `approval_refused`.

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use domain::application::transition;
use domain::canonical::{hex, sha256};
use domain::payload::ApplicationPayload;
use domain::slip::{IssuedDocumentKind, SlipValidity};
use domain::unit::UnitRecord;
use domain::{
    Action, ApplicationKind, ApplicationStatus, ApprovalError, DecisionError, Grant, LedgerError,
    Role, Scope, SignedDecision, Timestamp, TransitionError,
};
use protocol::identity::{DecideRequest, DecisionVerdict, VerdictStatus};
use sqlx::{Row, SqliteConnection};

use crate::db::audit::{self, Entry};
use crate::db::changes::{self, Entity};
use crate::db::holders;
use crate::db::{applications, ledger};
use crate::error::{ApiError, ApiJson};
use crate::identity::envelopes::{decode, known_credential};
use crate::identity::session::Session;
use crate::identity::verdicts;
use crate::signing::{self, SignedSubmission};
use crate::state::AppState;

/// The verdict codes of this endpoint beyond [`crate::signing::Rejection`]'s, in the order of
/// the checks: listed in the OpenAPI document (`crate::openapi`), whose test checks that every
/// code given below is here.
pub const ENDPOINT_CODES: &[&str] = &[
    "action_not_a_decision",
    "note_required",
    "note_too_long",
    "decision_id_reused",
    "application_unknown",
    "out_of_scope",
    "transition_not_allowed",
    "no_vacancy",
    "approval_refused",
];

/// A refusal after the signature verified: a code and its Chinese message.
type Refusal = (&'static str, String);

/// What an accepted decision did.
#[derive(Debug, Clone)]
struct Applied {
    unit: String,
    from: ApplicationStatus,
    to: ApplicationStatus,
    slip_number: Option<String>,
}

/// The handler. The decision is judged by its *decider's* grant, whoever carries it.
#[utoipa::path(
    post,
    path = protocol::identity::DECISIONS_PATH,
    tag = "signed",
    summary = "Submit one signed decision: endorse, approve, return or reject (提交审批决定)",
    description = "Judged by the decider's grant, whoever carries it: its verdict, the \
        application's new status and, for an approved quota-use request, the slip number. A \
        repeat gets the first verdict. A verdict's `code` is a `RejectionCode`.",
    request_body = protocol::identity::DecideRequest,
    responses(
        (status = 200, description = "the verdict", body = protocol::identity::DecisionVerdict),
        (status = 400, description = "`bad_request`: not the expected body", body = protocol::ErrorBody),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`csrf_invalid`, `origin_invalid`", body = protocol::ErrorBody),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub async fn decide(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<DecideRequest>,
) -> Result<Json<DecisionVerdict>, ApiError> {
    match decode(&request.submission) {
        Err(rejection) => Ok(Json(DecisionVerdict {
            decision_id: None,
            application_id: None,
            status: VerdictStatus::Rejected,
            code: Some(rejection.code().to_owned()),
            message: Some(rejection.message_zh()),
            application_status: None,
            slip_number: None,
        })),
        Ok(submission) => process(&state, &session, &submission).await.map(Json),
    }
}

/// The first verdict on these bytes, if they were seen before.
async fn repeat(
    conn: &mut SqliteConnection,
    decision_hash: &str,
) -> anyhow::Result<Option<DecisionVerdict>> {
    let Some(row) = sqlx::query(
        "SELECT decision_id, application_id, status, code, message, application_status, slip_number \
         FROM decision WHERE decision_hash = ? AND verified = 1",
    )
    .bind(decision_hash)
    .fetch_optional(&mut *conn)
    .await
    .context("looking for a repeat")?
    else {
        return Ok(None);
    };
    let status: String = row.try_get("status")?;
    Ok(Some(DecisionVerdict {
        decision_id: row.try_get("decision_id")?,
        application_id: row.try_get("application_id")?,
        status: verdicts::status_of(&status),
        code: row.try_get("code")?,
        message: row.try_get("message")?,
        application_status: row.try_get("application_status")?,
        slip_number: row.try_get("slip_number")?,
    }))
}

async fn process(
    state: &AppState,
    session: &Session,
    submission: &SignedSubmission,
) -> Result<DecisionVerdict, ApiError> {
    let decision_hash = hex(&sha256(&submission.envelope));
    let mut tx = state
        .pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting a decision")?;
    if let Some(first) = repeat(&mut tx, &decision_hash).await? {
        return Ok(first);
    }
    let now = crate::clock::now();
    let known = known_credential(&mut tx, &submission.credential_id).await?;
    let outcome = signing::verify_document::<SignedDecision>(
        submission,
        known.as_ref(),
        &state.identity.policy,
        now,
    );
    // Only a decision whose signature verified may answer a later repeat of its bytes.
    let signature_ok = verdicts::signature_verified(&outcome);
    // What the decision says, for the record, even when it was refused.
    let readable = SignedDecision::from_signed_bytes(&submission.envelope)
        .ok()
        .map(|(d, _)| d);
    if let Ok(verified) = &outcome {
        verdicts::raise_counter(&mut tx, &submission.credential_id, verified.counter).await?;
    }
    let mut applied = None;
    let (status, code, message) = match &outcome {
        Ok(verified) => match apply(&mut tx, &verified.document, now).await? {
            Ok(done) => {
                applied = Some(done);
                verdicts::accepted()
            }
            Err((code, message)) => verdicts::refused(code, message),
        },
        Err(rejection) => verdicts::of_rejection(rejection),
    };
    let verdict = DecisionVerdict {
        decision_id: readable.as_ref().map(|d| d.decision_id.to_string()),
        application_id: readable.as_ref().map(|d| d.application_id.to_string()),
        status,
        code,
        message,
        application_status: applied.as_ref().map(|a| a.to.code().to_owned()),
        slip_number: applied.as_ref().and_then(|a| a.slip_number.clone()),
    };
    sqlx::query(
        "INSERT INTO decision (decision_hash, verified, decision_id, application_id, action, decider, \
         credential_id, bytes, client_data_json, authenticator_data, signature, status, code, \
         message, application_status, slip_number, received_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&decision_hash)
    .bind(signature_ok)
    .bind(&verdict.decision_id)
    .bind(&verdict.application_id)
    .bind(readable.as_ref().map(|d| d.action.code()))
    .bind(readable.as_ref().map(|d| d.decider.to_string()))
    .bind(&submission.credential_id)
    .bind(&submission.envelope)
    .bind(&submission.client_data_json)
    .bind(&submission.authenticator_data)
    .bind(&submission.signature)
    .bind(verdicts::status_code(status))
    .bind(&verdict.code)
    .bind(&verdict.message)
    .bind(&verdict.application_status)
    .bind(&verdict.slip_number)
    .bind(now.to_string())
    .execute(&mut *tx)
    .await
    .context("recording the decision")?;
    audit::append(
        &mut tx,
        Entry {
            actor: Some(&session.holder.info.id),
            credential: Some(&session.credential_id_b64),
            action: match status {
                VerdictStatus::Accepted => "decision.accept",
                VerdictStatus::Held => "decision.hold",
                VerdictStatus::Rejected => "decision.reject",
            },
            target: &verdict.application_id.as_ref().map_or_else(
                || format!("decision:{decision_hash}"),
                |id| format!("application:{id}"),
            ),
            // Ids and codes only: the note may name people.
            detail: serde_json::json!({
                "code": verdict.code,
                "decision_id": verdict.decision_id,
                "action": readable.as_ref().map(|d| d.action.code()),
                "decider": readable.as_ref().map(|d| d.decider.to_string()),
                "unit": applied.as_ref().map(|a| a.unit.clone()),
                "from": applied.as_ref().map(|a| a.from.code()),
                "to": applied.as_ref().map(|a| a.to.code()),
                "slip_number": verdict.slip_number,
                "decision_hash": decision_hash,
            }),
        },
        now,
    )
    .await?;
    tx.commit().await.context("committing the decision")?;
    if status != VerdictStatus::Accepted {
        tracing::info!(
            code = verdict.code.as_deref().unwrap_or(""),
            status = verdicts::status_code(status),
            "decision not accepted"
        );
    }
    Ok(verdict)
}

/// The code of a decision that breaks the document's own rules.
fn document_refusal(e: &DecisionError) -> Refusal {
    let code = match e {
        DecisionError::NotADecision { .. } => "action_not_a_decision",
        DecisionError::NoteRequired { .. } => "note_required",
        DecisionError::NoteTooLong { .. } => "note_too_long",
        _ => "envelope_malformed",
    };
    (code, e.message_zh())
}

/// Whether `grant` covers `unit` for the step the domain gives to `action` at `from`: the
/// supervising department's steps need `may_endorse`, the bureau's `may_decide`.
fn covers(
    grant: &Grant,
    unit: &UnitRecord,
    action: Action,
    kind: ApplicationKind,
    from: ApplicationStatus,
) -> bool {
    if action.allowed_roles(kind, from).contains(&Role::Supervisor) {
        grant.may_endorse(unit)
    } else {
        grant.may_decide(unit)
    }
}

/// Everything after the signature verified: the rules, then the effects. A refusal changes
/// nothing (the caller's transaction keeps only the decision's record and audit entry).
async fn apply(
    conn: &mut SqliteConnection,
    decision: &SignedDecision,
    now: Timestamp,
) -> anyhow::Result<Result<Applied, Refusal>> {
    if let Err(e) = decision.check() {
        return Ok(Err(document_refusal(&e)));
    }
    let reused: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM decision WHERE decision_id = ? AND status <> 'rejected'")
            .bind(decision.decision_id.as_str())
            .fetch_optional(&mut *conn)
            .await
            .context("checking the decision id")?;
    if reused.is_some() {
        return Ok(Err((
            "decision_id_reused",
            "该审批决定编号已被另一份审批决定使用".to_owned(),
        )));
    }
    let Some(application) = applications::load(conn, &decision.application_id).await? else {
        return Ok(Err((
            "application_unknown",
            "审批的申报不存在或尚未提交".to_owned(),
        )));
    };
    let record: Option<String> = sqlx::query_scalar("SELECT record FROM unit WHERE id = ?")
        .bind(application.unit.as_str())
        .fetch_optional(&mut *conn)
        .await
        .context("reading the unit")?;
    let unit: UnitRecord = serde_json::from_str(
        &record
            .with_context(|| format!("unit {} of an application is missing", application.unit))?,
    )
    .context("stored unit record")?;
    let (kind, from, action) = (application.kind, application.status, decision.action);
    let Some(decider) = holders::load(conn, decision.decider.as_str()).await? else {
        return Ok(Err(out_of_scope(action)));
    };
    if !covers(&decider.grant, &unit, action, kind, from) {
        return Ok(Err(out_of_scope(action)));
    }
    let to = match transition(kind, from, action, decider.grant.role()) {
        Ok(to) => to,
        Err(e @ TransitionError::NotAllowed { .. }) => {
            return Ok(Err(("transition_not_allowed", e.message_zh())));
        }
        Err(e @ TransitionError::WrongRole { .. }) => {
            return Ok(Err(("out_of_scope", e.message_zh())));
        }
    };
    let mut slip_number = None;
    if to == ApplicationStatus::Approved && kind == ApplicationKind::QuotaUse {
        match approve_quota_use(conn, &application, &decider.grant, &unit, now).await? {
            Ok(number) => slip_number = Some(number),
            Err(refusal) => return Ok(Err(refusal)),
        }
    }
    applications::set_status(conn, &application.id, from, to, now).await?;
    // Sync: the application's new status.
    changes::record(
        conn,
        unit.id.as_str(),
        Entity::Application,
        application.id.as_str(),
    )
    .await?;
    Ok(Ok(Applied {
        unit: unit.id.to_string(),
        from,
        to,
        slip_number,
    }))
}

fn out_of_scope(action: Action) -> Refusal {
    (
        "out_of_scope",
        format!("审批人无权对该单位的申报执行“{}”", action.label_zh()),
    )
}

/// Reserves the posts of a quota-use request and issues its slip, through the domain; returns
/// the slip number, or the domain's refusal (nothing written).
async fn approve_quota_use(
    conn: &mut SqliteConnection,
    application: &applications::StoredApplication,
    grant: &Grant,
    unit: &UnitRecord,
    now: Timestamp,
) -> anyhow::Result<Result<String, Refusal>> {
    let ApplicationPayload::QuotaUse(request) =
        ApplicationPayload::from_value(application.kind, &application.payload)
            .context("stored quota-use payload")?
    else {
        anyhow::bail!("application {} is not a quota-use request", application.id);
    };
    let mut book = ledger::load_book(conn, &application.unit)
        .await?
        .with_context(|| format!("unit {} of an application is missing", application.unit))?;
    // The bureau that approves numbers the slip: the decider's; a reviewer's scope is a region.
    let bureau = match grant.scope() {
        Scope::Region(region) => region.bureau(),
        Scope::Unit(_) | Scope::Department(_) => unit.region.bureau(),
    };
    let on = now.date_in_china();
    let kind = IssuedDocumentKind::QuotaUseSlip;
    let mut numbering = ledger::numbering(conn, bureau, kind, on.year()).await?;
    let number = numbering
        .issue(bureau, kind, on)
        .map_err(|e| anyhow::anyhow!("numbering a slip: {}", e.message_en()))?;
    let slip = match book.approve_quota_use(&request, number.clone(), on, SlipValidity::default()) {
        Ok(slip) => slip.clone(),
        Err(ApprovalError::Ledger(e @ LedgerError::InsufficientVacancy { .. })) => {
            return Ok(Err(("no_vacancy", e.message_zh())));
        }
        Err(e) => return Ok(Err(("approval_refused", e.message_zh()))),
    };
    ledger::save_figures(conn, &book, request.category).await?;
    ledger::insert_slip(conn, &slip, &application.id).await?;
    ledger::record_issued(conn, bureau, kind, &number).await?;
    // Sync: the unit's certificate, whose ledger figures changed.
    changes::record(
        conn,
        unit.id.as_str(),
        Entity::Certificate,
        unit.id.as_str(),
    )
    .await?;
    Ok(Ok(number.to_string()))
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
        assert!(doc.contains("`POST /api/decisions`"));
    }
}
