//! The signed envelope (签名申报信封): what a clerk's security key signs, and its challenge.
//!
//! The client builds a [`SignedEnvelope`], computes its canonical bytes (RFC 8785, see
//! [`crate::canonical`]), and asks the key to sign with `challenge = SHA-256(canonical bytes)`.
//! It sends those exact bytes. The server calls [`SignedEnvelope::from_signed_bytes`], which
//! parses the bytes as received, refuses them unless they are already canonical (so no two byte
//! strings carry the same envelope), checks the tag and version, and returns the challenge computed
//! over the received bytes, never over a re-serialisation.
//!
//! Wire form (keys in canonical order):
//! `{"application_id":…,"client_id":…,"created_at":"2026-…Z","credential_id":…,"kind":"quota_use",
//! "payload":{…},"sequence":1,"signer":…,"tag":"dzbzglz.application","unit":…,"version":1}`

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::application::ApplicationKind;
use crate::canonical::{self, CanonicalError};
use crate::date::Timestamp;
use crate::ids::{ApplicationId, ClientId, CredentialId, UnitId, UserId};
use crate::payload::ApplicationPayload;

/// The tag every envelope carries, so a signature over one cannot be replayed as another format.
pub const ENVELOPE_TAG: &str = "dzbzglz.application";
/// The envelope schema version this crate writes and reads.
pub const ENVELOPE_VERSION: u32 = 1;

/// The tag field: serialises as [`ENVELOPE_TAG`] and refuses anything else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct EnvelopeTag;

impl Serialize for EnvelopeTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(ENVELOPE_TAG)
    }
}

impl<'de> Deserialize<'de> for EnvelopeTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == ENVELOPE_TAG {
            Ok(EnvelopeTag)
        } else {
            Err(serde::de::Error::custom(format!(
                "unknown envelope tag {s:?}"
            )))
        }
    }
}

/// An application as signed by a clerk's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignedEnvelope {
    /// Always [`ENVELOPE_TAG`].
    pub tag: EnvelopeTag,
    /// Schema version.
    pub version: u32,
    /// 申报标识, chosen by the client.
    pub application_id: ApplicationId,
    /// The client installation that created it.
    pub client_id: ClientId,
    /// The client's sequence number (idempotent, ordered push). At most 2^53.
    pub sequence: u64,
    /// 签名人.
    pub signer: UserId,
    /// The WebAuthn credential that signs.
    pub credential_id: CredentialId,
    /// 申报单位.
    pub unit: UnitId,
    /// 业务类型.
    pub kind: ApplicationKind,
    /// When the client created it (UTC).
    pub created_at: Timestamp,
    /// The request, in the form of the kind's payload type.
    pub payload: Value,
}

/// Why envelope bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// Not JSON, or fields missing, unknown or invalid (including the tag).
    #[error("malformed envelope: {0}")]
    Malformed(String),
    /// A version this build does not know.
    #[error("unknown envelope version {0}")]
    UnknownVersion(u32),
    /// The bytes are not in canonical form.
    #[error("envelope bytes are not canonical")]
    NotCanonical,
    /// No canonical form exists.
    #[error(transparent)]
    Canonical(#[from] CanonicalError),
    /// Created before the allowed offline window.
    #[error("envelope created at {created_at}, before the offline window began at {oldest}")]
    TooOld {
        created_at: Timestamp,
        oldest: Timestamp,
    },
    /// Created after now plus the clock-skew allowance.
    #[error("envelope created at {created_at}, after {latest}")]
    FromTheFuture {
        created_at: Timestamp,
        latest: Timestamp,
    },
    /// The payload does not fit the kind.
    #[error("payload does not match kind {kind}: {detail}")]
    Payload {
        kind: ApplicationKind,
        detail: String,
    },
}

impl EnvelopeError {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::Malformed(d) => format!("申请数据格式错误：{d}"),
            Self::UnknownVersion(v) => format!("申请数据版本{v}无法识别，请更新客户端"),
            Self::NotCanonical => "申请数据不是规范格式，签名无法核验".to_owned(),
            Self::Canonical(e) => format!("申请数据无法规范化：{e}"),
            Self::TooOld { created_at, oldest } => {
                format!("申请创建于{created_at}，早于允许的离线期限（{oldest}）")
            }
            Self::FromTheFuture { created_at, latest } => {
                format!("申请创建时间{created_at}晚于当前时间（允许至{latest}），请核对电脑时钟")
            }
            Self::Payload { kind, detail } => format!("{}内容有误：{detail}", kind.label_zh()),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::Malformed(d) => format!("the application data is malformed: {d}"),
            Self::UnknownVersion(v) => {
                format!("application data version {v} is unknown; update the client")
            }
            Self::NotCanonical => {
                "the application data is not in canonical form, so its signature cannot be checked"
                    .to_owned()
            }
            Self::Canonical(e) => format!("the application data has no canonical form: {e}"),
            Self::TooOld { created_at, oldest } => format!(
                "the application was created at {created_at}, before the offline window began ({oldest})"
            ),
            Self::FromTheFuture { created_at, latest } => format!(
                "the application was created at {created_at}, in the future (allowed up to {latest}); check the computer's clock"
            ),
            Self::Payload { kind, detail } => {
                format!("the {} application is invalid: {detail}", kind.label_en())
            }
        }
    }
}

