//! The units a holder may read, as an SQL condition on `unit u`, so that a pull selects its
//! scope with the indexes (`unit.region`, `unit.supervising_department`, `unit.parent`) instead
//! of loading every certificate to ask `Grant::may_read`. The condition mirrors `may_read`
//! exactly (a test compares the two over the demo city), and the pull still asks `may_read` of
//! every certificate it sends.
//!
//! The snapshot of a pull lists the scope's units with it ([`units_after`], [`progress`]); the
//! change log's rows of a scope are [`super::changes::scoped_after`].

use anyhow::Context;
use domain::{Grant, Region, Scope, UnitId};
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Row, Sqlite};

use super::Conn;

/// An SQL condition on the alias `u` of table `unit`, with its bound values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeSql {
    condition: String,
    binds: Vec<String>,
}

impl ScopeSql {
    /// The condition selecting the units `grant` may read.
    pub fn of(grant: &Grant) -> ScopeSql {
        match grant.scope() {
            Scope::Unit(own) => ScopeSql {
                condition: "(u.id = ? OR u.parent = ?)".into(),
                binds: vec![own.to_string(); 2],
            },
            Scope::Department(department) => ScopeSql {
                condition: "(u.id = ? OR u.supervising_department = ? OR u.parent = ?)".into(),
                binds: vec![department.to_string(); 3],
            },
            Scope::Region(region) => {
                let codes: Vec<String> = Region::ALL
                    .iter()
                    .filter(|r| region.contains(**r))
                    .map(|r| r.division_code().to_owned())
                    .collect();
                ScopeSql {
                    condition: format!("u.region IN ({})", vec!["?"; codes.len()].join(", ")),
                    binds: codes,
                }
            }
        }
    }

    /// The condition, to be placed in a query before any other placeholder.
    pub fn condition(&self) -> &str {
        &self.condition
    }

    /// Binds the condition's values (call it first, then bind the query's own values).
    pub fn bind<'q>(
        &self,
        mut query: Query<'q, Sqlite, SqliteArguments<'q>>,
    ) -> Query<'q, Sqlite, SqliteArguments<'q>> {
        for value in &self.binds {
            query = query.bind(value.clone());
        }
        query
    }
}

/// Up to `limit` units of the scope (not removed) after `after` (all from the first when `None`), in id
/// order, each with its weight on a pull page: 1 + its staff + its departed + its applications.
pub async fn units_after(
    conn: &mut Conn,
    scope: &ScopeSql,
    after: Option<&UnitId>,
    limit: i64,
) -> anyhow::Result<Vec<(UnitId, u64)>> {
    let sql = format!(
        "SELECT u.id, 1 + (SELECT count(*) FROM staff s WHERE s.unit_id = u.id) \
         + (SELECT count(*) FROM departed d WHERE d.unit_id = u.id) \
         + (SELECT count(*) FROM application a WHERE a.unit_id = u.id) AS weight \
         FROM unit u WHERE {} AND u.removed_at IS NULL AND u.id > ? ORDER BY u.id LIMIT ?",
        scope.condition()
    );
    scope
        .bind(sqlx::query(&sql))
        .bind(after.map_or("", UnitId::as_str).to_owned())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .context("listing the units of a scope")?
        .iter()
        .map(|row| -> anyhow::Result<(UnitId, u64)> {
            let id: String = row.try_get("id")?;
            let weight: i64 = row.try_get("weight")?;
            Ok((
                UnitId::parse(&id).map_err(|e| anyhow::anyhow!(e.message_en()))?,
                u64::try_from(weight)?,
            ))
        })
        .collect()
}

/// How many units the scope has, and how many of them come up to `after` in id order:
/// `(done, total)`.
pub async fn progress(
    conn: &mut Conn,
    scope: &ScopeSql,
    after: Option<&UnitId>,
) -> anyhow::Result<(u64, u64)> {
    let sql = format!(
        "SELECT count(*) AS total, count(CASE WHEN u.id <= ? THEN 1 END) AS done \
         FROM unit u WHERE {} AND u.removed_at IS NULL",
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
    Ok((count("done")?, count("total")?))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use domain::Role;
    use sqlx::Row;

    use super::*;

    #[tokio::test]
    async fn the_sql_scope_is_exactly_may_read_over_the_demo_city() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("db.sqlite3"))
            .await
            .unwrap();
        let city = demo::generate(11, demo::Size::Tiny);
        crate::db::certificates::load(&pool, &city.certificates)
            .await
            .unwrap();
        let mut grants = Vec::new();
        for certificate in &city.certificates {
            let id = &certificate.unit.id;
            grants.push(Grant::new(Role::UnitClerk, Scope::Unit(id.clone())).unwrap());
            grants.push(Grant::new(Role::Supervisor, Scope::Department(id.clone())).unwrap());
        }
        for region in Region::ALL {
            grants.push(Grant::new(Role::BureauReviewer, Scope::Region(*region)).unwrap());
        }
        let mut nonempty_strict_subsets = 0;
        for grant in &grants {
            let sql = ScopeSql::of(grant);
            let text = format!(
                "SELECT u.id FROM unit u WHERE {} ORDER BY u.id",
                sql.condition()
            );
            let selected: BTreeSet<String> = sql
                .bind(sqlx::query(&text))
                .fetch_all(&pool)
                .await
                .unwrap()
                .iter()
                .map(|row| row.get::<String, _>("id"))
                .collect();
            let readable: BTreeSet<String> = city
                .certificates
                .iter()
                .filter(|c| grant.may_read(&c.unit))
                .map(|c| c.unit.id.to_string())
                .collect();
            assert_eq!(selected, readable, "{grant:?}");
            if !readable.is_empty() && readable.len() < city.certificates.len() {
                nonempty_strict_subsets += 1;
            }
        }
        // The comparison means something: most scopes are neither empty nor everything.
        assert!(
            nonempty_strict_subsets > city.certificates.len(),
            "{nonempty_strict_subsets}"
        );
    }
}
