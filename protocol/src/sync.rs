//! Pulling the server's confirmed state into the client's store: `GET /api/sync/pull`.
//!
//! The client keeps the `cursor` of the last page it applied (in the same IndexedDB transaction
//! as the page) and sends it back unchanged; it never reads it. A `reset` answer means: drop the
//! confirmed state, then apply this page and the following ones (a snapshot of the holder's
//! scope, then the changes since it began). `complete` means caught up for now.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

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
    /// The dashboard's thresholds from the server's configuration (absent from older servers).
    #[serde(default)]
    pub oversight: Option<crate::admin::OversightSettings>,
}

/// How far a snapshot has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub done_units: u64,
    pub total_units: u64,
}

/// One record of a pull.
///
/// Read through [`WireChange`] (every variant's fields, flat) rather than serde's internally
/// tagged enum, which first copies a whole record into a tree of its own and cannot carry a
/// [`RawJson`]; the JSON is the same either way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", try_from = "WireChange")]
// An application is the larger record; a page holds at most `MAX_LIMIT` of them, and both
// sides match on the fields, which boxing would hide.
#[allow(clippy::large_enum_variant)]
pub enum Change {
    /// A unit's whole certificate (电子编制管理证).
    Certificate {
        unit_id: String,
        /// The JSON of a `domain::certificate::Certificate`, carried as received: the client
        /// deserialises it into the domain type once, which validates it, and may keep the
        /// text itself.
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        certificate: RawJson,
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
        /// What the clerk signed: the signed application document (a `domain::SignedEnvelope`,
        /// its `payload` the form) as the exact text of the bytes signed — canonical JSON, so
        /// `SHA-256` of it is the challenge the signature is over.
        #[cfg_attr(feature = "openapi", schema(value_type = Object))]
        envelope: RawJson,
        /// Who signed it: the key holder's id and display name.
        signer_id: String,
        signer_name: String,
        /// The WebAuthn credential (base64url) that signed it.
        credential_id: String,
        /// RFC 3339, UTC: when the clerk's client created (signed) it.
        signed_at: String,
        /// RFC 3339, UTC: when the server received it and verified its signature (it is tracked
        /// only once verified).
        received_at: String,
        /// The decisions accepted on it so far, oldest first (a return's or a rejection's note
        /// reaches the clerk here).
        decisions: Vec<DecisionRecord>,
        /// The notice an approval issued: 入编通知单 (onboarding) or 出编通知单 (offboarding).
        notice_number: Option<String>,
        /// The filing deadline (YYYY-MM-DD) of an offboarding (the month's end after the
        /// departure) or a record change (30 working days after the change).
        due_on: Option<String>,
        /// Filed after `due_on`: accepted, flagged late for the bureau.
        late: bool,
        /// Calendar days after `due_on` it was filed (0 when on time).
        days_overdue: u32,
    },
    /// A tombstone: the unit no longer exists (merged into another, or abolished). The client
    /// drops the unit's certificate, people and applications from its confirmed state (never
    /// its own pending applications, which the server will refuse as `unit_unknown`).
    UnitRemoved {
        unit_id: String,
        /// `merged` or `abolished`.
        reason: String,
        /// For a merger: the unit that carries the staff and ledger on.
        merged_into: Option<String>,
        /// The signed act's document number (文号).
        document: String,
    },
    /// A unit's data-verification state (数据核实); sent in the snapshot for every unit whose
    /// state is not `not_started`, and in the log when it changes.
    Verification {
        unit_id: String,
        state: crate::admin::VerificationState,
        /// RFC 3339: when the state was reached.
        updated_at: String,
    },
}

/// One accepted decision on an application, as a pull carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionRecord {
    pub decision_id: String,
    /// A `domain::Action` code: `endorse`, `approve`, `return`, `reject` or `withdraw`.
    pub action: String,
    /// The key holder who signed it (for `withdraw`, the unit's clerk).
    pub decider_id: String,
    pub decider_name: String,
    /// The decider's `domain::Role` code.
    pub decider_role: String,
    /// 审批意见 (required for return and reject; may be empty otherwise).
    pub note: String,
    /// RFC 3339, UTC: when the decider's client created (signed) it.
    pub signed_at: String,
    /// RFC 3339, UTC: when the server accepted it.
    pub received_at: String,
}

/// A JSON value kept as its text: valid JSON, neither parsed into a tree nor re-serialised.
/// Equal when the texts are equal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// `value` serialised.
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(Self)
    }

    /// `json`, once checked to be one JSON value (it is scanned, not parsed into a tree).
    pub fn from_string(json: String) -> Result<Self, serde_json::Error> {
        RawValue::from_string(json).map(Self)
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

/// Which record a [`WireChange`] is.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ChangeType {
    Certificate,
    Application,
    UnitRemoved,
    Verification,
}

/// A [`Change`] as read: the `type` and every variant's fields.
#[derive(Deserialize)]
struct WireChange {
    #[serde(rename = "type")]
    change_type: ChangeType,
    unit_id: String,
    certificate: Option<RawJson>,
    application_id: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    updated_at: Option<String>,
    slip_number: Option<String>,
    envelope: Option<RawJson>,
    signer_id: Option<String>,
    signer_name: Option<String>,
    credential_id: Option<String>,
    signed_at: Option<String>,
    received_at: Option<String>,
    #[serde(default)]
    decisions: Vec<DecisionRecord>,
    notice_number: Option<String>,
    due_on: Option<String>,
    #[serde(default)]
    late: bool,
    #[serde(default)]
    days_overdue: u32,
    reason: Option<String>,
    merged_into: Option<String>,
    document: Option<String>,
    state: Option<crate::admin::VerificationState>,
}

