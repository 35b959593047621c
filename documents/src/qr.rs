//! The QR content of a signed document and its verification into a [`Verdict`].
//!
//! Content (ASCII, QR byte mode):
//!
//! ```text
//! DZ1.<base64url(canonical document)>.<key id>.<base64url(DER signature)>
//! ```
//!
//! `DZ1` names the format and its version; the parts are separated by `.`, which base64url
//! never contains. base64url is unpadded and strict (one text per value). The content is
//! self-contained: with the published keys alone (no network) anyone can say whether it is
//! genuine. A typical slip is about 490 characters (QR version 17 at error-correction level M),
//! a notice about 660 (version 20), the longest possible about 770 (version 22); docs/API.md
//! says why.
//!
//! [`verify`] checks, in this order, each failure its own [`Failure`]: the prefix and the
//! number of parts (`malformed`), the encoding of each part (`malformed`), the document —
//! canonical JSON of a known tag and version (`altered_payload`), the key id among the
//! published keys (`unknown_key`), the key is the issuing bureau's (`foreign_key`), not retired
//! before the document's date (`key_retired`), and the signature (`bad_signature`).

use domain::canonical::base64url;
use serde::Serialize;

use crate::form::{DocumentForm, FormError};
use crate::key::{DocumentSigningKey, KeyId, PublishedKey, SignatureError, strict_b64url};

/// The prefix (format and version) of every QR content.
pub const QR_PREFIX: &str = "DZ1";

/// An issued document with its signature: what the server stores and the QR code carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDocument {
    /// The document.
    pub form: DocumentForm,
    /// Its canonical bytes, the message signed (UTF-8 JSON).
    pub canonical: String,
    /// The key that signed.
    pub key_id: KeyId,
    /// The DER signature.
    pub signature: Vec<u8>,
}

impl SignedDocument {
    /// Signs `form` with `key`.
    pub fn sign(form: DocumentForm, key: &DocumentSigningKey) -> Result<SignedDocument, FormError> {
        let bytes = form.canonical_bytes()?;
        let signature = key.sign(&bytes);
        let canonical = String::from_utf8(bytes)
            .map_err(|e| FormError::Malformed(format!("canonical bytes: {e}")))?;
        Ok(SignedDocument {
            form,
            canonical,
            key_id: key.id().clone(),
            signature,
        })
    }

    /// The signature in base64url, as stored and published.
    pub fn signature_b64url(&self) -> String {
        base64url(&self.signature)
    }

    /// The QR content.
    pub fn qr_content(&self) -> String {
        format!(
            "{QR_PREFIX}.{}.{}.{}",
            base64url(self.canonical.as_bytes()),
            self.key_id,
            self.signature_b64url()
        )
    }
}

/// Why a document is not genuine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Failure {
    /// Not a QR content of ours, or cut short: prefix, parts or their encoding.
    Malformed { part: Part },
    /// The document part is not a document this system issues (altered, or not canonical).
    AlteredPayload,
    /// Signed with a key nobody published (a forger's key).
    UnknownKey { key_id: String },
    /// Signed with a published key of another bureau than the one named as issuer.
    ForeignKey { key_id: String },
    /// The key was retired before the document's date.
    KeyRetired { key_id: String },
    /// The signature does not verify: the document or the signature was altered.
    BadSignature,
}

/// Which part of the content is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Not `DZ1.` followed by three parts (or truncated).
    Format,
    /// The document's base64url.
    Document,
    /// The key id.
    KeyId,
    /// The signature's base64url or DER.
    Signature,
}

