//! The bureaus' document keys: SM2 with SM3 (GB/T 32918, GB/T 32905) through RustCrypto's `sm2`,
//! never a hand-written curve.
//!
//! - **Signer ID** (distinguishing identifier): the GM/T 0009 default [`SIGNER_ID`],
//!   `1234567812345678`, so that OpenSSL 3 (`-pkeyopt distid:1234567812345678`) and GmSSL verify
//!   our signatures as they are.
//! - **Signature encoding**: ASN.1 DER `SEQUENCE { r INTEGER, s INTEGER }` (GB/T 35276), what
//!   `openssl pkeyutl -verify` and GmSSL read; parsing is strict (the bytes must be the DER
//!   encoding of the values they hold).
//! - **Signing** is deterministic (RFC 6979 nonce from the key and the message): no random
//!   source at signing time.
//! - **Key id** ([`KeyId`]): base64url of the first 6 bytes of `SM3(public key)` (the
//!   uncompressed SEC1 point, 65 bytes) — 8 characters, named in every signature and derived
//!   from the key, so a published key whose id does not match its key is refused.
//! - **Published key** ([`PublishedKey`]): id, bureau, the SEC1 point in base64url, when it was
//!   created and, once rotated, retired. Old keys stay published: a document signed before
//!   its key was retired stays genuine; one dated after it is not.

use domain::canonical::{base64url, base64url_decode};
use domain::{Bureau, Timestamp};
use serde::{Deserialize, Serialize};
use sm2::dsa::signature::{Signer, Verifier};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};
use sm3::{Digest, Sm3};

/// The SM2 signer ID (distinguishing identifier) of every signature: GM/T 0009's default.
pub const SIGNER_ID: &str = "1234567812345678";

/// A key id: 8 base64url characters, `base64url(SM3(SEC1 point)[..6])`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyId(String);

impl KeyId {
    /// The id of the key with this uncompressed SEC1 point.
    pub fn of_point(sec1: &[u8]) -> KeyId {
        let digest = Sm3::digest(sec1);
        KeyId(base64url(&digest[..6]))
    }

    /// Reads a key id: exactly 8 base64url characters.
    pub fn parse(text: &str) -> Option<KeyId> {
        (text.len() == 8 && strict_b64url(text).is_some()).then(|| KeyId(text.to_owned()))
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Display for KeyId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

/// base64url without padding, refusing any text that is not the encoding of its bytes (unused
/// trailing bits set), so that one signed value has one text.
pub fn strict_b64url(text: &str) -> Option<Vec<u8>> {
    let bytes = base64url_decode(text)?;
    (base64url(&bytes) == text).then_some(bytes)
}

/// Why a key cannot be made or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The secret is not a scalar in `[1, n-1]` of 32 bytes.
    #[error("the secret is not an SM2 private key")]
    BadSecret,
    /// The public key is not a point of the SM2 curve, or not base64url.
    #[error("the public key is not an SM2 public key")]
    BadPublicKey,
    /// The published id is not the id of the published key.
    #[error("key id {0} is not the id of its key")]
    IdMismatch(String),
    /// Encoding the key failed.
    #[error("the key cannot be encoded: {0}")]
    Encoding(String),
}

/// A bureau's private document key.
#[derive(Clone)]
pub struct DocumentSigningKey {
    bureau: Bureau,
    id: KeyId,
    key: SigningKey,
}

impl core::fmt::Debug for DocumentSigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DocumentSigningKey")
            .field("bureau", &self.bureau)
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl DocumentSigningKey {
    /// The key of `bureau` with this 32-byte secret scalar (big-endian). The caller brings the
    /// randomness of a new key (the server: its operating system's); an out-of-range value is
    /// refused, and the caller draws again.
    pub fn from_secret(bureau: Bureau, secret: &[u8]) -> Result<DocumentSigningKey, KeyError> {
        let key = SigningKey::from_slice(SIGNER_ID, secret).map_err(|_| KeyError::BadSecret)?;
        let id = KeyId::of_point(&key.verifying_key().to_sec1_bytes());
        Ok(DocumentSigningKey { bureau, id, key })
    }

    /// The secret scalar (32 bytes, big-endian), to keep in the key file.
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.key.to_bytes().into()
    }

    /// The bureau whose key it is.
    pub fn bureau(&self) -> Bureau {
        self.bureau
    }

    /// Its id.
    pub fn id(&self) -> &KeyId {
        &self.id
    }

    /// The uncompressed SEC1 point (65 bytes).
    pub fn public_point(&self) -> Vec<u8> {
        self.key.verifying_key().to_sec1_bytes().into_vec()
    }

