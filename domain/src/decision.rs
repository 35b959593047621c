//! The signed decision (签名审批决定): what a reviewer's security key signs to endorse, approve,
//! return or reject an application.
//!
//! It works like the signed application envelope ([`crate::envelope`]): the reviewer's client
//! builds a [`SignedDecision`], computes its canonical bytes (RFC 8785, see [`crate::canonical`])
//! and asks the key to sign with `challenge = SHA-256(canonical bytes)`; the server reads the
//! bytes as received with [`SignedDecision::from_signed_bytes`], which refuses anything that is
//! not canonical, carries an unknown tag or version, or has unknown fields.
//!
//! The decision has its own tag, [`DECISION_TAG`], so that a signature over an application can
//! never count as a decision, nor a decision as an application.
//!
//! Wire form (keys in canonical order):
//! `{"action":"approve","application_id":…,"created_at":"2026-…Z","credential_id":…,
//! "decider":…,"decision_id":…,"note":"…","tag":"dzbzglz.decision","version":1}`
//!
//! [`SignedDecision::check`] holds the rules of the document itself: only endorse, approve,
//! return, reject, the clerk's withdraw and the reviewer's void (作废: of the slip or notice an
//! approved application issued) are decisions, and a return, a rejection or a voiding must say
//! why (审批意见). Whether
//! the decider may take the step, and whether the application's status allows it, is for
//! [`crate::access`] and [`crate::application`] to say.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::application::Action;
use crate::canonical::{self, CanonicalError};
use crate::date::Timestamp;
use crate::envelope::{EnvelopeError, TimeWindow};
use crate::ids::{ApplicationId, CredentialId, DecisionId, UserId};

/// The tag every decision carries; never the application envelope's tag.
pub const DECISION_TAG: &str = "dzbzglz.decision";
/// The decision schema version this crate writes and reads.
pub const DECISION_VERSION: u32 = 1;
/// The longest note (审批意见), in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// The tag field: serialises as [`DECISION_TAG`] and refuses anything else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DecisionTag;

impl Serialize for DecisionTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(DECISION_TAG)
    }
}

impl<'de> Deserialize<'de> for DecisionTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == DECISION_TAG {
            Ok(DecisionTag)
        } else {
            Err(serde::de::Error::custom(format!(
                "unknown decision tag {s:?}"
            )))
        }
    }
}

/// A decision on one application as signed by the decider's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedDecision {
    /// Always [`DECISION_TAG`].
    pub tag: DecisionTag,
    /// Schema version.
    pub version: u32,
    /// 审批决定标识, chosen by the client.
    pub decision_id: DecisionId,
    /// The application decided on.
    pub application_id: ApplicationId,
    /// 审批人: the key holder who signs.
    pub decider: UserId,
    /// The WebAuthn credential that signs.
    pub credential_id: CredentialId,
    /// endorse, approve, return or reject.
    pub action: Action,
    /// 审批意见: the reason; required for return and reject.
    pub note: String,
    /// When the client created it (UTC).
    pub created_at: Timestamp,
}

/// The fields of a decision other than its action and note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionHeader {
    /// 审批决定标识.
    pub decision_id: DecisionId,
    /// The application.
    pub application_id: ApplicationId,
    /// 审批人.
    pub decider: UserId,
    /// Credential.
    pub credential_id: CredentialId,
    /// Creation time.
    pub created_at: Timestamp,
}

/// Why decision bytes or a decision were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// Not JSON, or fields missing, unknown or invalid (including the tag).
    #[error("malformed decision: {0}")]
    Malformed(String),
    /// A version this build does not know.
    #[error("unknown decision version {0}")]
    UnknownVersion(u32),
    /// The bytes are not in canonical form.
    #[error("decision bytes are not canonical")]
    NotCanonical,
    /// No canonical form exists.
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
    /// Created before the allowed offline window.
    #[error("decision created at {created_at}, before the offline window began at {oldest}")]
    TooOld {
        created_at: Timestamp,
        oldest: Timestamp,
    },
    /// Created after now plus the clock-skew allowance.
    #[error("decision created at {created_at}, after {latest}")]
    FromTheFuture {
        created_at: Timestamp,
        latest: Timestamp,
    },
    /// The action is not one signed as a decision (sign, submit, revise).
    #[error("{action} is not a decision")]
    NotADecision { action: Action },
    /// A return or rejection without a reason.
    #[error("a decision to {action} needs a note")]
    NoteRequired { action: Action },
    /// The note is longer than [`MAX_NOTE_CHARS`].
    #[error("the note has {actual} characters, at most {max} are allowed")]
    NoteTooLong { max: usize, actual: usize },
}

