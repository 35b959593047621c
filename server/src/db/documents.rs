//! Documents anyone can check (migration 0009): the bureaus' published document keys
//! (`document_key`; the private halves are files, `crate::documents::keyring`), each issued
//! document's signature and voiding (columns of `issued_document`), and what a check of a
//! document reads.

use anyhow::Context;
use documents::{DocumentStatus, KeyId, PublishedKey, SignedDocument};
use domain::slip::QuotaUseSlip;
use domain::{ApplicationId, Bureau, Date, IssuedDocument, Region, Timestamp};
use protocol::documents::IssuedSignature;
use sqlx::{Row, SqliteConnection};

/// Publishes a new key of its bureau.
pub async fn insert_key(conn: &mut SqliteConnection, key: &PublishedKey) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO document_key (key_id, bureau, public_key, created_at, retired_at) \
         VALUES (?, ?, ?, ?, NULL)",
    )
    .bind(key.key_id.as_str())
    .bind(key.bureau.region().code())
    .bind(&key.public_key)
    .bind(key.created_at.to_string())
    .execute(&mut *conn)
    .await
    .context("publishing a document key")?;
    Ok(())
}

/// Retires the key in force of `bureau` at `at`; returns its id (none in force: `None`).
pub async fn retire_current(
    conn: &mut SqliteConnection,
    bureau: Bureau,
    at: Timestamp,
) -> anyhow::Result<Option<KeyId>> {
    let retired: Option<String> = sqlx::query_scalar(
        "UPDATE document_key SET retired_at = ? WHERE bureau = ? AND retired_at IS NULL \
         RETURNING key_id",
    )
    .bind(at.to_string())
    .bind(bureau.region().code())
    .fetch_optional(&mut *conn)
    .await
    .context("retiring a document key")?;
    Ok(retired.and_then(|id| KeyId::parse(&id)))
}

/// The id of the key in force of `bureau`.
pub async fn current_key(
    conn: &mut SqliteConnection,
    bureau: Bureau,
) -> anyhow::Result<Option<KeyId>> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT key_id FROM document_key WHERE bureau = ? AND retired_at IS NULL",
    )
    .bind(bureau.region().code())
    .fetch_optional(&mut *conn)
    .await
    .context("reading the document key in force")?;
    Ok(id.and_then(|id| KeyId::parse(&id)))
}

/// Every key ever published, retired ones included, by bureau and age.
pub async fn keys(conn: &mut SqliteConnection) -> anyhow::Result<Vec<PublishedKey>> {
    let rows = sqlx::query(
        "SELECT key_id, bureau, public_key, created_at, retired_at FROM document_key \
         ORDER BY bureau, created_at, key_id",
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading the document keys")?;
    rows.iter()
        .map(|row| {
            let key_id: String = row.try_get("key_id")?;
            let bureau: String = row.try_get("bureau")?;
            let created_at: String = row.try_get("created_at")?;
            let retired_at: Option<String> = row.try_get("retired_at")?;
            let time = |t: &str| Timestamp::parse(t).map_err(|e| anyhow::anyhow!(e.message_en()));
            Ok(PublishedKey {
                key_id: KeyId::parse(&key_id).context("a stored key id")?,
                bureau: Region::from_code(&bureau)
                    .context("a stored key's bureau")?
                    .bureau(),
                public_key: row.try_get("public_key")?,
                created_at: time(&created_at)?,
                retired_at: retired_at.as_deref().map(time).transpose()?,
            })
        })
        .collect()
}

/// Stores the signature of a document just issued (its row written by
/// `ledger::insert_issued`).
pub async fn store_signature(
    conn: &mut SqliteConnection,
    signed: &SignedDocument,
) -> anyhow::Result<()> {
    let done = sqlx::query(
        "UPDATE issued_document SET canonical = ?, key_id = ?, signature = ? WHERE number = ?",
    )
    .bind(&signed.canonical)
    .bind(signed.key_id.as_str())
    .bind(signed.signature_b64url())
    .bind(signed.form.number.as_str())
    .execute(&mut *conn)
    .await
    .context("storing a document's signature")?;
    anyhow::ensure!(
        done.rows_affected() == 1,
        "the signed document is not issued"
    );
    Ok(())
}

/// An issued document as a check reads it.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub issued: IssuedDocument,
    /// The canonical form signed, the key and the signature (base64url); none for a document
    /// issued before documents were signed.
    pub canonical: Option<String>,
    pub key_id: Option<String>,
    pub signature: Option<String>,
    pub voided_at: Option<String>,
    pub void_reason: Option<String>,
    pub void_decision: Option<String>,
    /// The slip itself, for a quota-use slip.
    pub slip: Option<QuotaUseSlip>,
}

