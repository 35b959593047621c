//! Step 8 of the verification: the signature over `authenticatorData ‖ SHA-256(clientDataJSON)`
//! with the stored public key.
//!
//! An ES256 key (COSE EC2 on P-256, what security keys and the client use) is checked with
//! `ring`'s assembly-optimised P-256, several times faster than the RustCrypto `p256` under
//! webauthn-rs-core. Any other key webauthn-rs enrolled (RSA, P-384, …) goes through
//! webauthn-rs-core's `COSEKey::verify_signature`, as before. Both paths give the same
//! refusal for the same input: [`Refusal::SignatureInvalid`] for a signature that is not valid
//! DER or does not verify, [`Refusal::CredentialKeyUnsupported`] for a key that cannot verify
//! (`verify/tests.rs` checks them against each other).

use crypto_glue::ecdsa_p256::from_coords_raw;
use ring::signature::{ECDSA_P256_SHA256_ASN1, UnparsedPublicKey};
use webauthn_rs_core::error::WebauthnError;
use webauthn_rs_core::proto::{COSEEC2Key, COSEKey, COSEKeyType, ECDSACurve};

use crate::signed::refusal::Refusal;

/// Length of a P-256 coordinate.
const P256_COORDINATE: usize = 32;

/// Checks `signature` (DER for ECDSA) over `signed` with `key`.
pub fn check(key: &COSEKey, signature: &[u8], signed: &[u8]) -> Result<(), Refusal> {
    match &key.key {
        // webauthn-rs-core chooses by the curve (not by the algorithm the key names): so do we.
        COSEKeyType::EC_EC2(ec2) if ec2.curve == ECDSACurve::SECP256R1 => {
            check_p256(ec2, signature, signed)
        }
        _ => check_with_webauthn_rs(key, signature, signed),
    }
}

/// The same check through webauthn-rs-core alone, for any key.
pub fn check_with_webauthn_rs(
    key: &COSEKey,
    signature: &[u8],
    signed: &[u8],
) -> Result<(), Refusal> {
    match key.verify_signature(signature, signed) {
        Ok(true) => Ok(()),
        Ok(false) | Err(WebauthnError::SignatureInvalid) => Err(Refusal::SignatureInvalid),
        Err(_) => Err(Refusal::CredentialKeyUnsupported),
    }
}

/// ECDSA P-256 with SHA-256 through `ring`.
fn check_p256(key: &COSEEC2Key, signature: &[u8], signed: &[u8]) -> Result<(), Refusal> {
    if key.x.len() == P256_COORDINATE && key.y.len() == P256_COORDINATE {
        // SEC 1 uncompressed point: 0x04 ‖ x ‖ y.
        let mut point = [0x04; 1 + 2 * P256_COORDINATE];
        point[1..=P256_COORDINATE].copy_from_slice(&key.x);
        point[1 + P256_COORDINATE..].copy_from_slice(&key.y);
        let public = UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &point);
        if public.verify(signed, signature).is_ok() {
            return Ok(());
        }
    }
    // `ring` does not say whether the key or the signature failed; webauthn-rs-core refuses a
    // key that is not a point of the curve before it reads the signature.
    if from_coords_raw(&key.x, &key.y).is_none() {
        Err(Refusal::CredentialKeyUnsupported)
    } else {
        Err(Refusal::SignatureInvalid)
    }
}
