//! What an approval does to its unit, decided in memory by `domain::UnitBook` and then written
//! in the caller's transaction: the one place where an approved application changes the
//! ledger, the staff and the issued documents ([`plan`], then [`write`]).
//!
//! - quota use → the posts reserved, the slip 编制使用单 issued and numbered;
//! - onboarding → the person on the staff with the slip's number, one reserved post filled, the
//!   slip's count left down (used up at 0), the onboarding notice 入编通知单 numbered (its number
//!   is the person's 入编文号); the 身份证号 checked against every post of the deployment again;
//! - offboarding → the person moved to the departed staff with reason, date, document and the
//!   offboarding notice 出编通知单 (numbered), the post freed;
//! - record change → the person's (or unit's) record changed, the old values kept in the
//!   certificate's history with the approval.
//!
//! Numbers are issued by the approver's bureau (`Grant::numbering_bureau`) for the year of the
//! approval, and each slip or notice is signed with that bureau's SM2 document key
//! (`documents::SignedDocument`: its canonical form, key id and signature stored with it; a
//! bureau without a key refuses the approval, `document_key_missing`). An onboarding puts the
//! slip it used back in the change log, so that the slip's status (used) reaches the pull. A refusal of the domain becomes a [`Refusal`] naming the field and the rule.
//! `signed::decision` plans and writes an approval; [`apply_pending`] applies, at start, the
//! approvals an earlier server marked approved without applying them.

use anyhow::Context;
use documents::{DocumentForm, Particulars, SignedDocument};
use domain::payload::{ApplicationPayload, ChangeSubject};
use domain::person::{DepartedPerson, Person};
use domain::slip::{IssuedDocumentKind, QuotaUseSlip, SlipValidity};
use domain::unit::UnitRecord;
use domain::{
    ApplicationKind, ApplicationStatus, Bureau, Date, DecisionId, DocumentNumber, Grant,
    IssuedDocument, NoticePerson, PostRegistry, RecordChangeEntry, UnitBook, UserId,
};
use serde_json::json;

use super::refusal::Refusal;
use crate::db::applications::{self, StoredApplication};
use crate::db::audit::{self, Entry};
use crate::db::changes::{self, Entity};
use crate::db::{self, Conn, Pool, holders, ledger, units};
use crate::documents::keyring::{self, Keyring};

/// Who approves: the reviewer, their name, and the bureau whose numbering they use.
#[derive(Debug, Clone)]
pub struct Approver {
    pub id: UserId,
    pub name: String,
    pub bureau: Bureau,
}

impl Approver {
    /// The approver `id` with `grant`, approving for `unit`.
    pub fn new(id: UserId, name: String, grant: &Grant, unit: &UnitRecord) -> Approver {
        Approver {
            id,
            name,
            bureau: grant.numbering_bureau(unit),
        }
    }
}

/// What signing the document of an approval needs: the private keys and the approving
/// decision's id.
#[derive(Debug, Clone, Copy)]
pub struct Signing<'a> {
    pub keyring: &'a Keyring,
    pub decision: &'a DecisionId,
}

/// The effects of one approval, decided and checked, not yet written.
#[derive(Debug)]
pub enum Effect {
    QuotaUse {
        book: UnitBook,
        slip: QuotaUseSlip,
        issued: IssuedDocument,
        signed: Box<SignedDocument>,
    },
    Onboarding {
        book: UnitBook,
        person: Person,
        slip: QuotaUseSlip,
        issued: IssuedDocument,
        signed: Box<SignedDocument>,
    },
    Offboarding {
        book: UnitBook,
        departed: DepartedPerson,
        issued: IssuedDocument,
        signed: Box<SignedDocument>,
    },
    RecordChange {
        /// The changed unit record, or the changed person.
        unit: Option<UnitRecord>,
        person: Option<Person>,
        entry: RecordChangeEntry,
    },
}

impl Effect {
    /// The number of the quota-use slip it issues.
    pub fn slip_number(&self) -> Option<String> {
        match self {
            Effect::QuotaUse { issued, .. } => Some(issued.number.to_string()),
            _ => None,
        }
    }

