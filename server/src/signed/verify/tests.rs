//! Tests of [`super::verify`] with a software security key (webauthn-authenticator-rs `SoftToken`).
//!
//! Every key is registered through the ordinary attested-passkey ceremony of `webauthn-rs`, with
//! the soft token's CA as the attestation list. Three ways of signing:
//! - [`Key::sign`]: the normal client path, `do_authentication` with the challenge set to
//!   `SHA-256(envelope bytes)`;
//! - [`Key::sign_client_data`]: `AuthenticatorBackendHashedClientData::perform_auth` with a
//!   clientDataJSON we write ourselves (wrong type, origin, cross-origin, not JSON …), another RP
//!   id, or user verification not requested (the token then signs with UV clear);
//! - [`Key::sign_raw`]: `U2FToken::perform_u2f_sign`, which signs `app ‖ flags ‖ counter ‖ hash`
//!   for any `app` we give it. We pass `rpIdHash ‖ our flags ‖ our counter ‖ CBOR prefix` so that
//!   the token's own flags and counter become the last five bytes of an extension value; the
//!   result is a genuine signature by the registered key over authenticatorData whose flags and
//!   counter we chose (user presence cleared, counter 0 …).

use super::*;
use domain::envelope::EnvelopeHeader;
use domain::ids::{ApplicationId, ClientId, CredentialId, UnitId};
use domain::payload::{ApplicationPayload, QuotaUseRequest};
use domain::person::EntryForm;
use domain::{EstablishmentCategory, FundingForm, Headcount};
use webauthn_authenticator_rs::softtoken::{AAGUID, SoftToken, U2FToken};
use webauthn_authenticator_rs::{AuthenticatorBackendHashedClientData, WebauthnAuthenticator};
use webauthn_rs::prelude::{
    AttestationCaListBuilder, AttestedPasskey, RequestChallengeResponse, Uuid, Webauthn,
    WebauthnBuilder,
};
use webauthn_rs_proto::{AllowCredentials, PublicKeyCredential, UserVerificationPolicy};

mod differential;

const RP_ID: &str = "localhost";
const ORIGIN: &str = "http://localhost:8080";
const NOW: &str = "2026-04-01T08:00:00Z";
const CREATED: &str = "2026-04-01T07:00:00Z";
const TIMEOUT_MS: u32 = 60_000;

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn policy() -> VerifyPolicy {
    VerifyPolicy::new(RP_ID, vec![ORIGIN.to_owned()])
}

fn webauthn() -> Webauthn {
    WebauthnBuilder::new(RP_ID, &Url::parse(ORIGIN).unwrap())
        .unwrap()
        .build()
        .unwrap()
}

/// A registered soft token.
struct Key {
    token: SoftToken,
    credential: Credential,
    holder: UserId,
}

/// Registers a fresh soft token for `holder` through the attested-passkey ceremony.
fn register(wa: &Webauthn, holder: &str) -> Key {
    let (mut token, ca) = SoftToken::new(true).unwrap();
    let mut cas = AttestationCaListBuilder::new();
    cas.insert_device_x509(ca, AAGUID, "softtoken".to_owned(), Default::default())
        .unwrap();
    let (ccr, state) = wa
        .start_attested_passkey_registration(
            Uuid::from_bytes([7; 16]),
            holder,
            holder,
            None,
            cas.build(),
            None,
        )
        .unwrap();
    let reg = token
        .do_registration(Url::parse(ORIGIN).unwrap(), ccr)
        .unwrap();
    let passkey = wa
        .finish_attested_passkey_registration(&reg, &state)
        .unwrap();
    Key {
        token,
        credential: Credential::from(passkey),
        holder: UserId::parse(holder).unwrap(),
    }
}

fn submission(envelope: &[u8], pkc: PublicKeyCredential) -> SignedSubmission {
    SignedSubmission {
        envelope: envelope.to_vec(),
        credential_id: pkc.raw_id,
        client_data_json: pkc.response.client_data_json,
        authenticator_data: pkc.response.authenticator_data,
        signature: pkc.response.signature,
    }
}

/// A clientDataJSON as a browser writes it, for the challenge of `envelope`.
fn client_data(type_: &str, envelope: &[u8], origin: &str, cross_origin: bool) -> Vec<u8> {
    format!(
        r#"{{"type":"{type_}","challenge":"{}","origin":"{origin}","crossOrigin":{cross_origin}}}"#,
        base64url(&sha256(envelope))
    )
    .into_bytes()
}

