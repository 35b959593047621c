//! Every read (and the few arranging writes) the suites, the harness and the benchmarks make
//! straight against the server's SQLite schema (`server/migrations/`), named for what it reads:
//! when the schema changes, this is the one test file to follow it. The crate's only `sqlx`
//! calls are here.
//!
//! Test helpers: a failed query panics with what was being read.

use std::collections::BTreeSet;

use domain::certificate::Certificate;
use domain::{LedgerRow, UnitId};

/// A connection pool on a test server's database ([`crate::server::TestServer::database`]).
pub type Pool = sqlx::SqlitePool;

fn unit_id(id: &str) -> UnitId {
    UnitId::parse(id).unwrap_or_else(|e| panic!("the stored unit id {id:?} is invalid: {e}"))
}

// Units, staff and certificates.

/// Every unit's id, in id order.
pub async fn unit_ids(pool: &Pool) -> Vec<UnitId> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM unit ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("reading the unit ids");
    ids.iter().map(|id| unit_id(id)).collect()
}

/// How many units the database holds.
pub async fn unit_count(pool: &Pool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM unit")
        .fetch_one(pool)
        .await
        .expect("counting the units")
}

/// How many people are on the staff lists of all units.
pub async fn staff_count(pool: &Pool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM staff")
        .fetch_one(pool)
        .await
        .expect("counting the staff")
}

/// The ids of the units of one region (division code, e.g. `620502`).
pub async fn units_in_region(pool: &Pool, region: &str) -> BTreeSet<String> {
    sqlx::query_scalar("SELECT id FROM unit WHERE region = ?")
        .bind(region)
        .fetch_all(pool)
        .await
        .expect("reading a region's units")
        .into_iter()
        .collect()
}

/// The first unit (by id) with affiliated institutions: the first `parent` of any unit.
pub async fn first_unit_with_affiliates(pool: &Pool) -> UnitId {
    let parent: String = sqlx::query_scalar(
        "SELECT parent FROM unit WHERE parent IS NOT NULL GROUP BY parent ORDER BY parent LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("reading a unit with affiliates");
    unit_id(&parent)
}

/// The ids of `parent` and of its affiliated institutions.
pub async fn unit_family(pool: &Pool, parent: &UnitId) -> BTreeSet<String> {
    sqlx::query_scalar("SELECT id FROM unit WHERE id = ?1 OR parent = ?1")
        .bind(parent.as_str())
        .fetch_all(pool)
        .await
        .expect("reading a unit's family")
        .into_iter()
        .collect()
}

/// The first unit (by id) outside `parent`'s family: neither `parent`, nor one of its
/// affiliates, nor `parent`'s own parent.
pub async fn unit_outside_family(pool: &Pool, parent: &UnitId) -> UnitId {
    let id: String = sqlx::query_scalar(
        "SELECT id FROM unit WHERE id <> ?1 AND (parent IS NULL OR parent <> ?1) \
         AND id NOT IN (SELECT parent FROM unit WHERE id = ?1 AND parent IS NOT NULL) \
         ORDER BY id LIMIT 1",
    )
    .bind(parent.as_str())
    .fetch_one(pool)
    .await
    .expect("reading a unit of another family");
    unit_id(&id)
}

/// The first unit (by id) other than `unit`.
pub async fn first_unit_except(pool: &Pool, unit: &UnitId) -> UnitId {
    let id: String = sqlx::query_scalar("SELECT id FROM unit WHERE id <> ? ORDER BY id LIMIT 1")
        .bind(unit.as_str())
        .fetch_one(pool)
        .await
        .expect("reading another unit");
    unit_id(&id)
}

/// The first `limit` units (by id) with a department above them — the supervising department,
/// else the parent — each with that department's id.
pub async fn units_with_a_department(pool: &Pool, limit: usize) -> Vec<(UnitId, String)> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, coalesce(supervising_department, parent) FROM unit \
         WHERE coalesce(supervising_department, parent) IS NOT NULL ORDER BY id LIMIT ?",
    )
    .bind(i64::try_from(limit).expect("a small limit"))
    .fetch_all(pool)
    .await
    .expect("reading units with a department");
    rows.into_iter()
        .map(|(unit, department)| (unit_id(&unit), department))
        .collect()
}

