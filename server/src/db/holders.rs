//! Key holders (`key_holder`: who they are, their role and scope) and their one-time enrolment
//! codes (`enrolment_code`, kept as hashes only).

use anyhow::Context;
use domain::{Grant, Role, Scope, Timestamp};
use protocol::identity::HolderInfo;
use sqlx::Row;

use super::Conn;

/// A key holder with their grant, as the server uses them.
#[derive(Debug, Clone)]
pub struct Holder {
    pub info: HolderInfo,
    pub grant: Grant,
}

/// The grant of a holder's role and scope codes, as stored and as an administrator types them.
pub fn grant_of(role: &str, scope: &str) -> Result<Grant, domain::ValidationError> {
    let role = Role::from_code(role).ok_or(domain::ValidationError::Format {
        field: domain::Field::Role,
        expected: "unit_clerk、supervisor、bureau_reviewer、bureau_admin 或 coordinator",
    })?;
    Grant::new(role, scope.parse::<Scope>()?)
}

/// Reads a holder by id.
pub async fn load(conn: &mut Conn, id: &str) -> anyhow::Result<Option<Holder>> {
    let Some(row) = sqlx::query("SELECT id, login, name, role, scope FROM key_holder WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .context("reading a key holder")?
    else {
        return Ok(None);
    };
    holder(&row).map(Some)
}

/// The holders with these ids (those that exist), in one query: each with its id, and the
/// holder or why it does not read.
pub async fn load_many(
    conn: &mut Conn,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, anyhow::Result<Holder>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query(
        "SELECT id, login, name, role, scope FROM key_holder \
         WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind(serde_json::to_string(ids).context("listing holders")?)
    .fetch_all(&mut *conn)
    .await
    .context("reading key holders")?;
    rows.iter()
        .map(|row| Ok((row.try_get("id")?, holder(row))))
        .collect()
}

fn holder(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<Holder> {
    let info = HolderInfo {
        id: row.try_get("id")?,
        login: row.try_get("login")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        scope: row.try_get("scope")?,
    };
    let grant = grant_of(&info.role, &info.scope)
        .map_err(|e| anyhow::anyhow!("stored grant is invalid: {}", e.message_en()))?;
    Ok(Holder { info, grant })
}

/// The id of the holder with this login name.
pub async fn id_by_login(conn: &mut Conn, login: &str) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM key_holder WHERE login = ?")
        .bind(login)
        .fetch_optional(&mut *conn)
        .await
        .context("finding the holder")
}

/// Writes a new holder.
pub async fn insert(
    conn: &mut Conn,
    id: &str,
    login: &str,
    name: &str,
    grant: &Grant,
    now: Timestamp,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO key_holder (id, login, name, role, scope, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(login)
    .bind(name)
    .bind(grant.role().code())
    .bind(grant.scope().to_string())
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .context("writing the holder")?;
    Ok(())
}

/// Stores an enrolment code by its hash, usable until `expires_at` (unix seconds).
pub async fn insert_code(
    conn: &mut Conn,
    code_hash: &str,
    holder_id: &str,
    expires_at: i64,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO enrolment_code (code_hash, holder_id, expires_at) VALUES (?, ?, ?)")
        .bind(code_hash)
        .bind(holder_id)
        .bind(expires_at)
        .execute(&mut *conn)
        .await
        .context("writing the enrolment code")?;
    Ok(())
}

/// Marks every code the holder still has as used (`now`: unix seconds).
pub async fn cancel_codes(conn: &mut Conn, holder_id: &str, now: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE enrolment_code SET used_at = ? WHERE holder_id = ? AND used_at IS NULL")
        .bind(now)
        .bind(holder_id)
        .execute(&mut *conn)
        .await
        .context("cancelling outstanding enrolment codes")?;
    Ok(())
}

/// The holder of a code that is neither used nor expired at `now` (unix seconds).
pub async fn holder_of_code(
    conn: &mut Conn,
    code_hash: &str,
    now: i64,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT holder_id FROM enrolment_code WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?",
    )
    .bind(code_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .context("checking the enrolment code")
}

/// Uses up a code that is neither used nor expired at `now`; `false` if there was none.
pub async fn use_code(conn: &mut Conn, code_hash: &str, now: i64) -> anyhow::Result<bool> {
    let used = sqlx::query(
        "UPDATE enrolment_code SET used_at = ?1 WHERE code_hash = ?2 AND used_at IS NULL AND expires_at > ?1",
    )
    .bind(now)
    .bind(code_hash)
    .execute(&mut *conn)
    .await
    .context("using up the code")?;
    Ok(used.rows_affected() == 1)
}