impl Failure {
    /// Every failure code, for the API's list of codes.
    pub const CODES: &'static [&'static str] = &[
        "malformed",
        "altered_payload",
        "unknown_key",
        "foreign_key",
        "key_retired",
        "bad_signature",
    ];

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Malformed { .. } => "malformed",
            Failure::AlteredPayload => "altered_payload",
            Failure::UnknownKey { .. } => "unknown_key",
            Failure::ForeignKey { .. } => "foreign_key",
            Failure::KeyRetired { .. } => "key_retired",
            Failure::BadSignature => "bad_signature",
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Failure::Malformed { part } => format!(
                "不是本系统出具单据的二维码内容，或内容不完整（{}）",
                match part {
                    Part::Format => "格式",
                    Part::Document => "单据部分",
                    Part::KeyId => "密钥标识",
                    Part::Signature => "签名部分",
                }
            ),
            Failure::AlteredPayload => "单据内容已被改动，或不是本系统出具的单据".to_owned(),
            Failure::UnknownKey { key_id } => {
                format!("签名密钥{key_id}不是编办公布的密钥：单据系伪造")
            }
            Failure::ForeignKey { key_id } => {
                format!("签名密钥{key_id}不属于单据所署的出具单位")
            }
            Failure::KeyRetired { key_id } => {
                format!("签名密钥{key_id}在单据出具日期之前已停用")
            }
            Failure::BadSignature => "签名与单据内容不符：单据或签名已被改动".to_owned(),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            Failure::Malformed { part } => format!(
                "not the QR content of a document of this system, or incomplete ({})",
                match part {
                    Part::Format => "format",
                    Part::Document => "document part",
                    Part::KeyId => "key id",
                    Part::Signature => "signature part",
                }
            ),
            Failure::AlteredPayload => {
                "the document was altered, or is not one this system issues".to_owned()
            }
            Failure::UnknownKey { key_id } => {
                format!("signing key {key_id} is not a key the bureaus published: a forgery")
            }
            Failure::ForeignKey { key_id } => {
                format!("signing key {key_id} is not the issuing bureau's")
            }
            Failure::KeyRetired { key_id } => {
                format!("signing key {key_id} was retired before the document's date")
            }
            Failure::BadSignature => {
                "the signature does not match the document: document or signature altered"
                    .to_owned()
            }
        }
    }
}

/// The answer about a QR content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Signed by the issuing bureau's published key: the document's particulars.
    Genuine {
        document: Box<SignedDocument>,
        key: PublishedKey,
    },
    /// Not genuine, and why. The number when the document part could be read (for a lookup).
    NotGenuine {
        failure: Failure,
        number: Option<String>,
    },
}

impl Verdict {
    /// Whether it is genuine.
    pub fn is_genuine(&self) -> bool {
        matches!(self, Verdict::Genuine { .. })
    }

    /// The failure, if not genuine.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Verdict::Genuine { .. } => None,
            Verdict::NotGenuine { failure, .. } => Some(failure),
        }
    }
}

/// The parts of a QR content, decoded but not verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrParts {
    pub canonical: Vec<u8>,
    pub key_id: KeyId,
    pub signature: Vec<u8>,
}

/// Splits and decodes a QR content (surrounding whitespace ignored).
pub fn parse(content: &str) -> Result<QrParts, Failure> {
    let malformed = |part| Failure::Malformed { part };
    let mut parts = content.trim().split('.');
    if parts.next() != Some(QR_PREFIX) {
        return Err(malformed(Part::Format));
    }
    let (Some(document), Some(key_id), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed(Part::Format));
    };
    let canonical = strict_b64url(document)
        .filter(|b| !b.is_empty())
        .ok_or(malformed(Part::Document))?;
    let key_id = KeyId::parse(key_id).ok_or(malformed(Part::KeyId))?;
    let signature = strict_b64url(signature)
        .filter(|b| !b.is_empty())
        .ok_or(malformed(Part::Signature))?;
    Ok(QrParts {
        canonical,
        key_id,
        signature,
    })
}

/// Verifies a QR content against the published `keys`.
pub fn verify(content: &str, keys: &[PublishedKey]) -> Verdict {
    let parts = match parse(content) {
        Ok(parts) => parts,
        Err(failure) => {
            return Verdict::NotGenuine {
                failure,
                number: None,
            };
        }
    };
    verify_parts(parts, keys)
}

