//! Applications as the server tracks them (`application` table): recorded when their signed
//! envelope is accepted, with status `submitted`, and moved on only by accepted decisions
//! (`signed::decision`), whose steps the `domain` lifecycle decides; and read for sync, as
//! the changes a pull sends ([`changes_of_units`], [`changes_by_id`]).

use std::collections::HashMap;

use anyhow::Context;
use domain::{
    ApplicationId, ApplicationKind, ApplicationPayload, ApplicationStatus, Date, SignedEnvelope,
    Timestamp, UnitId,
};
use protocol::sync::{Change, DecisionRecord, RawJson};
use sqlx::{Row, SqliteConnection};

use super::Writes;

/// An application as stored.
#[derive(Debug, Clone)]
pub struct StoredApplication {
    pub id: ApplicationId,
    pub unit: UnitId,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
    /// The envelope's payload (validated against the kind when the envelope was accepted).
    pub payload: serde_json::Value,
}

/// Records the application of an envelope just accepted, as `submitted`, with `payload`, its
/// payload as the judgement decoded it (a quota-use request's category and count are kept as
/// columns too, for the vacancy rule: [`super::ledger::vacancies`]): adds its `INSERT`
/// to `writes`, run inside the transaction that accepts the envelope.
pub fn insert_submitted(
    writes: &mut Writes,
    envelope: &SignedEnvelope,
    payload: &ApplicationPayload,
    envelope_hash: &str,
    now: Timestamp,
    lateness: Option<(Date, u32)>,
) -> anyhow::Result<()> {
    let (category, count) = match payload {
        ApplicationPayload::QuotaUse(request) => (
            Some(request.category.code()),
            Some(i64::from(request.count.get())),
        ),
        _ => (None, None),
    };
    writes
        .push(
            "INSERT INTO application (application_id, unit_id, kind, status, payload, signer, \
             envelope_hash, submitted_at, updated_at, category, count, due_on, days_overdue) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(envelope.application_id.to_string())?
        .bind(envelope.unit.to_string())?
        .bind(envelope.kind.code())?
        .bind(ApplicationStatus::Submitted.code())?
        .bind(serde_json::to_string(&envelope.payload).context("serialising the payload")?)?
        .bind(envelope.signer.to_string())?
        .bind(envelope_hash.to_owned())?
        .bind(now.to_string())?
        .bind(now.to_string())?
        .bind(category)?
        .bind(count)?
        .bind(lateness.map(|(due, _)| due.to_string()))?
        .bind(lateness.map_or(0, |(_, days)| i64::from(days)))?;
    Ok(())
}

/// Reads one application, `None` if there is none with that id.
pub async fn load(
    conn: &mut SqliteConnection,
    id: &ApplicationId,
) -> anyhow::Result<Option<StoredApplication>> {
    let Some(row) = sqlx::query(
        "SELECT unit_id, kind, status, payload FROM application WHERE application_id = ?",
    )
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await
    .context("reading the application")?
    else {
        return Ok(None);
    };
    let unit: String = row.try_get("unit_id")?;
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let payload: String = row.try_get("payload")?;
    Ok(Some(StoredApplication {
        id: id.clone(),
        unit: UnitId::parse(&unit).map_err(|e| anyhow::anyhow!(e.message_en()))?,
        kind: ApplicationKind::from_code(&kind)
            .with_context(|| format!("stored application kind {kind:?} is unknown"))?,
        status: ApplicationStatus::from_code(&status)
            .with_context(|| format!("stored application status {status:?} is unknown"))?,
        payload: serde_json::from_str(&payload).context("stored payload is not JSON")?,
    }))
}

/// Moves an application from `from` to `to` (the caller has the domain's word for the step).
pub async fn set_status(
    conn: &mut SqliteConnection,
    id: &ApplicationId,
    from: ApplicationStatus,
    to: ApplicationStatus,
    now: Timestamp,
) -> anyhow::Result<()> {
    let changed = sqlx::query(
        "UPDATE application SET status = ?, updated_at = ? WHERE application_id = ? AND status = ?",
    )
    .bind(to.code())
    .bind(now.to_string())
    .bind(id.as_str())
    .bind(from.code())
    .execute(&mut *conn)
    .await
    .context("updating the application's status")?
    .rows_affected();
    anyhow::ensure!(
        changed == 1,
        "application {id} was not {from} when its status was updated"
    );
    Ok(())
}

/// Records that an approval's effects are written, with the notice it issued.
pub async fn set_applied(
    conn: &mut SqliteConnection,
    id: &ApplicationId,
    notice: Option<&str>,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE application SET applied = 1, notice_number = ? WHERE application_id = ?")
        .bind(notice)
        .bind(id.as_str())
        .execute(&mut *conn)
        .await
        .context("marking an approval applied")?;
    Ok(())
}

/// The last accepted decision on an application: its action code, decider's name and when it
/// was received.
pub async fn last_decision(
    conn: &mut SqliteConnection,
    id: &ApplicationId,
) -> anyhow::Result<Option<(String, String, String)>> {
    sqlx::query_as(
        "SELECT d.action, coalesce(k.name, d.decider), d.received_at FROM decision d \
         LEFT JOIN key_holder k ON k.id = d.decider \
         WHERE d.application_id = ? AND d.status = 'accepted' ORDER BY d.id DESC LIMIT 1",
    )
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await
    .context("reading the last decision")
}

/// An approval whose effects were never written (approved by a server before they were
/// applied): the application, who approved it, and when.
#[derive(Debug, Clone)]
pub struct Unapplied {
    pub application: StoredApplication,
    pub approver: Option<String>,
    pub approved_at: String,
}

/// The approvals never applied, oldest first.
pub async fn unapplied(conn: &mut SqliteConnection) -> anyhow::Result<Vec<Unapplied>> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT a.application_id, a.updated_at, \
         (SELECT d.decider FROM decision d WHERE d.application_id = a.application_id \
          AND d.status = 'accepted' AND d.action = 'approve' ORDER BY d.id DESC LIMIT 1) \
         FROM application a WHERE a.status = 'approved' AND a.applied = 0 \
         ORDER BY a.updated_at, a.application_id",
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading approvals not applied")?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, approved_at, approver) in rows {
        let id = ApplicationId::parse(&id).map_err(|e| anyhow::anyhow!(e.message_en()))?;
        let application = load(conn, &id)
            .await?
            .context("an application just listed is missing")?;
        out.push(Unapplied {
            application,
            approver,
            approved_at,
        });
    }
    Ok(out)
}

