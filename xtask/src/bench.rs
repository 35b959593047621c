//! `cargo xtask bench [--only push|pull_idb|roster|import]`: runs `tests/benches/push.rs` (which
//! measures OpenSSL's P-256 rate beside the push), `tests/benches/pull_idb.rs` (against the
//! release client, beside Dexie, which it installs from npm for the benchmark only),
//! `tests/benches/roster.rs` (the roster filter at 5,000 people, release client) and
//! `tests/benches/import.rs` (the roster import's check of 10,000 rows) in the
//! `server-release` profile, or only one of them, and writes their results, with the date,
//! the machine, the compiler and the commit, into BENCHMARKS.md.
//!
//! Only the part between [`BEGIN`] and [`END`] is rewritten; the prose around it is kept.
//! Inside it each benchmark has its own part, opened by `<!-- bench: <name> -->` and stamped
//! with when, at which commit and on which machine it ran: a full run rewrites every part, `--only
//! <name>` replaces that one and keeps the others ([`merge`]). A section written before the parts
//! existed is kept whole as the part `earlier` until a full run replaces it.

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
    let rustc = output_line("rustc", &["-V"]).unwrap_or_else(|| "rustc (version unknown)".into());
    let machine = machine();
    // The server's own profile (opt-level 3, thin LTO, unwind), not the client's size-first
    // `release`, which `cargo bench` would otherwise inherit. Each writes a report of its own.
    let mut parts = Vec::new();
    for bench in &benches {
        let report_path =
            std::env::temp_dir().join(format!("staffing-bench-{}-{bench}.md", std::process::id()));
        let _ = std::fs::remove_file(&report_path);
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
        let results = std::fs::read_to_string(&report_path)
            .with_context(|| format!("reading the benchmark's report {}", report_path.display()))?;
        let _ = std::fs::remove_file(&report_path);
        let stamp = format!(
            "**`{bench}`** — run {date} · commit {commit} · {rustc} · profile \
             `server-release` · {machine}",
            date = utc_now(),
            commit = commit(),
        );
        parts.push(Part {
            name: (*bench).to_owned(),
            text: format!("{stamp}\n\n{}", results.trim()),
        });
    }
    let path = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new = merge(&old, parts, benches.len() == BENCHES.len());
    std::fs::write(&path, new).context("writing BENCHMARKS.md")?;
    eprintln!(
        "xtask> BENCHMARKS.md updated; the benchmark took {:.0?} (build included)",
        started.elapsed()
    );
    Ok(())
}

/// Opens a benchmark's part of the generated section: `<!-- bench: roster -->`.
const PART: &str = "<!-- bench: ";
/// The name of the part that keeps a section written before parts existed.
const EARLIER: &str = "earlier";
/// The generated section's first lines (the parts follow).
const HEADER: &str = "Each part says when, at which commit and on which machine it ran: \
`cargo xtask bench` rewrites them all, `cargo xtask bench --only <name>` only its own.";

/// One benchmark's part of the generated section: its name and its text (stamp and results).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    name: String,
    text: String,
}

/// The generated section's parts, in order: a section written before parts existed (not
/// empty, not [`HEADER`]) is kept whole as the part [`EARLIER`].
fn parts_of(section: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let (preamble, mut rest) = match section.find(PART) {
        Some(at) => (&section[..at], &section[at..]),
        None => (section, ""),
    };
    let preamble = preamble.trim();
    if !preamble.is_empty() && preamble != HEADER {
        parts.push(Part {
            name: EARLIER.to_owned(),
            text: preamble.to_owned(),
        });
    }
    while let Some(after) = rest.strip_prefix(PART) {
        let Some((name, body)) = after.split_once("-->") else {
            break;
        };
        let end = body.find(PART).unwrap_or(body.len());
        parts.push(Part {
            name: name.trim().to_owned(),
            text: body[..end].trim().to_owned(),
        });
        rest = &body[end..];
    }
    parts
}