impl DecisionError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::Malformed(d) => format!("审批决定数据格式错误：{d}"),
            Self::UnknownVersion(v) => format!("审批决定数据版本{v}无法识别，请更新客户端"),
            Self::NotCanonical => "审批决定数据不是规范格式，签名无法核验".to_owned(),
            Self::Canonical(e) => format!("审批决定数据无法规范化：{e}"),
            Self::TooOld { created_at, oldest } => {
                format!("审批决定创建于{created_at}，早于允许的离线期限（{oldest}）")
            }
            Self::FromTheFuture { created_at, latest } => format!(
                "审批决定创建时间{created_at}晚于当前时间（允许至{latest}），请核对电脑时钟"
            ),
            Self::NotADecision { action } => {
                format!("“{}”不是审批决定（审批操作）", action.label_zh())
            }
            Self::NoteRequired { action } => {
                format!("“{}”须填写审批意见，说明理由", action.label_zh())
            }
            Self::NoteTooLong { max, actual } => {
                format!("审批意见过长：{actual}个字符，最多{max}个")
            }
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::Malformed(d) => format!("the decision data is malformed: {d}"),
            Self::UnknownVersion(v) => {
                format!("decision data version {v} is unknown; update the client")
            }
            Self::NotCanonical => {
                "the decision data is not in canonical form, so its signature cannot be checked"
                    .to_owned()
            }
            Self::Canonical(e) => format!("the decision data has no canonical form: {e}"),
            Self::TooOld { created_at, oldest } => format!(
                "the decision was created at {created_at}, before the offline window began ({oldest})"
            ),
            Self::FromTheFuture { created_at, latest } => format!(
                "the decision was created at {created_at}, in the future (allowed up to {latest}); check the computer's clock"
            ),
            Self::NotADecision { action } => {
                format!("{} is not a reviewer's decision", action.label_en())
            }
            Self::NoteRequired { action } => {
                format!(
                    "a decision to {} must give its reason in the note",
                    action.label_en()
                )
            }
            Self::NoteTooLong { max, actual } => {
                format!("the note has {actual} characters; at most {max} are allowed")
            }
        }
    }
}

/// Whether `action` is a step signed as a decision: a reviewer's endorse, approve, return or
/// reject or void (作废, of the document an approval issued), or the unit clerk's withdraw (撤回,
/// of an application not yet decided: the decider is
/// the clerk).
pub fn is_decision(action: Action) -> bool {
    matches!(
        action,
        Action::Endorse
            | Action::Approve
            | Action::Return
            | Action::Reject
            | Action::Withdraw
            | Action::Void
    )
}

impl SignedDecision {
    /// A current-version decision, checked with [`SignedDecision::check`].
    pub fn new(
        header: DecisionHeader,
        action: Action,
        note: &str,
    ) -> Result<SignedDecision, DecisionError> {
        let decision = SignedDecision {
            tag: DecisionTag,
            version: DECISION_VERSION,
            decision_id: header.decision_id,
            application_id: header.application_id,
            decider: header.decider,
            credential_id: header.credential_id,
            action,
            note: note.trim().to_owned(),
            created_at: header.created_at,
        };
        decision.check()?;
        Ok(decision)
    }

    /// The rules of the document itself: a decision's action, and a note where one is needed.
    pub fn check(&self) -> Result<(), DecisionError> {
        if !is_decision(self.action) {
            return Err(DecisionError::NotADecision {
                action: self.action,
            });
        }
        let chars = self.note.chars().count();
        if chars > MAX_NOTE_CHARS {
            return Err(DecisionError::NoteTooLong {
                max: MAX_NOTE_CHARS,
                actual: chars,
            });
        }
        if matches!(self.action, Action::Return | Action::Reject | Action::Void)
            && self.note.trim().is_empty()
        {
            return Err(DecisionError::NoteRequired {
                action: self.action,
            });
        }
        Ok(())
    }