/// An application as a pull sends it: where it stands, what the clerk signed (the accepted
/// envelope's bytes, its signer's name), the slip or notice an approval issued, its lateness;
/// its decisions are read by [`decisions_of`].
const APPLICATION_CHANGE: &str = "SELECT a.application_id, a.unit_id, a.kind, a.status, a.updated_at, \
     (SELECT s.number FROM slip s WHERE s.application_id = a.application_id ORDER BY s.number LIMIT 1) \
     AS slip_number, a.notice_number, a.due_on, a.days_overdue, a.signer, a.submitted_at, \
     coalesce(k.name, '') AS signer_name, CAST(e.bytes AS TEXT) AS envelope, \
     i.record AS doc_record, i.canonical AS doc_canonical, i.key_id AS doc_key_id, \
     i.signature AS doc_signature, i.voided_at AS doc_voided_at, \
     i.void_reason AS doc_void_reason, i.void_decision AS doc_void_decision, \
     ds.record AS doc_slip \
     FROM application a \
     JOIN envelope e ON e.envelope_hash = a.envelope_hash AND e.verified = 1 \
     LEFT JOIN key_holder k ON k.id = a.signer \
     LEFT JOIN issued_document i ON i.application_id = a.application_id \
     LEFT JOIN slip ds ON ds.number = i.number";

fn application_change(
    row: &sqlx::sqlite::SqliteRow,
    decisions: &mut HashMap<String, Vec<DecisionRecord>>,
) -> anyhow::Result<Change> {
    let application_id: String = row.try_get("application_id")?;
    let envelope: String = row.try_get("envelope")?;
    // The two fields of the signed document a list shows, read from it (it was verified).
    let (credential_id, signed_at) = {
        #[derive(serde::Deserialize)]
        struct Signed {
            credential_id: String,
            created_at: String,
        }
        let signed: Signed =
            serde_json::from_str(&envelope).context("a stored envelope does not parse")?;
        (signed.credential_id, signed.created_at)
    };
    let days_overdue: i64 = row.try_get("days_overdue")?;
    // The slip or notice its approval issued, with its signature and status as of now.
    let document = match row.try_get::<Option<String>, _>("doc_record")? {
        Some(record) => {
            let stored = super::documents::stored_with(row, "doc_", record)?;
            super::documents::issued_signature(&stored, crate::clock::now().date_in_china())
        }
        None => None,
    };
    Ok(Change::Application {
        decisions: decisions.remove(&application_id).unwrap_or_default(),
        application_id,
        unit_id: row.try_get("unit_id")?,
        kind: row.try_get("kind")?,
        status: row.try_get("status")?,
        updated_at: row.try_get("updated_at")?,
        slip_number: row.try_get("slip_number")?,
        envelope: RawJson::from_string(envelope).context("a stored envelope is not JSON")?,
        signer_id: row.try_get("signer")?,
        signer_name: row.try_get("signer_name")?,
        credential_id,
        signed_at,
        received_at: row.try_get("submitted_at")?,
        notice_number: row.try_get("notice_number")?,
        due_on: row.try_get("due_on")?,
        late: days_overdue > 0,
        days_overdue: u32::try_from(days_overdue).unwrap_or(0),
        document,
    })
}

