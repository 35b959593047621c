//! Verification of applications signed offline by a holder's security key (签名申报核验).
//!
//! A clerk's client builds a [`SignedEnvelope`], takes its canonical bytes, and asks the security
//! key for a WebAuthn assertion whose challenge is `SHA-256(envelope bytes)` (see
//! `../shared/DESIGN-NOTES.md` §1). Days later the server receives the envelope bytes together with
//! the assertion and calls [`verify`]: a pure function (no database, no I/O, nothing async) that
//! either returns the [`Verified`] envelope or one [`Rejection`] with a stable code.
//!
//! Bureau decisions (approve, return, reject, and a department's endorsement) are signed by the
//! reviewer's key the same way: [`verify_document`] runs the same checks on any
//! [`SignedDocument`] — the application envelope ([`SignedEnvelope`], what [`verify`] reads) and
//! the decision ([`SignedDecision`], tag `dzbzglz.decision`). Each type reads only its own tag,
//! so an application's bytes and signature never count as a decision, nor the reverse; the codes
//! below are the same for both (`envelope_*` then means "the signed document").
//!
//! What [`verify`] does **not** do, because it needs state: role and scope of the signer for the
//! unit, replay (envelope id and `(credential, challenge)` already seen), processing a batch in
//! counter order, raising the stored counter, and keeping the raw bytes and the verdict for the
//! audit trail. The caller does those around it.
//!
//! # Order of the checks
//!
//! Cheap, structural checks come first; nothing a client sent is trusted for a decision that
//! matters until the signature has verified:
//!
//! 1. size: envelope at most [`MAX_ENVELOPE_BYTES`];
//! 2. envelope: parsed from the bytes as received ([`SignedEnvelope::from_signed_bytes`]): JSON,
//!    known tag, known version, canonical, fields valid; the challenge is `SHA-256` of exactly
//!    these bytes, never of a re-serialisation;
//! 3. binding: the envelope names the credential that signed (`credential_id`);
//! 4. credential (server state): known, not revoked, held by the envelope's signer;
//! 5. time: `created_at` inside the offline window and not in the future beyond the skew;
//! 6. clientDataJSON: JSON, well-formed, `type == "webauthn.get"`, challenge equals the envelope
//!    hash, origin configured, not cross-origin;
//! 7. authenticatorData: at least 37 bytes and well-formed, rpIdHash equals `SHA-256(rp id)`,
//!    user present, user verified;
//! 8. signature over `authenticatorData ‖ SHA-256(clientDataJSON)` with the stored public key;
//! 9. signature counter, last: `counter_regression` is the only verdict that is not final (the
//!    caller holds the application for review and a reviewer may still accept it), so it is only
//!    given to a submission that passed every other check, signature included.
//!
//! Every rejection before step 8 is final and grants nothing, so reporting it before the
//! signature is checked cannot be abused: a forger learns only which of their own fields is wrong.
//!
//! # Rejection codes
//!
//! | code | meaning | 中文提示 |
//! |------|---------|----------|
//! | `malformed_base64` | a field of the request is not base64url ([`decode_b64url`]) | 请求字段不是有效的 base64url 编码 |
//! | `envelope_too_large` | envelope larger than [`MAX_ENVELOPE_BYTES`] | 申报数据过大 |
//! | `envelope_malformed` | envelope not JSON, or a field missing, unknown or invalid | 申报数据格式错误 |
//! | `envelope_tag_unknown` | envelope tag is not `dzbzglz.application` (for a decision: not `dzbzglz.decision`) | 申报数据类型无法识别 |
//! | `envelope_version_unknown` | envelope schema version unknown | 申报数据版本无法识别，请更新客户端 |
//! | `envelope_not_canonical` | envelope bytes not in canonical (RFC 8785) form | 申报数据不是规范格式，签名无法核验 |
//! | `credential_id_mismatch` | envelope names another credential than the one that signed | 申报中的凭据与签名所用凭据不一致 |
//! | `credential_unknown` | no such credential registered | 签名所用的安全密钥未备案 |
//! | `credential_revoked` | credential revoked | 签名所用的安全密钥已被吊销 |
//! | `credential_holder_mismatch` | credential belongs to another holder than the signer | 签名所用的安全密钥不属于申报签名人 |
//! | `envelope_too_old` | `created_at` before the offline window | 申报创建时间早于允许的离线期限 |
//! | `envelope_from_future` | `created_at` after now plus clock skew | 申报创建时间晚于当前时间，请核对电脑时钟 |
//! | `client_data_not_json` | clientDataJSON is not JSON | 浏览器签名数据（clientDataJSON）不是 JSON |
//! | `client_data_malformed` | clientDataJSON lacks or mistypes a required member | 浏览器签名数据（clientDataJSON）格式错误 |
//! | `client_data_wrong_type` | `type` is not `webauthn.get` | 签名类型错误（不是 webauthn.get） |
//! | `challenge_mismatch` | challenge is not `base64url(SHA-256(envelope bytes))` | 签名内容与申报数据不一致 |
//! | `origin_not_allowed` | origin not among the configured origins | 签名来源网站不在允许范围内 |
//! | `cross_origin` | signed inside a cross-origin frame | 不接受跨域框架中的签名 |
//! | `authenticator_data_truncated` | authenticatorData shorter than 37 bytes | 安全密钥数据（authenticatorData）不完整 |
//! | `authenticator_data_malformed` | authenticatorData cannot be parsed | 安全密钥数据（authenticatorData）格式错误 |
//! | `rp_id_mismatch` | rpIdHash is not `SHA-256(rp id)` | 签名所属站点（RP ID）不符 |
//! | `user_not_present` | user-present flag missing | 签名时未确认用户在场（未触摸安全密钥） |
//! | `user_not_verified` | user-verified flag missing | 签名时未验证用户身份（未输入 PIN） |
//! | `credential_key_unsupported` | the stored public key cannot verify (unsupported algorithm) | 该安全密钥的公钥算法不受支持 |
//! | `signature_invalid` | signature does not verify with the stored public key | 签名无效 |
//! | `counter_regression` | signature counter not above the highest seen: held for review | 安全密钥计数器未递增，申报转人工复核 |