/// How far an envelope's `created_at` may lie from the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimeWindow {
    /// The longest an application may wait offline, in seconds.
    pub max_age_seconds: i64,
    /// Clock-skew allowance into the future, in seconds.
    pub max_skew_seconds: i64,
}

impl Default for TimeWindow {
    /// Thirty days offline, five minutes of skew.
    fn default() -> Self {
        TimeWindow {
            max_age_seconds: 30 * 86_400,
            max_skew_seconds: 300,
        }
    }
}

impl TimeWindow {
    /// Checks a signed document's `created_at` against the server's clock `now`: not before the
    /// offline window, not after now plus the skew allowance.
    pub fn check(self, created_at: Timestamp, now: Timestamp) -> Result<(), EnvelopeError> {
        let t = created_at.unix_seconds();
        let now_s = now.unix_seconds();
        let at = |s: i64| Timestamp::from_unix_seconds(s).unwrap_or(now);
        if t < now_s.saturating_sub(self.max_age_seconds) {
            return Err(EnvelopeError::TooOld {
                created_at,
                oldest: at(now_s - self.max_age_seconds),
            });
        }
        if t > now_s.saturating_add(self.max_skew_seconds) {
            return Err(EnvelopeError::FromTheFuture {
                created_at,
                latest: at(now_s + self.max_skew_seconds),
            });
        }
        Ok(())
    }
}

/// The fields of an envelope other than its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvelopeHeader {
    /// 申报标识.
    pub application_id: ApplicationId,
    /// Client installation.
    pub client_id: ClientId,
    /// Client sequence number.
    pub sequence: u64,
    /// 签名人.
    pub signer: UserId,
    /// Credential.
    pub credential_id: CredentialId,
    /// 申报单位.
    pub unit: UnitId,
    /// Creation time.
    pub created_at: Timestamp,
}

impl SignedEnvelope {
    /// A current-version envelope around a typed payload.
    pub fn new(
        header: EnvelopeHeader,
        payload: &ApplicationPayload,
    ) -> Result<SignedEnvelope, EnvelopeError> {
        let value = payload.to_value().map_err(|e| EnvelopeError::Payload {
            kind: payload.kind(),
            detail: e.to_string(),
        })?;
        Ok(SignedEnvelope {
            tag: EnvelopeTag,
            version: ENVELOPE_VERSION,
            application_id: header.application_id,
            client_id: header.client_id,
            sequence: header.sequence,
            signer: header.signer,
            credential_id: header.credential_id,
            unit: header.unit,
            kind: payload.kind(),
            created_at: header.created_at,
            payload: value,
        })
    }