/// The accepted decisions on the applications whose ids are in the JSON array `ids`, each
/// application's oldest first: one query.
async fn decisions_of(
    conn: &mut SqliteConnection,
    ids: &str,
) -> anyhow::Result<HashMap<String, Vec<DecisionRecord>>> {
    let mut by_application: HashMap<String, Vec<DecisionRecord>> = HashMap::new();
    for row in sqlx::query(
        "SELECT d.application_id, d.decision_id, d.action, d.decider, d.received_at, \
         coalesce(k.name, '') AS name, coalesce(k.role, '') AS role, \
         json_extract(CAST(d.bytes AS TEXT), '$.note') AS note, \
         json_extract(CAST(d.bytes AS TEXT), '$.created_at') AS signed_at \
         FROM decision d LEFT JOIN key_holder k ON k.id = d.decider \
         WHERE d.status = 'accepted' AND d.application_id IN (SELECT value FROM json_each(?)) \
         ORDER BY d.id",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
    .context("reading the decisions of applications")?
    {
        by_application
            .entry(row.try_get("application_id")?)
            .or_default()
            .push(DecisionRecord {
                decision_id: row.try_get("decision_id")?,
                action: row.try_get("action")?,
                decider_id: row.try_get("decider")?,
                decider_name: row.try_get("name")?,
                decider_role: row.try_get("role")?,
                note: row
                    .try_get::<Option<String>, _>("note")?
                    .unwrap_or_default(),
                signed_at: row
                    .try_get::<Option<String>, _>("signed_at")?
                    .unwrap_or_default(),
                received_at: row.try_get("received_at")?,
            });
    }
    Ok(by_application)
}

/// The applications of `units` as changes for a pull, each unit's oldest first: one query.
pub async fn changes_of_units(
    conn: &mut SqliteConnection,
    units: &[UnitId],
) -> anyhow::Result<HashMap<UnitId, Vec<Change>>> {
    let ids = serde_json::to_string(&units.iter().map(UnitId::as_str).collect::<Vec<_>>())?;
    let mut by_unit: HashMap<UnitId, Vec<Change>> = HashMap::new();
    let rows = sqlx::query(&format!(
        "{APPLICATION_CHANGE} WHERE a.unit_id IN (SELECT value FROM json_each(?)) \
         ORDER BY a.unit_id, a.submitted_at, a.application_id"
    ))
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
    .context("reading units' applications")?;
    if rows.is_empty() {
        return Ok(by_unit);
    }
    let application_ids: Vec<String> = rows
        .iter()
        .map(|row| row.try_get("application_id"))
        .collect::<Result<_, _>>()?;
    let mut decisions = decisions_of(conn, &serde_json::to_string(&application_ids)?).await?;
    for row in rows {
        let unit: String = row.try_get("unit_id")?;
        let unit = UnitId::parse(&unit).map_err(|e| anyhow::anyhow!(e.message_en()))?;
        by_unit
            .entry(unit)
            .or_default()
            .push(application_change(&row, &mut decisions)?);
    }
    Ok(by_unit)
}

/// The applications with these ids (those that exist) as changes for a pull: one query.
pub async fn changes_by_id(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<HashMap<String, Change>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids = serde_json::to_string(ids)?;
    let rows = sqlx::query(&format!(
        "{APPLICATION_CHANGE} WHERE a.application_id IN (SELECT value FROM json_each(?))"
    ))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .context("reading applications")?;
    let mut decisions = decisions_of(conn, &ids).await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("application_id")?,
                application_change(row, &mut decisions)?,
            ))
        })
        .collect()
}
