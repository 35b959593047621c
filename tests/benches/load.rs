//! `cargo xtask load [--clients N] [--seconds S]`: N simulated clients (default 200) against
//! one server process built in the `server-release` profile on 127.0.0.1, for S seconds
//! (default 60).
//!
//! Set-up (not timed): the medium demo city in a fresh database, one clerk per unit (N units)
//! with a software security key, enrolled and signed in, each unit's vacancy raised so that no
//! request runs out of posts; then the in-process server that did the set-up stops and the
//! release binary serves the same database and port (sessions are in the database).
//!
//! Each client, until the time is up: signs a quota-use request for one post with its key
//! (`created_at` now, a new application id) and pushes it (`POST /api/envelopes`), and after
//! every third push pulls its scope (`GET /api/sync/pull` with its last cursor, first a
//! snapshot). Every request is timed.
//!
//! Then it asserts: no answer ≥ 500 and no failed connection; nothing lost — every accepted
//! application is in the server's database, nothing else of the run is; the ledger invariant
//! (stored figures equal to a recount from the rows; filled + reserved ≤ approved unless a unit
//! was over before); and reports throughput, p50/p99 of push and pull, and the server's peak
//! RSS (`VmHWM` of `/proc/<pid>/status`), on stdout and as Markdown into the file named by
//! `LOAD_REPORT` (which `cargo xtask load` folds into BENCHMARKS.md beside the targets: p99
//! push ≤ 200 ms, peak RSS ≤ 200 MB).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::EstablishmentCategory;
use protocol::identity::{NewHolder, SubmitRequest, SubmitResponse, VerdictStatus};
use protocol::sync::{PullResponse, SYNC_PULL_PATH};
use tests::filing::set_vacancy;
use tests::keys::KeyHolder;
use tests::schema;
use tests::server::TestServer;

/// Targets (issue 15).
const TARGET_P99_PUSH_MS: f64 = 200.0;
const TARGET_PEAK_RSS_MB: f64 = 200.0;
/// Posts each unit may still fill: more than any client pushes in a run.
const VACANCY: u32 = 20_000;
/// A pull after every this many pushes.
const PUSHES_PER_PULL: u64 = 3;

