//! Every signed document received (`envelope`: signed applications, `decision`: signed
//! decisions; tables of one shape): the raw bytes exactly as signed with the assertion, whether
//! the signature verified, the first verdict, which a repeat of the same bytes gets again, and
//! the columns of the document's kind.
//!
//! Only a receipt whose signature verified answers a repeat (bytes sent first with a bad
//! signature must not decide the fate of the genuine submission), and an id is used by at most
//! one document of a table that was not rejected (the tables' unique indexes).

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use domain::Timestamp;
use protocol::identity::VerdictStatus;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::{Conn, Writes};

/// A table of receipts: its name, the column of the documents' hash, and its own columns.
#[derive(Debug)]
pub struct ReceiptTable {
    pub name: &'static str,
    pub hash_column: &'static str,
    /// The columns of the kind of document: read back with a verdict, written by the kind.
    pub columns: &'static [&'static str],
}

/// Signed applications.
pub const ENVELOPES: ReceiptTable = ReceiptTable {
    name: "envelope",
    hash_column: "envelope_hash",
    columns: &["application_id", "unit_id", "kind", "signer"],
};

/// Signed decisions.
pub const DECISIONS: ReceiptTable = ReceiptTable {
    name: "decision",
    hash_column: "decision_hash",
    columns: &[
        "decision_id",
        "application_id",
        "action",
        "decider",
        "application_status",
        "slip_number",
        "notice_number",
    ],
};

/// Signed acts of the bureau (and the verification phase's confirmations).
pub const ACTS: ReceiptTable = ReceiptTable {
    name: "act",
    hash_column: "act_hash",
    columns: &["act_id", "kind", "signer", "unit_id", "flags", "units"],
};

/// A verdict as stored: status, code, Chinese and English message, and the kind's columns (by
/// name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVerdict {
    pub status: VerdictStatus,
    pub code: Option<String>,
    pub message: Option<String>,
    pub message_en: Option<String>,
    pub columns: Vec<(&'static str, Option<String>)>,
}

impl StoredVerdict {
    /// The value of the kind's column `name` (`None`: NULL, or not a column of the table).
    pub fn column(&self, name: &str) -> Option<String> {
        self.columns
            .iter()
            .find(|(column, _)| *column == name)
            .and_then(|(_, value)| value.clone())
    }
}

/// A signed document received, as stored (no `Debug`: the bytes carry personal data).
pub struct Receipt<'a> {
    /// Hex `SHA-256` of the document's bytes (the challenge the key signed).
    pub hash: &'a str,
    /// Whether the signature verified (accepted, or held for review).
    pub verified: bool,
    pub credential_id: &'a [u8],
    /// The document's bytes exactly as signed.
    pub bytes: &'a [u8],
    pub client_data_json: &'a [u8],
    pub authenticator_data: &'a [u8],
    pub signature: &'a [u8],
    pub verdict: &'a StoredVerdict,
    pub received_at: Timestamp,
}

/// The status as stored.
fn status_code(status: VerdictStatus) -> &'static str {
    match status {
        VerdictStatus::Accepted => "accepted",
        VerdictStatus::Rejected => "rejected",
        VerdictStatus::Held => "held",
    }
}

/// A stored status read back.
fn status_of(code: &str) -> VerdictStatus {
    match code {
        "accepted" => VerdictStatus::Accepted,
        "held" => VerdictStatus::Held,
        _ => VerdictStatus::Rejected,
    }
}

/// The first verdict on each of the documents with these hashes whose signature verified (those
/// that have one), in one query.
pub async fn first_verdicts(
    conn: &mut Conn,
    table: &ReceiptTable,
    hashes: &[&str],
) -> anyhow::Result<HashMap<String, StoredVerdict>> {
    if hashes.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT {hash}, status, code, message, message_en, {} FROM {} \
         WHERE {hash} IN (SELECT value FROM json_each(?)) AND verified = 1",
        table.columns.join(", "),
        table.name,
        hash = table.hash_column
    );
    let rows = sqlx::query(&sql)
        .bind(serde_json::to_string(hashes).context("listing hashes")?)
        .fetch_all(&mut *conn)
        .await
        .context("looking for repeats")?;
    rows.iter()
        .map(|row| Ok((row.try_get(table.hash_column)?, stored_verdict(table, row)?)))
        .collect()
}

