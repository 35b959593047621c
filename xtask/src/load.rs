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
