//! A signed decision on an application (`domain::SignedDecision`, tag `dzbzglz.decision`): a
//! department's endorsement, the bureau's approval, return or rejection, and
//! `POST /api/decisions`.
//!
//! The reviewer's client builds the decision and the reviewer's security key signs `SHA-256` of
//! its canonical bytes, exactly as a clerk signs an application; it is received the same way
//! ([`super::receiver`]: the same checks and codes). Then, in this order:
//!
//! 1. the document's own rules (`SignedDecision::check`): a decision's action, a note for a
//!    return or a rejection;
//! 2. the decision id not used by another decision that was not rejected;
//! 3. the application exists (its envelope was accepted);
//! 4. the *decider's* grant covers the application's unit for this step
//!    (`Grant::may_take_step`: `may_endorse` for the supervising department's steps,
//!    `may_decide` for the bureau's);
//! 5. the domain lifecycle allows the step from the application's current status for the
//!    decider's role (`domain::application::transition`): the server keeps no state machine of
//!    its own;
//! 6. a quota-use approval reserves the posts and issues the quota-use slip through
//!    `domain::UnitBook::approve_quota_use` (which keeps `filled + reserved <= approved`),
//!    numbered with `domain::Numbering` by the approver's bureau (`Grant::numbering_bureau`)
//!    for the year.
//!
//! Accepted, its effects are written in the receiver's transaction: the new ledger figures,
//! the slip and the numbering counter, the application's new status, and the change log.
//!
//! Approvals of onboarding, offboarding and record-change applications change their status
//! only: their effects on the staff lists and the ledger (`UnitBook::approve_onboarding`,
//! `approve_offboarding`) come with synchronising those applications' records, and are not
//! applied by this endpoint.

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use domain::application::transition;
use domain::payload::ApplicationPayload;
use domain::slip::{IssuedDocumentKind, QuotaUseSlip, SlipValidity};
use domain::unit::UnitRecord;
use domain::{
    ApplicationKind, ApplicationStatus, Bureau, DocumentNumber, SignedDecision, UnitBook,
};
use protocol::identity::{DecideRequest, DecisionVerdict};
use serde_json::{Value, json};

use super::receiver::{self, Received, SignedKind};
use super::refusal::Refusal;
use crate::db::applications::{self, StoredApplication};
use crate::db::changes::{self, Entity};
use crate::db::receipts::{self, DECISIONS, ReceiptTable, StoredVerdict};
use crate::db::{Conn, Writes, holders, ledger, units};
use crate::error::{ApiError, ApiJson};
use crate::identity::session::Session;
use crate::state::AppState;

/// What an accepted decision does.
pub struct Step {
    application: StoredApplication,
    unit: UnitRecord,
    from: ApplicationStatus,
    to: ApplicationStatus,
    /// A quota-use approval's reservation and slip.
    approval: Option<Approval>,
}

/// The effects of a quota-use approval, decided in memory by the domain.
struct Approval {
    /// The unit's book with the posts reserved.
    book: UnitBook,
    slip: QuotaUseSlip,
    bureau: Bureau,
    number: DocumentNumber,
}

impl SignedKind for SignedDecision {
    const NAME: &'static str = "decision";
    const TABLE: &'static ReceiptTable = &DECISIONS;
    type Plan = Step;
    type Verdict = DecisionVerdict;
    type Memo = ();

    async fn judge(
        &self,
        conn: &mut Conn,
        received: Received<'_>,
        (): &(),
    ) -> anyhow::Result<Result<Step, Refusal>> {
        if let Err(error) = self.check() {
            return Ok(Err(Refusal::of_decision(error)));
        }
        let id = self.decision_id.as_str();
        if receipts::in_use(conn, &DECISIONS, "decision_id", id).await? {
            return Ok(Err(Refusal::DecisionIdReused));
        }
        let Some(application) = applications::load(conn, &self.application_id).await? else {
            return Ok(Err(Refusal::ApplicationUnknown));
        };
        let unit = units::record(conn, &application.unit)
            .await?
            .with_context(|| format!("unit {} of an application is missing", application.unit))?;
        let (kind, from, action) = (application.kind, application.status, self.action);
        let Some(decider) = holders::load(conn, self.decider.as_str()).await? else {
            return Ok(Err(Refusal::DeciderOutOfScope { action }));
        };
        if !decider.grant.may_take_step(&unit, kind, from, action) {
            return Ok(Err(Refusal::DeciderOutOfScope { action }));
        }
        let to = match transition(kind, from, action, decider.grant.role()) {
            Ok(to) => to,
            Err(error) => return Ok(Err(Refusal::of_transition(error))),
        };
        let mut approval = None;
        if to == ApplicationStatus::Approved && kind == ApplicationKind::QuotaUse {
            let bureau = decider.grant.numbering_bureau(&unit);
            match approve_quota_use(conn, &application, bureau, received).await? {
                Ok(approved) => approval = Some(approved),
                Err(refusal) => return Ok(Err(refusal)),
            }
        }
        Ok(Ok(Step {
            application,
            unit,
            from,
            to,
            approval,
        }))
    }