use std::fmt;
use std::time::Duration;

use domain::canonical::{base64url, base64url_decode, sha256};
use domain::decision::{DECISION_TAG, DecisionError, SignedDecision};
use domain::envelope::{ENVELOPE_TAG, EnvelopeError, SignedEnvelope, TimeWindow};
use domain::{CredentialId, Timestamp, UserId};
use webauthn_rs::prelude::Url;
use webauthn_rs_core::error::WebauthnError;
use webauthn_rs_core::internals::AuthenticatorData;
use webauthn_rs_core::proto::{Authentication, CollectedClientData, Credential};

/// The largest envelope [`verify`] reads, in bytes.
pub const MAX_ENVELOPE_BYTES: usize = 64 * 1024;

/// The default offline window: thirty days.
pub const DEFAULT_OFFLINE_WINDOW: Duration = Duration::from_secs(30 * 86_400);

/// The default clock-skew allowance into the future: five minutes.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(300);

/// The only clientData type an assertion may carry.
const WEBAUTHN_GET: &str = "webauthn.get";

/// Length of authenticatorData without attested credential data or extensions.
const AUTH_DATA_MIN_LEN: usize = 37;
const FLAG_UP: u8 = 0x01;
const FLAG_UV: u8 = 0x04;
const FLAG_AT: u8 = 0x40;
const FLAG_ED: u8 = 0x80;

/// The deployment's WebAuthn settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyPolicy {
    /// The relying-party id, e.g. `bzw.example.gov.cn` (`localhost` in development).
    pub rp_id: String,
    /// The web origins the client is served from, e.g. `https://bzw.example.gov.cn`.
    pub origins: Vec<String>,
    /// How long an application may wait offline before it reaches the server.
    pub offline_window: Duration,
    /// How far `created_at` may lie in the future of the server's clock.
    pub clock_skew: Duration,
}

impl VerifyPolicy {
    /// A policy with the default offline window and clock skew.
    pub fn new(rp_id: impl Into<String>, origins: Vec<String>) -> VerifyPolicy {
        VerifyPolicy {
            rp_id: rp_id.into(),
            origins,
            offline_window: DEFAULT_OFFLINE_WINDOW,
            clock_skew: DEFAULT_CLOCK_SKEW,
        }
    }

    fn time_window(&self) -> TimeWindow {
        let secs = |d: Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        TimeWindow {
            max_age_seconds: secs(self.offline_window),
            max_skew_seconds: secs(self.clock_skew),
        }
    }

    fn allows_origin(&self, origin: &Url) -> bool {
        let seen = origin.origin().ascii_serialization();
        self.origins.iter().any(|allowed| {
            let allowed = allowed.trim().trim_end_matches('/');
            let normalised = Url::parse(allowed)
                .map(|u| u.origin().ascii_serialization())
                .unwrap_or_else(|_| allowed.to_owned());
            normalised == seen
        })
    }
}

