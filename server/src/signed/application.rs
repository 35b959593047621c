//! A signed application (`domain::SignedEnvelope`, tag `dzbzglz.application`) and
//! `POST /api/envelopes`: signed applications in, one verdict each out.
//!
//! After the signature verified ([`super::receiver`]), in this order: the application id not
//! used by another envelope that was not rejected; the unit known; the signer's role and scope
//! allowing this application for this unit (`Grant::may_file`); a payload that fits the kind
//! and its own rules; and for a quota-use request a vacancy that covers it: the unit's vacant
//! posts of the category, less what its other requests still awaiting a decision ask for
//! (`domain::ledger::Figures::check_request` on figures kept as columns; decided in the receiver's transaction, so two clerks
//! pushing at once cannot both take the last post; the approval checks the ledger again).
//! Accepted, the application is tracked as `submitted` for decisions and recorded in the
//! change log for sync.
//!
//! A batch is received in the order of the keys' signature counters (see `docs/DESIGN.md` §1,
//! item 7), in one transaction with a savepoint per envelope ([`receiver::receive_batch`]), and
//! answered in the order sent.

use axum::Json;
use axum::extract::State;
use std::collections::HashMap;

use anyhow::Context;
use domain::ledger::{Figures, claims_vacancy};
use domain::{
    ApplicationPayload, ApplicationStatus, EstablishmentCategory, Headcount, SignedEnvelope, UnitId,
};
use protocol::identity::{SubmitRequest, SubmitResponse, Verdict, VerdictStatus};
use serde_json::{Value, json};

use super::receiver::{self, Lookups, Received, SignedKind};
use super::refusal::Refusal;
use super::verify;
use crate::db::changes::{self, Entity};
use crate::db::receipts::{self, ENVELOPES, ReceiptTable, StoredVerdict};
use crate::db::{Conn, Writes, applications, ledger};
use crate::error::{ApiError, ApiJson};
use crate::identity::session::Session;
use crate::state::AppState;

/// What the judgements of a push batch read, read once for the batch inside its transaction
/// and kept up to date as its envelopes are kept ([`SignedKind::kept`]), so that each judgement
/// sees what the database would answer: the units and signers, whether the batch's application
/// ids are in use, and each of its quota-use requests' unit and category's figures and claims.
#[derive(Debug, Default)]
pub struct Memo {
    lookups: Lookups,
    /// Of the batch's application ids: whether an envelope that was not rejected uses it.
    in_use: HashMap<String, bool>,
    /// Figures, and what requests awaiting a decision claim, per unit and category.
    vacancy: HashMap<(UnitId, EstablishmentCategory), (Figures, Headcount)>,
}

/// Most submissions in one request (shared with the client, which sends in batches).
pub const MAX_BATCH: usize = protocol::identity::MAX_SUBMISSIONS;

impl SignedKind for SignedEnvelope {
    const NAME: &'static str = "envelope";
    const TABLE: &'static ReceiptTable = &ENVELOPES;
    /// The payload, decoded by the judgement.
    type Plan = ApplicationPayload;
    type Verdict = Verdict;
    type Memo = Memo;
    // Its judgement reads the database only for what no envelope changes (units, holders) or
    // what its memo holds for every envelope of the batch.
    const DEFER_WRITES: bool = true;