    async fn apply(
        &self,
        step: &Step,
        conn: &mut Conn,
        writes: &mut Writes,
        received: Received<'_>,
    ) -> anyhow::Result<()> {
        // Statements run one by one (a status change checks what it changed): the savepoint
        // first.
        writes.run(conn).await?;
        let unit = step.unit.id.as_str();
        if let Some(approval) = &step.approval {
            let category = approval.slip.category;
            ledger::save_figures(conn, &approval.book, category).await?;
            ledger::insert_slip(conn, &approval.slip, &step.application.id).await?;
            let kind = IssuedDocumentKind::QuotaUseSlip;
            ledger::record_issued(conn, approval.bureau, kind, &approval.number).await?;
            // Sync: the unit's certificate, whose ledger figures changed.
            changes::record(conn, unit, Entity::Certificate, unit).await?;
        }
        let id = &step.application.id;
        applications::set_status(conn, id, step.from, step.to, received.now).await?;
        // Sync: the application's new status.
        changes::record(conn, unit, Entity::Application, id.as_str()).await
    }

    fn columns(
        document: Option<&Self>,
        step: Option<&Step>,
    ) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("decision_id", document.map(|d| d.decision_id.to_string())),
            (
                "application_id",
                document.map(|d| d.application_id.to_string()),
            ),
            ("action", document.map(|d| d.action.code().to_owned())),
            ("decider", document.map(|d| d.decider.to_string())),
            ("application_status", step.map(|s| s.to.code().to_owned())),
            ("slip_number", step.and_then(slip_number)),
            ("notice_number", None),
        ]
    }

    fn audit(document: Option<&Self>, step: Option<&Step>) -> (Option<String>, Value) {
        let target = document.map(|d| format!("application:{}", d.application_id));
        // Ids and codes only: the note may name people.
        let detail = json!({
            "decision_id": document.map(|d| d.decision_id.to_string()),
            "action": document.map(|d| d.action.code()),
            "decider": document.map(|d| d.decider.to_string()),
            "unit": step.map(|s| s.unit.id.to_string()),
            "from": step.map(|s| s.from.code()),
            "to": step.map(|s| s.to.code()),
            "slip_number": step.and_then(slip_number),
        });
        (target, detail)
    }

    fn verdict(stored: &StoredVerdict) -> DecisionVerdict {
        DecisionVerdict {
            decision_id: stored.column("decision_id"),
            application_id: stored.column("application_id"),
            status: stored.status,
            code: stored.code.clone(),
            message: stored.message.clone(),
            application_status: stored.column("application_status"),
            slip_number: stored.column("slip_number"),
            notice_number: stored.column("notice_number"),
        }
    }
}

fn slip_number(step: &Step) -> Option<String> {
    step.approval.as_ref().map(|a| a.number.to_string())
}

/// Reserves the posts of a quota-use request and issues its slip numbered by `bureau`, in
/// memory, through the domain: the approval to write, or the domain's refusal.
async fn approve_quota_use(
    conn: &mut Conn,
    application: &StoredApplication,
    bureau: Bureau,
    received: Received<'_>,
) -> anyhow::Result<Result<Approval, Refusal>> {
    let ApplicationPayload::QuotaUse(request) =
        ApplicationPayload::from_value(application.kind, &application.payload)
            .context("stored quota-use payload")?
    else {
        anyhow::bail!("application {} is not a quota-use request", application.id);
    };
    let mut book = ledger::load_book(conn, &application.unit)
        .await?
        .with_context(|| format!("unit {} of an application is missing", application.unit))?;
    let on = received.now.date_in_china();
    let kind = IssuedDocumentKind::QuotaUseSlip;
    let mut numbering = ledger::numbering(conn, bureau, kind, on.year()).await?;
    let number = numbering
        .issue(bureau, kind, on)
        .map_err(|e| anyhow::anyhow!("numbering a slip: {}", e.message_en()))?;
    let slip = match book.approve_quota_use(&request, number.clone(), on, SlipValidity::default()) {
        Ok(slip) => slip.clone(),
        Err(error) => return Ok(Err(Refusal::of_approval(error))),
    };
    Ok(Ok(Approval {
        book,
        slip,
        bureau,
        number,
    }))
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
    let verdict = match receiver::decode(&request.submission) {
        Err(refusal) => receiver::refused::<SignedDecision>(&refusal),
        Ok(submission) => {
            receiver::receive::<SignedDecision>(&state, &session, &submission).await?
        }
    };
    Ok(Json(verdict))
}
