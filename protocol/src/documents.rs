//! Documents anyone can check, on the wire: the bureaus' published SM2 keys
//! (`GET /api/document-keys`, and every pull page), an issued document's signature, QR content
//! and status (in the pull, on its application), the check of a document
//! (`GET /api/documents/check`) and the signed head of the audit chain (`GET /api/audit/head`).
//! The crate `documents` reads and verifies them (`documents::PublishedKey` reads a
//! [`DocumentKey`]'s JSON).

use serde::{Deserialize, Serialize};

/// `GET`, anyone: the published document keys ([`DocumentKeys`]).
pub const DOCUMENT_KEYS_PATH: &str = "/api/document-keys";
/// `GET ?content=…` or `?number=…`, anyone (a session, when present, sees more):
/// [`DocumentCheck`].
pub const DOCUMENT_CHECK_PATH: &str = "/api/documents/check";
/// `GET`, anyone: the signed head of the audit chain ([`AuditHead`]).
pub const AUDIT_HEAD_PATH: &str = "/api/audit/head";

/// One bureau's public SM2 document key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentKey {
    /// 8 base64url characters: `base64url(SM3(public_key)[..6])`.
    pub key_id: String,
    /// The bureau whose documents it signs: a `domain::Region` code (`tianshui`, `qinzhou`, …).
    pub bureau: String,
    /// The uncompressed SEC1 point (`04‖x‖y`, 65 bytes), base64url.
    pub public_key: String,
    /// The same key as a PEM SubjectPublicKeyInfo, for `openssl pkeyutl -pubin -inkey`.
    pub pem: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC: when a newer key of the bureau replaced it. It still verifies the
    /// documents it signed until then.
    pub retired_at: Option<String>,
}

/// Answer of [`DOCUMENT_KEYS_PATH`]: every key ever used, retired ones included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentKeys {
    pub keys: Vec<DocumentKey>,
}

/// An issued document's signature and status, as the pull carries it on the application that
/// issued it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedSignature {
    /// 编号.
    pub number: String,
    /// A `domain::IssuedDocumentKind` code.
    pub kind: String,
    /// The canonical JSON text that was signed (a `documents::DocumentForm`).
    pub document: String,
    /// The key that signed.
    pub key_id: String,
    /// The DER SM2 signature, base64url.
    pub signature: String,
    /// What the QR code carries: `DZ1.<document>.<key id>.<signature>`.
    pub qr: String,
    /// `current`, `used`, `void` or `lapsed` (a `documents::DocumentStatus` code), as of the
    /// page.
    pub status: String,
    /// The reason given when it was voided.
    pub void_reason: Option<String>,
}

/// Query of [`DOCUMENT_CHECK_PATH`]: the QR content, or a document number (one of the two).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct DocumentCheckQuery {
    /// The QR content (`DZ1.…`).
    pub content: Option<String>,
    /// A document number, e.g. `天编用〔2026〕0012号`.
    pub number: Option<String>,
}

/// Answer of [`DOCUMENT_CHECK_PATH`].
///
/// Anyone gets `genuine`, `code`, `message` and `number`, never personal data. A holder whose
/// scope covers the document's unit (its clerk, its supervising department, the bureau's
/// coordinators and reviewers) also gets `detail`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentCheck {
    /// Genuine: issued by this deployment, signed by its bureau's key, not voided.
    pub genuine: bool,
    /// `genuine`, or what failed: a `RejectionCode` (`malformed`, `altered_payload`,
    /// `unknown_key`, `foreign_key`, `key_retired`, `bad_signature`, `document_unknown`,
    /// `document_void`).
    pub code: String,
    /// The answer in Chinese.
    pub message: String,
    /// The document's number, when it could be read.
    pub number: Option<String>,
    /// For a holder whose scope covers the unit.
    pub detail: Option<DocumentDetail>,
}

/// What a holder in scope sees of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentDetail {
    /// The signed document and its status.
    pub signed: IssuedSignature,
    /// What happened to it, oldest first.
    pub events: Vec<DocumentEvent>,
}

/// One thing that happened to a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentEvent {
    /// `issued`, `used` (one post of a slip filled: `number` is the onboarding notice),
    /// `lapsed` (validity ended with posts unused), `void`.
    pub what: String,
    /// RFC 3339 time, or the date (YYYY-MM-DD) for `lapsed`.
    pub at: String,
    /// The key holder who acted (display name), if any.
    pub by: Option<String>,
    /// The reason of a voiding.
    pub note: Option<String>,
    /// A related document's number.
    pub number: Option<String>,
}

/// Answer of [`AUDIT_HEAD_PATH`]: the last entry of the audit chain, signed with the city
/// bureau's key (`documents::audit::SignedAuditHead`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditHead {
    /// Sequence number of the last entry (0: empty).
    pub seq: i64,
    /// Its hash (lower-case hex SHA-256).
    pub hash: String,
    /// RFC 3339, UTC: when the head was read and signed.
    pub at: String,
    /// The city bureau's key that signed.
    pub key_id: String,
    /// DER SM2 signature over `{"at","hash","seq","tag":"dzbzglz.audit-head"}` (RFC 8785),
    /// base64url.
    pub signature: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_round_trips() {
        let check = DocumentCheck {
            genuine: false,
            code: "bad_signature".into(),
            message: "签名与单据内容不符".into(),
            number: Some("天编用〔2026〕0012号".into()),
            detail: None,
        };
        let json = serde_json::to_string(&check).unwrap();
        assert_eq!(serde_json::from_str::<DocumentCheck>(&json).unwrap(), check);
    }
}