    /// The canonical bytes (RFC 8785) the key signs the hash of.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, DecisionError> {
        let value =
            serde_json::to_value(self).map_err(|e| DecisionError::Malformed(e.to_string()))?;
        Ok(canonical::canonicalize(&value)?)
    }

    /// `SHA-256(canonical bytes)`.
    pub fn challenge(&self) -> Result<[u8; 32], DecisionError> {
        Ok(canonical::sha256(&self.canonical_bytes()?))
    }

    /// The challenge as WebAuthn's `clientData.challenge` carries it: base64url, no padding.
    pub fn challenge_b64url(&self) -> Result<String, DecisionError> {
        Ok(canonical::base64url(&self.challenge()?))
    }

    /// Reads decision bytes as received. They must be canonical; returns the decision and
    /// `SHA-256(bytes)` (the challenge the signature must be over). The rules of
    /// [`SignedDecision::check`] are left to the caller, so that a refusal can say which one.
    pub fn from_signed_bytes(bytes: &[u8]) -> Result<(SignedDecision, [u8; 32]), DecisionError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| DecisionError::Malformed(e.to_string()))?;
        if let Some(v) = value.get("version").and_then(Value::as_u64)
            && v != u64::from(DECISION_VERSION)
        {
            return Err(DecisionError::UnknownVersion(
                u32::try_from(v).unwrap_or(u32::MAX),
            ));
        }
        if canonical::canonicalize(&value)? != bytes {
            return Err(DecisionError::NotCanonical);
        }
        let decision: SignedDecision =
            serde_json::from_value(value).map_err(|e| DecisionError::Malformed(e.to_string()))?;
        Ok((decision, canonical::sha256(bytes)))
    }

    /// Checks `created_at` against the server's clock `now`.
    pub fn check_created_at(
        &self,
        now: Timestamp,
        window: TimeWindow,
    ) -> Result<(), DecisionError> {
        window.check(self.created_at, now).map_err(|e| match e {
            EnvelopeError::TooOld { created_at, oldest } => {
                DecisionError::TooOld { created_at, oldest }
            }
            EnvelopeError::FromTheFuture { created_at, latest } => {
                DecisionError::FromTheFuture { created_at, latest }
            }
            other => DecisionError::Malformed(other.message_en()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::{ENVELOPE_TAG, EnvelopeHeader, SignedEnvelope};
    use crate::ids::{ClientId, UnitId};
    use crate::payload::{ApplicationPayload, QuotaUseRequest};
    use crate::person::EntryForm;
    use crate::{EstablishmentCategory, Headcount};

    fn header() -> DecisionHeader {
        DecisionHeader {
            decision_id: DecisionId::parse("dec-1").unwrap(),
            application_id: ApplicationId::parse("app-1").unwrap(),
            decider: UserId::parse("reviewer-1").unwrap(),
            credential_id: CredentialId::parse("cred_XyZ-2").unwrap(),
            created_at: Timestamp::parse("2026-04-02T08:00:00Z").unwrap(),
        }
    }

    #[test]
    fn round_trip_through_signed_bytes() {
        let d = SignedDecision::new(header(), Action::Approve, "同意").unwrap();
        let bytes = d.canonical_bytes().unwrap();
        assert!(bytes.starts_with(b"{\"action\":\"approve\",\"application_id\":\"app-1\""));
        let (back, challenge) = SignedDecision::from_signed_bytes(&bytes).unwrap();
        assert_eq!(back, d);
        assert_eq!(challenge, d.challenge().unwrap());
        assert_eq!(d.challenge_b64url().unwrap().len(), 43);
        assert!(back.check().is_ok());
    }

    #[test]
    fn refusals() {
        let d = SignedDecision::new(header(), Action::Return, "请补充用编理由").unwrap();
        let text = String::from_utf8(d.canonical_bytes().unwrap()).unwrap();

        let spaced = text.replacen(':', ": ", 1);
        assert_eq!(
            SignedDecision::from_signed_bytes(spaced.as_bytes()).unwrap_err(),
            DecisionError::NotCanonical
        );
        let v2 = text.replace("\"version\":1", "\"version\":2");
        assert_eq!(
            SignedDecision::from_signed_bytes(v2.as_bytes()).unwrap_err(),
            DecisionError::UnknownVersion(2)
        );
        let tag = text.replace(DECISION_TAG, ENVELOPE_TAG);
        assert!(matches!(
            SignedDecision::from_signed_bytes(tag.as_bytes()),
            Err(DecisionError::Malformed(_))
        ));
        let extra = format!("{},\"zzz\":true}}", &text[..text.len() - 1]);
        assert!(matches!(
            SignedDecision::from_signed_bytes(extra.as_bytes()),
            Err(DecisionError::Malformed(_))
        ));
        assert!(matches!(
            SignedDecision::from_signed_bytes(b"{not json"),
            Err(DecisionError::Malformed(_))
        ));
    }

    #[test]
    fn an_application_envelope_is_never_a_decision_nor_the_reverse() {
        let envelope = SignedEnvelope::new(
            EnvelopeHeader {
                application_id: ApplicationId::parse("app-1").unwrap(),
                client_id: ClientId::parse("client-1").unwrap(),
                sequence: 1,
                signer: UserId::parse("clerk-1").unwrap(),
                credential_id: CredentialId::parse("cred_AbC-1").unwrap(),
                unit: UnitId::parse("unit-1").unwrap(),
                created_at: Timestamp::parse("2026-04-01T08:00:00Z").unwrap(),
            },
            &ApplicationPayload::QuotaUse(QuotaUseRequest {
                category: EstablishmentCategory::Administrative,
                funding_form: None,
                count: Headcount::new(1),
                recruitment: EntryForm::Examination,
                reason: "补充".into(),
                request_document: None,
            }),
        )
        .unwrap();
        let envelope_bytes = envelope.canonical_bytes().unwrap();
        assert!(SignedDecision::from_signed_bytes(&envelope_bytes).is_err());
        let decision = SignedDecision::new(header(), Action::Approve, "")
            .unwrap()
            .canonical_bytes()
            .unwrap();
        assert!(SignedEnvelope::from_signed_bytes(&decision).is_err());
    }

    #[test]
    fn document_rules() {
        for action in [Action::Return, Action::Reject, Action::Void] {
            assert_eq!(
                SignedDecision::new(header(), action, "  ").unwrap_err(),
                DecisionError::NoteRequired { action }
            );
            assert!(SignedDecision::new(header(), action, "材料不全").is_ok());
        }
        for action in [Action::Endorse, Action::Approve] {
            assert!(SignedDecision::new(header(), action, "").is_ok());
        }
        // A withdrawal needs no reason.
        assert!(SignedDecision::new(header(), Action::Withdraw, "").is_ok());
        for action in [Action::Sign, Action::Submit, Action::Revise] {
            assert_eq!(
                SignedDecision::new(header(), action, "x").unwrap_err(),
                DecisionError::NotADecision { action }
            );
        }
        let long = "意".repeat(MAX_NOTE_CHARS + 1);
        assert!(matches!(
            SignedDecision::new(header(), Action::Reject, &long),
            Err(DecisionError::NoteTooLong { .. })
        ));
        // A note-less return that arrives as signed bytes parses, and `check` names the rule.
        let mut d = SignedDecision::new(header(), Action::Approve, "").unwrap();
        d.action = Action::Return;
        let (back, _) = SignedDecision::from_signed_bytes(&d.canonical_bytes().unwrap()).unwrap();
        let e = back.check().unwrap_err();
        assert!(e.message_zh().contains("审批意见"), "{}", e.message_zh());
    }

    #[test]
    fn creation_time_window() {
        let d = SignedDecision::new(header(), Action::Approve, "").unwrap();
        let t = |s: &str| Timestamp::parse(s).unwrap();
        let w = TimeWindow::default();
        assert!(d.check_created_at(t("2026-04-02T08:00:00Z"), w).is_ok());
        assert!(matches!(
            d.check_created_at(t("2026-05-10T08:00:00Z"), w),
            Err(DecisionError::TooOld { .. })
        ));
        let e = d
            .check_created_at(t("2026-04-02T07:00:00Z"), w)
            .unwrap_err();
        assert!(matches!(e, DecisionError::FromTheFuture { .. }));
        assert!(e.message_zh().contains("电脑时钟"));
    }

    #[test]
    fn every_error_has_messages() {
        let t = Timestamp::parse("2026-04-02T08:00:00Z").unwrap();
        for e in [
            DecisionError::Malformed("x".into()),
            DecisionError::UnknownVersion(2),
            DecisionError::NotCanonical,
            DecisionError::TooOld {
                created_at: t,
                oldest: t,
            },
            DecisionError::FromTheFuture {
                created_at: t,
                latest: t,
            },
            DecisionError::NotADecision {
                action: Action::Sign,
            },
            DecisionError::NoteRequired {
                action: Action::Reject,
            },
            DecisionError::NoteTooLong { max: 1, actual: 2 },
        ] {
            assert!(!e.message_zh().is_empty() && !e.message_en().is_empty());
            assert!(e.to_string().starts_with(|c: char| c.is_ascii_lowercase()));
        }
    }
}