/// Verifies decoded parts against the published `keys`.
pub fn verify_parts(parts: QrParts, keys: &[PublishedKey]) -> Verdict {
    let not = |failure, number: Option<String>| Verdict::NotGenuine { failure, number };
    let Ok(form) = DocumentForm::from_signed_bytes(&parts.canonical) else {
        return not(Failure::AlteredPayload, None);
    };
    let number = Some(form.number.to_string());
    let key_id = parts.key_id.to_string();
    let Some(key) = keys.iter().find(|k| k.key_id == parts.key_id) else {
        return not(Failure::UnknownKey { key_id }, number);
    };
    if key.bureau != form.bureau {
        return not(Failure::ForeignKey { key_id }, number);
    }
    if !key.covers(form.issued_on) {
        return not(Failure::KeyRetired { key_id }, number);
    }
    match key.verify(&parts.canonical, &parts.signature) {
        Ok(()) => {}
        Err(SignatureError::Malformed) => {
            return not(
                Failure::Malformed {
                    part: Part::Signature,
                },
                number,
            );
        }
        Err(SignatureError::Invalid) => return not(Failure::BadSignature, number),
    }
    let Ok(canonical) = String::from_utf8(parts.canonical) else {
        return not(Failure::AlteredPayload, number);
    };
    Verdict::Genuine {
        document: Box::new(SignedDocument {
            form,
            canonical,
            key_id: parts.key_id,
            signature: parts.signature,
        }),
        key: key.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::tests::{notice_form, slip_form};
    use crate::key::tests::{at, key};
    use domain::{Bureau, Region};

    fn city() -> DocumentSigningKey {
        key(Bureau::CITY, 7)
    }

    fn published() -> Vec<PublishedKey> {
        vec![
            city().publish(at("2026-01-01T00:00:00Z")),
            key(Region::Qinzhou.bureau(), 9).publish(at("2026-01-01T00:00:00Z")),
        ]
    }

    fn signed() -> SignedDocument {
        SignedDocument::sign(slip_form(), &city()).unwrap()
    }

    fn failure(content: &str) -> Failure {
        thread_local!(static KEYS: Vec<PublishedKey> = published());
        KEYS.with(|keys| verify(content, keys).failure().cloned().unwrap())
    }

    #[test]
    fn a_genuine_slip_and_notice() {
        let qr = signed().qr_content();
        assert!(qr.starts_with("DZ1."));
        let Verdict::Genuine { document, key: by } = verify(&qr, &published()) else {
            panic!("genuine");
        };
        assert_eq!(*document, signed());
        assert_eq!(by.bureau, Bureau::CITY);
        // Whitespace around a pasted content is ignored.
        assert!(verify(&format!("  {qr}\n"), &published()).is_genuine());
        let notice = SignedDocument::sign(notice_form(), &key(Region::Qinzhou.bureau(), 9))
            .unwrap()
            .qr_content();
        assert!(verify(&notice, &published()).is_genuine());
    }

    #[test]
    fn an_altered_byte_of_the_document_is_not_genuine() {
        let s = signed();
        // Bytes all along the document (every 5th: each check is a full SM2 verification),
        // changed: never genuine.
        for i in (0..s.canonical.len()).step_by(5) {
            let mut bytes = s.canonical.clone().into_bytes();
            bytes[i] ^= 0x01;
            let content = format!(
                "DZ1.{}.{}.{}",
                base64url(&bytes),
                s.key_id,
                s.signature_b64url()
            );
            let f = failure(&content);
            assert!(
                matches!(f, Failure::AlteredPayload | Failure::BadSignature),
                "byte {i}: {f:?}"
            );
        }
        // A changed count that still reads as a document: the signature says no.
        let altered = s.canonical.replace("\"count\":2", "\"count\":9");
        let content = format!(
            "DZ1.{}.{}.{}",
            base64url(altered.as_bytes()),
            s.key_id,
            s.signature_b64url()
        );
        assert_eq!(failure(&content), Failure::BadSignature);
        assert_eq!(
            verify(&content, &published()),
            Verdict::NotGenuine {
                failure: Failure::BadSignature,
                number: Some("天编用〔2026〕0012号".into())
            }
        );
    }

    #[test]
    fn an_altered_byte_of_the_signature_is_not_genuine() {
        let s = signed();
        for i in 0..s.signature.len() {
            let mut sig = s.signature.clone();
            sig[i] ^= 0x80;
            let content = format!(
                "DZ1.{}.{}.{}",
                base64url(s.canonical.as_bytes()),
                s.key_id,
                base64url(&sig)
            );
            let f = failure(&content);
            assert!(
                matches!(
                    f,
                    Failure::BadSignature
                        | Failure::Malformed {
                            part: Part::Signature
                        }
                ),
                "byte {i}: {f:?}"
            );
        }
    }

    #[test]
    fn a_foreign_or_unknown_key_is_not_genuine() {
        // A forger's own key.
        let forger = key(Bureau::CITY, 42);
        let forged = SignedDocument::sign(slip_form(), &forger).unwrap();
        assert_eq!(
            failure(&forged.qr_content()),
            Failure::UnknownKey {
                key_id: forger.id().to_string()
            }
        );
        // A forger's key under a published id: the signature fails.
        let content = format!(
            "DZ1.{}.{}.{}",
            base64url(forged.canonical.as_bytes()),
            city().id(),
            forged.signature_b64url()
        );
        assert_eq!(failure(&content), Failure::BadSignature);
        // The county's published key signing a city document.
        let county = key(Region::Qinzhou.bureau(), 9);
        let misused = SignedDocument::sign(slip_form(), &county).unwrap();
        assert_eq!(
            failure(&misused.qr_content()),
            Failure::ForeignKey {
                key_id: county.id().to_string()
            }
        );
        // A retired key signing after its retirement.
        let mut keys = published();
        keys[0].retired_at = Some(at("2026-04-01T00:00:00Z"));
        assert_eq!(
            verify(&signed().qr_content(), &keys).failure(),
            Some(&Failure::KeyRetired {
                key_id: city().id().to_string()
            })
        );
    }

    #[test]
    fn malformed_and_truncated_contents() {
        let qr = signed().qr_content();
        let part = |p| Failure::Malformed { part: p };
        assert_eq!(failure(""), part(Part::Format));
        assert_eq!(failure("天编用〔2026〕0012号"), part(Part::Format));
        assert_eq!(failure(&qr.replacen("DZ1", "DZ2", 1)), part(Part::Format));
        assert_eq!(failure(&format!("{qr}.x")), part(Part::Format));
        // Cut anywhere: never genuine.
        let keys = published();
        for cut in 0..qr.len() {
            assert!(!verify(&qr[..cut], &keys).is_genuine(), "cut at {cut}");
        }
        let (head, sig) = qr.rsplit_once('.').unwrap();
        assert_eq!(
            failure(&format!("{head}.{}", &sig[..sig.len() - 4])),
            part(Part::Signature)
        );
        assert_eq!(failure(&format!("{head}.{sig}=")), part(Part::Signature));
        let mut pieces: Vec<&str> = qr.split('.').collect();
        pieces[2] = "short";
        assert_eq!(failure(&pieces.join(".")), part(Part::KeyId));
        pieces = qr.split('.').collect();
        pieces[1] = "e30";
        assert_eq!(failure(&pieces.join(".")), Failure::AlteredPayload);
        for f in [
            part(Part::Format),
            Failure::AlteredPayload,
            Failure::UnknownKey { key_id: "x".into() },
            Failure::ForeignKey { key_id: "x".into() },
            Failure::KeyRetired { key_id: "x".into() },
            Failure::BadSignature,
        ] {
            assert!(Failure::CODES.contains(&f.code()));
            assert!(!f.message_zh().is_empty() && !f.message_en().is_empty());
        }
    }

    /// docs/API.md: at level M a slip takes QR version 17, a notice 20, the longest form
    /// possible 22 (105 × 105 modules: 0.38 mm a module printed 40 mm wide).
    #[test]
    fn qr_size() {
        use qrcode::{EcLevel, QrCode, Version};
        let version = |content: &str| match QrCode::with_error_correction_level(
            content.as_bytes(),
            EcLevel::M,
        )
        .unwrap()
        .version()
        {
            Version::Normal(v) => v,
            Version::Micro(v) => v,
        };
        let slip = signed().qr_content();
        let notice = SignedDocument::sign(notice_form(), &key(Region::Qinzhou.bureau(), 9))
            .unwrap()
            .qr_content();
        assert!(version(&slip) <= 17, "slip: {} chars", slip.len());
        assert!(version(&notice) <= 20, "notice: {} chars", notice.len());
        // The longest a form can be: a 20-character unit name, a 4-character name, UUIDs,
        // the longest bureau prefix.
        let mut long = notice_form();
        long.unit_name = domain::Name::parse(&"单".repeat(20)).unwrap();
        long.person.as_mut().unwrap().name = domain::Name::parse("欧阳慧敏").unwrap();
        long.number = domain::DocumentNumber::parse("张家川编入〔2026〕0001号").unwrap();
        long.unit = domain::UnitId::parse("3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f").unwrap();
        long.bureau = Region::Zhangjiachuan.bureau();
        let worst = SignedDocument::sign(long, &key(Region::Zhangjiachuan.bureau(), 3))
            .unwrap()
            .qr_content();
        assert!(version(&worst) <= 22, "worst: {} chars", worst.len());
    }
}
