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
    /// The server's clock of the rules, kept across restarts ([`TestServer::clock`]).
    clock: server::clock::Clock,
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
        Self::start_with(None).await
    }

    /// Starts a server whose new database holds the tiny demo city (seed 2018): a dozen units
    /// of 天水市, 秦州区 and 张家川 with about 150 people.
    pub async fn start_with_demo() -> anyhow::Result<Self> {
        Self::start_with(Some(server::config::DemoConfig {
            size: "tiny".into(),
            seed: server::config::DEFAULT_DEMO_SEED,
        }))
        .await
    }

    /// Starts a server with the tiny demo city and the configuration changed by `edit`.
    pub async fn start_configured(edit: impl FnOnce(&mut Config)) -> anyhow::Result<Self> {
        let mut server = Self::stopped(Some(server::config::DemoConfig {
            size: "tiny".into(),
            seed: server::config::DEFAULT_DEMO_SEED,
        }))?;
        edit(&mut server.config);
        server.start_again().await?;
        Ok(server)
    }

    async fn start_with(demo: Option<server::config::DemoConfig>) -> anyhow::Result<Self> {
        let mut server = Self::stopped(demo)?;
        server.start_again().await?;
        Ok(server)
    }

    fn stopped(demo: Option<server::config::DemoConfig>) -> anyhow::Result<Self> {
        let data_dir = tempfile::tempdir().context("creating a data directory")?;
        let config = Config {
            port: 0,
            data_dir: data_dir.path().to_path_buf(),
            static_dir: dist_dir(),
            log: LogConfig {
                format: LogFormat::Text,
                filter: "warn".into(),
            },
            demo,
            // Taken over by the bound port (see `Application::build`).
            public_origin: "http://localhost:0".into(),
            identity: server::config::IdentityConfig {
                attestation: server::config::AttestationMode::Demo,
                ..server::config::IdentityConfig::default()
            },
            ..Config::default()
        };
        Ok(Self {
            config,
            clock: server::clock::Clock::default(),
            running: None,
            _data_dir: data_dir,
        })
    }

    /// The configuration to change while the server is stopped (it takes effect at
    /// [`TestServer::start_again`]).
    pub fn config_mut(&mut self) -> &mut Config {
        &mut self.config
    }

    /// The server's configuration (port and origin as bound).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Opens a second connection pool on the server's database (SQLite in WAL mode allows it),
    /// for a test to arrange or inspect records directly.
    pub async fn database(&self) -> anyhow::Result<crate::schema::Pool> {
        server::db::open(&self.config.database_path()).await
    }

    /// The clock the server's rules read: a test sets it forward
    /// (`clock().advance_days(…)`) to make slips lapse and deadlines pass.
    pub fn clock(&self) -> &server::clock::Clock {
        &self.clock
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
        let app = Application::build_with_clock(self.config.clone(), self.clock.clone()).await?;
        self.config.port = app.port();
        // The scheme as configured (a test may ask for an `https://` origin).
        let scheme = if self.config.is_https() {
            "https"
        } else {
            "http"
        };
        self.config.public_origin = format!("{scheme}://localhost:{}", app.port());
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

/// The server binary running as its own process on a [`TestServer`]'s port and database, for
/// tests that kill it (SIGKILL: no graceful stop, in-flight requests cut, open transactions
/// lost).
pub struct ServerProcess {
    child: std::process::Child,
}

impl TestServer {
    /// Runs the server binary (`cargo xtask test` builds it beside the suite) on this server's
    /// port, data directory and configuration, and waits until it answers. The in-process
    /// server must be stopped.
    pub async fn spawn_process(&self) -> anyhow::Result<ServerProcess> {
        self.spawn_binary(&server_binary()?).await
    }

    /// [`spawn_process`](Self::spawn_process) with another build of the server binary (the
    /// load generator runs the `server-release` one).
    pub async fn spawn_binary(&self, binary: &std::path::Path) -> anyhow::Result<ServerProcess> {
        anyhow::ensure!(self.running.is_none(), "stop the in-process server first");
        let binary = binary.to_path_buf();
        let config = &self.config;
        let child = std::process::Command::new(&binary)
            .arg("serve")
            .current_dir(&config.data_dir)
            .env("APP_HOST", "127.0.0.1")
            .env("APP_PORT", config.port.to_string())
            .env("APP_DATA_DIR", &config.data_dir)
            .env("APP_STATIC_DIR", &config.static_dir)
            .env("APP_PUBLIC_ORIGIN", &config.public_origin)
            .env("APP_RP_ID", &config.rp_id)
            .env("APP_IDENTITY__ATTESTATION", "demo")
            .env("APP_LOG__FILTER", "warn")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let process = ServerProcess { child };
        let health = format!("http://127.0.0.1:{}/api/health", config.port);
        for _ in 0..300 {
            if reqwest::get(&health)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(process);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!("the server process did not answer on {health}")
    }
}

impl TestServer {
    /// Runs one command of the server binary (`server export-audit …`) on this server's data
    /// directory and configuration, to its end; the in-process server may be running (the
    /// database is shared as SQLite shares it). Its output, whatever its exit status.
    pub fn run_command(&self, args: &[&str]) -> anyhow::Result<std::process::Output> {
        let binary = server_binary()?;
        let config = &self.config;
        std::process::Command::new(&binary)
            .args(args)
            .current_dir(&config.data_dir)
            .env("APP_DATA_DIR", &config.data_dir)
            .env("APP_LOG__FILTER", "warn")
            .stdin(std::process::Stdio::null())
            .output()
            .with_context(|| format!("running {}", binary.display()))
    }
}

impl ServerProcess {
    /// The process id (for `/proc/<pid>/status`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process (SIGKILL) and reaps it.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The server binary beside this test binary: `<target>/<profile>/server`.
fn server_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("locating the test binary")?;
    // <target>/<profile>/deps/suite-<hash>
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .context("the test binary is not in a target directory")?;
    let binary = profile_dir.join("server");
    anyhow::ensure!(
        binary.exists(),
        "{} is missing: `cargo xtask test` builds it (cargo build --package server --bin server)",
        binary.display()
    );
    Ok(binary)
}

/// The built client: `STAFFING_DIST` (set by `cargo xtask test`) or `<workspace>/dist`.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("STAFFING_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::workspace_root().join("dist"))
}

impl TestServer {
    /// A server not yet started, with an empty data directory and no demo city: a test puts a
    /// database there (a restore, an old release's file) and then calls
    /// [`start_again`](Self::start_again).
    pub fn unstarted() -> anyhow::Result<Self> {
        Self::stopped(None)
    }

    /// Runs the server binary's command `args` (`backup <file>`, `restore <file>` …) on this
    /// server's data directory, running or not; its output.
    pub fn command(&self, args: &[&str]) -> anyhow::Result<std::process::Output> {
        self.command_line(args)?
            .output()
            .context("running the server binary")
    }

    /// [`command`](Self::command), to be run by the caller (from another thread, say).
    pub fn command_line(&self, args: &[&str]) -> anyhow::Result<std::process::Command> {
        let mut command = std::process::Command::new(server_binary()?);
        command
            .args(args)
            .current_dir(&self.config.data_dir)
            .env("APP_DATA_DIR", &self.config.data_dir)
            .env("APP_LOG__FILTER", "warn")
            .stdin(std::process::Stdio::null());
        Ok(command)
    }
}
