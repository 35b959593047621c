//! A signed act of the bureau (`domain::act::SignedAct`, tag `dzbzglz.act`) and
//! `POST /api/acts`: establishment changes and transfers, units created, amended, merged and
//! abolished, leadership posts, and the verification phase's confirmations.
//!
//! Received like a decision ([`super::receiver`]: the same checks and codes), then, in this
//! order: the payload read by its kind; the act id not used by another act that was not
//! rejected; the signer known; every unit named exists and was not removed; the *signer's*
//! grant — a `bureau_admin` whose region contains every unit named (`Grant::may_administer`),
//! or, for the unit's own confirmation, the unit's clerk; then the kind's rules
//! (`domain::act`). Accepted, the effects are written in the receiver's transaction, each
//! changed unit gets a history entry with the act's document, and a change for sync (a removed
//! unit's is sent as its tombstone).

use anyhow::Context;
use axum::Json;
use axum::extract::State;
use domain::act::{self, ActDocument, ActError, ActPayload, ConfirmStage, SignedAct};
use domain::certificate::Certificate;
use domain::unit::{HistoryEvent, LeadershipPosts, UnitRecord};
use domain::{EstablishmentCategory, LedgerRow, Role, Scope, UnitId, UnitLedger};
use protocol::admin::{ActRequest, ActVerdict};
use serde_json::{Value, json};

use super::receiver::{self, Received, SignedKind};
use super::refusal::Refusal;
use crate::db::admin::Removal;
use crate::db::changes::{self, Entity};
use crate::db::receipts::{self, ACTS, ReceiptTable, StoredVerdict};
use crate::db::{self, Conn, Writes, certificates, holders, units};
use crate::error::{ApiError, ApiJson};
use crate::identity::session::Session;
use crate::state::AppState;

/// What an accepted act writes.
pub enum Work {
    /// Ledger rows appended, each with the unit's history entry.
    Rows(Vec<(UnitId, LedgerRow)>),
    /// A new unit.
    Create(Box<Certificate>),
    /// A record amended.
    Amend(Box<UnitRecord>),
    /// Two units merged.
    Merge {
        absorbed: UnitId,
        into: UnitId,
        row_out: LedgerRow,
        row_in: LedgerRow,
        into_after: Box<UnitLedger>,
        absorbed_name: String,
        into_name: String,
    },
    /// A unit abolished (its approved posts returned by a row, when it had any).
    Abolish {
        unit: UnitId,
        row: Option<LedgerRow>,
    },
    /// Leadership posts replaced.
    Leadership {
        unit: UnitId,
        posts: Vec<LeadershipPosts>,
    },
    /// A verification state reached.
    Verification { unit: UnitId, state: &'static str },
    /// Checked rows imported into a unit's staff.
    Import {
        unit: UnitId,
        upload_id: String,
        people: Vec<domain::person::Person>,
        ledger_after: Box<UnitLedger>,
    },
}

/// The plan of an accepted act.
pub struct Plan {
    work: Work,
    /// The units changed, in order.
    units: Vec<UnitId>,
    /// Flags of an act accepted with an exception recorded.
    flags: Vec<String>,
    /// The document, for the units' history.
    document: Option<ActDocument>,
}

fn invalid(error: ActError) -> Refusal {
    match error {
        ActError::OverEstablishment { .. } | ActError::NegativeApproved { .. } => {
            Refusal::OverEstablishment { error }
        }
        ActError::NotEmpty { .. } => Refusal::UnitNotEmpty { error },
        other => Refusal::ActPayloadInvalid { error: other },
    }
}

fn over_flags(categories: &[EstablishmentCategory]) -> Vec<String> {
    if categories.is_empty() {
        Vec::new()
    } else {
        vec!["over_establishment".to_owned()]
    }
}

impl SignedKind for SignedAct {
    const NAME: &'static str = "act";
    const TABLE: &'static ReceiptTable = &ACTS;
    type Plan = Plan;
    type Verdict = ActVerdict;
    type Memo = ();

