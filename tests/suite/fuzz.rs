//! Hostile input (issue 15): the parsers of signed documents — application envelopes,
//! decisions, bureau acts — and the canonical-form check, fed raw bytes and mutated valid
//! documents (proptest, a fixed seed); then the same kind of inputs POSTed to the real server,
//! signed by real keys and as whole request bodies: no panic, no 5xx.
//!
//! `cargo xtask test` runs a fixed number of cases (a few seconds); `cargo xtask fuzz
//! [--seconds N] [--seed S]` runs the same for as long as asked, through
//! `STAFFING_FUZZ_SECONDS` and `STAFFING_FUZZ_SEED`. Nightly's cargo-fuzz is not used: the
//! stable toolchain is the only one `cargo xtask` installs (see docs/DESIGN.md, hostile input).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use domain::act::{ActPayload, EstablishmentChange, SignedAct};
use domain::canonical::{canonicalize, canonicalize_json, sha256};
use domain::decision::SignedDecision;
use domain::envelope::{EnvelopeHeader, SignedEnvelope};
use domain::ids::{ApplicationId, ClientId, CredentialId, DecisionId};
use domain::payload::{ApplicationPayload, OnboardingRequest, QuotaUseRequest};
use domain::person::EntryForm;
use domain::{
    Action, Date, DecisionHeader, DocumentNumber, EstablishmentCategory, FundingForm, Headcount,
    HeadcountDelta, LedgerRow, Timestamp, UnitId, UserId,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use protocol::admin::ActRequest;
use protocol::identity::{DecideRequest, SubmitRequest};
use serde_json::Value;
use tests::filing::{an_hour_ago, new_person};
use tests::keys::KeyHolder;
use tests::scenario::City;

/// The seed unless `STAFFING_FUZZ_SEED` names another.
const DEFAULT_SEED: u64 = 15;
/// Cases of the parsers alone, and cases against the server, in a bounded run.
const PARSER_CASES: u32 = 2_000;
const SERVER_CASES: usize = 48;

/// How long to run: a fixed number of cases, or `STAFFING_FUZZ_SECONDS` of each phase.
#[derive(Debug, Clone, Copy)]
enum Budget {
    Cases,
    Seconds(Duration),
}

fn budget() -> Budget {
    match std::env::var("STAFFING_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(seconds) => Budget::Seconds(Duration::from_secs(seconds.max(2) / 2)),
        None => Budget::Cases,
    }
}

fn seed() -> u64 {
    std::env::var("STAFFING_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_SEED)
}

/// A runner whose random choices follow `seed` (and `round`, for runs in several rounds).
fn runner(seed: u64, round: u64, cases: u32) -> TestRunner {
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let word = seed
            .wrapping_add(round.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .wrapping_mul(2 * i as u64 + 1);
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            max_shrink_iters: 2_000,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &bytes),
    )
}

// ---- inputs ----

/// One change to a valid document.
#[derive(Debug, Clone)]
enum Mutation {
    Flip {
        at: usize,
        bit: u8,
    },
    Insert {
        at: usize,
        byte: u8,
    },
    Delete {
        at: usize,
        len: usize,
    },
    Duplicate {
        at: usize,
        len: usize,
    },
    Truncate {
        at: usize,
    },
    /// A JSON value of the document replaced by another, the result canonical again: reaches
    /// the typed parsers behind the canonical-form check.
    Replace {
        node: usize,
        value: Value,
    },
}

/// Raw bytes, or a document of the corpus changed by a few mutations.
#[derive(Debug, Clone)]
enum Input {
    Raw(Vec<u8>),
    Mutated {
        base: usize,
        mutations: Vec<Mutation>,
    },
}

/// Bytes JSON's grammar gives meaning to, and some that break UTF-8.
const INTERESTING: &[u8] = b"{}[]\":,\\0123456789-+.eEntfu \x00\x7f\xc3\xe4\xf0\xff";

fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![any::<u8>(), proptest::sample::select(INTERESTING.to_vec())]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        (0u32..8).prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        proptest::sample::select(vec![
            "",
            "2026-02-30",
            "2026-13-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "620502199001011234",
            "62050219900101123X",
            "天机编发〔2026〕1号",
            "approve",
            "quota_use",
            "dzbzglz.envelope",
            "dzbzglz.decision",
            "dzbzglz.act",
            "administrative",
            "institution_full",
        ])
        .prop_map(Value::from),
        (1usize..5_000).prop_map(|n| Value::String("9".repeat(n))),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(any::<String>(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        1 => (any::<usize>(), byte()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        1 => (any::<usize>(), 1usize..16).prop_map(|(at, len)| Mutation::Delete { at, len }),
        1 => (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        1 => any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        3 => (any::<usize>(), json_value()).prop_map(|(node, value)| Mutation::Replace { node, value }),
    ]
}

fn input(corpus: usize) -> impl Strategy<Value = Input> {
    prop_oneof![
        1 => proptest::collection::vec(byte(), 0..512).prop_map(Input::Raw),
        4 => (0..corpus, proptest::collection::vec(mutation(), 1..4))
            .prop_map(|(base, mutations)| Input::Mutated { base, mutations }),
    ]
}

/// How many nodes `value` has (itself included).
fn node_count(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(node_count).sum(),
        Value::Object(map) => map.values().map(node_count).sum(),
        _ => 0,
    }
}

/// Replaces the `n`th node of `value`, depth first (the root is 0), by `new`.
fn replace_node(value: &mut Value, n: usize, new: Value) {
    if n == 0 {
        *value = new;
        return;
    }
    let mut n = n - 1;
    let children: Vec<&mut Value> = match value {
        Value::Array(items) => items.iter_mut().collect(),
        Value::Object(map) => map.values_mut().collect(),
        _ => return,
    };
    for child in children {
        let size = node_count(child);
        if n < size {
            return replace_node(child, n, new);
        }
        n -= size;
    }
}

fn replace(bytes: &[u8], node: usize, value: Value) -> Vec<u8> {
    let Ok(mut document) = serde_json::from_slice::<Value>(bytes) else {
        return bytes.to_vec();
    };
    let n = node % node_count(&document);
    replace_node(&mut document, n, value);
    canonicalize(&document).unwrap_or_else(|_| bytes.to_vec())
}

fn mutate(mut bytes: Vec<u8>, mutation: &Mutation) -> Vec<u8> {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    match *mutation {
        Mutation::Flip { at: i, bit } => {
            if !bytes.is_empty() {
                let i = i % bytes.len();
                bytes[i] ^= 1 << bit;
            }
        }
        Mutation::Insert { at: i, byte } => {
            let i = at(i, bytes.len());
            bytes.insert(i, byte);
        }
        Mutation::Delete { at: i, len } => {
            let i = at(i, bytes.len());
            let end = (i + len).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::Duplicate { at: i, len } => {
            let i = at(i, bytes.len());
            let end = (i + len).min(bytes.len());
            let copy = bytes[i..end].to_vec();
            bytes.splice(i..i, copy);
        }
        Mutation::Truncate { at: i } => {
            let i = at(i, bytes.len());
            bytes.truncate(i);
        }
        Mutation::Replace { node, ref value } => bytes = replace(&bytes, node, value.clone()),
    }
    bytes
}

fn materialize(input: &Input, corpus: &[Vec<u8>]) -> Vec<u8> {
    match input {
        Input::Raw(bytes) => bytes.clone(),
        Input::Mutated { base, mutations } => mutations.iter().fold(corpus[*base].clone(), mutate),
    }
}

// ---- the corpus ----

/// Who signs the documents of the corpus.
struct Signers<'a> {
    clerk: (&'a str, &'a str),
    reviewer: (&'a str, &'a str),
    admin: (&'a str, &'a str),
}

/// Which endpoint a document of the corpus goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Envelope,
    Decision,
    Act,
}

/// Valid documents of every kind: applications (quota use, onboarding), decisions (approve,
/// return, reject, withdraw) on `application`, an establishment change.
fn corpus(
    signers: &Signers<'_>,
    unit: &UnitId,
    category: EstablishmentCategory,
    application: &str,
) -> Vec<(Kind, Vec<u8>)> {
    let created_at = an_hour_ago();
    let envelope = |id: &str, payload: &ApplicationPayload| {
        let header = EnvelopeHeader {
            application_id: ApplicationId::parse(id).expect("an id"),
            client_id: ClientId::parse("client-fuzz").expect("an id"),
            sequence: 1,
            signer: UserId::parse(signers.clerk.0).expect("an id"),
            credential_id: CredentialId::parse(signers.clerk.1).expect("an id"),
            unit: unit.clone(),
            created_at,
        };
        let bytes = SignedEnvelope::new(header, payload)
            .expect("an envelope")
            .canonical_bytes()
            .expect("canonical");
        (Kind::Envelope, bytes)
    };
    let decision = |id: &str, (signer, credential): (&str, &str), action: Action, note: &str| {
        let header = DecisionHeader {
            decision_id: DecisionId::parse(id).expect("an id"),
            application_id: ApplicationId::parse(application).expect("an id"),
            decider: UserId::parse(signer).expect("an id"),
            credential_id: CredentialId::parse(credential).expect("an id"),
            created_at,
        };
        let bytes = SignedDecision::new(header, action, note)
            .expect("a decision")
            .canonical_bytes()
            .expect("canonical");
        (Kind::Decision, bytes)
    };
    let quota = ApplicationPayload::QuotaUse(QuotaUseRequest {
        category,
        funding_form: category.has_funding_form().then_some(FundingForm::Full),
        count: Headcount::new(1),
        recruitment: EntryForm::OpenRecruitment,
        reason: "业务量增加，申请使用空编".into(),
        request_document: None,
    });
    let onboarding = ApplicationPayload::Onboarding(Box::new(OnboardingRequest {
        slip_number: DocumentNumber::parse("天机编用〔2026〕1号").expect("a number"),
        person: new_person("1990-01-01", 11, category),
        hr_document: None,
    }));
    let act = SignedAct::new(
        DecisionId::parse("act-fuzz").expect("an id"),
        UserId::parse(signers.admin.0).expect("an id"),
        CredentialId::parse(signers.admin.1).expect("an id"),
        created_at,
        &ActPayload::EstablishmentChange(EstablishmentChange {
            unit: unit.clone(),
            row: LedgerRow {
                document: DocumentNumber::parse("天机编发〔2026〕90号").expect("a number"),
                date: Date::parse("2026-01-05").expect("a date"),
                title: "关于核增编制的批复".into(),
                changes: [(category, HeadcountDelta::new(1))].into(),
                note: None,
            },
            over_establishment: false,
        }),
    )
    .expect("an act")
    .canonical_bytes()
    .expect("canonical");
    vec![
        envelope("fuzz-quota", &quota),
        envelope("fuzz-onboarding", &onboarding),
        decision("fuzz-approve", signers.reviewer, Action::Approve, ""),
        decision(
            "fuzz-return",
            signers.reviewer,
            Action::Return,
            "请补充材料",
        ),
        decision(
            "fuzz-reject",
            signers.reviewer,
            Action::Reject,
            "不符合条件",
        ),
        decision("fuzz-withdraw", signers.clerk, Action::Withdraw, ""),
        (Kind::Act, act),
    ]
}

// ---- the parsers ----

/// Every parser of signed bytes on `bytes`: none panics, and what one accepts is canonical,
/// hashed as received and read back to exactly these bytes.
/// How many inputs each parser accepted: [canonical, envelope, decision, act, act payload].
static REACHED: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];