/// What the server knows about a credential.
#[derive(Debug, Clone)]
pub struct KnownCredential {
    /// The raw credential id.
    pub credential_id: Vec<u8>,
    /// The key holder it was issued to.
    pub holder: UserId,
    /// The credential from the registration, with its public key.
    pub credential: Credential,
    /// Whether an administrator revoked it.
    pub revoked: bool,
    /// The highest signature counter among the *envelopes* accepted so far from this credential.
    /// Do not fold sign-in counters into it: a clerk who signs offline and then signs in before
    /// syncing would otherwise see every queued envelope held as a regression.
    pub highest_counter: u32,
}

/// A signed application as received: raw bytes (the HTTP layer decodes base64url).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedSubmission {
    /// The envelope bytes exactly as signed.
    pub envelope: Vec<u8>,
    /// The raw credential id of the key that signed.
    pub credential_id: Vec<u8>,
    /// `response.clientDataJSON`.
    pub client_data_json: Vec<u8>,
    /// `response.authenticatorData`.
    pub authenticator_data: Vec<u8>,
    /// `response.signature` (DER for ES256).
    pub signature: Vec<u8>,
}

impl fmt::Debug for SignedSubmission {
    /// Lengths only: the envelope carries personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedSubmission")
            .field("envelope_len", &self.envelope.len())
            .field("credential_id", &base64url(&self.credential_id))
            .field("client_data_json_len", &self.client_data_json.len())
            .field("authenticator_data_len", &self.authenticator_data.len())
            .field("signature_len", &self.signature.len())
            .finish()
    }
}

/// A document signed by a holder's key and checked by [`verify_document`]: it is read from the
/// bytes as received and names its signer, the credential that signs, and its creation time.
pub trait SignedDocument: Sized {
    /// The tag that this type, and only this type, carries.
    const TAG: &'static str;

    /// Parses the bytes as received (canonical, known tag and version); returns the document and
    /// `SHA-256(bytes)`.
    fn parse_signed(bytes: &[u8]) -> Result<(Self, [u8; 32]), Rejection>;

    /// Who signed it.
    fn signer(&self) -> &UserId;

    /// The credential it names.
    fn credential_id(&self) -> &CredentialId;

    /// Checks the creation time against the offline window and the clock skew.
    fn check_time(&self, now: Timestamp, window: TimeWindow) -> Result<(), Rejection>;
}

impl SignedDocument for SignedEnvelope {
    const TAG: &'static str = ENVELOPE_TAG;

    fn parse_signed(bytes: &[u8]) -> Result<(Self, [u8; 32]), Rejection> {
        SignedEnvelope::from_signed_bytes(bytes)
            .map_err(|e| envelope_rejection(e, bytes, Self::TAG))
    }

    fn signer(&self) -> &UserId {
        &self.signer
    }

    fn credential_id(&self) -> &CredentialId {
        &self.credential_id
    }

    fn check_time(&self, now: Timestamp, window: TimeWindow) -> Result<(), Rejection> {
        self.check_created_at(now, window).map_err(|e| match e {
            EnvelopeError::TooOld { created_at, oldest } => {
                Rejection::EnvelopeTooOld { created_at, oldest }
            }
            EnvelopeError::FromTheFuture { created_at, latest } => {
                Rejection::EnvelopeFromFuture { created_at, latest }
            }
            other => Rejection::EnvelopeMalformed {
                detail: other.message_en(),
            },
        })
    }
}

impl SignedDocument for SignedDecision {
    const TAG: &'static str = DECISION_TAG;

    fn parse_signed(bytes: &[u8]) -> Result<(Self, [u8; 32]), Rejection> {
        SignedDecision::from_signed_bytes(bytes).map_err(|e| match e {
            DecisionError::UnknownVersion(version) => Rejection::EnvelopeVersionUnknown { version },
            DecisionError::NotCanonical => Rejection::EnvelopeNotCanonical,
            DecisionError::Malformed(detail) => malformed_or_tag(detail, bytes, Self::TAG),
            other => Rejection::EnvelopeMalformed {
                detail: other.message_en(),
            },
        })
    }

    fn signer(&self) -> &UserId {
        &self.decider
    }

    fn credential_id(&self) -> &CredentialId {
        &self.credential_id
    }

