//! Documents anyone can check (issue 13), over real HTTP with software security keys: a slip
//! issued through the workflow carries the city bureau's SM2 signature, which verifies with the
//! published keys — and with OpenSSL 3, an SM2 implementation other than the one that signed;
//! an altered byte of the document or of the signature, or a foreign key, is not genuine; an
//! anonymous check sees no personal data, a holder in scope sees the status; voiding is a
//! reviewer's signed decision and the document is void from then on, in the check and in the
//! pull; a slip used up is `used`; the audit head is signed, and an exported chain verifies with
//! `server verify-audit --file`, an altered entry named as the first broken link.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use documents::audit::{AuditExport, SignedAuditHead};
use documents::qr::{self, Failure, Verdict};
use documents::{DocumentSigningKey, PublishedKey, SignedDocument};
use domain::canonical::{base64url, base64url_decode};
use domain::payload::{ApplicationPayload, OnboardingRequest};
use domain::{Action, Bureau, DocumentNumber, EstablishmentCategory, Region};
use protocol::documents::{
    AUDIT_HEAD_PATH, AuditHead, DOCUMENT_CHECK_PATH, DOCUMENT_KEYS_PATH, DocumentCheck,
    DocumentKeys, IssuedSignature,
};
use protocol::identity::{DecisionVerdict, VerdictStatus};
use protocol::sync::{Change, PullResponse, SYNC_PULL_PATH};
use tests::filing::{new_person, set_vacancy};
use tests::keys::{ApiClient, KeyHolder};
use tests::scenario::{City, Review};
use tests::schema::{self, Pool};

fn accepted(verdict: &DecisionVerdict) {
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
}

/// A quota-use request for `count` posts, endorsed and approved: the slip's number.
async fn approved_slip(review: &mut Review, id: &str, count: u32) -> String {
    let (unit, category) = (review.unit.clone(), review.category);
    review
        .clerk
        .file_quota_use(id, &unit, category, count)
        .await;
    accepted(
        &review
            .supervisor
            .decide(&format!("{id}-e"), id, Action::Endorse, "同意上报")
            .await,
    );
    let approved = review
        .reviewer
        .decide(&format!("{id}-a"), id, Action::Approve, "同意")
        .await;
    accepted(&approved);
    approved.slip_number.expect("a slip")
}

/// The published keys, read anonymously, as the wire and as `documents` reads them.
async fn published(client: &ApiClient) -> (DocumentKeys, Vec<PublishedKey>) {
    let response = client.get(DOCUMENT_KEYS_PATH).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let wire: DocumentKeys = serde_json::from_str(&text).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let keys: Vec<PublishedKey> = serde_json::from_value(value["keys"].clone()).unwrap();
    (wire, keys)
}

