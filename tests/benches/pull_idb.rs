//! `cargo xtask bench`: a first pull into the browser's IndexedDB — the release client in
//! headless Chromium signs in with a virtual security key and pulls its whole scope from the
//! real server (the full demo city: 3,000 units, 80,000 people), page by page, each page and
//! its cursor in one IndexedDB transaction — beside Dexie, and the offline cold start.
//!
//! - Two scopes: the supervising department whose scope is nearest [`SMALL_SCOPE`] people,
//!   and the whole city (a bureau reviewer). The time is the client's own, between the
//!   `staffing.pull.start` and `staffing.pull.end` performance marks of its first pull
//!   (requests, decoding and validation, IndexedDB writes); each round is a fresh browser
//!   profile.
//! - Dexie 4 (`DEXIE_JS`: the path of its UMD build, which `cargo xtask bench` installs from
//!   npm; never shipped): in the page of each whole-city round, right after the client's pull,
//!   the same people — every staff and departed person of the city, read through the pull API
//!   before the clock starts — as plain records, one per person, keyed like the client's first
//!   store (`<unit>/<s|d><position>`) with no other index (the client's `people` store has
//!   none), put with one `bulkPut` into a fresh database, with the durability the client's
//!   pull uses (`relaxed`). The rounds take turns, so load on the shared machine falls on both.
//! - The offline cold start: a unit clerk (the unit with the most staff the roster draws at
//!   once) syncs and opens the certificate page; the server is stopped; each round reloads the
//!   page and takes the `staffing.roster.shown` mark: from the navigation's start to the roster
//!   drawn, from the service worker's cache and IndexedDB.
//!
//! Results go to stdout and, as Markdown, to the file named by `BENCH_REPORT`, appended after
//! the push benchmark's. Never run by `cargo test`.

use std::time::{Duration, Instant};

use anyhow::Context;
use tests::browser::{TestBrowser, TestPage};
use tests::clerk::{signed_in_tab, wait_for_sync};
use tests::schema;
use tests::server::TestServer;

/// The smaller scope aimed at, in people.
const SMALL_SCOPE: i64 = 2_000;
/// Timed rounds per measurement.
const ROUNDS_SMALL: usize = 3;
const ROUNDS_CITY: usize = 3;
const ROUNDS_COLD: usize = 5;
/// At most this many roster rows are drawn (`app::pages::certificate::ROSTER_ROWS`).
const ROSTER_ROWS: i64 = 500;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(Box::pin(run())).unwrap();
}

/// Median, slowest and fastest of `times` (not empty).
struct Spread {
    median: f64,
    slowest: f64,
    fastest: f64,
    rounds: usize,
}

