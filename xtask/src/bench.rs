//! `cargo xtask bench [--only push|pull_idb|roster|import]`: runs `tests/benches/push.rs` (which
//! measures OpenSSL's P-256 rate beside the push), `tests/benches/pull_idb.rs` (against the
//! release client, beside Dexie, which it installs from npm for the benchmark only),
//! `tests/benches/roster.rs` (the roster filter at 5,000 people, release client) and
//! `tests/benches/import.rs` (the roster import's check of 10,000 rows) in the
//! `server-release` profile, or only one of them, and writes their results, with the date,
//! the machine, the compiler and the commit, into BENCHMARKS.md.
//!
//! Only the part between [`BEGIN`] and [`END`] is rewritten; the prose around it is kept.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::Context;

use crate::{cargo, run_cmd};

/// The Dexie the pull is measured beside (npm's `dexie`, major version 4).
const DEXIE: &str = "dexie@4";

/// Where the generated part of BENCHMARKS.md starts.
const BEGIN: &str = "<!-- cargo xtask bench: begin (generated, do not edit by hand) -->";
/// Where it ends.
const END: &str = "<!-- cargo xtask bench: end -->";

/// The document written when BENCHMARKS.md is missing or has lost its markers.
const SKELETON: &str = "# Benchmarks\n\n\
Written by `cargo xtask bench` (source: `tests/benches/push.rs`); see ARCHITECTURE.md.\n\n";

/// The benchmarks, in the order they run.
const BENCHES: [&str; 4] = ["push", "pull_idb", "roster", "import"];

/// `args`: nothing (every benchmark) or `--only <name>` (one of [`BENCHES`]).
pub(crate) fn run(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let benches: Vec<&str> = match args {
        [] => BENCHES.to_vec(),
        [flag, name] if flag == "--only" && BENCHES.contains(&name.as_str()) => {
            vec![name.as_str()]
        }
        [flag, name] if flag == "--only" && name == "pull" => vec!["pull_idb"],
        _ => anyhow::bail!("usage: cargo xtask bench [--only {}]", BENCHES.join("|")),
    };
    let started = Instant::now();
    let report_path =
        std::env::temp_dir().join(format!("staffing-bench-{}.md", std::process::id()));
    let mut dexie = None;
    if benches.contains(&"pull_idb") || benches.contains(&"roster") {
        // The first pull into IndexedDB and the roster run the client as it ships (release
        // build); the pull beside Dexie.
        crate::tools::ensure_client_tools(root)?;
        crate::tools::ensure_browser()?;
        if benches.contains(&"pull_idb") {
            dexie = Some(ensure_dexie()?);
        }
        crate::build_client(root, true)?;
    }
    // The server's own profile (opt-level 3, thin LTO, unwind), not the client's size-first
    // `release`, which `cargo bench` would otherwise inherit. Both append to one report.
    for bench in &benches {
        let mut command = cargo();
        command
            .args(["bench", "--package", "tests", "--bench", bench])
            .args(["--profile", "server-release"])
            .env("BENCH_REPORT", &report_path)
            .env("STAFFING_DIST", root.join("dist"));
        if let Some((script, version)) = &dexie {
            command
                .env("DEXIE_JS", script)
                .env("DEXIE_VERSION", version);
        }
        run_cmd(&mut command)?;
    }
    let results = std::fs::read_to_string(&report_path)
        .with_context(|| format!("reading the benchmark's report {}", report_path.display()))?;
    let _ = std::fs::remove_file(&report_path);

    let partial = if benches.len() < BENCHES.len() {
        format!(" · only `{}`", benches.join("`, `"))
    } else {
        String::new()
    };
    let section = format!(
        "{BEGIN}\n\
         Last run: {date} · commit {commit} · {rustc} · profile `server-release`{partial}\n\n\
         Machine: {machine}\n\n\
         {results}\n{END}",
        date = utc_now(),
        commit = commit(),
        rustc = output_line("rustc", &["-V"]).unwrap_or_else(|| "rustc (version unknown)".into()),
        machine = machine(),
        results = results.trim_end(),
    );
    let path = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{section}{}", &old[..b], &old[e + END.len()..]),
        _ => format!("{SKELETON}{section}\n"),
    };
    std::fs::write(&path, new).context("writing BENCHMARKS.md")?;
    eprintln!(
        "xtask> BENCHMARKS.md updated; the benchmark took {:.0?} (build included)",
        started.elapsed()
    );
    Ok(())
}

/// Dexie from the npm registry, for the benchmark only (never shipped), in its own npm prefix
/// outside the checkout: (its UMD build, its version).
fn ensure_dexie() -> anyhow::Result<(PathBuf, String)> {
    let dir = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"))
        .join("staffing-certificate")
        .join("bench-tools");
    let package = dir.join("node_modules").join("dexie");
    let script = package.join("dist").join("dexie.js");
    // `"version": "4.0.11",` in its package.json.
    let version = |package: &Path| -> Option<String> {
        let text = std::fs::read_to_string(package.join("package.json")).ok()?;
        let rest = text.split_once("\"version\"")?.1.split_once('"')?.1;
        Some(rest.split_once('"')?.0.to_owned())
    };
    if !script.is_file() || version(&package).is_none_or(|v| !v.starts_with("4.")) {
        eprintln!("xtask> installing {DEXIE} from npm into {}", dir.display());
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        run_cmd(Command::new("npm").args([
            "install",
            "--prefix",
            &dir.to_string_lossy(),
            "--no-audit",
            "--no-fund",
            DEXIE,
        ]))?;
    }
    let version = version(&package).context("reading Dexie's package.json")?;
    anyhow::ensure!(script.is_file(), "{} is missing", script.display());
    Ok((script, version))
}

/// The first line of a command's standard output, if it ran and succeeded.
pub(crate) fn output_line(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.lines().next()?.trim().to_owned()).filter(|l| !l.is_empty())
}

/// The short commit hash, marked when the work tree has uncommitted changes (read-only git:
/// no optional locks, so a concurrent commit is never disturbed).
pub(crate) fn commit() -> String {
    let Some(hash) = output_line("git", &["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".into();
    };
    let dirty = Command::new("git")
        .args([
            "--no-optional-locks",
            "status",
            "--porcelain",
            "--untracked-files=no",
        ])
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    if dirty {
        format!("`{hash}` + uncommitted changes")
    } else {
        format!("`{hash}`")
    }
}

/// CPU model, logical cores and memory, from /proc on Linux.
pub(crate) fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, v)| v.trim())
        })
        .unwrap_or("unknown CPU")
        .to_owned();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            let kib: f64 = m
                .lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()?;
            Some(format!("{:.1} GiB memory", kib / (1024.0 * 1024.0)))
        })
        .unwrap_or_else(|| "memory unknown".into());
    format!(
        "{model}, {cores} logical cores available, {memory}, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// `YYYY-MM-DD HH:MM UTC`, from the system clock.
pub(crate) fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(0));
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn days_since_the_epoch_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_784), (2026, 11, 27));
    }
}
