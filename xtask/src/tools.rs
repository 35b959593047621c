//! Installing what the build and the tests need, only from the package registries, and only
//! when it is missing or at the wrong version.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::run_cmd;

/// Trunk's version: 0.22.1 is the newest that installs with `--ignore-rust-version` on our
/// toolchain (every 0.22.x declares a newer rust-version than it needs).
pub const TRUNK_VERSION: &str = "0.22.1";
/// Debian's ChromeDriver, used by wasm-bindgen-test-runner.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Debian's Chromium, used by the end-to-end suite.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// A CJK font (Debian's fonts-wqy-microhei), so screenshots of the Chinese interface are legible.
pub const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

/// Puts `$CARGO_HOME/bin` first on `PATH`, so freshly installed tools are found.
pub fn prepend_cargo_bin_to_path() {
    prepend_to_path(cargo_home().join("bin"));
}

/// Puts `bin` first on `PATH`.
fn prepend_to_path(bin: PathBuf) {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = vec![bin];
    dirs.extend(std::env::split_paths(&path));
    if let Ok(joined) = std::env::join_paths(dirs) {
        // SAFETY: xtask is single-threaded here; no other thread reads the environment.
        unsafe { std::env::set_var("PATH", joined) };
    }
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

/// The wasm32 target, wasm-opt, Trunk, and a wasm-bindgen-cli equal to Cargo.lock's
/// wasm-bindgen.
pub fn ensure_client_tools(root: &Path) -> anyhow::Result<()> {
    ensure_wasm_target()?;
    ensure_wasm_opt()?;
    let bindgen = locked_version(&root.join("Cargo.lock"), "wasm-bindgen")?;
    let trunk_toml =
        std::fs::read_to_string(root.join("Trunk.toml")).context("reading Trunk.toml")?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{bindgen}\"")) {
        bail!("Trunk.toml's [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen {bindgen}");
    }
    if installed_version("trunk", "--version").as_deref() != Some(TRUNK_VERSION) {
        eprintln!("xtask> installing trunk {TRUNK_VERSION} (about 12 minutes on two cores)");
        run_cmd(Command::new(cargo_bin()).args([
            "install",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--locked",
            "--ignore-rust-version",
        ]))?;
    }
    if installed_version("wasm-bindgen", "--version").as_deref() != Some(bindgen.as_str()) {
        eprintln!("xtask> installing wasm-bindgen-cli {bindgen} (about 3 minutes)");
        // Not --locked: its lockfile pins a webpki-roots the registry no longer has.
        run_cmd(Command::new(cargo_bin()).args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &bindgen,
            "--force",
        ]))?;
    }
    Ok(())
}

fn cargo_bin() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

fn ensure_wasm_target() -> anyhow::Result<()> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("running rustup (is Rust installed with rustup?)")?;
    let installed = String::from_utf8_lossy(&out.stdout);
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// The binaryen release whose `wasm-opt` optimises the release client (Debian's 108 is too old
/// for wasm-bindgen's output: it breaks the externref table).
pub const BINARYEN_VERSION: &str = "132";

/// Where npm installs binaryen: outside the checkout, so every clone on the machine reuses it.
fn node_tools_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"))
        .join("staffing-certificate")
        .join("node-tools")
}

/// `wasm-opt` from the npm package `binaryen` (Node and npm from Debian when missing), put first
/// on `PATH` so that Trunk finds it (Trunk.toml pins its version, so it never downloads one).
pub fn ensure_wasm_opt() -> anyhow::Result<()> {
    let dir = node_tools_dir();
    let bin = dir.join("node_modules").join(".bin");
    let wasm_opt = bin.join("wasm-opt");
    let version = Command::new(&wasm_opt)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if version.is_none_or(|v| v.split_whitespace().nth(2) != Some(BINARYEN_VERSION)) {
        if Command::new("npm").arg("--version").output().is_err() {
            eprintln!("xtask> installing Debian's nodejs and npm (for binaryen's wasm-opt)");
            apt_install(&["nodejs", "npm"])?;
        }
        eprintln!("xtask> installing wasm-opt (npm package binaryen@{BINARYEN_VERSION})");
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        run_cmd(Command::new("npm").args([
            "install",
            "--prefix",
            &dir.to_string_lossy(),
            "--no-audit",
            "--no-fund",
            "--no-save",
            &format!("binaryen@{BINARYEN_VERSION}"),
        ]))?;
    }
    prepend_to_path(bin);
    Ok(())
}

/// Chromium and ChromeDriver from Debian's packages.
pub fn ensure_browser() -> anyhow::Result<()> {
    if [CHROMIUM, CHROMEDRIVER, CJK_FONT]
        .iter()
        .all(|p| Path::new(p).is_file())
    {
        return Ok(());
    }
    eprintln!("xtask> installing Debian's chromium, chromium-driver and fonts-wqy-microhei");
    // A CJK font, so that screenshots of the Chinese interface are readable.
    apt_install(&["chromium", "chromium-driver", "fonts-wqy-microhei"])
}

/// OpenSSL 3 with SM2 (Debian's `openssl`): the suite verifies a document's signature with it,
/// an SM2 implementation other than the one that signed.
pub fn ensure_openssl() -> anyhow::Result<()> {
    let has_sm2 = Command::new("openssl")
        .args(["list", "-signature-algorithms"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("SM2"));
    if has_sm2 {
        return Ok(());
    }
    eprintln!("xtask> installing Debian's openssl (SM2 signatures, for the independent check)");
    apt_install(&["openssl"])
}

/// `apt-get update`, then installs `packages` (as root, else through sudo).
fn apt_install(packages: &[&str]) -> anyhow::Result<()> {
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        let mut cmd = Command::new(all[0]);
        cmd.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        run_cmd(&mut cmd)
    };
    apt(&["update"])?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend_from_slice(packages);
    apt(&args)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The version a tool prints as `name x.y.z`, if it runs.
fn installed_version(tool: &str, flag: &str) -> Option<String> {
    let out = Command::new(tool).arg(flag).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().nth(1).map(str::to_owned)
}

/// The version of `package` recorded in Cargo.lock (the first entry of that name).
pub fn locked_version(lock: &Path, package: &str) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(lock).with_context(|| format!("reading {}", lock.display()))?;
    parse_locked_version(&text, package)
        .with_context(|| format!("{package} is not in {}", lock.display()))
}

fn parse_locked_version(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines
                .next()?
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_locked_version_of_exactly_that_package() {
        let lock = "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            parse_locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(parse_locked_version(lock, "trunk"), None);
    }
}