    fn check_time(&self, now: Timestamp, window: TimeWindow) -> Result<(), Rejection> {
        self.check_created_at(now, window).map_err(|e| match e {
            DecisionError::TooOld { created_at, oldest } => {
                Rejection::EnvelopeTooOld { created_at, oldest }
            }
            DecisionError::FromTheFuture { created_at, latest } => {
                Rejection::EnvelopeFromFuture { created_at, latest }
            }
            other => Rejection::EnvelopeMalformed {
                detail: other.message_en(),
            },
        })
    }
}

/// A signed document that passed every check of [`verify_document`].
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedDocument<T> {
    /// The document, parsed from the bytes as received.
    pub document: T,
    /// `SHA-256(document bytes)`, the challenge the key signed.
    pub challenge: [u8; 32],
    /// The authenticator's signature counter; the caller raises the stored highest counter to it.
    pub counter: u32,
}

impl<T> fmt::Debug for VerifiedDocument<T> {
    /// The challenge and counter only: documents carry personal data (payloads, notes).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedDocument")
            .field("challenge", &base64url(&self.challenge))
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

/// A submission that passed every check.
#[derive(Clone, PartialEq, Eq)]
pub struct Verified {
    /// The envelope, parsed from the bytes as received.
    pub envelope: SignedEnvelope,
    /// `SHA-256(envelope bytes)`, the challenge the key signed.
    pub challenge: [u8; 32],
    /// The authenticator's signature counter; the caller raises the stored highest counter to it.
    pub counter: u32,
}

impl fmt::Debug for Verified {
    /// Identifiers only: the payload carries personal data.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("application_id", &self.envelope.application_id)
            .field("kind", &self.envelope.kind)
            .field("challenge", &base64url(&self.challenge))
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

/// Why a signed submission was refused. [`Rejection::code`] is stable; the module documentation
/// lists every code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// A field of the request is not base64url.
    #[error("field {field} is not valid base64url")]
    MalformedBase64 {
        /// The request field.
        field: &'static str,
    },
    /// The envelope is larger than [`MAX_ENVELOPE_BYTES`].
    #[error("envelope of {size} bytes exceeds the limit of {max} bytes")]
    EnvelopeTooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Not JSON, or fields missing, unknown or invalid. The detail may quote the envelope, so
    /// the `Display` form (what gets logged) leaves it out.
    #[error("envelope is malformed")]
    EnvelopeMalformed {
        /// What the parser said.
        detail: String,
    },
    /// The tag is not [`ENVELOPE_TAG`].
    #[error("envelope tag is unknown")]
    EnvelopeTagUnknown,
    /// A schema version this build does not know.
    #[error("envelope version {version} is unknown")]
    EnvelopeVersionUnknown {
        /// The version found.
        version: u32,
    },
    /// The bytes are not in canonical form.
    #[error("envelope bytes are not canonical")]
    EnvelopeNotCanonical,
    /// The envelope's `credential_id` is not the credential that signed.
    #[error("envelope names another credential than the one that signed")]
    CredentialIdMismatch,
    /// No such credential.
    #[error("credential is unknown")]
    CredentialUnknown,
    /// The credential was revoked.
    #[error("credential is revoked")]
    CredentialRevoked,
    /// The credential belongs to someone other than the envelope's signer.
    #[error("credential belongs to another holder than the signer")]
    CredentialHolderMismatch,
    /// Created before the offline window began.
    #[error("envelope created at {created_at}, before the offline window began at {oldest}")]
    EnvelopeTooOld {
        /// `created_at`.
        created_at: Timestamp,
        /// The beginning of the window.
        oldest: Timestamp,
    },
    /// Created after now plus the clock-skew allowance.
    #[error("envelope created at {created_at}, after {latest}")]
    EnvelopeFromFuture {
        /// `created_at`.
        created_at: Timestamp,
        /// Now plus the allowance.
        latest: Timestamp,
    },
    /// clientDataJSON is not JSON.
    #[error("client data is not json")]
    ClientDataNotJson,
    /// clientDataJSON lacks or mistypes a required member.
    #[error("client data is malformed")]
    ClientDataMalformed,
    /// `type` is not `webauthn.get`.
    #[error("client data type is not webauthn.get")]
    ClientDataWrongType,
    /// The challenge is not the envelope's hash.
    #[error("challenge does not match the envelope")]
    ChallengeMismatch,
    /// The origin is not configured.
    #[error("origin is not allowed")]
    OriginNotAllowed,
    /// Signed in a cross-origin frame.
    #[error("signed in a cross-origin context")]
    CrossOrigin,
    /// authenticatorData shorter than 37 bytes.
    #[error("authenticator data is truncated ({len} bytes)")]
    AuthenticatorDataTruncated {
        /// Its length.
        len: usize,
    },
    /// authenticatorData cannot be parsed.
    #[error("authenticator data is malformed")]
    AuthenticatorDataMalformed,
    /// rpIdHash is not `SHA-256(rp id)`.
    #[error("rp id hash does not match")]
    RpIdMismatch,
    /// The user-present flag is missing.
    #[error("user presence flag missing")]
    UserNotPresent,
    /// The user-verified flag is missing.
    #[error("user verification flag missing")]
    UserNotVerified,
    /// The stored public key cannot verify signatures.
    #[error("credential key is unsupported")]
    CredentialKeyUnsupported,
    /// The signature does not verify.
    #[error("signature is invalid")]
    SignatureInvalid,
    /// The counter is not above the highest seen: hold for review, neither accept nor lose it.
    #[error("signature counter {counter} is not above the highest seen {highest}")]
    CounterRegression {
        /// The assertion's counter.
        counter: u32,
        /// The highest counter seen before.
        highest: u32,
    },
}

impl Rejection {
    /// One rejection of each kind, in the order of the checks (the table in the module
    /// documentation): the one list of every code [`verify`] can give, for the API document
    /// (`crate::openapi`) and the tests. The values of the fields are examples.
    pub fn all() -> Vec<Rejection> {
        let t = Timestamp::from_unix_seconds(0).expect("the epoch is a valid timestamp");
        vec![
            Self::MalformedBase64 { field: "envelope" },
            Self::EnvelopeTooLarge {
                size: MAX_ENVELOPE_BYTES + 1,
                max: MAX_ENVELOPE_BYTES,
            },
            Self::EnvelopeMalformed {
                detail: "…".to_owned(),
            },
            Self::EnvelopeTagUnknown,
            Self::EnvelopeVersionUnknown { version: 2 },
            Self::EnvelopeNotCanonical,
            Self::CredentialIdMismatch,
            Self::CredentialUnknown,
            Self::CredentialRevoked,
            Self::CredentialHolderMismatch,
            Self::EnvelopeTooOld {
                created_at: t,
                oldest: t,
            },
            Self::EnvelopeFromFuture {
                created_at: t,
                latest: t,
            },
            Self::ClientDataNotJson,
            Self::ClientDataMalformed,
            Self::ClientDataWrongType,
            Self::ChallengeMismatch,
            Self::OriginNotAllowed,
            Self::CrossOrigin,
            Self::AuthenticatorDataTruncated { len: 36 },
            Self::AuthenticatorDataMalformed,
            Self::RpIdMismatch,
            Self::UserNotPresent,
            Self::UserNotVerified,
            Self::CredentialKeyUnsupported,
            Self::SignatureInvalid,
            Self::CounterRegression {
                counter: 1,
                highest: 2,
            },
        ]
    }

    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MalformedBase64 { .. } => "malformed_base64",
            Self::EnvelopeTooLarge { .. } => "envelope_too_large",
            Self::EnvelopeMalformed { .. } => "envelope_malformed",
            Self::EnvelopeTagUnknown => "envelope_tag_unknown",
            Self::EnvelopeVersionUnknown { .. } => "envelope_version_unknown",
            Self::EnvelopeNotCanonical => "envelope_not_canonical",
            Self::CredentialIdMismatch => "credential_id_mismatch",
            Self::CredentialUnknown => "credential_unknown",
            Self::CredentialRevoked => "credential_revoked",
            Self::CredentialHolderMismatch => "credential_holder_mismatch",
            Self::EnvelopeTooOld { .. } => "envelope_too_old",
            Self::EnvelopeFromFuture { .. } => "envelope_from_future",
            Self::ClientDataNotJson => "client_data_not_json",
            Self::ClientDataMalformed => "client_data_malformed",
            Self::ClientDataWrongType => "client_data_wrong_type",
            Self::ChallengeMismatch => "challenge_mismatch",
            Self::OriginNotAllowed => "origin_not_allowed",
            Self::CrossOrigin => "cross_origin",
            Self::AuthenticatorDataTruncated { .. } => "authenticator_data_truncated",
            Self::AuthenticatorDataMalformed => "authenticator_data_malformed",
            Self::RpIdMismatch => "rp_id_mismatch",
            Self::UserNotPresent => "user_not_present",
            Self::UserNotVerified => "user_not_verified",
            Self::CredentialKeyUnsupported => "credential_key_unsupported",
            Self::SignatureInvalid => "signature_invalid",
            Self::CounterRegression { .. } => "counter_regression",
        }
    }

    /// Whether the caller should hold the application for review rather than reject it.
    pub fn held_for_review(&self) -> bool {
        matches!(self, Self::CounterRegression { .. })
    }

    /// The message in Chinese, for the clerk who signed.
    pub fn message_zh(&self) -> String {
        match self {
            Self::MalformedBase64 { field } => {
                format!("请求字段{field}不是有效的 base64url 编码")
            }
            Self::EnvelopeTooLarge { size, max } => {
                format!("申报数据过大（{size}字节，上限{max}字节）")
            }
            Self::EnvelopeMalformed { detail } => format!("申报数据格式错误：{detail}"),
            Self::EnvelopeTagUnknown => "申报数据类型无法识别".to_owned(),
            Self::EnvelopeVersionUnknown { version } => {
                format!("申报数据版本{version}无法识别，请更新客户端")
            }
            Self::EnvelopeNotCanonical => "申报数据不是规范格式，签名无法核验".to_owned(),
            Self::CredentialIdMismatch => "申报中的凭据与签名所用凭据不一致".to_owned(),
            Self::CredentialUnknown => "签名所用的安全密钥未备案".to_owned(),
            Self::CredentialRevoked => "签名所用的安全密钥已被吊销".to_owned(),
            Self::CredentialHolderMismatch => "签名所用的安全密钥不属于申报签名人".to_owned(),
            Self::EnvelopeTooOld { created_at, oldest } => {
                format!("申报创建于{created_at}，早于允许的离线期限（{oldest}）")
            }
            Self::EnvelopeFromFuture { created_at, latest } => {
                format!("申报创建时间{created_at}晚于当前时间（允许至{latest}），请核对电脑时钟")
            }
            Self::ClientDataNotJson => "浏览器签名数据（clientDataJSON）不是 JSON".to_owned(),
            Self::ClientDataMalformed => "浏览器签名数据（clientDataJSON）格式错误".to_owned(),
            Self::ClientDataWrongType => "签名类型错误（不是 webauthn.get）".to_owned(),
            Self::ChallengeMismatch => "签名内容与申报数据不一致".to_owned(),
            Self::OriginNotAllowed => "签名来源网站不在允许范围内".to_owned(),
            Self::CrossOrigin => "不接受跨域框架中的签名".to_owned(),
            Self::AuthenticatorDataTruncated { .. } => {
                "安全密钥数据（authenticatorData）不完整".to_owned()
            }
            Self::AuthenticatorDataMalformed => {
                "安全密钥数据（authenticatorData）格式错误".to_owned()
            }
            Self::RpIdMismatch => "签名所属站点（RP ID）不符".to_owned(),
            Self::UserNotPresent => "签名时未确认用户在场（未触摸安全密钥）".to_owned(),
            Self::UserNotVerified => "签名时未验证用户身份（未输入 PIN）".to_owned(),
            Self::CredentialKeyUnsupported => "该安全密钥的公钥算法不受支持".to_owned(),
            Self::SignatureInvalid => "签名无效".to_owned(),
            Self::CounterRegression { .. } => "安全密钥计数器未递增，申报转人工复核".to_owned(),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::MalformedBase64 { field } => {
                format!("the request field {field} is not valid base64url")
            }
            Self::EnvelopeTooLarge { size, max } => {
                format!("the application data is too large ({size} bytes, limit {max})")
            }
            Self::EnvelopeMalformed { detail } => {
                format!("the application data is malformed: {detail}")
            }
            Self::EnvelopeTagUnknown => "the application data is of an unknown type".to_owned(),
            Self::EnvelopeVersionUnknown { version } => {
                format!("application data version {version} is unknown; update the client")
            }
            Self::EnvelopeNotCanonical => {
                "the application data is not in canonical form, so its signature cannot be checked"
                    .to_owned()
            }
            Self::CredentialIdMismatch => {
                "the application names another key than the one that signed it".to_owned()
            }
            Self::CredentialUnknown => "the signing security key is not registered".to_owned(),
            Self::CredentialRevoked => "the signing security key has been revoked".to_owned(),
            Self::CredentialHolderMismatch => {
                "the signing security key belongs to someone other than the signer".to_owned()
            }
            Self::EnvelopeTooOld { created_at, oldest } => format!(
                "the application was created at {created_at}, before the offline window began ({oldest})"
            ),
            Self::EnvelopeFromFuture { created_at, latest } => format!(
                "the application was created at {created_at}, in the future (allowed up to {latest}); check the computer's clock"
            ),
            Self::ClientDataNotJson => {
                "the browser's signed data (clientDataJSON) is not JSON".to_owned()
            }
            Self::ClientDataMalformed => {
                "the browser's signed data (clientDataJSON) is malformed".to_owned()
            }
            Self::ClientDataWrongType => {
                "the signature is not an assertion (webauthn.get)".to_owned()
            }
            Self::ChallengeMismatch => {
                "the signature was made over other data than this application".to_owned()
            }
            Self::OriginNotAllowed => {
                "the signature was made on a web site that is not allowed".to_owned()
            }
            Self::CrossOrigin => {
                "signatures made inside a cross-origin frame are refused".to_owned()
            }
            Self::AuthenticatorDataTruncated { .. } => {
                "the security key's data (authenticatorData) is incomplete".to_owned()
            }
            Self::AuthenticatorDataMalformed => {
                "the security key's data (authenticatorData) is malformed".to_owned()
            }
            Self::RpIdMismatch => "the signature belongs to another site (RP ID)".to_owned(),
            Self::UserNotPresent => {
                "the security key did not confirm the user's presence (no touch)".to_owned()
            }
            Self::UserNotVerified => "the security key did not verify the user (no PIN)".to_owned(),
            Self::CredentialKeyUnsupported => {
                "the security key's public key algorithm is not supported".to_owned()
            }
            Self::SignatureInvalid => "the signature is invalid".to_owned(),
            Self::CounterRegression { .. } => {
                "the security key's counter did not increase; the application is held for review"
                    .to_owned()
            }
        }
    }
}

