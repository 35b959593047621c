//! Storing and reading whole certificates (电子编制管理证): the loader checks every certificate
//! with the rules of `domain` and writes a set of them in one transaction; the reader
//! rebuilds a [`Certificate`] and checks it again — any number of them with a fixed number of
//! queries ([`read_many`], which [`read`] and [`read_in`] use for one; [`read_many_stored`]
//! for a pull, the people left as stored), or just a unit's ledger ([`read_ledger`]).

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use domain::certificate::Certificate;
use domain::unit::{
    Affiliate, Division, HistoryEvent, LeadershipPosts, MainFunction, PowerItem, UnitRecord,
};
use domain::{EstablishmentCategory, Headcount, LedgerRow, UnitBook, UnitId, UnitLedger};
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::db::changes::{self, Entity};

/// The descriptive sections of a certificate, stored together in `unit.sections`.
#[derive(Debug, Serialize, Deserialize)]
struct Sections {
    functions: Vec<MainFunction>,
    power_list: Vec<PowerItem>,
    divisions: Vec<Division>,
    history: Vec<HistoryEvent>,
    leadership_posts: Vec<LeadershipPosts>,
}

/// Why a set of certificates was not loaded. Nothing is written when loading fails.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("unit {unit}: {detail}")]
    Invalid { unit: String, detail: String },
    #[error("unit {unit} refers to {missing}, which is neither loaded nor in the set before it")]
    UnknownReference { unit: String, missing: String },
    #[error(transparent)]
    Database(#[from] anyhow::Error),
}

/// What a load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub units: u64,
    pub staff: u64,
    pub departed: u64,
    pub ledger_rows: u64,
}

/// Checks every certificate with the `domain` rules, then writes them all in one transaction
/// together with an audit entry (`certificates.load`, with the counts).
/// A unit's supervising department and parent must be loaded already or come earlier in
/// `certificates`. The one-post-per-身份证号 rule is enforced by the database across the whole
/// deployment.
pub async fn load(pool: &SqlitePool, certificates: &[Certificate]) -> Result<Counts, LoadError> {
    for certificate in certificates {
        check(certificate)?;
    }
    let mut tx = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .context("starting the load")?;
    let mut counts = Counts::default();
    for certificate in certificates {
        let unit = &certificate.unit;
        for reference in [&unit.supervising_department, &unit.parent]
            .into_iter()
            .flatten()
        {
            let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM unit WHERE id = ?")
                .bind(reference.as_str())
                .fetch_optional(&mut *tx)
                .await
                .context("looking up a referenced unit")?;
            if known.is_none() {
                return Err(LoadError::UnknownReference {
                    unit: unit.id.to_string(),
                    missing: reference.to_string(),
                });
            }
        }
        insert(&mut tx, certificate, &mut counts)
            .await
            .map_err(|e| LoadError::Invalid {
                unit: unit.id.to_string(),
                detail: format!("{e:#}"),
            })?;
        // Sync: the new certificate, and its parent's (whose affiliates list it joins).
        for id in std::iter::once(&unit.id).chain(&unit.parent) {
            changes::record(&mut tx, id.as_str(), Entity::Certificate, id.as_str()).await?;
        }
    }
    crate::db::audit::append(
        &mut tx,
        crate::db::audit::Entry {
            actor: None,
            credential: None,
            action: "certificates.load",
            target: "units",
            detail: serde_json::to_value(counts).context("describing the load")?,
        },
        crate::clock::now(),
    )
    .await?;
    tx.commit().await.context("committing the load")?;
    Ok(counts)
}

