//! One unit's establishment book as approvals change it, and the figures the vacancy rule of a
//! quota-use request reads ([`vacancies`]: columns, no ledger rows parsed): read as a `domain::UnitBook` (ledger,
//! staff, departed staff and quota-use slips, checked for consistency), the changed ledger
//! figures and issued slips written back, and the bureaus' numbering counters
//! (`domain::slip::Numbering`) kept per bureau, kind of document and year. Every function takes
//! the connection of the caller's `BEGIN IMMEDIATE` transaction, so that reading, the domain's
//! decision and writing are one step.

use std::collections::HashMap;

use anyhow::Context;
use domain::ledger::{Figures, claims_vacancy};
use domain::person::{DepartedPerson, Person};
use domain::slip::{IssuedDocumentKind, QuotaUseSlip};
use domain::unit::UnitRecord;
use domain::{
    ApplicationId, ApplicationKind, ApplicationStatus, Bureau, DocumentNumber,
    EstablishmentCategory, Headcount, IdNumber, IssuedDocument, Numbering, PostHolding,
    RecordChangeEntry, UnitBook,
};
use sqlx::SqliteConnection;

use crate::db::certificates;

/// The book of `unit`, or `None` if there is no such unit.
pub async fn load_book(
    conn: &mut SqliteConnection,
    unit: &domain::UnitId,
) -> anyhow::Result<Option<UnitBook>> {
    let Some(certificate) = certificates::read_in(conn, unit).await? else {
        return Ok(None);
    };
    let book = UnitBook::from_parts(
        certificate.unit.id,
        certificate.ledger,
        certificate.staff,
        certificate.departed,
        certificate.slips,
    )
    .map_err(|e| anyhow::anyhow!("stored book of {unit} is inconsistent: {e}"))?;
    Ok(Some(book))
}

/// What the vacancy rule of a quota-use request reads, for each of `pairs` (unit, category), in
/// one query over columns: the unit's figures in the category (`ledger_approved`,
/// `ledger_count`), and what its quota-use requests that still claim posts of its vacancy
/// (`domain::ledger::claims_vacancy`: those awaiting a decision) ask for in that category — the
/// sum `domain::ledger::outstanding_posts` makes, saturated likewise (`application`).
pub async fn vacancies(
    conn: &mut SqliteConnection,
    pairs: &[(&domain::UnitId, EstablishmentCategory)],
) -> anyhow::Result<HashMap<(domain::UnitId, EstablishmentCategory), (Figures, Headcount)>> {
    if pairs.is_empty() {
        return Ok(HashMap::new());
    }
    let claiming: Vec<&str> = ApplicationStatus::ALL
        .iter()
        .filter(|status| claims_vacancy(**status))
        .map(|status| status.code())
        .collect();
    let list: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(unit, category)| (unit.as_str(), category.code()))
        .collect();
    let rows: Vec<(String, String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.unit, p.category, \
         coalesce((SELECT approved FROM ledger_approved a \
                   WHERE a.unit_id = p.unit AND a.category = p.category), 0), \
         coalesce((SELECT filled FROM ledger_count c \
                   WHERE c.unit_id = p.unit AND c.category = p.category), 0), \
         coalesce((SELECT reserved FROM ledger_count c \
                   WHERE c.unit_id = p.unit AND c.category = p.category), 0), \
         (SELECT coalesce(sum(count), 0) FROM application x WHERE x.unit_id = p.unit \
          AND x.kind = ?2 AND x.category = p.category \
          AND x.status IN (SELECT value FROM json_each(?3))) \
         FROM (SELECT value ->> 0 AS unit, value ->> 1 AS category FROM json_each(?1)) p",
    )
    .bind(serde_json::to_string(&list).context("listing units")?)
    .bind(ApplicationKind::QuotaUse.code())
    .bind(serde_json::to_string(&claiming).context("listing statuses")?)
    .fetch_all(&mut *conn)
    .await
    .context("reading the vacancies")?;
    let mut out = HashMap::with_capacity(rows.len());
    for (unit, category, approved, filled, reserved, outstanding) in rows {
        let unit = domain::UnitId::parse(&unit).map_err(|e| anyhow::anyhow!(e.message_en()))?;
        let category = EstablishmentCategory::from_code(&category)
            .with_context(|| format!("unknown establishment category {category:?}"))?;
        let facts = facts(&unit, approved, filled, reserved, outstanding)?;
        out.insert((unit, category), facts);
    }
    Ok(out)
}

