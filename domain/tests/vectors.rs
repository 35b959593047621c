//! Reproduces the canonical-form test vectors in `tests/vectors/`, so any other implementation
//! of the envelope's canonical bytes can be checked against the same files.

use std::fs;
use std::path::PathBuf;

use domain::canonical::{base64url, canonicalize_json, hex, sha256};
use domain::{Action, ApplicationKind, ApplicationPayload, SignedDecision, SignedEnvelope};

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