/// The value after `name: ` in a derived `Debug` form.
fn debug_field<'a>(debug: &'a str, name: &str) -> &'a str {
    let start = debug.find(&format!("{name}: ")).unwrap() + name.len() + 2;
    let rest = &debug[start..];
    let end = if rest.starts_with('[') {
        rest.find(']').unwrap() + 1
    } else {
        rest.find([',', ' ', '}']).unwrap()
    };
    &rest[..end]
}

impl Key {
    fn id(&self) -> Vec<u8> {
        self.credential.cred_id.clone()
    }

    fn id_b64(&self) -> String {
        base64url(&self.credential.cred_id)
    }

    fn known(&self) -> KnownCredential {
        KnownCredential {
            credential_id: self.id(),
            holder: self.holder.clone(),
            credential: self.credential.clone(),
            revoked: false,
            highest_counter: 0,
        }
    }

    fn request(&self, wa: &Webauthn) -> RequestChallengeResponse {
        let passkey = AttestedPasskey::from(self.credential.clone());
        wa.start_attested_passkey_authentication(&[passkey])
            .unwrap()
            .0
    }

    /// What the browser client does: an assertion whose challenge is the envelope's hash.
    fn sign(&mut self, wa: &Webauthn, envelope: &[u8]) -> SignedSubmission {
        let mut rcr = self.request(wa);
        rcr.public_key.challenge = sha256(envelope).to_vec();
        let pkc = self
            .token
            .do_authentication(Url::parse(ORIGIN).unwrap(), rcr)
            .unwrap();
        submission(envelope, pkc)
    }

    /// Signs a clientDataJSON of our own making, for `rp_id`, asking for user verification or not.
    fn sign_client_data(
        &mut self,
        wa: &Webauthn,
        envelope: &[u8],
        client_data_json: Vec<u8>,
        rp_id: &str,
        uv: UserVerificationPolicy,
    ) -> SignedSubmission {
        let mut options = self.request(wa).public_key;
        options.rp_id = rp_id.to_owned();
        options.user_verification = uv;
        let mut pkc = AuthenticatorBackendHashedClientData::perform_auth(
            &mut self.token,
            sha256(&client_data_json).to_vec(),
            options,
            TIMEOUT_MS,
        )
        .unwrap();
        pkc.response.client_data_json = client_data_json;
        submission(envelope, pkc)
    }

    /// A genuine signature by this key over authenticatorData with `flags` and `counter` of our
    /// choosing (see the module documentation). The extension flag is always set: the data ends
    /// with the CBOR map `{"ab": h'<token flags> <token counter>'}`.
    fn sign_raw(
        &mut self,
        envelope: &[u8],
        client_data_json: Vec<u8>,
        flags: u8,
        counter: u32,
    ) -> SignedSubmission {
        let mut auth_data = sha256(RP_ID.as_bytes()).to_vec();
        auth_data.push(flags | FLAG_ED);
        auth_data.extend_from_slice(&counter.to_be_bytes());
        auth_data.extend_from_slice(&[0xA1, 0x62, b'a', b'b', 0x45]);
        let allow = [AllowCredentials {
            type_: "public-key".to_owned(),
            id: self.id(),
            transports: None,
        }];
        let signed = self
            .token
            .perform_u2f_sign(
                auth_data.clone(),
                sha256(&client_data_json).to_vec(),
                u64::from(TIMEOUT_MS),
                &allow,
                true,
            )
            .unwrap();
        // `U2FSignData`'s fields are private; its derived Debug form is the way to read them.
        let debug = format!("{signed:?}");
        let token_flags: u8 = debug_field(&debug, "flags").parse().unwrap();
        let token_counter: u32 = debug_field(&debug, "counter").parse().unwrap();
        let signature: Vec<u8> = debug_field(&debug, "signature")
            .trim_matches(['[', ']'])
            .split(", ")
            .map(|b| b.parse().unwrap())
            .collect();
        auth_data.push(token_flags);
        auth_data.extend_from_slice(&token_counter.to_be_bytes());
        SignedSubmission {
            envelope: envelope.to_vec(),
            credential_id: self.id(),
            client_data_json,
            authenticator_data: auth_data,
            signature,
        }
    }
}

