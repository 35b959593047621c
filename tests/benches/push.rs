//! `cargo xtask bench`: the cost of signed push on the server, beside the physical floor under
//! it, measured in one run on one machine.
//!
//! 1. Raw ECDSA P-256 verification on one core: [`RAW_SIGNATURES`] assertions of a soft token
//!    (authenticatorData ‖ SHA-256(clientDataJSON), as WebAuthn signs them), verified through the
//!    server's path (`server::signed::verify::signature::check`: `ring`, the key's point built
//!    from the stored COSE key every time), through webauthn-rs-core's
//!    `COSEKey::verify_signature` (RustCrypto `p256`, the server's path before issue 10, which
//!    decodes the key and the DER signature every time) and through the bare `p256` verifier of
//!    crypto-glue (key and signature decoded once, before the clock starts).
//! 2. Envelope verification: [`server::signed::verify::verify`] on the pre-signed submissions of
//!    the push, each with its signer's credential as the server stored it — parse, canonical check,
//!    clientDataJSON, authenticatorData, signature — with no I/O.
//! 3. Push end to end: a real server with the medium demo city, [`UNITS`] units (every second
//!    one by id) with one enrolled clerk each, and one other holder signed in (a city-wide bureau
//!    reviewer) whose session carries everything, as a relay would: envelopes signed offline
//!    beforehand by the clerks, dealt out in turn (so each batch holds requests of many units),
//!    POSTed to `/api/envelopes` in batches of [`MAX_BATCH`] with that session's cookie and CSRF
//!    header: verify + rules + commit. The rules include the vacancy rule: a quota-use request
//!    must fit the unit's vacant posts less what its requests still awaiting a decision ask
//!    for. Each request is for one post, and each unit's vacancy is set beforehand to exactly
//!    what its requests ask for (≈ [`PUSHED`] ÷ [`UNITS`], 51), so the number awaiting a
//!    decision per unit grows from 0 to that by the end of the run, and the last request takes
//!    the last post. Every verdict must be `accepted`, or the run fails.
//!
//! 4. For scale, right after the push: OpenSSL's own P-256 verification rate on one core
//!    (`openssl speed ecdsap256`, when `openssl` is installed), and the push's rate as a share
//!    of it — the figure issue 10 sets a target for.
//!
//! Each measurement has a warm-up and several timed rounds (the rounds of 1 and 2 take turns, so
//! a change in the machine's load falls on all alike); the median round is reported with the
//! slowest and fastest. Results go to stdout and, as a Markdown table with notes, to the file
//! named by `BENCH_REPORT` (which `cargo xtask bench` folds into BENCHMARKS.md). Never run by
//! `cargo test`: a benchmark is not a timed assertion.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use crypto_glue::ecdsa_p256::{EcdsaP256Signature, EcdsaP256VerifyingKey, from_coords_raw};
use crypto_glue::traits::Verifier;
use domain::canonical::sha256;
use domain::envelope::EnvelopeHeader;
use domain::ids::{ApplicationId, ClientId, CredentialId};
use domain::payload::{ApplicationPayload, QuotaUseRequest};
use domain::person::EntryForm;
use domain::{
    EstablishmentCategory, FundingForm, Headcount, SignedEnvelope, Timestamp, UnitId, UserId,
};
use protocol::identity::{
    ENVELOPES_PATH, NewHolder, SignedSubmission, SubmitRequest, SubmitResponse, VerdictStatus,
};
use server::signed::application::MAX_BATCH;
use server::signed::verify::{KnownCredential, decode_b64url};
use tests::filing::set_vacancy;
use tests::keys::{ApiClient, KeyHolder};
use tests::schema;
use tests::server::TestServer;
use webauthn_rs::prelude::{COSEKeyType, Credential, Passkey};