    /// The number of the notice it issues.
    pub fn notice_number(&self) -> Option<String> {
        match self {
            Effect::Onboarding { issued, .. } | Effect::Offboarding { issued, .. } => {
                Some(issued.number.to_string())
            }
            _ => None,
        }
    }
}

/// Decides the effects of approving `application` (of `unit`) by `approver` on `on`, its
/// document signed: the effect to write, or the refusal. Reads only.
pub async fn plan(
    conn: &mut Conn,
    application: &StoredApplication,
    unit: &UnitRecord,
    approver: &Approver,
    on: Date,
    signing: Signing<'_>,
) -> anyhow::Result<Result<Effect, Refusal>> {
    if application.kind.issues_document()
        && keyring::signing_key(conn, signing.keyring, approver.bureau)
            .await?
            .is_none()
    {
        return Ok(Err(Refusal::DocumentKeyMissing));
    }
    let payload = ApplicationPayload::from_value(application.kind, &application.payload)
        .with_context(|| format!("stored payload of {}", application.id))?;
    let mut book = ledger::load_book(conn, &unit.id)
        .await?
        .with_context(|| format!("unit {} of an application is missing", unit.id))?;
    let issued = |kind, number: &DocumentNumber, person: Option<&Person>, slip| IssuedDocument {
        number: number.clone(),
        kind,
        bureau: approver.bureau,
        unit: unit.id.clone(),
        issued_on: on,
        application_id: application.id.clone(),
        approver: approver.id.clone(),
        approver_name: approver.name.clone(),
        person: person.map(|p| NoticePerson {
            id_number: p.id_number.clone(),
            name: p.name.clone(),
        }),
        slip_number: slip,
    };
    let key = keyring::signing_key(conn, signing.keyring, approver.bureau).await?;
    let sign = |issued: &IssuedDocument, particulars: Particulars| -> anyhow::Result<_> {
        let key = key
            .as_ref()
            .context("the bureau's document key was read above")?;
        let form = DocumentForm::new(issued, particulars, signing.decision.clone());
        SignedDocument::sign(form, key)
            .map(Box::new)
            .map_err(|e| anyhow::anyhow!("signing {}: {e}", issued.number))
    };
    let particulars = |category, funding_form, slip: Option<&QuotaUseSlip>| Particulars {
        unit_name: unit.name.clone(),
        category,
        funding_form,
        count: slip.map(|s| s.count),
        valid_until: slip.map(|s| s.valid_until),
    };
    Ok(Ok(match payload {
        ApplicationPayload::QuotaUse(request) => {
            let kind = IssuedDocumentKind::QuotaUseSlip;
            let number = next_number(conn, approver.bureau, kind, on).await?;
            let slip =
                match book.approve_quota_use(&request, number.clone(), on, SlipValidity::default())
                {
                    Ok(slip) => slip.clone(),
                    Err(error) => return Ok(Err(Refusal::of_approval(error))),
                };
            let issued = issued(kind, &number, None, None);
            let signed = sign(
                &issued,
                particulars(slip.category, slip.funding_form, Some(&slip)),
            )?;
            Effect::QuotaUse {
                issued,
                signed,
                book,
                slip,
            }
        }
        ApplicationPayload::Onboarding(request) => {
            // One post per 身份证号, wherever: checked against the database again now.
            let mut registry = PostRegistry::new();
            let id = &request.person.id_number;
            if let Some(holding) = ledger::post_holding(conn, id).await? {
                registry
                    .register(id.clone(), holding)
                    .map_err(|e| anyhow::anyhow!(e.message_en()))?;
            }
            let kind = IssuedDocumentKind::OnboardingNotice;
            let number = next_number(conn, approver.bureau, kind, on).await?;
            let person =
                match book.approve_onboarding(&mut registry, &request, on, Some(number.clone())) {
                    Ok(person) => person.clone(),
                    Err(error) => return Ok(Err(Refusal::of_approval(error))),
                };
            let slip = book
                .slips()
                .get(&request.slip_number)
                .cloned()
                .context("the slip used is in the book")?;
            let issued = issued(kind, &number, Some(&person), Some(slip.number.clone()));
            let signed = sign(
                &issued,
                particulars(person.category, person.funding_form, None),
            )?;
            Effect::Onboarding {
                issued,
                signed,
                book,
                person,
                slip,
            }
        }
        ApplicationPayload::Offboarding(request) => {
            let mut registry = PostRegistry::new();
            if let Some(holding) = ledger::post_holding(conn, &request.id_number).await? {
                registry
                    .register(request.id_number.clone(), holding)
                    .map_err(|e| anyhow::anyhow!(e.message_en()))?;
            }
            let kind = IssuedDocumentKind::OffboardingNotice;
            let number = next_number(conn, approver.bureau, kind, on).await?;
            let departed =
                match book.approve_offboarding(&mut registry, &request, Some(number.clone())) {
                    Ok(departed) => departed.clone(),
                    Err(error) => return Ok(Err(Refusal::of_approval(error))),
                };
            let issued = issued(kind, &number, Some(&departed.person), None);
            let signed = sign(
                &issued,
                particulars(departed.person.category, departed.person.funding_form, None),
            )?;
            Effect::Offboarding {
                issued,
                signed,
                book,
                departed,
            }
        }
        ApplicationPayload::RecordChange(request) => {
            let mut record = unit.clone();
            let applied = match book.approve_record_change(&mut record, &request) {
                Ok(applied) => applied,
                Err(error) => return Ok(Err(Refusal::of_approval(error))),
            };
            let (unit, person) = match &request.subject {
                ChangeSubject::Unit => {
                    if ledger::name_taken(conn, &record).await? {
                        return Ok(Err(Refusal::UnitNameTaken));
                    }
                    (Some(record), None)
                }
                ChangeSubject::Person { id_number } => (
                    None,
                    Some(
                        book.staff()
                            .get(id_number)
                            .cloned()
                            .context("the changed person is on the staff")?,
                    ),
                ),
            };
            Effect::RecordChange {
                unit,
                person,
                entry: RecordChangeEntry {
                    subject: request.subject.clone(),
                    changed_on: request.changed_on,
                    changes: applied,
                    document: request.document.clone(),
                    application_id: application.id.clone(),
                    approved_on: on,
                    approver: approver.id.clone(),
                    approver_name: approver.name.clone(),
                },
            }
        }
    }))
}