/// An envelope signed by `signer`, naming `credential_id`, with a quota-use payload.
fn envelope(signer: &str, credential_id: &str, created_at: &str, reason: &str) -> SignedEnvelope {
    let header = EnvelopeHeader {
        application_id: ApplicationId::parse("app-1").unwrap(),
        client_id: ClientId::parse("client-1").unwrap(),
        sequence: 1,
        signer: UserId::parse(signer).unwrap(),
        credential_id: CredentialId::parse(credential_id).unwrap(),
        unit: UnitId::parse("unit-1").unwrap(),
        created_at: ts(created_at),
    };
    let payload = ApplicationPayload::QuotaUse(QuotaUseRequest {
        category: EstablishmentCategory::PublicInstitution,
        funding_form: Some(FundingForm::Full),
        count: Headcount::new(2),
        recruitment: EntryForm::OpenRecruitment,
        reason: reason.to_owned(),
        request_document: None,
    });
    SignedEnvelope::new(header, &payload).unwrap()
}

/// A relying party with Alice (`clerk-1`) enrolled.
struct Fixture {
    wa: Webauthn,
    alice: Key,
}

fn fixture() -> Fixture {
    let wa = webauthn();
    let alice = register(&wa, "clerk-1");
    Fixture { wa, alice }
}

impl Fixture {
    /// Alice's envelope created at `created_at`.
    fn envelope_at(&self, created_at: &str) -> Vec<u8> {
        envelope("clerk-1", &self.alice.id_b64(), created_at, "补充教师")
            .canonical_bytes()
            .unwrap()
    }

    fn envelope(&self) -> Vec<u8> {
        self.envelope_at(CREATED)
    }

    /// Alice signs `bytes` the normal way.
    fn sign(&mut self, bytes: &[u8]) -> SignedSubmission {
        self.alice.sign(&self.wa, bytes)
    }

    fn valid(&mut self) -> SignedSubmission {
        let bytes = self.envelope();
        self.sign(&bytes)
    }

    /// Alice signs her envelope with a clientDataJSON of our making.
    fn sign_client_data(&mut self, client_data_json: Vec<u8>) -> SignedSubmission {
        let bytes = self.envelope();
        self.alice.sign_client_data(
            &self.wa,
            &bytes,
            client_data_json,
            RP_ID,
            UserVerificationPolicy::Required,
        )
    }

    fn check_with(
        &self,
        sub: &SignedSubmission,
        known: &KnownCredential,
    ) -> Result<VerifiedDocument<SignedEnvelope>, Refusal> {
        verify(sub, Some(known), &policy(), ts(NOW))
    }

    fn check(&self, sub: &SignedSubmission) -> Result<VerifiedDocument<SignedEnvelope>, Refusal> {
        self.check_with(sub, &self.alice.known())
    }
}

// ---------------------------------------------------------------------------------------------
// Accepted

#[test]
fn valid_envelope_is_accepted() {
    let mut f = fixture();
    let bytes = f.envelope();
    let sub = f.sign(&bytes);
    let v = f.check(&sub).unwrap();
    assert_eq!(
        v.document,
        SignedEnvelope::from_signed_bytes(&bytes).unwrap().0
    );
    assert_eq!(v.document.signer.as_str(), "clerk-1");
    assert_eq!(v.challenge, sha256(&bytes));
    assert!(v.counter > 0);
    // The soft token wrote exactly what a browser writes.
    let cd: serde_json::Value = serde_json::from_slice(&sub.client_data_json).unwrap();
    assert_eq!(cd["type"], "webauthn.get");
    assert_eq!(cd["challenge"], base64url(&sha256(&bytes)));
    assert_eq!(sub.authenticator_data.len(), 37);
}

#[test]
fn later_signature_with_higher_counter_is_accepted() {
    let mut f = fixture();
    let first = f.valid();
    let first = f.check(&first).unwrap();
    let second = f.valid();
    let known = KnownCredential {
        highest_counter: first.counter,
        ..f.alice.known()
    };
    let second = f.check_with(&second, &known).unwrap();
    assert!(second.counter > first.counter);
}

#[test]
fn crafted_signature_with_all_flags_is_accepted() {
    // The control for the crafted cases: `sign_raw` yields a genuine, verifiable assertion.
    let mut f = fixture();
    let bytes = f.envelope();
    let cd = client_data("webauthn.get", &bytes, ORIGIN, false);
    let sub = f.alice.sign_raw(&bytes, cd, FLAG_UP | FLAG_UV, 0);
    assert_eq!(sub.authenticator_data.len(), 47);
    // Counter 0 means "this authenticator keeps no counter": accepted while none was ever seen.
    assert_eq!(f.check(&sub).unwrap().counter, 0);
}

#[test]
fn origin_configured_with_trailing_slash_and_within_skew_is_accepted() {
    let mut f = fixture();
    let bytes = f.envelope_at("2026-04-01T08:04:00Z");
    let sub = f.sign(&bytes);
    let policy = VerifyPolicy::new(
        RP_ID,
        vec!["https://other.example".into(), format!("{ORIGIN}/")],
    );
    assert!(verify(&sub, Some(&f.alice.known()), &policy, ts(NOW)).is_ok());
}