fn reached(i: usize) {
    REACHED[i].fetch_add(1, Ordering::Relaxed);
}

fn check_parsers(bytes: &[u8]) -> Result<(), TestCaseError> {
    let canonical = canonicalize_json(bytes);
    if let Ok(c) = &canonical {
        prop_assert_eq!(
            canonicalize_json(c).ok(),
            Some(c.clone()),
            "not a fixed point"
        );
    }
    let is_canonical = canonical.as_deref().ok() == Some(bytes);
    if is_canonical {
        reached(0);
    }
    if let Ok((envelope, hash)) = SignedEnvelope::from_signed_bytes(bytes) {
        reached(1);
        prop_assert!(is_canonical);
        prop_assert_eq!(hash, sha256(bytes));
        prop_assert_eq!(envelope.canonical_bytes().ok(), Some(bytes.to_vec()));
        let _ = envelope.decode_payload();
        let _ = envelope.check_created_at(
            Timestamp::from_unix_seconds(1_800_000_000).expect("a time"),
            domain::envelope::TimeWindow::default(),
        );
    }
    if let Ok((decision, hash)) = SignedDecision::from_signed_bytes(bytes) {
        reached(2);
        prop_assert!(is_canonical);
        prop_assert_eq!(hash, sha256(bytes));
        prop_assert_eq!(decision.canonical_bytes().ok(), Some(bytes.to_vec()));
        let _ = decision.check();
    }
    if let Ok((act, hash)) = SignedAct::from_signed_bytes(bytes) {
        reached(3);
        prop_assert!(is_canonical);
        prop_assert_eq!(hash, sha256(bytes));
        prop_assert_eq!(act.canonical_bytes().ok(), Some(bytes.to_vec()));
        if let Ok(payload) = act.decode_payload() {
            reached(4);
            let _ = payload.units();
            let _ = payload.to_value();
        }
    }
    Ok(())
}

