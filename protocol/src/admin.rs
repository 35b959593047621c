//! The bureau's administration (issue 14): key holders and their keys (使用人员备案), signed
//! acts on establishment and units, the roster import and the data-verification phase
//! (数据核实), and the oversight settings the dashboard reads.
//!
//! Holder and key administration are plain requests of a `bureau_admin` with a session,
//! audited with the admin as actor. Everything that changes authoritative data (the ledger, a
//! unit's record, its existence, its staff by import, a verification confirmation) is a signed
//! act (`domain::act::SignedAct`, tag `dzbzglz.act`) sent to [`ACTS_PATH`] exactly like a
//! signed decision: `{"submission": SignedSubmission}`, answered by an [`ActVerdict`].

use serde::{Deserialize, Serialize};

/// `GET` (bureau administrator): the holders of the admin's region, `?q=` searches login and
/// name, `?unit=` only those whose scope is that unit or department.
pub const HOLDERS_LIST_PATH: &str = "/api/holders";
/// `GET /api/holders/{id}`: one holder with their keys.
pub const HOLDER_PATH: &str = "/api/holders/{id}";
/// `POST /api/holders/{id}/suspend`: suspend a holder (sessions end, signatures refused).
pub const HOLDER_SUSPEND_PATH: &str = "/api/holders/{id}/suspend";
/// `POST /api/holders/{id}/reinstate`: lift a suspension.
pub const HOLDER_REINSTATE_PATH: &str = "/api/holders/{id}/reinstate";
/// `GET /api/units/{id}/holder-register`: the data of a unit's 使用人员备案表.
pub const HOLDER_REGISTER_PATH: &str = "/api/units/{id}/holder-register";
/// `POST`: one signed act (`{"submission": SignedSubmission}`), answered by an [`ActVerdict`].
pub const ACTS_PATH: &str = "/api/acts";
/// `GET`: the roster template (.xlsx) of the import.
pub const IMPORT_TEMPLATE_PATH: &str = "/api/import/template";
/// `POST /api/import/check?unit=…`: the body is the .xlsx file itself
/// (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, within the server's
/// 1 MiB body limit);
/// answered by an [`ImportReport`]. Nothing is imported: the upload is kept under its
/// `upload_id` until a signed `roster_import` act names it with its digest.
pub const IMPORT_CHECK_PATH: &str = "/api/import/check";
/// `GET`: the verification state of every unit in the holder's scope, counted per region.
pub const VERIFICATION_PATH: &str = "/api/verification";

/// A key holder as the bureau administrator sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolderSummary {
    pub id: String,
    pub login: String,
    pub name: String,
    /// A `domain::Role` code.
    pub role: String,
    /// A `domain::Scope`.
    pub scope: String,
    /// 联系电话 (may be empty).
    #[serde(default)]
    pub phone: String,
    /// RFC 3339: when the holder was registered.
    pub created_at: String,
    /// RFC 3339: when suspended; absent when active.
    #[serde(default)]
    pub suspended_at: Option<String>,
    /// Keys not revoked.
    pub active_keys: u32,
}

/// Answer of `GET` [`HOLDERS_LIST_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolderList {
    pub holders: Vec<HolderSummary>,
}

/// One enrolled security key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyInfo {
    /// base64url.
    pub credential_id: String,
    /// The authenticator's AAGUID (all zeros when the key did not say).
    pub aaguid: String,
    /// The model, when the AAGUID is a well-known one (e.g. "YubiKey 5 NFC"); empty otherwise.
    pub model: String,
    /// RFC 3339.
    pub enrolled_at: String,
    /// RFC 3339: the last sign-in or accepted signed document; absent if never used.
    #[serde(default)]
    pub last_used_at: Option<String>,
    /// The highest signature counter seen.
    pub counter: u64,
    /// Whether its attestation chained to a configured root (production enrolment).
    pub attested: bool,
    /// Enrolled in demo attestation mode while the server now runs in production mode: the key
    /// is refused (sign-in and signatures) until the holder enrols a key again (有效性：需重新注册).
    pub needs_reenrolment: bool,
    /// RFC 3339: when revoked.
    #[serde(default)]
    pub revoked_at: Option<String>,
}

/// Answer of `GET` [`HOLDER_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolderDetail {
    pub holder: HolderSummary,
    pub keys: Vec<KeyInfo>,
}

/// Body of `POST` [`HOLDER_SUSPEND_PATH`] / [`HOLDER_REINSTATE_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolderStatusChange {
    /// Why (kept in the audit log's detail as its length only; may be empty).
    #[serde(default)]
    pub reason: String,
}

/// Answer of `GET` [`HOLDER_REGISTER_PATH`]: the 使用人员备案表 of one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolderRegister {
    pub unit_id: String,
    pub unit_name: String,
    /// RFC 3339: when the server made it (printed on the form).
    pub generated_at: String,
    /// The holders whose scope is the unit (or the unit as a department), each with its keys.
    pub holders: Vec<HolderDetail>,
}