// ---------------------------------------------------------------------------------------------
// The envelope

#[test]
fn tampered_payload_byte_is_a_challenge_mismatch() {
    let mut f = fixture();
    let mut sub = f.valid();
    let text = String::from_utf8(sub.envelope.clone()).unwrap();
    sub.envelope = text.replace("\"count\":2", "\"count\":9").into_bytes();
    assert_ne!(sub.envelope, f.envelope());
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::ChallengeMismatch);
}

#[test]
fn signature_over_other_bytes_is_a_challenge_mismatch() {
    let mut f = fixture();
    let other = envelope("clerk-1", &f.alice.id_b64(), CREATED, "另一份申请")
        .canonical_bytes()
        .unwrap();
    let mut sub = f.sign(&other);
    sub.envelope = f.envelope();
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::ChallengeMismatch);
}

#[test]
fn reserialised_envelope_is_not_canonical() {
    let mut f = fixture();
    let text = String::from_utf8(f.envelope()).unwrap();
    // Other whitespace, signed as it is: the bytes carry the same envelope but are refused.
    let spaced = text.replacen(':', ": ", 1);
    let sub = f.sign(spaced.as_bytes());
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::EnvelopeNotCanonical);
    // Other key order.
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let version = value["version"].clone();
    let mut rest = value.as_object().unwrap().clone();
    rest.remove("version");
    let reordered = format!(
        "{{\"version\":{version},{}",
        &serde_json::to_string(&rest).unwrap()[1..]
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&reordered).unwrap(),
        value
    );
    let sub = f.sign(reordered.as_bytes());
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::EnvelopeNotCanonical);
}

#[test]
fn unknown_envelope_version_is_refused() {
    let mut f = fixture();
    let text = String::from_utf8(f.envelope()).unwrap();
    let v2 = text.replace("\"version\":1", "\"version\":2");
    let sub = f.sign(v2.as_bytes());
    assert_eq!(
        f.check(&sub).unwrap_err(),
        Refusal::EnvelopeVersionUnknown { version: 2 }
    );
}

#[test]
fn unknown_envelope_tag_is_refused() {
    let mut f = fixture();
    let text = String::from_utf8(f.envelope()).unwrap();
    let other = text.replace(ENVELOPE_TAG, "dzbzglz.decision");
    let sub = f.sign(other.as_bytes());
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::EnvelopeTagUnknown);
}

#[test]
fn malformed_envelopes_are_refused() {
    let mut f = fixture();
    let text = String::from_utf8(f.envelope()).unwrap();
    let extra = text.replacen('{', "{\"admin\":true,", 1);
    for bytes in [b"{not json".to_vec(), Vec::new(), extra.into_bytes()] {
        let sub = f.sign(&bytes);
        assert!(
            matches!(f.check(&sub), Err(Refusal::EnvelopeMalformed { .. })),
            "{:?}",
            f.check(&sub)
        );
    }
}

#[test]
fn oversized_envelope_is_refused() {
    let mut f = fixture();
    let big = envelope("clerk-1", &f.alice.id_b64(), CREATED, &"编".repeat(30_000))
        .canonical_bytes()
        .unwrap();
    let sub = f.sign(&big);
    assert_eq!(
        f.check(&sub).unwrap_err(),
        Refusal::EnvelopeTooLarge {
            size: big.len(),
            max: MAX_ENVELOPE_BYTES
        }
    );
}

#[test]
fn envelope_from_the_future_is_refused() {
    let mut f = fixture();
    let bytes = f.envelope_at("2026-04-01T08:10:00Z");
    let sub = f.sign(&bytes);
    assert_eq!(
        f.check(&sub).unwrap_err(),
        Refusal::EnvelopeFromFuture {
            created_at: ts("2026-04-01T08:10:00Z"),
            latest: ts("2026-04-01T08:05:00Z"),
        }
    );
}

