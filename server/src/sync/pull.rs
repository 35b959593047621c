//! `GET /api/sync/pull?cursor=…&limit=…`: one page of what the holder may see.
//!
//! One page is read in one read transaction (a consistent view of the database):
//!
//! 1. The cursor is decoded and checked ([`Cursor::decode`], [`Cursor::resume`]); missing or
//!    not usable → `reset`, and a snapshot starts at the change log's current end.
//! 2. Snapshot: the in-scope units after `after_unit`, in id order, each as its whole
//!    certificate followed by its applications, until the page is full. When the last unit is
//!    sent, the page goes on with the log from the snapshot's `high_water`, so that nothing
//!    changed during a long snapshot is lost (records sent twice are simply replaced).
//! 3. Log: the in-scope rows of `change_log` after the cursor's version, in order; each record
//!    is sent once per page with its current state (later rows for a record already in the page
//!    add nothing); `complete` when the log's end is reached.
//!
//! A page holds at most `limit` records — a certificate counts one plus its staff and departed
//! people, an application one — except that a page always holds at least one record, so a
//! certificate larger than the limit is still sent whole.
//!
//! Certificates carry personal data: a page with any certificate but the reader's own unit
//! (a clerk's) is audited (`sync.pull`, counts only).

use std::collections::HashSet;

use anyhow::Context;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use domain::{Grant, Role, Scope, UnitId};
use protocol::sync::{Change, Progress, PullResponse};
use serde::Deserialize;
use sqlx::{Row, SqliteConnection, SqlitePool};

use super::cursor::{Cursor, Now, Position};
use super::scope::ScopeSql;
use crate::audit::{self, Entry};
use crate::db::certificates;
use crate::db::changes::{self, Entity};
use crate::error::ApiError;
use crate::identity::session::Session;
use crate::startup::AppState;

/// Records per page when the client names no limit.
pub const DEFAULT_LIMIT: u64 = 2_000;
/// The largest limit honoured; larger ones are lowered to it.
pub const MAX_LIMIT: u64 = 10_000;

/// Units (snapshot) or log rows read from the database at a time.
const BATCH: i64 = 256;

/// The query string.
#[derive(Debug, Deserialize)]
pub struct PullParams {
    cursor: Option<String>,
    limit: Option<String>,
}

/// One page and what it sent, for the audit.
#[derive(Debug)]
pub struct Page {
    pub response: PullResponse,
    /// Certificates sent, and whether any was not the reader's own unit.
    pub certificates: u64,
    pub foreign_certificates: bool,
    pub people: u64,
    pub applications: u64,
}

/// The handler.
pub async fn pull(
    State(state): State<AppState>,
    session: Session,
    params: Result<Query<PullParams>, QueryRejection>,
) -> Result<Json<PullResponse>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let limit = match params.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(text) => match text.parse::<u64>() {
            Ok(n) if n >= 1 => n.min(MAX_LIMIT),
            _ => {
                return Err(ApiError::BadRequest(format!(
                    "limit 须为 1 至 {MAX_LIMIT} 之间的整数"
                )));
            }
        },
    };
    let grant = &session.holder.grant;
    let page = page(&state.pool, grant, params.cursor.as_deref(), limit).await?;
    if page.foreign_certificates {
        audit::append_alone(
            &state.pool,
            Entry {
                actor: Some(&session.holder.info.id),
                credential: Some(&session.credential_id_b64),
                action: "sync.pull",
                target: &format!("scope:{}", grant.scope()),
                detail: serde_json::json!({
                    "reset": page.response.reset,
                    "certificates": page.certificates,
                    "people": page.people,
                    "applications": page.applications,
                    "complete": page.response.complete,
                }),
            },
            crate::clock::now(),
        )
        .await
        .context("auditing the pull")?;
    }
    Ok(Json(page.response))
}

/// Fills pages up to a limit.
struct Filler<'g> {
    grant: &'g Grant,
    limit: u64,
    used: u64,
    changes: Vec<Change>,
    certificates: u64,
    foreign_certificates: bool,
    people: u64,
    applications: u64,
}

impl Filler<'_> {
    /// Whether `weight` more records fit (always, on an empty page).
    fn fits(&self, weight: u64) -> bool {
        self.changes.is_empty() || self.used.saturating_add(weight) <= self.limit
    }

    fn push_certificate(
        &mut self,
        certificate: &domain::certificate::Certificate,
    ) -> anyhow::Result<()> {
        let people = (certificate.staff.len() + certificate.departed.len()) as u64;
        self.used += 1 + people;
        self.people += people;
        self.certificates += 1;
        let own = matches!(
            (self.grant.role(), self.grant.scope()),
            (Role::UnitClerk, Scope::Unit(own)) if *own == certificate.unit.id
        );
        self.foreign_certificates |= !own;
        self.changes.push(Change::Certificate {
            unit_id: certificate.unit.id.to_string(),
            certificate: serde_json::to_value(certificate).context("serialising a certificate")?,
        });
        Ok(())
    }

    fn push_application(&mut self, application: Change) {
        self.used += 1;
        self.applications += 1;
        self.changes.push(application);
    }
}