    async fn judge(
        &self,
        conn: &mut Conn,
        _received: Received<'_>,
        (): &(),
    ) -> anyhow::Result<Result<Plan, Refusal>> {
        let payload = match self.decode_payload() {
            Ok(payload) => payload,
            Err(error) => return Ok(Err(Refusal::ActPayloadInvalid { error })),
        };
        if receipts::in_use(conn, &ACTS, "act_id", self.act_id.as_str()).await? {
            return Ok(Err(Refusal::ActIdReused));
        }
        let kind = self.kind;
        let Some(signer) = holders::load(conn, self.signer.as_str()).await? else {
            return Ok(Err(Refusal::ActOutOfScope { kind }));
        };
        let mut records = Vec::new();
        for id in payload.units() {
            match units::record(conn, id).await? {
                Some(record) if !db::admin::is_removed(conn, id).await? => records.push(record),
                _ => {
                    return Ok(Err(Refusal::ActUnitUnknown {
                        unit: id.to_string(),
                    }));
                }
            }
        }
        // The signer's grant: the unit's own clerk confirms its data; every other act is a
        // bureau administrator's of the region of every unit named.
        let grant = &signer.grant;
        let allowed = match &payload {
            ActPayload::VerificationConfirm(c) if c.stage == ConfirmStage::Unit => {
                matches!((grant.role(), grant.scope()), (Role::UnitClerk, Scope::Unit(own)) if *own == c.unit)
            }
            ActPayload::UnitCreate(create) => grant.may_administer(create.record.region),
            ActPayload::RosterImport(import) if grant.role() == Role::UnitClerk => {
                matches!(grant.scope(), Scope::Unit(own) if *own == import.unit)
            }
            _ => records.iter().all(|r| grant.may_administer(r.region)),
        };
        if !allowed {
            return Ok(Err(Refusal::ActOutOfScope { kind }));
        }
        let plan = match payload {
            ActPayload::EstablishmentChange(change) => {
                let mut ledger = certificates::read_ledger(conn, &change.unit).await?;
                let row = change.row.clone();
                match act::apply_row(
                    &change.unit,
                    &mut ledger,
                    row.clone(),
                    change.over_establishment,
                ) {
                    Ok(over) => Plan {
                        document: Some(ActDocument {
                            number: row.document.clone(),
                            date: row.date,
                            title: row.title.clone(),
                        }),
                        work: Work::Rows(vec![(change.unit.clone(), row)]),
                        units: vec![change.unit],
                        flags: over_flags(&over),
                    },
                    Err(error) => return Ok(Err(invalid(error))),
                }
            }
            ActPayload::EstablishmentTransfer(transfer) => {
                if transfer.from == transfer.to {
                    return Ok(Err(invalid(ActError::SameUnit)));
                }
                let (minus, plus) = act::transfer_rows(&transfer);
                let mut flags = Vec::new();
                for (unit, row) in [(&transfer.from, &minus), (&transfer.to, &plus)] {
                    let mut ledger = certificates::read_ledger(conn, unit).await?;
                    match act::apply_row(
                        unit,
                        &mut ledger,
                        row.clone(),
                        transfer.over_establishment,
                    ) {
                        Ok(over) => flags.extend(over_flags(&over)),
                        Err(error) => return Ok(Err(invalid(error))),
                    }
                }
                flags.dedup();
                Plan {
                    work: Work::Rows(vec![
                        (transfer.from.clone(), minus),
                        (transfer.to.clone(), plus),
                    ]),
                    units: vec![transfer.from, transfer.to],
                    flags,
                    document: Some(transfer.document),
                }
            }
            ActPayload::UnitCreate(create) => {
                let record = create.record;
                if let Err(error) = record.check() {
                    return Ok(Err(invalid(ActError::Payload {
                        kind,
                        detail: error.message_zh(),
                    })));
                }
                if units::record(conn, &record.id).await?.is_some()
                    || db::ledger::name_taken(conn, &record).await?
                {
                    return Ok(Err(Refusal::UnitExists));
                }
                for other in [&record.supervising_department, &record.parent]
                    .into_iter()
                    .flatten()
                {
                    if units::record(conn, other).await?.is_none() {
                        return Ok(Err(Refusal::ActUnitUnknown {
                            unit: other.to_string(),
                        }));
                    }
                }
                let certificate = Certificate {
                    unit: record.clone(),
                    functions: Vec::new(),
                    power_list: Vec::new(),
                    divisions: Vec::new(),
                    affiliates: Vec::new(),
                    history: Vec::new(),
                    ledger: UnitLedger::new(),
                    leadership_posts: Vec::new(),
                    slips: Vec::new(),
                    issued: Vec::new(),
                    record_changes: Vec::new(),
                    staff: Vec::new(),
                    departed: Vec::new(),
                };
                Plan {
                    work: Work::Create(Box::new(certificate)),
                    units: vec![record.id],
                    flags: Vec::new(),
                    document: Some(create.document),
                }
            }
            ActPayload::UnitAmend(amend) => {
                let Some(record) = records.first() else {
                    return Ok(Err(Refusal::ActOutOfScope { kind }));
                };
                let next = match act::amend(record, &amend) {
                    Ok(next) => next,
                    Err(error) => return Ok(Err(invalid(error))),
                };
                if let Some(Some(department)) = &amend.supervising_department
                    && (units::record(conn, department).await?.is_none()
                        || db::admin::is_removed(conn, department).await?)
                {
                    return Ok(Err(Refusal::ActUnitUnknown {
                        unit: department.to_string(),
                    }));
                }
                if db::ledger::name_taken(conn, &next).await? {
                    return Ok(Err(Refusal::UnitExists));
                }
                Plan {
                    work: Work::Amend(Box::new(next)),
                    units: vec![amend.unit],
                    flags: Vec::new(),
                    document: Some(amend.document),
                }
            }
            ActPayload::UnitMerge(merge) => {
                let absorbed = certificates::read_ledger(conn, &merge.absorbed).await?;
                let into = certificates::read_ledger(conn, &merge.into).await?;
                let (row_out, row_in, into_after, over) =
                    match act::merge_ledgers(&merge, &absorbed, &into) {
                        Ok(done) => done,
                        Err(error) => return Ok(Err(invalid(error))),
                    };
                let name = |id: &UnitId| {
                    records
                        .iter()
                        .find(|r| r.id == *id)
                        .map(|r| r.name.to_string())
                        .unwrap_or_default()
                };
                Plan {
                    work: Work::Merge {
                        absorbed_name: name(&merge.absorbed),
                        into_name: name(&merge.into),
                        absorbed: merge.absorbed.clone(),
                        into: merge.into.clone(),
                        row_out,
                        row_in,
                        into_after: Box::new(into_after),
                    },
                    units: vec![merge.into, merge.absorbed],
                    flags: over_flags(&over),
                    document: Some(merge.document),
                }
            }
            ActPayload::UnitAbolish(abolish) => {
                let Some(certificate) = certificates::read_in(conn, &abolish.unit).await? else {
                    return Ok(Err(Refusal::ActUnitUnknown {
                        unit: abolish.unit.to_string(),
                    }));
                };
                if let Err(error) =
                    act::check_abolish(&abolish.unit, certificate.staff.len(), &certificate.ledger)
                {
                    return Ok(Err(invalid(error)));
                }
                let mut changes = std::collections::BTreeMap::new();
                for category in EstablishmentCategory::ALL {
                    let n = i32::try_from(certificate.ledger.figures(*category).approved.get())
                        .unwrap_or(i32::MAX);
                    if n > 0 {
                        changes.insert(*category, domain::HeadcountDelta::new(-n));
                    }
                }
                let row = (!changes.is_empty()).then(|| LedgerRow {
                    document: abolish.document.number.clone(),
                    date: abolish.document.date,
                    title: abolish.document.title.clone(),
                    changes,
                    note: None,
                });
                Plan {
                    work: Work::Abolish {
                        unit: abolish.unit.clone(),
                        row,
                    },
                    units: vec![abolish.unit],
                    flags: Vec::new(),
                    document: Some(abolish.document),
                }
            }
            ActPayload::LeadershipPosts(change) => {
                let Some(certificate) = certificates::read_in(conn, &change.unit).await? else {
                    return Ok(Err(Refusal::ActUnitUnknown {
                        unit: change.unit.to_string(),
                    }));
                };
                let (posts, over) =
                    act::leadership_after(&certificate.leadership_posts, &change.approved);
                Plan {
                    work: Work::Leadership {
                        unit: change.unit.clone(),
                        posts,
                    },
                    units: vec![change.unit],
                    flags: if over.is_empty() {
                        Vec::new()
                    } else {
                        vec!["over_leadership_posts".to_owned()]
                    },
                    document: Some(change.document),
                }
            }
            ActPayload::VerificationConfirm(confirm) => {
                let current =
                    db::admin::verification_states(conn, std::slice::from_ref(&confirm.unit))
                        .await?
                        .remove(&confirm.unit)
                        .map(|(state, _)| state);
                let next = match (confirm.stage, current.as_deref()) {
                    (ConfirmStage::Unit, None | Some("imported" | "confirmed_by_unit")) => {
                        "confirmed_by_unit"
                    }
                    (ConfirmStage::Bureau, Some("confirmed_by_unit" | "confirmed_by_bureau")) => {
                        "confirmed_by_bureau"
                    }
                    _ => return Ok(Err(Refusal::VerificationOutOfOrder)),
                };
                Plan {
                    work: Work::Verification {
                        unit: confirm.unit.clone(),
                        state: next,
                    },
                    units: vec![confirm.unit],
                    flags: Vec::new(),
                    document: None,
                }
            }
            ActPayload::RosterImport(import) => {
                let now = crate::clock::unix_now();
                let Some(upload) = db::admin::upload(conn, &import.upload_id, now).await? else {
                    return Ok(Err(Refusal::UploadUnknown));
                };
                let expected = if import.valid_only {
                    (&upload.digest_valid, upload.rows_valid)
                } else {
                    (&upload.digest_all, upload.rows_total)
                };
                if upload.unit_id != import.unit.as_str()
                    || expected.0.is_empty()
                    || *expected.0 != import.digest
                    || expected.1 != import.rows
                {
                    return Ok(Err(Refusal::UploadUnknown));
                }
                let rows: Vec<Option<domain::person::Person>> =
                    serde_json::from_str(&upload.rows).context("stored upload rows")?;
                let people: Vec<domain::person::Person> = rows.into_iter().flatten().collect();
                let ids: Vec<&str> = people.iter().map(|p| p.id_number.as_str()).collect();
                // Someone took a post since the check: check again.
                if db::admin::any_in_post(conn, &ids).await? {
                    return Ok(Err(Refusal::UploadUnknown));
                }
                let ledger = certificates::read_ledger(conn, &import.unit).await?;
                let mut filled = std::collections::BTreeMap::new();
                let mut reserved = std::collections::BTreeMap::new();
                for category in EstablishmentCategory::ALL {
                    let f = ledger.figures(*category);
                    let added = people.iter().filter(|p| p.category == *category).count();
                    let added = u32::try_from(added).unwrap_or(u32::MAX);
                    filled.insert(
                        *category,
                        domain::Headcount::new(f.filled.get().saturating_add(added)),
                    );
                    reserved.insert(*category, f.reserved);
                }
                let after = UnitLedger::from_parts(ledger.rows().to_vec(), filled, reserved)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                // The existing staff are the facts: over establishment is flagged, not refused.
                let over = act::check_ledger_after(&import.unit, &after, true)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                Plan {
                    work: Work::Import {
                        unit: import.unit.clone(),
                        upload_id: import.upload_id.clone(),
                        people,
                        ledger_after: Box::new(after),
                    },
                    units: vec![import.unit],
                    flags: over_flags(&over),
                    document: None,
                }
            }
        };
        Ok(Ok(plan))
    }

