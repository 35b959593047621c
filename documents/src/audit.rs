//! The audit chain anyone can verify: its entries as exported (ids, codes and hashes, never
//! personal data), the head the server signs with the city bureau's SM2 key, and the check of
//! an export against a signed head that names the first broken entry.
//!
//! - **Entry hash**: `SHA-256` (lower-case hex) of the RFC 8785 canonical JSON of
//!   `{seq, at, actor, credential, action, target, detail, prev_hash}` where `detail` is the
//!   JSON value (stored and exported as its canonical text); the first entry's `prev_hash` is
//!   [`GENESIS`]. The server computes it with [`entry_hash`] too.
//! - **Signed head**: the canonical JSON of
//!   `{"at":…,"hash":…,"seq":…,"tag":"dzbzglz.audit-head"}` signed like a document (SM2 with
//!   SM3, signer ID `1234567812345678`, DER), by a published key of the city bureau.
//! - **Export file**: [`AuditExport`], JSON `{"format":"dzbzglz.audit-export","version":1,
//!   "head":{…signed head…},"entries":[…]}`.

use domain::canonical::{base64url, canonicalize, hex, sha256};
use domain::{Bureau, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::key::{DocumentSigningKey, KeyId, PublishedKey, SignatureError, strict_b64url};
use crate::qr::{Failure, Part};

/// `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The tag of a signed audit head.
pub const HEAD_TAG: &str = "dzbzglz.audit-head";
/// The `format` of an export file.
pub const EXPORT_FORMAT: &str = "dzbzglz.audit-export";
/// Its version.
pub const EXPORT_VERSION: u32 = 1;

/// One entry of the audit chain as kept and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// The key holder who acted (an id), if any.
    pub actor: Option<String>,
    /// The credential (an id), if any.
    pub credential: Option<String>,
    /// What happened, a code (`decision.accept`, `document.void`, …).
    pub action: String,
    /// What it happened to: `kind:id`.
    pub target: String,
    /// Ids and codes: canonical JSON text.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Why an entry's hash cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the entry cannot be read: {0}")]
pub struct Unreadable(String);

/// The hash an entry must carry.
pub fn entry_hash(entry: &AuditEntry) -> Result<String, Unreadable> {
    let detail: Value =
        serde_json::from_str(&entry.detail).map_err(|e| Unreadable(e.to_string()))?;
    let value = json!({
        "seq": entry.seq,
        "at": entry.at,
        "actor": entry.actor,
        "credential": entry.credential,
        "action": entry.action,
        "target": entry.target,
        "detail": detail,
        "prev_hash": entry.prev_hash,
    });
    let bytes = canonicalize(&value).map_err(|e| Unreadable(e.to_string()))?;
    Ok(hex(&sha256(&bytes)))
}

/// Why an entry breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum BrokenLink {
    /// The entry with this sequence number is missing (`next`: the one found instead, if any).
    Missing { next: Option<i64> },
    /// Its `prev_hash` is not the hash of the entry before it.
    PreviousHash,
    /// Its content does not match its hash (altered).
    Content,
    /// It cannot be read (its detail is not JSON).
    Unreadable,
    /// It is the signed head's entry, and its hash is not the signed hash.
    HeadMismatch,
}

impl BrokenLink {
    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            BrokenLink::Missing { next: Some(n) } => format!("该条记录缺失（其后为第{n}条）"),
            BrokenLink::Missing { next: None } => {
                "该条记录缺失（导出内容在签名链头之前结束）".into()
            }
            BrokenLink::PreviousHash => "该条记录的前一哈希与前一条记录不符".into(),
            BrokenLink::Content => "该条记录的内容与其哈希不符（已被改动）".into(),
            BrokenLink::Unreadable => "该条记录无法读取".into(),
            BrokenLink::HeadMismatch => "该条记录的哈希与签名的链头不符".into(),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        match self {
            BrokenLink::Missing { next: Some(n) } => format!("the entry is missing (next is {n})"),
            BrokenLink::Missing { next: None } => {
                "the entry is missing (the export ends before the signed head)".into()
            }
            BrokenLink::PreviousHash => {
                "its previous-hash does not match the entry before it".into()
            }
            BrokenLink::Content => "its content does not match its hash (altered)".into(),
            BrokenLink::Unreadable => "it cannot be read".into(),
            BrokenLink::HeadMismatch => "its hash is not the signed head's hash".into(),
        }
    }
}

