//! Slips that lapse (编制使用单失效): a quota-use slip whose validity ended (`valid_until` before
//! today, Beijing time) with posts unused is released through `domain::UnitBook::expire_slips`,
//! its unused posts no longer reserved.
//!
//! [`sweep_in`] does it inside a caller's write transaction (the signed-document pipeline,
//! before judging: an approval or a request never counts a lapsed reservation); [`sweep`] in
//! its own, only when something is due (a pull, before reading; the job of [`run_job`], every
//! [`JOB_PERIOD`]). Each release is written with the unit's changed figures and slips, the
//! certificate recorded in the change log, and audited (`slip.lapse`, numbers and counts).

use std::time::Duration;

use anyhow::Context;
use domain::Date;
use serde_json::json;

use crate::clock::Clock;
use crate::db::audit::{self, Entry};
use crate::db::changes::{self, Entity};
use crate::db::{self, Conn, Pool, ledger};

/// How often the job looks for slips that lapsed.
pub const JOB_PERIOD: Duration = Duration::from_secs(600);

/// Releases, in the caller's transaction, every slip that lapsed before `today`; returns how
/// many.
pub async fn sweep_in(conn: &mut Conn, today: Date) -> anyhow::Result<usize> {
    let units = ledger::units_with_lapsed_slips(conn, today).await?;
    let mut released = 0;
    for unit in units {
        let mut book = ledger::load_book(conn, &unit)
            .await?
            .with_context(|| format!("unit {unit} of a slip is missing"))?;
        let numbers = book
            .expire_slips(today)
            .map_err(|e| anyhow::anyhow!("releasing slips of {unit}: {}", e.message_en()))?;
        let mut categories = Vec::new();
        for number in &numbers {
            let slip = book
                .slips()
                .get(number)
                .context("a released slip is in the book")?;
            ledger::update_slip(conn, slip).await?;
            // Sync: the slip's status (lapsed) travels on the application that issued it.
            if let Some((application, unit)) =
                db::documents::slip_application(conn, slip.number.as_str()).await?
            {
                changes::record(conn, &unit, Entity::Application, &application).await?;
            }
            if !categories.contains(&slip.category) {
                categories.push(slip.category);
            }
        }
        for category in categories {
            ledger::save_figures(conn, &book, category).await?;
        }
        changes::record(conn, unit.as_str(), Entity::Certificate, unit.as_str()).await?;
        audit::append(
            conn,
            Entry {
                actor: None,
                credential: None,
                action: "slip.lapse",
                target: &format!("unit:{unit}"),
                detail: json!({
                    "slips": numbers.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "on": today.to_string(),
                }),
            },
            crate::clock::now(),
        )
        .await?;
        released += numbers.len();
    }
    Ok(released)
}

/// [`sweep_in`] in a transaction of its own, started only if a slip is due (a read first).
pub async fn sweep(pool: &Pool, today: Date) -> anyhow::Result<usize> {
    {
        let mut conn = db::connection(pool).await?;
        if ledger::units_with_lapsed_slips(&mut conn, today)
            .await?
            .is_empty()
        {
            return Ok(0);
        }
    }
    let mut tx = db::write(pool).await.context("starting to release slips")?;
    let released = sweep_in(&mut tx, today).await?;
    tx.commit().await.context("committing released slips")?;
    Ok(released)
}

/// The job: sweeps now and every [`JOB_PERIOD`], by `clock`, until the task is dropped.
pub async fn run_job(pool: Pool, clock: Clock) {
    let mut interval = tokio::time::interval(JOB_PERIOD);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match sweep(&pool, clock.today()).await {
            Ok(0) => {}
            Ok(released) => tracing::info!(released, "slips lapsed"),
            Err(error) => tracing::warn!(error = format!("{error:#}"), "releasing lapsed slips"),
        }
    }
}