    async fn apply(
        &self,
        plan: &Plan,
        conn: &mut Conn,
        writes: &mut Writes,
        received: Received<'_>,
    ) -> anyhow::Result<()> {
        writes.run(conn).await?;
        let now = received.now;
        let event = |description: String| {
            plan.document.as_ref().map(|d| HistoryEvent {
                date: d.date,
                document: Some(d.number.clone()),
                description,
            })
        };
        let label = self.kind.label_zh();
        match &plan.work {
            Work::Rows(rows) => {
                for (unit, row) in rows {
                    certificates::append_ledger_row(conn, unit, row).await?;
                    if let Some(e) = event(format!("{label}：{}", row.title)) {
                        certificates::amend_sections(conn, unit, e, None).await?;
                    }
                }
            }
            Work::Create(certificate) => {
                certificates::insert_new(conn, certificate).await?;
                if let Some(e) = event(format!("{label}：{}", certificate.unit.name)) {
                    certificates::amend_sections(conn, &certificate.unit.id, e, None).await?;
                }
            }
            Work::Amend(record) => {
                db::admin::update_unit(conn, record).await?;
                if let Some(e) = event(label.to_owned()) {
                    certificates::amend_sections(conn, &record.id, e, None).await?;
                }
            }
            Work::Merge {
                absorbed,
                into,
                row_out,
                row_in,
                into_after,
                absorbed_name,
                into_name,
            } => {
                db::admin::move_people(conn, absorbed, into).await?;
                certificates::append_ledger_row(conn, absorbed, row_out).await?;
                certificates::append_ledger_row(conn, into, row_in).await?;
                for category in EstablishmentCategory::ALL {
                    let f = into_after.figures(*category);
                    db::admin::set_counts(conn, into, *category, f.filled, f.reserved).await?;
                    db::admin::set_counts(
                        conn,
                        absorbed,
                        *category,
                        domain::Headcount::new(0),
                        domain::Headcount::new(0),
                    )
                    .await?;
                }
                if let Some(e) = event(format!("{label}：{absorbed_name}并入本单位")) {
                    certificates::amend_sections(conn, into, e, None).await?;
                }
                if let Some(e) = event(format!("{label}：并入{into_name}")) {
                    certificates::amend_sections(conn, absorbed, e, None).await?;
                }
                let document = plan
                    .document
                    .as_ref()
                    .map(|d| d.number.to_string())
                    .unwrap_or_default();
                db::admin::remove_unit(
                    conn,
                    absorbed,
                    &Removal {
                        reason: "merged".to_owned(),
                        merged_into: Some(into.to_string()),
                        document,
                    },
                    now,
                )
                .await?;
            }
            Work::Abolish { unit, row } => {
                if let Some(row) = row {
                    certificates::append_ledger_row(conn, unit, row).await?;
                }
                if let Some(e) = event(label.to_owned()) {
                    certificates::amend_sections(conn, unit, e, None).await?;
                }
                let document = plan
                    .document
                    .as_ref()
                    .map(|d| d.number.to_string())
                    .unwrap_or_default();
                db::admin::remove_unit(
                    conn,
                    unit,
                    &Removal {
                        reason: "abolished".to_owned(),
                        merged_into: None,
                        document,
                    },
                    now,
                )
                .await?;
            }
            Work::Leadership { unit, posts } => {
                if let Some(e) = event(label.to_owned()) {
                    certificates::amend_sections(conn, unit, e, Some(posts.clone())).await?;
                }
            }
            Work::Verification { unit, state } => {
                db::admin::set_verification(conn, unit, state, now).await?;
            }
            Work::Import {
                unit,
                upload_id,
                people,
                ledger_after,
            } => {
                for person in people {
                    db::ledger::insert_staff(conn, unit, person).await?;
                }
                for category in EstablishmentCategory::ALL {
                    let f = ledger_after.figures(*category);
                    db::admin::set_counts(conn, unit, *category, f.filled, f.reserved).await?;
                }
                db::admin::use_upload(conn, upload_id, crate::clock::unix_now()).await?;
                db::admin::set_verification(conn, unit, "imported", now).await?;
            }
        }
        for unit in &plan.units {
            changes::record(conn, unit.as_str(), Entity::Certificate, unit.as_str()).await?;
        }
        Ok(())
    }

