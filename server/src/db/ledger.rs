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
use domain::slip::{IssuedDocumentKind, QuotaUseSlip};
use domain::{
    ApplicationId, ApplicationKind, ApplicationStatus, Bureau, DocumentNumber,
    EstablishmentCategory, Headcount, Numbering, UnitBook,
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
