//! `cargo xtask bench` (part of the full run; alone: `--only import`): checking a roster file of the data-verification phase
//! (数据核实) — 10,000 rows of the template's columns, written as an .xlsx, read back with
//! calamine and every cell checked with the domain rules (`server::roster::read_rows` and
//! `server::roster::report`, what `POST /api/import/check` runs besides storing the upload),
//! against a deployment of 80,000 ID numbers already in post. Target: under 2 s.
//!
//! A warm-up, then several timed rounds; the median is reported with the fastest and slowest.
//! Results go to stdout and, as Markdown, to the file named by `BENCH_REPORT`.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use domain::roster::row_of;
use domain::{Date, EstablishmentCategory, IdNumber, UnitId};

/// Rows of the file.
const ROWS: usize = 10_000;
/// ID numbers already in post in the deployment.
const IN_POST: u32 = 80_000;
/// Timed rounds.
const ROUNDS: usize = 5;
/// The target for the median (issue 14).
const TARGET: Duration = Duration::from_secs(2);

fn main() {
    let born = Date::parse("1980-01-01").expect("a date");
    let rows: Vec<Vec<String>> = (0..ROWS)
        .map(|n| {
            let birth = Date::from_days_since_epoch(
                born.days_since_epoch() + i64::try_from(n / 500).unwrap_or(0),
            )
            .expect("a date");
            let born = birth.to_string();
            let sequence = u16::try_from(n % 500).unwrap_or(0) * 2 + 1;
            row_of(&tests::filing::new_person(
                &born,
                sequence,
                EstablishmentCategory::Administrative,
            ))
        })
        .collect();
    let in_post: HashSet<String> = (0..IN_POST)
        .map(|n| {
            let birth =
                Date::from_days_since_epoch(born.days_since_epoch() - 20_000 + i64::from(n / 500))
                    .expect("a date");
            IdNumber::compose(620503, birth, u16::try_from(n % 500).unwrap_or(0) + 1)
                .expect("an ID")
                .to_string()
        })
        .collect();
    let bytes = server::roster::workbook(&rows).expect("an .xlsx");
    let unit = UnitId::parse("620502-0001").expect("a unit id");
    let check = || {
        let read = server::roster::read_rows(&bytes).expect("readable");
        let (report, _) = server::roster::report(&unit, &read, |id| in_post.contains(id.as_str()))
            .expect("a report");
        assert_eq!(
            report.rows_valid as usize,
            ROWS,
            "{:?}",
            report.errors.first()
        );
    };
    check();
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            check();
            started.elapsed()
        })
        .collect();
    times.sort();
    let median = times[ROUNDS / 2];
    let verdict = if median < TARGET { "met" } else { "**missed**" };
    let line = format!(
        "| roster import check: {ROWS} rows (.xlsx {} KB) read and every cell checked, {IN_POST} IDs in post | {:.0} ms (fastest {:.0}, slowest {:.0}) | target < 2,000 ms — {verdict} |",
        bytes.len() / 1024,
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[ROUNDS - 1].as_secs_f64() * 1e3,
    );
    println!("{line}");
    if let Ok(path) = std::env::var("BENCH_REPORT") {
        let table = format!(
            "\n### Roster import (数据核实)\n\n| measurement | median | note |\n|---|---|---|\n{line}\n"
        );
        let mut old = std::fs::read_to_string(&path).unwrap_or_default();
        old.push_str(&table);
        if let Err(e) = std::fs::write(&path, old) {
            eprintln!("bench: writing {path}: {e}");
        }
    }
}