    fn columns(
        document: Option<&Self>,
        plan: Option<&Plan>,
    ) -> Vec<(&'static str, Option<String>)> {
        let first_unit = document
            .and_then(|d| d.decode_payload().ok())
            .and_then(|p| match &p {
                ActPayload::UnitCreate(c) => Some(c.record.id.to_string()),
                other => other.units().first().map(|u| u.to_string()),
            });
        let list = |items: Vec<String>| serde_json::to_string(&items).ok();
        vec![
            ("act_id", document.map(|d| d.act_id.to_string())),
            ("kind", document.map(|d| d.kind.code().to_owned())),
            ("signer", document.map(|d| d.signer.to_string())),
            ("unit_id", first_unit),
            ("flags", plan.and_then(|p| list(p.flags.clone()))),
            (
                "units",
                plan.and_then(|p| list(p.units.iter().map(ToString::to_string).collect())),
            ),
        ]
    }

    fn audit(document: Option<&Self>, plan: Option<&Plan>) -> (Option<String>, Value) {
        let target = document.map(|d| format!("act:{}", d.act_id));
        let detail = json!({
            "act_id": document.map(|d| d.act_id.to_string()),
            "kind": document.map(|d| d.kind.code()),
            "signer": document.map(|d| d.signer.to_string()),
            "units": plan.map(|p| p.units.iter().map(ToString::to_string).collect::<Vec<_>>()),
            "flags": plan.map(|p| p.flags.clone()),
        });
        (target, detail)
    }