/// The rules a certificate must satisfy before it is stored.
fn check(certificate: &Certificate) -> Result<(), LoadError> {
    let invalid = |detail: String| LoadError::Invalid {
        unit: certificate.unit.id.to_string(),
        detail,
    };
    certificate
        .unit
        .check()
        .map_err(|e| invalid(e.message_en()))?;
    for person in certificate
        .staff
        .iter()
        .chain(certificate.departed.iter().map(|d| &d.person))
    {
        person.check().map_err(|e| invalid(e.message_en()))?;
    }
    UnitBook::from_parts(
        certificate.unit.id.clone(),
        certificate.ledger.clone(),
        certificate.staff.clone(),
        certificate.departed.clone(),
        Vec::new(),
    )
    .map_err(|e| invalid(e.to_string()))?;
    Ok(())
}

fn json<T: Serialize>(value: &T) -> anyhow::Result<String> {
    serde_json::to_string(value).context("serialising a record")
}

/// A new unit's certificate written (checked by the caller), with its change for sync.
pub async fn insert_new(
    conn: &mut sqlx::SqliteConnection,
    certificate: &Certificate,
) -> anyhow::Result<()> {
    check(certificate).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut counts = Counts::default();
    insert(conn, certificate, &mut counts).await
}

/// Adds an event to a unit's history (历史沿革) and, when given, replaces its leadership posts.
pub async fn amend_sections(
    conn: &mut sqlx::SqliteConnection,
    unit: &UnitId,
    event: HistoryEvent,
    leadership_posts: Option<Vec<LeadershipPosts>>,
) -> anyhow::Result<()> {
    let text: String = sqlx::query_scalar("SELECT sections FROM unit WHERE id = ?")
        .bind(unit.as_str())
        .fetch_one(&mut *conn)
        .await
        .context("reading a unit's sections")?;
    let mut sections: Sections = serde_json::from_str(&text).context("stored sections")?;
    sections.history.push(event);
    if let Some(posts) = leadership_posts {
        sections.leadership_posts = posts;
    }
    sqlx::query("UPDATE unit SET sections = ? WHERE id = ?")
        .bind(json(&sections)?)
        .bind(unit.as_str())
        .execute(&mut *conn)
        .await
        .context("writing a unit's sections")?;
    Ok(())
}

/// Appends a ledger row to a unit (the approved figures follow by trigger).
pub async fn append_ledger_row(
    conn: &mut sqlx::SqliteConnection,
    unit: &UnitId,
    row: &domain::LedgerRow,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO ledger_row (unit_id, position, document, row) VALUES (?1, \
         (SELECT coalesce(max(position), -1) + 1 FROM ledger_row WHERE unit_id = ?1), ?2, ?3)",
    )
    .bind(unit.as_str())
    .bind(row.document.as_str())
    .bind(json(row)?)
    .execute(&mut *conn)
    .await
    .context("appending a ledger row")?;
    Ok(())
}

