//! The signature check through `ring` ([`signature::check`]) against webauthn-rs-core's
//! `COSEKey::verify_signature` ([`signature::check_with_webauthn_rs`]): both must give the same
//! verdict on the same input — valid, tampered (signature, authenticatorData, clientDataJSON,
//! envelope byte), malformed (bad DER, wrong length, wrong key, a key off the curve) — step 8
//! alone and through the whole [`check`].

use super::*;
use webauthn_rs_core::proto::{COSEAlgorithm, COSEEC2Key, COSEKey, COSEKeyType, ECDSACurve};

/// The order of P-256, big-endian.
const P256_ORDER: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
];

/// What ECDSA signs for a submission: `authenticatorData ‖ SHA-256(clientDataJSON)`.
fn signed_data(sub: &SignedSubmission) -> Vec<u8> {
    let mut signed = sub.authenticator_data.clone();
    signed.extend_from_slice(&sha256(&sub.client_data_json));
    signed
}

/// Step 8 through both paths: the verdict, which must be the same.
fn both(key: &COSEKey, signature: &[u8], signed: &[u8]) -> Result<(), Refusal> {
    let ring = signature::check(key, signature, signed);
    let webauthn_rs = signature::check_with_webauthn_rs(key, signature, signed);
    assert_eq!(
        ring, webauthn_rs,
        "ring and webauthn-rs-core disagree on signature {signature:02x?}"
    );
    ring
}

/// The whole check with step 8 through `ring` and through webauthn-rs-core: the same outcome.
fn both_checks(f: &Fixture, sub: &SignedSubmission) -> Result<u32, Refusal> {
    let known = f.alice.known();
    let with_ring = check::<SignedEnvelope>(sub, Some(&known), &policy(), ts(NOW))
        .into_result()
        .map(|v| v.counter);
    let key = &known.credential.cred;
    let prepared = Prepared {
        parsed: SignedEnvelope::parse_signed(&sub.envelope),
        assertion: None,
        signature: Some((
            key.clone(),
            signature::check_with_webauthn_rs(key, &sub.signature, &signed_data(sub)),
        )),
    };
    let with_webauthn_rs =
        check_prepared::<SignedEnvelope>(prepared, sub, Some(&known), &policy(), ts(NOW))
            .into_result()
            .map(|v| v.counter);
    assert_eq!(with_ring, with_webauthn_rs);
    // Prepared on another thread's terms, as a batch is: the same again.
    let prepared = prepare::<SignedEnvelope>(sub, Some(key), &std::sync::Arc::new(policy()));
    let batched = check_prepared::<SignedEnvelope>(prepared, sub, Some(&known), &policy(), ts(NOW))
        .into_result()
        .map(|v| v.counter);
    assert_eq!(with_ring, batched);
    with_ring
}

/// The DER `SEQUENCE { r INTEGER, s INTEGER }` of an ECDSA signature, as (r, s) without
/// leading zeros.
fn der_parts(der: &[u8]) -> (Vec<u8>, Vec<u8>) {
    assert_eq!(der[0], 0x30);
    let r_len = usize::from(der[3]);
    let r = der[4..4 + r_len].to_vec();
    let s_at = 4 + r_len;
    let s_len = usize::from(der[s_at + 1]);
    let s = der[s_at + 2..s_at + 2 + s_len].to_vec();
    let trim = |v: Vec<u8>| v.into_iter().skip_while(|b| *b == 0).collect::<Vec<_>>();
    (trim(r), trim(s))
}

/// DER of (r, s), each minimally encoded.
fn der(r: &[u8], s: &[u8]) -> Vec<u8> {
    let int = |v: &[u8]| {
        let mut v: Vec<u8> = v.iter().copied().skip_while(|b| *b == 0).collect();
        if v.is_empty() || v[0] & 0x80 != 0 {
            v.insert(0, 0);
        }
        let mut out = vec![0x02, u8::try_from(v.len()).unwrap()];
        out.extend(v);
        out
    };
    let body = [int(r), int(s)].concat();
    let mut out = vec![0x30, u8::try_from(body.len()).unwrap()];
    out.extend(body);
    out
}