/// Body of [`ACTS_PATH`]: one signed act; `submission.envelope` carries the act's canonical
/// bytes (a `domain::act::SignedAct`, tag `dzbzglz.act`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActRequest {
    pub submission: crate::identity::SignedSubmission,
}

/// Answer of [`ACTS_PATH`]. A repeated act gets the first verdict again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActVerdict {
    /// The act's id, when it could be read.
    pub act_id: Option<String>,
    /// A `domain::act::ActKind` code, when it could be read.
    pub kind: Option<String>,
    pub status: crate::identity::VerdictStatus,
    /// A stable rejection code (see the API documentation); absent when accepted.
    pub code: Option<String>,
    /// The reason in Chinese; absent when accepted.
    pub message: Option<String>,
    /// Accepted, but recorded with a flag: `over_establishment` (the document records
    /// over-establishment), `over_leadership_posts`.
    #[serde(default)]
    pub flags: Vec<String>,
    /// The units the act changed (their certificates, or their removal, reach clients in the
    /// next pull).
    #[serde(default)]
    pub units: Vec<String>,
}

/// One error of a roster file: where and which rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportError {
    /// The spreadsheet's row number (1 is the header row, so data starts at 2).
    pub row: u32,
    /// The column letter (`A`, `B`, …).
    pub column: String,
    /// The column's header (a person field's Chinese label, e.g. 身份证号).
    pub field: String,
    /// A stable rule code: `required`, `format`, `check_digit`, `birth_date_mismatch`,
    /// `sex_mismatch`, `id_in_post` (the 身份证号 already holds a post), `duplicate_in_file`,
    /// `code_unknown`, `date_invalid`, `ledger_full` (more people than approved posts).
    pub rule: String,
    pub message_zh: String,
    pub message_en: String,
}

/// Answer of [`IMPORT_CHECK_PATH`]: the report of a roster file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// The upload as kept by the server, to be named by a signed `roster_import` act.
    pub upload_id: String,
    pub unit_id: String,
    /// Data rows read.
    pub rows_total: u32,
    /// Rows without any error.
    pub rows_valid: u32,
    /// Every error, by row then column.
    pub errors: Vec<ImportError>,
    /// hex SHA-256 of the canonical JSON of all rows (a clean file: import all).
    pub digest_all: String,
    /// hex SHA-256 of the canonical JSON of the valid rows only (import only the valid rows).
    pub digest_valid: String,
    /// RFC 3339: the upload is forgotten after this.
    pub expires_at: String,
}

/// A unit's progress through the data-verification phase (数据核实).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VerificationState {
    /// 未开始.
    NotStarted,
    /// 已导入.
    Imported,
    /// 单位已确认.
    ConfirmedByUnit,
    /// 编办已确认.
    ConfirmedByBureau,
}

/// One unit's verification state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitVerification {
    pub unit_id: String,
    /// Six-digit division code.
    pub region: String,
    pub state: VerificationState,
    /// RFC 3339: when the state was last reached.
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// Counts of one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionVerification {
    pub region: String,
    pub not_started: u32,
    pub imported: u32,
    pub confirmed_by_unit: u32,
    pub confirmed_by_bureau: u32,
}

/// Answer of [`VERIFICATION_PATH`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerificationOverview {
    pub units: Vec<UnitVerification>,
    pub regions: Vec<RegionVerification>,
}

/// Settings of the oversight dashboard, sent with the session and in every pull page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OversightSettings {
    /// A submission waiting for a decision longer than this many days is an alert
    /// (`[oversight] waiting_days` in the server's configuration, default 10).
    pub waiting_days: u32,
    /// A slip whose validity ends within this many days is "about to lapse" (default 14).
    pub lapse_warning_days: u32,
}

impl Default for OversightSettings {
    fn default() -> Self {
        OversightSettings {
            waiting_days: 10,
            lapse_warning_days: 14,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_snake_case_and_reports_round_trip() {
        assert_eq!(
            serde_json::to_string(&VerificationState::ConfirmedByBureau).unwrap(),
            "\"confirmed_by_bureau\""
        );
        let report = ImportReport {
            upload_id: "u".into(),
            unit_id: "620502-0001".into(),
            rows_total: 3,
            rows_valid: 2,
            errors: vec![ImportError {
                row: 3,
                column: "C".into(),
                field: "身份证号".into(),
                rule: "check_digit".into(),
                message_zh: "身份证号：校验码错误".into(),
                message_en: "ID number: wrong check character".into(),
            }],
            digest_all: "00".into(),
            digest_valid: "11".into(),
            expires_at: "2026-12-01T00:00:00Z".into(),
        };
        let json = serde_json::to_string(&report).unwrap();
        assert_eq!(serde_json::from_str::<ImportReport>(&json).unwrap(), report);
    }
}