/// Decodes a base64url request field (unpadded, as WebAuthn's JSON form writes it; trailing `=`
/// padding is tolerated).
pub fn decode_b64url(field: &'static str, s: &str) -> Result<Vec<u8>, Rejection> {
    let unpadded = if s.len().is_multiple_of(4) {
        s.strip_suffix("==")
            .or_else(|| s.strip_suffix('='))
            .unwrap_or(s)
    } else {
        s
    };
    base64url_decode(unpadded).ok_or(Rejection::MalformedBase64 { field })
}

/// The signature counter of an assertion's authenticatorData, unverified: only for putting a
/// batch in counter order before verifying it (DESIGN-NOTES §1 item 7). `None` if truncated.
pub fn assertion_counter(authenticator_data: &[u8]) -> Option<u32> {
    let bytes = authenticator_data.get(33..AUTH_DATA_MIN_LEN)?;
    Some(u32::from_be_bytes(bytes.try_into().ok()?))
}

/// Verifies one signed submission against what the server knows about its credential.
///
/// `known` is the stored credential looked up by `sub.credential_id` (`None` if there is none);
/// `now` is the server's clock. See the module documentation for the order of the checks and
/// the codes.
pub fn verify(
    sub: &SignedSubmission,
    known: Option<&KnownCredential>,
    policy: &VerifyPolicy,
    now: Timestamp,
) -> Result<Verified, Rejection> {
    verify_document::<SignedEnvelope>(sub, known, policy, now).map(|v| Verified {
        envelope: v.document,
        challenge: v.challenge,
        counter: v.counter,
    })
}

