//! What the bureau's administration reads and writes (migration 0009): holders listed with
//! their region, phone and suspension, their keys with last use, units removed by a merger or
//! an abolition, each unit's data-verification state, and roster uploads.

use anyhow::Context;
use domain::{Region, Timestamp, UnitId};
use sqlx::Row;

use super::Conn;

/// A holder as the administration lists them, with the region their scope lies in.
#[derive(Debug, Clone)]
pub struct HolderRow {
    pub id: String,
    pub login: String,
    pub name: String,
    pub role: String,
    pub scope: String,
    pub phone: String,
    pub created_at: String,
    pub suspended_at: Option<String>,
    pub active_keys: u32,
    /// The region of the scope (a unit's or department's region for those scopes).
    pub region: Option<Region>,
}

const HOLDER_SELECT: &str = "SELECT h.id, h.login, h.name, h.role, h.scope, h.phone, h.created_at, \
     h.suspended_at, \
     (SELECT count(*) FROM credential c WHERE c.holder_id = h.id AND c.revoked_at IS NULL) AS active, \
     CASE WHEN h.scope LIKE 'region:%' THEN substr(h.scope, 8) ELSE u.region END AS region \
     FROM key_holder h LEFT JOIN unit u ON u.id = CASE \
       WHEN h.scope LIKE 'unit:%' THEN substr(h.scope, 6) \
       WHEN h.scope LIKE 'department:%' THEN substr(h.scope, 12) END";

fn holder_row(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<HolderRow> {
    let region: Option<String> = row.try_get("region")?;
    let active: i64 = row.try_get("active")?;
    Ok(HolderRow {
        id: row.try_get("id")?,
        login: row.try_get("login")?,
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        scope: row.try_get("scope")?,
        phone: row.try_get("phone")?,
        created_at: row.try_get("created_at")?,
        suspended_at: row.try_get("suspended_at")?,
        active_keys: u32::try_from(active).unwrap_or(0),
        region: region.as_deref().and_then(Region::from_division_code),
    })
}

/// Every holder, oldest first, optionally only those whose login or name contains `q`, or
/// whose scope is `unit:{unit}` or `department:{unit}`.
pub async fn holders(
    conn: &mut Conn,
    q: Option<&str>,
    unit: Option<&str>,
) -> anyhow::Result<Vec<HolderRow>> {
    let sql = format!(
        "{HOLDER_SELECT} WHERE (?1 IS NULL OR instr(h.login, ?1) > 0 OR instr(h.name, ?1) > 0) \
         AND (?2 IS NULL OR h.scope IN ('unit:' || ?2, 'department:' || ?2)) \
         ORDER BY h.created_at, h.login"
    );
    sqlx::query(&sql)
        .bind(q)
        .bind(unit)
        .fetch_all(&mut *conn)
        .await
        .context("listing holders")?
        .iter()
        .map(holder_row)
        .collect()
}

/// One holder.
pub async fn holder(conn: &mut Conn, id: &str) -> anyhow::Result<Option<HolderRow>> {
    let sql = format!("{HOLDER_SELECT} WHERE h.id = ?");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .context("reading a holder")?
        .as_ref()
        .map(holder_row)
        .transpose()
}

/// A key as the administration lists it.
pub struct KeyRow {
    pub id: Vec<u8>,
    pub passkey: String,
    pub attested: bool,
    pub counter: i64,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// The holder's keys, oldest first.
pub async fn keys(conn: &mut Conn, holder_id: &str) -> anyhow::Result<Vec<KeyRow>> {
    sqlx::query(
        "SELECT id, passkey, attested, highest_envelope_counter, created_at, last_used_at, revoked_at \
         FROM credential WHERE holder_id = ? ORDER BY created_at",
    )
    .bind(holder_id)
    .fetch_all(&mut *conn)
    .await
    .context("reading a holder's keys")?
    .iter()
    .map(|row| {
        Ok(KeyRow {
            id: row.try_get("id")?,
            passkey: row.try_get("passkey")?,
            attested: row.try_get::<i64, _>("attested")? == 1,
            counter: row.try_get("highest_envelope_counter")?,
            created_at: row.try_get("created_at")?,
            last_used_at: row.try_get("last_used_at")?,
            revoked_at: row.try_get("revoked_at")?,
        })
    })
    .collect()
}

/// Suspends (`Some(now)`) or reinstates (`None`) a holder; `false` if nothing changed.
pub async fn set_suspended(
    conn: &mut Conn,
    holder_id: &str,
    at: Option<Timestamp>,
) -> anyhow::Result<bool> {
    let sql = if at.is_some() {
        "UPDATE key_holder SET suspended_at = ?1 WHERE id = ?2 AND suspended_at IS NULL"
    } else {
        "UPDATE key_holder SET suspended_at = ?1 WHERE id = ?2 AND suspended_at IS NOT NULL"
    };
    let done = sqlx::query(sql)
        .bind(at.map(|t| t.to_string()))
        .bind(holder_id)
        .execute(&mut *conn)
        .await
        .context("suspending or reinstating a holder")?;
    Ok(done.rows_affected() == 1)
}

/// Ends every session of the holder.
pub async fn end_sessions(conn: &mut Conn, holder_id: &str) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM session WHERE holder_id = ?")
        .bind(holder_id)
        .execute(&mut *conn)
        .await
        .context("ending a holder's sessions")?;
    Ok(())
}

/// Stores the holder's phone.
pub async fn set_phone(conn: &mut Conn, holder_id: &str, phone: &str) -> anyhow::Result<()> {
    sqlx::query("UPDATE key_holder SET phone = ? WHERE id = ?")
        .bind(phone)
        .bind(holder_id)
        .execute(&mut *conn)
        .await
        .context("storing a phone")?;
    Ok(())
}

/// Notes a key's use (a sign-in).
pub async fn touch_key(conn: &mut Conn, id: &[u8], now: Timestamp) -> anyhow::Result<()> {
    sqlx::query("UPDATE credential SET last_used_at = ? WHERE id = ?")
        .bind(now.to_string())
        .bind(id)
        .execute(&mut *conn)
        .await
        .context("noting a key's use")?;
    Ok(())
}

/// How a unit was removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// `merged` or `abolished`.
    pub reason: String,
    pub merged_into: Option<String>,
    pub document: String,
}