/// The status of a stored document on `on`.
pub fn status(document: &StoredDocument, on: Date) -> DocumentStatus {
    DocumentStatus::of(document.voided_at.is_some(), document.slip.as_ref(), on)
}

/// A stored document's signature, QR content and status on `on` (none for a document issued
/// before documents were signed).
pub fn issued_signature(document: &StoredDocument, on: Date) -> Option<IssuedSignature> {
    let (canonical, key_id, signature) = (
        document.canonical.as_ref()?,
        document.key_id.as_ref()?,
        document.signature.as_ref()?,
    );
    let qr = format!(
        "{}.{}.{key_id}.{signature}",
        documents::qr::QR_PREFIX,
        domain::canonical::base64url(canonical.as_bytes())
    );
    Some(IssuedSignature {
        number: document.issued.number.to_string(),
        kind: document.issued.kind.code().to_owned(),
        document: canonical.clone(),
        key_id: key_id.clone(),
        signature: signature.clone(),
        qr,
        status: status(document, on).code().to_owned(),
        void_reason: document.void_reason.clone(),
    })
}

const DOCUMENT: &str = "SELECT i.record, i.canonical, i.key_id, i.signature, i.voided_at, \
     i.void_reason, i.void_decision, s.record AS slip FROM issued_document i \
     LEFT JOIN slip s ON s.number = i.number";

fn stored(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<StoredDocument> {
    let record: String = row.try_get("record")?;
    stored_with(row, "", record)
}

/// The document columns of `row`, named with `prefix` (a pull's application row carries them
/// as `doc_…`).
pub(super) fn stored_with(
    row: &sqlx::sqlite::SqliteRow,
    prefix: &str,
    record: String,
) -> anyhow::Result<StoredDocument> {
    let column = |name: &str| format!("{prefix}{name}");
    let slip: Option<String> = row.try_get(column("slip").as_str())?;
    Ok(StoredDocument {
        issued: serde_json::from_str(&record).context("a stored issued document")?,
        canonical: row.try_get(column("canonical").as_str())?,
        key_id: row.try_get(column("key_id").as_str())?,
        signature: row.try_get(column("signature").as_str())?,
        voided_at: row.try_get(column("voided_at").as_str())?,
        void_reason: row.try_get(column("void_reason").as_str())?,
        void_decision: row.try_get(column("void_decision").as_str())?,
        slip: slip
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .context("a stored slip")?,
    })
}

/// The document numbered `number`.
pub async fn by_number(
    conn: &mut SqliteConnection,
    number: &str,
) -> anyhow::Result<Option<StoredDocument>> {
    let row = sqlx::query(&format!("{DOCUMENT} WHERE i.number = ?"))
        .bind(number)
        .fetch_optional(&mut *conn)
        .await
        .context("reading an issued document")?;
    row.as_ref().map(stored).transpose()
}

/// The document `application` issued.
pub async fn of_application(
    conn: &mut SqliteConnection,
    application: &ApplicationId,
) -> anyhow::Result<Option<StoredDocument>> {
    let row = sqlx::query(&format!(
        "{DOCUMENT} WHERE i.application_id = ? ORDER BY i.number LIMIT 1"
    ))
    .bind(application.as_str())
    .fetch_optional(&mut *conn)
    .await
    .context("reading the document of an application")?;
    row.as_ref().map(stored).transpose()
}

/// Records the voiding of `number` by `decision` at `at`, with its reason.
pub async fn void(
    conn: &mut SqliteConnection,
    number: &str,
    at: Timestamp,
    reason: &str,
    decision: &str,
) -> anyhow::Result<()> {
    let done = sqlx::query(
        "UPDATE issued_document SET voided_at = ?, void_reason = ?, void_decision = ? \
         WHERE number = ? AND voided_at IS NULL",
    )
    .bind(at.to_string())
    .bind(reason)
    .bind(decision)
    .bind(number)
    .execute(&mut *conn)
    .await
    .context("voiding a document")?;
    anyhow::ensure!(done.rows_affected() == 1, "the document is not voidable");
    Ok(())
}

/// The onboarding notices that used the slip `number`: their numbers and dates, oldest first.
pub async fn used_by(
    conn: &mut SqliteConnection,
    number: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT number, json_extract(record, '$.issued_on') FROM issued_document \
         WHERE kind = 'onboarding_notice' AND json_extract(record, '$.slip_number') = ? \
         ORDER BY number",
    )
    .bind(number)
    .fetch_all(&mut *conn)
    .await
    .context("reading the notices that used a slip")
}

