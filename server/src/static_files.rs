//! Serving the built client: the shell of each bundle for its client-side routes, cache
//! lifetimes by kind of file, and the security headers every response carries.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;
use crate::state::AppState;

/// The Content-Security-Policy: only our own origin, WebAssembly compilation allowed, no
/// inline script or style, no framing. The client's boot script is a separate file (see
/// `xtask`), so `'unsafe-inline'` is never needed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; \
     script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; \
     img-src 'self' data:; \
     font-src 'self'; \
     connect-src 'self'; \
     manifest-src 'self'; \
     worker-src 'self'; \
     base-uri 'none'; \
     form-action 'self'; \
     frame-ancestors 'none'";

/// Files whose names carry a content hash may be cached for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (`index.html`, `sw.js`, the manifest) is revalidated on every use.
pub const REVALIDATE: &str = "no-cache";
/// API answers are never stored by caches.
pub const NO_STORE: &str = "no-store";

/// Fallback for every path that is not an API route: a path with an extension is a file of
/// the client (or 404); any other is a client-side route, answered with its bundle's shell.
/// A file is sent as the `<name>.gz` that `cargo xtask` wrote beside it when the browser
/// accepts gzip (compressed once, at the best level, at build time), else as it is.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::NotFound.into_response();
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let dir = state.config.static_dir.clone();
    let accept_encoding = request.headers().get(header::ACCEPT_ENCODING).cloned();
    let method = request.method().clone();
    if has_extension(&path) {
        // A file of the client, or 404.
        return match ServeDir::new(&dir)
            .precompressed_gzip()
            .oneshot(request)
            .await
        {
            Ok(response) => response.map(Body::new),
            Err(never) => match never {},
        };
    }
    // A client-side route such as `/sign-in`: answer with the shell of its bundle.
    let mut shell = Request::new(Body::empty());
    *shell.method_mut() = method;
    if let Some(value) = accept_encoding {
        shell.headers_mut().insert(header::ACCEPT_ENCODING, value);
    }
    match ServeFile::new(index_html(shell_dir(dir, &path)))
        .precompressed_gzip()
        .oneshot(shell)
        .await
    {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

/// The folder whose `index.html` answers a client-side route: a bundle of its own is a folder
/// of the static directory named by the path's first segment (`/review` → `review/`,
/// `/admin/holders` → `admin/`, `/verify/` → `verify/`, each built by `cargo xtask`); every other
/// path is the main bundle's (`/sign-in`, `/certificate/…`).
fn shell_dir(dir: PathBuf, path: &str) -> PathBuf {
    let first = path
        .strip_prefix('/')
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    let plain = !first.is_empty()
        && first
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if plain {
        let bundle = dir.join(first);
        if index_html(bundle.clone()).is_file() {
            return bundle;
        }
    }
    dir
}

/// Where the verification page (`verify-app`) is served, reachable without signing in.
pub const VERIFY_PREFIX: &str = "/verify/";

/// The Permissions-Policy: no camera, microphone, location or payment — but the verification
/// page may ask for the camera, to read a document's QR code.
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=()";
const PERMISSIONS_VERIFY: &str = "camera=(self), microphone=(), geolocation=(), payment=()";

fn index_html(dir: PathBuf) -> PathBuf {
    dir.join("index.html")
}

fn has_extension(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

/// `true` for names such as `app-3f2a…9c_bg.wasm` or `boot-0123456789abcdef.js`: a run of at
/// least [`MIN_HASH_DIGITS`] hexadecimal digits after a dash, as Trunk and `xtask` write them.
/// Trunk prints its 64-bit hash without leading zeros, so a hash may be shorter than 16 digits.
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('-').skip(1).any(|part| {
        let hex = part.chars().take_while(char::is_ascii_hexdigit).count();
        hex >= MIN_HASH_DIGITS
    })
}

/// Fewest hexadecimal digits taken for a content hash (Trunk's is 16 less its leading zeros).
pub const MIN_HASH_DIGITS: usize = 12;

/// Whether the public origin is `https://` (the server behind a TLS proxy, or served over TLS):
/// then every answer carries [`STRICT_TRANSPORT_SECURITY`].
#[derive(Debug, Clone, Copy)]
pub struct Https(pub bool);

/// HSTS: a year, this host only (`includeSubDomains` would bind every other site of the
/// government domain to HTTPS too, which is not this server's to decide).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// Middleware: security headers on every response and a cache policy by kind of path.
pub async fn headers(State(https): State<Https>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let success = response.status().is_success();
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            if path.starts_with(VERIFY_PREFIX) {
                PERMISSIONS_VERIFY
            } else {
                PERMISSIONS
            },
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if https.0 {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    let cache = if path.starts_with("/api/") {
        NO_STORE
    } else if is_content_hashed(&path) && success {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_content_hashed("/app-7b1d0c5e2f3a4b6c_bg.wasm"));
        assert!(is_content_hashed("/main-0123456789abcdef.css"));
        assert!(is_content_hashed("/boot-0123456789abcdef.js"));
        // Seen from Trunk: a hash with its leading zero dropped.
        assert!(is_content_hashed("/app-cbf46cc430a2c0f.js"));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/sw.js"));
        assert!(!is_content_hashed("/manifest.webmanifest"));
        assert!(!is_content_hashed("/icon-192.png"));
        assert!(!is_content_hashed("/sign-in"));
    }

    #[test]
    fn a_route_gets_the_shell_of_the_bundle_its_first_segment_names() {
        let dir = std::env::temp_dir().join(format!("shells-{}", std::process::id()));
        for bundle in ["review", "admin", "verify"] {
            std::fs::create_dir_all(dir.join(bundle)).unwrap();
            std::fs::write(dir.join(bundle).join("index.html"), bundle).unwrap();
        }
        std::fs::create_dir_all(dir.join("empty")).unwrap();
        let shell = |path| shell_dir(dir.clone(), path);
        assert_eq!(shell("/review"), dir.join("review"));
        assert_eq!(shell("/review/"), dir.join("review"));
        assert_eq!(shell("/admin/holders"), dir.join("admin"));
        assert_eq!(shell("/verify/"), dir.join("verify"));
        for main in [
            "/",
            "/sign-in",
            "/certificate/620502-0012/staff",
            "/empty/x",
            "/reviews",
        ] {
            assert_eq!(shell(main), dir, "{main}");
        }
        // Never a folder outside the static directory, nor one named otherwise.
        for odd in ["/../admin", "/%2e%2e/x", "/Admin/holders", "//admin"] {
            assert_eq!(shell(odd), dir, "{odd}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn client_routes_have_no_extension() {
        assert!(!has_extension("/sign-in"));
        assert!(!has_extension("/units/42"));
        assert!(has_extension("/app.js"));
    }
}