/// The next number `bureau` issues for `kind` on `on`.
async fn next_number(
    conn: &mut Conn,
    bureau: Bureau,
    kind: IssuedDocumentKind,
    on: Date,
) -> anyhow::Result<DocumentNumber> {
    let mut numbering = ledger::numbering(conn, bureau, kind, on.year()).await?;
    numbering
        .issue(bureau, kind, on)
        .map_err(|e| anyhow::anyhow!("numbering a {}: {}", kind.code(), e.message_en()))
}

/// Writes `effect` of approving `application`, in the caller's transaction: the unit's changed
/// records, the issued document and its numbering, the application marked applied, and the
/// unit's certificate in the change log.
pub async fn write(
    conn: &mut Conn,
    application: &StoredApplication,
    approver: &Approver,
    effect: &Effect,
) -> anyhow::Result<()> {
    let unit = &application.unit;
    let issued = match effect {
        Effect::QuotaUse {
            book,
            slip,
            issued,
            signed,
        } => {
            ledger::save_figures(conn, book, slip.category).await?;
            ledger::insert_slip(conn, slip, &application.id).await?;
            Some((issued, signed))
        }
        Effect::Onboarding {
            book,
            person,
            slip,
            issued,
            signed,
        } => {
            ledger::save_figures(conn, book, person.category).await?;
            ledger::insert_staff(conn, unit, person).await?;
            ledger::update_slip(conn, slip).await?;
            // Sync: the slip's status (used) travels on the application that issued it.
            if let Some((slip_application, slip_unit)) =
                db::documents::slip_application(conn, slip.number.as_str()).await?
            {
                changes::record(conn, &slip_unit, Entity::Application, &slip_application).await?;
            }
            Some((issued, signed))
        }
        Effect::Offboarding {
            book,
            departed,
            issued,
            signed,
        } => {
            ledger::save_figures(conn, book, departed.person.category).await?;
            ledger::move_to_departed(conn, unit, departed).await?;
            Some((issued, signed))
        }
        Effect::RecordChange {
            unit: record,
            person,
            entry,
        } => {
            if let Some(record) = record {
                ledger::update_unit(conn, record).await?;
                // The parent's certificate lists the unit by name.
                if let Some(parent) = &record.parent {
                    changes::record(conn, parent.as_str(), Entity::Certificate, parent.as_str())
                        .await?;
                }
            }
            if let Some(person) = person {
                ledger::update_staff(conn, person).await?;
            }
            ledger::insert_record_change(conn, unit, entry).await?;
            None
        }
    };
    if let Some((issued, signed)) = issued {
        ledger::record_issued(conn, approver.bureau, issued.kind, &issued.number).await?;
        ledger::insert_issued(conn, issued).await?;
        db::documents::store_signature(conn, signed).await?;
    }
    let notice = effect.notice_number();
    applications::set_applied(conn, &application.id, notice.as_deref()).await?;
    // Sync: the unit's certificate, whose ledger, staff or history changed.
    changes::record(conn, unit.as_str(), Entity::Certificate, unit.as_str()).await
}