/// One page for `grant` after `cursor` (raw text as sent), at most `limit` records (see the
/// module documentation).
pub async fn page(
    pool: &SqlitePool,
    grant: &Grant,
    cursor: Option<&str>,
    limit: u64,
) -> anyhow::Result<Page> {
    // A deferred transaction that only reads: one consistent view for the whole page.
    let mut tx = pool.begin().await.context("starting a pull")?;
    let (epoch, compacted_through) = changes::epoch(&mut tx).await?;
    let high_water = changes::high_water(&mut tx).await?;
    let scope_key = grant.scope().to_string();
    let resumed = cursor.and_then(Cursor::decode).and_then(|c| {
        c.resume(Now {
            epoch: &epoch,
            scope: &scope_key,
            high_water,
            compacted_through,
        })
    });
    let reset = resumed.is_none();
    let mut position = resumed.unwrap_or(Position::Snapshot {
        after_unit: None,
        high_water,
    });
    let scope = ScopeSql::of(grant);
    let mut filler = Filler {
        grant,
        limit,
        used: 0,
        changes: Vec::new(),
        certificates: 0,
        foreign_certificates: false,
        people: 0,
        applications: 0,
    };
    let mut progress = None;
    let mut complete = false;

    if let Position::Snapshot {
        after_unit,
        high_water: snapshot_from,
    } = position
    {
        let (after, finished) = snapshot(&mut tx, &scope, &mut filler, after_unit).await?;
        progress = Some(snapshot_progress(&mut tx, &scope, after.as_ref()).await?);
        position = if finished {
            Position::Log {
                version: snapshot_from,
            }
        } else {
            Position::Snapshot {
                after_unit: after,
                high_water: snapshot_from,
            }
        };
    }
    if let Position::Log { version } = position {
        let (at, caught_up) = log(&mut tx, &scope, &mut filler, version).await?;
        position = Position::Log { version: at };
        complete = caught_up;
    }
    tx.commit().await.context("ending a pull")?;

    let cursor = Cursor {
        epoch,
        scope: scope_key,
        position,
    }
    .encode()?;
    Ok(Page {
        response: PullResponse {
            reset,
            changes: filler.changes,
            cursor,
            complete,
            progress,
        },
        certificates: filler.certificates,
        foreign_certificates: filler.foreign_certificates,
        people: filler.people,
        applications: filler.applications,
    })
}

/// Sends in-scope units after `after` while they fit; returns the last unit sent and whether
/// the snapshot is finished.
async fn snapshot(
    conn: &mut SqliteConnection,
    scope: &ScopeSql,
    filler: &mut Filler<'_>,
    mut after: Option<UnitId>,
) -> anyhow::Result<(Option<UnitId>, bool)> {
    let sql = format!(
        "SELECT u.id FROM unit u WHERE {} AND u.id > ? ORDER BY u.id LIMIT ?",
        scope.condition()
    );
    loop {
        let ids: Vec<String> = scope
            .bind(sqlx::query(&sql))
            .bind(after.as_ref().map_or("", UnitId::as_str).to_owned())
            .bind(BATCH)
            .fetch_all(&mut *conn)
            .await
            .context("listing the units of a scope")?
            .iter()
            .map(|row| row.try_get::<String, _>("id"))
            .collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok((after, true));
        }
        for id in ids {
            let id = UnitId::parse(&id).map_err(|e| anyhow::anyhow!(e.message_en()))?;
            // Read inside this page's transaction: the unit exists.
            let Some(certificate) = certificates::read_in(conn, &id).await? else {
                after = Some(id);
                continue;
            };
            // The SQL scope mirrors `may_read`; the domain has the last word.
            if !filler.grant.may_read(&certificate.unit) {
                after = Some(id);
                continue;
            }
            let applications = applications_of(conn, &id).await?;
            let people = (certificate.staff.len() + certificate.departed.len()) as u64;
            if !filler.fits(1 + people + applications.len() as u64) {
                return Ok((after, false));
            }
            filler.push_certificate(&certificate)?;
            for application in applications {
                filler.push_application(application);
            }
            after = Some(id);
        }
    }
}