    async fn prefetch(conn: &mut Conn, envelopes: &[&Self]) -> anyhow::Result<Memo> {
        let units: Vec<&UnitId> = envelopes.iter().map(|e| &e.unit).collect();
        let signers: Vec<&str> = envelopes.iter().map(|e| e.signer.as_str()).collect();
        let lookups = Lookups::read(conn, &units, &signers).await?;
        let ids: Vec<&str> = envelopes
            .iter()
            .map(|e| e.application_id.as_str())
            .collect();
        let used = receipts::in_use_many(conn, &ENVELOPES, "application_id", &ids).await?;
        let in_use = ids
            .iter()
            .map(|id| ((*id).to_owned(), used.contains(*id)))
            .collect();
        let mut pairs: Vec<(&UnitId, EstablishmentCategory)> = envelopes
            .iter()
            .filter_map(|e| match e.decode_payload() {
                Ok(ApplicationPayload::QuotaUse(request)) => Some((&e.unit, request.category)),
                _ => None,
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let vacancy = ledger::vacancies(conn, &pairs).await?;
        Ok(Memo {
            lookups,
            in_use,
            vacancy,
        })
    }

    async fn judge(
        &self,
        conn: &mut Conn,
        _: Received<'_>,
        memo: &Memo,
    ) -> anyhow::Result<Result<ApplicationPayload, Refusal>> {
        let id = self.application_id.as_str();
        let in_use = match memo.in_use.get(id) {
            Some(in_use) => *in_use,
            None => receipts::in_use(conn, &ENVELOPES, "application_id", id).await?,
        };
        if in_use {
            return Ok(Err(Refusal::ApplicationIdReused));
        }
        let Some(unit) = memo.lookups.unit(conn, &self.unit).await? else {
            return Ok(Err(Refusal::UnitUnknown));
        };
        let signer = memo.lookups.holder(conn, self.signer.as_str()).await?;
        if !signer.is_some_and(|h| h.grant.may_file(&unit, self.kind)) {
            return Ok(Err(Refusal::SignerOutOfScope));
        }
        let payload = match self.decode_payload() {
            Err(error) => return Ok(Err(Refusal::PayloadUnreadable { error })),
            Ok(payload) => payload,
        };
        // The payload's own rules (domain), whatever the client checked before signing.
        if let Err(error) = payload.check() {
            return Ok(Err(Refusal::PayloadInvalid { error }));
        }
        // The vacancy a quota-use request needs: the figures gathered here (columns, read for
        // the batch, or now), the rule the domain's.
        if let ApplicationPayload::QuotaUse(request) = &payload {
            let key = (unit.id.clone(), request.category);
            let (figures, outstanding) = match memo.vacancy.get(&key) {
                Some(facts) => *facts,
                None => {
                    let pair = [(&unit.id, request.category)];
                    let mut read = ledger::vacancies(conn, &pair).await?;
                    read.remove(&key)
                        .context("the vacancy of a unit was not read")?
                }
            };
            if let Err(error) = figures.check_request(request.category, request.count, outstanding)
            {
                return Ok(Err(Refusal::NoVacancy { error }));
            }
        }
        Ok(Ok(payload))
    }

    fn kept(
        memo: &mut Memo,
        document: Option<&Self>,
        payload: Option<&ApplicationPayload>,
        verdict: &StoredVerdict,
    ) {
        let Some(envelope) = document else {
            return;
        };
        // An envelope not rejected uses its application id.
        if verdict.status != VerdictStatus::Rejected {
            memo.in_use
                .insert(envelope.application_id.as_str().to_owned(), true);
        }
        // An accepted quota-use request is recorded `submitted`: it claims its posts.
        if let Some(ApplicationPayload::QuotaUse(request)) = payload
            && claims_vacancy(ApplicationStatus::Submitted)
            && let Some((_, outstanding)) = memo
                .vacancy
                .get_mut(&(envelope.unit.clone(), request.category))
        {
            *outstanding = outstanding
                .checked_add(request.count)
                .unwrap_or(Headcount::new(u32::MAX));
        }
    }

    async fn apply(
        &self,
        payload: &ApplicationPayload,
        _: &mut Conn,
        writes: &mut Writes,
        received: Received<'_>,
    ) -> anyhow::Result<()> {
        // A late offboarding or record change is accepted, flagged with the days overdue.
        let filed_on = received.now.date_in_china();
        let lateness = payload
            .deadline(crate::clock::calendar())
            .map(|deadline| (deadline.due, deadline.days_overdue(filed_on)));
        // From now on the application is tracked, `submitted`, for decisions.
        applications::insert_submitted(
            writes,
            self,
            payload,
            received.hash,
            received.now,
            lateness,
        )?;
        // Sync: the new application reaches those whose scope covers its unit.
        let (unit, id) = (self.unit.as_str(), self.application_id.as_str());
        changes::record_to(writes, unit, Entity::Application, id)
    }

    fn columns(
        document: Option<&Self>,
        _: Option<&ApplicationPayload>,
    ) -> Vec<(&'static str, Option<String>)> {
        vec![
            (
                "application_id",
                document.map(|e| e.application_id.to_string()),
            ),
            ("unit_id", document.map(|e| e.unit.to_string())),
            ("kind", document.map(|e| e.kind.code().to_owned())),
            ("signer", document.map(|e| e.signer.to_string())),
        ]
    }

    fn audit(document: Option<&Self>, _: Option<&ApplicationPayload>) -> (Option<String>, Value) {
        let target = document.map(|e| format!("application:{}", e.application_id));
        let detail = json!({
            "unit": document.map(|e| e.unit.to_string()),
            "kind": document.map(|e| e.kind.code()),
            "signer": document.map(|e| e.signer.to_string()),
        });
        (target, detail)
    }

    fn verdict(stored: &StoredVerdict) -> Verdict {
        Verdict {
            application_id: stored.column("application_id"),
            status: stored.status,
            code: stored.code.clone(),
            message: stored.message.clone(),
            message_en: stored.message_en.clone(),
        }
    }
}

/// The handler. Any signed-in holder may carry submissions (a clerk, or a supervising
/// department relaying them); what each one may do is decided by its signer's grant.
#[utoipa::path(
    post,
    path = protocol::identity::ENVELOPES_PATH,
    tag = "signed",
    summary = "Submit signed applications (提交签名申请)",
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
            "一次最多提交{MAX_BATCH}份申请"
        )));
    }
    let decoded: Vec<_> = request.submissions.iter().map(receiver::decode).collect();
    let mut order: Vec<usize> = (0..decoded.len()).collect();
    order.sort_by_key(|&i| {
        decoded[i]
            .as_ref()
            .ok()
            .and_then(|s| verify::assertion_counter(&s.authenticator_data))
            .unwrap_or(0)
    });
    // Those whose fields are not base64url are refused without being received; the others are
    // received as one batch, in counter order.
    let mut verdicts: Vec<Option<Verdict>> = vec![None; decoded.len()];
    let mut batch = Vec::with_capacity(decoded.len());
    let mut positions = Vec::with_capacity(decoded.len());
    let mut decoded: Vec<Option<_>> = decoded.into_iter().map(Some).collect();
    for i in order {
        match decoded[i].take() {
            Some(Err(refusal)) => {
                verdicts[i] = Some(receiver::refused::<SignedEnvelope>(&refusal));
            }
            Some(Ok(submission)) => {
                batch.push(submission);
                positions.push(i);
            }
            None => {}
        }
    }
    let received = if batch.is_empty() {
        Vec::new()
    } else {
        receiver::receive_batch::<SignedEnvelope>(&state, &session, &batch).await?
    };
    for (i, verdict) in positions.into_iter().zip(received) {
        verdicts[i] = Some(verdict);
    }
    Ok(Json(SubmitResponse {
        verdicts: verdicts.into_iter().flatten().collect(),
    }))
}