async fn insert(
    tx: &mut sqlx::SqliteConnection,
    certificate: &Certificate,
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let unit = &certificate.unit;
    let sections = Sections {
        functions: certificate.functions.clone(),
        power_list: certificate.power_list.clone(),
        divisions: certificate.divisions.clone(),
        history: certificate.history.clone(),
        leadership_posts: certificate.leadership_posts.clone(),
    };
    sqlx::query(
        "INSERT INTO unit (id, region, name, credit_code, kind, supervising_department, parent, record, sections) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(unit.id.as_str())
    .bind(unit.region.division_code())
    .bind(unit.name.as_str())
    .bind(unit.credit_code.as_ref().map(|c| c.as_str().to_owned()))
    .bind(unit.kind.code())
    .bind(unit.supervising_department.as_ref().map(|u| u.as_str().to_owned()))
    .bind(unit.parent.as_ref().map(|u| u.as_str().to_owned()))
    .bind(json(unit)?)
    .bind(json(&sections)?)
    .execute(&mut *tx)
    .await
    .context("writing the unit")?;
    counts.units += 1;

    for (position, row) in certificate.ledger.rows().iter().enumerate() {
        sqlx::query(
            "INSERT INTO ledger_row (unit_id, position, document, row) VALUES (?, ?, ?, ?)",
        )
        .bind(unit.id.as_str())
        .bind(i64::try_from(position).context("ledger too long")?)
        .bind(row.document.as_str())
        .bind(json(row)?)
        .execute(&mut *tx)
        .await
        .context("writing a ledger row")?;
        counts.ledger_rows += 1;
    }
    for category in EstablishmentCategory::ALL {
        let figures = certificate.ledger.figures(*category);
        if figures.filled == Headcount::ZERO && figures.reserved == Headcount::ZERO {
            continue;
        }
        sqlx::query(
            "INSERT INTO ledger_count (unit_id, category, filled, reserved) VALUES (?, ?, ?, ?)",
        )
        .bind(unit.id.as_str())
        .bind(category.code())
        .bind(i64::from(figures.filled.get()))
        .bind(i64::from(figures.reserved.get()))
        .execute(&mut *tx)
        .await
        .context("writing the ledger counts")?;
    }
    for person in &certificate.staff {
        sqlx::query("INSERT INTO staff (id_number, unit_id, category, person) VALUES (?, ?, ?, ?)")
            .bind(person.id_number.as_str())
            .bind(unit.id.as_str())
            .bind(person.category.code())
            .bind(json(person)?)
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_unique_violation() => anyhow::anyhow!(
                    "身份证号 {} already holds a post elsewhere",
                    person.id_number.masked()
                ),
                _ => anyhow::Error::new(e).context("writing a person"),
            })?;
        counts.staff += 1;
    }
    for departed in &certificate.departed {
        sqlx::query(
            "INSERT INTO departed (unit_id, id_number, departed_on, record) VALUES (?, ?, ?, ?)",
        )
        .bind(unit.id.as_str())
        .bind(departed.person.id_number.as_str())
        .bind(departed.left_on.to_string())
        .bind(json(departed)?)
        .execute(&mut *tx)
        .await
        .context("writing a departed person")?;
        counts.departed += 1;
    }
    Ok(())
}

/// How many units, people and ledger rows the database holds.
pub async fn counts(pool: &SqlitePool) -> anyhow::Result<Counts> {
    let row = sqlx::query(
        "SELECT (SELECT count(*) FROM unit), (SELECT count(*) FROM staff), \
                (SELECT count(*) FROM departed), (SELECT count(*) FROM ledger_row)",
    )
    .fetch_one(pool)
    .await
    .context("counting records")?;
    let get = |i: usize| -> anyhow::Result<u64> {
        let n: i64 = row.try_get(i)?;
        Ok(u64::try_from(n)?)
    };
    Ok(Counts {
        units: get(0)?,
        staff: get(1)?,
        departed: get(2)?,
        ledger_rows: get(3)?,
    })
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str, what: &str) -> anyhow::Result<T> {
    serde_json::from_str(text).with_context(|| format!("stored {what} does not parse"))
}

/// Reads one unit's whole certificate, or `None` if there is no such unit. The stored
/// records are validated again by their `domain` types, and the ledger is rebuilt from its
/// document rows.
pub async fn read(pool: &SqlitePool, unit_id: &UnitId) -> anyhow::Result<Option<Certificate>> {
    let mut conn = pool.acquire().await.context("taking a connection")?;
    read_in(&mut conn, unit_id).await
}

/// [`read`] on a given connection, e.g. inside the transaction of an approval.
pub async fn read_in(
    conn: &mut SqliteConnection,
    unit_id: &UnitId,
) -> anyhow::Result<Option<Certificate>> {
    Ok(read_many(conn, std::slice::from_ref(unit_id))
        .await?
        .remove(unit_id))
}

/// The condition "is one of the ids in the JSON array bound here": one placeholder for any
/// number of ids, and the same statement text (and prepared statement) every time.
const IN_IDS: &str = "IN (SELECT value FROM json_each(?))";

/// The JSON array of `ids`, bound to [`IN_IDS`].
fn id_list<'a>(ids: impl IntoIterator<Item = &'a str>) -> anyhow::Result<String> {
    serde_json::to_string(&ids.into_iter().collect::<Vec<_>>()).context("listing ids")
}