/// The first entry that breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenEntry {
    pub seq: i64,
    pub reason: BrokenLink,
}

/// Walks `entries` from the first; answers how many there are and the last hash ([`GENESIS`]
/// for none), or the first broken entry.
pub fn verify_chain(entries: &[AuditEntry]) -> Result<(u64, String), BrokenEntry> {
    let mut expected_prev = GENESIS.to_owned();
    for (expected_seq, entry) in (1_i64..).zip(entries) {
        let broken = |reason| BrokenEntry {
            seq: expected_seq,
            reason,
        };
        if entry.seq != expected_seq {
            return Err(broken(BrokenLink::Missing {
                next: Some(entry.seq),
            }));
        }
        if entry.prev_hash != expected_prev {
            return Err(broken(BrokenLink::PreviousHash));
        }
        match entry_hash(entry) {
            Ok(hash) if hash == entry.hash => {}
            Ok(_) => return Err(broken(BrokenLink::Content)),
            Err(_) => return Err(broken(BrokenLink::Unreadable)),
        }
        expected_prev.clone_from(&entry.hash);
    }
    Ok((entries.len() as u64, expected_prev))
}

/// The head of the chain: the last entry's sequence number and hash, at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
    pub at: Timestamp,
}

impl AuditHead {
    /// The bytes signed: canonical JSON with [`HEAD_TAG`].
    pub fn signed_bytes(&self) -> Vec<u8> {
        let value = json!({"at": self.at, "hash": self.hash, "seq": self.seq, "tag": HEAD_TAG});
        // Strings and a small integer: always canonical.
        canonicalize(&value).unwrap_or_default()
    }

    /// Signs it with the city bureau's `key`.
    pub fn sign(self, key: &DocumentSigningKey) -> SignedAuditHead {
        let signature = base64url(&key.sign(&self.signed_bytes()));
        SignedAuditHead {
            seq: self.seq,
            hash: self.hash,
            at: self.at,
            key_id: key.id().clone(),
            signature,
        }
    }
}

/// A signed head, as `GET /api/audit/head` answers and an export carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedAuditHead {
    pub seq: i64,
    pub hash: String,
    pub at: Timestamp,
    /// The city bureau's key that signed.
    pub key_id: KeyId,
    /// DER SM2 signature over [`AuditHead::signed_bytes`], base64url.
    pub signature: String,
}

impl SignedAuditHead {
    /// The head it signs.
    pub fn head(&self) -> AuditHead {
        AuditHead {
            seq: self.seq,
            hash: self.hash.clone(),
            at: self.at,
        }
    }

    /// Checks its signature: a published key of the city bureau, in force at `at`.
    pub fn verify(&self, keys: &[PublishedKey]) -> Result<(), Failure> {
        let key_id = self.key_id.to_string();
        let Some(key) = keys.iter().find(|k| k.key_id == self.key_id) else {
            return Err(Failure::UnknownKey { key_id });
        };
        if key.bureau != Bureau::CITY {
            return Err(Failure::ForeignKey { key_id });
        }
        if !key.covers(self.at.date_in_china()) {
            return Err(Failure::KeyRetired { key_id });
        }
        let der = strict_b64url(&self.signature).ok_or(Failure::Malformed {
            part: Part::Signature,
        })?;
        key.verify(&self.head().signed_bytes(), &der)
            .map_err(|e| match e {
                SignatureError::Malformed => Failure::Malformed {
                    part: Part::Signature,
                },
                SignatureError::Invalid => Failure::BadSignature,
            })
    }
}

/// An exported audit chain with the head signed when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditExport {
    /// Always [`EXPORT_FORMAT`].
    pub format: String,
    /// Always [`EXPORT_VERSION`].
    pub version: u32,
    pub head: SignedAuditHead,
    pub entries: Vec<AuditEntry>,
}

