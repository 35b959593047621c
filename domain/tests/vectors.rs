//! The wire and storage formats, pinned by files: the canonical-form test vectors in
//! `tests/vectors/` (so any other implementation of the envelope's canonical bytes can be checked
//! against the same files) and the golden JSON of `tests/golden/` — the serde form of the
//! certificate, its people, the slip and the application payloads, which SQLite, IndexedDB and
//! the HTTP API keep and carry. A renamed or retyped field fails here instead of silently
//! breaking the records browsers and databases already hold. `UPDATE_GOLDEN=1` rewrites the
//! golden files after a deliberate format change (which then needs a migration of stored data).

use std::fs;
use std::path::PathBuf;

use domain::canonical::{base64url, canonicalize_json, hex, sha256};
use domain::payload::{OffboardingRequest, OnboardingRequest, RecordChangeRequest};
use domain::slip::QuotaUseSlip;
use domain::{
    Action, ApplicationKind, ApplicationPayload, Certificate, SignedDecision, SignedEnvelope,
    UnitBook,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("vectors")
}

#[test]
fn every_vector_reproduces() {
    let mut seen = 0;
    for entry in fs::read_dir(vectors_dir()).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(name) = file.strip_suffix(".input.json") else {
            continue;
        };
        let input = fs::read(&path).unwrap();
        let expected = fs::read(vectors_dir().join(format!("{name}.canonical.json"))).unwrap();
        let expected_hash =
            fs::read_to_string(vectors_dir().join(format!("{name}.sha256"))).unwrap();
        let canonical = canonicalize_json(&input).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&canonical),
            String::from_utf8_lossy(&expected),
            "{name}: canonical bytes"
        );
        assert_eq!(
            hex(&sha256(&canonical)),
            expected_hash.trim(),
            "{name}: sha-256"
        );
        // Canonicalising canonical bytes changes nothing.
        assert_eq!(
            canonicalize_json(&expected).unwrap(),
            expected,
            "{name}: fixed point"
        );
        seen += 1;
    }
    assert!(seen >= 4, "only {seen} vectors found");
}

#[test]
fn envelope_vector_verifies_as_signed_bytes() {
    let bytes = fs::read(vectors_dir().join("envelope-quota-use.canonical.json")).unwrap();
    let hash = fs::read_to_string(vectors_dir().join("envelope-quota-use.sha256")).unwrap();
    let (envelope, challenge) = SignedEnvelope::from_signed_bytes(&bytes).unwrap();
    assert_eq!(hex(&challenge), hash.trim());
    assert_eq!(envelope.kind, ApplicationKind::QuotaUse);
    assert_eq!(envelope.sequence, 42);
    assert_eq!(envelope.challenge().unwrap(), challenge);
    assert_eq!(envelope.challenge_b64url().unwrap(), base64url(&challenge));
    assert_eq!(envelope.canonical_bytes().unwrap(), bytes);
    let ApplicationPayload::QuotaUse(request) = envelope.decode_payload().unwrap() else {
        panic!("wrong payload kind");
    };
    assert_eq!(request.count.get(), 2);
    assert_eq!(
        request.request_document.unwrap().as_str(),
        "秦州区卫健局发〔2026〕12号"
    );

    // The pretty input carries the same envelope but is refused as signed bytes.
    let input = fs::read(vectors_dir().join("envelope-quota-use.input.json")).unwrap();
    assert!(SignedEnvelope::from_signed_bytes(&input).is_err());
}

#[test]
fn decision_vector_verifies_as_signed_bytes() {
    let bytes = fs::read(vectors_dir().join("decision-approve.canonical.json")).unwrap();
    let hash = fs::read_to_string(vectors_dir().join("decision-approve.sha256")).unwrap();
    let (decision, challenge) = SignedDecision::from_signed_bytes(&bytes).unwrap();
    assert_eq!(hex(&challenge), hash.trim());
    assert_eq!(decision.action, Action::Approve);
    assert_eq!(decision.decider.as_str(), "reviewer-0003");
    assert_eq!(decision.note, "同意使用\"行政编制\"1名\n（经主管部门审核）");
    assert!(decision.check().is_ok());
    assert_eq!(decision.challenge().unwrap(), challenge);
    assert_eq!(decision.challenge_b64url().unwrap(), base64url(&challenge));
    assert_eq!(decision.canonical_bytes().unwrap(), bytes);

    // Neither the pretty input nor the decision read as an application envelope are accepted.
    let input = fs::read(vectors_dir().join("decision-approve.input.json")).unwrap();
    assert!(SignedDecision::from_signed_bytes(&input).is_err());
    assert!(SignedEnvelope::from_signed_bytes(&bytes).is_err());
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
}

/// Reads `name` as a `T` (the validating serde form) and writes it back: the bytes must be the
/// file's. With `UPDATE_GOLDEN` set, rewrites the file instead.
fn golden<T: Serialize + DeserializeOwned>(name: &str) -> T {
    let path = golden_dir().join(name);
    let text = fs::read_to_string(&path).unwrap();
    let value: T = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{name} no longer reads as its type: {e}"));
    let written = serde_json::to_string_pretty(&value).unwrap();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::write(&path, format!("{written}\n")).unwrap();
    } else {
        assert_eq!(
            written,
            text.trim_end(),
            "{name}: the serde form changed; stored records would no longer read the same"
        );
    }
    value
}

#[test]
fn golden_files_are_each_checked() {
    let mut found: Vec<String> = fs::read_dir(golden_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "certificate.json",
            "payload-offboarding.json",
            "payload-onboarding.json",
            "payload-record-change-unit.json",
            "payload-record-change.json",
            "slip.json",
        ]
    );
}

#[test]
fn golden_certificate_reads_back_and_keeps_the_rules() {
    let certificate: Certificate = golden("certificate.json");
    assert_eq!(certificate.unit.id.as_str(), "620500-0002");
    assert!(!certificate.staff.is_empty() && !certificate.departed.is_empty());
    for person in &certificate.staff {
        person.check().unwrap();
    }
    // The ledger and the staff agree, as every stored certificate must.
    UnitBook::from_parts(
        certificate.unit.id.clone(),
        certificate.ledger.clone(),
        certificate.staff.clone(),
        certificate.departed.clone(),
        Vec::new(),
    )
    .unwrap();
}

#[test]
fn golden_slip_and_payloads_read_back() {
    let slip: QuotaUseSlip = golden("slip.json");
    assert_eq!(slip.remaining().get(), 2);
    let onboarding: OnboardingRequest = golden("payload-onboarding.json");
    ApplicationPayload::Onboarding(Box::new(onboarding))
        .check()
        .unwrap();
    let offboarding: OffboardingRequest = golden("payload-offboarding.json");
    assert_eq!(offboarding.id_number.as_str(), "11010519491231002X");
    let change: RecordChangeRequest = golden("payload-record-change.json");
    assert_eq!(change.changes.len(), 2);
    let unit_change: RecordChangeRequest = golden("payload-record-change-unit.json");
    assert!(unit_change.document.is_some());
}