/// Signatures verified per round of the raw ECDSA measurement.
const RAW_SIGNATURES: usize = 20_000;
/// Timed rounds of the CPU-bound measurements (after one warm-up round).
const CPU_ROUNDS: usize = 5;
/// Envelopes pushed per timed round.
const PUSH_ENVELOPES: usize = 2_000;
/// Timed push rounds, each with fresh envelopes (after one warm-up batch).
const PUSH_ROUNDS: usize = 5;
/// Envelopes pushed in the whole run: the warm-up batch and the timed rounds.
const PUSHED: usize = MAX_BATCH + PUSH_ROUNDS * PUSH_ENVELOPES;
/// Units filed for, one clerk each: every second unit of the demo city. With [`PUSHED`]
/// requests dealt out in turn, each unit has about `PUSHED / UNITS` (51) awaiting a decision by
/// the end: a busy unit, not thousands piled on one (the vacancy rule reads them all).
const UNITS: usize = 200;
/// The demo city the server starts with.
const DEMO_SIZE: &str = "medium";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let setup = runtime.block_on(Box::pin(set_up()));
    let Setup {
        mut server,
        relay,
        mut clerks,
    } = setup;

    // Everything is signed before any clock starts: the offline clients' work is not measured.
    // The raw assertions are the first clerk's; the push envelopes are dealt out to the clerks
    // in turn.
    eprintln!(
        "bench: signing {RAW_SIGNATURES} assertions and the {PUSHED} push envelopes of {} clerks…",
        clerks.len()
    );
    let raw: Vec<Assertion> = (0..RAW_SIGNATURES)
        .map(|i| clerks[0].assert(&format!("raw-{i}")))
        .collect();
    let mut dealt = 0;
    let mut sign_next = |application: String| {
        let clerk = dealt % clerks.len();
        dealt += 1;
        clerks[clerk].sign_new(&application)
    };
    let warm_up: Vec<SignedSubmission> = (0..MAX_BATCH)
        .map(|i| sign_next(format!("warm-{i:05}")))
        .collect();
    let rounds: Vec<Vec<SignedSubmission>> = (0..PUSH_ROUNDS)
        .map(|r| {
            (0..PUSH_ENVELOPES)
                .map(|i| sign_next(format!("push-{r}-{i:05}")))
                .collect()
        })
        .collect();
    // Each unit's vacancy, exactly what its requests ask for (one post each).
    let per_unit = runtime.block_on(Box::pin(give_vacancy(&server, &clerks)));

    let mut report = Report::default();
    report.line(
        "| Measurement | Median | Slowest–fastest round | Per item (median) | Rounds × items |",
    );
    report.line("|---|---|---|---|---|");

    // 1. Raw ECDSA P-256, the server's path and the bare verifier; 2. envelope verification
    // without I/O. Their rounds are interleaved, so a change in the machine's load (other
    // processes) falls on all three alike.
    let credential = &clerks[0].credential;
    let key = bare_key(credential);
    let parsed: Vec<(Vec<u8>, EcdsaP256Signature)> = raw
        .iter()
        .map(|a| {
            let sig = EcdsaP256Signature::from_der(&a.signature).unwrap();
            (a.signed.clone(), sig)
        })
        .collect();
    let policy = server::identity::state(server.config())
        .unwrap()
        .policy
        .clone();
    // Each clerk's credential as the server knows it; each submission paired with its signer's
    // before the clock starts (the server's lookup is I/O, not measured here).
    let known: HashMap<Vec<u8>, KnownCredential> = clerks
        .iter()
        .map(|clerk| {
            let id = clerk.credential.cred_id.to_vec();
            let known = KnownCredential {
                credential_id: id.clone(),
                holder: UserId::parse(&clerk.holder.id).unwrap(),
                credential: clerk.credential.clone(),
                revoked: false,
                highest_counter: 0,
            };
            (id, known)
        })
        .collect();
    let decoded: Vec<(server::signed::verify::SignedSubmission, &KnownCredential)> = rounds
        .iter()
        .flatten()
        .map(|wire| {
            let submission = decode(wire);
            let signer = &known[&submission.credential_id];
            (submission, signer)
        })
        .collect();
    let now = server::clock::now();
    let load_before = load_average();
    let [ring, cose, bare, envelopes] = measure_interleaved(
        CPU_ROUNDS,
        [raw.len(), raw.len(), parsed.len(), decoded.len()],
        [
            &mut || {
                let valid = raw
                    .iter()
                    .filter(|a| {
                        server::signed::verify::signature::check(
                            &credential.cred,
                            black_box(&a.signature),
                            black_box(&a.signed),
                        )
                        .is_ok()
                    })
                    .count();
                assert_eq!(valid, raw.len(), "every assertion verifies");
            },
            &mut || {
                let valid = raw
                    .iter()
                    .filter(|a| {
                        credential
                            .cred
                            .verify_signature(black_box(&a.signature), black_box(&a.signed))
                            .unwrap()
                    })
                    .count();
                assert_eq!(valid, raw.len(), "every assertion verifies");
            },
            &mut || {
                let valid = parsed
                    .iter()
                    .filter(|(signed, sig)| key.verify(black_box(signed), black_box(sig)).is_ok())
                    .count();
                assert_eq!(valid, parsed.len(), "every assertion verifies");
            },
            &mut || {
                for (submission, signer) in &decoded {
                    let verified = server::signed::verify::verify(
                        black_box(submission),
                        Some(signer),
                        &policy,
                        now,
                    );
                    assert!(verified.is_ok(), "{verified:?}");
                }
            },
        ],
    );
    report.row(
        "ECDSA P-256 verification, one core: `ring` through `server::signed::verify::signature::check` (the server's path)",
        &ring,
        "signatures",
    );
    report.row(
        "ECDSA P-256 verification, one core: RustCrypto `p256` through webauthn-rs-core `COSEKey::verify_signature` (the server's path before)",
        &cose,
        "signatures",
    );
    report.row(
        "ECDSA P-256 verification, one core: bare `p256` `VerifyingKey::verify` (key and signature decoded once)",
        &bare,
        "signatures",
    );
    report.row(
        "Envelope verification, one core: `server::signed::verify::verify` (parse, checks, signature; no I/O)",
        &envelopes,
        "envelopes",
    );

    // 3. Push end to end.
    let push = runtime.block_on(Box::pin(push(&relay.client, &warm_up, &rounds)));
    report.row(
        &format!(
            "Push end to end: `POST {ENVELOPES_PATH}`, {MAX_BATCH} per request, one relay session, {} clerks on {} units, demo city {DEMO_SIZE} (verify + rules incl. vacancy + commit)",
            clerks.len(),
            clerks.len()
        ),
        &push,
        "envelopes",
    );
    let ratio = push.per_item_median().as_secs_f64() / ring.per_item_median().as_secs_f64();
    report.line(&format!(
        "| Push cost per envelope ÷ one P-256 verification (server's path) | {ratio:.1}× | | | |"
    ));
    // 4. OpenSSL, right after the push, and the push as a share of it.
    let openssl = openssl_verify_rate();
    let load_end = load_average();
    if let Some((version, rate)) = &openssl {
        report.line(&format!(
            "| ECDSA P-256 verification, one core: {version} `openssl speed ecdsap256` (C and assembly, not used by the server; for scale) | {} signatures/s | | {:.1} µs | 1 × 3 s |",
            thousands(*rate),
            1e6 / rate
        ));
        let share = 100.0 * push.rate(push.median()) / rate;
        report.line(&format!(
            "| **push ÷ OpenSSL P-256 verify, one core: {share:.1} %** (push end to end, median, ÷ OpenSSL's rate above; target ≥ 25 %) | {share:.1} % | | | |"
        ));
    }
    report.note(&format!(
        "Rounds: {CPU_ROUNDS} timed after one warm-up for rows 1–3, taking turns \
         ({} signatures, {} envelopes per round); {PUSH_ROUNDS} timed rounds of {} fresh \
         envelopes after one warm-up batch of {MAX_BATCH} for the push, \
         every verdict `accepted`. Push: {} units, one clerk each, every request for one \
         post, dealt out to the units in turn; each unit's vacancy set to exactly what its \
         {per_unit} requests ask for, so its requests awaiting a decision grow from 0 to \
         {per_unit} over the run. Load average (1 min) when the measurements began: \
         {load_before}; at the end: {load_end}.{}",
        thousands(RAW_SIGNATURES as f64),
        thousands(decoded.len() as f64),
        thousands(PUSH_ENVELOPES as f64),
        clerks.len(),
        if openssl.is_some() {
            ""
        } else {
            " (`openssl` is not installed: no OpenSSL rate, no share.)"
        }
    ));
    report.finish();
    runtime.block_on(server.stop()).unwrap();
}