/// Every supervising department with the number of people in its scope (the department, the
/// units it supervises and its internal bodies, as the server's sync scope counts them).
pub async fn departments_by_people(pool: &Pool) -> Vec<(String, i64)> {
    sqlx::query_as(
        "SELECT d.id, (SELECT COUNT(*) FROM staff s JOIN unit u ON u.id = s.unit_id \
           WHERE u.id = d.id OR u.supervising_department = d.id OR u.parent = d.id) \
         FROM unit d WHERE EXISTS (SELECT 1 FROM unit x WHERE x.supervising_department = d.id)",
    )
    .fetch_all(pool)
    .await
    .expect("reading the departments' scopes")
}

/// The unit with the most staff, at most `max`: (its id, its staff count).
pub async fn largest_unit_up_to(pool: &Pool, max: i64) -> (String, i64) {
    sqlx::query_as(
        "SELECT unit_id, COUNT(*) AS n FROM staff GROUP BY unit_id HAVING n <= ? \
         ORDER BY n DESC, unit_id LIMIT 1",
    )
    .bind(max)
    .fetch_one(pool)
    .await
    .expect("reading the units' staff counts")
}

/// `unit`'s whole certificate, as the server reads it (`server::db::certificates::read`).
pub async fn certificate(pool: &Pool, unit: &UnitId) -> Certificate {
    server::db::certificates::read(pool, unit)
        .await
        .expect("reading a certificate")
        .unwrap_or_else(|| panic!("the unit {unit} exists"))
}

/// The stored record (JSON) of `unit`, to put back after [`damage_unit_record`].
pub async fn unit_record(pool: &Pool, unit: &UnitId) -> String {
    sqlx::query_scalar("SELECT record FROM unit WHERE id = ?")
        .bind(unit.as_str())
        .fetch_one(pool)
        .await
        .expect("reading a unit's record")
}

/// Puts back the stored record of `unit` read by [`unit_record`].
pub async fn restore_unit_record(pool: &Pool, unit: &UnitId, record: &str) {
    sqlx::query("UPDATE unit SET record = ? WHERE id = ?")
        .bind(record)
        .bind(unit.as_str())
        .execute(pool)
        .await
        .expect("restoring a unit's record");
}

/// Damages `unit`'s stored record so that the server fails (500) on anything that reads it.
pub async fn damage_unit_record(pool: &Pool, unit: &UnitId) {
    sqlx::query("UPDATE unit SET record = '{' WHERE id = ?")
        .bind(unit.as_str())
        .execute(pool)
        .await
        .expect("damaging a unit's record");
}

/// The position the next row of `unit`'s ledger takes.
pub async fn next_ledger_position(pool: &Pool, unit: &UnitId) -> i64 {
    sqlx::query_scalar("SELECT coalesce(max(position) + 1, 0) FROM ledger_row WHERE unit_id = ?")
        .bind(unit.as_str())
        .fetch_one(pool)
        .await
        .expect("reading the ledger's length")
}

/// Appends `row` to `unit`'s ledger at `position` (an establishment decision written straight
/// to the database).
pub async fn insert_ledger_row(pool: &Pool, unit: &UnitId, position: i64, row: &LedgerRow) {
    sqlx::query("INSERT INTO ledger_row (unit_id, position, document, row) VALUES (?, ?, ?, ?)")
        .bind(unit.as_str())
        .bind(position)
        .bind(row.document.as_str())
        .bind(serde_json::to_string(row).expect("a ledger row as JSON"))
        .execute(pool)
        .await
        .expect("writing a ledger row");
}

// Key holders.

/// The stored passkey (webauthn-rs `Passkey` JSON) of `holder_id`'s credential.
pub async fn stored_passkey(pool: &Pool, holder_id: &str) -> String {
    sqlx::query_scalar("SELECT passkey FROM credential WHERE holder_id = ?")
        .bind(holder_id)
        .fetch_one(pool)
        .await
        .expect("reading a stored passkey")
}