/// Rows of `(unit id, JSON record)` grouped by unit, each unit's in the order read.
async fn grouped(
    conn: &mut SqliteConnection,
    sql: &str,
    ids: &str,
    what: &'static str,
) -> anyhow::Result<HashMap<String, Vec<String>>> {
    let mut by_unit: HashMap<String, Vec<String>> = HashMap::new();
    for (unit, record) in sqlx::query_as::<_, (String, String)>(sql)
        .bind(ids)
        .fetch_all(&mut *conn)
        .await
        .with_context(|| format!("reading the {what}"))?
    {
        by_unit.entry(unit).or_default().push(record);
    }
    Ok(by_unit)
}

fn parse_all<T: for<'de> Deserialize<'de>>(
    texts: Option<Vec<String>>,
    what: &str,
) -> anyhow::Result<Vec<T>> {
    texts
        .unwrap_or_default()
        .iter()
        .map(|text| parse(text, what))
        .collect()
}

/// The stored figures of one unit: filled and reserved per category.
type Counted = (
    BTreeMap<EstablishmentCategory, Headcount>,
    BTreeMap<EstablishmentCategory, Headcount>,
);

/// The ledgers of the units in `ids` (a [`id_list`]): rows and counts, two queries.
async fn ledgers(
    conn: &mut SqliteConnection,
    ids: &str,
) -> anyhow::Result<HashMap<String, UnitLedger>> {
    let mut rows = grouped(
        conn,
        &format!(
            "SELECT unit_id, row FROM ledger_row WHERE unit_id {IN_IDS} ORDER BY unit_id, position"
        ),
        ids,
        "ledger",
    )
    .await?;
    let mut counts: HashMap<String, Counted> = HashMap::new();
    for row in sqlx::query(&format!(
        "SELECT unit_id, category, filled, reserved FROM ledger_count WHERE unit_id {IN_IDS}"
    ))
    .bind(ids)
    .fetch_all(&mut *conn)
    .await
    .context("reading the ledger counts")?
    {
        let code: String = row.try_get("category")?;
        let category = EstablishmentCategory::from_code(&code)
            .with_context(|| format!("unknown establishment category {code:?}"))?;
        let count = |name: &str| -> anyhow::Result<Headcount> {
            let n: i64 = row.try_get(name)?;
            Ok(Headcount::new(u32::try_from(n)?))
        };
        let (filled, reserved) = counts.entry(row.try_get("unit_id")?).or_default();
        filled.insert(category, count("filled")?);
        reserved.insert(category, count("reserved")?);
    }
    let units: Vec<String> = rows.keys().chain(counts.keys()).cloned().collect();
    let mut ledgers = HashMap::new();
    for unit in units {
        if ledgers.contains_key(&unit) {
            continue;
        }
        let rows: Vec<LedgerRow> = parse_all(rows.remove(&unit), "ledger row")?;
        let (filled, reserved) = counts.remove(&unit).unwrap_or_default();
        let ledger = UnitLedger::from_parts(rows, filled, reserved).map_err(|e| {
            anyhow::anyhow!(
                "stored ledger of {unit} is inconsistent: {}",
                e.message_en()
            )
        })?;
        ledgers.insert(unit, ledger);
    }
    Ok(ledgers)
}

/// One unit's ledger alone (rows and counts, two queries): what a check of its figures needs,
/// without its staff. Empty for a unit that does not exist.
pub async fn read_ledger(
    conn: &mut SqliteConnection,
    unit_id: &UnitId,
) -> anyhow::Result<UnitLedger> {
    let ids = id_list([unit_id.as_str()])?;
    Ok(ledgers(conn, &ids)
        .await?
        .remove(unit_id.as_str())
        .unwrap_or_default())
}