/// The server, the signed-in relay whose session carries every push, and the enrolled clerks
/// (not signed in), one per unit.
struct Setup {
    server: TestServer,
    relay: KeyHolder,
    clerks: Vec<Clerk>,
}

async fn set_up() -> Setup {
    eprintln!("bench: starting the server with the {DEMO_SIZE} demo city…");
    let server = TestServer::start_configured(|config| {
        if let Some(demo) = config.demo.as_mut() {
            demo.size = DEMO_SIZE.into();
        }
        // Every clerk enrols from this one address (the limit is on the enrolment and
        // sign-in ceremonies only, not on pushing).
        config.identity.rate_limit_per_minute = 10_000;
    })
    .await
    .unwrap();
    let pool = server.database().await.unwrap();
    let all = schema::unit_ids(&pool).await;
    assert!(
        all.len() >= 2 * UNITS,
        "the {DEMO_SIZE} demo city has {} units, fewer than {}",
        all.len(),
        2 * UNITS
    );
    eprintln!(
        "bench: {} units; enrolling a clerk for each of {UNITS} (every second by id)…",
        all.len()
    );
    let created_at =
        Timestamp::from_unix_seconds(server::clock::now().unix_seconds() - 3600).unwrap();
    let mut clerks = Vec::with_capacity(UNITS);
    for (n, unit) in all.iter().step_by(2).take(UNITS).enumerate() {
        let unit = unit.clone();
        // The unit's own main category: the one with the most approved posts.
        let category = schema::certificate(&pool, &unit)
            .await
            .ledger
            .all_figures()
            .into_iter()
            .max_by_key(|(_, f)| f.approved)
            .map_or(EstablishmentCategory::Administrative, |(c, _)| c);
        let created = server::identity::create_holder(
            &pool,
            &NewHolder {
                login: format!("bench-clerk-{n:03}"),
                name: "测试经办人".into(),
                role: "unit_clerk".into(),
                scope: format!("unit:{unit}"),
                phone: String::new(),
            },
            server.config(),
        )
        .await
        .unwrap();
        let holder = KeyHolder::enrolled(&server, created).await;
        // The credential as the server stored it, read the way the server reads it.
        let passkey = schema::stored_passkey(&pool, &holder.id).await;
        let passkey: Passkey = serde_json::from_str(&passkey).unwrap();
        clerks.push(Clerk {
            holder,
            credential: Credential::from(passkey),
            client: ClientId::parse(&format!("client-bench-{n:03}")).unwrap(),
            unit,
            category,
            created_at,
            sequence: 0,
        });
    }
    pool.close().await;
    // Any signed-in holder may carry submissions; each is judged by its signer's grant.
    let relay =
        KeyHolder::signed_in(&server, "bench-relay", "bureau_reviewer", "region:620500").await;
    Setup {
        server,
        relay,
        clerks,
    }
}

