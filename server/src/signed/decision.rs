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
//! 3. the application exists (its envelope was accepted); if it was decided already
//!    (approved, rejected, withdrawn or returned) and the step does not exist from there, a
//!    decider who may read the unit is told `already_decided`, naming who decided it and when:
//!    of two reviewers deciding at once (or one offline), the first decision to arrive stands;
//! 4. the *decider's* grant covers the application's unit for this step
//!    (`Grant::may_take_step`: `may_endorse` for the supervising department's steps,
//!    `may_decide` for the bureau's, `may_file` for the clerk's withdrawal);
//! 5. the domain lifecycle allows the step from the application's current status for the
//!    decider's role (`domain::application::transition`): the server keeps no state machine of
//!    its own;
//! 6. an approval's effects, decided by `domain::UnitBook` ([`super::effects`]): a quota-use
//!    approval reserves the posts and issues the slip; an onboarding adds the person to the
//!    staff on its slip and issues the onboarding notice; an offboarding moves the person to
//!    the departed staff and issues the offboarding notice; a record change changes the record
//!    and keeps the old values. Numbers come from `domain::Numbering` of the approver's bureau
//!    (`Grant::numbering_bureau`) for the year. A refusal names the field and the rule.
//!
//! A withdrawal (`withdraw`) is signed by the unit's clerk (the decider is the clerk,
//! `Grant::may_file`), from `submitted`, `endorsed` or `returned`.
//!
//! A voiding (`void`, 作废) is signed by a bureau reviewer (`may_decide`) on an approved
//! application that issued a slip or notice, with the reason in its note: the document is
//! marked void (time, reason, decision) and, for a slip, its unused posts are released
//! (`UnitBook::release_slip`); the application stays approved. A document voided already, or
//! none issued, is refused (`document_already_void`, `document_not_issued`).
//!
//! Accepted, its effects are written in the receiver's transaction: the unit's changed
//! records, the slip or notice and the numbering counter, the application's new status, and the
//! change log.

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use domain::application::{next_status, transition};
use domain::slip::QuotaUseSlip;
use domain::unit::UnitRecord;
use domain::{Action, ApplicationStatus, SignedDecision, Timestamp, TransitionError, UnitBook};
use protocol::identity::{DecideRequest, DecisionVerdict};
use serde_json::{Value, json};

use super::effects::{self, Approver, Effect, Signing};
use super::receiver::{self, Received, SignedKind};
use super::refusal::Refusal;
use crate::db::applications::{self, StoredApplication};
use crate::db::changes::{self, Entity};
use crate::db::receipts::{self, DECISIONS, ReceiptTable, StoredVerdict};
use crate::db::{Conn, Writes, documents, holders, ledger, units};
use crate::error::{ApiError, ApiJson};
use crate::identity::session::Session;
use crate::state::AppState;

/// What an accepted decision does.
pub struct Step {
    application: StoredApplication,
    unit: UnitRecord,
    from: ApplicationStatus,
    to: ApplicationStatus,
    /// An approval's effects, and who approved.
    approval: Option<(Approver, Effect)>,
    /// A voiding: the document's number and, for a slip, the unit's book with it released.
    void: Option<Void>,
}

