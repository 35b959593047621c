//! Loading a generated demo city (see the `demo` crate) into the database: at start when the
//! configuration asks for it and the database is empty, or by `server seed`.

use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

use crate::db::certificates::{self, Counts};
use crate::db::{self, Pool};

/// What a seeding did and how long each half took.
#[derive(Debug, Clone, Serialize)]
pub struct SeedReport {
    pub size: String,
    pub seed: u64,
    pub counts: Counts,
    #[serde(serialize_with = "millis")]
    pub generated_in: Duration,
    #[serde(serialize_with = "millis")]
    pub loaded_in: Duration,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u128(d.as_millis())
}

/// Parses a size name, with the accepted names in the error.
pub fn parse_size(name: &str) -> anyhow::Result<demo::Size> {
    name.parse::<demo::Size>()
        .map_err(|_| anyhow::anyhow!("unknown demo size {name:?}: use tiny, small, medium or full"))
}

/// Generates the city and loads it. Refuses a database that already holds units.
pub async fn seed(pool: &Pool, size: demo::Size, seed: u64) -> anyhow::Result<SeedReport> {
    let existing = certificates::counts(pool).await?;
    anyhow::ensure!(
        existing.units == 0,
        "the database already holds {} units; demo data is only loaded into an empty database",
        existing.units
    );
    let started = Instant::now();
    let city = tokio::task::spawn_blocking(move || demo::generate(seed, size))
        .await
        .context("generating the demo city")?;
    let generated_in = started.elapsed();
    let started = Instant::now();
    let counts = certificates::load(pool, &city.certificates)
        .await
        .context("loading the demo city")?;
    seed_numbering(pool, &city).await?;
    Ok(SeedReport {
        size: size.to_string(),
        seed,
        counts,
        generated_in,
        loaded_in: started.elapsed(),
    })
}

/// Continues the bureaus' numbering after the slip and notice numbers the demo's people carry,
/// so that the first slip the server issues does not repeat one of them.
async fn seed_numbering(pool: &Pool, city: &demo::City) -> anyhow::Result<()> {
    let last = city.last_issued();
    let mut tx = db::write(pool)
        .await
        .context("starting the numbering seed")?;
    for ((bureau, kind, year), n) in &last {
        crate::db::ledger::set_last(&mut tx, *bureau, *kind, *year, *n).await?;
    }
    crate::db::audit::append(
        &mut tx,
        crate::db::audit::Entry {
            actor: None,
            credential: None,
            action: "numbering.seed",
            target: "numbering",
            detail: serde_json::json!({ "counters": last.len() }),
        },
        crate::clock::now(),
    )
    .await?;
    tx.commit().await.context("committing the numbering seed")?;
    Ok(())
}

/// Loads the configured demo city if the database holds no unit yet.
pub async fn seed_if_empty(pool: &Pool, config: &crate::config::DemoConfig) -> anyhow::Result<()> {
    let size = parse_size(&config.size)?;
    if certificates::counts(pool).await?.units > 0 {
        return Ok(());
    }
    let report = seed(pool, size, config.seed).await?;
    tracing::info!(
        size = %report.size,
        seed = report.seed,
        units = report.counts.units,
        staff = report.counts.staff,
        generated_ms = report.generated_in.as_millis() as u64,
        loaded_ms = report.loaded_in.as_millis() as u64,
        "demo city loaded"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DemoConfig;

    #[tokio::test]
    async fn an_empty_database_gets_the_demo_city_once() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::open(&dir.path().join("db.sqlite3"))
            .await
            .unwrap();
        let config = DemoConfig {
            size: "tiny".into(),
            seed: 3,
        };
        seed_if_empty(&pool, &config).await.unwrap();
        let first = certificates::counts(&pool).await.unwrap();
        let expected = demo::generate(3, demo::Size::Tiny);
        assert_eq!(first.units, expected.certificates.len() as u64);
        assert_eq!(first.staff, expected.people() as u64);
        let counters = db::ledger::counters(&mut db::connection(&pool).await.unwrap())
            .await
            .unwrap();
        assert_eq!(counters, expected.last_issued().len() as u64);
        // A restart does not load it again, and `seed` refuses a database with units.
        seed_if_empty(&pool, &config).await.unwrap();
        assert_eq!(certificates::counts(&pool).await.unwrap(), first);
        let refused = seed(&pool, demo::Size::Tiny, 3).await.unwrap_err();
        assert!(refused.to_string().contains("already holds"), "{refused}");
    }

    #[test]
    fn unknown_sizes_are_named_in_the_error() {
        let err = parse_size("huge").unwrap_err().to_string();
        assert!(err.contains("huge") && err.contains("medium"), "{err}");
    }
}