/// A check of the document, by QR content or number, as `client` asks it.
async fn check(client: &ApiClient, by: &str, value: &str) -> (String, DocumentCheck) {
    let response = client
        .with_session(
            client
                .http
                .get(format!("{}{DOCUMENT_CHECK_PATH}", client.base))
                .query(&[(by, value)]),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let answer = serde_json::from_str(&text).unwrap();
    (text, answer)
}

/// Pulls from a snapshot until complete: the last state of every application, and the keys.
async fn pull_all(holder: &KeyHolder) -> (BTreeMap<String, Change>, Vec<String>) {
    let mut records = BTreeMap::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let query: Vec<(&str, &str)> = cursor.iter().map(|c| ("cursor", c.as_str())).collect();
        let response = holder
            .client
            .with_session(
                holder
                    .client
                    .http
                    .get(format!("{}{SYNC_PULL_PATH}", holder.client.base))
                    .query(&query),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let page: PullResponse = response.json().await.unwrap();
        let keys: Vec<String> = page
            .document_keys
            .iter()
            .map(|k| k.key_id.clone())
            .collect();
        for change in page.changes {
            if let Change::Application { application_id, .. } = &change {
                records.insert(application_id.clone(), change);
            }
        }
        cursor = Some(page.cursor);
        if page.complete {
            return (records, keys);
        }
    }
    panic!("the pull never completes");
}

fn document_of(records: &BTreeMap<String, Change>, application: &str) -> IssuedSignature {
    match records.get(application) {
        Some(Change::Application {
            document: Some(document),
            ..
        }) => document.clone(),
        other => panic!("no document on {application}: {other:?}"),
    }
}

/// The QR content with `part` (1: document, 3: signature) decoded, changed by `change`, and
/// encoded again.
fn altered(content: &str, part: usize, change: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut parts: Vec<String> = content.split('.').map(str::to_owned).collect();
    let mut bytes = base64url_decode(&parts[part]).unwrap();
    change(&mut bytes);
    parts[part] = base64url(&bytes);
    parts.join(".")
}

fn failure(content: &str, keys: &[PublishedKey]) -> Failure {
    match qr::verify(content, keys) {
        Verdict::NotGenuine { failure, .. } => failure,
        Verdict::Genuine { .. } => panic!("{content} verified"),
    }
}

/// OpenSSL 3 verifies `signature` (DER) over `message` with the PEM public key: `true` when it
/// says `Signature Verified Successfully`.
fn openssl_verifies(dir: &Path, pem: &str, message: &[u8], signature: &[u8]) -> bool {
    std::fs::write(dir.join("key.pem"), pem).unwrap();
    std::fs::write(dir.join("document.json"), message).unwrap();
    std::fs::write(dir.join("signature.der"), signature).unwrap();
    let out = Command::new("openssl")
        .current_dir(dir)
        .args([
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "key.pem",
            "-rawin",
            "-in",
            "document.json",
            "-sigfile",
            "signature.der",
            "-digest",
            "sm3",
            "-pkeyopt",
            "distid:1234567812345678",
        ])
        .output()
        .expect("openssl runs (`cargo xtask test` installs Debian's openssl)");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let verified = out.status.success() && said.contains("Signature Verified Successfully");
    assert!(
        verified || said.contains("Failure") || !out.status.success(),
        "openssl said {said:?} {:?}",
        String::from_utf8_lossy(&out.stderr)
    );
    verified
}

#[tokio::test]
async fn a_slip_is_signed_at_issuance_and_verifies_with_the_published_keys_and_openssl() {
    let city = City::start().await;
    let mut review = city.review().await;
    set_vacancy(&city.pool, &review.unit, review.category, 2).await;
    let slip = approved_slip(&mut review, "q-doc-1", 1).await;
    let anonymous = ApiClient::new(&city.server);

    // Every bureau's key is published, with its PEM.
    let (wire, keys) = published(&anonymous).await;
    assert_eq!(keys.len(), Region::ALL.len());
    for key in &wire.keys {
        assert!(key.pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{key:?}");
        assert_eq!(key.retired_at, None);
    }

    // The pull carries the slip's signature and status, and the keys.
    let (records, pulled_keys) = pull_all(&review.clerk).await;
    assert_eq!(pulled_keys.len(), keys.len());
    let document = document_of(&records, "q-doc-1");
    assert_eq!(document.number, slip);
    assert_eq!(document.status, "current");
    assert!(document.qr.starts_with("DZ1."));

    // Offline, from the QR content alone: genuine, the city's key, the particulars.
    let Verdict::Genuine {
        document: signed,
        key,
    } = qr::verify(&document.qr, &keys)
    else {
        panic!("the slip's QR content verifies");
    };
    assert_eq!(key.bureau, Bureau::CITY);
    assert_eq!(signed.form.number.as_str(), slip);
    assert_eq!(signed.form.unit, review.unit);
    assert_eq!(signed.form.count.map(|c| c.get()), Some(1));
    assert_eq!(signed.form.decision.as_str(), "q-doc-1-a");
    assert_eq!(signed.canonical, document.document);

    // An altered byte of the document, of the signature, a foreign key: not genuine.
    let count = altered(&document.qr, 1, |b| {
        let text = String::from_utf8(b.clone()).unwrap();
        *b = text.replace("\"count\":1", "\"count\":9").into_bytes();
    });
    assert_eq!(failure(&count, &keys), Failure::BadSignature);
    let flipped = altered(&document.qr, 1, |b| b[20] ^= 0x01);
    assert!(matches!(
        failure(&flipped, &keys),
        Failure::BadSignature | Failure::AlteredPayload
    ));
    let signature = altered(&document.qr, 3, |b| {
        let last = b.len() - 1;
        b[last] ^= 0x01;
    });
    assert_eq!(failure(&signature, &keys), Failure::BadSignature);
    let forger = DocumentSigningKey::from_secret(Bureau::CITY, &[0x42; 32]).unwrap();
    let forged = SignedDocument::sign(signed.form.clone(), &forger)
        .unwrap()
        .qr_content();
    assert!(matches!(
        failure(&forged, &keys),
        Failure::UnknownKey { .. }
    ));
    // A county's real key (read from the server's key files) signing a city document.
    let keyring = server::documents::keyring::Keyring::new(&city.server.config().data_dir);
    let county = keys
        .iter()
        .find(|k| k.bureau == Region::Qinzhou.bureau())
        .unwrap();
    let county = keyring.load(&county.key_id).unwrap();
    let misused = SignedDocument::sign(signed.form.clone(), &county)
        .unwrap()
        .qr_content();
    assert!(matches!(
        failure(&misused, &keys),
        Failure::ForeignKey { .. }
    ));

    // The server's check says the same, to anyone.
    let (_, genuine) = check(&anonymous, "content", &document.qr).await;
    assert!(genuine.genuine, "{genuine:?}");
    assert_eq!(genuine.number.as_deref(), Some(slip.as_str()));
    for (content, code) in [
        (&count, "bad_signature"),
        (&signature, "bad_signature"),
        (&forged, "unknown_key"),
        (&misused, "foreign_key"),
    ] {
        let (_, answer) = check(&anonymous, "content", content).await;
        assert!(!answer.genuine);
        assert_eq!(answer.code, code, "{answer:?}");
    }
    let truncated = &document.qr[..document.qr.len() - 30];
    let (_, answer) = check(&anonymous, "content", truncated).await;
    assert_eq!((answer.genuine, answer.code.as_str()), (false, "malformed"));
    let (_, answer) = check(&anonymous, "number", "天编用〔2026〕9999号").await;
    assert_eq!(
        (answer.genuine, answer.code.as_str()),
        (false, "document_unknown")
    );

    // The independent check: OpenSSL 3's SM2, from the published PEM.
    let pem = &wire
        .keys
        .iter()
        .find(|k| k.key_id == document.key_id)
        .unwrap()
        .pem;
    let der = base64url_decode(&document.signature).unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert!(
        openssl_verifies(dir.path(), pem, document.document.as_bytes(), &der),
        "OpenSSL verifies the bureau's signature"
    );
    let nine = document.document.replace("\"count\":1", "\"count\":9");
    assert!(!openssl_verifies(dir.path(), pem, nine.as_bytes(), &der));
    let county_pem = &wire
        .keys
        .iter()
        .find(|k| k.bureau == "qinzhou")
        .unwrap()
        .pem;
    assert!(!openssl_verifies(
        dir.path(),
        county_pem,
        document.document.as_bytes(),
        &der
    ));

    // Rotating the city's key: the old one stays published (retired) and its slip stays
    // genuine; the next slip is signed with the new key.
    let out = city
        .server
        .run_command(&["document-key", "rotate", "--bureau", "tianshui"])
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let (_, keys) = published(&anonymous).await;
    assert_eq!(keys.len(), Region::ALL.len() + 1);
    let old = keys.iter().find(|k| k.key_id.as_str() == document.key_id);
    assert!(old.is_some_and(|k| k.retired_at.is_some()), "{keys:?}");
    assert!(qr::verify(&document.qr, &keys).is_genuine());
    let (_, answer) = check(&anonymous, "content", &document.qr).await;
    assert!(answer.genuine, "{answer:?}");
    approved_slip(&mut review, "q-doc-1b", 1).await;
    let (records, _) = pull_all(&review.clerk).await;
    let next = document_of(&records, "q-doc-1b");
    assert_ne!(next.key_id, document.key_id);
    let Verdict::Genuine { key, .. } = qr::verify(&next.qr, &keys) else {
        panic!("the slip signed with the new key verifies");
    };
    assert_eq!((key.bureau, key.retired_at), (Bureau::CITY, None));
    assert!(audit_has(&city.pool, "document_key.rotate").await);
}

async fn audit_has(pool: &Pool, action: &str) -> bool {
    !schema::audit_details(pool, action).await.is_empty()
}

/// A person who holds no post, for `category`.
async fn newcomer(pool: &Pool, category: EstablishmentCategory) -> domain::person::Person {
    for sequence in 970..999 {
        let person = new_person("1997-06-05", sequence, category);
        if !schema::holds_post(pool, person.id_number.as_str()).await {
            return person;
        }
    }
    panic!("no free ID number");
}

#[tokio::test]
async fn anyone_learns_only_genuine_or_not_and_a_voided_notice_is_void() {
    let city = City::start().await;
    let pool = &city.pool;
    let mut review = city.review().await;
    let (unit, category) = (review.unit.clone(), review.category);
    set_vacancy(pool, &unit, category, 1).await;
    let slip = approved_slip(&mut review, "q-doc-2", 1).await;
    let person = newcomer(pool, category).await;
    let onboarding = ApplicationPayload::Onboarding(Box::new(OnboardingRequest {
        slip_number: DocumentNumber::parse(&slip).unwrap(),
        person: person.clone(),
        hr_document: None,
    }));
    let verdict = review.clerk.file("on-doc-2", &unit, &onboarding).await;
    assert_eq!(verdict.status, VerdictStatus::Accepted, "{verdict:?}");
    let approved = review
        .reviewer
        .decide("on-doc-2-a", "on-doc-2", Action::Approve, "同意")
        .await;
    accepted(&approved);
    let notice = approved.notice_number.expect("a notice");

    // Anyone: genuine, the number, nothing personal.
    let anonymous = ApiClient::new(&city.server);
    let (text, answer) = check(&anonymous, "number", &notice).await;
    assert!(answer.genuine, "{answer:?}");
    assert_eq!(answer.detail, None);
    let id = person.id_number.as_str();
    for secret in [person.name.as_str(), id, &id[6..14], &id[14..]] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // Neither a content nor a number: a bad request.
    let (status, code) = tests::keys::error_code(anonymous.get(DOCUMENT_CHECK_PATH).await).await;
    assert_eq!((status, code.as_str()), (400, "bad_request"));
    // A holder of another unit: the same.
    let other = schema::first_unit_except(pool, &unit).await;
    let stranger = city.clerk("stranger", &other).await;
    let (text, answer) = check(&stranger.client, "number", &notice).await;
    assert!(answer.genuine && answer.detail.is_none(), "{text}");
    assert!(!text.contains(person.name.as_str()));

    // The unit's clerk: the status and the signed notice (masked 身份证号).
    let (_, answer) = check(&review.clerk.client, "number", &notice).await;
    let detail = answer.detail.expect("the unit sees the status");
    assert_eq!(detail.signed.status, "current");
    assert!(
        detail
            .signed
            .document
            .contains(&documents::form::mask_v1(&person.id_number))
    );
    assert!(!detail.signed.document.contains(id));
    // The slip the onboarding used up is `used`, with the notice named.
    let (_, answer) = check(&review.reviewer.client, "number", &slip).await;
    let detail = answer.detail.expect("the reviewer sees the status");
    assert_eq!(detail.signed.status, "used");
    assert!(
        detail
            .events
            .iter()
            .any(|e| e.what == "used" && e.number.as_deref() == Some(notice.as_str())),
        "{:?}",
        detail.events
    );

    // Voiding: a reviewer's signed decision with a reason; a supervisor may not.
    let refused = review
        .supervisor
        .decide("void-1", "on-doc-2", Action::Void, "出具有误")
        .await;
    assert_eq!(refused.code.as_deref(), Some("out_of_scope"), "{refused:?}");
    let voided = review
        .reviewer
        .decide("void-2", "on-doc-2", Action::Void, "出具有误")
        .await;
    accepted(&voided);
    assert_eq!(voided.application_status.as_deref(), Some("approved"));
    let again = review
        .reviewer
        .decide("void-3", "on-doc-2", Action::Void, "再次作废")
        .await;
    assert_eq!(
        again.code.as_deref(),
        Some("document_already_void"),
        "{again:?}"
    );
    let details = schema::audit_details(pool, "decision.accept").await;
    assert!(
        details
            .iter()
            .any(|d| d["action"] == "void" && d["voided"] == notice.as_str()),
        "{details:?}"
    );

    // Void, to anyone; the reason and who, to the unit; in the pull too.
    let (_, answer) = check(&anonymous, "number", &notice).await;
    assert_eq!(
        (answer.genuine, answer.code.as_str()),
        (false, "document_void")
    );
    assert_eq!(answer.detail, None);
    let (records, _) = pull_all(&review.clerk).await;
    let pulled = document_of(&records, "on-doc-2");
    assert_eq!(pulled.status, "void");
    assert_eq!(pulled.void_reason.as_deref(), Some("出具有误"));
    let (_, answer) = check(&review.clerk.client, "content", &pulled.qr).await;
    assert_eq!(answer.code, "document_void");
    let detail = answer.detail.expect("the unit sees what happened");
    assert_eq!(detail.signed.status, "void");
    assert!(
        detail
            .events
            .iter()
            .any(|e| e.what == "void" && e.note.as_deref() == Some("出具有误") && e.by.is_some()),
        "{:?}",
        detail.events
    );
    // Its QR content is still a genuine signature offline: the status is the server's to say.
    let (_, keys) = published(&anonymous).await;
    assert!(qr::verify(&pulled.qr, &keys).is_genuine());
}

#[tokio::test]
async fn a_voided_slip_releases_its_posts_and_one_past_its_validity_is_lapsed() {
    let city = City::start().await;
    let pool = &city.pool;
    let mut review = city.review().await;
    let (unit, category) = (review.unit.clone(), review.category);
    set_vacancy(pool, &unit, category, 3).await;
    let lapsing = approved_slip(&mut review, "q-doc-3l", 1).await;
    let slip = approved_slip(&mut review, "q-doc-3", 2).await;
    assert_eq!(
        tests::filing::figures(pool, &unit, category)
            .await
            .vacant()
            .get(),
        0
    );
    accepted(
        &review
            .reviewer
            .decide("void-q", "q-doc-3", Action::Void, "用编计划取消")
            .await,
    );
    assert_eq!(
        tests::filing::figures(pool, &unit, category)
            .await
            .vacant()
            .get(),
        2
    );
    let (_, answer) = check(&review.clerk.client, "number", &slip).await;
    assert_eq!(answer.detail.expect("in scope").signed.status, "void");

    // Ninety-two days on, the other slip (valid 90 days, unused) has lapsed: in the pull and
    // the check; still genuine (a lapsed slip is no forgery), and void stays void.
    city.server.clock().advance_days(92);
    let (records, _) = pull_all(&review.clerk).await;
    assert_eq!(document_of(&records, "q-doc-3l").status, "lapsed");
    assert_eq!(document_of(&records, "q-doc-3").status, "void");
    let (_, answer) = check(&review.clerk.client, "number", &lapsing).await;
    assert!(answer.genuine);
    let detail = answer.detail.expect("in scope");
    assert_eq!(detail.signed.status, "lapsed");
    assert!(
        detail.events.iter().any(|e| e.what == "lapsed"),
        "{detail:?}"
    );
}

#[tokio::test]
async fn the_audit_head_is_signed_and_an_exported_chain_verifies_until_an_entry_is_altered() {
    let city = City::start().await;
    let mut review = city.review().await;
    approved_slip(&mut review, "q-doc-4", 1).await;
    let anonymous = ApiClient::new(&city.server);
    let (_, keys) = published(&anonymous).await;

    // The head, signed by the city bureau.
    let response = anonymous.get(AUDIT_HEAD_PATH).await;
    assert_eq!(response.status(), 200);
    let head_text = response.text().await.unwrap();
    let wire: AuditHead = serde_json::from_str(&head_text).unwrap();
    assert!(wire.seq > 0);
    let head: SignedAuditHead = serde_json::from_str(&head_text).unwrap();
    assert_eq!(head.verify(&keys), Ok(()));
    let mut forged = head.clone();
    forged.seq += 1;
    assert_eq!(forged.verify(&keys), Err(Failure::BadSignature));

    // Exported, and verified by the command line against its own head and the fetched one.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("audit.json");
    let file = file.to_str().unwrap();
    let keys_file = dir.path().join("keys.json");
    std::fs::write(
        &keys_file,
        anonymous
            .get(DOCUMENT_KEYS_PATH)
            .await
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let head_file = dir.path().join("head.json");
    std::fs::write(&head_file, &head_text).unwrap();
    let server = &city.server;
    let out = server.run_command(&["export-audit", file]).unwrap();
    assert!(out.status.success(), "{out:?}");
    let export: AuditExport =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert!(export.entries.len() as i64 >= head.seq);
    // Ids, codes and hashes: nothing personal (no 身份证号 anywhere).
    let text = std::fs::read_to_string(file).unwrap();
    assert!(!text.contains("身份证"), "an export with personal data");
    let verify = |extra: &[&str]| {
        let mut args = vec!["verify-audit", "--file", file];
        args.extend_from_slice(extra);
        server.run_command(&args).unwrap()
    };
    let out = verify(&[]);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("intact"));
    let keys_arg = keys_file.to_str().unwrap();
    let head_arg = head_file.to_str().unwrap();
    let out = verify(&["--keys", keys_arg, "--head", head_arg]);
    assert!(out.status.success(), "{out:?}");

    // One entry altered: the first broken link is named, by the command and the crate.
    let mut altered = export.clone();
    let k = altered.entries.len() / 2;
    altered.entries[k].target.push('x');
    std::fs::write(file, serde_json::to_string(&altered).unwrap()).unwrap();
    let out = verify(&["--keys", keys_arg]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(&format!("broken at entry {}", k + 1)) && said.contains("content"),
        "{said}"
    );
    let report = documents::audit::verify_export(&altered, None, &keys);
    assert_eq!(
        serde_json::to_value(&report).unwrap()["seq"],
        serde_json::json!(k as i64 + 1)
    );
    // A head signed by someone else: not genuine.
    let forger = DocumentSigningKey::from_secret(Bureau::CITY, &[0x42; 32]).unwrap();
    let foreign = export.head.head().sign(&forger);
    std::fs::write(file, serde_json::to_string(&export).unwrap()).unwrap();
    std::fs::write(&head_file, serde_json::to_string(&foreign).unwrap()).unwrap();
    let out = verify(&["--head", head_arg]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("not genuine"));
}

#[tokio::test]
async fn a_document_issued_before_signing_is_signed_at_start() {
    let mut city = City::start().await;
    let mut review = city.review().await;
    let slip = approved_slip(&mut review, "q-doc-5", 1).await;
    schema::forget_signature(&city.pool, &slip).await;
    let (_, answer) = check(&review.reviewer.client, "number", &slip).await;
    assert!(answer.genuine, "found by number, unsigned");
    assert_eq!(answer.detail, None, "no signature to show");

    city.server.stop().await.unwrap();
    city.server.start_again().await.unwrap();
    review.reviewer.client = ApiClient::new(&city.server);
    review.reviewer.sign_in().await;
    let (_, answer) = check(&review.reviewer.client, "number", &slip).await;
    let signed = answer.detail.expect("signed at start").signed;
    let (_, keys) = published(&ApiClient::new(&city.server)).await;
    let Verdict::Genuine { document, .. } = qr::verify(&signed.qr, &keys) else {
        panic!("the late signature verifies");
    };
    assert_eq!(document.form.decision.as_str(), "q-doc-5-a");
    assert_eq!(
        schema::audit_details(&city.pool, "document.sign_late")
            .await
            .len(),
        1
    );
}