/// The offline corpus: made-up holders (the parsers need no server).
fn offline_corpus() -> Vec<Vec<u8>> {
    let unit = UnitId::parse("620502-0001").expect("a unit id");
    let signers = Signers {
        clerk: ("holder-clerk", "cred-clerk"),
        reviewer: ("holder-reviewer", "cred-reviewer"),
        admin: ("holder-admin", "cred-admin"),
    };
    corpus(
        &signers,
        &unit,
        EstablishmentCategory::Administrative,
        "fuzz-quota",
    )
    .into_iter()
    .map(|(_, bytes)| bytes)
    .collect()
}

#[test]
fn parsers_survive_raw_and_mutated_bytes() {
    let corpus = offline_corpus();
    // Each document of the corpus parses as its kind, and is canonical.
    for bytes in &corpus {
        assert_eq!(canonicalize_json(bytes).ok().as_ref(), Some(bytes));
        let parsed = [
            SignedEnvelope::from_signed_bytes(bytes).is_ok(),
            SignedDecision::from_signed_bytes(bytes).is_ok(),
            SignedAct::from_signed_bytes(bytes).is_ok(),
        ];
        assert_eq!(parsed.iter().filter(|ok| **ok).count(), 1, "{parsed:?}");
    }
    let strategy = input(corpus.len());
    let seed = seed();
    let deadline = match budget() {
        Budget::Cases => None,
        Budget::Seconds(d) => Some(Instant::now() + d),
    };
    let mut round = 0;
    let mut cases = 0u64;
    loop {
        let mut runner = runner(seed, round, PARSER_CASES);
        let result = runner.run(&strategy, |input| {
            check_parsers(&materialize(&input, &corpus))
        });
        if let Err(failure) = result {
            panic!("seed {seed} round {round}: {failure}");
        }
        cases += u64::from(PARSER_CASES);
        round += 1;
        if deadline.is_none_or(|d| Instant::now() >= d) {
            break;
        }
    }
    let reached: Vec<u64> = REACHED.iter().map(|r| r.load(Ordering::Relaxed)).collect();
    println!(
        "fuzz: {cases} parser cases, seed {seed}; canonical, envelope, decision, act, act \
         payload accepted: {reached:?}"
    );
    // The mutations reach past the canonical-form check into every typed parser.
    assert!(reached.iter().all(|n| *n > 0), "{reached:?}");
}