fn option(args: &[String], name: &str, default: u64) -> u64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one client did.
#[derive(Default)]
struct Tally {
    push: Vec<Duration>,
    pull: Vec<Duration>,
    accepted: Vec<String>,
    rejected: BTreeMap<String, usize>,
    pushed: Vec<String>,
    /// Answers ≥ 500 and failed connections, with what was asked.
    failures: Vec<String>,
    pulled_changes: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let clients = usize::try_from(option(&args, "--clients", 200)).unwrap_or(200);
    let seconds = option(&args, "--seconds", 60);
    let binary = std::env::var_os("STAFFING_SERVER_BIN")
        .map(std::path::PathBuf::from)
        .expect("STAFFING_SERVER_BIN names the server-release binary (cargo xtask load sets it)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let report = runtime.block_on(run(clients, Duration::from_secs(seconds), &binary));
    println!("{report}");
    if let Some(path) = std::env::var_os("LOAD_REPORT") {
        std::fs::write(path, &report).expect("writing the report");
    }
}

async fn run(clients: usize, duration: Duration, binary: &std::path::Path) -> String {
    eprintln!("load: the medium demo city, {clients} clerks enrolling…");
    let mut server = TestServer::start_configured(|config| {
        if let Some(demo) = config.demo.as_mut() {
            demo.size = "medium".into();
        }
        config.identity.rate_limit_per_minute = 100_000;
    })
    .await
    .expect("the server starts");
    let pool = server.database().await.expect("the database opens");
    let units = schema::unit_ids(&pool).await;
    assert!(
        units.len() >= clients,
        "{} units for {clients} clients",
        units.len()
    );
    let mut holders = Vec::with_capacity(clients);
    for (n, unit) in units.iter().take(clients).enumerate() {
        let category = schema::certificate(&pool, unit)
            .await
            .ledger
            .all_figures()
            .into_iter()
            .max_by_key(|(_, f)| f.approved)
            .map_or(EstablishmentCategory::Administrative, |(c, _)| c);
        set_vacancy(&pool, unit, category, VACANCY).await;
        let created = server::identity::create_holder(
            &pool,
            &NewHolder {
                login: format!("load-clerk-{n:03}"),
                name: "测试经办人".into(),
                role: "unit_clerk".into(),
                scope: format!("unit:{unit}"),
                phone: String::new(),
            },
            server.config(),
        )
        .await
        .expect("a holder");
        let mut holder = KeyHolder::enrolled(&server, created).await;
        holder.sign_in().await;
        holders.push((holder, unit.clone(), category));
    }
    let over_before: BTreeMap<(String, String), i64> = schema::ledger_figures(&pool)
        .await
        .into_iter()
        .filter(|f| f.filled + f.reserved > f.approved)
        .map(|f| ((f.unit, f.category), f.filled + f.reserved - f.approved))
        .collect();
    server.stop().await.expect("the in-process server stops");
    let process = server
        .spawn_binary(binary)
        .await
        .expect("the release server starts");
    let pid = process.pid();
    eprintln!(
        "load: {clients} clients for {duration:?} against {} (pid {pid})",
        binary.display()
    );

    let start = Instant::now();
    let deadline = start + duration;
    let barrier = Arc::new(tokio::sync::Barrier::new(clients));
    let mut tasks = Vec::with_capacity(clients);
    for (n, (holder, unit, category)) in holders.into_iter().enumerate() {
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            client(n, holder, unit, category, deadline).await
        }));
    }
    let mut tally = Tally::default();
    for task in tasks {
        let t = task.await.expect("a client task");
        tally.push.extend(t.push);
        tally.pull.extend(t.pull);
        tally.accepted.extend(t.accepted);
        tally.pushed.extend(t.pushed);
        tally.failures.extend(t.failures);
        tally.pulled_changes += t.pulled_changes;
        for (code, n) in t.rejected {
            *tally.rejected.entry(code).or_default() += n;
        }
    }
    let elapsed = start.elapsed();
    let peak_rss_kb = vm_hwm(pid);

    // Nothing lost, nothing invented, the ledger whole.
    let stored = schema::application_ids_with_prefix(&pool, "load-").await;
    let accepted: BTreeSet<String> = tally.accepted.iter().cloned().collect();
    let lost: Vec<&String> = accepted.difference(&stored).collect();
    let pushed: BTreeSet<String> = tally.pushed.iter().cloned().collect();
    let unknown: Vec<&String> = stored.difference(&pushed).collect();
    let mut ledger_errors = Vec::new();
    for f in schema::ledger_figures(&pool).await {
        let allowed = over_before
            .get(&(f.unit.clone(), f.category.clone()))
            .copied()
            .unwrap_or(0);
        if f.approved != f.approved_recount
            || f.filled != f.filled_recount
            || f.reserved != f.reserved_recount
            || f.filled + f.reserved - f.approved > allowed
        {
            ledger_errors.push(format!("{f:?}"));
        }
    }
    process.kill();

    let seconds = elapsed.as_secs_f64();
    let push = percentiles(&mut tally.push);
    let pull = percentiles(&mut tally.pull);
    let rss_mb = peak_rss_kb as f64 / 1024.0;
    let mark = |ok: bool| if ok { "met" } else { "**missed**" };
    let report = format!(
        "Last run: {clients} clients for {seconds:.0} s against the `server-release` binary on \
         127.0.0.1 (medium demo city, one clerk per unit; client and server on the same machine)\n\n\
         | figure | value | target |\n|---|---|---|\n\
         | pushes (one signed quota-use request each) | {pushes} ({push_rate:.0}/s) | |\n\
         | pulls (scope, with the last cursor) | {pulls} ({pull_rate:.0}/s) | |\n\
         | push latency p50 / p99 | {p50:.1} ms / {p99:.1} ms | p99 ≤ {TARGET_P99_PUSH_MS:.0} ms: {push_ok} |\n\
         | pull latency p50 / p99 | {q50:.1} ms / {q99:.1} ms | |\n\
         | server peak RSS (VmHWM) | {rss_mb:.0} MB | ≤ {TARGET_PEAK_RSS_MB:.0} MB: {rss_ok} |\n\
         | answers ≥ 500 or failed connections | {failures} | 0 |\n\
         | accepted / rejected | {accepted} / {rejected:?} | |\n\
         | accepted but not stored (lost) | {lost} | 0 |\n\
         | ledger rows breaking the invariant | {ledger} | 0 |\n",
        pushes = tally.push.len(),
        push_rate = tally.push.len() as f64 / seconds,
        pulls = tally.pull.len(),
        pull_rate = tally.pull.len() as f64 / seconds,
        p50 = push.0,
        p99 = push.1,
        push_ok = mark(push.1 <= TARGET_P99_PUSH_MS),
        q50 = pull.0,
        q99 = pull.1,
        rss_ok = mark(rss_mb <= TARGET_PEAK_RSS_MB),
        failures = tally.failures.len(),
        accepted = tally.accepted.len(),
        rejected = tally.rejected,
        lost = lost.len(),
        ledger = ledger_errors.len(),
    );
    assert!(
        tally.failures.is_empty(),
        "{report}\nfailures: {:?}",
        &tally.failures[..tally.failures.len().min(10)]
    );
    assert!(lost.is_empty(), "{report}\nlost: {lost:?}");
    assert!(unknown.is_empty(), "{report}\nnot pushed: {unknown:?}");
    assert!(
        ledger_errors.is_empty(),
        "{report}\nledger: {ledger_errors:?}"
    );
    assert!(!tally.accepted.is_empty(), "{report}\nnothing was accepted");
    report
}