    /// The canonical bytes (RFC 8785) the key signs the hash of.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>, EnvelopeError> {
        let value =
            serde_json::to_value(self).map_err(|e| EnvelopeError::Malformed(e.to_string()))?;
        Ok(canonical::canonicalize(&value)?)
    }

    /// `SHA-256(canonical bytes)`.
    pub fn challenge(&self) -> Result<[u8; 32], EnvelopeError> {
        Ok(canonical::sha256(&self.canonical_bytes()?))
    }

    /// The challenge as WebAuthn's `clientData.challenge` carries it: base64url, no padding.
    pub fn challenge_b64url(&self) -> Result<String, EnvelopeError> {
        Ok(canonical::base64url(&self.challenge()?))
    }

    /// Reads envelope bytes as received. They must be canonical; returns the envelope and
    /// `SHA-256(bytes)` (the challenge the signature must be over).
    pub fn from_signed_bytes(bytes: &[u8]) -> Result<(SignedEnvelope, [u8; 32]), EnvelopeError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| EnvelopeError::Malformed(e.to_string()))?;
        if let Some(v) = value.get("version").and_then(Value::as_u64)
            && v != u64::from(ENVELOPE_VERSION)
        {
            return Err(EnvelopeError::UnknownVersion(
                u32::try_from(v).unwrap_or(u32::MAX),
            ));
        }
        if canonical::canonicalize(&value)? != bytes {
            return Err(EnvelopeError::NotCanonical);
        }
        let envelope: SignedEnvelope =
            serde_json::from_value(value).map_err(|e| EnvelopeError::Malformed(e.to_string()))?;
        Ok((envelope, canonical::sha256(bytes)))
    }

    /// Checks `created_at` against the server's clock `now`.
    pub fn check_created_at(
        &self,
        now: Timestamp,
        window: TimeWindow,
    ) -> Result<(), EnvelopeError> {
        window.check(self.created_at, now)
    }

    /// The typed payload, validated against the envelope's kind.
    pub fn decode_payload(&self) -> Result<ApplicationPayload, EnvelopeError> {
        ApplicationPayload::from_value(self.kind, &self.payload).map_err(|e| {
            EnvelopeError::Payload {
                kind: self.kind,
                detail: e.to_string(),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EstablishmentCategory;
    use crate::fixtures::{date, doc, id, person};
    use crate::payload::{OffboardingRequest, OnboardingRequest};
    use crate::person::DepartureReason;

    fn header() -> EnvelopeHeader {
        EnvelopeHeader {
            application_id: ApplicationId::parse("app-1").unwrap(),
            client_id: ClientId::parse("client-1").unwrap(),
            sequence: 7,
            signer: UserId::parse("clerk-1").unwrap(),
            credential_id: CredentialId::parse("cred_AbC-1").unwrap(),
            unit: UnitId::parse("unit-1").unwrap(),
            created_at: Timestamp::parse("2026-04-01T08:00:00Z").unwrap(),
        }
    }

    fn onboarding() -> ApplicationPayload {
        ApplicationPayload::Onboarding(Box::new(OnboardingRequest {
            slip_number: doc("天编用〔2026〕0001号"),
            person: person(id(3), EstablishmentCategory::PublicInstitution),
            hr_document: Some(doc("天人社发〔2026〕3号")),
        }))
    }

    #[test]
    fn round_trip_through_signed_bytes() {
        let env = SignedEnvelope::new(header(), &onboarding()).unwrap();
        let bytes = env.canonical_bytes().unwrap();
        assert!(bytes.starts_with(b"{\"application_id\":\"app-1\",\"client_id\":\"client-1\""));
        let (back, challenge) = SignedEnvelope::from_signed_bytes(&bytes).unwrap();
        assert_eq!(back, env);
        assert_eq!(challenge, env.challenge().unwrap());
        assert_eq!(back.decode_payload().unwrap(), onboarding());
        assert_eq!(env.challenge_b64url().unwrap().len(), 43);
    }

    #[test]
    fn refusals() {
        let env = SignedEnvelope::new(header(), &onboarding()).unwrap();
        let bytes = env.canonical_bytes().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();

        let spaced = text.replacen(':', ": ", 1);
        assert_eq!(
            SignedEnvelope::from_signed_bytes(spaced.as_bytes()).unwrap_err(),
            EnvelopeError::NotCanonical
        );

        let tag = text.replace(ENVELOPE_TAG, "other.format");
        assert!(matches!(
            SignedEnvelope::from_signed_bytes(tag.as_bytes()),
            Err(EnvelopeError::Malformed(_))
        ));

        let v2 = text.replace("\"version\":1", "\"version\":2");
        assert_eq!(
            SignedEnvelope::from_signed_bytes(v2.as_bytes()).unwrap_err(),
            EnvelopeError::UnknownVersion(2)
        );

        let extra = text.replacen('{', "{\"admin\":true,", 1);
        assert!(matches!(
            SignedEnvelope::from_signed_bytes(extra.as_bytes()),
            Err(EnvelopeError::Malformed(_))
        ));

        let bad_id = text.replace(id(3).as_str(), "110105194912310023");
        let (env2, _) = SignedEnvelope::from_signed_bytes(bad_id.as_bytes()).unwrap();
        assert!(matches!(
            env2.decode_payload(),
            Err(EnvelopeError::Payload { .. })
        ));

        let wrong_kind = SignedEnvelope {
            kind: ApplicationKind::Offboarding,
            ..env.clone()
        };
        assert!(wrong_kind.decode_payload().is_err());

        let big = SignedEnvelope {
            sequence: u64::MAX,
            ..env
        };
        assert!(matches!(
            big.canonical_bytes(),
            Err(EnvelopeError::Canonical(_))
        ));
        assert!(!EnvelopeError::NotCanonical.message_zh().is_empty());
    }

    #[test]
    fn creation_time_window() {
        let env = SignedEnvelope::new(header(), &onboarding()).unwrap();
        let t = |s: &str| Timestamp::parse(s).unwrap();
        let w = TimeWindow::default();
        assert!(env.check_created_at(t("2026-04-01T08:00:00Z"), w).is_ok());
        assert!(env.check_created_at(t("2026-04-30T08:00:00Z"), w).is_ok());
        assert!(matches!(
            env.check_created_at(t("2026-05-02T08:00:00Z"), w),
            Err(EnvelopeError::TooOld { .. })
        ));
        assert!(env.check_created_at(t("2026-04-01T07:56:00Z"), w).is_ok());
        let e = env
            .check_created_at(t("2026-04-01T07:00:00Z"), w)
            .unwrap_err();
        assert!(matches!(e, EnvelopeError::FromTheFuture { .. }));
        assert!(e.message_zh().contains("电脑时钟"));
    }

    #[test]
    fn offboarding_payload_round_trip() {
        let p = ApplicationPayload::Offboarding(OffboardingRequest {
            id_number: id(5),
            reason: DepartureReason::Death,
            left_on: date("2026-02-10"),
            document: doc("天人社发〔2026〕8号"),
        });
        let v = p.to_value().unwrap();
        assert_eq!(v["reason"], "death");
        assert_eq!(
            ApplicationPayload::from_value(ApplicationKind::Offboarding, &v).unwrap(),
            p
        );
    }
}