/// At start: applies, oldest first, the approvals of onboarding, offboarding and record-change
/// applications that an earlier server marked approved without applying them, as of their
/// approval's date, where the rules still allow it; reopens the others for review (back to
/// `submitted`: these kinds are decided by the bureau straight from there). Each is audited
/// (`application.applied_late`, `application.reopened`, with the refusal's code). Slips issued
/// before issued documents were recorded get theirs. Returns how many approvals were applied
/// and reopened.
pub async fn apply_pending(pool: &Pool, keyring: &Keyring) -> anyhow::Result<(u64, u64)> {
    let mut tx = db::write(pool)
        .await
        .context("starting to apply approvals")?;
    let pending = applications::unapplied(&mut tx).await?;
    let (mut applied, mut reopened) = (0, 0);
    for item in pending {
        let application = &item.application;
        let unit = units::record(&mut tx, &application.unit)
            .await?
            .with_context(|| format!("unit {} of an application is missing", application.unit))?;
        let approver = match &item.approver {
            Some(id) => holders::load(&mut tx, id).await?,
            None => None,
        };
        let approved_at = domain::Timestamp::parse(&item.approved_at)
            .map_err(|e| anyhow::anyhow!("approval time: {}", e.message_en()))?;
        let on = approved_at.date_in_china();
        let outcome = match approver {
            // An approval without an approver on record cannot be numbered: review it again.
            None => Err("approver_unknown".to_owned()),
            Some(holder) => {
                let id = UserId::parse(&holder.info.id).map_err(|e| anyhow::anyhow!("{e}"))?;
                let approver = Approver::new(id, holder.info.name.clone(), &holder.grant, &unit);
                let decision = db::documents::approving_decision(&mut tx, &application.id)
                    .await?
                    .and_then(|id| DecisionId::parse(&id).ok())
                    .context("an approval without its decision")?;
                let signing = Signing {
                    keyring,
                    decision: &decision,
                };
                match plan(&mut tx, application, &unit, &approver, on, signing).await? {
                    Ok(effect) => {
                        write(&mut tx, application, &approver, &effect).await?;
                        Ok(effect.notice_number())
                    }
                    Err(refusal) => Err(refusal.code().to_owned()),
                }
            }
        };
        let (action, detail) = match outcome {
            Ok(notice) => {
                applied += 1;
                (
                    "application.applied_late",
                    json!({"kind": application.kind.code(), "unit": unit.id.to_string(),
                           "notice_number": notice}),
                )
            }
            Err(code) => {
                reopened += 1;
                let to = if application.kind == ApplicationKind::QuotaUse {
                    ApplicationStatus::Endorsed
                } else {
                    ApplicationStatus::Submitted
                };
                applications::set_status(
                    &mut tx,
                    &application.id,
                    ApplicationStatus::Approved,
                    to,
                    crate::clock::now(),
                )
                .await?;
                (
                    "application.reopened",
                    json!({"kind": application.kind.code(), "unit": unit.id.to_string(),
                           "to": to.code(), "code": code}),
                )
            }
        };
        changes::record(
            &mut tx,
            unit.id.as_str(),
            Entity::Application,
            application.id.as_str(),
        )
        .await?;
        audit::append(
            &mut tx,
            Entry {
                actor: None,
                credential: None,
                action,
                target: &format!("application:{}", application.id),
                detail,
            },
            crate::clock::now(),
        )
        .await?;
    }
    backfill_slip_documents(&mut tx).await?;
    let signed = sign_unsigned(&mut tx, keyring).await?;
    if signed > 0 {
        tracing::info!(
            signed,
            "documents issued before signing was introduced signed"
        );
    }
    tx.commit()
        .await
        .context("committing the approvals applied")?;
    Ok((applied, reopened))
}