impl AuditExport {
    /// An export of `entries` with `head`.
    pub fn new(head: SignedAuditHead, entries: Vec<AuditEntry>) -> AuditExport {
        AuditExport {
            format: EXPORT_FORMAT.to_owned(),
            version: EXPORT_VERSION,
            head,
            entries,
        }
    }
}

/// The outcome of checking an export against a signed head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum AuditReport {
    /// Every link holds, the head's signature verifies and the head is in the chain.
    Intact {
        entries: u64,
        head_seq: i64,
        head_hash: String,
    },
    /// The head's signature is not genuine.
    HeadNotGenuine { failure: Failure },
    /// The first entry that breaks the chain.
    Broken(BrokenEntry),
    /// Not an export of this format and version.
    UnknownFormat,
}

impl AuditReport {
    /// Whether the export verified.
    pub fn is_intact(&self) -> bool {
        matches!(self, AuditReport::Intact { .. })
    }
}

/// Checks `export` against `head` (its own head when `None`), with the published `keys`:
/// the head's signature, every link up to the end of the export, and that the head's entry is
/// there with the signed hash.
pub fn verify_export(
    export: &AuditExport,
    head: Option<&SignedAuditHead>,
    keys: &[PublishedKey],
) -> AuditReport {
    if export.format != EXPORT_FORMAT || export.version != EXPORT_VERSION {
        return AuditReport::UnknownFormat;
    }
    let head = head.unwrap_or(&export.head);
    if let Err(failure) = head.verify(keys) {
        return AuditReport::HeadNotGenuine { failure };
    }
    let (entries, _) = match verify_chain(&export.entries) {
        Ok(done) => done,
        Err(broken) => return AuditReport::Broken(broken),
    };
    let at_head = if head.seq == 0 {
        Some(GENESIS)
    } else {
        usize::try_from(head.seq - 1)
            .ok()
            .and_then(|i| export.entries.get(i))
            .map(|e| e.hash.as_str())
    };
    match at_head {
        None => AuditReport::Broken(BrokenEntry {
            seq: i64::try_from(entries).unwrap_or(i64::MAX) + 1,
            reason: BrokenLink::Missing { next: None },
        }),
        Some(hash) if hash != head.hash => AuditReport::Broken(BrokenEntry {
            seq: head.seq,
            reason: BrokenLink::HeadMismatch,
        }),
        Some(_) => AuditReport::Intact {
            entries,
            head_seq: head.seq,
            head_hash: head.hash.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::tests::{at, key};
    use domain::Region;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at: format!("2026-05-01T08:00:{:02}Z", seq % 60),
                    actor: Some("reviewer-1".into()),
                    credential: None,
                    action: "decision.accept".into(),
                    target: format!("application:app-{seq}"),
                    detail: format!("{{\"n\":{seq},\"to\":\"approved\"}}"),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = entry_hash(&e).unwrap();
                prev.clone_from(&e.hash);
                e
            })
            .collect()
    }

    fn keys() -> Vec<PublishedKey> {
        vec![
            key(Bureau::CITY, 7).publish(at("2026-01-01T00:00:00Z")),
            key(Region::Gangu.bureau(), 5).publish(at("2026-01-01T00:00:00Z")),
        ]
    }

    fn export(n: i64) -> AuditExport {
        let entries = chain(n);
        let head = AuditHead {
            seq: n,
            hash: entries
                .last()
                .map_or(GENESIS.to_owned(), |e| e.hash.clone()),
            at: at("2026-05-02T00:00:00Z"),
        }
        .sign(&key(Bureau::CITY, 7));
        AuditExport::new(head, entries)
    }

    #[test]
    fn an_intact_export() {
        let e = export(6);
        assert_eq!(
            verify_export(&e, None, &keys()),
            AuditReport::Intact {
                entries: 6,
                head_seq: 6,
                head_hash: e.entries[5].hash.clone()
            }
        );
        assert!(verify_export(&export(0), None, &keys()).is_intact());
        // An export longer than an older head: still intact up to it.
        let older = AuditHead {
            seq: 3,
            hash: e.entries[2].hash.clone(),
            at: at("2026-05-01T09:00:00Z"),
        }
        .sign(&key(Bureau::CITY, 7));
        assert!(verify_export(&e, Some(&older), &keys()).is_intact());
        // The file's JSON round-trips.
        let text = serde_json::to_string(&e).unwrap();
        assert!(text.starts_with("{\"format\":\"dzbzglz.audit-export\""));
        assert_eq!(serde_json::from_str::<AuditExport>(&text).unwrap(), e);
    }

    #[test]
    fn an_altered_entry_is_named() {
        let mut e = export(6);
        e.entries[3].target = "application:other".into();
        assert_eq!(
            verify_export(&e, None, &keys()),
            AuditReport::Broken(BrokenEntry {
                seq: 4,
                reason: BrokenLink::Content
            })
        );
        // Rehashed: the next link breaks.
        e.entries[3].hash = entry_hash(&e.entries[3]).unwrap();
        assert_eq!(
            verify_export(&e, None, &keys()),
            AuditReport::Broken(BrokenEntry {
                seq: 5,
                reason: BrokenLink::PreviousHash
            })
        );
        // Every entry rehashed after it: the signed head does not match.
        let mut e = export(6);
        e.entries[3].detail = "{\"n\":99}".into();
        for i in 3..6 {
            if i > 3 {
                e.entries[i].prev_hash = e.entries[i - 1].hash.clone();
            }
            e.entries[i].hash = entry_hash(&e.entries[i]).unwrap();
        }
        assert_eq!(
            verify_export(&e, None, &keys()),
            AuditReport::Broken(BrokenEntry {
                seq: 6,
                reason: BrokenLink::HeadMismatch
            })
        );
        let mut e = export(6);
        e.entries[1].detail = "not json".into();
        assert_eq!(
            verify_export(&e, None, &keys()),
            AuditReport::Broken(BrokenEntry {
                seq: 2,
                reason: BrokenLink::Unreadable
            })
        );
    }

    #[test]
    fn missing_entries_are_named() {
        let mut e = export(6);
        e.entries.remove(2);
        assert_eq!(
            verify_export(&e, None, &keys()),
            AuditReport::Broken(BrokenEntry {
                seq: 3,
                reason: BrokenLink::Missing { next: Some(4) }
            })
        );
        let mut e = export(6);
        e.entries.truncate(4);
        assert_eq!(
            verify_export(&e, None, &keys()),
            AuditReport::Broken(BrokenEntry {
                seq: 5,
                reason: BrokenLink::Missing { next: None }
            })
        );
        for r in [
            BrokenLink::Missing { next: Some(1) },
            BrokenLink::Missing { next: None },
            BrokenLink::PreviousHash,
            BrokenLink::Content,
            BrokenLink::Unreadable,
            BrokenLink::HeadMismatch,
        ] {
            assert!(!r.message_zh().is_empty() && !r.message_en().is_empty());
        }
    }

    #[test]
    fn the_head_must_be_signed_by_the_city() {
        let mut e = export(3);
        e.head.seq = 2;
        assert_eq!(
            verify_export(&e, None, &keys()),
            AuditReport::HeadNotGenuine {
                failure: Failure::BadSignature
            }
        );
        let county = key(Region::Gangu.bureau(), 5);
        let e = export(3);
        let by_county = e.head.head().sign(&county);
        assert_eq!(
            verify_export(&e, Some(&by_county), &keys()),
            AuditReport::HeadNotGenuine {
                failure: Failure::ForeignKey {
                    key_id: county.id().to_string()
                }
            }
        );
        let forger = key(Bureau::CITY, 99);
        let forged = e.head.head().sign(&forger);
        assert!(matches!(
            verify_export(&e, Some(&forged), &keys()),
            AuditReport::HeadNotGenuine {
                failure: Failure::UnknownKey { .. }
            }
        ));
        let mut e = export(1);
        e.format = "other".into();
        assert_eq!(verify_export(&e, None, &keys()), AuditReport::UnknownFormat);
    }
}
