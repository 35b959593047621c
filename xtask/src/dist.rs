//! Finishing Trunk's `dist/`: the boot script moves out of line (our CSP allows no inline
//! script), and the service worker learns the exact files of this build.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

const SW_FILE: &str = "sw.js";

/// The client's bundles besides the main one (`app/src/bundles.rs`): each built by Trunk from
/// `bundles/<name>/index.html` into `dist/<name>/`, served at `/<name>…` (the server answers a
/// path whose first segment names such a folder with its shell), precached by the main service
/// worker and weighed on its own against the size budget.
pub const BUNDLES: &[&str] = &["review", "reports", "admin"];

/// Finishes `dist` in place; `sw_template` is `public/sw.js` with its two placeholders;
/// `prefix` is the path the build is served at (`/`, or `/verify/` for the verification page);
/// `bundles` are the folders of `dist` holding other bundles served under the same worker
/// (`/<bundle>/`), finished too and precached with it.
pub fn finish(
    dist: &Path,
    sw_template: &Path,
    prefix: &str,
    bundles: &[&str],
) -> anyhow::Result<()> {
    let mut files = finish_shell(dist, prefix)?;
    for bundle in bundles {
        files.extend(finish_shell(
            &dist.join(bundle),
            &format!("{prefix}{bundle}/"),
        )?);
    }
    files.sort();
    let template = std::fs::read_to_string(sw_template).context("reading public/sw.js")?;
    let sw = service_worker(&template, &files)?;
    std::fs::write(dist.join(SW_FILE), sw).context("writing dist/sw.js")?;
    eprintln!(
        "xtask> dist finished: {} files in the app shell",
        files.len()
    );
    Ok(())
}

/// Kinds of file written beside themselves gzipped, as `<name>.gz`: the text and wasm files of
/// the client. Images already compressed (PNG) are left as they are.
const PRECOMPRESSED: &[&str] = &["wasm", "js", "css", "html", "svg", "webmanifest", "json"];

/// Writes `<file>.gz` (gzip at the best level) beside every [`PRECOMPRESSED`] file under `dir`,
/// recursively, so that the server sends the client without compressing it on every request.
/// Run last: a file changed afterwards would be sent stale from its `.gz`.
pub fn precompress(dir: &Path) -> anyhow::Result<u64> {
    use std::io::Write as _;
    let mut written = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            written += precompress(&path)?;
            continue;
        }
        let kind = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !PRECOMPRESSED.contains(&kind) {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        let mut name = path.as_os_str().to_owned();
        name.push(".gz");
        std::fs::write(&name, gz.finish()?)
            .with_context(|| format!("writing {}", Path::new(&name).display()))?;
        written += 1;
    }
    Ok(written)
}

/// Moves the boot script of `dir/index.html` out of line; returns the files of `dir` (not its
/// folders) as the paths they are served at under `prefix` — `index.html` as `prefix` itself —
/// with their contents.
fn finish_shell(dir: &Path, prefix: &str) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let index_path = dir.join("index.html");
    let index = std::fs::read_to_string(&index_path)
        .with_context(|| format!("reading {}", index_path.display()))?;
    let (index, boot) = extract_inline_module(&index, prefix)?;
    if let Some((name, script)) = boot {
        std::fs::write(dir.join(&name), script)
            .with_context(|| format!("writing {}", dir.join(&name).display()))?;
    }
    std::fs::write(&index_path, &index)
        .with_context(|| format!("writing {}", index_path.display()))?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && name != SW_FILE && !name.starts_with('.') {
            let path = if name == "index.html" {
                prefix.to_owned()
            } else {
                format!("{prefix}{name}")
            };
            files.push((path, std::fs::read(entry.path())?));
        }
    }
    Ok(files)
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Replaces Trunk's inline `<script type="module">…</script>` with a reference to a
/// content-hashed file; returns the new HTML and the file (name, content). Any other
/// inline script is an error, since the CSP would block it.
fn extract_inline_module(
    html: &str,
    prefix: &str,
) -> anyhow::Result<(String, Option<(String, String)>)> {
    let mut out = String::with_capacity(html.len());
    let mut boot = None;
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        let tag_end = start
            + rest[start..]
                .find('>')
                .context("unterminated <script> tag")?
            + 1;
        let tag = &rest[start..tag_end];
        let close = tag_end
            + rest[tag_end..]
                .find("</script>")
                .context("<script> without </script>")?;
        let body = &rest[tag_end..close];
        if tag.contains("src=") {
            out.push_str(&rest[start..close + "</script>".len()]);
        } else if is_module(tag) && boot.is_none() {
            let name = format!("boot-{}.js", short_hash(body.as_bytes()));
            out.push_str(&format!(
                "<script type=\"module\" src=\"{prefix}{name}\"></script>"
            ));
            boot = Some((name, body.trim().to_owned() + "\n"));
        } else if body.trim().is_empty() {
            out.push_str(&rest[start..close + "</script>".len()]);
        } else {
            bail!("dist/index.html has an inline script the CSP would block: {tag}");
        }
        rest = &rest[close + "</script>".len()..];
    }
    out.push_str(rest);
    Ok((out, boot))
}

/// The service worker with its version (a hash of every file) and asset list filled in.
/// Whether a `<script …>` tag is a module, its attribute quoted or not (Trunk's minified HTML
/// writes `type=module`).
fn is_module(tag: &str) -> bool {
    ["type=\"module\"", "type='module'", "type=module"]
        .iter()
        .any(|t| tag.contains(t))
}