/// Sets each clerk's unit's vacancy in its category to exactly the posts of the requests the
/// clerk signed (one each), so that the last one pushed takes the last post. Returns the most
/// requests signed for one unit.
async fn give_vacancy(server: &TestServer, clerks: &[Clerk]) -> u64 {
    let pool = server.database().await.unwrap();
    for clerk in clerks {
        let posts = u32::try_from(clerk.sequence).unwrap();
        set_vacancy(&pool, &clerk.unit, clerk.category, posts).await;
    }
    pool.close().await;
    clerks.iter().map(|c| c.sequence).max().unwrap_or(0)
}

/// Pushes the warm-up batch, then each round in batches; every verdict must be `accepted`.
async fn push(
    client: &ApiClient,
    warm_up: &[SignedSubmission],
    rounds: &[Vec<SignedSubmission>],
) -> Stats {
    // Request bodies are serialised before the clock starts: the client's JSON is not measured.
    let bodies = |submissions: &[SignedSubmission]| -> Vec<Vec<u8>> {
        submissions
            .chunks(MAX_BATCH)
            .map(|chunk| {
                serde_json::to_vec(&SubmitRequest {
                    submissions: chunk.to_vec(),
                })
                .unwrap()
            })
            .collect()
    };
    let post_all = async |bodies: Vec<Vec<u8>>| -> (Duration, Vec<Vec<u8>>) {
        let mut answers = Vec::with_capacity(bodies.len());
        let started = Instant::now();
        for body in bodies {
            answers.push(post_envelopes(client, body).await);
        }
        (started.elapsed(), answers)
    };
    let all_accepted = |answers: &[Vec<u8>], expected: usize| {
        let mut accepted = 0;
        for answer in answers {
            let response: SubmitResponse = serde_json::from_slice(answer).unwrap();
            for verdict in &response.verdicts {
                assert_eq!(
                    verdict.status,
                    VerdictStatus::Accepted,
                    "a pushed envelope was not accepted: {verdict:?}"
                );
                accepted += 1;
            }
        }
        assert_eq!(accepted, expected, "one verdict per envelope");
    };
    let (_, answers) = post_all(bodies(warm_up)).await;
    all_accepted(&answers, warm_up.len());
    let mut times = Vec::with_capacity(rounds.len());
    for round in rounds {
        let (elapsed, answers) = post_all(bodies(round)).await;
        all_accepted(&answers, round.len());
        times.push(elapsed);
    }
    Stats::new(times, PUSH_ENVELOPES)
}

