//! Verification of documents signed offline by a holder's security key (签名核验).
//!
//! A clerk's client builds a [`SignedEnvelope`], takes its canonical bytes, and asks the security
//! key for a WebAuthn assertion whose challenge is `SHA-256(envelope bytes)` (see
//! `docs/DESIGN.md` §1). Days later the server receives the envelope bytes together with
//! the assertion and calls [`check`]: a pure function (no database, no I/O, nothing async) that
//! parses the bytes once and returns the document either verified or with one [`Refusal`] — and
//! then still with the document as read, if its bytes are one, for the record.
//! [`verify_document`] is the same as a `Result` (and [`verify`], for applications). A batch
//! runs the two costly steps, reading the bytes and the signature, ahead on several cores
//! ([`prepare`]) and the rest in order ([`check_prepared`]).
//!
//! Bureau decisions (approve, return, reject, and a department's endorsement) are signed by the
//! reviewer's key the same way: the same checks run on any [`SignedDocument`] — the
//! application envelope ([`SignedEnvelope`]) and the decision ([`SignedDecision`], tag
//! `dzbzglz.decision`). Each type reads only its own tag, so an application's bytes and signature
//! never count as a decision, nor the reverse; the codes are the same for both (`envelope_*`
//! then means "the signed document").
//!
//! What [`check`] does **not** do, because it needs state: role and scope of the signer for the
//! unit, replay (envelope id and `(credential, challenge)` already seen), processing a batch in
//! counter order, raising the stored counter, and keeping the raw bytes and the verdict for the
//! audit trail. [`super::receiver`] does those around it.
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
//! 8. signature over `authenticatorData ‖ SHA-256(clientDataJSON)` with the stored public key
//!    ([`signature`]: `ring` for ES256 keys, webauthn-rs-core for any other);
//! 9. signature counter, last: `counter_regression` is the only verdict that is not final (the
//!    caller holds the application for review and a reviewer may still accept it), so it is only
//!    given to a submission that passed every other check, signature included.
//!
//! Every rejection before step 8 is final and grants nothing, so reporting it before the
//! signature is checked cannot be abused: a forger learns only which of their own fields is wrong.
//!
//! The codes, with their messages, are the verifier's part of [`Refusal`] (in the order above);
//! `docs/API.md` explains each.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use domain::canonical::{base64url, base64url_decode, sha256};
use domain::decision::{DECISION_TAG, DecisionError, SignedDecision};
use domain::envelope::{ENVELOPE_TAG, EnvelopeError, SignedEnvelope, TimeWindow};
use domain::{CredentialId, Timestamp, UserId};
use webauthn_rs::prelude::Url;
use webauthn_rs_core::internals::AuthenticatorData;
use webauthn_rs_core::proto::{Authentication, COSEKey, CollectedClientData, Credential};

use super::refusal::Refusal;

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
    fn parse_signed(bytes: &[u8]) -> Result<(Self, [u8; 32]), Refusal>;

    /// Its own id (application id, decision id): what its debug form shows of it.
    fn document_id(&self) -> &str;

    /// Who signed it.
    fn signer(&self) -> &UserId;

    /// The credential it names.
    fn credential_id(&self) -> &CredentialId;

    /// Checks the creation time against the offline window and the clock skew.
    fn check_time(&self, now: Timestamp, window: TimeWindow) -> Result<(), Refusal>;
}

impl SignedDocument for SignedEnvelope {
    const TAG: &'static str = ENVELOPE_TAG;

    fn parse_signed(bytes: &[u8]) -> Result<(Self, [u8; 32]), Refusal> {
        SignedEnvelope::from_signed_bytes(bytes)
            .map_err(|e| envelope_rejection(e, bytes, Self::TAG))
    }

    fn document_id(&self) -> &str {
        self.application_id.as_str()
    }

    fn signer(&self) -> &UserId {
        &self.signer
    }

    fn credential_id(&self) -> &CredentialId {
        &self.credential_id
    }

    fn check_time(&self, now: Timestamp, window: TimeWindow) -> Result<(), Refusal> {
        self.check_created_at(now, window).map_err(|e| match e {
            EnvelopeError::TooOld { created_at, oldest } => {
                Refusal::EnvelopeTooOld { created_at, oldest }
            }
            EnvelopeError::FromTheFuture { created_at, latest } => {
                Refusal::EnvelopeFromFuture { created_at, latest }
            }
            other => Refusal::EnvelopeMalformed {
                detail: other.message_en(),
            },
        })
    }
}

