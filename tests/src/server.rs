//! Starting, stopping and restarting the real server in this process, on a loopback port,
//! with a database in a fresh temporary directory.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use server::config::{Config, LogConfig, LogFormat};
use server::startup::Application;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long a graceful stop may take before the server task is aborted.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// A server owned by one test. It keeps its port and data directory across
/// [`stop`](Self::stop) and [`start_again`](Self::start_again), as a real restart would.
pub struct TestServer {
    config: Config,
    running: Option<Running>,
    _data_dir: tempfile::TempDir,
}

struct Running {
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl TestServer {
    /// Starts a server on a free port with a new, empty database.
    pub async fn start() -> anyhow::Result<Self> {
        let data_dir = tempfile::tempdir().context("creating a data directory")?;
        let config = Config {
            port: 0,
            data_dir: data_dir.path().to_path_buf(),
            static_dir: dist_dir(),
            log: LogConfig {
                format: LogFormat::Text,
                filter: "warn".into(),
            },
            ..Config::default()
        };
        let mut server = Self {
            config,
            running: None,
            _data_dir: data_dir,
        };
        server.start_again().await?;
        Ok(server)
    }

    /// The port, fixed at the first start.
    pub fn port(&self) -> u16 {
        self.config.port
    }

    /// `http://localhost:PORT/`: a host name, since WebAuthn refuses IP addresses.
    pub fn url(&self) -> String {
        format!("http://localhost:{}/", self.port())
    }

    /// An absolute URL for `path` (which starts with `/`).
    pub fn url_for(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.port())
    }

    /// Starts (again) on the same port with the same database.
    pub async fn start_again(&mut self) -> anyhow::Result<()> {
        anyhow::ensure!(self.running.is_none(), "the server is already running");
        let app = Application::build(self.config.clone()).await?;
        self.config.port = app.port();
        self.config.public_origin = format!("http://localhost:{}", app.port());
        let (shutdown, signal) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until(async {
            let _ = signal.await;
        }));
        self.running = Some(Running { shutdown, task });
        Ok(())
    }

    /// Stops the server as a shutdown signal would: no new connections, in-flight requests
    /// finish (or are cut after a grace period), the database is closed.
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        let Some(Running { shutdown, mut task }) = self.running.take() else {
            return Ok(());
        };
        let _ = shutdown.send(());
        match tokio::time::timeout(STOP_GRACE, &mut task).await {
            Ok(joined) => joined.context("the server task panicked")?,
            Err(_) => {
                task.abort();
                let _ = task.await;
                Ok(())
            }
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            running.task.abort();
        }
    }
}

/// The built client: `STAFFING_DIST` (set by `cargo xtask test`) or `<workspace>/dist`.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("STAFFING_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("dist"))
}