/// The figures and the outstanding claim, from the stored numbers.
fn facts(
    unit: &domain::UnitId,
    approved: i64,
    filled: i64,
    reserved: i64,
    outstanding: i64,
) -> anyhow::Result<(Figures, Headcount)> {
    let headcount = |n: i64| -> anyhow::Result<Headcount> {
        Ok(Headcount::new(u32::try_from(n).with_context(|| {
            format!("stored figure {n} of {unit} is out of range")
        })?))
    };
    let figures = Figures {
        approved: headcount(approved)?,
        filled: headcount(filled)?,
        reserved: headcount(reserved)?,
    };
    Ok((
        figures,
        Headcount::new(u32::try_from(outstanding.max(0)).unwrap_or(u32::MAX)),
    ))
}

/// Writes the filled and reserved figures of `category` from `book`'s ledger.
pub async fn save_figures(
    conn: &mut SqliteConnection,
    book: &UnitBook,
    category: EstablishmentCategory,
) -> anyhow::Result<()> {
    let figures = book.ledger().figures(category);
    sqlx::query(
        "INSERT INTO ledger_count (unit_id, category, filled, reserved) VALUES (?, ?, ?, ?) \
         ON CONFLICT (unit_id, category) DO UPDATE SET filled = excluded.filled, reserved = excluded.reserved",
    )
    .bind(book.unit().as_str())
    .bind(category.code())
    .bind(i64::from(figures.filled.get()))
    .bind(i64::from(figures.reserved.get()))
    .execute(&mut *conn)
    .await
    .context("writing the ledger counts")?;
    Ok(())
}

/// Stores a slip just issued on `application`.
pub async fn insert_slip(
    conn: &mut SqliteConnection,
    slip: &QuotaUseSlip,
    application: &ApplicationId,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO slip (number, unit_id, application_id, category, count, remaining, issued_on, \
         valid_until, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(slip.number.as_str())
    .bind(slip.unit.as_str())
    .bind(application.as_str())
    .bind(slip.category.code())
    .bind(i64::from(slip.count.get()))
    .bind(i64::from(slip.remaining().get()))
    .bind(slip.issued_on.to_string())
    .bind(slip.valid_until.to_string())
    .bind(serde_json::to_string(slip).context("serialising the slip")?)
    .execute(&mut *conn)
    .await
    .context("writing the slip")?;
    Ok(())
}

/// The numbering of `bureau` for `kind` in `year`, continuing after the last number issued.
pub async fn numbering(
    conn: &mut SqliteConnection,
    bureau: Bureau,
    kind: IssuedDocumentKind,
    year: u16,
) -> anyhow::Result<Numbering> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT last FROM numbering WHERE bureau = ? AND kind = ? AND year = ?")
            .bind(bureau.region().division_code())
            .bind(kind.code())
            .bind(i64::from(year))
            .fetch_optional(&mut *conn)
            .await
            .context("reading the numbering")?;
    let mut numbering = Numbering::new();
    if let Some(last) = last {
        numbering.set_last(bureau, kind, year, u32::try_from(last)?);
    }
    Ok(numbering)
}

/// Records `number` as the last one `bureau` issued for `kind` in its year (never lowers it).
pub async fn record_issued(
    conn: &mut SqliteConnection,
    bureau: Bureau,
    kind: IssuedDocumentKind,
    number: &DocumentNumber,
) -> anyhow::Result<()> {
    set_last(conn, bureau, kind, number.year(), number.sequence()).await
}

/// Raises the last number of `bureau`, `kind` and `year` to `last`.
pub async fn set_last(
    conn: &mut SqliteConnection,
    bureau: Bureau,
    kind: IssuedDocumentKind,
    year: u16,
    last: u32,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO numbering (bureau, kind, year, last) VALUES (?, ?, ?, ?) \
         ON CONFLICT (bureau, kind, year) DO UPDATE SET last = max(last, excluded.last)",
    )
    .bind(bureau.region().division_code())
    .bind(kind.code())
    .bind(i64::from(year))
    .bind(i64::from(last))
    .execute(&mut *conn)
    .await
    .context("writing the numbering")?;
    Ok(())
}

/// The post `id` holds, wherever it is (`staff.id_number` is the deployment's one-post rule).
pub async fn post_holding(
    conn: &mut SqliteConnection,
    id: &IdNumber,
) -> anyhow::Result<Option<PostHolding>> {
    let Some((unit, category)): Option<(String, String)> =
        sqlx::query_as("SELECT unit_id, category FROM staff WHERE id_number = ?")
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await
            .context("looking up a post")?
    else {
        return Ok(None);
    };
    Ok(Some(PostHolding {
        unit: domain::UnitId::parse(&unit).map_err(|e| anyhow::anyhow!(e.message_en()))?,
        category: EstablishmentCategory::from_code(&category)
            .with_context(|| format!("unknown establishment category {category:?}"))?,
    }))
}