    /// Its public half as published, created at `created_at`.
    pub fn publish(&self, created_at: Timestamp) -> PublishedKey {
        PublishedKey {
            key_id: self.id.clone(),
            bureau: self.bureau,
            public_key: base64url(&self.public_point()),
            created_at,
            retired_at: None,
        }
    }

    /// SM2 signature with SM3 and [`SIGNER_ID`] over `message`, DER-encoded.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let signature: Signature = self.key.sign(message);
        signature.to_der().to_vec()
    }
}

/// A bureau's public document key as `GET /api/document-keys` and the pull publish it. Its JSON
/// is `{"key_id","bureau","public_key","created_at","retired_at"}`; other members (the
/// server's `pem`) are ignored when it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedKey {
    /// [`KeyId`] of `public_key`.
    pub key_id: KeyId,
    /// The bureau whose documents it signs.
    pub bureau: Bureau,
    /// The uncompressed SEC1 point (65 bytes, `04‖x‖y`), base64url.
    pub public_key: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When a newer key replaced it (it still verifies what it signed before).
    #[serde(default)]
    pub retired_at: Option<Timestamp>,
}

/// Why a signature does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// Not a DER-encoded SM2 signature.
    #[error("the signature is not a DER-encoded SM2 signature")]
    Malformed,
    /// Well-formed, but not a signature of this message by this key.
    #[error("the signature does not verify")]
    Invalid,
}

impl PublishedKey {
    /// A published key from the fields of the wire's `protocol::documents::DocumentKey` (the
    /// client converts field by field, without a second JSON reader): `bureau` a region code,
    /// times RFC 3339. The key itself is checked when it is used.
    pub fn from_parts(
        key_id: &str,
        bureau: &str,
        public_key: &str,
        created_at: &str,
        retired_at: Option<&str>,
    ) -> Result<PublishedKey, KeyError> {
        let time = |t: &str| Timestamp::parse(t).map_err(|_| KeyError::BadPublicKey);
        Ok(PublishedKey {
            key_id: KeyId::parse(key_id).ok_or(KeyError::IdMismatch(key_id.to_owned()))?,
            bureau: domain::Region::from_code(bureau)
                .ok_or(KeyError::BadPublicKey)?
                .bureau(),
            public_key: public_key.to_owned(),
            created_at: time(created_at)?,
            retired_at: retired_at.map(time).transpose()?,
        })
    }

    /// The verifying key, checked: a point of the curve whose id is `key_id`.
    pub fn verifying_key(&self) -> Result<VerifyingKey, KeyError> {
        let point = strict_b64url(&self.public_key).ok_or(KeyError::BadPublicKey)?;
        if KeyId::of_point(&point) != self.key_id {
            return Err(KeyError::IdMismatch(self.key_id.to_string()));
        }
        VerifyingKey::from_sec1_bytes(SIGNER_ID, &point).map_err(|_| KeyError::BadPublicKey)
    }

    /// Checks a DER signature over `message` with this key.
    pub fn verify(&self, message: &[u8], der: &[u8]) -> Result<(), SignatureError> {
        // The cheap check first: a signature that is not DER needs no key.
        Signature::from_der(der).map_err(|_| SignatureError::Malformed)?;
        let key = self.verifying_key().map_err(|_| SignatureError::Invalid)?;
        verify_with(&key, message, der)
    }

    /// The key as a PEM `SubjectPublicKeyInfo` (`-----BEGIN PUBLIC KEY-----`, algorithm
    /// id-ecPublicKey with the SM2 curve 1.2.156.10197.1.301), as `openssl pkeyutl -pubin`
    /// reads it.
    #[cfg(feature = "pem")]
    pub fn pem(&self) -> Result<String, KeyError> {
        use sm2::pkcs8::EncodePublicKey;
        let key = self.verifying_key()?;
        key.to_public_key_pem(sm2::pkcs8::LineEnding::LF)
            .map_err(|e| KeyError::Encoding(e.to_string()))
    }

    /// Whether it may have signed a document issued on `on` (not retired before that day).
    pub fn covers(&self, on: domain::Date) -> bool {
        self.retired_at
            .is_none_or(|retired| on <= retired.date_in_china())
    }
}

