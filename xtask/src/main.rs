//! `cargo xtask`: the project's automation — tool set-up, client build, run, test.
//!
//! Everything a fresh Debian machine with only Rust needs is installed from the package
//! registries here (rustup target, `cargo install`, `apt-get`); nothing else is downloaded.

mod bench;
mod budget;
mod dist;
mod load;
mod tidy;
mod tools;

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn summary_lines_of_every_runner_are_added_up() {
        let mut tally = Tally::default();
        tally.add_line("test result: ok. 78 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.60s");
        tally.add_line(
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 filtered out; finished in 0.26s",
        );
        tally.add_line("test api::health ... ok");
        assert_eq!(
            tally,
            Tally {
                passed: 81,
                failed: 2
            }
        );
    }
}

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  run [--port N] [--data-dir DIR] [--origin URL] [--demo SIZE]
                 install missing tools, build the client in release, start the server;
                 an empty database gets a demo city (tiny|small|medium|full, default
                 medium; --demo none for no demo data)
  test           install missing tools, then formatting, lints, unit tests, browser tests
                 of the client, and the end-to-end suite in tests/
  build-client [--release]
                 build the client into dist/ and the verification page into
                 dist/verify/ (Trunk) and finish them
  setup [--browser]
                 only install what is missing (with --browser: Chromium and its driver)
  tidy           check the source conventions (module docs)
  size           weigh dist/ (wasm + JS + CSS gzipped) against the client's size budget,
                 and print the verification page's (dist/verify/, not budgeted)
  bench [--only push|pull_idb|roster|import]
                 run the benchmarks (tests/benches/push.rs, pull_idb.rs, roster.rs, import.rs, profile
                 server-release; --only: one of them) and write the results, machine and
                 commit into BENCHMARKS.md
  fuzz [--seconds N] [--seed S]
                 hostile bytes against the parsers of signed documents and the server
                 (tests/suite/fuzz.rs) for N seconds (default 60), from seed S (default:
                 the clock, printed)
  load [--clients N] [--seconds S]
                 N simulated clients (default 200) signing, pushing and pulling against one
                 server-release server for S seconds (default 60); no 5xx, nothing lost,
                 ledger whole; throughput, latency and peak RSS into BENCHMARKS.md
