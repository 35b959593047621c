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
//! Records are read ahead, a batch at a time: the listing of units (or of log rows) carries
//! each record's weight, and a batch is what the page may still hold, read with a fixed number
//! of queries (`certificates::read_many_stored` and one for the applications) rather than
//! several per unit. The page is the same as if each record were read in its turn. A
//! certificate's people are sent as they were stored (checked when written), not parsed and
//! serialised again.
//!
//! Certificates carry personal data: a page with any certificate but the reader's own unit
//! (a clerk's) is audited (`sync.pull`, counts only).

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use domain::{Grant, Role, Scope, UnitId};
use protocol::admin::VerificationState;
use protocol::sync::{Change, Progress, PullResponse, RawJson};
use serde::Deserialize;

use super::cursor::{Cursor, Now, Position};
use crate::db::admin::Removal;
use crate::db::audit::{self, Entry};
use crate::db::certificates::{self, StoredCertificate};
use crate::db::changes::{self, Entity, LogRow};
use crate::db::scope::{self, ScopeSql};
use crate::db::{self, Conn, Pool, applications};
use crate::error::ApiError;
use crate::identity::session::Session;
use crate::state::AppState;

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
#[utoipa::path(
    get,
    path = protocol::sync::SYNC_PULL_PATH,
    tag = "sync",
    summary = "Pull one page of the holder's scope (同步拉取)",
    description = "Whole certificates and applications the holder may read: a snapshot on a \
        first pull or after a reset, then the changes after the cursor. A bad cursor is never \
        an error: it is a reset.",
    params(
        ("cursor" = Option<String>, Query, description = "the last cursor received, unchanged (opaque)"),
        ("limit" = Option<u64>, Query, minimum = 1, description = "records per page: default 2,000, larger than 10,000 is lowered"),
    ),
    responses(
        (status = 200, description = "one page", body = protocol::sync::PullResponse),
        (status = 400, description = "`bad_request`: a malformed query or `limit`", body = protocol::ErrorBody),
        (status = 401, description = "`unauthenticated`", body = protocol::ErrorBody),
    ),
    security(("session" = [])),
)]

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
    // Slips that lapsed are released before the certificates are read.
    crate::signed::lapse::sweep(&state.pool, state.clock.today()).await?;
    let mut page = page(&state.pool, grant, params.cursor.as_deref(), limit).await?;
    page.response.holder_id = session.holder.info.id.clone();
    page.response.oversight = Some(state.config.oversight);
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

    /// How many of the next records, by their weights, the page may still hold: those that
    /// would fit if all were sent, and at least one.
    fn room_for(&self, weights: impl IntoIterator<Item = u64>) -> usize {
        let (mut used, mut empty) = (self.used, self.changes.is_empty());
        let mut fit = 0;
        for weight in weights {
            if !empty && used.saturating_add(weight) > self.limit {
                break;
            }
            used = used.saturating_add(weight);
            empty = false;
            fit += 1;
        }
        fit.max(1)
    }

    fn push_certificate(&mut self, stored: &StoredCertificate) -> anyhow::Result<()> {
        let people = stored.people();
        self.used += 1 + people;
        self.people += people;
        self.certificates += 1;
        let unit = &stored.certificate.unit.id;
        let own = matches!(
            (self.grant.role(), self.grant.scope()),
            (Role::UnitClerk, Scope::Unit(own)) if own == unit
        );
        self.foreign_certificates |= !own;
        self.changes.push(Change::Certificate {
            unit_id: unit.to_string(),
            certificate: RawJson::from_string(stored.to_json()?)
                .context("a stored certificate is not JSON")?,
        });
        Ok(())
    }

    /// The unit's verification state after its certificate, when it has one.
    fn push_verification(&mut self, unit: &UnitId, state: Option<&(String, String)>) {
        let Some((code, at)) = state else { return };
        let state = match code.as_str() {
            "imported" => VerificationState::Imported,
            "confirmed_by_unit" => VerificationState::ConfirmedByUnit,
            "confirmed_by_bureau" => VerificationState::ConfirmedByBureau,
            _ => return,
        };
        self.used += 1;
        self.changes.push(Change::Verification {
            unit_id: unit.to_string(),
            state,
            updated_at: at.clone(),
        });
    }

    /// A removed unit's tombstone.
    fn push_tombstone(&mut self, unit: &UnitId, removal: &Removal) {
        self.used += 1;
        self.changes.push(Change::UnitRemoved {
            unit_id: unit.to_string(),
            reason: removal.reason.clone(),
            merged_into: removal.merged_into.clone(),
            document: removal.document.clone(),
        });
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
    pool: &Pool,
    grant: &Grant,
    cursor: Option<&str>,
    limit: u64,
) -> anyhow::Result<Page> {
    // A deferred transaction that only reads: one consistent view for the whole page.
    let mut tx = db::read(pool).await.context("starting a pull")?;
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
            // Set by the handler, which knows the session.
            holder_id: String::new(),
            reset,
            changes: filler.changes,
            cursor,
            complete,
            progress,
            oversight: None,
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
    conn: &mut Conn,
    scope: &ScopeSql,
    filler: &mut Filler<'_>,
    mut after: Option<UnitId>,
) -> anyhow::Result<(Option<UnitId>, bool)> {
    let mut ahead = ReadAhead::default();
    loop {
        // Each unit with its weight on a page (1 + people + applications), so that what is
        // read ahead is what the page may still hold.
        let listed = scope::units_after(conn, scope, after.as_ref(), BATCH).await?;
        if listed.is_empty() {
            return Ok((after, true));
        }
        for (at, (id, _)) in listed.iter().enumerate() {
            if !ahead.certificates.contains_key(id) {
                let fit = filler.room_for(listed[at..].iter().map(|(_, weight)| *weight));
                let ids: Vec<UnitId> = listed[at..at + fit]
                    .iter()
                    .map(|(id, _)| id.clone())
                    .collect();
                ahead.read_units(conn, &ids).await?;
            }
            // Read inside this page's transaction: the unit exists (and was not removed).
            let removed = ahead.removed.remove(id).is_some();
            let Some(stored) = ahead.certificates.remove(id).flatten().filter(|_| !removed) else {
                after = Some(id.clone());
                continue;
            };
            // The SQL scope mirrors `may_read`; the domain has the last word.
            if !filler.grant.may_read(&stored.certificate.unit) {
                after = Some(id.clone());
                continue;
            }
            let applications = ahead.applications_of.remove(id).unwrap_or_default();
            if !filler.fits(1 + stored.people() + applications.len() as u64) {
                return Ok((after, false));
            }
            filler.push_certificate(&stored)?;
            filler.push_verification(id, ahead.verification.get(id));
            for application in applications {
                filler.push_application(application);
            }
            after = Some(id.clone());
        }
    }
}

