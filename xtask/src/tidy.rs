//! Source conventions checked on every test run (rust-analyzer's tidy habit): each Rust file
//! opens with a `//!` line saying what it is for, and the architecture invariants a machine can
//! check hold — which crates and modules may name which libraries ([`BOUNDARIES`]).

use std::path::{Path, PathBuf};

use anyhow::bail;

const CRATES: &[&str] = &[
    "app",
    "demo",
    "domain",
    "protocol",
    "server",
    "tests",
    "xtask",
    "reports",
    "xlsx-worker",
    "verify-app",
];

/// A library that only some places may name: `path` (a crate's `src`, or a folder of it) may
/// use `library` only in the files or folders listed in `allowed` (relative to the root).
pub struct Boundary {
    /// Where the rule applies.
    pub path: &'static str,
    /// The crate name as code writes it (`sqlx`, `web_sys` …).
    pub library: &'static str,
    /// The only files or folders under `path` that may name it.
    pub allowed: &'static [&'static str],
    /// Why, for the failure message.
    pub why: &'static str,
}

/// The architecture invariants about dependencies (ARCHITECTURE.md states them).
pub const BOUNDARIES: &[Boundary] = &[
    Boundary {
        path: "server/src",
        library: "sqlx",
        allowed: &["server/src/db"],
        why: "all SQL of the server lives in server/src/db/",
    },
    Boundary {
        path: "tests",
        library: "sqlx",
        allowed: &["tests/src/schema.rs"],
        why: "the tests read the server's schema in one helper module",
    },
    Boundary {
        path: "app/src",
        library: "gloo_net",
        allowed: &["app/src/api.rs", "app/src/api"],
        why: "the client's HTTP calls live in its API module",
    },
    Boundary {
        path: "verify-app/src",
        library: "gloo_net",
        allowed: &["verify-app/src/api.rs"],
        why: "the verification page's HTTP calls live in its API module",
    },
    Boundary {
        path: "domain",
        library: "web_sys",
        allowed: &[],
        why: "domain does no I/O",
    },
    Boundary {
        path: "domain",
        library: "tokio",
        allowed: &[],
        why: "domain does no I/O and nothing async",
    },
    Boundary {
        path: "domain",
        library: "sqlx",
        allowed: &[],
        why: "domain does no I/O",
    },
    Boundary {
        path: "protocol",
        library: "sqlx",
        allowed: &[],
        why: "protocol is serde types only",
    },
    Boundary {
        path: "protocol",
        library: "web_sys",
        allowed: &[],
        why: "protocol is serde types only",
    },
    Boundary {
        path: "reports",
        library: "web_sys",
        allowed: &[],
        why: "reports builds tables from domain types, natively and in the browser",
    },
    Boundary {
        path: "reports",
        library: "rust_xlsxwriter",
        allowed: &["reports/src/xlsx.rs"],
        why: "the .xlsx writer is behind the `xlsx` feature, in one module",
    },
    Boundary {
        path: "app/src",
        library: "rust_xlsxwriter",
        allowed: &[],
        why: "the .xlsx is built in the export worker (xlsx-worker), off the main client",
    },
];

/// Fails with the list of files that break a convention.
pub fn check(root: &Path) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for krate in CRATES {
        collect_rs(&root.join(krate), &mut files)?;
    }
    let relative = |file: &Path| {
        file.strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string()
    };
    let mut missing: Vec<String> = Vec::new();
    let mut crossed: Vec<String> = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file)?;
        let name = relative(file);
        if !starts_with_module_doc(&text) {
            missing.push(name.clone());
        }
        if let Some(line) = refers_outside(&text) {
            crossed.push(format!(
                "{name}:{line}: refers to notes outside the repository (bring what is needed into docs/)"
            ));
        }
        for rule in BOUNDARIES {
            if let Some(line) = breaks(rule, &name, &text) {
                crossed.push(format!(
                    "{name}:{line}: names `{}` ({})",
                    rule.library, rule.why
                ));
            }
        }
    }
    for file in documents(root)? {
        let text = std::fs::read_to_string(&file)?;
        if let Some(line) = refers_outside(&text) {
            crossed.push(format!(
                "{}:{line}: refers to notes outside the repository (bring what is needed into docs/)",
                relative(&file)
            ));
        }
    }
    for rule in BOUNDARIES {
        let manifest = root
            .join(rule.path.split('/').next().unwrap_or(rule.path))
            .join("Cargo.toml");
        if rule.allowed.is_empty()
            && let Ok(text) = std::fs::read_to_string(&manifest)
            && depends_on(&text, rule.library)
        {
            crossed.push(format!(
                "{}: depends on `{}` ({})",
                relative(&manifest),
                rule.library,
                rule.why
            ));
        }
    }
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!(
            "these files do not start with a `//!` module doc:\n  {}",
            missing.join("\n  ")
        ));
    }
    if !crossed.is_empty() {
        problems.push(format!(
            "these files cross an architecture boundary:\n  {}",
            crossed.join("\n  ")
        ));
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    eprintln!(
        "xtask> tidy: {} Rust files checked, {} boundaries kept",
        files.len(),
        BOUNDARIES.len()
    );
    Ok(())
}

