//! Single facts about a unit (`unit` table) that checks need without its whole certificate:
//! its record, its region. Whole certificates are [`super::certificates`].

use anyhow::Context;
use domain::unit::UnitRecord;
use domain::{Region, UnitId};

use super::Conn;

/// The unit's record, `None` if there is no such unit.
pub async fn record(conn: &mut Conn, id: &UnitId) -> anyhow::Result<Option<UnitRecord>> {
    let record: Option<String> = sqlx::query_scalar("SELECT record FROM unit WHERE id = ?")
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await
        .context("reading the unit")?;
    record
        .map(|text| serde_json::from_str(&text).context("stored unit record"))
        .transpose()
}

/// The records of the units `ids` (those that exist), in one query: each with its id, and
/// the record or why it does not read.
pub async fn records(
    conn: &mut Conn,
    ids: &[&UnitId],
) -> anyhow::Result<Vec<(String, anyhow::Result<UnitRecord>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, record FROM unit WHERE id IN (SELECT value FROM json_each(?))")
            .bind(serde_json::to_string(&ids).context("listing units")?)
            .fetch_all(&mut *conn)
            .await
            .context("reading units")?;
    Ok(rows
        .into_iter()
        .map(|(id, text)| {
            let record = serde_json::from_str(&text).context("stored unit record");
            (id, record)
        })
        .collect())
}

/// The unit's region, `None` if there is no such unit.
pub async fn region(conn: &mut Conn, id: &UnitId) -> anyhow::Result<Option<Region>> {
    let code: Option<String> = sqlx::query_scalar("SELECT region FROM unit WHERE id = ?")
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await
        .context("reading a unit's region")?;
    Ok(code.as_deref().and_then(Region::from_division_code))
}