/// Signs the documents issued before documents were signed, with their bureau's key in force
/// and the approving decision's id (each audited, `document.sign_late`); those whose bureau
/// has no key yet, or whose approval or person is no longer on record, stay unsigned (a check
/// by number still finds them). Returns how many were signed.
async fn sign_unsigned(conn: &mut Conn, keyring: &Keyring) -> anyhow::Result<u64> {
    let mut signed = 0;
    for stored in db::documents::unsigned(conn).await? {
        let issued = &stored.issued;
        let Some(key) = keyring::signing_key(conn, keyring, issued.bureau).await? else {
            continue;
        };
        let Some(decision) = db::documents::approving_decision(conn, &issued.application_id)
            .await?
            .and_then(|id| DecisionId::parse(&id).ok())
        else {
            continue;
        };
        let Some(unit) = units::record(conn, &issued.unit).await? else {
            continue;
        };
        let particulars = match (&stored.slip, &issued.person) {
            (Some(slip), _) => Particulars {
                unit_name: unit.name.clone(),
                category: slip.category,
                funding_form: slip.funding_form,
                count: Some(slip.count),
                valid_until: Some(slip.valid_until),
            },
            (None, Some(person)) => {
                let Some(post) = db::documents::person_post(
                    conn,
                    issued.unit.as_str(),
                    person.id_number.as_str(),
                )
                .await?
                else {
                    continue;
                };
                Particulars {
                    unit_name: unit.name.clone(),
                    category: post.category,
                    funding_form: post.funding_form,
                    count: None,
                    valid_until: None,
                }
            }
            (None, None) => continue,
        };
        let document = SignedDocument::sign(DocumentForm::new(issued, particulars, decision), &key)
            .map_err(|e| anyhow::anyhow!("signing {}: {e}", issued.number))?;
        db::documents::store_signature(conn, &document).await?;
        changes::record(
            conn,
            issued.unit.as_str(),
            Entity::Application,
            issued.application_id.as_str(),
        )
        .await?;
        audit::append(
            conn,
            Entry {
                actor: None,
                credential: None,
                action: "document.sign_late",
                target: &format!("document:{}", issued.number),
                detail: json!({"key_id": document.key_id.to_string(),
                               "application": issued.application_id.to_string()}),
            },
            crate::clock::now(),
        )
        .await?;
        signed += 1;
    }
    Ok(signed)
}

/// Records the slips issued before issued documents were recorded, with the reviewer who
/// approved them (so that a slip's print view names its approver); their units' certificates
/// go into the change log.
async fn backfill_slip_documents(conn: &mut Conn) -> anyhow::Result<()> {
    for (slip, application_id, decider) in ledger::slips_without_document(conn).await? {
        let Some(holder) = (match &decider {
            Some(id) => holders::load(conn, id).await?,
            None => None,
        }) else {
            continue;
        };
        let Some(unit) = units::record(conn, &slip.unit).await? else {
            continue;
        };
        let approver = UserId::parse(&holder.info.id).map_err(|e| anyhow::anyhow!("{e}"))?;
        let document = IssuedDocument {
            number: slip.number.clone(),
            kind: IssuedDocumentKind::QuotaUseSlip,
            bureau: holder.grant.numbering_bureau(&unit),
            unit: slip.unit.clone(),
            issued_on: slip.issued_on,
            application_id,
            approver,
            approver_name: holder.info.name.clone(),
            person: None,
            slip_number: None,
        };
        ledger::insert_issued(conn, &document).await?;
        changes::record(
            conn,
            unit.id.as_str(),
            Entity::Certificate,
            unit.id.as_str(),
        )
        .await?;
    }
    Ok(())
}
