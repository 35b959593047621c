//! The cross-process test harness: a real server on a loopback port with a fresh database,
//! and headless Chromium with a fresh profile and, where asked, a virtual security key;
//! the named scenarios tests start from (`scenario`), and every read of the server's schema
//! (`schema`).

pub mod browser;
pub mod clerk;
pub mod filing;
pub mod history;
pub mod keys;
pub mod qr;
pub mod review;
pub mod scenario;
pub mod schema;
pub mod server;

use std::path::PathBuf;

/// The workspace root (this crate lives one level below it).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
