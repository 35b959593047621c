//! Pulling the server's confirmed state into the client's store: `GET /api/sync/pull`.
//!
//! The client keeps the `cursor` of the last page it applied (in the same IndexedDB transaction
//! as the page) and sends it back unchanged; it never reads it. A `reset` answer means: drop the
//! confirmed state, then apply this page and the following ones (a snapshot of the holder's
//! scope, then the changes since it began). `complete` means caught up for now.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `GET`: one page of the holder's scope (`?cursor=…&limit=…`, both optional).
pub const SYNC_PULL_PATH: &str = "/api/sync/pull";

/// Answer of [`SYNC_PULL_PATH`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// The key holder whose scope this page is (the session's): a client applies a page only to
    /// that holder's store, so a session changed in another tab cannot mix two scopes.
    pub holder_id: String,
    /// `true`: the cursor sent was missing, unknown, expired or from another database — the
    /// client drops its confirmed state (not its pending applications) before applying
    /// `changes`.
    pub reset: bool,
    /// The records of this page, each the whole current state of one certificate or one
    /// application. Apply them in order; a later one replaces an earlier one with the same key.
    pub changes: Vec<Change>,
    /// Opaque: send it with the next pull.
    pub cursor: String,
    /// `true` when nothing more is waiting: pull again later (or on a push's result).
    pub complete: bool,
    /// While a snapshot is being sent: how many of the scope's units have been sent.
    pub progress: Option<Progress>,
}

/// How far a snapshot has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub done_units: u64,
    pub total_units: u64,
}

/// One record of a pull.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    /// A unit's whole certificate (电子编制管理证).
    Certificate {
        unit_id: String,
        /// The JSON of a `domain::certificate::Certificate`; the client deserialises it into
        /// the domain type, which validates it.
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        certificate: Value,
    },
    /// An application as the server tracks it.
    Application {
        application_id: String,
        unit_id: String,
        /// A `domain::ApplicationKind` code.
        kind: String,
        /// A `domain::ApplicationStatus` code.
        status: String,
        /// RFC 3339, UTC: when the status last changed.
        updated_at: String,
        /// The quota-use slip (编制使用单) issued when it was approved.
        slip_number: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_tagged_by_type() {
        let change = Change::Application {
            application_id: "a-1".into(),
            unit_id: "620502-0001".into(),
            kind: "quota_use".into(),
            status: "approved".into(),
            updated_at: "2026-05-01T08:00:00Z".into(),
            slip_number: Some("天编用〔2026〕0001号".into()),
        };
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(json["type"], "application");
        assert_eq!(json["status"], "approved");
        assert_eq!(serde_json::from_value::<Change>(json).unwrap(), change);
        let certificate = Change::Certificate {
            unit_id: "620502-0001".into(),
            certificate: serde_json::json!({"unit": {}}),
        };
        let json = serde_json::to_string(&certificate).unwrap();
        assert!(json.starts_with(r#"{"type":"certificate","unit_id":"620502-0001""#));
    }
}