/// BENCHMARKS.md (`old`) with `fresh` parts in its generated section: every part replaced
/// when `full`, else each fresh one replacing its namesake (or added) and the others kept —
/// [`EARLIER`] first, then in the order of [`BENCHES`]. The text outside the markers is kept;
/// a document without them becomes [`SKELETON`] and the section.
fn merge(old: &str, fresh: Vec<Part>, full: bool) -> String {
    let markers = match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if b < e => Some((b, e)),
        _ => None,
    };
    let mut parts = match markers {
        Some((b, e)) if !full => parts_of(&old[b + BEGIN.len()..e]),
        _ => Vec::new(),
    };
    for part in fresh {
        match parts.iter_mut().find(|p| p.name == part.name) {
            Some(kept) => *kept = part,
            None => parts.push(part),
        }
    }
    let rank = |name: &str| match BENCHES.iter().position(|b| *b == name) {
        _ if name == EARLIER => 0,
        Some(i) => i + 1,
        None => BENCHES.len() + 1,
    };
    parts.sort_by_key(|p| rank(&p.name));
    let mut section = format!("{BEGIN}\n{HEADER}\n");
    for part in &parts {
        section.push_str(&format!("\n{PART}{} -->\n{}\n", part.name, part.text));
    }
    section.push_str(END);
    match markers {
        Some((b, e)) => format!("{}{section}{}", &old[..b], &old[e + END.len()..]),
        None => format!("{SKELETON}{section}\n"),
    }
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
    use super::{BEGIN, END, HEADER, Part, civil_from_days, merge, parts_of};

    fn part(name: &str, text: &str) -> Part {
        Part {
            name: name.into(),
            text: text.into(),
        }
    }

    #[test]
    fn one_benchmark_alone_replaces_its_part_and_keeps_the_others() {
        let before = format!("# Benchmarks\n\nprose\n\n{BEGIN}\nold\n{END}\n");
        let full = merge(
            &before,
            vec![
                part("push", "push 1"),
                part("pull_idb", "pull 1"),
                part("roster", "roster 1"),
                part("import", "import 1"),
            ],
            true,
        );
        assert!(full.starts_with("# Benchmarks\n\nprose\n"));
        let only = merge(&full, vec![part("roster", "roster 2\n\n| a | b |")], false);
        let section = &only[only.find(BEGIN).unwrap() + BEGIN.len()..only.find(END).unwrap()];
        assert_eq!(
            parts_of(section),
            vec![
                part("push", "push 1"),
                part("pull_idb", "pull 1"),
                part("roster", "roster 2\n\n| a | b |"),
                part("import", "import 1"),
            ]
        );
        // Prose after the section survives both runs; a full run drops what it did not run.
        let with_tail = format!("{only}\n\n### Notes\n");
        let again = merge(&with_tail, vec![part("push", "push 3")], true);
        assert!(again.ends_with("\n\n### Notes\n"));
        let section = &again[again.find(BEGIN).unwrap()..];
        assert_eq!(
            parts_of(&section[BEGIN.len()..section.find(END).unwrap()]),
            vec![part("push", "push 3")]
        );
    }

    #[test]
    fn a_section_from_before_the_parts_is_kept_as_earlier() {
        let old = format!("intro\n{BEGIN}\nLast run: then\n\n| push | 1 |\n{END}\noutro\n");
        let new = merge(&old, vec![part("roster", "roster 1")], false);
        assert!(new.starts_with(&format!("intro\n{BEGIN}\n{HEADER}\n")));
        assert!(new.ends_with(&format!("{END}\noutro\n")));
        let section = &new[new.find(BEGIN).unwrap() + BEGIN.len()..new.find(END).unwrap()];
        assert_eq!(
            parts_of(section),
            vec![
                part("earlier", "Last run: then\n\n| push | 1 |"),
                part("roster", "roster 1"),
            ]
        );
        // Merged again: nothing doubles.
        assert_eq!(merge(&new, vec![part("roster", "roster 1")], false), new);
    }

    #[test]
    fn days_since_the_epoch_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_784), (2026, 11, 27));
    }
}