/// How many of the scope's units are sent once the snapshot reached `after`.
async fn snapshot_progress(
    conn: &mut SqliteConnection,
    scope: &ScopeSql,
    after: Option<&UnitId>,
) -> anyhow::Result<Progress> {
    let sql = format!(
        "SELECT count(*) AS total, count(CASE WHEN u.id <= ? THEN 1 END) AS done \
         FROM unit u WHERE {}",
        scope.condition()
    );
    // The `?` of the CASE comes before the scope's placeholders in this query.
    let mut query = sqlx::query(&sql).bind(after.map_or("", UnitId::as_str).to_owned());
    query = scope.bind(query);
    let row = query
        .fetch_one(&mut *conn)
        .await
        .context("counting the units of a scope")?;
    let count =
        |name: &str| -> anyhow::Result<u64> { Ok(u64::try_from(row.try_get::<i64, _>(name)?)?) };
    Ok(Progress {
        done_units: count("done")?,
        total_units: count("total")?,
    })
}

/// Sends the records of in-scope log rows after `version` while they fit; returns the version
/// the page reached and whether it is the log's end.
async fn log(
    conn: &mut SqliteConnection,
    scope: &ScopeSql,
    filler: &mut Filler<'_>,
    version: i64,
) -> anyhow::Result<(i64, bool)> {
    let sql = format!(
        "SELECT c.version, c.entity, c.key FROM change_log c JOIN unit u ON u.id = c.unit_id \
         WHERE {} AND c.version > ? ORDER BY c.version LIMIT ?",
        scope.condition()
    );
    let mut at = version;
    let mut sent: HashSet<(Entity, String)> = HashSet::new();
    loop {
        let rows = scope
            .bind(sqlx::query(&sql))
            .bind(at)
            .bind(BATCH)
            .fetch_all(&mut *conn)
            .await
            .context("reading the change log")?;
        if rows.is_empty() {
            return Ok((at, true));
        }
        for row in rows {
            let row_version: i64 = row.try_get("version")?;
            let code: String = row.try_get("entity")?;
            let entity = Entity::from_code(&code)
                .with_context(|| format!("change log entity {code:?} is unknown"))?;
            let key: String = row.try_get("key")?;
            // Already in this page, with a state read after this row was written.
            if sent.contains(&(entity, key.clone())) {
                at = row_version;
                continue;
            }
            match entity {
                Entity::Certificate => {
                    let id = UnitId::parse(&key).map_err(|e| anyhow::anyhow!(e.message_en()))?;
                    if let Some(certificate) = certificates::read_in(conn, &id).await?
                        && filler.grant.may_read(&certificate.unit)
                    {
                        let people = (certificate.staff.len() + certificate.departed.len()) as u64;
                        if !filler.fits(1 + people) {
                            return Ok((at, false));
                        }
                        filler.push_certificate(&certificate)?;
                    }
                }
                Entity::Application => {
                    if let Some(application) = application(conn, &key).await? {
                        if !filler.fits(1) {
                            return Ok((at, false));
                        }
                        filler.push_application(application);
                    }
                }
            }
            sent.insert((entity, key));
            at = row_version;
        }
    }
}

const APPLICATION_COLUMNS: &str = "SELECT a.application_id, a.unit_id, a.kind, a.status, a.updated_at, \
     (SELECT s.number FROM slip s WHERE s.application_id = a.application_id ORDER BY s.number LIMIT 1) \
     AS slip_number FROM application a";

fn application_change(row: &sqlx::sqlite::SqliteRow) -> anyhow::Result<Change> {
    Ok(Change::Application {
        application_id: row.try_get("application_id")?,
        unit_id: row.try_get("unit_id")?,
        kind: row.try_get("kind")?,
        status: row.try_get("status")?,
        updated_at: row.try_get("updated_at")?,
        slip_number: row.try_get("slip_number")?,
    })
}

/// The applications of one unit, oldest first.
async fn applications_of(
    conn: &mut SqliteConnection,
    unit: &UnitId,
) -> anyhow::Result<Vec<Change>> {
    sqlx::query(&format!(
        "{APPLICATION_COLUMNS} WHERE a.unit_id = ? ORDER BY a.submitted_at, a.application_id"
    ))
    .bind(unit.as_str())
    .fetch_all(&mut *conn)
    .await
    .context("reading a unit's applications")?
    .iter()
    .map(application_change)
    .collect()
}