impl SignedDocument for domain::act::SignedAct {
    const TAG: &'static str = domain::act::ACT_TAG;

    fn parse_signed(bytes: &[u8]) -> Result<(Self, [u8; 32]), Refusal> {
        use domain::act::ActError;
        domain::act::SignedAct::from_signed_bytes(bytes).map_err(|e| match e {
            ActError::UnknownVersion(version) => Refusal::EnvelopeVersionUnknown { version },
            ActError::NotCanonical => Refusal::EnvelopeNotCanonical,
            ActError::Malformed(detail) => malformed_or_tag(detail, bytes, Self::TAG),
            other => Refusal::EnvelopeMalformed {
                detail: other.message_en(),
            },
        })
    }

    fn document_id(&self) -> &str {
        self.act_id.as_str()
    }

    fn signer(&self) -> &UserId {
        &self.signer
    }

    fn credential_id(&self) -> &CredentialId {
        &self.credential_id
    }

    fn check_time(&self, now: Timestamp, window: TimeWindow) -> Result<(), Refusal> {
        self.check_created_at(now, window).map_err(|e| match e {
            EnvelopeError::TooOld { created_at, oldest } => {
                Refusal::EnvelopeTooOld { created_at, oldest }
            }
            EnvelopeError::FromTheFuture { created_at, latest } => {
                Refusal::EnvelopeFromFuture { created_at, latest }
            }
            other => Refusal::EnvelopeMalformed {
                detail: other.message_en(),
            },
        })
    }
}

impl SignedDocument for SignedDecision {
    const TAG: &'static str = DECISION_TAG;

    fn parse_signed(bytes: &[u8]) -> Result<(Self, [u8; 32]), Refusal> {
        SignedDecision::from_signed_bytes(bytes).map_err(|e| match e {
            DecisionError::UnknownVersion(version) => Refusal::EnvelopeVersionUnknown { version },
            DecisionError::NotCanonical => Refusal::EnvelopeNotCanonical,
            DecisionError::Malformed(detail) => malformed_or_tag(detail, bytes, Self::TAG),
            other => Refusal::EnvelopeMalformed {
                detail: other.message_en(),
            },
        })
    }

    fn document_id(&self) -> &str {
        self.decision_id.as_str()
    }

    fn signer(&self) -> &UserId {
        &self.decider
    }

    fn credential_id(&self) -> &CredentialId {
        &self.credential_id
    }

    fn check_time(&self, now: Timestamp, window: TimeWindow) -> Result<(), Refusal> {
        self.check_created_at(now, window).map_err(|e| match e {
            DecisionError::TooOld { created_at, oldest } => {
                Refusal::EnvelopeTooOld { created_at, oldest }
            }
            DecisionError::FromTheFuture { created_at, latest } => {
                Refusal::EnvelopeFromFuture { created_at, latest }
            }
            other => Refusal::EnvelopeMalformed {
                detail: other.message_en(),
            },
        })
    }
}

/// A signed document that passed every check.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedDocument<T> {
    /// The document, parsed from the bytes as received.
    pub document: T,
    /// `SHA-256(document bytes)`, the challenge the key signed.
    pub challenge: [u8; 32],
    /// The authenticator's signature counter; the caller raises the stored highest counter to it.
    pub counter: u32,
}

impl<T: SignedDocument> fmt::Debug for VerifiedDocument<T> {
    /// Its id, challenge and counter only: documents carry personal data (payloads, notes).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedDocument")
            .field("document_id", &self.document.document_id())
            .field("challenge", &base64url(&self.challenge))
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

/// What [`check`] made of a submission (no `Debug`: a refused document is not checked for
/// what it shows).
pub enum Checked<T: SignedDocument> {
    /// The signature and everything around it verified.
    Verified(VerifiedDocument<T>),
    /// Refused, with the document as read from its bytes (`None`: they are not such a
    /// document), for the record.
    Refused {
        refusal: Refusal,
        document: Option<T>,
    },
}

impl<T: SignedDocument> Checked<T> {
    /// The document as read, verified or not.
    pub fn document(&self) -> Option<&T> {
        match self {
            Checked::Verified(verified) => Some(&verified.document),
            Checked::Refused { document, .. } => document.as_ref(),
        }
    }