/// p50 and p99 in milliseconds.
fn percentiles(times: &mut [Duration]) -> (f64, f64) {
    if times.is_empty() {
        return (0.0, 0.0);
    }
    times.sort_unstable();
    let at = |q: f64| {
        let i = ((times.len() as f64 - 1.0) * q).round() as usize;
        times[i].as_secs_f64() * 1000.0
    };
    (at(0.50), at(0.99))
}

/// The process's peak resident set (`VmHWM`, kB).
fn vm_hwm(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0)
}

async fn client(
    n: usize,
    mut holder: KeyHolder,
    unit: domain::UnitId,
    category: EstablishmentCategory,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut cursor: Option<String> = None;
    let mut sent = 0u64;
    while Instant::now() < deadline {
        sent += 1;
        let id = format!("load-{n:03}-{sent}");
        let submission = holder.sign_quota_use(&id, &unit, category, 1);
        tally.pushed.push(id.clone());
        let url = format!("{}/api/envelopes", holder.client.base);
        let started = Instant::now();
        let response = holder
            .client
            .with_session(holder.client.http.post(&url).json(&SubmitRequest {
                submissions: vec![submission],
            }))
            .send()
            .await;
        match response {
            Ok(r) if r.status().is_success() => match r.json::<SubmitResponse>().await {
                Ok(verdicts) => {
                    tally.push.push(started.elapsed());
                    for verdict in verdicts.verdicts {
                        if verdict.status == VerdictStatus::Accepted {
                            tally.accepted.push(id.clone());
                        } else {
                            *tally
                                .rejected
                                .entry(verdict.code.unwrap_or_default())
                                .or_default() += 1;
                        }
                    }
                }
                Err(e) => tally.failures.push(format!("push {id}: body {e}")),
            },
            Ok(r) if r.status().is_server_error() => {
                tally.failures.push(format!("push {id}: {}", r.status()));
            }
            Ok(r) => {
                *tally
                    .rejected
                    .entry(format!("http {}", r.status().as_u16()))
                    .or_default() += 1;
            }
            Err(e) => tally.failures.push(format!("push {id}: {e}")),
        }
        if sent.is_multiple_of(PUSHES_PER_PULL) {
            let query: Vec<(&str, &str)> = cursor.iter().map(|c| ("cursor", c.as_str())).collect();
            let url = format!("{}{SYNC_PULL_PATH}", holder.client.base);
            let started = Instant::now();
            let response = holder
                .client
                .with_session(holder.client.http.get(&url).query(&query))
                .send()
                .await;
            match response {
                Ok(r) if r.status().is_success() => match r.json::<PullResponse>().await {
                    Ok(page) => {
                        tally.pull.push(started.elapsed());
                        tally.pulled_changes += page.changes.len();
                        cursor = Some(page.cursor);
                    }
                    Err(e) => tally.failures.push(format!("pull: body {e}")),
                },
                Ok(r) => tally.failures.push(format!("pull: {}", r.status())),
                Err(e) => tally.failures.push(format!("pull: {e}")),
            }
        }
    }
    tally
}