/// A person who entered `unit`'s staff.
pub async fn insert_staff(
    conn: &mut SqliteConnection,
    unit: &domain::UnitId,
    person: &Person,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO staff (id_number, unit_id, category, person) VALUES (?, ?, ?, ?)")
        .bind(person.id_number.as_str())
        .bind(unit.as_str())
        .bind(person.category.code())
        .bind(serde_json::to_string(person).context("serialising a person")?)
        .execute(&mut *conn)
        .await
        .context("writing a person")?;
    Ok(())
}

/// A person's changed record (same post).
pub async fn update_staff(conn: &mut SqliteConnection, person: &Person) -> anyhow::Result<()> {
    let changed = sqlx::query("UPDATE staff SET person = ? WHERE id_number = ?")
        .bind(serde_json::to_string(person).context("serialising a person")?)
        .bind(person.id_number.as_str())
        .execute(&mut *conn)
        .await
        .context("updating a person")?
        .rows_affected();
    anyhow::ensure!(changed == 1, "the person to update is not on the staff");
    Ok(())
}

/// A person who left `unit`: off the staff, into its departed staff.
pub async fn move_to_departed(
    conn: &mut SqliteConnection,
    unit: &domain::UnitId,
    departed: &DepartedPerson,
) -> anyhow::Result<()> {
    let id = departed.person.id_number.as_str();
    let removed = sqlx::query("DELETE FROM staff WHERE id_number = ? AND unit_id = ?")
        .bind(id)
        .bind(unit.as_str())
        .execute(&mut *conn)
        .await
        .context("removing a person from the staff")?
        .rows_affected();
    anyhow::ensure!(removed == 1, "the person who left was not on the staff");
    sqlx::query(
        "INSERT INTO departed (unit_id, id_number, departed_on, record) VALUES (?, ?, ?, ?)",
    )
    .bind(unit.as_str())
    .bind(id)
    .bind(departed.left_on.to_string())
    .bind(serde_json::to_string(departed).context("serialising a departed person")?)
    .execute(&mut *conn)
    .await
    .context("writing a departed person")?;
    Ok(())
}

/// A unit's changed record (its name and credit code columns with it).
pub async fn update_unit(conn: &mut SqliteConnection, unit: &UnitRecord) -> anyhow::Result<()> {
    sqlx::query("UPDATE unit SET name = ?, credit_code = ?, record = ? WHERE id = ?")
        .bind(unit.name.as_str())
        .bind(unit.credit_code.as_ref().map(|c| c.as_str().to_owned()))
        .bind(serde_json::to_string(unit).context("serialising a unit")?)
        .bind(unit.id.as_str())
        .execute(&mut *conn)
        .await
        .context("updating a unit's record")?;
    Ok(())
}

/// Whether another unit than `unit` has this name or credit code (both unique).
pub async fn name_taken(conn: &mut SqliteConnection, unit: &UnitRecord) -> anyhow::Result<bool> {
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM unit WHERE id <> ? AND (name = ? OR credit_code = ?) LIMIT 1",
    )
    .bind(unit.id.as_str())
    .bind(unit.name.as_str())
    .bind(unit.credit_code.as_ref().map(|c| c.as_str().to_owned()))
    .fetch_optional(&mut *conn)
    .await
    .context("looking up a unit name")?;
    Ok(taken.is_some())
}

/// A slip's use or release, as the book now has it.
pub async fn update_slip(conn: &mut SqliteConnection, slip: &QuotaUseSlip) -> anyhow::Result<()> {
    sqlx::query("UPDATE slip SET remaining = ?, released = ?, record = ? WHERE number = ?")
        .bind(i64::from(slip.remaining().get()))
        .bind(i64::from(slip.released))
        .bind(serde_json::to_string(slip).context("serialising the slip")?)
        .bind(slip.number.as_str())
        .execute(&mut *conn)
        .await
        .context("updating the slip")?;
    Ok(())
}

/// A document a bureau issued.
pub async fn insert_issued(
    conn: &mut SqliteConnection,
    document: &IssuedDocument,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO issued_document (number, unit_id, kind, application_id, record) \
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(document.number.as_str())
    .bind(document.unit.as_str())
    .bind(document.kind.code())
    .bind(document.application_id.as_str())
    .bind(serde_json::to_string(document).context("serialising an issued document")?)
    .execute(&mut *conn)
    .await
    .context("writing an issued document")?;
    Ok(())
}