/// Checks a DER signature with a verifying key.
pub fn verify_with(key: &VerifyingKey, message: &[u8], der: &[u8]) -> Result<(), SignatureError> {
    let signature = Signature::from_der(der).map_err(|_| SignatureError::Malformed)?;
    // One signature, one encoding: no other DER text of the same values is accepted.
    if signature.to_der().as_bytes() != der {
        return Err(SignatureError::Malformed);
    }
    key.verify(message, &signature)
        .map_err(|_| SignatureError::Invalid)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn key(bureau: Bureau, seed: u8) -> DocumentSigningKey {
        let mut secret = [seed; 32];
        secret[0] = 0x11;
        DocumentSigningKey::from_secret(bureau, &secret).unwrap()
    }

    pub(crate) fn at(s: &str) -> Timestamp {
        Timestamp::parse(s).unwrap()
    }

    #[test]
    fn sign_and_verify() {
        let k = key(Bureau::CITY, 7);
        let published = k.publish(at("2026-01-01T00:00:00Z"));
        assert_eq!(published.key_id, *k.id());
        assert_eq!(published.key_id.as_str().len(), 8);
        let sig = k.sign(b"message");
        assert_eq!(sig, k.sign(b"message"), "deterministic");
        assert!(published.verify(b"message", &sig).is_ok());
        assert_eq!(
            published.verify(b"messagf", &sig),
            Err(SignatureError::Invalid)
        );
        let other = key(Bureau::CITY, 8).publish(at("2026-01-01T00:00:00Z"));
        assert_eq!(other.verify(b"message", &sig), Err(SignatureError::Invalid));
        // A changed byte of the signature: either not DER any more, or not valid.
        for i in 0..sig.len() {
            let mut bad = sig.clone();
            bad[i] ^= 0x01;
            assert!(published.verify(b"message", &bad).is_err(), "byte {i}");
        }
        assert_eq!(
            published.verify(b"message", &sig[..sig.len() - 1]),
            Err(SignatureError::Malformed)
        );
        let back = DocumentSigningKey::from_secret(Bureau::CITY, &k.secret_bytes()).unwrap();
        assert_eq!(back.id(), k.id());
    }

    #[test]
    fn keys_are_checked() {
        assert_eq!(
            DocumentSigningKey::from_secret(Bureau::CITY, &[0; 32]).unwrap_err(),
            KeyError::BadSecret
        );
        assert_eq!(
            DocumentSigningKey::from_secret(Bureau::CITY, &[0xff; 32]).unwrap_err(),
            KeyError::BadSecret
        );
        let mut published = key(Bureau::CITY, 7).publish(at("2026-01-01T00:00:00Z"));
        published.key_id = key(Bureau::CITY, 8).id().clone();
        assert!(matches!(
            published.verifying_key(),
            Err(KeyError::IdMismatch(_))
        ));
        assert!(KeyId::parse("abcdefgh").is_some());
        assert!(KeyId::parse("abcdefg").is_none());
        assert!(KeyId::parse("abcdefg=").is_none());
        assert_eq!(strict_b64url("Zg"), Some(b"f".to_vec()));
        assert_eq!(strict_b64url("Zh"), None);
    }

    #[test]
    fn from_the_wire_fields() {
        let published = key(Bureau::CITY, 7).publish(at("2026-01-01T00:00:00Z"));
        let back = PublishedKey::from_parts(
            published.key_id.as_str(),
            "tianshui",
            &published.public_key,
            "2026-01-01T00:00:00Z",
            None,
        )
        .unwrap();
        assert_eq!(back, published);
        assert!(
            PublishedKey::from_parts("x", "tianshui", "", "2026-01-01T00:00:00Z", None).is_err()
        );
        assert!(
            PublishedKey::from_parts(
                published.key_id.as_str(),
                "mars",
                "",
                "2026-01-01T00:00:00Z",
                None
            )
            .is_err()
        );
    }

    #[test]
    fn retired_keys_cover_what_they_signed_before() {
        let mut published = key(Bureau::CITY, 7).publish(at("2026-01-01T00:00:00Z"));
        let d = |s: &str| domain::Date::parse(s).unwrap();
        assert!(published.covers(d("2030-01-01")));
        published.retired_at = Some(at("2026-06-30T10:00:00Z"));
        assert!(published.covers(d("2026-06-30")));
        assert!(!published.covers(d("2026-07-01")));
    }

    /// The SM2 signing example of GB/T 32918.2-2016 Annex A is on another curve; instead the
    /// sm2 crate's own vectors cover the curve. Here: the key id is stable for a known secret,
    /// so a key id printed in docs/API.md stays reproducible.
    #[test]
    fn key_id_is_reproducible() {
        let k = key(Bureau::CITY, 7);
        assert_eq!(KeyId::of_point(&k.public_point()), *k.id());
        assert_eq!(k.public_point().len(), 65);
        assert_eq!(k.public_point()[0], 4);
    }
}