    fn verdict(stored: &StoredVerdict) -> ActVerdict {
        let list = |name: &str| -> Vec<String> {
            stored
                .column(name)
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default()
        };
        ActVerdict {
            act_id: stored.column("act_id"),
            kind: stored.column("kind"),
            status: stored.status,
            code: stored.code.clone(),
            message: stored.message.clone(),
            flags: list("flags"),
            units: list("units"),
        }
    }
}

/// The handler. The act is judged by its *signer's* grant, whoever carries it.
#[utoipa::path(
    post,
    path = protocol::admin::ACTS_PATH,
    operation_id = "submit_act",
    tag = "admin",
    summary = "Submit one signed act of the bureau (提交管理文书)",
    description = "Establishment changes and transfers, units created, amended, merged or \
        abolished, leadership posts, verification confirmations: judged by the signer's grant \
        (a `bureau_admin` of every unit's region; the unit's clerk for its own confirmation). A \
        repeat gets the first verdict. A verdict's `code` is a `RejectionCode`.",
    request_body = protocol::admin::ActRequest,
    responses(
        (status = 200, description = "the verdict", body = protocol::admin::ActVerdict),
        (status = 400, description = "`bad_request`: not the expected body", body = protocol::ErrorBody),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
        (status = 403, description = "`csrf_invalid`, `origin_invalid`", body = protocol::ErrorBody),
    ),
    security(("session" = [], "csrf" = [])),
)]
pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<ActRequest>,
) -> Result<Json<ActVerdict>, ApiError> {
    let verdict = match receiver::decode(&request.submission) {
        Err(refusal) => receiver::refused::<SignedAct>(&refusal),
        Ok(submission) => receiver::receive::<SignedAct>(&state, &session, &submission).await?,
    };
    Ok(Json(verdict))
}