/// `P256_ORDER - s` (the other valid `s` of an ECDSA signature).
fn order_minus(s: &[u8]) -> Vec<u8> {
    let mut padded = [0u8; 32];
    padded[32 - s.len()..].copy_from_slice(s);
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(P256_ORDER[i]) - i16::from(padded[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = u8::try_from(d).unwrap();
    }
    out.to_vec()
}

fn ec2(key: &COSEKey) -> &COSEEC2Key {
    match &key.key {
        COSEKeyType::EC_EC2(ec2) => ec2,
        other => panic!("the soft token's key is not EC2: {other:?}"),
    }
}

fn with_ec2(key: &COSEKey, edit: impl FnOnce(&mut COSEEC2Key)) -> COSEKey {
    let mut ec2 = ec2(key).clone();
    edit(&mut ec2);
    COSEKey {
        type_: key.type_,
        key: COSEKeyType::EC_EC2(ec2),
    }
}

#[test]
fn both_verifiers_agree_on_valid_and_tampered_signatures() {
    let mut f = fixture();
    let sub = f.valid();
    let key = f.alice.credential.cred.clone();
    let signed = signed_data(&sub);
    assert_eq!(both(&key, &sub.signature, &signed), Ok(()));

    // Every byte of the signature, flipped.
    for i in 0..sub.signature.len() {
        let mut signature = sub.signature.clone();
        signature[i] ^= 0x01;
        assert_eq!(
            both(&key, &signature, &signed),
            Err(Refusal::SignatureInvalid),
            "byte {i}"
        );
    }
    // Every byte of what was signed, flipped: authenticatorData and the clientDataJSON hash.
    for i in 0..signed.len() {
        let mut tampered = signed.clone();
        tampered[i] ^= 0x80;
        assert_eq!(
            both(&key, &sub.signature, &tampered),
            Err(Refusal::SignatureInvalid),
            "signed byte {i}"
        );
    }
    // The other valid s (n - s): ECDSA's malleability, accepted by both alike.
    let (r, s) = der_parts(&sub.signature);
    assert_eq!(
        both(&key, &der(&r, &order_minus(&s)), &signed),
        Ok(()),
        "high/low s"
    );
    // Re-encoded minimally it is the same signature.
    assert_eq!(both(&key, &der(&r, &s), &signed), Ok(()));
}

#[test]
fn both_verifiers_agree_on_malformed_signatures() {
    let mut f = fixture();
    let sub = f.valid();
    let key = f.alice.credential.cred.clone();
    let signed = signed_data(&sub);
    let (r, s) = der_parts(&sub.signature);
    let zero = [0u8];
    let mut bad: Vec<Vec<u8>> = vec![
        Vec::new(),
        vec![0x30],
        vec![0x30, 0x00],
        vec![0x30, 0x02, 0x00],
        // r or s zero, or the group order (out of range).
        der(&zero, &s),
        der(&r, &zero),
        der(&P256_ORDER, &s),
        der(&r, &P256_ORDER),
        // r and s swapped; the raw 64-byte form instead of DER.
        der(&s, &r),
        [r.clone(), s.clone()].concat(),
    ];
    // A trailing byte; truncated; another tag; a non-minimal integer (an extra leading zero).
    let mut trailing = sub.signature.clone();
    trailing.push(0);
    bad.push(trailing);
    bad.push(sub.signature[..sub.signature.len() - 1].to_vec());
    let mut tag = sub.signature.clone();
    tag[0] = 0x31;
    bad.push(tag);
    let mut padded_r = vec![0x00, 0x00];
    padded_r.extend_from_slice(&r);
    let mut non_minimal = vec![0x02, u8::try_from(padded_r.len()).unwrap()];
    non_minimal.extend(&padded_r);
    let minimal = der(&r, &s);
    non_minimal.extend(&minimal[4 + usize::from(minimal[3])..]);
    let mut seq = vec![0x30, u8::try_from(non_minimal.len()).unwrap()];
    seq.extend(non_minimal);
    bad.push(seq);
    // A long-form length where the short form fits.
    let mut long_form = vec![0x30, 0x81];
    long_form.extend_from_slice(&sub.signature[1..]);
    bad.push(long_form);
    for signature in &bad {
        assert_eq!(
            both(&key, signature, &signed),
            Err(Refusal::SignatureInvalid),
            "{signature:02x?}"
        );
    }
}

#[test]
fn both_verifiers_agree_on_wrong_and_malformed_keys() {
    let mut f = fixture();
    let sub = f.valid();
    let key = f.alice.credential.cred.clone();
    let signed = signed_data(&sub);
    // Another token's key.
    let other = register(&f.wa, "clerk-1").credential.cred;
    assert_eq!(
        both(&other, &sub.signature, &signed),
        Err(Refusal::SignatureInvalid)
    );
    // Coordinates of the wrong length; a point off the curve; x or y not below the field
    // prime; the point (0, 0).
    let malformed = [
        with_ec2(&key, |k| k.x.truncate(31)),
        with_ec2(&key, |k| k.y.push(0)),
        with_ec2(&key, |k| k.x.clear()),
        with_ec2(&key, |k| k.y[31] ^= 0x01),
        with_ec2(&key, |k| k.x = vec![0xFF; 32]),
        with_ec2(&key, |k| k.y = vec![0xFF; 32]),
        with_ec2(&key, |k| {
            k.x = vec![0; 32];
            k.y = vec![0; 32];
        }),
    ];
    for key in &malformed {
        assert_eq!(
            both(key, &sub.signature, &signed),
            Err(Refusal::CredentialKeyUnsupported),
            "{key:?}"
        );
    }
    // Not a P-256 key: the old path alone, the same verdict as before (a P-384 point that is
    // not on its curve, an Ed25519 key).
    let p384 = with_ec2(&key, |k| {
        k.curve = ECDSACurve::SECP384R1;
        k.x = vec![1; 48];
        k.y = vec![2; 48];
    });
    assert_eq!(
        both(&p384, &sub.signature, &signed),
        Err(Refusal::CredentialKeyUnsupported)
    );
    let ed25519 = COSEKey {
        type_: COSEAlgorithm::EDDSA,
        key: COSEKeyType::EC_OKP(webauthn_rs_core::proto::COSEOKPKey {
            curve: webauthn_rs_core::proto::EDDSACurve::ED25519,
            x: vec![3; 32],
        }),
    };
    assert_eq!(
        both(&ed25519, &sub.signature, &signed),
        Err(Refusal::CredentialKeyUnsupported)
    );
}

#[test]
fn both_checks_agree_on_whole_submissions() {
    let mut f = fixture();
    let valid = f.valid();
    let counter = both_checks(&f, &valid).unwrap();
    assert_eq!(
        counter,
        assertion_counter(&valid.authenticator_data).unwrap()
    );

    let mut signature = valid.clone();
    let n = signature.signature.len();
    signature.signature[n - 3] ^= 0x40;
    assert_eq!(both_checks(&f, &signature), Err(Refusal::SignatureInvalid));

    let mut der = valid.clone();
    der.signature.truncate(10);
    assert_eq!(both_checks(&f, &der), Err(Refusal::SignatureInvalid));

    let mut auth_data = valid.clone();
    auth_data.authenticator_data[36] ^= 0x01;
    assert_eq!(both_checks(&f, &auth_data), Err(Refusal::SignatureInvalid));

    let mut client_data = valid.clone();
    let n = client_data.client_data_json.len();
    client_data
        .client_data_json
        .splice(n - 1..n - 1, b",\"x\":0".iter().copied());
    assert_eq!(
        both_checks(&f, &client_data),
        Err(Refusal::SignatureInvalid)
    );

    // An envelope byte: the challenge no longer matches, before any signature is checked (and
    // any byte at all: some refusal, the same through both).
    let mut envelope = valid.clone();
    let text = String::from_utf8(envelope.envelope).unwrap();
    envelope.envelope = text.replace("补充教师", "补充教员").into_bytes();
    assert_eq!(both_checks(&f, &envelope), Err(Refusal::ChallengeMismatch));
    for at in [0, valid.envelope.len() / 2, valid.envelope.len() - 1] {
        let mut envelope = valid.clone();
        envelope.envelope[at] ^= 0x01;
        assert!(both_checks(&f, &envelope).is_err(), "byte {at}");
    }

    // Wrong key: another token signed, the submission names Alice's credential.
    let mut other = register(&f.wa, "clerk-1");
    let bytes = f.envelope();
    let mut wrong_key = other.sign(&f.wa, &bytes);
    wrong_key.credential_id = f.alice.id();
    assert_eq!(both_checks(&f, &wrong_key), Err(Refusal::SignatureInvalid));
}

#[test]
fn what_was_prepared_under_another_policy_or_key_is_checked_again() {
    let mut f = fixture();
    let sub = f.valid();
    let known = f.alice.known();
    // Prepared under a policy that allows no origin, with another key: both outcomes are
    // refusals, and neither is taken for the policy and key the check is given.
    let strict = VerifyPolicy::new(RP_ID, vec!["https://elsewhere.example".to_owned()]);
    let other = register(&f.wa, "clerk-1").credential.cred;
    let prepared = prepare::<SignedEnvelope>(&sub, Some(&other), &std::sync::Arc::new(strict));
    let checked =
        check_prepared::<SignedEnvelope>(prepared, &sub, Some(&known), &policy(), ts(NOW));
    assert!(checked.into_result().is_ok());
    // The other way round: prepared under the configured policy and key, checked under the
    // strict one, the origin is refused.
    let strict = VerifyPolicy::new(RP_ID, vec!["https://elsewhere.example".to_owned()]);
    let prepared = prepare::<SignedEnvelope>(
        &sub,
        Some(&known.credential.cred),
        &std::sync::Arc::new(policy()),
    );
    let checked = check_prepared::<SignedEnvelope>(prepared, &sub, Some(&known), &strict, ts(NOW));
    assert_eq!(
        checked.into_result().unwrap_err(),
        Refusal::OriginNotAllowed
    );
}
