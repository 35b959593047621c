//! Server-side state of the WebAuthn ceremonies (`ceremony`): kept as JSON by a random id, used
//! once, expiring (times in unix seconds).

use anyhow::Context;
use sqlx::Row;

use super::Conn;

/// A ceremony taken out of the table.
#[derive(Debug, Clone)]
pub struct TakenCeremony {
    pub holder_id: String,
    /// The ceremony state (JSON).
    pub state: String,
    pub expires_at: i64,
}

/// Stores a ceremony under `id`, after removing those that expired before `now`.
pub async fn insert(
    conn: &mut Conn,
    id: &str,
    kind: &str,
    holder_id: &str,
    state: &str,
    now: i64,
    expires_at: i64,
) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM ceremony WHERE expires_at < ?")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO ceremony (id, kind, holder_id, state, expires_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(kind)
    .bind(holder_id)
    .bind(state)
    .bind(expires_at)
    .execute(&mut *conn)
    .await
    .context("writing the ceremony")?;
    Ok(())
}

/// Takes the ceremony `id` out (it can be finished once), expired or not.
pub async fn take(conn: &mut Conn, id: &str) -> anyhow::Result<Option<TakenCeremony>> {
    let Some(row) =
        sqlx::query("DELETE FROM ceremony WHERE id = ? RETURNING holder_id, state, expires_at")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .context("reading the ceremony")?
    else {
        return Ok(None);
    };
    Ok(Some(TakenCeremony {
        holder_id: row.try_get("holder_id").context("ceremony holder")?,
        state: row.try_get("state").context("ceremony state")?,
        expires_at: row.try_get("expires_at").context("ceremony expiry")?,
    }))
}