#[test]
fn envelope_older_than_the_window_is_refused() {
    let mut f = fixture();
    let bytes = f.envelope_at("2026-03-01T07:59:59Z");
    let sub = f.sign(&bytes);
    assert_eq!(
        f.check(&sub).unwrap_err(),
        Refusal::EnvelopeTooOld {
            created_at: ts("2026-03-01T07:59:59Z"),
            oldest: ts("2026-03-02T08:00:00Z"),
        }
    );
    // A shorter window configured by the deployment applies too.
    let bytes = f.envelope_at("2026-03-31T08:00:00Z");
    let sub = f.sign(&bytes);
    assert!(f.check(&sub).is_ok());
    let short = VerifyPolicy {
        offline_window: Duration::from_secs(3_600),
        ..policy()
    };
    assert!(matches!(
        verify(&sub, Some(&f.alice.known()), &short, ts(NOW)),
        Err(Refusal::EnvelopeTooOld { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// The credential

#[test]
fn unknown_credential_is_refused() {
    let mut f = fixture();
    let sub = f.valid();
    assert_eq!(
        verify(&sub, None, &policy(), ts(NOW)).unwrap_err(),
        Refusal::CredentialUnknown
    );
    // The caller handing in another credential than the one looked up is treated the same.
    let bob = register(&f.wa, "clerk-1");
    assert_eq!(
        f.check_with(&sub, &bob.known()).unwrap_err(),
        Refusal::CredentialUnknown
    );
}

#[test]
fn revoked_credential_is_refused() {
    let mut f = fixture();
    let sub = f.valid();
    let known = KnownCredential {
        revoked: true,
        ..f.alice.known()
    };
    assert_eq!(
        f.check_with(&sub, &known).unwrap_err(),
        Refusal::CredentialRevoked
    );
}

#[test]
fn another_holders_key_is_refused() {
    let f = fixture();
    // Bob's own key signs an envelope that claims Alice as the signer.
    let mut bob = register(&f.wa, "clerk-2");
    let bytes = envelope("clerk-1", &bob.id_b64(), CREATED, "补充教师")
        .canonical_bytes()
        .unwrap();
    let sub = bob.sign(&f.wa, &bytes);
    assert_eq!(
        f.check_with(&sub, &bob.known()).unwrap_err(),
        Refusal::CredentialHolderMismatch
    );
}

#[test]
fn envelope_naming_another_credential_is_refused() {
    let mut f = fixture();
    let bob = register(&f.wa, "clerk-1");
    let bytes = envelope("clerk-1", &bob.id_b64(), CREATED, "补充教师")
        .canonical_bytes()
        .unwrap();
    let sub = f.sign(&bytes);
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::CredentialIdMismatch);
}

#[test]
fn wrong_key_is_an_invalid_signature() {
    let f = fixture();
    // A second token signs Alice's envelope; the submission claims Alice's credential.
    let mut other = register(&f.wa, "clerk-1");
    let bytes = f.envelope();
    let mut sub = other.sign(&f.wa, &bytes);
    sub.credential_id = f.alice.id();
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::SignatureInvalid);
}

#[test]
fn tampered_signature_is_invalid() {
    let mut f = fixture();
    let valid = f.valid();
    let mut sub = valid.clone();
    let n = sub.signature.len();
    sub.signature[n - 5] ^= 0x01;
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::SignatureInvalid);
    // Not DER at all.
    let mut sub = valid.clone();
    sub.signature = vec![0x30, 0x02, 0x00];
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::SignatureInvalid);
    let mut sub = valid;
    sub.signature.clear();
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::SignatureInvalid);
}

#[test]
fn tampered_authenticator_data_or_client_data_is_an_invalid_signature() {
    let mut f = fixture();
    let valid = f.valid();
    // A higher counter written in by hand.
    let mut sub = valid.clone();
    sub.authenticator_data[33] ^= 0x10;
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::SignatureInvalid);
    // An extra member in clientDataJSON, passing every other check.
    let mut sub = valid;
    let n = sub.client_data_json.len();
    sub.client_data_json
        .splice(n - 1..n - 1, b",\"other\":1".iter().copied());
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::SignatureInvalid);
}

#[test]
fn counter_regression_is_held_for_review() {
    let mut f = fixture();
    let sub = f.valid();
    let counter = f.check(&sub).unwrap().counter;
    for highest in [counter, counter + 5] {
        let known = KnownCredential {
            highest_counter: highest,
            ..f.alice.known()
        };
        let e = f.check_with(&sub, &known).unwrap_err();
        assert_eq!(e, Refusal::CounterRegression { counter, highest });
        assert!(e.held_for_review());
    }
}

#[test]
fn batch_order_counter_is_read_before_verifying() {
    let mut f = fixture();
    let first = f.valid();
    let second = f.valid();
    let a = assertion_counter(&first.authenticator_data).unwrap();
    let b = assertion_counter(&second.authenticator_data).unwrap();
    assert!(a < b);
    assert_eq!(f.check(&second).unwrap().counter, b);
    assert_eq!(assertion_counter(&first.authenticator_data[..36]), None);
}