fn decode(wire: &SignedSubmission) -> server::signed::verify::SignedSubmission {
    server::signed::verify::SignedSubmission {
        envelope: decode_b64url("envelope", &wire.envelope).unwrap(),
        credential_id: decode_b64url("credential_id", &wire.credential_id).unwrap(),
        client_data_json: decode_b64url("client_data_json", &wire.client_data_json).unwrap(),
        authenticator_data: decode_b64url("authenticator_data", &wire.authenticator_data).unwrap(),
        signature: decode_b64url("signature", &wire.signature).unwrap(),
    }
}

/// The credential's public key as the bare p256 verifier takes it.
fn bare_key(credential: &Credential) -> EcdsaP256VerifyingKey {
    let COSEKeyType::EC_EC2(ec2) = &credential.cred.key else {
        panic!("the soft token's key is not EC2: {:?}", credential.cred.key);
    };
    let public = from_coords_raw(&ec2.x, &ec2.y).unwrap();
    EcdsaP256VerifyingKey::from(&public)
}

/// What ECDSA verifies for one WebAuthn assertion.
struct Assertion {
    /// authenticatorData ‖ SHA-256(clientDataJSON).
    signed: Vec<u8>,
    /// DER.
    signature: Vec<u8>,
}

/// Runs each of the `N` round functions once to warm up, then `rounds` times with the clock
/// on, taking turns; `items[i]` is what one round of function `i` processes.
fn measure_interleaved<const N: usize>(
    rounds: usize,
    items: [usize; N],
    mut functions: [&mut dyn FnMut(); N],
) -> [Stats; N] {
    for f in functions.iter_mut() {
        f();
    }
    let mut times: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(rounds));
    for _ in 0..rounds {
        for (f, times) in functions.iter_mut().zip(times.iter_mut()) {
            let started = Instant::now();
            f();
            times.push(started.elapsed());
        }
    }
    let mut times = times.into_iter();
    items.map(|items| Stats::new(times.next().unwrap_or_default(), items))
}

