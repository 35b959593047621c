//! The units a holder may read, as an SQL condition on `unit u`, so that a pull selects its
//! scope with the indexes (`unit.region`, `unit.supervising_department`, `unit.parent`) instead
//! of loading every certificate to ask `Grant::may_read`. The condition mirrors `may_read`
//! exactly (a test compares the two over the demo city), and the pull still asks `may_read` of
//! every certificate it sends.

use domain::{Grant, Region, Scope};
use sqlx::Sqlite;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;

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