/// An approved record change with its old values, in `unit`'s history.
pub async fn insert_record_change(
    conn: &mut SqliteConnection,
    unit: &domain::UnitId,
    entry: &RecordChangeEntry,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO record_change (unit_id, application_id, record) VALUES (?, ?, ?)")
        .bind(unit.as_str())
        .bind(entry.application_id.as_str())
        .bind(serde_json::to_string(entry).context("serialising a record change")?)
        .execute(&mut *conn)
        .await
        .context("writing a record change")?;
    Ok(())
}

/// Slips issued before the documents a bureau issues were recorded (`issued_document`): each
/// slip with its application and the reviewer who approved it, if on record.
pub async fn slips_without_document(
    conn: &mut SqliteConnection,
) -> anyhow::Result<Vec<(QuotaUseSlip, ApplicationId, Option<String>)>> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT s.record, s.application_id, \
         (SELECT d.decider FROM decision d WHERE d.application_id = s.application_id \
          AND d.status = 'accepted' AND d.action = 'approve' ORDER BY d.id DESC LIMIT 1) \
         FROM slip s WHERE NOT EXISTS (SELECT 1 FROM issued_document i WHERE i.number = s.number) \
         ORDER BY s.issued_on, s.number",
    )
    .fetch_all(&mut *conn)
    .await
    .context("reading slips without their issued document")?;
    rows.into_iter()
        .map(|(record, application, decider)| {
            Ok((
                serde_json::from_str(&record).context("stored slip does not parse")?,
                ApplicationId::parse(&application).map_err(|e| anyhow::anyhow!(e.message_en()))?,
                decider,
            ))
        })
        .collect()
}

/// The units holding a slip that still reserves posts although its validity ended before
/// `today` (an indexed query: usually none).
pub async fn units_with_lapsed_slips(
    conn: &mut SqliteConnection,
    today: domain::Date,
) -> anyhow::Result<Vec<domain::UnitId>> {
    sqlx::query_scalar::<_, String>(
        "SELECT DISTINCT unit_id FROM slip \
         WHERE released = 0 AND remaining > 0 AND valid_until < ? ORDER BY unit_id",
    )
    .bind(today.to_string())
    .fetch_all(&mut *conn)
    .await
    .context("looking for lapsed slips")?
    .iter()
    .map(|id| domain::UnitId::parse(id).map_err(|e| anyhow::anyhow!(e.message_en())))
    .collect()
}

/// How many numbering counters there are (one per bureau, kind of document and year).
pub async fn counters(conn: &mut SqliteConnection) -> anyhow::Result<u64> {
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM numbering")
        .fetch_one(&mut *conn)
        .await
        .context("counting the numbering counters")?;
    Ok(u64::try_from(count)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Region;

    #[tokio::test]
    async fn a_demo_unit_reads_as_a_consistent_book_and_numbering_continues() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("db.sqlite3"))
            .await
            .unwrap();
        let city = demo::generate(7, demo::Size::Tiny);
        certificates::load(&pool, &city.certificates).await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let unit = &city.certificates[0].unit.id;
        let book = load_book(&mut conn, unit).await.unwrap().unwrap();
        assert_eq!(book.ledger(), &city.certificates[0].ledger);
        let missing = domain::UnitId::parse("no-such-unit").unwrap();
        assert!(load_book(&mut conn, &missing).await.unwrap().is_none());

        let bureau = Region::Qinzhou.bureau();
        let kind = IssuedDocumentKind::QuotaUseSlip;
        set_last(&mut conn, bureau, kind, 2026, 5).await.unwrap();
        set_last(&mut conn, bureau, kind, 2026, 3).await.unwrap();
        let on = domain::Date::parse("2026-05-01").unwrap();
        let mut numbering = numbering(&mut conn, bureau, kind, 2026).await.unwrap();
        let number = numbering.issue(bureau, kind, on).unwrap();
        assert_eq!(number.as_str(), "秦州编用〔2026〕0006号");
        record_issued(&mut conn, bureau, kind, &number)
            .await
            .unwrap();
        let next = super::numbering(&mut conn, bureau, kind, 2026)
            .await
            .unwrap()
            .issue(bureau, kind, on)
            .unwrap();
        assert_eq!(next.sequence(), 7);
        // Another year starts again at 1, another bureau has its own counter.
        let fresh = super::numbering(&mut conn, bureau, kind, 2027)
            .await
            .unwrap()
            .issue(bureau, kind, domain::Date::parse("2027-01-02").unwrap())
            .unwrap();
        assert_eq!(fresh.sequence(), 1);
        let city_bureau = super::numbering(&mut conn, Region::Tianshui.bureau(), kind, 2026)
            .await
            .unwrap()
            .issue(Region::Tianshui.bureau(), kind, on)
            .unwrap();
        assert_eq!(city_bureau.as_str(), "天编用〔2026〕0001号");
    }
}
