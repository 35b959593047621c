//! Sign-in sessions (`session`), kept by the hash of their cookie token; times in unix seconds.

use anyhow::Context;
use sqlx::Row;

use super::Conn;

/// A session as stored, with whether its key was revoked since.
#[derive(Debug, Clone)]
pub struct StoredSession {
    pub holder_id: String,
    pub credential_id: Vec<u8>,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub key_revoked: bool,
    /// The key was enrolled without a verified attestation (demo mode).
    pub key_unattested: bool,
    /// The holder is suspended.
    pub holder_suspended: bool,
}

/// The session whose token hashes to `token_hash`.
pub async fn load(conn: &mut Conn, token_hash: &str) -> anyhow::Result<Option<StoredSession>> {
    let Some(row) = sqlx::query(
        "SELECT s.holder_id, s.credential_id, s.csrf_token, s.created_at, s.last_seen_at, c.revoked_at, \
         c.attested, h.suspended_at FROM session s JOIN credential c ON c.id = s.credential_id \
         JOIN key_holder h ON h.id = s.holder_id WHERE s.token_hash = ?",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await
    .context("reading the session")?
    else {
        return Ok(None);
    };
    Ok(Some(StoredSession {
        holder_id: row.try_get("holder_id")?,
        credential_id: row.try_get("credential_id")?,
        csrf_token: row.try_get("csrf_token")?,
        created_at: row.try_get("created_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        key_revoked: row.try_get::<Option<String>, _>("revoked_at")?.is_some(),
        key_unattested: row.try_get::<i64, _>("attested")? == 0,
        holder_suspended: row.try_get::<Option<String>, _>("suspended_at")?.is_some(),
    }))
}

/// Starts a session.
pub async fn insert(
    conn: &mut Conn,
    token_hash: &str,
    holder_id: &str,
    credential_id: &[u8],
    csrf_token: &str,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO session (token_hash, holder_id, credential_id, csrf_token, created_at, last_seen_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(holder_id)
    .bind(credential_id)
    .bind(csrf_token)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await
    .context("writing the session")?;
    Ok(())
}

/// Records that the session was used at `now`.
pub async fn touch(conn: &mut Conn, token_hash: &str, now: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE session SET last_seen_at = ? WHERE token_hash = ?")
        .bind(now)
        .bind(token_hash)
        .execute(&mut *conn)
        .await
        .context("touching the session")?;
    Ok(())
}

/// Ends a session.
pub async fn end(conn: &mut Conn, token_hash: &str) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM session WHERE token_hash = ?")
        .bind(token_hash)
        .execute(&mut *conn)
        .await
        .context("ending the session")?;
    Ok(())
}

/// Ends every session signed in with the key `credential_id`.
pub async fn end_all_of_key(conn: &mut Conn, credential_id: &[u8]) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM session WHERE credential_id = ?")
        .bind(credential_id)
        .execute(&mut *conn)
        .await
        .context("ending the key's sessions")?;
    Ok(())
}
