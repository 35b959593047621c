//! Source conventions checked on every test run: each Rust file opens with a `//!` line
//! saying what it is for (rust-analyzer's tidy habit).

use std::path::{Path, PathBuf};

use anyhow::bail;

const CRATES: &[&str] = &[
    "app", "demo", "domain", "protocol", "server", "tests", "xtask",
];

/// Fails with the list of files that break a convention.
pub fn check(root: &Path) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for krate in CRATES {
        collect_rs(&root.join(krate), &mut files)?;
    }
    let mut missing: Vec<String> = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)?;
        if !starts_with_module_doc(&text) {
            missing.push(
                file.strip_prefix(root)
                    .unwrap_or(file)
                    .display()
                    .to_string(),
            );
        }
    }
    if !missing.is_empty() {
        bail!(
            "these files do not start with a `//!` module doc:\n  {}",
            missing.join("\n  ")
        );
    }
    eprintln!("xtask> tidy: {} Rust files checked", files.len());
    Ok(())
}

fn starts_with_module_doc(text: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .find(|line| !line.is_empty())
        .is_some_and(|line| line.starts_with("//!"))
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                collect_rs(&path, out)?;
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_doc_must_come_first() {
        assert!(starts_with_module_doc("\n//! what it is\nfn x() {}"));
        assert!(!starts_with_module_doc("use std::io;\n//! late"));
        assert!(!starts_with_module_doc("// plain comment\n"));
    }
}