/// What voiding a document changes.
pub struct Void {
    number: String,
    released: Option<(UnitBook, QuotaUseSlip)>,
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
        // Decided already (by whoever came first): said to those who may read the unit,
        // whatever their step would have needed.
        // (A voiding is no decision on the application: it is judged by the steps below.)
        if let Err(error) = next_status(kind, from, action)
            && action != Action::Void
            && (from.is_final() || from == ApplicationStatus::Returned)
            && decider.grant.may_read(&unit)
        {
            return Ok(Err(already_decided(conn, &application, error).await?));
        }
        if !decider.grant.may_take_step(&unit, kind, from, action) {
            return Ok(Err(Refusal::DeciderOutOfScope { action }));
        }
        let to = match transition(kind, from, action, decider.grant.role()) {
            Ok(to) => to,
            Err(error) => return Ok(Err(Refusal::of_transition(error))),
        };
        let mut approval = None;
        if action == Action::Approve {
            let approver = Approver::new(
                self.decider.clone(),
                decider.info.name.clone(),
                &decider.grant,
                &unit,
            );
            let on = received.now.date_in_china();
            let signing = Signing {
                keyring: received.keyring,
                decision: &self.decision_id,
            };
            match effects::plan(conn, &application, &unit, &approver, on, signing).await? {
                Ok(effect) => approval = Some((approver, effect)),
                Err(refusal) => return Ok(Err(refusal)),
            }
        }
        let void = if action == Action::Void {
            match plan_void(conn, &application).await? {
                Ok(void) => Some(void),
                Err(refusal) => return Ok(Err(refusal)),
            }
        } else {
            None
        };
        Ok(Ok(Step {
            application,
            unit,
            from,
            to,
            approval,
            void,
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
        if let Some((approver, effect)) = &step.approval {
            effects::write(conn, &step.application, approver, effect).await?;
        }
        if let Some(void) = &step.void {
            let reason = self.note.trim();
            documents::void(
                conn,
                &void.number,
                received.now,
                reason,
                self.decision_id.as_str(),
            )
            .await?;
            if let Some((book, slip)) = &void.released {
                ledger::update_slip(conn, slip).await?;
                ledger::save_figures(conn, book, slip.category).await?;
            }
            // Sync: the unit's figures and the document's status.
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
            ("notice_number", step.and_then(notice_number)),
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
            "notice_number": step.and_then(notice_number),
            "voided": step.and_then(|s| s.void.as_ref()).map(|v| v.number.clone()),
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
    step.approval.as_ref().and_then(|(_, e)| e.slip_number())
}

fn notice_number(step: &Step) -> Option<String> {
    step.approval.as_ref().and_then(|(_, e)| e.notice_number())
}

/// What voiding the document `application` issued changes, or why it cannot be voided.
async fn plan_void(
    conn: &mut Conn,
    application: &StoredApplication,
) -> anyhow::Result<Result<Void, Refusal>> {
    let Some(document) = documents::of_application(conn, &application.id).await? else {
        return Ok(Err(Refusal::DocumentNotIssued));
    };
    let number = document.issued.number.to_string();
    if let Some(at) = document.voided_at {
        return Ok(Err(Refusal::DocumentAlreadyVoid {
            number,
            at: beijing(&at),
        }));
    }
    let released = match &document.slip {
        Some(slip) if slip.holds_reservation() => {
            let mut book = ledger::load_book(conn, &application.unit)
                .await?
                .with_context(|| format!("unit {} of a slip is missing", application.unit))?;
            book.release_slip(&slip.number)
                .map_err(|e| anyhow::anyhow!("releasing {}: {}", slip.number, e.message_en()))?;
            let slip = book
                .slips()
                .get(&slip.number)
                .cloned()
                .context("a released slip is in the book")?;
            Some((book, slip))
        }
        _ => None,
    };
    Ok(Ok(Void { number, released }))
}

/// An RFC 3339 time as Beijing time, `YYYY-MM-DD HH:MM` (the text itself when it does not
/// parse).
fn beijing(at: &str) -> String {
    Timestamp::parse(at)
        .ok()
        .and_then(|t| Timestamp::from_unix_seconds(t.unix_seconds() + 8 * 3600))
        .map_or(at.to_owned(), |t| {
            t.to_string().replace('T', " ").chars().take(16).collect()
        })
}

/// The refusal of a step on an application decided already: who decided it, and when
/// (Beijing time).
async fn already_decided(
    conn: &mut Conn,
    application: &StoredApplication,
    error: TransitionError,
) -> anyhow::Result<Refusal> {
    let Some((_, by, at)) = applications::last_decision(conn, &application.id).await? else {
        return Ok(Refusal::of_transition(error));
    };
    Ok(Refusal::AlreadyDecided {
        status: application.status,
        by,
        at: beijing(&at),
    })
}

/// The handler. The decision is judged by its *decider's* grant, whoever carries it.
#[utoipa::path(
    post,
    path = protocol::identity::DECISIONS_PATH,
    tag = "signed",
    summary = "Submit one signed decision: endorse, approve, return, reject or withdraw (提交审批决定)",
    description = "Judged by the decider's grant, whoever carries it: its verdict, the \
        application's new status and the slip or notice number an approval issued. A \
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