impl TryFrom<WireChange> for Change {
    type Error = String;

    fn try_from(wire: WireChange) -> Result<Self, Self::Error> {
        let missing = |field: &str| format!("missing field `{field}`");
        Ok(match wire.change_type {
            ChangeType::Certificate => Change::Certificate {
                unit_id: wire.unit_id,
                certificate: wire.certificate.ok_or_else(|| missing("certificate"))?,
            },
            ChangeType::Application => Change::Application {
                application_id: wire
                    .application_id
                    .ok_or_else(|| missing("application_id"))?,
                unit_id: wire.unit_id,
                kind: wire.kind.ok_or_else(|| missing("kind"))?,
                status: wire.status.ok_or_else(|| missing("status"))?,
                updated_at: wire.updated_at.ok_or_else(|| missing("updated_at"))?,
                slip_number: wire.slip_number,
                envelope: wire.envelope.ok_or_else(|| missing("envelope"))?,
                signer_id: wire.signer_id.ok_or_else(|| missing("signer_id"))?,
                signer_name: wire.signer_name.unwrap_or_default(),
                credential_id: wire.credential_id.ok_or_else(|| missing("credential_id"))?,
                signed_at: wire.signed_at.ok_or_else(|| missing("signed_at"))?,
                received_at: wire.received_at.ok_or_else(|| missing("received_at"))?,
                decisions: wire.decisions,
                notice_number: wire.notice_number,
                due_on: wire.due_on,
                late: wire.late,
                days_overdue: wire.days_overdue,
            },
            ChangeType::UnitRemoved => Change::UnitRemoved {
                unit_id: wire.unit_id,
                reason: wire.reason.ok_or_else(|| missing("reason"))?,
                merged_into: wire.merged_into,
                document: wire.document.unwrap_or_default(),
            },
            ChangeType::Verification => Change::Verification {
                unit_id: wire.unit_id,
                state: wire.state.ok_or_else(|| missing("state"))?,
                updated_at: wire.updated_at.ok_or_else(|| missing("updated_at"))?,
            },
        })
    }
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
            envelope: RawJson::of(&serde_json::json!({"payload": {"count": 1}})).unwrap(),
            signer_id: "clerk-1".into(),
            signer_name: "张三".into(),
            credential_id: "cred".into(),
            signed_at: "2026-04-30T08:00:00Z".into(),
            received_at: "2026-04-30T08:00:05Z".into(),
            decisions: vec![DecisionRecord {
                decision_id: "d-1".into(),
                action: "approve".into(),
                decider_id: "reviewer-1".into(),
                decider_name: "李四".into(),
                decider_role: "bureau_reviewer".into(),
                note: "同意".into(),
                signed_at: "2026-05-01T07:59:00Z".into(),
                received_at: "2026-05-01T08:00:00Z".into(),
            }],
            notice_number: None,
            due_on: None,
            late: false,
            days_overdue: 0,
        };
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(json["type"], "application");
        assert_eq!(json["status"], "approved");
        assert_eq!(json["decisions"][0]["note"], "同意");
        assert_eq!(json["envelope"]["payload"]["count"], 1);
        assert_eq!(serde_json::from_value::<Change>(json).unwrap(), change);
        let certificate = Change::Certificate {
            unit_id: "620502-0001".into(),
            certificate: RawJson::of(&serde_json::json!({"unit": {}})).unwrap(),
        };
        let json = serde_json::to_string(&certificate).unwrap();
        assert!(json.starts_with(r#"{"type":"certificate","unit_id":"620502-0001""#));
        assert_eq!(serde_json::from_str::<Change>(&json).unwrap(), certificate);
        let tombstone = Change::UnitRemoved {
            unit_id: "620502-0002".into(),
            reason: "merged".into(),
            merged_into: Some("620502-0001".into()),
            document: "天编发〔2026〕3号".into(),
        };
        let json = serde_json::to_string(&tombstone).unwrap();
        assert!(json.starts_with(r#"{"type":"unit_removed","unit_id":"620502-0002""#));
        assert_eq!(serde_json::from_str::<Change>(&json).unwrap(), tombstone);
        let verification = Change::Verification {
            unit_id: "620502-0002".into(),
            state: crate::admin::VerificationState::ConfirmedByUnit,
            updated_at: "2026-05-01T08:00:00Z".into(),
        };
        let json = serde_json::to_string(&verification).unwrap();
        assert_eq!(serde_json::from_str::<Change>(&json).unwrap(), verification);
    }

    #[test]
    fn a_certificate_is_carried_as_its_text_in_any_field_order() {
        let json = r#"{"certificate": {"unit": {"id": 1}, "staff": []}, "unit_id": "u", "type": "certificate"}"#;
        let Change::Certificate {
            unit_id,
            certificate,
        } = serde_json::from_str(json).unwrap()
        else {
            panic!("a certificate");
        };
        assert_eq!(unit_id, "u");
        assert_eq!(certificate.get(), r#"{"unit": {"id": 1}, "staff": []}"#);
        // What the derived form refused, this one refuses.
        for bad in [
            r#"{"type": "certificate", "unit_id": "u"}"#,
            r#"{"type": "application", "unit_id": "u", "application_id": "a"}"#,
            r#"{"type": "ledger", "unit_id": "u"}"#,
            r#"{"type": "certificate", "certificate": {}}"#,
            r#"{"type": "certificate", "unit_id": "u", "certificate": {"#,
        ] {
            assert!(serde_json::from_str::<Change>(bad).is_err(), "{bad}");
        }
    }
}