#[test]
fn counter_zero_after_a_counter_was_seen_is_held_for_review() {
    let mut f = fixture();
    let bytes = f.envelope();
    let cd = client_data("webauthn.get", &bytes, ORIGIN, false);
    let sub = f.alice.sign_raw(&bytes, cd, FLAG_UP | FLAG_UV, 0);
    let known = KnownCredential {
        highest_counter: 7,
        ..f.alice.known()
    };
    assert_eq!(
        f.check_with(&sub, &known).unwrap_err(),
        Refusal::CounterRegression {
            counter: 0,
            highest: 7
        }
    );
}

// ---------------------------------------------------------------------------------------------
// clientDataJSON

#[test]
fn wrong_origin_is_refused() {
    let mut f = fixture();
    for origin in [
        "https://evil.example",
        "http://localhost:8081",
        "https://localhost:8080",
    ] {
        let bytes = f.envelope();
        let sub = f.sign_client_data(client_data("webauthn.get", &bytes, origin, false));
        assert_eq!(
            f.check(&sub).unwrap_err(),
            Refusal::OriginNotAllowed,
            "{origin}"
        );
    }
}

#[test]
fn create_type_is_refused() {
    let mut f = fixture();
    let bytes = f.envelope();
    let sub = f.sign_client_data(client_data("webauthn.create", &bytes, ORIGIN, false));
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::ClientDataWrongType);
}

#[test]
fn cross_origin_is_refused() {
    let mut f = fixture();
    let bytes = f.envelope();
    let sub = f.sign_client_data(client_data("webauthn.get", &bytes, ORIGIN, true));
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::CrossOrigin);
    // A topOrigin member only appears in cross-origin frames.
    let cd = format!(
        r#"{{"type":"webauthn.get","challenge":"{}","origin":"{ORIGIN}","topOrigin":"https://evil.example"}}"#,
        base64url(&sha256(&bytes))
    );
    let sub = f.sign_client_data(cd.into_bytes());
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::CrossOrigin);
}

#[test]
fn client_data_that_is_not_json_is_refused() {
    let mut f = fixture();
    let sub = f.sign_client_data(b"type=webauthn.get".to_vec());
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::ClientDataNotJson);
}

#[test]
fn client_data_without_challenge_is_malformed() {
    let mut f = fixture();
    let cd = format!(r#"{{"type":"webauthn.get","origin":"{ORIGIN}"}}"#);
    let sub = f.sign_client_data(cd.into_bytes());
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::ClientDataMalformed);
    let sub = f.sign_client_data(b"[1,2]".to_vec());
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::ClientDataMalformed);
}

// ---------------------------------------------------------------------------------------------
// authenticatorData

#[test]
fn wrong_rp_id_is_refused() {
    let mut f = fixture();
    let bytes = f.envelope();
    let cd = client_data("webauthn.get", &bytes, ORIGIN, false);
    let sub = f.alice.sign_client_data(
        &f.wa,
        &bytes,
        cd,
        "example.com",
        UserVerificationPolicy::Required,
    );
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::RpIdMismatch);
}

#[test]
fn missing_user_presence_is_refused() {
    let mut f = fixture();
    let bytes = f.envelope();
    let cd = client_data("webauthn.get", &bytes, ORIGIN, false);
    let sub = f.alice.sign_raw(&bytes, cd, FLAG_UV, 9);
    assert_eq!(sub.authenticator_data[32] & FLAG_UP, 0);
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::UserNotPresent);
}

#[test]
fn missing_user_verification_is_refused() {
    let mut f = fixture();
    let bytes = f.envelope();
    // The soft token signs with UV clear when verification is not asked for.
    let cd = client_data("webauthn.get", &bytes, ORIGIN, false);
    let sub = f.alice.sign_client_data(
        &f.wa,
        &bytes,
        cd.clone(),
        RP_ID,
        UserVerificationPolicy::Discouraged_DO_NOT_USE,
    );
    assert_eq!(sub.authenticator_data[32], FLAG_UP);
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::UserNotVerified);
    // And through the crafted path.
    let sub = f.alice.sign_raw(&bytes, cd, FLAG_UP, 9);
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::UserNotVerified);
}