/// The whole certificates of `unit_ids`, as [`read`] reads one, with nine queries whatever their
/// number (each table read once for all of them). Units that do not exist are left out.
pub async fn read_many(
    conn: &mut SqliteConnection,
    unit_ids: &[UnitId],
) -> anyhow::Result<BTreeMap<UnitId, Certificate>> {
    read_many_stored(conn, unit_ids)
        .await?
        .into_iter()
        .map(|(id, stored)| Ok((id, stored.parse()?)))
        .collect()
}

/// A certificate as a pull sends it: all but its people read back as domain values (checked as
/// they are read), its people as the JSON they were stored as (checked when they were written),
/// so that sending them costs no parsing and no serialising of each person.
#[derive(Debug)]
pub struct StoredCertificate {
    /// With `staff` and `departed` empty.
    pub certificate: Certificate,
    /// The JSON of each `Person`, in the certificate's order.
    pub staff: Vec<String>,
    /// The JSON of each `DepartedPerson`, in the certificate's order.
    pub departed: Vec<String>,
}

impl StoredCertificate {
    /// How many people (staff and departed) it carries.
    pub fn people(&self) -> u64 {
        (self.staff.len() + self.departed.len()) as u64
    }

    /// The JSON of the whole `Certificate`: byte for byte what serialising it with its people
    /// gives (`staff` and `departed` are its last fields), the people copied in as stored.
    pub fn to_json(&self) -> anyhow::Result<String> {
        const EMPTY_PEOPLE: &str = r#","staff":[],"departed":[]}"#;
        let without =
            serde_json::to_string(&self.certificate).context("serialising a certificate")?;
        let head = without
            .strip_suffix(EMPTY_PEOPLE)
            .context("a certificate's people are no longer its last fields")?;
        let people: usize = self
            .staff
            .iter()
            .chain(&self.departed)
            .map(|p| p.len() + 1)
            .sum();
        let mut json = String::with_capacity(head.len() + people + EMPTY_PEOPLE.len());
        json.push_str(head);
        for (name, list) in [
            (",\"staff\":[", &self.staff),
            ("],\"departed\":[", &self.departed),
        ] {
            json.push_str(name);
            for (i, person) in list.iter().enumerate() {
                if i > 0 {
                    json.push(',');
                }
                json.push_str(person);
            }
        }
        json.push_str("]}");
        Ok(json)
    }

    /// The whole `Certificate`, its people parsed (and so checked) too.
    pub fn parse(self) -> anyhow::Result<Certificate> {
        Ok(Certificate {
            staff: parse_all(Some(self.staff), "person")?,
            departed: parse_all(Some(self.departed), "departed person")?,
            ..self.certificate
        })
    }
}