/// Verifies one signed document of type `T` (its bytes in `sub.envelope`) against what the
/// server knows about its credential: the checks and codes of [`verify`], in the same order.
pub fn verify_document<T: SignedDocument>(
    sub: &SignedSubmission,
    known: Option<&KnownCredential>,
    policy: &VerifyPolicy,
    now: Timestamp,
) -> Result<VerifiedDocument<T>, Rejection> {
    // 1. Size.
    if sub.envelope.len() > MAX_ENVELOPE_BYTES {
        return Err(Rejection::EnvelopeTooLarge {
            size: sub.envelope.len(),
            max: MAX_ENVELOPE_BYTES,
        });
    }

    // 2. The document, from the bytes as received.
    let (document, challenge) = T::parse_signed(&sub.envelope)?;

    // 3. The document is bound to the credential that signed it.
    if document.credential_id().as_str() != base64url(&sub.credential_id) {
        return Err(Rejection::CredentialIdMismatch);
    }

    // 4. The credential.
    let known = known.ok_or(Rejection::CredentialUnknown)?;
    if known.credential_id != sub.credential_id || known.credential.cred_id != sub.credential_id {
        // The caller looked up another credential than the one that signed.
        return Err(Rejection::CredentialUnknown);
    }
    if known.revoked {
        return Err(Rejection::CredentialRevoked);
    }
    if known.holder != *document.signer() {
        return Err(Rejection::CredentialHolderMismatch);
    }

    // 5. Time.
    document.check_time(now, policy.time_window())?;

    // 6. clientDataJSON.
    check_client_data(&sub.client_data_json, &challenge, policy)?;

    // 7. authenticatorData.
    let counter = check_authenticator_data(&sub.authenticator_data, &policy.rp_id)?;

    // 8. The signature.
    let mut signed = Vec::with_capacity(sub.authenticator_data.len() + 32);
    signed.extend_from_slice(&sub.authenticator_data);
    signed.extend_from_slice(&sha256(&sub.client_data_json));
    match known
        .credential
        .cred
        .verify_signature(&sub.signature, &signed)
    {
        Ok(true) => {}
        Ok(false) | Err(WebauthnError::SignatureInvalid) => {
            return Err(Rejection::SignatureInvalid);
        }
        Err(_) => return Err(Rejection::CredentialKeyUnsupported),
    }

    // 9. The counter (WebAuthn §7.2 step 21: either counter non-zero and the new one not greater).
    let highest = known.highest_counter;
    if (counter != 0 || highest != 0) && counter <= highest {
        return Err(Rejection::CounterRegression { counter, highest });
    }

    Ok(VerifiedDocument {
        document,
        challenge,
        counter,
    })
}