";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        bail!("no command given");
    };
    let root = workspace_root();
    std::env::set_current_dir(&root).context("entering the workspace root")?;
    tools::prepend_cargo_bin_to_path();
    match command.as_str() {
        "run" => run(&root, rest),
        "test" => test(&root),
        "build-client" => {
            tools::ensure_client_tools(&root)?;
            build_client(&root, rest.iter().any(|a| a == "--release"))
        }
        "setup" => {
            tools::ensure_client_tools(&root)?;
            if rest.iter().any(|a| a == "--browser") {
                tools::ensure_browser()?;
            }
            Ok(())
        }
        "tidy" => tidy::check(&root),
        "size" => {
            budget::report_verify(&root.join("dist/verify"))?;
            budget::check(&root.join("dist")).map(|_| ())
        }
        "bench" => bench::run(&root, rest),
        "fuzz" => load::fuzz(&root, rest),
        "load" => load::load(&root, rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => {
            eprint!("{USAGE}");
            bail!("unknown command `{other}`")
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Runs a command, echoing it, and fails with its exit status.
pub(crate) fn run_cmd(cmd: &mut Command) -> anyhow::Result<()> {
    eprintln!("xtask> {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("starting `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed with {status}", describe(cmd));
    }
    Ok(())
}

/// Passed and failed test counts summed over every test runner of a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Adds the counts of a libtest summary line (`test result: ok. 7 passed; 0 failed; …`),
    /// which cargo test and wasm-bindgen-test-runner both print.
    fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split([';', '.']) {
            let mut words = part.split_whitespace();
            if let (Some(n), Some(what)) = (words.next(), words.next()) {
                match (n.parse::<u64>(), what) {
                    (Ok(n), "passed") => self.passed += n,
                    (Ok(n), "failed") => self.failed += n,
                    _ => {}
                }
            }
        }
    }
}

/// Runs a test command, echoing its output as it comes and tallying its summary lines.
pub(crate) fn run_tests(cmd: &mut Command, tally: &mut Tally) -> anyhow::Result<()> {
    use std::io::{BufRead, BufReader, Write};
    eprintln!("xtask> {}", describe(cmd));
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("starting `{}`", describe(cmd)))?;
    let stdout = child.stdout.take().context("capturing test output")?;
    let mut out = std::io::stdout().lock();
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        tally.add_line(&line);
        writeln!(out, "{line}")?;
    }
    drop(out);
    let status = child.wait()?;
    if !status.success() {
        bail!("`{}` failed with {status}", describe(cmd));
    }
    Ok(())
}

fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds the client with Trunk into `dist/` — the main bundle, then each other bundle into
/// `dist/<bundle>/` ([`dist::BUNDLES`]) — then moves the boot scripts out of line and writes
/// the service worker's asset list.
fn build_client(root: &Path, release: bool) -> anyhow::Result<()> {
    // Trunk runs cargo with --offline; fetch first so a fresh machine has the sources.
    run_cmd(cargo().args(["fetch", "--target", "wasm32-unknown-unknown"]))?;
    let mut trunk = Command::new("trunk");
    trunk.args(["build", "--offline"]);
    if release {
        trunk.arg("--release");
    }
    run_cmd(&mut trunk)?;
    for bundle in dist::BUNDLES {
        let mut trunk = Command::new("trunk");
        trunk.args([
            "build",
            &format!("bundles/{bundle}/index.html"),
            "--offline",
            "--dist",
            &format!("dist/{bundle}"),
            "--public-url",
            &format!("/{bundle}/"),
        ]);
        if release {
            trunk.arg("--release");
        }
        run_cmd(&mut trunk)?;
    }
    dist::finish(
        &root.join("dist"),
        &root.join("public/sw.js"),
        "/",
        dist::BUNDLES,
    )?;
    // The verification page (`verify-app`): a second, separate build into dist/verify/, served
    // at /verify/ with its own service worker; not part of the clerk's client or its budget.
    let mut verify = Command::new("trunk");
    verify.args([
        "build",
        "verify-app/index.html",
        "--offline",
        "--dist",
        "dist/verify",
        "--public-url",
        VERIFY_PREFIX,
    ]);
    if release {
        verify.arg("--release");
    }
    run_cmd(&mut verify)?;
    dist::finish(
        &root.join("dist/verify"),
        &root.join("public/sw.js"),
        VERIFY_PREFIX,
        &[],
    )?;
    // Last, once every file is final: each compressed once here rather than by the server on
    // every request (a first visit downloads every bundle for the service worker).
    let written = dist::precompress(&root.join("dist"))?;
    eprintln!("xtask> {written} files precompressed (.gz beside each)");
    Ok(())
}

/// Where the verification page is served (and built: `dist/verify/`).
const VERIFY_PREFIX: &str = "/verify/";

fn run(root: &Path, args: &[String]) -> anyhow::Result<()> {
    let mut port: Option<String> = None;
    let mut data_dir: Option<String> = None;
    let mut origin: Option<String> = None;
    let mut demo: Option<String> = Some("medium".to_owned());
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let slot = match arg.as_str() {
            "--port" => &mut port,
            "--data-dir" => &mut data_dir,
            "--origin" => &mut origin,
            "--demo" => &mut demo,
            other => bail!("unknown option `{other}` for `run`\n{USAGE}"),
        };
        *slot = Some(
            it.next()
                .with_context(|| format!("{arg} needs a value"))?
                .clone(),
        );
    }
    tools::ensure_client_tools(root)?;
    build_client(root, true)?;
    let mut server = cargo();
    server.args(["run", "--package", "server", "--profile", "server-release"]);
    server.env("APP_STATIC_DIR", root.join("dist"));
    if let Some(port) = &port {
        server.env("APP_PORT", port);
        if origin.is_none() {
            server.env("APP_PUBLIC_ORIGIN", format!("http://localhost:{port}"));
        }
    }
    if let Some(dir) = &data_dir {
        server.env("APP_DATA_DIR", dir);
    }
    if let Some(origin) = &origin {
        server.env("APP_PUBLIC_ORIGIN", origin);
    }
    match demo.as_deref() {
        None | Some("none") => {}
        Some(size) => {
            server.env("APP_DEMO__SIZE", size);
            // The demo accepts any authenticator, so Chrome's WebAuthn emulation works.
            server.env("APP_IDENTITY__ATTESTATION", "demo");
        }
    }
    run_cmd(&mut server)
}

fn test(root: &Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    tools::ensure_client_tools(root)?;
    tools::ensure_browser()?;
    tools::ensure_openssl()?;
    tidy::check(root)?;
    run_cmd(cargo().args(["fmt", "--all", "--check"]))?;
    run_cmd(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    let mut tally = Tally::default();
    // Unit tests of every native crate.
    run_tests(
        cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "app",
            "--exclude",
            "tests",
        ]),
        &mut tally,
    )?;
    // The client's tests, in headless Chromium through wasm-bindgen-test-runner.
    run_tests(
        cargo()
            .args([
                "test",
                "--package",
                "app",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        &mut tally,
    )?;
    // The end-to-end suite drives the release client — the build users get, which must stay
    // within its size budget — and runs the server binary where a test kills the server process.
    build_client(root, true)?;
    budget::check(&root.join("dist"))?;
    run_cmd(cargo().args(["build", "--package", "server", "--bin", "server"]))?;
    run_tests(
        cargo()
            .args(["test", "--package", "tests"])
            .env("STAFFING_DIST", root.join("dist")),
        &mut tally,
    )?;
    eprintln!("xtask> every check passed in {:.0?}", started.elapsed());
    // The closing line CI reads: every test of every runner.
    println!("{} passed, {} failed", tally.passed, tally.failed);
    Ok(())
}