/// One application, `None` if there is none with this id.
async fn application(conn: &mut SqliteConnection, id: &str) -> anyhow::Result<Option<Change>> {
    sqlx::query(&format!("{APPLICATION_COLUMNS} WHERE a.application_id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .context("reading an application")?
        .as_ref()
        .map(application_change)
        .transpose()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    async fn city() -> (tempfile::TempDir, SqlitePool, demo::City) {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("db.sqlite3"))
            .await
            .unwrap();
        let city = demo::generate(5, demo::Size::Tiny);
        certificates::load(&pool, &city.certificates).await.unwrap();
        (dir, pool, city)
    }

    fn unit_of(change: &Change) -> &str {
        match change {
            Change::Certificate { unit_id, .. } | Change::Application { unit_id, .. } => unit_id,
        }
    }

    #[test]
    fn the_endpoint_is_in_the_api_documentation() {
        let doc = include_str!("../../../docs/API.md");
        assert!(doc.contains("`GET /api/sync/pull?cursor=…&limit=…`"));
        assert!(doc.contains("## Sync: pull"));
        assert!(doc.contains(&format!("default {},", "2,000")) && DEFAULT_LIMIT == 2_000);
        assert!(doc.contains("at most 10,000") && MAX_LIMIT == 10_000);
    }

    #[tokio::test]
    async fn a_limit_of_one_sends_one_whole_certificate_per_page_then_follows_the_log() {
        let (_dir, pool, city) = city().await;
        let grant = Grant::new(Role::Coordinator, Scope::Region(domain::Region::Tianshui)).unwrap();
        let mut cursor = None;
        let mut seen = Vec::new();
        let mut last_done = 0;
        for round in 0.. {
            assert!(round <= city.certificates.len(), "the snapshot never ends");
            let page = page(&pool, &grant, cursor.as_deref(), 1).await.unwrap();
            assert_eq!(page.response.reset, round == 0);
            cursor = Some(page.response.cursor.clone());
            // Every unit's certificate is bigger than the limit and still comes whole.
            assert_eq!(page.response.changes.len(), 1);
            assert!(page.foreign_certificates && page.people > 0);
            let progress = page.response.progress.unwrap();
            assert!(progress.done_units > last_done);
            assert_eq!(progress.total_units, city.certificates.len() as u64);
            last_done = progress.done_units;
            seen.push(unit_of(&page.response.changes[0]).to_owned());
            // The last unit's page goes on into the (empty) log: caught up.
            assert_eq!(page.response.complete, last_done == progress.total_units);
            if page.response.complete {
                break;
            }
        }
        let expected: Vec<String> = city
            .certificates
            .iter()
            .map(|c| c.unit.id.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(seen, expected);
        // Caught up: the same cursor again gives nothing and stays complete.
        let again = page(&pool, &grant, cursor.as_deref(), 1).await.unwrap();
        assert!(!again.response.reset && again.response.complete);
        assert!(again.response.changes.is_empty() && again.response.progress.is_none());
        assert_eq!(again.response.cursor, cursor.unwrap());
    }

    #[tokio::test]
    async fn changes_after_the_cursor_are_sent_once_each_with_their_current_state() {
        let (_dir, pool, city) = city().await;
        // A unit without affiliates: its clerk reads only its own certificate.
        let unit = &city
            .certificates
            .iter()
            .find(|c| {
                !city
                    .certificates
                    .iter()
                    .any(|other| other.unit.parent.as_ref() == Some(&c.unit.id))
            })
            .expect("the tiny city has a unit without affiliates")
            .unit
            .id;
        let grant = Grant::new(Role::UnitClerk, Scope::Unit(unit.clone())).unwrap();
        let first = page(&pool, &grant, None, DEFAULT_LIMIT).await.unwrap();
        assert!(first.response.reset && first.response.complete);
        assert_eq!(first.certificates, 1);
        assert!(
            !first.foreign_certificates,
            "a clerk's own unit is not audited"
        );
        // The unit's certificate is recorded as changed three times: one record is sent.
        let mut conn = pool.acquire().await.unwrap();
        for _ in 0..3 {
            changes::record(&mut conn, unit.as_str(), Entity::Certificate, unit.as_str())
                .await
                .unwrap();
        }
        drop(conn);
        let next = page(&pool, &grant, Some(&first.response.cursor), DEFAULT_LIMIT)
            .await
            .unwrap();
        assert!(!next.response.reset && next.response.complete);
        assert_eq!(next.response.changes.len(), 1);
        assert_eq!(unit_of(&next.response.changes[0]), unit.as_str());
        assert!(next.response.progress.is_none());
        // Garbage resets.
        let garbage = page(&pool, &grant, Some("garbage"), DEFAULT_LIMIT)
            .await
            .unwrap();
        assert!(garbage.response.reset);
    }
}
