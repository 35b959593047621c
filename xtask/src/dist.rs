//! Finishing Trunk's `dist/`: the boot script moves out of line (our CSP allows no inline
//! script), and the service worker learns the exact files of this build.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

const SW_FILE: &str = "sw.js";

/// Finishes `dist` in place; `sw_template` is `public/sw.js` with its two placeholders;
/// `prefix` is the path the build is served at (`/`, or `/verify/` for the verification page).
pub fn finish(dist: &Path, sw_template: &Path, prefix: &str) -> anyhow::Result<()> {
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path).context("reading dist/index.html")?;
    let (index, boot) = extract_inline_module(&index, prefix)?;
    if let Some((name, script)) = boot {
        std::fs::write(dist.join(&name), script).with_context(|| format!("writing dist/{name}"))?;
    }
    std::fs::write(&index_path, &index).context("writing dist/index.html")?;

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(dist).context("listing dist/")? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && name != SW_FILE && !name.starts_with('.') {
            files.push((name, std::fs::read(entry.path())?));
        }
    }
    files.sort();
    let template = std::fs::read_to_string(sw_template).context("reading public/sw.js")?;
    let sw = service_worker(&template, &files, prefix)?;
    std::fs::write(dist.join(SW_FILE), sw).context("writing dist/sw.js")?;
    eprintln!(
        "xtask> dist finished: {} files in the app shell",
        files.len()
    );
    Ok(())
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

fn service_worker(
    template: &str,
    files: &[(String, Vec<u8>)],
    prefix: &str,
) -> anyhow::Result<String> {
    if !template.contains("\"__VERSION__\"") || !template.contains("__ASSETS__") {
        bail!("public/sw.js lacks the __VERSION__ / __ASSETS__ placeholders");
    }
    let mut hasher = Sha256::new();
    for (name, bytes) in files {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(bytes);
    }
    let version = short_hash(&hasher.finalize());
    let assets: Vec<String> = std::iter::once(format!("\"{prefix}\""))
        .chain(
            files
                .iter()
                .filter(|(name, _)| name != "index.html")
                .map(|(name, _)| format!("\"{prefix}{name}\"")),
        )
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
        let files = vec![("verify-app-1.js".to_owned(), b"a".to_vec())];
        let sw = service_worker(template, &files, "/verify/").unwrap();
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
            ("app-1.js".to_owned(), b"a".to_vec()),
            ("index.html".to_owned(), b"<html>".to_vec()),
        ];
        let sw = service_worker(template, &files, "/").unwrap();
        assert!(
            sw.contains("const ASSETS = [\"/\", \"/app-1.js\"];"),
            "{sw}"
        );
        let mut changed = files.clone();
        changed[0].1 = b"b".to_vec();
        assert_ne!(sw, service_worker(template, &changed, "/").unwrap());
    }
}