/// The certificates of `unit_ids` as [`read_many`] reads them, but with their people as stored
/// ([`StoredCertificate`]).
pub async fn read_many_stored(
    conn: &mut SqliteConnection,
    unit_ids: &[UnitId],
) -> anyhow::Result<BTreeMap<UnitId, StoredCertificate>> {
    let mut certificates = BTreeMap::new();
    if unit_ids.is_empty() {
        return Ok(certificates);
    }
    let ids = id_list(unit_ids.iter().map(UnitId::as_str))?;
    let units = sqlx::query(&format!(
        "SELECT id, record, sections FROM unit WHERE id {IN_IDS}"
    ))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .context("reading the units")?;
    if units.is_empty() {
        return Ok(certificates);
    }
    let mut ledgers = ledgers(conn, &ids).await?;
    let mut staff = grouped(
        conn,
        &format!(
            "SELECT unit_id, person FROM staff WHERE unit_id {IN_IDS} ORDER BY unit_id, id_number"
        ),
        &ids,
        "staff",
    )
    .await?;
    let mut departed = grouped(
        conn,
        &format!(
            "SELECT unit_id, record FROM departed WHERE unit_id {IN_IDS} ORDER BY unit_id, id"
        ),
        &ids,
        "departed staff",
    )
    .await?;
    let mut slips = grouped(
        conn,
        &format!(
            "SELECT unit_id, record FROM slip WHERE unit_id {IN_IDS} \
             ORDER BY unit_id, issued_on, number"
        ),
        &ids,
        "slips",
    )
    .await?;
    let mut issued = grouped(
        conn,
        &format!(
            "SELECT unit_id, record FROM issued_document WHERE unit_id {IN_IDS} \
             ORDER BY unit_id, rowid"
        ),
        &ids,
        "issued documents",
    )
    .await?;
    let mut record_changes = grouped(
        conn,
        &format!(
            "SELECT unit_id, record FROM record_change WHERE unit_id {IN_IDS} ORDER BY unit_id, id"
        ),
        &ids,
        "record changes",
    )
    .await?;
    let mut affiliates: HashMap<String, Vec<Affiliate>> = HashMap::new();
    for row in sqlx::query(&format!(
        "SELECT parent, id, name FROM unit WHERE parent {IN_IDS} ORDER BY parent, id"
    ))
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await
    .context("reading the affiliates")?
    {
        affiliates
            .entry(row.try_get("parent")?)
            .or_default()
            .push(Affiliate {
                unit: UnitId::parse(row.try_get("id")?)
                    .map_err(|e| anyhow::anyhow!(e.message_en()))?,
                name: domain::Name::parse(row.try_get("name")?)
                    .map_err(|e| anyhow::anyhow!(e.message_en()))?,
            });
    }

    for row in units {
        let id: String = row.try_get("id")?;
        let unit: UnitRecord = parse(row.try_get("record")?, "unit record")?;
        let sections: Sections = parse(row.try_get("sections")?, "certificate sections")?;
        let certificate = Certificate {
            functions: sections.functions,
            power_list: sections.power_list,
            divisions: sections.divisions,
            affiliates: affiliates.remove(&id).unwrap_or_default(),
            history: sections.history,
            ledger: ledgers.remove(&id).unwrap_or_default(),
            leadership_posts: sections.leadership_posts,
            slips: parse_all(slips.remove(&id), "slip")?,
            issued: parse_all(issued.remove(&id), "issued document")?,
            record_changes: parse_all(record_changes.remove(&id), "record change")?,
            staff: Vec::new(),
            departed: Vec::new(),
            unit,
        };
        certificates.insert(
            certificate.unit.id.clone(),
            StoredCertificate {
                certificate,
                staff: staff.remove(&id).unwrap_or_default(),
                departed: departed.remove(&id).unwrap_or_default(),
            },
        );
    }
    Ok(certificates)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn fresh() -> (tempfile::TempDir, SqlitePool) {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("db.sqlite3"))
            .await
            .unwrap();
        (dir, pool)
    }

    fn normalised(mut certificate: Certificate) -> Certificate {
        certificate
            .staff
            .sort_by(|a, b| a.id_number.cmp(&b.id_number));
        certificate.affiliates.sort_by(|a, b| a.unit.cmp(&b.unit));
        certificate
    }

    #[tokio::test]
    async fn a_loaded_city_reads_back_unchanged() {
        let (_dir, pool) = fresh().await;
        let city = demo::generate(7, demo::Size::Tiny);
        let counts = load(&pool, &city.certificates).await.unwrap();
        assert_eq!(counts.units, city.certificates.len() as u64);
        assert_eq!(
            counts.staff,
            city.certificates
                .iter()
                .map(|c| c.staff.len() as u64)
                .sum::<u64>()
        );
        assert_eq!(super::counts(&pool).await.unwrap(), counts);
        let action: String = sqlx::query_scalar("SELECT action FROM audit_log")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(action, "certificates.load");
        for certificate in &city.certificates {
            let read = read(&pool, &certificate.unit.id).await.unwrap().unwrap();
            assert_eq!(normalised(read), normalised(certificate.clone()));
        }
        let missing = UnitId::parse("no-such-unit").unwrap();
        assert!(read(&pool, &missing).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn certificates_read_together_equal_each_read_alone() {
        let (_dir, pool) = fresh().await;
        let city = demo::generate(11, demo::Size::Small);
        load(&pool, &city.certificates).await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let mut ids: Vec<UnitId> = city
            .certificates
            .iter()
            .map(|c| c.unit.id.clone())
            .collect();
        ids.push(UnitId::parse("no-such-unit").unwrap());
        let together = read_many(&mut conn, &ids).await.unwrap();
        assert_eq!(
            together.len(),
            city.certificates.len(),
            "the missing unit is left out"
        );
        for certificate in &city.certificates {
            let id = &certificate.unit.id;
            let alone = read_in(&mut conn, id).await.unwrap().unwrap();
            assert_eq!(together[id], alone);
            // The same JSON as sent to clients, and the certificate that was loaded.
            assert_eq!(
                serde_json::to_value(&together[id]).unwrap(),
                serde_json::to_value(&alone).unwrap()
            );
            assert_eq!(normalised(alone), normalised(certificate.clone()));
            assert_eq!(
                read_ledger(&mut conn, id).await.unwrap(),
                certificate.ledger
            );
        }
        // As a pull sends them: the same JSON, the people copied in as stored.
        for (id, stored) in read_many_stored(&mut conn, &ids).await.unwrap() {
            assert_eq!(
                stored.to_json().unwrap(),
                serde_json::to_string(&together[&id]).unwrap()
            );
        }
        // In other batches and another order: the same certificates.
        ids.reverse();
        for chunk in ids.chunks(17) {
            for (id, certificate) in read_many(&mut conn, chunk).await.unwrap() {
                assert_eq!(certificate, together[&id]);
            }
        }
        assert!(read_many(&mut conn, &[]).await.unwrap().is_empty());
        let missing = UnitId::parse("no-such-unit").unwrap();
        assert_eq!(
            read_ledger(&mut conn, &missing).await.unwrap(),
            UnitLedger::new()
        );
    }

    #[tokio::test]
    async fn one_person_cannot_hold_two_posts_and_a_failed_load_writes_nothing() {
        let (_dir, pool) = fresh().await;
        let mut city = demo::generate(7, demo::Size::Tiny).certificates;
        // Put the first unit's first person into the last unit's staff as well, keeping that
        // unit's own ledger consistent by swapping out one of its people.
        let first = city[0].staff[0].clone();
        let last = city.len() - 1;
        let same_category = city[last]
            .staff
            .iter()
            .position(|p| p.category == first.category);
        let Some(at) = same_category else {
            panic!("the tiny city should repeat a category between its first and last unit");
        };
        city[last].staff[at] = first;
        let err = load(&pool, &city).await.unwrap_err();
        assert!(err.to_string().contains("already holds a post"), "{err}");
        assert_eq!(super::counts(&pool).await.unwrap(), Counts::default());
        let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(audited, 0, "a failed load leaves no audit entry either");
    }

    #[tokio::test]
    async fn a_certificate_that_breaks_a_rule_is_refused_before_anything_is_written() {
        let (_dir, pool) = fresh().await;
        let mut city = demo::generate(7, demo::Size::Tiny).certificates;
        // One person too many: the staff no longer agrees with the ledger's filled figure.
        let extra = city[0].staff[0].clone();
        city[0].staff.push(extra);
        let err = load(&pool, &city).await.unwrap_err();
        assert!(matches!(err, LoadError::Invalid { .. }), "{err}");
        assert_eq!(super::counts(&pool).await.unwrap(), Counts::default());
    }

    #[tokio::test]
    async fn a_unit_must_come_after_its_supervising_department() {
        let (_dir, pool) = fresh().await;
        let city = demo::generate(7, demo::Size::Tiny).certificates;
        let child = city
            .iter()
            .find(|c| c.unit.parent.is_some())
            .expect("the tiny city has an affiliate")
            .clone();
        let err = load(&pool, &[child]).await.unwrap_err();
        assert!(matches!(err, LoadError::UnknownReference { .. }), "{err}");
    }
}