// Signed envelopes, applications, decisions and slips.

/// One stored envelope and its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEnvelope {
    pub application_id: String,
    /// `accepted`, `rejected` or `held`.
    pub status: String,
    /// The refusal's code, if any.
    pub code: Option<String>,
}

/// The envelopes stored under `application_id`, in the order received.
pub async fn envelopes(pool: &Pool, application_id: &str) -> Vec<StoredEnvelope> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT application_id, status, code FROM envelope WHERE application_id = ? ORDER BY id",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await
    .expect("reading envelopes");
    rows.into_iter()
        .map(|(application_id, status, code)| StoredEnvelope {
            application_id,
            status,
            code,
        })
        .collect()
}

/// How many envelopes are stored under application ids that start with `prefix`.
pub async fn envelope_count_with_prefix(pool: &Pool, prefix: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM envelope WHERE application_id LIKE ? || '%'")
        .bind(prefix)
        .fetch_one(pool)
        .await
        .expect("counting envelopes")
}

/// The signed bytes of the (first) envelope stored under `application_id`.
pub async fn envelope_bytes(pool: &Pool, application_id: &str) -> Vec<u8> {
    sqlx::query_scalar("SELECT bytes FROM envelope WHERE application_id = ? ORDER BY id")
        .bind(application_id)
        .fetch_one(pool)
        .await
        .expect("reading an envelope's bytes")
}

/// One application as the server tracks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedApplication {
    pub application_id: String,
    pub unit_id: String,
    /// The `domain::ApplicationStatus` code.
    pub status: String,
}

/// Every application the server tracks, by id.
pub async fn applications(pool: &Pool) -> Vec<TrackedApplication> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT application_id, unit_id, status FROM application ORDER BY application_id",
    )
    .fetch_all(pool)
    .await
    .expect("reading the applications");
    rows.into_iter()
        .map(|(application_id, unit_id, status)| TrackedApplication {
            application_id,
            unit_id,
            status,
        })
        .collect()
}

/// The status of a tracked application; panics if the server does not track it.
pub async fn application_status(pool: &Pool, application_id: &str) -> String {
    sqlx::query_scalar("SELECT status FROM application WHERE application_id = ?")
        .bind(application_id)
        .fetch_one(pool)
        .await
        .expect("reading an application's status")
}

/// How many signed decisions are stored, whatever their verdict.
pub async fn decision_count(pool: &Pool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM decision")
        .fetch_one(pool)
        .await
        .expect("counting the decisions")
}

/// An issued slip (用编通知单): its unit, posts and posts not yet used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedSlip {
    pub unit_id: String,
    pub count: i64,
    pub remaining: i64,
}

/// The slip numbered `number`.
pub async fn slip(pool: &Pool, number: &str) -> IssuedSlip {
    let (unit_id, count, remaining): (String, i64, i64) =
        sqlx::query_as("SELECT unit_id, count, remaining FROM slip WHERE number = ?")
            .bind(number)
            .fetch_one(pool)
            .await
            .expect("reading a slip");
    IssuedSlip {
        unit_id,
        count,
        remaining,
    }
}

/// How many slips have been issued.
pub async fn slip_count(pool: &Pool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM slip")
        .fetch_one(pool)
        .await
        .expect("counting the slips")
}

// The audit log.

/// The action of every audit entry, in order.
pub async fn audit_actions(pool: &Pool) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq")
        .fetch_all(pool)
        .await
        .expect("reading the audit log")
}

/// The details (JSON objects) of the audit entries of `action`, in order.
pub async fn audit_details(pool: &Pool, action: &str) -> Vec<serde_json::Value> {
    let details: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = ? ORDER BY seq")
            .bind(action)
            .fetch_all(pool)
            .await
            .expect("reading the audit log");
    details
        .iter()
        .map(|d| serde_json::from_str(d).expect("an audit detail is JSON"))
        .collect()
}

/// How many audit entries of `action` there are.
pub async fn audit_count(pool: &Pool, action: &str) -> usize {
    audit_details(pool, action).await.len()
}

