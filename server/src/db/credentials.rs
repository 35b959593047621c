//! Security keys (`credential`): the WebAuthn passkey of each enrolled key, its holder, whether
//! it was revoked, and the highest signature counter among the signed documents accepted from it.

use anyhow::Context;
use domain::Timestamp;
use sqlx::Row;
use webauthn_rs::prelude::Passkey;

use super::{Conn, Writes};

/// A key as stored.
#[derive(Debug, Clone)]
pub struct StoredCredential {
    /// The raw credential id.
    pub id: Vec<u8>,
    pub holder_id: String,
    pub passkey: Passkey,
    pub revoked: bool,
    /// The highest signature counter of the signed documents accepted from this key (sign-ins
    /// do not count: see `signed::verify::KnownCredential`).
    pub highest_envelope_counter: i64,
    /// Whether its attestation chained to a configured root (enrolled in production mode).
    pub attested: bool,
    /// Whether its holder is suspended.
    pub holder_suspended: bool,
}

impl StoredCredential {
    /// Whether it may sign in and sign: not revoked, its holder not suspended, and, when the
    /// server runs in production mode, enrolled with a verified attestation.
    pub fn usable(&self, production: bool) -> bool {
        !self.revoked && !self.holder_suspended && (self.attested || !production)
    }
}

/// The key with raw id `id`.
pub async fn load(conn: &mut Conn, id: &[u8]) -> anyhow::Result<Option<StoredCredential>> {
    let Some(row) = sqlx::query(
        "SELECT c.holder_id, c.passkey, c.revoked_at, c.highest_envelope_counter, c.attested, \
         h.suspended_at FROM credential c JOIN key_holder h ON h.id = c.holder_id WHERE c.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .context("reading the credential")?
    else {
        return Ok(None);
    };
    Ok(Some(StoredCredential {
        id: id.to_vec(),
        holder_id: row.try_get("holder_id")?,
        passkey: serde_json::from_str(row.try_get("passkey")?).context("stored passkey")?,
        revoked: row.try_get::<Option<String>, _>("revoked_at")?.is_some(),
        highest_envelope_counter: row.try_get("highest_envelope_counter")?,
        attested: row.try_get::<i64, _>("attested")? == 1,
        holder_suspended: row.try_get::<Option<String>, _>("suspended_at")?.is_some(),
    }))
}

/// The keys with these raw ids (those that exist), in one query: each with its id, and the
/// key or why it does not read.
pub async fn load_many(
    conn: &mut Conn,
    ids: &[&[u8]],
) -> anyhow::Result<Vec<(Vec<u8>, anyhow::Result<StoredCredential>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let hex: Vec<String> = ids.iter().map(|id| domain::canonical::hex(id)).collect();
    let rows = sqlx::query(
        "SELECT c.id, c.holder_id, c.passkey, c.revoked_at, c.highest_envelope_counter, \
         c.attested, h.suspended_at FROM credential c JOIN key_holder h ON h.id = c.holder_id \
         WHERE c.id IN (SELECT unhex(value) FROM json_each(?))",
    )
    .bind(serde_json::to_string(&hex).context("listing credential ids")?)
    .fetch_all(&mut *conn)
    .await
    .context("reading the credentials")?;
    let stored = |row: &sqlx::sqlite::SqliteRow| -> anyhow::Result<StoredCredential> {
        Ok(StoredCredential {
            id: row.try_get("id")?,
            holder_id: row.try_get("holder_id")?,
            passkey: serde_json::from_str(row.try_get("passkey")?).context("stored passkey")?,
            revoked: row.try_get::<Option<String>, _>("revoked_at")?.is_some(),
            highest_envelope_counter: row.try_get("highest_envelope_counter")?,
            attested: row.try_get::<i64, _>("attested")? == 1,
            holder_suspended: row.try_get::<Option<String>, _>("suspended_at")?.is_some(),
        })
    };
    rows.iter()
        .map(|row| Ok((row.try_get("id")?, stored(row))))
        .collect()
}

/// The passkeys of the holder's keys that are not revoked.
pub async fn active_passkeys(conn: &mut Conn, holder_id: &str) -> anyhow::Result<Vec<Passkey>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT passkey FROM credential WHERE holder_id = ? AND revoked_at IS NULL",
    )
    .bind(holder_id)
    .fetch_all(&mut *conn)
    .await
    .context("reading credentials")?;
    rows.iter()
        .map(|text| serde_json::from_str(text).context("stored passkey"))
        .collect()
}