/// How many of the scope's units are sent once the snapshot reached `after`.
async fn snapshot_progress(
    conn: &mut Conn,
    scope: &ScopeSql,
    after: Option<&UnitId>,
) -> anyhow::Result<Progress> {
    let (done_units, total_units) = scope::progress(conn, scope, after).await?;
    Ok(Progress {
        done_units,
        total_units,
    })
}

/// Sends the records of in-scope log rows after `version` while they fit; returns the version
/// the page reached and whether it is the log's end.
async fn log(
    conn: &mut Conn,
    scope: &ScopeSql,
    filler: &mut Filler<'_>,
    version: i64,
) -> anyhow::Result<(i64, bool)> {
    let mut at = version;
    let mut sent: HashSet<(Entity, String)> = HashSet::new();
    let mut ahead = ReadAhead::default();
    loop {
        // With a certificate's weight on a page (1 + people), for reading ahead.
        let rows = changes::scoped_after(conn, scope, at, BATCH).await?;
        if rows.is_empty() {
            return Ok((at, true));
        }
        for (index, row) in rows.iter().enumerate() {
            let (row_version, entity, key) = (row.version, row.entity, &row.key);
            // Already in this page, with a state read after this row was written.
            if sent.contains(&(entity, key.clone())) {
                at = row_version;
                continue;
            }
            if !ahead.has(entity, key) {
                ahead.read_log(conn, filler, &rows[index..], &sent).await?;
            }
            match entity {
                Entity::Certificate => {
                    let id = UnitId::parse(key).map_err(|e| anyhow::anyhow!(e.message_en()))?;
                    let removal = ahead.removed.remove(&id);
                    if let Some(stored) = ahead.certificates.remove(&id).flatten()
                        && filler.grant.may_read(&stored.certificate.unit)
                    {
                        if let Some(removal) = removal {
                            // A merged or abolished unit: its tombstone.
                            if !filler.fits(1) {
                                return Ok((at, false));
                            }
                            filler.push_tombstone(&id, &removal);
                        } else {
                            if !filler.fits(2 + stored.people()) {
                                return Ok((at, false));
                            }
                            filler.push_certificate(&stored)?;
                            filler.push_verification(&id, ahead.verification.get(&id));
                        }
                    }
                }
                Entity::Application => {
                    if let Some(application) = ahead.applications.remove(key).flatten() {
                        if !filler.fits(1) {
                            return Ok((at, false));
                        }
                        filler.push_application(application);
                    }
                }
            }
            sent.insert((entity, key.clone()));
            at = row_version;
        }
    }
}

