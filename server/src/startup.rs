//! Building the application from its configuration: database, router, listener, shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::http::StatusCode;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::clock::Clock;
use crate::config::Config;
use crate::state::AppState;

/// Largest request body accepted (a batch of signed envelopes stays far below it).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A request that takes longer than this is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A server that has opened its database and bound its port, ready to run.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    state: AppState,
}

impl Application {
    /// Opens and migrates the database and binds the listener (`port = 0` picks a free port;
    /// a `public_origin` ending in `:0` then takes the bound port, as tests want).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        Self::build_with_clock(config, Clock::default()).await
    }

    /// [`Application::build`] with the clock of the rules given (tests set it forward).
    /// Before serving, approvals an earlier server marked approved without applying them are
    /// applied or reopened (`signed::effects::apply_pending`), then slips that lapsed are
    /// released.
    pub async fn build_with_clock(mut config: Config, clock: Clock) -> anyhow::Result<Self> {
        let pool = crate::db::open(&config.database_path()).await?;
        let documents = Arc::new(crate::documents::keyring::Keyring::new(&config.data_dir));
        if let Some(demo) = &config.demo {
            crate::demo_data::seed_if_empty(&pool, demo).await?;
            // A demo city works out of the box: every bureau gets a document key.
            let created =
                crate::documents::keyring::ensure_all(&pool, &documents, crate::clock::now())
                    .await?;
            if !created.is_empty() {
                tracing::info!(keys = created.len(), "document keys created for the demo");
            }
        }
        let (applied, reopened) = crate::signed::effects::apply_pending(&pool, &documents).await?;
        if applied + reopened > 0 {
            tracing::info!(applied, reopened, "approvals left unapplied were settled");
        }
        crate::signed::lapse::sweep(&pool, clock.today()).await?;
        let listener = TcpListener::bind((config.host, config.port))
            .await
            .with_context(|| format!("binding {}:{}", config.host, config.port))?;
        let address = listener.local_addr().context("reading the bound address")?;
        if let Some(base) = config.public_origin.strip_suffix(":0") {
            config.public_origin = format!("{base}:{}", address.port());
        }
        let identity = crate::identity::state(&config)?;
        if !config.static_dir.join("index.html").is_file() {
            tracing::warn!(
                dir = %config.static_dir.display(),
                "the built client is missing; run `cargo xtask run` to build it"
            );
        }
        Ok(Self {
            listener,
            address,
            state: AppState {
                pool,
                config: Arc::new(config),
                identity,
                clock,
                documents,
            },
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The URL to open in a browser: the bound port on `localhost` (WebAuthn refuses IP
    /// addresses as relying-party ids).
    pub fn url(&self) -> String {
        format!("http://localhost:{}/", self.port())
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests and closes the
    /// database.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let pool = self.state.pool.clone();
        let job = tokio::spawn(crate::signed::lapse::run_job(
            pool.clone(),
            self.state.clock.clone(),
        ));
        let served = axum::serve(
            self.listener,
            router(self.state).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP");
        job.abort();
        served?;
        pool.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// The whole HTTP surface: `/api/*`, then the client's files, all behind the same layers.
/// The body limit sits inside the security headers, so a refused body is answered like any
/// other error: 413 with its JSON `ErrorBody` and every header.
pub fn router(state: AppState) -> Router {
    let https = crate::static_files::Https(state.config.is_https());
    Router::new()
        .nest("/api", crate::routes::api())
        .fallback(crate::static_files::serve)
        .with_state(state)
        // Bodies read by the extractors stop at the limit (`ApiJson` answers 413)…
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        // …and a declared length over it is refused before anything is read.
        .layer(axum::middleware::from_fn(refuse_large_bodies))
        .layer(axum::middleware::from_fn_with_state(
            https,
            crate::static_files::headers,
        ))
        .layer(CompressionLayer::new().gzip(true))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(
            TraceLayer::new_for_http()
                // The path only: a query string may carry what must not be logged.
                .make_span_with(|request: &axum::http::Request<axum::body::Body>| {
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                    )
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// Answers 413 (`payload_too_large`) to a request whose `Content-Length` exceeds
/// [`MAX_BODY_BYTES`], without reading it.
async fn refuse_large_bodies(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return crate::error::ApiError::PayloadTooLarge.into_response();
    }
    next.run(request).await
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