    /// Whether the signature verified: accepted, or held for review (a counter that went
    /// backwards). Only such a document may answer a later repeat of its bytes.
    pub fn signature_verified(&self) -> bool {
        match self {
            Checked::Verified(_) => true,
            Checked::Refused { refusal, .. } => refusal.held_for_review(),
        }
    }

    /// The verified document, or the refusal.
    pub fn into_result(self) -> Result<VerifiedDocument<T>, Refusal> {
        match self {
            Checked::Verified(verified) => Ok(verified),
            Checked::Refused { refusal, .. } => Err(refusal),
        }
    }
}

/// Decodes a base64url request field (unpadded, as WebAuthn's JSON form writes it; trailing `=`
/// padding is tolerated).
pub fn decode_b64url(field: &'static str, s: &str) -> Result<Vec<u8>, Refusal> {
    let unpadded = if s.len().is_multiple_of(4) {
        s.strip_suffix("==")
            .or_else(|| s.strip_suffix('='))
            .unwrap_or(s)
    } else {
        s
    };
    base64url_decode(unpadded).ok_or(Refusal::MalformedBase64 { field })
}

/// The signature counter of an assertion's authenticatorData, unverified: only for putting a
/// batch in counter order before verifying it (`docs/DESIGN.md` §1, item 7). `None` if truncated.
pub fn assertion_counter(authenticator_data: &[u8]) -> Option<u32> {
    let bytes = authenticator_data.get(33..AUTH_DATA_MIN_LEN)?;
    Some(u32::from_be_bytes(bytes.try_into().ok()?))
}

/// Verifies one signed application against what the server knows about its credential: see
/// [`verify_document`].
pub fn verify(
    sub: &SignedSubmission,
    known: Option<&KnownCredential>,
    policy: &VerifyPolicy,
    now: Timestamp,
) -> Result<VerifiedDocument<SignedEnvelope>, Refusal> {
    verify_document::<SignedEnvelope>(sub, known, policy, now)
}

/// Verifies one signed document of type `T` (its bytes in `sub.envelope`): [`check`] as a
/// `Result`.
pub fn verify_document<T: SignedDocument>(
    sub: &SignedSubmission,
    known: Option<&KnownCredential>,
    policy: &VerifyPolicy,
    now: Timestamp,
) -> Result<VerifiedDocument<T>, Refusal> {
    check(sub, known, policy, now).into_result()
}

/// Checks one signed document of type `T` (its bytes in `sub.envelope`) against what the server
/// knows about its credential.
///
/// `known` is the stored credential looked up by `sub.credential_id` (`None` if there is none);
/// `now` is the server's clock. See the module documentation for the order of the checks; the
/// bytes are parsed once, and the document comes back with a refusal too when they are one.
pub fn check<T: SignedDocument>(
    sub: &SignedSubmission,
    known: Option<&KnownCredential>,
    policy: &VerifyPolicy,
    now: Timestamp,
) -> Checked<T> {
    let prepared = Prepared {
        parsed: T::parse_signed(&sub.envelope),
        assertion: None,
        signature: None,
    };
    check_prepared(prepared, sub, known, policy, now)
}

/// What [`prepare`] works out ahead of [`check_prepared`]: the steps that need no state but
/// the credential's public key and the policy — the document read from the bytes (2), the
/// clientDataJSON (6), the authenticatorData (7) and the signature checked with that key (8)
/// — so that a batch can run them on several cores (no `Debug`: the document carries personal
/// data).
pub struct Prepared<T> {
    parsed: Result<(T, [u8; 32]), Refusal>,
    /// Steps 6 and 7 (the counter), under this policy.
    assertion: Option<(Arc<VerifyPolicy>, AssertionChecks)>,
    /// The key the signature was checked with, and the outcome.
    signature: Option<(COSEKey, Result<(), Refusal>)>,
}

impl<T> Prepared<T> {
    /// The document read from the bytes, if they are one.
    pub fn document(&self) -> Option<&T> {
        self.parsed.as_ref().ok().map(|(document, _)| document)
    }
}

/// Reads `sub.envelope` as a `T` and, when it is one, checks its clientDataJSON and
/// authenticatorData under `policy` and, when `key` is given, the signature with `key` (steps
/// 6, 7 and 8, whatever the other steps will say): pure, so that a batch can be prepared on
/// several cores and then checked in order by [`check_prepared`].
pub fn prepare<T: SignedDocument>(
    sub: &SignedSubmission,
    key: Option<&COSEKey>,
    policy: &Arc<VerifyPolicy>,
) -> Prepared<T> {
    let parsed = T::parse_signed(&sub.envelope);
    let (assertion, signature) = match &parsed {
        Ok((_, challenge)) => (
            Some((
                Arc::clone(policy),
                (
                    check_client_data(&sub.client_data_json, challenge, policy),
                    check_authenticator_data(&sub.authenticator_data, &policy.rp_id),
                ),
            )),
            key.map(|key| (key.clone(), check_signature_bytes(key, sub))),
        ),
        Err(_) => (None, None),
    };
    Prepared {
        parsed,
        assertion,
        signature,
    }
}

/// [`check`] with the steps [`prepare`] ran beforehand (on the same submission). Their
/// outcomes are used only if they ran under `policy` and, for the signature, with the key of
/// `known`; else those steps run again.
pub fn check_prepared<T: SignedDocument>(
    prepared: Prepared<T>,
    sub: &SignedSubmission,
    known: Option<&KnownCredential>,
    policy: &VerifyPolicy,
    now: Timestamp,
) -> Checked<T> {
    let Prepared {
        parsed,
        assertion,
        signature,
    } = prepared;
    // 1. Size (the document was read even when too large, for the record).
    if sub.envelope.len() > MAX_ENVELOPE_BYTES {
        return Checked::Refused {
            refusal: Refusal::EnvelopeTooLarge {
                size: sub.envelope.len(),
                max: MAX_ENVELOPE_BYTES,
            },
            document: parsed.ok().map(|(document, _)| document),
        };
    }
    // 2. The document, from the bytes as received.
    let (document, challenge) = match parsed {
        Ok(parsed) => parsed,
        Err(refusal) => {
            return Checked::Refused {
                refusal,
                document: None,
            };
        }
    };
    let assertion = assertion
        .filter(|(prepared_under, _)| **prepared_under == *policy)
        .map(|(_, checks)| checks);
    let prepared = Steps {
        assertion,
        signature,
    };
    match check_signature(&document, &challenge, sub, known, prepared, policy, now) {
        Ok(counter) => Checked::Verified(VerifiedDocument {
            document,
            challenge,
            counter,
        }),
        Err(refusal) => Checked::Refused {
            refusal,
            document: Some(document),
        },
    }
}

/// The outcomes of steps 6 (clientDataJSON) and 7 (authenticatorData: the counter).
type AssertionChecks = (Result<(), Refusal>, Result<u32, Refusal>);

/// Outcomes of steps 6–8 worked out ahead.
struct Steps {
    assertion: Option<AssertionChecks>,
    signature: Option<(COSEKey, Result<(), Refusal>)>,
}

/// Step 8 alone: the signature of `sub` checked with `key`.
fn check_signature_bytes(key: &COSEKey, sub: &SignedSubmission) -> Result<(), Refusal> {
    let mut signed = Vec::with_capacity(sub.authenticator_data.len() + 32);
    signed.extend_from_slice(&sub.authenticator_data);
    signed.extend_from_slice(&sha256(&sub.client_data_json));
    signature::check(key, &sub.signature, &signed)
}

/// Steps 3 to 9 on a document read from `sub.envelope`: the signature counter, or why not.
fn check_signature<T: SignedDocument>(
    document: &T,
    challenge: &[u8; 32],
    sub: &SignedSubmission,
    known: Option<&KnownCredential>,
    prepared: Steps,
    policy: &VerifyPolicy,
    now: Timestamp,
) -> Result<u32, Refusal> {
    // 3. The document is bound to the credential that signed it.
    if document.credential_id().as_str() != base64url(&sub.credential_id) {
        return Err(Refusal::CredentialIdMismatch);
    }

    // 4. The credential.
    let known = known.ok_or(Refusal::CredentialUnknown)?;
    if known.credential_id != sub.credential_id || known.credential.cred_id != sub.credential_id {
        // The caller looked up another credential than the one that signed.
        return Err(Refusal::CredentialUnknown);
    }
    if known.revoked {
        return Err(Refusal::CredentialRevoked);
    }
    if known.holder != *document.signer() {
        return Err(Refusal::CredentialHolderMismatch);
    }

    // 5. Time.
    document.check_time(now, policy.time_window())?;

    // 6. clientDataJSON; 7. authenticatorData (checked beforehand under this policy, or now).
    let (client_data, counter) = match prepared.assertion {
        Some(outcomes) => outcomes,
        None => (
            check_client_data(&sub.client_data_json, challenge, policy),
            check_authenticator_data(&sub.authenticator_data, &policy.rp_id),
        ),
    };
    client_data?;
    let counter = counter?;

    // 8. The signature (checked beforehand if it was with this very key).
    let key = &known.credential.cred;
    match prepared.signature {
        Some((checked_with, outcome)) if checked_with == *key => outcome?,
        _ => check_signature_bytes(key, sub)?,
    }

    // 9. The counter (WebAuthn §7.2 step 21: either counter non-zero and the new one not greater).
    let highest = known.highest_counter;
    if (counter != 0 || highest != 0) && counter <= highest {
        return Err(Refusal::CounterRegression { counter, highest });
    }
    Ok(counter)
}

fn envelope_rejection(e: EnvelopeError, bytes: &[u8], tag: &str) -> Refusal {
    match e {
        EnvelopeError::UnknownVersion(version) => Refusal::EnvelopeVersionUnknown { version },
        EnvelopeError::NotCanonical => Refusal::EnvelopeNotCanonical,
        EnvelopeError::Malformed(detail) => malformed_or_tag(detail, bytes, tag),
        other => Refusal::EnvelopeMalformed {
            detail: other.message_en(),
        },
    }
}

/// The domain reports a wrong tag as malformed; tell it apart for the code.
fn malformed_or_tag(detail: String, bytes: &[u8], expected_tag: &str) -> Refusal {
    let tag = serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|v| v.get("tag").map(|t| t.as_str() == Some(expected_tag)));
    if tag == Some(false) {
        Refusal::EnvelopeTagUnknown
    } else {
        Refusal::EnvelopeMalformed { detail }
    }
}