// Faults and raw rows, for the tests of the receiver's savepoints.

/// From now on, recording the application `application_id` fails inside the server (a trigger
/// aborts the insert), as an internal error would.
pub async fn fail_recording_application(pool: &Pool, application_id: &str) {
    // A trigger cannot take a bound parameter; the id is a test's literal.
    assert!(
        application_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    );
    sqlx::query(&format!(
        "CREATE TRIGGER fail_one BEFORE INSERT ON application \
         WHEN NEW.application_id = '{application_id}' \
         BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
    ))
    .execute(pool)
    .await
    .expect("creating the failing trigger");
}

/// From now on, recording the decision `decision_id` fails inside the server (a trigger
/// aborts the insert), as an internal error would.
pub async fn fail_recording_decision(pool: &Pool, decision_id: &str) {
    assert!(
        decision_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    );
    sqlx::query(&format!(
        "CREATE TRIGGER fail_one BEFORE INSERT ON decision \
         WHEN NEW.decision_id = '{decision_id}' \
         BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
    ))
    .execute(pool)
    .await
    .expect("creating the failing trigger");
}

/// Undoes [`fail_recording_application`] and [`fail_recording_decision`].
pub async fn stop_failing(pool: &Pool) {
    sqlx::query("DROP TRIGGER fail_one")
        .execute(pool)
        .await
        .expect("dropping the failing trigger");
}