/// Records read ahead for one page, a batch at a time: a batch is what the page may still hold
/// by the records' weights, read with a fixed number of queries (`certificates::read_many_stored` and
/// one for the applications) instead of several per record. The page is filled exactly as if
/// each record were read when its turn comes; `None` is a record that does not exist.
#[derive(Default)]
struct ReadAhead {
    certificates: HashMap<UnitId, Option<StoredCertificate>>,
    /// Each unit's applications, oldest first (snapshot).
    applications_of: HashMap<UnitId, Vec<Change>>,
    /// Applications by id (log).
    applications: HashMap<String, Option<Change>>,
    /// Units read that were removed (merged or abolished).
    removed: HashMap<UnitId, Removal>,
    /// Verification states of units read (those that have one).
    verification: HashMap<UnitId, (String, String)>,
}

impl ReadAhead {
    fn has(&self, entity: Entity, key: &str) -> bool {
        match entity {
            Entity::Certificate => {
                UnitId::parse(key).is_ok_and(|id| self.certificates.contains_key(&id))
            }
            Entity::Application => self.applications.contains_key(key),
        }
    }

    /// Reads the certificates of `ids` and their applications.
    async fn read_units(&mut self, conn: &mut Conn, ids: &[UnitId]) -> anyhow::Result<()> {
        let mut read = certificates::read_many_stored(conn, ids).await?;
        let mut applications = applications::changes_of_units(conn, ids).await?;
        self.removed.extend(db::admin::removals(conn, ids).await?);
        self.verification
            .extend(db::admin::verification_states(conn, ids).await?);
        for id in ids {
            self.applications_of
                .insert(id.clone(), applications.remove(id).unwrap_or_default());
            self.certificates.insert(id.clone(), read.remove(id));
        }
        Ok(())
    }

    /// Reads the records of the log rows `rows` that the page may still hold (at least the
    /// first), leaving out those already sent.
    async fn read_log(
        &mut self,
        conn: &mut Conn,
        filler: &Filler<'_>,
        rows: &[LogRow],
        sent: &HashSet<(Entity, String)>,
    ) -> anyhow::Result<()> {
        let mut seen = HashSet::new();
        let unsent: Vec<&LogRow> = rows
            .iter()
            .filter(|row| {
                !sent.contains(&(row.entity, row.key.clone()))
                    && seen.insert((row.entity, row.key.as_str()))
            })
            .collect();
        let fit = filler.room_for(unsent.iter().map(|row| row.weight));
        let mut units = Vec::new();
        let mut ids = Vec::new();
        for row in &unsent[..fit] {
            match row.entity {
                Entity::Certificate => {
                    units.push(
                        UnitId::parse(&row.key).map_err(|e| anyhow::anyhow!(e.message_en()))?,
                    );
                }
                Entity::Application => ids.push(row.key.as_str()),
            }
        }
        let mut read = certificates::read_many_stored(conn, &units).await?;
        self.removed
            .extend(db::admin::removals(conn, &units).await?);
        self.verification
            .extend(db::admin::verification_states(conn, &units).await?);
        for id in units {
            let certificate = read.remove(&id);
            self.certificates.insert(id, certificate);
        }
        let mut applications = applications::changes_by_id(conn, &ids).await?;
        for id in ids {
            self.applications
                .insert(id.to_owned(), applications.remove(id));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    async fn city() -> (tempfile::TempDir, Pool, demo::City) {
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
            Change::Certificate { unit_id, .. }
            | Change::Application { unit_id, .. }
            | Change::UnitRemoved { unit_id, .. }
            | Change::Verification { unit_id, .. } => unit_id,
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
        let mut conn = db::connection(&pool).await.unwrap();
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
