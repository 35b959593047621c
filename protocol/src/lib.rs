//! Serialised types that cross a boundary (HTTP, IndexedDB, export files).
//!
//! Architecture invariant: only types from this crate are serialised. The server and the
//! client convert them to `domain` types at the edge.
#![forbid(unsafe_code)]

pub mod identity;
pub mod sync;

use serde::{Deserialize, Serialize};

/// Path of the health endpoint, shared so that neither side spells it twice.
pub const HEALTH_PATH: &str = "/api/health";

/// The JSON body of every error the server answers with.
///
/// `code` is stable and machine-readable (`snake_case`); `message` is for people and may
/// change. Internals (SQL, file paths, stack traces) never appear in either.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// Whether a dependency of the server is usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    Ok,
    Unavailable,
}

/// Answer of `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthResponse {
    /// `ok` when every component is `ok`.
    pub status: ComponentStatus,
    /// The server's version (`CARGO_PKG_VERSION`).
    pub version: String,
    /// The embedded database.
    pub database: ComponentStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_response_round_trips_with_stable_field_names() {
        let health = HealthResponse {
            status: ComponentStatus::Ok,
            version: "0.1.0".into(),
            database: ComponentStatus::Unavailable,
        };
        let json = serde_json::to_string(&health).unwrap();
        assert_eq!(
            json,
            r#"{"status":"ok","version":"0.1.0","database":"unavailable"}"#
        );
        assert_eq!(
            serde_json::from_str::<HealthResponse>(&json).unwrap(),
            health
        );
    }

    #[test]
    fn error_body_round_trips() {
        let body = ErrorBody {
            code: "not_found".into(),
            message: "未找到".into(),
        };
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(serde_json::from_str::<ErrorBody>(&json).unwrap(), body);
    }
}