fn stored_verdict(table: &ReceiptTable, row: &SqliteRow) -> anyhow::Result<StoredVerdict> {
    let status: String = row.try_get("status").context("status")?;
    let mut columns = Vec::with_capacity(table.columns.len());
    for column in table.columns {
        columns.push((*column, row.try_get(*column).context(*column)?));
    }
    Ok(StoredVerdict {
        status: status_of(&status),
        code: row.try_get("code").context("code")?,
        message: row.try_get("message").context("message")?,
        message_en: row.try_get("message_en").context("message_en")?,
        columns,
    })
}

/// Whether a document of the table that was not rejected has `value` in the column `column`
/// (one of the table's own: an id that may be used once).
pub async fn in_use(
    conn: &mut Conn,
    table: &ReceiptTable,
    column: &'static str,
    value: &str,
) -> anyhow::Result<bool> {
    anyhow::ensure!(
        table.columns.contains(&column),
        "{column} is not a column of {}",
        table.name
    );
    let sql = format!(
        "SELECT 1 FROM {} WHERE {column} = ? AND status <> 'rejected'",
        table.name
    );
    let found: Option<i64> = sqlx::query_scalar(&sql)
        .bind(value)
        .fetch_optional(&mut *conn)
        .await
        .with_context(|| format!("checking the {column}"))?;
    Ok(found.is_some())
}

/// Which of `values` a document of the table that was not rejected has in the column
/// `column` ([`in_use`] for many, in one query).
pub async fn in_use_many(
    conn: &mut Conn,
    table: &ReceiptTable,
    column: &'static str,
    values: &[&str],
) -> anyhow::Result<HashSet<String>> {
    anyhow::ensure!(
        table.columns.contains(&column),
        "{column} is not a column of {}",
        table.name
    );
    if values.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "SELECT DISTINCT {column} FROM {} \
         WHERE {column} IN (SELECT value FROM json_each(?)) AND status <> 'rejected'",
        table.name
    );
    let found: Vec<String> = sqlx::query_scalar(&sql)
        .bind(serde_json::to_string(values).context("listing values")?)
        .fetch_all(&mut *conn)
        .await
        .with_context(|| format!("checking {column}s"))?;
    Ok(found.into_iter().collect())
}

/// Stores a receipt: adds its `INSERT` to `writes`.
pub fn insert(
    writes: &mut Writes,
    table: &ReceiptTable,
    receipt: &Receipt<'_>,
) -> anyhow::Result<()> {
    let own = &receipt.verdict.columns;
    for (column, _) in own {
        anyhow::ensure!(
            table.columns.contains(column),
            "{column} is not a column of {}",
            table.name
        );
    }
    let names: Vec<&str> = own.iter().map(|(column, _)| *column).collect();
    let sql = format!(
        "INSERT INTO {} ({}, verified, credential_id, bytes, client_data_json, \
         authenticator_data, signature, status, code, message, message_en, received_at{}{}) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?{})",
        table.name,
        table.hash_column,
        if names.is_empty() { "" } else { ", " },
        names.join(", "),
        ", ?".repeat(names.len()),
    );
    writes
        .push(&sql)
        .bind(receipt.hash.to_owned())?
        .bind(receipt.verified)?
        .bind(receipt.credential_id.to_vec())?
        .bind(receipt.bytes.to_vec())?
        .bind(receipt.client_data_json.to_vec())?
        .bind(receipt.authenticator_data.to_vec())?
        .bind(receipt.signature.to_vec())?
        .bind(status_code(receipt.verdict.status))?
        .bind(receipt.verdict.code.clone())?
        .bind(receipt.verdict.message.clone())?
        .bind(receipt.verdict.message_en.clone())?
        .bind(receipt.received_at.to_string())?;
    for (_, value) in own {
        writes.bind(value.clone())?;
    }
    Ok(())
}

/// How many submissions whose signature did not verify `holder` carried on `day`.
pub async fn unverified_on(conn: &mut Conn, holder: &str, day: &str) -> anyhow::Result<i64> {
    let count: Option<i64> =
        sqlx::query_scalar("SELECT count FROM unverified_count WHERE holder_id = ? AND day = ?")
            .bind(holder)
            .bind(day)
            .fetch_optional(&mut *conn)
            .await
            .context("reading the count of unverified submissions")?;
    Ok(count.unwrap_or(0))
}

/// Counts one more submission whose signature did not verify, carried by `holder` on `day`.
pub fn count_unverified(writes: &mut Writes, holder: &str, day: &str) -> anyhow::Result<()> {
    writes
        .push(
            "INSERT INTO unverified_count (holder_id, day, count) VALUES (?, ?, 1) \
             ON CONFLICT (holder_id, day) DO UPDATE SET count = count + 1",
        )
        .bind(holder.to_owned())?
        .bind(day.to_owned())?;
    Ok(())
}