#[test]
fn inconsistent_backup_flags_are_refused() {
    // Level 3 §7.2 steps 17–18, with genuine signatures over the flags we choose.
    let mut f = fixture();
    let bytes = f.envelope();
    let cd = client_data("webauthn.get", &bytes, ORIGIN, false);
    assert!(!f.alice.credential.backup_eligible);
    // Backed up, not eligible.
    let sub = f
        .alice
        .sign_raw(&bytes, cd.clone(), FLAG_UP | FLAG_UV | FLAG_BS, 9);
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::BackupFlagsInconsistent);
    // Eligible now, though enrolled as a single-device key.
    let sub = f
        .alice
        .sign_raw(&bytes, cd.clone(), FLAG_UP | FLAG_UV | FLAG_BE, 9);
    assert_eq!(f.check(&sub).unwrap_err(), Refusal::BackupFlagsInconsistent);
    // A key enrolled as backup-eligible that stops saying so.
    let mut known = f.alice.known();
    known.credential.backup_eligible = true;
    let sub = f.alice.sign_raw(&bytes, cd.clone(), FLAG_UP | FLAG_UV, 9);
    assert_eq!(
        f.check_with(&sub, &known).unwrap_err(),
        Refusal::BackupFlagsInconsistent
    );
    // …and is accepted while it does, backed up or not.
    for flags in [FLAG_BE, FLAG_BE | FLAG_BS] {
        let sub = f
            .alice
            .sign_raw(&bytes, cd.clone(), FLAG_UP | FLAG_UV | flags, 9);
        assert!(f.check_with(&sub, &known).is_ok());
    }
}

#[test]
fn truncated_authenticator_data_is_refused() {
    let mut f = fixture();
    let valid = f.valid();
    for len in [36, 32, 0] {
        let mut sub = valid.clone();
        sub.authenticator_data.truncate(len);
        assert_eq!(
            f.check(&sub).unwrap_err(),
            Refusal::AuthenticatorDataTruncated { len }
        );
    }
}

#[test]
fn malformed_authenticator_data_is_refused() {
    let mut f = fixture();
    let valid = f.valid();
    // Trailing bytes without the extension flag.
    let mut sub = valid.clone();
    sub.authenticator_data.push(0);
    assert_eq!(
        f.check(&sub).unwrap_err(),
        Refusal::AuthenticatorDataMalformed
    );
    // Attested credential data in an assertion.
    let mut sub = valid.clone();
    sub.authenticator_data[32] |= FLAG_AT;
    assert_eq!(
        f.check(&sub).unwrap_err(),
        Refusal::AuthenticatorDataMalformed
    );
    // The extension flag without a CBOR map.
    let mut sub = valid;
    sub.authenticator_data[32] |= FLAG_ED;
    assert_eq!(
        f.check(&sub).unwrap_err(),
        Refusal::AuthenticatorDataMalformed
    );
}

// ---------------------------------------------------------------------------------------------
// Request fields and the codes themselves

#[test]
fn malformed_base64_names_the_field() {
    assert_eq!(
        decode_b64url("signature", "abc$").unwrap_err(),
        Refusal::MalformedBase64 { field: "signature" }
    );
    assert_eq!(
        decode_b64url("envelope", "A").unwrap_err(),
        Refusal::MalformedBase64 { field: "envelope" }
    );
    assert_eq!(
        decode_b64url("client_data_json", "ab+/").unwrap_err(),
        Refusal::MalformedBase64 {
            field: "client_data_json"
        }
    );
    assert_eq!(decode_b64url("signature", "Zm9v").unwrap(), b"foo");
    assert_eq!(decode_b64url("signature", "Zm8").unwrap(), b"fo");
    assert_eq!(decode_b64url("signature", "Zm8=").unwrap(), b"fo");
    assert_eq!(decode_b64url("signature", "Zg==").unwrap(), b"f");
    assert_eq!(decode_b64url("signature", "").unwrap(), b"");
}

#[test]
fn submission_and_verdict_debug_forms_hide_personal_data() {
    let mut f = fixture();
    let sub = f.valid();
    let text = format!("{sub:?}");
    assert!(!text.contains("补充教师") && text.contains("envelope_len"));
    let v = f.check(&sub).unwrap();
    let text = format!("{v:?}");
    assert!(!text.contains("补充教师") && text.contains("app-1"));
}