/// The first line (1-based) of `text` where the file `name` names `rule.library` as a path or
/// an import, if the rule applies to it and it is not an allowed place. Comments do not count.
fn breaks(rule: &Boundary, name: &str, text: &str) -> Option<usize> {
    let under = |dir: &str| name == dir || name.starts_with(&format!("{dir}/"));
    if !under(rule.path) || rule.allowed.iter().any(|a| under(a)) {
        return None;
    }
    let path = format!("{}::", rule.library);
    text.lines().enumerate().find_map(|(i, line)| {
        let code = line.split("//").next().unwrap_or("");
        let names = code.match_indices(&path).any(|(at, _)| {
            !code[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        }) || code
            .trim_start()
            .starts_with(&format!("use {}", rule.library))
            || code.contains(&format!("extern crate {}", rule.library));
        names.then_some(i + 1)
    })
}

/// The first line (1-based) that points at the shared notes beside the repository, which a
/// clone does not have.
fn refers_outside(text: &str) -> Option<usize> {
    let shared = ["..", "/shared/"].concat();
    let notes = ["DESIGN", "-NOTES"].concat();
    text.lines()
        .position(|line| line.contains(&shared) || line.contains(&notes))
        .map(|i| i + 1)
}

/// The Markdown files of the repository: its root and `docs/`.
fn documents(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for dir in [root.to_path_buf(), root.join("docs")] {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    Ok(out)
}

/// Whether a `Cargo.toml` lists `library` (with `_` or `-`) as a dependency of any kind.
fn depends_on(manifest: &str, library: &str) -> bool {
    let dashed = library.replace('_', "-");
    let mut in_deps = false;
    manifest.lines().any(|line| {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line.contains("dependencies");
            return false;
        }
        let key = line.split(['=', '.']).next().unwrap_or("").trim();
        in_deps && (key == library || key == dashed)
    })
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
    fn boundaries_see_paths_and_imports_but_not_comments() {
        let rule = &BOUNDARIES[0];
        assert_eq!(
            breaks(rule, "server/src/x.rs", "//! x\nuse sqlx::Row;\n"),
            Some(2)
        );
        assert_eq!(
            breaks(rule, "server/src/x.rs", "let p: sqlx::SqlitePool;"),
            Some(1)
        );
        assert_eq!(
            breaks(rule, "server/src/x.rs", "// sqlx::query is in db/\n"),
            None
        );
        assert_eq!(breaks(rule, "server/src/x.rs", "my_sqlx::thing();"), None);
        assert_eq!(
            breaks(rule, "server/src/db/units.rs", "use sqlx::Row;"),
            None
        );
        assert_eq!(breaks(rule, "server/src/dbx.rs", "use sqlx::Row;"), Some(1));
        assert_eq!(breaks(rule, "app/src/x.rs", "use sqlx::Row;"), None);
        assert!(depends_on("[dependencies]\nweb-sys = \"0.3\"\n", "web_sys"));
        assert!(depends_on(
            "[dev-dependencies]\ntokio.workspace = true\n",
            "tokio"
        ));
        assert!(!depends_on("[package]\nname = \"tokio\"\n", "tokio"));
    }

    #[test]
    fn references_outside_the_repository_are_found() {
        let outside = ["see ../", "shared/DOMAIN.md"].concat();
        assert_eq!(refers_outside(&format!("a\n{outside}\n")), Some(2));
        assert_eq!(refers_outside("see docs/DESIGN.md §3"), None);
    }

    #[test]
    fn module_doc_must_come_first() {
        assert!(starts_with_module_doc("\n//! what it is\nfn x() {}"));
        assert!(!starts_with_module_doc("use std::io;\n//! late"));
        assert!(!starts_with_module_doc("// plain comment\n"));
    }
}