fn check_client_data(
    client_data_json: &[u8],
    challenge: &[u8; 32],
    policy: &VerifyPolicy,
) -> Result<(), Refusal> {
    let value: serde_json::Value =
        serde_json::from_slice(client_data_json).map_err(|_| Refusal::ClientDataNotJson)?;
    let client: CollectedClientData =
        serde_json::from_value(value).map_err(|_| Refusal::ClientDataMalformed)?;
    if client.type_ != WEBAUTHN_GET {
        return Err(Refusal::ClientDataWrongType);
    }
    if client.challenge.as_slice() != challenge.as_slice() {
        return Err(Refusal::ChallengeMismatch);
    }
    if !policy.allows_origin(&client.origin) {
        return Err(Refusal::OriginNotAllowed);
    }
    // `topOrigin` is only present when signing inside a cross-origin frame.
    if client.cross_origin == Some(true) || client.unknown_keys.contains_key("topOrigin") {
        return Err(Refusal::CrossOrigin);
    }
    Ok(())
}

/// Checks authenticatorData and returns its signature counter.
fn check_authenticator_data(auth_data: &[u8], rp_id: &str) -> Result<u32, Refusal> {
    if auth_data.len() < AUTH_DATA_MIN_LEN {
        return Err(Refusal::AuthenticatorDataTruncated {
            len: auth_data.len(),
        });
    }
    let (rp_id_hash, flags) = (&auth_data[..32], auth_data[32]);
    // An assertion carries no attested credential data; without extensions it is exactly 37 bytes.
    if flags & FLAG_AT != 0 || (flags & FLAG_ED == 0 && auth_data.len() != AUTH_DATA_MIN_LEN) {
        return Err(Refusal::AuthenticatorDataMalformed);
    }
    let parsed = AuthenticatorData::<Authentication>::try_from(auth_data)
        .map_err(|_| Refusal::AuthenticatorDataMalformed)?;
    if rp_id_hash != sha256(rp_id.as_bytes()) {
        return Err(Refusal::RpIdMismatch);
    }
    if !parsed.user_present || flags & FLAG_UP == 0 {
        return Err(Refusal::UserNotPresent);
    }
    if !parsed.user_verified || flags & FLAG_UV == 0 {
        return Err(Refusal::UserNotVerified);
    }
    Ok(parsed.counter)
}

pub mod signature;

#[cfg(test)]
mod tests;
