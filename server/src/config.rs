//! Layered configuration: built-in defaults, then a TOML file, then `APP_` environment variables.

use std::net::IpAddr;
use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Default file read when `APP_CONFIG` does not name another one; a missing file is fine.
pub const DEFAULT_CONFIG_FILE: &str = "staffing.toml";

/// Everything the server can be told. Field names are also the keys of the TOML file and,
/// upper-cased with an `APP_` prefix, of the environment (`APP_PORT`, `APP_DATA_DIR`,
/// `APP_LOG__FORMAT` for nested keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// Address to bind; loopback by default.
    pub host: IpAddr,
    /// Port to bind; `0` picks a free port (tests).
    pub port: u16,
    /// Folder of the embedded SQLite database; created if missing.
    pub data_dir: PathBuf,
    /// Folder of the built client (Trunk's `dist`).
    pub static_dir: PathBuf,
    /// The origin people reach the app at, e.g. `http://localhost:8080`. It is also the
    /// WebAuthn origin, so it must be what the browser shows.
    pub public_origin: String,
    /// The WebAuthn relying-party id: the origin's host. Changing it invalidates every key.
    pub rp_id: String,
    /// Logging.
    pub log: LogConfig,
    /// Security keys, sessions and signed applications.
    #[serde(default)]
    pub identity: IdentityConfig,
    /// Demo data loaded into an empty database at start (`cargo xtask run` asks for it);
    /// absent, as in production, nothing is loaded.
    #[serde(default)]
    pub demo: Option<DemoConfig>,
    /// The oversight dashboard's thresholds (`[oversight] waiting_days`, `lapse_warning_days`),
    /// sent to clients with every pull page.
    #[serde(default)]
    pub oversight: protocol::admin::OversightSettings,
}

/// Which security keys are accepted, and for how long things stay valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IdentityConfig {
    /// `production`: only keys whose attestation chains to one of `attestation_cas`;
    /// `demo`: any authenticator (Chrome's virtual authenticator, DevTools' WebAuthn emulation).
    pub attestation: AttestationMode,
    /// The vendor or FIDO-metadata roots accepted in production.
    pub attestation_cas: Vec<AttestationCaConfig>,
    /// How long a signed application may wait offline before it is refused.
    pub offline_window_days: u32,
    /// A session ends after this long without a request…
    pub session_idle_minutes: u32,
    /// …and after this long in any case.
    pub session_absolute_hours: u32,
    /// How long an enrolment code can be used.
    pub enrolment_code_hours: u32,
    /// Enrolment and sign-in requests allowed per client address per minute.
    pub rate_limit_per_minute: u32,
    /// Reverse proxies in front of the server. A request from one of them is counted against
    /// the client address it reports in `X-Forwarded-For` (the rightmost that is not itself a
    /// trusted proxy); from anywhere else the header is ignored.
    pub trusted_proxies: Vec<IpAddr>,
}

/// Whether authenticators must prove their make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttestationMode {
    Production,
    Demo,
}

/// One accepted attestation root and the authenticator models (AAGUIDs) it vouches for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationCaConfig {
    /// PEM file of the root certificate.
    pub pem: PathBuf,
    /// AAGUIDs (UUID form) of the accepted models.
    pub aaguids: Vec<String>,
    /// What it is, for the logs.
    pub description: String,
}

impl Default for IdentityConfig {
    fn default() -> Self {
        Self {
            attestation: AttestationMode::Production,
            attestation_cas: Vec::new(),
            offline_window_days: 30,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            enrolment_code_hours: 72,
            rate_limit_per_minute: 30,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Which demo city to generate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoConfig {
    /// `tiny`, `small`, `medium` or `full`.
    pub size: String,
    /// The generator's seed: the same seed gives the same city.
    #[serde(default = "default_demo_seed")]
    pub seed: u64,
}

/// The seed used when none is configured.
pub const DEFAULT_DEMO_SEED: u64 = 2018;

fn default_demo_seed() -> u64 {
    DEFAULT_DEMO_SEED
}

/// How the server logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogConfig {
    /// `text` for people, `json` for log collectors.
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `server=debug,tower_http=info`.
    pub filter: String,
}

/// Output format of the logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 8080,
            data_dir: PathBuf::from("data"),
            static_dir: PathBuf::from("dist"),
            public_origin: "http://localhost:8080".into(),
            rp_id: "localhost".into(),
            log: LogConfig {
                format: LogFormat::Text,
                filter: "info".into(),
            },
            identity: IdentityConfig::default(),
            demo: None,
            oversight: protocol::admin::OversightSettings::default(),
        }
    }
}

/// Configuration that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {0}")]
pub struct ConfigError(#[from] Box<figment::Error>);

impl Config {
    /// Whether people reach the server over HTTPS (`public_origin` is `https://…`): served
    /// over TLS or behind a TLS proxy. Then answers carry HSTS and the session cookie takes
    /// the `__Host-` prefix.
    pub fn is_https(&self) -> bool {
        self.public_origin.starts_with("https://")
    }

    /// Defaults, then the file named by `APP_CONFIG` (or `staffing.toml`), then `APP_*`.
    pub fn load() -> Result<Self, ConfigError> {
        let file = std::env::var_os("APP_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE));
        Self::figment(&file)
            .extract()
            .map_err(|e| ConfigError(Box::new(e)))
    }

    /// The layers, exposed so that tests can check the precedence.
    pub fn figment(file: &std::path::Path) -> Figment {
        Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("APP_").ignore(&["config"]).split("__"))
    }

    /// Where the SQLite database lives.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("staffing.sqlite3")
    }
}

#[cfg(test)]
// figment::Jail's closures must return figment's own (large) error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn file_overrides_defaults_and_environment_overrides_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "staffing.toml",
                "port = 9000\ndata_dir = \"/srv/d\"\n[log]\nformat = \"json\"\n",
            )?;
            jail.set_env("APP_PORT", "9100");
            jail.set_env("APP_LOG__FILTER", "debug");
            let config: Config =
                Config::figment(std::path::Path::new("staffing.toml")).extract()?;
            assert_eq!(config.port, 9100);
            assert_eq!(config.data_dir, PathBuf::from("/srv/d"));
            assert_eq!(config.log.format, LogFormat::Json);
            assert_eq!(config.log.filter, "debug");
            assert_eq!(config.rp_id, "localhost");
            assert_eq!(config.demo, None);
            jail.set_env("APP_DEMO__SIZE", "tiny");
            let config: Config =
                Config::figment(std::path::Path::new("staffing.toml")).extract()?;
            let demo = config.demo.expect("APP_DEMO__SIZE asks for demo data");
            assert_eq!((demo.size.as_str(), demo.seed), ("tiny", DEFAULT_DEMO_SEED));
            Ok(())
        });
    }

    #[test]
    fn a_bad_value_is_an_error_that_names_the_key() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("APP_PORT", "eighty");
            let err = Config::figment(std::path::Path::new("absent.toml"))
                .extract::<Config>()
                .unwrap_err();
            assert!(err.to_string().to_lowercase().contains("port"), "{err}");
            Ok(())
        });
    }
}