#[test]
fn a_refused_document_comes_back_as_read_for_the_record() {
    let mut f = fixture();
    let bytes = f.envelope();
    let mut sub = f.sign(&bytes);
    let n = sub.signature.len();
    sub.signature[n - 5] ^= 0x01;
    let checked = check::<SignedEnvelope>(&sub, Some(&f.alice.known()), &policy(), ts(NOW));
    assert!(!checked.signature_verified());
    assert_eq!(
        checked.document(),
        Some(&SignedEnvelope::from_signed_bytes(&bytes).unwrap().0)
    );
    assert_eq!(
        checked.into_result().unwrap_err(),
        Refusal::SignatureInvalid
    );
    // Bytes that are not an application come back as nothing.
    sub.envelope = b"{}".to_vec();
    let checked = check::<SignedEnvelope>(&sub, Some(&f.alice.known()), &policy(), ts(NOW));
    assert!(checked.document().is_none());
    // A verified one, and one held for review, verified their signature.
    let sub = f.sign(&bytes);
    let checked = check::<SignedEnvelope>(&sub, Some(&f.alice.known()), &policy(), ts(NOW));
    assert!(checked.signature_verified() && checked.document().is_some());
    let seen = KnownCredential {
        highest_counter: u32::MAX,
        ..f.alice.known()
    };
    let held = check::<SignedEnvelope>(&sub, Some(&seen), &policy(), ts(NOW));
    assert!(held.signature_verified());
    assert!(matches!(
        held.into_result().unwrap_err(),
        Refusal::CounterRegression { .. }
    ));
}

// ---------------------------------------------------------------------------------------------
// Decisions: the same checks through `verify_document`

/// Alice's decision on `app-1`.
fn decision(f: &Fixture, action: domain::Action, note: &str) -> Vec<u8> {
    SignedDecision::new(
        domain::DecisionHeader {
            decision_id: domain::DecisionId::parse("dec-1").unwrap(),
            application_id: ApplicationId::parse("app-1").unwrap(),
            decider: UserId::parse("clerk-1").unwrap(),
            credential_id: CredentialId::parse(&f.alice.id_b64()).unwrap(),
            created_at: ts(CREATED),
        },
        action,
        note,
    )
    .unwrap()
    .canonical_bytes()
    .unwrap()
}

fn check_decision(
    f: &Fixture,
    sub: &SignedSubmission,
) -> Result<VerifiedDocument<SignedDecision>, Refusal> {
    verify_document::<SignedDecision>(sub, Some(&f.alice.known()), &policy(), ts(NOW))
}

#[test]
fn valid_decision_is_accepted() {
    let mut f = fixture();
    let bytes = decision(&f, domain::Action::Return, "请补充用编理由");
    let sub = f.sign(&bytes);
    let v = check_decision(&f, &sub).unwrap();
    assert_eq!(v.document.action, domain::Action::Return);
    assert_eq!(v.document.decider.as_str(), "clerk-1");
    assert_eq!(v.challenge, sha256(&bytes));
    assert!(v.counter > 0);
    // The debug form leaves the note out.
    assert!(!format!("{v:?}").contains("用编理由"));
}

#[test]
fn an_application_signature_is_not_a_decision_nor_the_reverse() {
    let mut f = fixture();
    let application = f.valid();
    assert_eq!(
        check_decision(&f, &application).unwrap_err(),
        Refusal::EnvelopeTagUnknown
    );
    let bytes = decision(&f, domain::Action::Approve, "");
    let decided = f.sign(&bytes);
    assert_eq!(f.check(&decided).unwrap_err(), Refusal::EnvelopeTagUnknown);
}

#[test]
fn tampered_decision_note_is_a_challenge_mismatch() {
    let mut f = fixture();
    let bytes = decision(&f, domain::Action::Reject, "材料不全");
    let mut sub = f.sign(&bytes);
    let text = String::from_utf8(bytes).unwrap();
    sub.envelope = text.replace("材料不全", "同意").into_bytes();
    assert_eq!(
        check_decision(&f, &sub).unwrap_err(),
        Refusal::ChallengeMismatch
    );
}

#[test]
fn decision_checks_share_the_credential_and_time_rules() {
    let mut f = fixture();
    let bytes = decision(&f, domain::Action::Approve, "");
    let sub = f.sign(&bytes);
    let revoked = KnownCredential {
        revoked: true,
        ..f.alice.known()
    };
    assert_eq!(
        verify_document::<SignedDecision>(&sub, Some(&revoked), &policy(), ts(NOW)).unwrap_err(),
        Refusal::CredentialRevoked
    );
    let bob = register(&f.wa, "bureau-2");
    assert_eq!(
        verify_document::<SignedDecision>(&sub, Some(&bob.known()), &policy(), ts(NOW))
            .unwrap_err(),
        Refusal::CredentialUnknown
    );
    let later = ts("2026-06-01T08:00:00Z");
    assert!(matches!(
        verify_document::<SignedDecision>(&sub, Some(&f.alice.known()), &policy(), later),
        Err(Refusal::EnvelopeTooOld { .. })
    ));
}