fn envelope_rejection(e: EnvelopeError, bytes: &[u8], tag: &str) -> Rejection {
    match e {
        EnvelopeError::UnknownVersion(version) => Rejection::EnvelopeVersionUnknown { version },
        EnvelopeError::NotCanonical => Rejection::EnvelopeNotCanonical,
        EnvelopeError::Malformed(detail) => malformed_or_tag(detail, bytes, tag),
        other => Rejection::EnvelopeMalformed {
            detail: other.message_en(),
        },
    }
}

/// The domain reports a wrong tag as malformed; tell it apart for the code.
fn malformed_or_tag(detail: String, bytes: &[u8], expected_tag: &str) -> Rejection {
    let tag = serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|v| v.get("tag").map(|t| t.as_str() == Some(expected_tag)));
    if tag == Some(false) {
        Rejection::EnvelopeTagUnknown
    } else {
        Rejection::EnvelopeMalformed { detail }
    }
}

fn check_client_data(
    client_data_json: &[u8],
    challenge: &[u8; 32],
    policy: &VerifyPolicy,
) -> Result<(), Rejection> {
    let value: serde_json::Value =
        serde_json::from_slice(client_data_json).map_err(|_| Rejection::ClientDataNotJson)?;
    let client: CollectedClientData =
        serde_json::from_value(value).map_err(|_| Rejection::ClientDataMalformed)?;
    if client.type_ != WEBAUTHN_GET {
        return Err(Rejection::ClientDataWrongType);
    }
    if client.challenge.as_slice() != challenge.as_slice() {
        return Err(Rejection::ChallengeMismatch);
    }
    if !policy.allows_origin(&client.origin) {
        return Err(Rejection::OriginNotAllowed);
    }
    // `topOrigin` is only present when signing inside a cross-origin frame.
    if client.cross_origin == Some(true) || client.unknown_keys.contains_key("topOrigin") {
        return Err(Rejection::CrossOrigin);
    }
    Ok(())
}