/// The removals of those of `ids` that were removed.
pub async fn removals(
    conn: &mut Conn,
    ids: &[UnitId],
) -> anyhow::Result<std::collections::HashMap<UnitId, Removal>> {
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let list: Vec<&str> = ids.iter().map(UnitId::as_str).collect();
    let rows = sqlx::query(
        "SELECT id, removed_reason, merged_into, removed_document FROM unit \
         WHERE removed_at IS NOT NULL AND id IN (SELECT value FROM json_each(?))",
    )
    .bind(serde_json::to_string(&list).context("listing units")?)
    .fetch_all(&mut *conn)
    .await
    .context("reading removed units")?;
    for row in rows {
        let id: String = row.try_get("id")?;
        let id = UnitId::parse(&id).map_err(|e| anyhow::anyhow!(e.message_en()))?;
        out.insert(
            id,
            Removal {
                reason: row
                    .try_get::<Option<String>, _>("removed_reason")?
                    .unwrap_or_default(),
                merged_into: row.try_get("merged_into")?,
                document: row
                    .try_get::<Option<String>, _>("removed_document")?
                    .unwrap_or_default(),
            },
        );
    }
    Ok(out)
}

/// Whether the unit was removed.
pub async fn is_removed(conn: &mut Conn, id: &UnitId) -> anyhow::Result<bool> {
    let removed: Option<Option<String>> =
        sqlx::query_scalar("SELECT removed_at FROM unit WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await
            .context("reading a unit's removal")?;
    Ok(matches!(removed, Some(Some(_))))
}

/// Marks a unit removed.
pub async fn remove_unit(
    conn: &mut Conn,
    id: &UnitId,
    removal: &Removal,
    now: Timestamp,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE unit SET removed_at = ?, removed_reason = ?, merged_into = ?, removed_document = ? \
         WHERE id = ?",
    )
    .bind(now.to_string())
    .bind(&removal.reason)
    .bind(&removal.merged_into)
    .bind(&removal.document)
    .bind(id.as_str())
    .execute(&mut *conn)
    .await
    .context("removing a unit")?;
    Ok(())
}

/// The verification states of those of `ids` that have one: state code and when.
pub async fn verification_states(
    conn: &mut Conn,
    ids: &[UnitId],
) -> anyhow::Result<std::collections::HashMap<UnitId, (String, String)>> {
    let mut out = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let list: Vec<&str> = ids.iter().map(UnitId::as_str).collect();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT unit_id, state, updated_at FROM unit_verification \
         WHERE unit_id IN (SELECT value FROM json_each(?))",
    )
    .bind(serde_json::to_string(&list).context("listing units")?)
    .fetch_all(&mut *conn)
    .await
    .context("reading verification states")?;
    for (id, state, at) in rows {
        let id = UnitId::parse(&id).map_err(|e| anyhow::anyhow!(e.message_en()))?;
        out.insert(id, (state, at));
    }
    Ok(out)
}

