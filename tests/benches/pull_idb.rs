//! `cargo xtask bench`: a first pull into the browser's IndexedDB — the release client in
//! headless Chromium signs in with a virtual security key and pulls its whole scope from the
//! real server (the full demo city: 3,000 units, 80,000 people), page by page, each page and
//! its cursor in one IndexedDB transaction.
//!
//! Two scopes: the supervising department whose scope is nearest [`SMALL_SCOPE`] people, and
//! the whole city (a bureau reviewer). The time is the client's own, between the
//! `staffing.pull.start` and `staffing.pull.end` performance marks of its first pull (request,
//! decode and validation, IndexedDB writes); each round is a fresh browser profile. Results go
//! to stdout and, as Markdown table rows, to the file named by `BENCH_REPORT`, appended after
//! the push benchmark's. Never run by `cargo test`.

use std::time::{Duration, Instant};

use tests::browser::TestPage;
use tests::scenario::SignedInBrowser;
use tests::schema;
use tests::server::TestServer;

/// The smaller scope aimed at, in people.
const SMALL_SCOPE: i64 = 2_000;
/// Timed rounds per scope.
const ROUNDS_SMALL: usize = 3;
const ROUNDS_CITY: usize = 2;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(Box::pin(run())).unwrap();
}

async fn run() -> anyhow::Result<()> {
    eprintln!("bench: starting the server with the full demo city…");
    let server = TestServer::start_configured(|config| {
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
    pool.close().await;

    let mut rows = Vec::new();
    let mut round = 0;
    for (label, role, scope, rounds) in [
        (
            "a supervising department",
            "supervisor",
            format!("department:{department}"),
            ROUNDS_SMALL,
        ),
        (
            "the whole city",
            "bureau_reviewer",
            "region:620500".to_owned(),
            ROUNDS_CITY,
        ),
    ] {
        let mut times = Vec::new();
        let mut size = (0, 0);
        for _ in 0..rounds {
            round += 1;
            let (seconds, people, units) = first_pull(&server, role, &scope, round).await?;
            eprintln!("bench: first pull of {people} people ({units} units): {seconds:.2} s");
            times.push(seconds);
            size = (people, units);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let (people, units) = size;
        rows.push(format!(
            "| {label}: {} people in {} units | {median:.2} s | {:.2}–{:.2} s | {:.1} ms | {} |",
            thousands(people),
            thousands(units),
            times[times.len() - 1],
            times[0],
            median * 1000.0 / (people as f64 / 100.0),
            times.len(),
        ));
    }
    let text = format!(
        "\n| First pull into IndexedDB (headless Chromium, release client, full demo city) | Median | Slowest–fastest round | Per 100 people (median) | Rounds |\n|---|---|---|---|---|\n{}\n\n\
         Each round signs a new holder in with a virtual security key in a fresh browser profile; \
         the time is the client's, from its first pull request to the last page committed to \
         IndexedDB (pages of up to 2,000 records, each with its cursor in one transaction), \
         with the server (`server-release`) and Chromium sharing the machine's cores.\n",
        rows.join("\n")
    );
    print!("{text}");
    if let Some(path) = std::env::var_os("BENCH_REPORT") {
        let mut old = std::fs::read_to_string(&path).unwrap_or_default();
        old.push_str(&text);
        std::fs::write(&path, old)?;
    }
    Ok(())
}

/// Signs in a new holder in a fresh browser and waits for its first pull: (seconds, people,
/// units) as the client measured and counted them.
async fn first_pull(
    server: &TestServer,
    role: &str,
    scope: &str,
    round: usize,
) -> anyhow::Result<(f64, u64, u64)> {
    let holder = SignedInBrowser::start(server, &format!("bench-{round}"), role, scope).await?;
    let page = &holder.page;
    let seconds = pull_seconds(page).await?;
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
    Ok((seconds, people, units))
}

/// Waits (up to 10 minutes) for the end mark of the first pull; its duration in seconds.
async fn pull_seconds(page: &TestPage) -> anyhow::Result<f64> {
    let started = Instant::now();
    loop {
        // -1 until both marks exist (a null result does not convert).
        let ms: f64 = page
            .eval(
                "(() => { const s = performance.getEntriesByName('staffing.pull.start')[0]; \
                 const e = performance.getEntriesByName('staffing.pull.end')[0]; \
                 return s && e ? e.startTime - s.startTime : -1; })()",
            )
            .await?;
        if ms >= 0.0 {
            return Ok(ms / 1000.0);
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "the first pull did not finish"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