/// Every envelope received: (application id, stored status), in the order received.
pub async fn envelope_statuses(pool: &Pool) -> Vec<(String, String)> {
    sqlx::query_as("SELECT application_id, status FROM envelope ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("reading the envelopes")
}

/// How many rows `table` (one of `envelope`, `application`) holds.
pub async fn row_count(pool: &Pool, table: &str) -> i64 {
    assert!(matches!(table, "envelope" | "application" | "counter_gap"));
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .expect("counting rows")
}

/// The highest envelope counter any key has reached.
pub async fn highest_envelope_counter(pool: &Pool) -> i64 {
    sqlx::query_scalar("SELECT max(highest_envelope_counter) FROM credential")
        .fetch_one(pool)
        .await
        .expect("reading the counters")
}

// Approvals' effects (issue 11).

/// Whether `id_number` holds a post anywhere (the `staff` table).
pub async fn holds_post(pool: &Pool, id_number: &str) -> bool {
    sqlx::query_scalar::<_, i64>("SELECT count(*) FROM staff WHERE id_number = ?")
        .bind(id_number)
        .fetch_one(pool)
        .await
        .expect("looking up a post")
        > 0
}

/// One person on the staff of a unit other than `except`: (unit, 身份证号).
pub async fn someone_elsewhere(pool: &Pool, except: &UnitId) -> (UnitId, String) {
    let (unit, id): (String, String) = sqlx::query_as(
        "SELECT unit_id, id_number FROM staff WHERE unit_id <> ? ORDER BY id_number LIMIT 1",
    )
    .bind(except.as_str())
    .fetch_one(pool)
    .await
    .expect("reading a person elsewhere");
    (unit_id(&unit), id)
}

/// The lateness recorded with an application: (due date, days overdue).
pub async fn lateness(pool: &Pool, application_id: &str) -> (Option<String>, i64) {
    sqlx::query_as("SELECT due_on, days_overdue FROM application WHERE application_id = ?")
        .bind(application_id)
        .fetch_one(pool)
        .await
        .expect("reading an application's lateness")
}

/// Makes an accepted application look approved by a server from before approvals applied
/// their effects: status `approved`, effects not applied, and an accepted `approve` decision
/// by `decider` on record (its signed parts are placeholders: only the row is read).
pub async fn mark_approved_status_only(pool: &Pool, application_id: &str, decider: &str) {
    sqlx::query(
        "UPDATE application SET status = 'approved', applied = 0, \
         updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE application_id = ?",
    )
    .bind(application_id)
    .execute(pool)
    .await
    .expect("marking an application approved");
    sqlx::query(
        "INSERT INTO decision (decision_hash, verified, decision_id, application_id, action, \
         decider, credential_id, bytes, client_data_json, authenticator_data, signature, status, \
         application_status, received_at) \
         VALUES (?, 1, ?, ?, 'approve', ?, x'00', x'7b7d', x'00', x'00', x'00', 'accepted', \
         'approved', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    )
    .bind(format!("old-{application_id}"))
    .bind(format!("old-{application_id}"))
    .bind(application_id)
    .bind(decider)
    .execute(pool)
    .await
    .expect("recording an old approval");
}

/// Forgets the issued-document record of `number`, as a database from before they were recorded.
pub async fn forget_issued_document(pool: &Pool, number: &str) {
    sqlx::query("DELETE FROM issued_document WHERE number = ?")
        .bind(number)
        .execute(pool)
        .await
        .expect("forgetting an issued document");
}

// Documents anyone can check.

/// Removes the signature of the issued document `number`, as a document issued before
/// documents were signed has none (an arranging write).
pub async fn forget_signature(pool: &Pool, number: &str) {
    sqlx::query(
        "UPDATE issued_document SET canonical = NULL, key_id = NULL, signature = NULL \
         WHERE number = ?",
    )
    .bind(number)
    .execute(pool)
    .await
    .expect("removing a document's signature");
}

// Backups (`tests/suite/operations.rs`).

/// Every application's id and status, in id order.
pub async fn application_statuses(pool: &Pool) -> Vec<(String, String)> {
    sqlx::query_as("SELECT application_id, status FROM application ORDER BY application_id")
        .fetch_all(pool)
        .await
        .expect("reading the applications' statuses")
}

/// Writes a SQLite database at `path` that is not this system's: one table of notes.
pub async fn write_foreign_database(path: &std::path::Path) {
    use sqlx::Connection;
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .expect("creating a database");
    sqlx::query("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        .execute(&mut conn)
        .await
        .expect("creating a table");
    sqlx::query("INSERT INTO notes (text) VALUES ('not a staffing database')")
        .execute(&mut conn)
        .await
        .expect("writing a row");
    conn.close().await.expect("closing");
}

/// Records in the database at `path` a migration this release does not have, as a newer
/// release would have applied.
pub async fn add_unknown_migration(path: &std::path::Path) {
    use sqlx::Connection;
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .expect("opening a database");
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', 1, x'00', 0)",
    )
    .execute(&mut conn)
    .await
    .expect("recording a migration");
    conn.close().await.expect("closing");
}

// The ledger invariant, recounted from the rows (`tests/suite/interleavings.rs`, the load
// generator).

/// The ledger's figures of one unit and category: the stored columns beside a recount of what
/// they sum (ledger rows, staff, open slips).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerFigures {
    pub unit: String,
    pub category: String,
    /// `ledger_approved.approved` (kept by triggers).
    pub approved: i64,
    /// The sum of the changes of the unit's `ledger_row`s in this category.
    pub approved_recount: i64,
    /// `ledger_count.filled`.
    pub filled: i64,
    /// People on the `staff` list of the unit in this category.
    pub filled_recount: i64,
    /// `ledger_count.reserved`.
    pub reserved: i64,
    /// The remaining posts of the unit's slips in this category neither used up nor released.
    pub reserved_recount: i64,
}

/// Every unit's and category's figures with their recounts (every pair any of the sources
/// names; a missing one counts 0).
pub async fn ledger_figures(pool: &Pool) -> Vec<LedgerFigures> {
    let rows: Vec<LedgerFiguresRow> = sqlx::query_as(
        "WITH pairs AS ( \
            SELECT unit_id, category FROM ledger_approved \
            UNION SELECT unit_id, category FROM ledger_count \
            UNION SELECT unit_id, category FROM staff \
            UNION SELECT unit_id, category FROM slip \
            UNION SELECT r.unit_id, c.key FROM ledger_row r, json_each(r.row, '$.changes') c) \
         SELECT p.unit_id, p.category, \
            coalesce((SELECT approved FROM ledger_approved a \
                      WHERE a.unit_id = p.unit_id AND a.category = p.category), 0), \
            coalesce((SELECT sum(c.value) FROM ledger_row r, json_each(r.row, '$.changes') c \
                      WHERE r.unit_id = p.unit_id AND c.key = p.category), 0), \
            coalesce((SELECT filled FROM ledger_count n \
                      WHERE n.unit_id = p.unit_id AND n.category = p.category), 0), \
            (SELECT count(*) FROM staff s WHERE s.unit_id = p.unit_id AND s.category = p.category), \
            coalesce((SELECT reserved FROM ledger_count n \
                      WHERE n.unit_id = p.unit_id AND n.category = p.category), 0), \
            coalesce((SELECT sum(remaining) FROM slip s WHERE s.unit_id = p.unit_id \
                      AND s.category = p.category AND s.released = 0), 0) \
         FROM pairs p ORDER BY p.unit_id, p.category",
    )
    .fetch_all(pool)
    .await
    .expect("recounting the ledger");
    rows.into_iter()
        .map(
            |(
                unit,
                category,
                approved,
                approved_recount,
                filled,
                filled_recount,
                reserved,
                reserved_recount,
            )| LedgerFigures {
                unit,
                category,
                approved,
                approved_recount,
                filled,
                filled_recount,
                reserved,
                reserved_recount,
            },
        )
        .collect()
}

type LedgerFiguresRow = (String, String, i64, i64, i64, i64, i64, i64);

/// The unit where `id_number` holds a post, if any.
pub async fn post_of(pool: &Pool, id_number: &str) -> Option<String> {
    sqlx::query_scalar("SELECT unit_id FROM staff WHERE id_number = ?")
        .bind(id_number)
        .fetch_optional(pool)
        .await
        .expect("looking up a post")
}

/// How many rows each table a signed document changes holds: a fingerprint of the state a
/// repeated document must leave as it was.
pub async fn state_counts(pool: &Pool) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "application",
        "decision",
        "slip",
        "staff",
        "departed",
        "issued_document",
        "audit_log",
    ] {
        let count: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(pool)
            .await
            .unwrap_or_else(|e| panic!("counting the rows of {table}: {e}"));
        counts.push(count);
    }
    let open: i64 = sqlx::query_scalar("SELECT coalesce(sum(remaining), 0) FROM slip")
        .fetch_one(pool)
        .await
        .expect("adding up the slips' remaining posts");
    counts.push(open);
    counts
}