/// Checks authenticatorData and returns its signature counter.
fn check_authenticator_data(auth_data: &[u8], rp_id: &str) -> Result<u32, Rejection> {
    if auth_data.len() < AUTH_DATA_MIN_LEN {
        return Err(Rejection::AuthenticatorDataTruncated {
            len: auth_data.len(),
        });
    }
    let (rp_id_hash, flags) = (&auth_data[..32], auth_data[32]);
    // An assertion carries no attested credential data; without extensions it is exactly 37 bytes.
    if flags & FLAG_AT != 0 || (flags & FLAG_ED == 0 && auth_data.len() != AUTH_DATA_MIN_LEN) {
        return Err(Rejection::AuthenticatorDataMalformed);
    }
    let parsed = AuthenticatorData::<Authentication>::try_from(auth_data)
        .map_err(|_| Rejection::AuthenticatorDataMalformed)?;
    if rp_id_hash != sha256(rp_id.as_bytes()) {
        return Err(Rejection::RpIdMismatch);
    }
    if !parsed.user_present || flags & FLAG_UP == 0 {
        return Err(Rejection::UserNotPresent);
    }
    if !parsed.user_verified || flags & FLAG_UV == 0 {
        return Err(Rejection::UserNotVerified);
    }
    Ok(parsed.counter)
}

#[cfg(test)]
mod tests;