/// `files`: the paths the worker precaches (each shell as its folder's path) with their
/// contents.
fn service_worker(template: &str, files: &[(String, Vec<u8>)]) -> anyhow::Result<String> {
    if !template.contains("\"__VERSION__\"") || !template.contains("__ASSETS__") {
        bail!("public/sw.js lacks the __VERSION__ / __ASSETS__ placeholders");
    }
    let mut hasher = Sha256::new();
    for (path, bytes) in files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(bytes);
    }
    let version = short_hash(&hasher.finalize());
    let assets: Vec<String> = files
        .iter()
        .map(|(path, _)| format!("\"{path}\""))
        .collect();
    Ok(template
        .replace("\"__VERSION__\"", &format!("\"{version}\""))
        .replace("__ASSETS__", &format!("[{}]", assets.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_OUTPUT: &str = r#"<html><head>
<link rel="modulepreload" href="/app-0123456789abcdef.js">
<script type="module">
import init, * as bindings from '/app-0123456789abcdef.js';
const wasm = await init({ module_or_path: '/app-0123456789abcdef_bg.wasm' });
</script></head><body></body></html>"#;

    #[test]
    fn the_boot_script_moves_to_a_hashed_file() {
        let (html, boot) = extract_inline_module(TRUNK_OUTPUT, "/").unwrap();
        let (name, script) = boot.unwrap();
        assert!(name.starts_with("boot-") && name.ends_with(".js") && name.len() == 5 + 16 + 3);
        assert!(script.contains("await init("));
        assert!(html.contains(&format!(
            "<script type=\"module\" src=\"/{name}\"></script>"
        )));
        assert!(!html.contains("await init("));
    }

    #[test]
    fn the_boot_script_of_minified_html_moves_too() {
        let minified = r#"<html><head><script type=module>import init from"/app-0123456789abcdef.js";await init({module_or_path:`/app-0123456789abcdef_bg.wasm`});</script></head><body></body></html>"#;
        let (html, boot) = extract_inline_module(minified, "/").unwrap();
        let (name, script) = boot.unwrap();
        assert!(script.contains("await init("));
        assert!(html.contains(&format!(
            "<script type=\"module\" src=\"/{name}\"></script>"
        )));
        assert!(!html.contains("await init("));
    }

    #[test]
    fn the_verification_page_is_finished_under_its_prefix() {
        let (html, boot) = extract_inline_module(TRUNK_OUTPUT, "/verify/").unwrap();
        let (name, _) = boot.unwrap();
        assert!(html.contains(&format!("src=\"/verify/{name}\"")), "{html}");
        let template = "const VERSION = \"__VERSION__\";\nconst ASSETS = __ASSETS__;\n";
        let files = vec![
            ("/verify/".to_owned(), b"<html>".to_vec()),
            ("/verify/verify-app-1.js".to_owned(), b"a".to_vec()),
        ];
        let sw = service_worker(template, &files).unwrap();
        assert!(
            sw.contains("const ASSETS = [\"/verify/\", \"/verify/verify-app-1.js\"];"),
            "{sw}"
        );
    }

    #[test]
    fn another_inline_script_is_refused() {
        let html = "<script>alert(1)</script>";
        assert!(extract_inline_module(html, "/").is_err());
    }

    #[test]
    fn the_service_worker_lists_every_file_and_changes_version_with_content() {
        let template = "const VERSION = \"__VERSION__\";\nconst ASSETS = __ASSETS__;\n";
        let files = vec![
            ("/".to_owned(), b"<html>".to_vec()),
            ("/app-1.js".to_owned(), b"a".to_vec()),
        ];
        let sw = service_worker(template, &files).unwrap();
        assert!(
            sw.contains("const ASSETS = [\"/\", \"/app-1.js\"];"),
            "{sw}"
        );
        let mut changed = files.clone();
        changed[1].1 = b"b".to_vec();
        assert_ne!(sw, service_worker(template, &changed).unwrap());
    }

    #[test]
    fn every_bundle_is_finished_under_its_prefix_and_precached_by_the_main_worker() {
        let dist = std::env::temp_dir().join(format!("dist-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dist);
        std::fs::create_dir_all(dist.join("review")).unwrap();
        std::fs::create_dir_all(dist.join("verify")).unwrap();
        std::fs::write(dist.join("index.html"), TRUNK_OUTPUT).unwrap();
        std::fs::write(dist.join("app-0123456789abcdef.js"), "a").unwrap();
        let review = TRUNK_OUTPUT.replace("/app-", "/review/review-");
        std::fs::write(dist.join("review/index.html"), review).unwrap();
        std::fs::write(dist.join("review/review-0123456789abcdef.js"), "r").unwrap();
        std::fs::write(dist.join("verify/index.html"), "<html></html>").unwrap();
        let template = dist.with_extension("js");
        std::fs::write(
            &template,
            "const VERSION = \"__VERSION__\";\nconst ASSETS = __ASSETS__;\n",
        )
        .unwrap();
        finish(&dist, &template, "/", &["review"]).unwrap();
        let html = std::fs::read_to_string(dist.join("review/index.html")).unwrap();
        assert!(html.contains("src=\"/review/boot-"), "{html}");
        let sw = std::fs::read_to_string(dist.join("sw.js")).unwrap();
        for path in ["\"/\"", "\"/app-0123456789abcdef.js\"", "\"/review/\""] {
            assert!(sw.contains(path), "{path} not precached: {sw}");
        }
        assert!(
            sw.contains("\"/review/review-0123456789abcdef.js\""),
            "{sw}"
        );
        assert!(sw.contains("\"/review/boot-"), "{sw}");
        // Another folder (the verification page) has a worker of its own.
        assert!(!sw.contains("/verify/"), "{sw}");
        assert!(!dist.join("review/sw.js").exists());
        std::fs::remove_dir_all(&dist).unwrap();
        std::fs::remove_file(&template).unwrap();
    }
}