/// The raw ids of the holder's keys that are not revoked, oldest first.
pub async fn active_ids(conn: &mut Conn, holder_id: &str) -> anyhow::Result<Vec<Vec<u8>>> {
    sqlx::query_scalar(
        "SELECT id FROM credential WHERE holder_id = ? AND revoked_at IS NULL ORDER BY created_at",
    )
    .bind(holder_id)
    .fetch_all(&mut *conn)
    .await
    .context("reading the holder's credentials")
}

/// Stores a newly enrolled key; `false` if a key with its id is enrolled already.
pub async fn insert(
    conn: &mut Conn,
    passkey: &Passkey,
    holder_id: &str,
    attested: bool,
    now: Timestamp,
) -> anyhow::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO credential (id, holder_id, passkey, attested, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(passkey.cred_id().as_slice())
    .bind(holder_id)
    .bind(serde_json::to_string(passkey).context("serialising the passkey")?)
    .bind(i64::from(attested))
    .bind(now.to_string())
    .execute(&mut *conn)
    .await;
    match inserted {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Ok(false),
        Err(e) => Err(anyhow::Error::new(e).context("storing the credential")),
    }
}

/// Replaces the stored passkey (its counter moved on at a sign-in).
pub async fn update_passkey(conn: &mut Conn, id: &[u8], passkey: &Passkey) -> anyhow::Result<()> {
    sqlx::query("UPDATE credential SET passkey = ? WHERE id = ?")
        .bind(serde_json::to_string(passkey).context("serialising the passkey")?)
        .bind(id)
        .execute(&mut *conn)
        .await
        .context("updating the counter")?;
    Ok(())
}

/// Revokes a key (once: a later revocation keeps the first time).
pub async fn revoke(conn: &mut Conn, id: &[u8], now: Timestamp) -> anyhow::Result<()> {
    sqlx::query("UPDATE credential SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bind(now.to_string())
        .bind(id)
        .execute(&mut *conn)
        .await
        .context("revoking")?;
    Ok(())
}

/// Raises the key's highest counter of accepted signed documents to `counter` (never lowers
/// it): adds its `UPDATE` to `writes`.
pub fn raise_counter(writes: &mut Writes, id: &[u8], counter: u32) -> anyhow::Result<()> {
    writes
        .push(
            "UPDATE credential SET highest_envelope_counter = max(highest_envelope_counter, ?), \
             last_used_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
        )
        .bind(i64::from(counter))?
        .bind(id.to_vec())?;
    Ok(())
}

/// The counter gaps (`counter_gap`) among `hashes`: (key id, document hash) of the documents
/// the server failed on alone, whose bytes may come again below their key's highest counter.
pub async fn counter_gaps(
    conn: &mut Conn,
    hashes: &[&str],
) -> anyhow::Result<std::collections::HashSet<(Vec<u8>, String)>> {
    if hashes.is_empty() {
        return Ok(Default::default());
    }
    let rows: Vec<(Vec<u8>, String)> = sqlx::query_as(
        "SELECT credential_id, envelope_hash FROM counter_gap \
         WHERE envelope_hash IN (SELECT value FROM json_each(?))",
    )
    .bind(serde_json::to_string(hashes).context("listing hashes")?)
    .fetch_all(&mut *conn)
    .await
    .context("reading the counter gaps")?;
    Ok(rows.into_iter().collect())
}

/// Opens a counter gap for the document `hash` signed with the key `id` (the server failed
/// on it alone): adds its `INSERT` to `writes`.
pub fn open_counter_gap(writes: &mut Writes, id: &[u8], hash: &str) -> anyhow::Result<()> {
    writes
        .push("INSERT OR IGNORE INTO counter_gap (credential_id, envelope_hash) VALUES (?, ?)")
        .bind(id.to_vec())?
        .bind(hash)?;
    Ok(())
}

/// Closes the counter gap of the document `hash` (received now): adds its `DELETE` to `writes`.
pub fn close_counter_gap(writes: &mut Writes, id: &[u8], hash: &str) -> anyhow::Result<()> {
    writes
        .push("DELETE FROM counter_gap WHERE credential_id = ? AND envelope_hash = ?")
        .bind(id.to_vec())?
        .bind(hash)?;
    Ok(())
}
