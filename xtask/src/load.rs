//! `cargo xtask fuzz` and `cargo xtask load` (issue 15): the hostile-input module of the suite
//! run for as long as asked, and the load generator (`tests/src/bin/load.rs`) against one
//! release-built server.

use std::path::Path;

use anyhow::{Context, bail};

use crate::{cargo, run_cmd};

/// The value after `--name` in `args`, parsed.
fn option<T: std::str::FromStr>(args: &[String], name: &str) -> anyhow::Result<Option<T>> {
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == name {
            let value = it.next().with_context(|| format!("{name} needs a value"))?;
            return value
                .parse()
                .map(Some)
                .map_err(|_| anyhow::anyhow!("{name}: `{value}` is not a number"));
        }
    }
    Ok(None)
}

fn known_options(args: &[String], known: &[&str]) -> anyhow::Result<()> {
    for (i, arg) in args.iter().enumerate() {
        let is_value = i > 0 && known.contains(&args[i - 1].as_str());
        if !is_value && !known.contains(&arg.as_str()) {
            bail!("unknown option `{arg}` (known: {})", known.join(", "));
        }
    }
    Ok(())
}

/// `cargo xtask fuzz [--seconds N] [--seed S]`: the suite's `fuzz` module (the parsers, then
/// the server) for N seconds (default 60) from seed S (default: the clock, printed).
pub fn fuzz(_root: &Path, args: &[String]) -> anyhow::Result<()> {
    known_options(args, &["--seconds", "--seed"])?;
    let seconds: u64 = option(args, "--seconds")?.unwrap_or(60);
    let seed: u64 = match option(args, "--seed")? {
        Some(seed) => seed,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(15),
    };
    eprintln!("xtask> fuzz for {seconds} s from seed {seed} (repeat with --seed {seed})");
    run_cmd(cargo().args(["build", "--package", "server", "--bin", "server"]))?;
    run_cmd(
        cargo()
            .args([
                "test",
                "--package",
                "tests",
                "--test",
                "suite",
                "--",
                "fuzz::",
                "--nocapture",
            ])
            .env("STAFFING_FUZZ_SECONDS", seconds.to_string())
            .env("STAFFING_FUZZ_SEED", seed.to_string()),
    )
}

const BEGIN: &str = "<!-- cargo xtask load: begin (generated, do not edit by hand) -->";
const END: &str = "<!-- cargo xtask load: end -->";

/// `cargo xtask load [--clients N] [--seconds S]`: the server binary and the load generator
/// (`tests/benches/load.rs`) in the `server-release` profile, N clients (default 200) for S
/// seconds (default 60); its report replaces the generated section of BENCHMARKS.md.
pub fn load(root: &Path, args: &[String]) -> anyhow::Result<()> {
    known_options(args, &["--clients", "--seconds"])?;
    let clients: u64 = option(args, "--clients")?.unwrap_or(200);
    let seconds: u64 = option(args, "--seconds")?.unwrap_or(60);
    run_cmd(cargo().args([
        "build",
        "--package",
        "server",
        "--bin",
        "server",
        "--profile",
        "server-release",
    ]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let binary = target.join("server-release").join("server");
    let report_path = std::env::temp_dir().join(format!("staffing-load-{}.md", std::process::id()));
    run_cmd(
        cargo()
            .args(["bench", "--package", "tests", "--bench", "load"])
            .args(["--profile", "server-release", "--"])
            .args(["--clients", &clients.to_string()])
            .args(["--seconds", &seconds.to_string()])
            .env("STAFFING_SERVER_BIN", &binary)
            .env("LOAD_REPORT", &report_path),
    )?;
    let results = std::fs::read_to_string(&report_path)
        .with_context(|| format!("reading the load report {}", report_path.display()))?;
    let _ = std::fs::remove_file(&report_path);
    let section = format!(
        "{BEGIN}\n{date} · commit {commit} · {machine}\n\n{results}\n{END}",
        date = crate::bench::utc_now(),
        commit = crate::bench::commit(),
        machine = crate::bench::machine(),
        results = results.trim_end(),
    );
    let path = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{section}{}", &old[..b], &old[e + END.len()..]),
        _ => format!(
            "{}\n## Load (`cargo xtask load`)\n\n\
             N simulated clients, each a clerk with a software security key, sign and push \
             quota-use requests and pull their scope against one `server-release` server on \
             this machine (`tests/benches/load.rs`). The run fails on any answer ≥ 500, on an \
             accepted request missing from the database, or on a broken ledger invariant; the \
             targets (p99 push ≤ 200 ms, peak RSS ≤ 200 MB) are reported, met or missed.\n\n\
             {section}\n",
            old.trim_end()
        ),
    };
    std::fs::write(&path, new).context("writing BENCHMARKS.md")?;
    eprintln!("xtask> BENCHMARKS.md: load section updated");
    Ok(())
}