/// The ids of the applications whose id starts with `prefix` (the load generator's).
pub async fn application_ids_with_prefix(pool: &Pool, prefix: &str) -> BTreeSet<String> {
    sqlx::query_scalar("SELECT application_id FROM application WHERE application_id LIKE ? || '%'")
        .bind(prefix)
        .fetch_all(pool)
        .await
        .expect("reading application ids")
        .into_iter()
        .collect()
}

// Submissions whose signature did not verify (issue 15's bound).

/// The stored sizes of the receipts of envelopes whose signature did not verify: (bytes,
/// clientDataJSON, authenticatorData, signature).
pub async fn unverified_envelope_sizes(pool: &Pool) -> Vec<(i64, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT length(bytes), length(client_data_json), length(authenticator_data), \
         length(signature) FROM envelope WHERE verified = 0",
    )
    .fetch_all(pool)
    .await
    .expect("reading unverified receipts")
}

/// How many submissions whose signature did not verify `holder_id` carried, over all days.
pub async fn unverified_count(pool: &Pool, holder_id: &str) -> i64 {
    sqlx::query_scalar("SELECT coalesce(sum(count), 0) FROM unverified_count WHERE holder_id = ?")
        .bind(holder_id)
        .fetch_one(pool)
        .await
        .expect("reading the count of unverified submissions")
}

/// The signed bytes of the envelope stored under `application_id` whose signature verified.
pub async fn verified_envelope_bytes(pool: &Pool, application_id: &str) -> Vec<u8> {
    sqlx::query_scalar("SELECT bytes FROM envelope WHERE application_id = ? AND verified = 1")
        .bind(application_id)
        .fetch_one(pool)
        .await
        .expect("reading a verified envelope's bytes")
}