/// Every unit not removed, with its region and verification state (`None`: not started).
pub async fn verification_overview(
    conn: &mut Conn,
) -> anyhow::Result<Vec<(String, String, Option<String>, Option<String>)>> {
    sqlx::query_as(
        "SELECT u.id, u.region, v.state, v.updated_at FROM unit u \
         LEFT JOIN unit_verification v ON v.unit_id = u.id \
         WHERE u.removed_at IS NULL ORDER BY u.id",
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading the verification overview")
}

/// Sets a unit's verification state.
pub async fn set_verification(
    conn: &mut Conn,
    unit: &UnitId,
    state: &str,
    now: Timestamp,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO unit_verification (unit_id, state, updated_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (unit_id) DO UPDATE SET state = ?2, updated_at = ?3",
    )
    .bind(unit.as_str())
    .bind(state)
    .bind(now.to_string())
    .execute(&mut *conn)
    .await
    .context("setting a verification state")?;
    Ok(())
}

/// A roster upload as checked.
pub struct Upload {
    pub unit_id: String,
    pub rows: String,
    pub digest_all: String,
    pub digest_valid: String,
    pub rows_total: u32,
    pub rows_valid: u32,
}

/// Stores a checked upload.
pub async fn insert_upload(
    conn: &mut Conn,
    id: &str,
    holder_id: &str,
    upload: &Upload,
    expires_at: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO import_upload (id, unit_id, holder_id, rows, digest_all, digest_valid, \
         rows_total, rows_valid, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(&upload.unit_id)
    .bind(holder_id)
    .bind(&upload.rows)
    .bind(&upload.digest_all)
    .bind(&upload.digest_valid)
    .bind(i64::from(upload.rows_total))
    .bind(i64::from(upload.rows_valid))
    .bind(expires_at)
    .execute(&mut *conn)
    .await
    .context("storing an upload")?;
    Ok(())
}

/// An upload not used and not expired at `now` (unix seconds).
pub async fn upload(conn: &mut Conn, id: &str, now: i64) -> anyhow::Result<Option<Upload>> {
    let Some(row) = sqlx::query(
        "SELECT unit_id, rows, digest_all, digest_valid, rows_total, rows_valid FROM import_upload \
         WHERE id = ? AND used_at IS NULL AND expires_at > ?",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
    .context("reading an upload")?
    else {
        return Ok(None);
    };
    Ok(Some(Upload {
        unit_id: row.try_get("unit_id")?,
        rows: row.try_get("rows")?,
        digest_all: row.try_get("digest_all")?,
        digest_valid: row.try_get("digest_valid")?,
        rows_total: u32::try_from(row.try_get::<i64, _>("rows_total")?).unwrap_or(0),
        rows_valid: u32::try_from(row.try_get::<i64, _>("rows_valid")?).unwrap_or(0),
    }))
}

/// Uses an upload up.
pub async fn use_upload(conn: &mut Conn, id: &str, now: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE import_upload SET used_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await
        .context("using an upload")?;
    Ok(())
}

/// A unit's changed record, with its indexed columns (name, credit code, supervising
/// department).
pub async fn update_unit(conn: &mut Conn, unit: &domain::unit::UnitRecord) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE unit SET name = ?, credit_code = ?, supervising_department = ?, record = ? WHERE id = ?",
    )
    .bind(unit.name.as_str())
    .bind(unit.credit_code.as_ref().map(|c| c.as_str().to_owned()))
    .bind(unit.supervising_department.as_ref().map(|u| u.as_str().to_owned()))
    .bind(serde_json::to_string(unit).context("serialising a unit")?)
    .bind(unit.id.as_str())
    .execute(&mut *conn)
    .await
    .context("updating a unit")?;
    Ok(())
}

/// A merger's people: the staff and departed staff of `from` move to `to`.
pub async fn move_people(conn: &mut Conn, from: &UnitId, to: &UnitId) -> anyhow::Result<()> {
    for sql in [
        "UPDATE staff SET unit_id = ?1 WHERE unit_id = ?2",
        "UPDATE departed SET unit_id = ?1 WHERE unit_id = ?2",
    ] {
        sqlx::query(sql)
            .bind(to.as_str())
            .bind(from.as_str())
            .execute(&mut *conn)
            .await
            .context("moving a merged unit's people")?;
    }
    Ok(())
}

/// Sets a unit's filled and reserved posts of a category.
pub async fn set_counts(
    conn: &mut Conn,
    unit: &UnitId,
    category: domain::EstablishmentCategory,
    filled: domain::Headcount,
    reserved: domain::Headcount,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO ledger_count (unit_id, category, filled, reserved) VALUES (?, ?, ?, ?) \
         ON CONFLICT (unit_id, category) DO UPDATE SET filled = excluded.filled, reserved = excluded.reserved",
    )
    .bind(unit.as_str())
    .bind(category.code())
    .bind(i64::from(filled.get()))
    .bind(i64::from(reserved.get()))
    .execute(&mut *conn)
    .await
    .context("writing the ledger counts")?;
    Ok(())
}

/// Every ID number that holds a post (the whole deployment).
pub async fn id_numbers_in_post(
    conn: &mut Conn,
) -> anyhow::Result<std::collections::HashSet<String>> {
    Ok(
        sqlx::query_scalar::<_, String>("SELECT id_number FROM staff")
            .fetch_all(&mut *conn)
            .await
            .context("reading the ID numbers in post")?
            .into_iter()
            .collect(),
    )
}

/// Whether any of these ID numbers holds a post now.
pub async fn any_in_post(conn: &mut Conn, ids: &[&str]) -> anyhow::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM staff WHERE id_number IN (SELECT value FROM json_each(?)) LIMIT 1",
    )
    .bind(serde_json::to_string(ids).context("listing ID numbers")?)
    .fetch_optional(&mut *conn)
    .await
    .context("checking ID numbers")?;
    Ok(found.is_some())
}