impl Spread {
    fn of(mut times: Vec<f64>) -> Self {
        times.sort_by(f64::total_cmp);
        Spread {
            median: times[times.len() / 2],
            slowest: times[times.len() - 1],
            fastest: times[0],
            rounds: times.len(),
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let dexie = std::env::var_os("DEXIE_JS")
        .context("DEXIE_JS must name Dexie's UMD build (cargo xtask bench installs it)")?;
    let dexie = std::fs::read_to_string(&dexie)
        .with_context(|| format!("reading {}", dexie.to_string_lossy()))?;
    let load_before = load_average();
    eprintln!("bench: starting the server with the full demo city…");
    let mut server = TestServer::start_configured(|config| {
        config.demo = Some(server::config::DemoConfig {
            size: "full".into(),
            seed: server::config::DEFAULT_DEMO_SEED,
        });
        // Many sign-ins from one address in a few minutes.
        config.identity.rate_limit_per_minute = 10_000;
    })
    .await?;
    let pool = server.database().await?;
    // Departments by the number of people in their scope (the department, its supervised
    // units and its internal bodies, as `sync::scope` counts them).
    let departments = schema::departments_by_people(&pool).await;
    let (department, _) = departments
        .iter()
        .min_by_key(|(_, people)| (people - SMALL_SCOPE).abs())
        .ok_or_else(|| anyhow::anyhow!("no supervising department"))?
        .clone();
    // The clerk of the cold start: the unit with the most staff the roster draws at once.
    let (clerk_unit, clerk_staff) = schema::largest_unit_up_to(&pool, ROSTER_ROWS).await;
    pool.close().await;

    let mut round = 0;
    // A supervising department.
    let mut small = Vec::new();
    let mut small_size = (0, 0);
    for _ in 0..ROUNDS_SMALL {
        round += 1;
        let scope = format!("department:{department}");
        let browser = TestBrowser::launch().await?;
        let result = first_pull(&browser, &server, "supervisor", &scope, round).await;
        drop(browser);
        let (seconds, people, units, _, _) = result?;
        eprintln!("bench: first pull of {people} people ({units} units): {seconds:.2} s");
        small.push(seconds);
        small_size = (people, units);
    }
    // The whole city, and Dexie in the same page.
    let (mut city, mut dexie_times) = (Vec::new(), Vec::new());
    let mut city_size = (0, 0);
    let mut records = 0;
    let mut city_weight = String::new();
    for _ in 0..ROUNDS_CITY {
        round += 1;
        let browser = TestBrowser::launch().await?;
        let result = async {
            let (seconds, people, units, page, weight) =
                first_pull(&browser, &server, "bureau_reviewer", "region:620500", round).await?;
            eprintln!("bench: first pull of {people} people ({units} units): {seconds:.2} s");
            let (count, dexie_seconds) = dexie_bulk_put(&page, &dexie).await?;
            eprintln!("bench: Dexie bulkPut of {count} people: {dexie_seconds:.2} s");
            Ok::<_, anyhow::Error>((seconds, people, units, count, dexie_seconds, weight))
        }
        .await;
        drop(browser);
        let (seconds, people, units, count, dexie_seconds, weight) = result?;
        city_weight = weight;
        city.push(seconds);
        dexie_times.push(dexie_seconds);
        city_size = (people, units);
        records = count;
    }
    // The offline cold start (stops the server: last).
    let browser = TestBrowser::launch().await?;
    let cold = cold_starts(&browser, &mut server, &clerk_unit).await;
    drop(browser);
    let cold = cold?;
    let load_after = load_average();

    let small = Spread::of(small);
    let city = Spread::of(city);
    let dexie = Spread::of(dexie_times);
    let cold = Spread::of(cold);
    let pull_row = |label: &str, (people, units): (u64, u64), s: &Spread| {
        format!(
            "| first pull of {label}: {} people in {} units | {:.2} s | {:.2}–{:.2} s | {} people/s | {} |",
            thousands(people),
            thousands(units),
            s.median,
            s.slowest,
            s.fastest,
            thousands((people as f64 / s.median) as u64),
            s.rounds,
        )
    };
    let text = format!(
        "\n| First pull into IndexedDB (headless Chromium, release client, full demo city) | Median | Slowest–fastest round | Rate (median) | Rounds |\n\
         |---|---|---|---|---|\n\
         {}\n{}\n\
         | Dexie 4 `bulkPut` of the same people as plain records, same page, after each whole-city pull: {} records | {:.2} s | {:.2}–{:.2} s | {} records/s | {} |\n\
         | whole-city first pull ÷ Dexie `bulkPut` (medians) | {:.2}× | | | |\n\
         | offline cold start: reload with the server stopped → the certificate page showing a unit clerk's roster ({} people) | {:.2} s | {:.2}–{:.2} s | | {} |\n\n\
         Each pull round signs a new holder in with a virtual security key in a fresh browser \
         profile; the time is the client's, from its first pull request to the last page \
         committed to IndexedDB (each page with its cursor in one transaction; the whole city: \
         {city_weight}, by Resource Timing), with the server \
         (`server-release`) and Chromium sharing the machine's cores. Dexie {dexie_version} puts \
         the same people (staff and departed, as the client stores them), read beforehand \
         through the pull API, into a fresh database with one `bulkPut` (relaxed durability, \
         primary key only); its time is the `bulkPut` alone. The cold start is \
         `performance.getEntriesByName('staffing.roster.shown')`, measured from the reload's \
         navigation start, with the server stopped (the app shell from the service worker, \
         the session and the roster from this computer). Load average (1 min) when the pull \
         benchmark began: {load_before}; at its end: {load_after}.\n",
        pull_row("a supervising department", small_size, &small),
        pull_row("the whole city", city_size, &city),
        thousands(records),
        dexie.median,
        dexie.slowest,
        dexie.fastest,
        thousands((records as f64 / dexie.median) as u64),
        dexie.rounds,
        city.median / dexie.median,
        clerk_staff,
        cold.median,
        cold.slowest,
        cold.fastest,
        cold.rounds,
        dexie_version = std::env::var("DEXIE_VERSION").unwrap_or_else(|_| "4".into()),
    );
    print!("{text}");
    if let Some(path) = std::env::var_os("BENCH_REPORT") {
        let mut old = std::fs::read_to_string(&path).unwrap_or_default();
        old.push_str(&text);
        std::fs::write(&path, old)?;
    }
    Ok(())
}

/// Signs in a new holder in `browser` and waits for its first pull: (seconds, people, units)
/// as the client measured and counted them, and the page.
async fn first_pull(
    browser: &TestBrowser,
    server: &TestServer,
    role: &str,
    scope: &str,
    round: usize,
) -> anyhow::Result<(f64, u64, u64, TestPage, String)> {
    let (page, _) = signed_in_tab(browser, server, &format!("bench-{round}"), role, scope).await?;
    let seconds = mark_seconds(&page, "staffing.pull.start", "staffing.pull.end").await?;
    // What the pull's responses weighed (Resource Timing: same origin, so both sizes show).
    let (pages, json, wire, waiting): (u64, f64, f64, f64) = page
        .eval(
            "(() => { const r = performance.getEntriesByType('resource') \
               .filter(e => e.name.includes('/api/sync/pull')); \
             const sum = f => r.reduce((n, e) => n + f(e), 0); \
             return [r.length, sum(e => e.decodedBodySize), sum(e => e.encodedBodySize), \
                     sum(e => e.responseStart - e.requestStart)]; })()",
        )
        .await?;
    eprintln!("bench: waiting for the server's first byte: {waiting:.0} ms in all");
    let weight = format!(
        "{pages} responses, {:.1} MB of JSON, {:.1} MB on the wire",
        json / 1e6,
        wire / 1e6
    );
    eprintln!("bench: {weight}");
    page.click("#nav-certificate").await?;
    page.wait_until(
        "document.querySelector('#certificate-scope')",
        "the scope is shown",
    )
    .await?;
    let people: u64 = page
        .attribute("#certificate-scope", "data-staff")
        .await?
        .unwrap_or_default()
        .parse()?;
    let units: u64 = page
        .attribute("#certificate-scope", "data-units")
        .await?
        .unwrap_or_default()
        .parse()?;
    Ok((seconds, people, units, page, weight))
}

/// Waits (up to 10 minutes) for the marks `start` and `end` of this document; seconds between
/// them (`start` empty: from the navigation's start).
async fn mark_seconds(page: &TestPage, start: &str, end: &str) -> anyhow::Result<f64> {
    let started = Instant::now();
    loop {
        // -1 until both marks exist (a null result does not convert).
        let ms: f64 = page
            .eval(&format!(
                "(() => {{ const s = '{start}' ? performance.getEntriesByName('{start}')[0] : {{ startTime: 0 }}; \
                 const e = performance.getEntriesByName('{end}')[0]; \
                 return s && e ? e.startTime - s.startTime : -1; }})()"
            ))
            .await?;
        if ms >= 0.0 {
            return Ok(ms / 1000.0);
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "the mark {end} never came"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Loads Dexie into `page` (signed in with a city-wide scope), reads every person of the city
/// through the pull API as plain records, and times one `bulkPut` of them into a fresh
/// database: (records, seconds).
async fn dexie_bulk_put(page: &TestPage, dexie: &str) -> anyhow::Result<(u64, f64)> {
    // Through the DevTools protocol: the page's CSP does not apply.
    page.raw()
        .evaluate(format!("{dexie}\n;0"))
        .await
        .context("loading Dexie into the page")?;
    let count: u64 = page
        .call(
            "async () => { \
               const records = []; let cursor = null; \
               for (;;) { \
                 const url = '/api/sync/pull?limit=10000' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''); \
                 const page = await (await fetch(url, { cache: 'no-store' })).json(); \
                 for (const c of page.changes) { \
                   if (c.type !== 'certificate') continue; \
                   const add = (list, tag) => list.forEach((p, i) => records.push(Object.assign( \
                     { key: c.unit_id + '/' + tag + String(i).padStart(6, '0'), unit_id: c.unit_id }, p))); \
                   add(c.certificate.staff, 's'); add(c.certificate.departed, 'd'); \
                 } \
                 cursor = page.cursor; \
                 if (page.complete) break; \
               } \
               window.benchPeople = records; \
               return records.length; }",
        )
        .await?;
    let ms: f64 = page
        .call(
            "async () => { \
               await Dexie.delete('bench-dexie'); \
               const db = new Dexie('bench-dexie', { chromeTransactionDurability: 'relaxed' }); \
               db.version(1).stores({ people: 'key' }); \
               await db.open(); \
               const t0 = performance.now(); \
               await db.people.bulkPut(window.benchPeople); \
               const ms = performance.now() - t0; \
               const n = await db.people.count(); \
               db.close(); await Dexie.delete('bench-dexie'); \
               window.benchPeople = null; \
               return n === 0 ? -1 : ms; }",
        )
        .await?;
    anyhow::ensure!(ms >= 0.0, "Dexie stored nothing");
    Ok((count, ms / 1000.0))
}

/// A clerk of `unit` syncs and opens the certificate page; the server is stopped; each round
/// reloads the page and times it from the navigation's start to the roster drawn.
async fn cold_starts(
    browser: &TestBrowser,
    server: &mut TestServer,
    unit: &str,
) -> anyhow::Result<Vec<f64>> {
    let (page, _) = signed_in_tab(
        browser,
        server,
        "bench-clerk",
        "unit_clerk",
        &format!("unit:{unit}"),
    )
    .await?;
    wait_for_sync(&page).await?;
    page.click("#nav-certificate").await?;
    mark_seconds(&page, "", "staffing.roster.shown").await?;
    server.stop().await?;
    let mut times = Vec::new();
    // One reload to warm the caches as a clerk's browser has them, then the timed ones.
    for round in 0..=ROUNDS_COLD {
        let before: f64 = page.eval("performance.timeOrigin").await?;
        page.reload().await?;
        let started = Instant::now();
        loop {
            let origin: f64 = page.eval("performance.timeOrigin").await.unwrap_or(before);
            if origin != before {
                break;
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(30),
                "the page did not reload"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let seconds = mark_seconds(&page, "", "staffing.roster.shown").await?;
        let rows: Option<String> = page.attribute("#roster", "data-rows").await?;
        anyhow::ensure!(
            rows.is_some_and(|r| r != "0"),
            "the roster is shown after the reload"
        );
        eprintln!("bench: offline cold start {round}: {seconds:.3} s");
        if round > 0 {
            times.push(seconds);
        }
    }
    Ok(times)
}

/// The 1-minute load average (`/proc/loadavg`), as text.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

/// `80000` → `80,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