// ---- the server ----

/// POSTs `body` as JSON to `path` with the holder's session; the status.
async fn post_raw(holder: &KeyHolder, path: &str, body: Vec<u8>) -> u16 {
    let client = &holder.client;
    client
        .with_session(
            client
                .http
                .post(format!("{}{path}", client.base))
                .header("content-type", "application/json")
                .body(body),
        )
        .send()
        .await
        .expect("the test server answers")
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_server_answers_hostile_documents_without_a_5xx() {
    let city = City::start().await;
    let scene = city.review().await;
    let mut clerk = scene.clerk;
    let mut reviewer = scene.reviewer;
    let mut admin = city.administrator("fuzz-admin").await;
    // An application for the decisions of the corpus to be on.
    clerk
        .file_quota_use("fuzz-quota", &scene.unit, scene.category, 1)
        .await;
    let (clerk_ids, reviewer_ids, admin_ids) = (
        (clerk.id.clone(), clerk.credential_id.clone()),
        (reviewer.id.clone(), reviewer.credential_id.clone()),
        (admin.id.clone(), admin.credential_id.clone()),
    );
    let signers = Signers {
        clerk: (&clerk_ids.0, &clerk_ids.1),
        reviewer: (&reviewer_ids.0, &reviewer_ids.1),
        admin: (&admin_ids.0, &admin_ids.1),
    };
    let documents = corpus(&signers, &scene.unit, scene.category, "fuzz-quota");
    let kinds: Vec<Kind> = documents.iter().map(|(kind, _)| *kind).collect();
    let corpus: Vec<Vec<u8>> = documents.into_iter().map(|(_, bytes)| bytes).collect();
    let strategy = (
        input(corpus.len()),
        proptest::collection::vec(mutation(), 1..4),
    );
    let seed = seed();
    let (limit, deadline) = match budget() {
        Budget::Cases => (SERVER_CASES, None),
        Budget::Seconds(d) => (usize::MAX, Some(Instant::now() + d)),
    };
    let mut runner = runner(seed, 1_000, 1);
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let mut case = 0;
    while case < limit && deadline.is_none_or(|d| Instant::now() < d) {
        let (input, body_mutations) = strategy.new_tree(&mut runner).expect("an input").current();
        let bytes = materialize(&input, &corpus);
        let kind = match &input {
            Input::Mutated { base, .. } => kinds[*base],
            Input::Raw(_) => [Kind::Envelope, Kind::Decision, Kind::Act][case % 3],
        };
        // The document signed by the key its endpoint expects (a valid signature over
        // hostile bytes), in a well-formed request.
        let (path, holder) = match kind {
            Kind::Envelope => ("/api/envelopes", &mut clerk),
            Kind::Decision => ("/api/decisions", &mut reviewer),
            Kind::Act => ("/api/acts", &mut admin),
        };
        let submission = holder.sign(&bytes);
        let body = match kind {
            Kind::Envelope => serde_json::to_vec(&SubmitRequest {
                submissions: vec![submission],
            }),
            Kind::Decision => serde_json::to_vec(&DecideRequest { submission }),
            Kind::Act => serde_json::to_vec(&ActRequest { submission }),
        }
        .expect("JSON");
        let status = post_raw(holder, path, body.clone()).await;
        assert!(
            status < 500,
            "seed {seed} case {case}: {path} answered {status} to {input:?}"
        );
        *statuses.entry(status).or_default() += 1;
        // The request body itself mutated.
        let body = body_mutations.iter().fold(body, mutate);
        let status = post_raw(holder, path, body).await;
        assert!(
            status < 500,
            "seed {seed} case {case}: {path} answered {status} to a mutated body \
             ({input:?}, {body_mutations:?})"
        );
        *statuses.entry(status).or_default() += 1;
        case += 1;
    }
    println!("fuzz: {case} server cases, seed {seed}, statuses {statuses:?}");
    // The audit chain still verifies.
    let output = city
        .server
        .command(&["verify-audit"])
        .expect("verify-audit runs");
    assert!(output.status.success(), "{output:?}");
}