/// The application that issued the slip `number` (to send its new status in the pull).
pub async fn slip_application(
    conn: &mut SqliteConnection,
    number: &str,
) -> anyhow::Result<Option<(String, String)>> {
    sqlx::query_as("SELECT application_id, unit_id FROM slip WHERE number = ?")
        .bind(number)
        .fetch_optional(&mut *conn)
        .await
        .context("reading a slip's application")
}

/// The id of the accepted approval of `application` (for the signed form of a document issued
/// at start by `effects::apply_pending`).
pub async fn approving_decision(
    conn: &mut SqliteConnection,
    application: &ApplicationId,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT decision_id FROM decision WHERE application_id = ? AND status = 'accepted' \
         AND action = 'approve' ORDER BY id DESC LIMIT 1",
    )
    .bind(application.as_str())
    .fetch_optional(&mut *conn)
    .await
    .context("reading the approving decision")
}

/// The display name of who signed the decision `decision_id`.
pub async fn decider_name(
    conn: &mut SqliteConnection,
    decision_id: &str,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT k.name FROM decision d JOIN key_holder k ON k.id = d.decider \
         WHERE d.decision_id = ? AND d.status = 'accepted'",
    )
    .bind(decision_id)
    .fetch_optional(&mut *conn)
    .await
    .context("reading who decided")
}

/// The documents issued without a signature (before documents were signed), oldest first.
pub async fn unsigned(conn: &mut SqliteConnection) -> anyhow::Result<Vec<StoredDocument>> {
    let rows = sqlx::query(&format!(
        "{DOCUMENT} WHERE i.signature IS NULL ORDER BY json_extract(i.record, '$.issued_on'), i.number"
    ))
    .fetch_all(&mut *conn)
    .await
    .context("reading unsigned documents")?;
    rows.iter().map(stored).collect()
}

/// The post of the person `id_number` of `unit`: category and funding form, from the staff or,
/// having left, the departed staff (the latest record).
pub async fn person_post(
    conn: &mut SqliteConnection,
    unit: &str,
    id_number: &str,
) -> anyhow::Result<Option<domain::person::Person>> {
    let staff: Option<String> =
        sqlx::query_scalar("SELECT person FROM staff WHERE id_number = ? AND unit_id = ?")
            .bind(id_number)
            .bind(unit)
            .fetch_optional(&mut *conn)
            .await
            .context("reading a person on the staff")?;
    if let Some(person) = staff {
        return Ok(Some(
            serde_json::from_str(&person).context("a stored person")?,
        ));
    }
    let departed: Option<String> = sqlx::query_scalar(
        "SELECT record FROM departed WHERE id_number = ? AND unit_id = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(id_number)
    .bind(unit)
    .fetch_optional(&mut *conn)
    .await
    .context("reading a departed person")?;
    match departed {
        Some(record) => {
            let departed: domain::person::DepartedPerson =
                serde_json::from_str(&record).context("a stored departed person")?;
            Ok(Some(departed.person))
        }
        None => Ok(None),
    }
}