/// OpenSSL's own P-256 verification rate on this machine, one core (`openssl speed`, about
/// 6 s: signing, then verifying), with its version (`OpenSSL 3.0.19`); `None` without
/// `openssl`.
fn openssl_verify_rate() -> Option<(String, f64)> {
    let output = std::process::Command::new("openssl")
        .args(["speed", "-seconds", "3", "ecdsap256"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    // `256 bits ecdsa (nistp256)   0.0000s   0.0001s  40000.0  16906.3`: verifications/s last.
    let rate = text
        .lines()
        .find(|l| l.contains("nistp256"))
        .and_then(|l| l.split_whitespace().last()?.parse::<f64>().ok())?;
    let version = std::process::Command::new("openssl")
        .arg("version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .map(|v| v.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "OpenSSL".into());
    Some((version, rate))
}

/// The 1-minute load average (Linux), to tell a quiet machine from a busy one.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

/// Round times of one measurement, sorted.
struct Stats {
    times: Vec<Duration>,
    items: usize,
}

impl Stats {
    fn new(mut times: Vec<Duration>, items: usize) -> Self {
        times.sort();
        Self { times, items }
    }

    fn rate(&self, time: Duration) -> f64 {
        self.items as f64 / time.as_secs_f64()
    }

    fn median(&self) -> Duration {
        self.times[self.times.len() / 2]
    }

    fn per_item_median(&self) -> Duration {
        self.median() / u32::try_from(self.items).unwrap()
    }

    /// `(slowest, fastest)` rate.
    fn spread(&self) -> (f64, f64) {
        (
            self.rate(self.times[self.times.len() - 1]),
            self.rate(self.times[0]),
        )
    }
}

/// Table rows and notes, printed and written to `BENCH_REPORT`.
#[derive(Default)]
struct Report {
    lines: Vec<String>,
    notes: Vec<String>,
}

impl Report {
    fn row(&mut self, what: &str, stats: &Stats, unit: &str) {
        let (slowest, fastest) = stats.spread();
        self.line(&format!(
            "| {what} | {} {unit}/s | {}–{} /s | {:.1} µs | {} × {} |",
            thousands(stats.rate(stats.median())),
            thousands(slowest),
            thousands(fastest),
            stats.per_item_median().as_secs_f64() * 1e6,
            stats.times.len(),
            thousands(stats.items as f64),
        ));
    }

    fn line(&mut self, line: &str) {
        println!("{line}");
        self.lines.push(line.to_owned());
    }

    fn note(&mut self, note: &str) {
        println!("{note}");
        self.notes.push(note.to_owned());
    }

    fn finish(self) {
        let Some(path) = std::env::var_os("BENCH_REPORT") else {
            return;
        };
        let mut text = self.lines.join("\n");
        text.push_str("\n\n");
        text.push_str(&self.notes.join("\n"));
        text.push('\n');
        std::fs::write(&path, text).unwrap();
    }
}

/// `12345.6` → `12,346`.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// POSTs a serialised [`SubmitRequest`] with the relay's session; the answer's bytes.
async fn post_envelopes(client: &ApiClient, body: Vec<u8>) -> Vec<u8> {
    let response = client
        .with_session(
            client
                .http
                .post(format!("{}{ENVELOPES_PATH}", client.base))
                .header("content-type", "application/json")
                .body(body),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "POST {ENVELOPES_PATH}");
    response.bytes().await.unwrap().to_vec()
}

/// A clerk's offline client: envelopes in client-sequence order, signed by the soft token.
struct Clerk {
    holder: KeyHolder,
    /// The clerk's credential as the server stored it.
    credential: Credential,
    client: ClientId,
    unit: UnitId,
    /// The category its requests are for: the unit's main one.
    category: EstablishmentCategory,
    /// An hour ago: well inside the offline window, never in the future.
    created_at: Timestamp,
    /// The client sequence of the last envelope signed.
    sequence: u64,
}

impl Clerk {
    /// What ECDSA verifies for an assertion over `SHA-256(label)`.
    fn assert(&mut self, label: &str) -> Assertion {
        let signed = self.holder.sign(label.as_bytes());
        let mut message = decode_b64url("authenticator_data", &signed.authenticator_data).unwrap();
        let client_data = decode_b64url("client_data_json", &signed.client_data_json).unwrap();
        message.extend_from_slice(&sha256(&client_data));
        Assertion {
            signed: message,
            signature: decode_b64url("signature", &signed.signature).unwrap(),
        }
    }

    /// Builds and signs the next envelope: a quota-use request for one post of the clerk's unit.
    fn sign_new(&mut self, application: &str) -> SignedSubmission {
        self.sequence += 1;
        let header = EnvelopeHeader {
            application_id: ApplicationId::parse(application).unwrap(),
            client_id: self.client.clone(),
            sequence: self.sequence,
            signer: UserId::parse(&self.holder.id).unwrap(),
            credential_id: CredentialId::parse(&self.holder.credential_id).unwrap(),
            unit: self.unit.clone(),
            created_at: self.created_at,
        };
        let payload = ApplicationPayload::QuotaUse(QuotaUseRequest {
            category: self.category,
            funding_form: self
                .category
                .has_funding_form()
                .then_some(FundingForm::Full),
            count: Headcount::new(1),
            recruitment: EntryForm::Examination,
            reason: "业务量增加，申请使用空编一名".into(),
            request_document: None,
        });
        let envelope = SignedEnvelope::new(header, &payload).unwrap();
        self.holder.sign(&envelope.canonical_bytes().unwrap())
    }
}
