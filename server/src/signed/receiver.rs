//! The one pipeline of every signed document: [`receive_batch`] takes submissions of one kind
//! through one `BEGIN IMMEDIATE` transaction with a savepoint per document ([`receive`]: a
//! batch of one), whatever their kind:
//!
//! 0. read once for the batch: its keys, the first verdicts of its hashes, the head of the
//!    audit chain, and what the kind's judgements will read ([`SignedKind::prefetch`]); the
//!    two costly steps that need nothing else — reading the bytes and checking the signature
//!    with the stored key ([`verify::prepare`]) — run ahead on every core. Then each document,
//!    in order:
//! 1. a repeat of bytes already received whose signature verified (before or earlier in the
//!    batch) gets the first verdict and changes nothing;
//! 2. the signature and everything around it is checked ([`verify::check_prepared`]: the
//!    bytes are parsed once, and the document comes back even when it is refused, for the
//!    record);
//! 3. a valid signature raises its key's highest counter, whatever follows (a counter that went
//!    backwards holds the document for review and raises nothing): kept for the batch, written
//!    before the commit;
//! 4. the kind judges the verified document ([`SignedKind::judge`]: reads only) and, when it
//!    accepts it, carries out its effects ([`SignedKind::apply`]: writes only, refuses nothing);
//! 5. the receipt — raw bytes, assertion, verdict, the kind's columns — is stored, and the
//!    verdict audited (`{kind}.accept`, `{kind}.reject`, `{kind}.hold`);
//!
//!    steps 4 (effects) and 5 are written together ([`db::Writes`]: one call to the database's
//!    thread) inside the document's savepoint;
//! 6. after the last document, commit.
//!
//! A document that fails with an internal error (the database refused a statement, a bug) fails
//! alone: the batch's transaction is rolled back and the batch received again without it, and it
//! is answered [`Refusal::TryLater`] — nothing of it kept, no receipt, so the same bytes sent
//! again later are received afresh (the client keeps it pending). Which document failed is
//! known even when several documents' statements ran together: statements stop at the first
//! that fails, and each document's last one is its audit entry. After [`RETRIES`] such passes
//! the whole batch is answered `try_later`; only an error outside the documents (no
//! transaction, no commit) fails the request.
//!
//! A kind of signed document is a [`SignedKind`]: its judgement, its effects, and how its
//! receipt, audit entry and verdict read. See [`super::application`] and [`super::decision`].

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use domain::canonical::{hex, sha256};
use domain::unit::UnitRecord;
use domain::{Timestamp, UnitId, UserId};
use protocol::identity::{SignedSubmission as WireSubmission, VerdictStatus};
use serde_json::{Value, json};
use webauthn_rs::prelude::Credential;
use webauthn_rs_core::proto::COSEKey;

use super::refusal::Refusal;
use super::verify::{
    self, Checked, KnownCredential, Prepared, SignedDocument, SignedSubmission, VerifyPolicy,
    decode_b64url,
};
use crate::db::audit::{self, Entry};
use crate::db::holders::Holder;
use crate::db::receipts::{self, Receipt, ReceiptTable, StoredVerdict};
use crate::db::{self, Conn, Writes, credentials};
use crate::error::ApiError;
use crate::identity::session::Session;
use crate::state::AppState;

/// What the judgement and the effects of a document may need besides the document.
#[derive(Debug, Clone, Copy)]
pub struct Received<'a> {
    /// Hex `SHA-256` of the document's bytes.
    pub hash: &'a str,
    /// The server's clock when the document was received.
    pub now: Timestamp,
    /// The bureaus' private document keys (an approval signs the document it issues).
    pub keyring: &'a crate::documents::keyring::Keyring,
}

/// What judgements read that no signed document changes — the records of units and the key
/// holders — read once for a batch inside its transaction, so that they hold until it commits
/// (for a kind's [`SignedKind::Memo`]). What was not read ahead is read when asked.
#[derive(Debug, Default)]
pub struct Lookups {
    units: HashMap<UnitId, UnitRecord>,
    holders: HashMap<String, Holder>,
    /// Units of the batch that were merged or abolished: unknown to new documents.
    removed: std::collections::HashSet<UnitId>,
}

impl Lookups {
    /// Reads the records of `units` and the holders `holders` (ids; those that exist).
    pub async fn read(
        conn: &mut Conn,
        units: &[&UnitId],
        holders: &[&str],
    ) -> anyhow::Result<Self> {
        let units_asked = units;
        // One that does not read is left out: asked for, it is read again and fails then,
        // for the document that needs it alone.
        let units = db::units::records(conn, units)
            .await?
            .into_iter()
            .filter_map(|(_, record)| record.ok())
            .map(|record| (record.id.clone(), record))
            .collect();
        let holders = db::holders::load_many(conn, holders)
            .await?
            .into_iter()
            .filter_map(|(id, holder)| Some((id, holder.ok()?)))
            .collect();
        let ids: Vec<UnitId> = units_asked.iter().map(|u| (*u).clone()).collect();
        let removed = db::admin::removals(conn, &ids).await?.into_keys().collect();
        Ok(Lookups {
            units,
            holders,
            removed,
        })
    }

    /// The unit's record, `None` if there is no such unit (or it was merged or abolished).
    pub async fn unit(&self, conn: &mut Conn, id: &UnitId) -> anyhow::Result<Option<UnitRecord>> {
        if self.removed.contains(id) {
            return Ok(None);
        }
        match self.units.get(id) {
            Some(record) => Ok(Some(record.clone())),
            None if db::admin::is_removed(conn, id).await? => Ok(None),
            None => db::units::record(conn, id).await,
        }
    }

    /// The key holder with this id, `None` if there is none.
    pub async fn holder(&self, conn: &mut Conn, id: &str) -> anyhow::Result<Option<Holder>> {
        match self.holders.get(id) {
            Some(holder) => Ok(Some(holder.clone())),
            None => db::holders::load(conn, id).await,
        }
    }
}

/// A kind of signed document: what [`receive`] needs besides the pipeline itself.
pub trait SignedKind: SignedDocument + Send + Sync {
    /// Its name in the audit log (`{NAME}.accept`, …, target `{NAME}:{hash}` when it cannot be
    /// read) and in the logs.
    const NAME: &'static str;
    /// Where its receipts are kept.
    const TABLE: &'static ReceiptTable;
    /// What the judgement decided to do; [`SignedKind::apply`] carries it out.
    type Plan: Send + Sync;
    /// The verdict as its endpoint answers it.
    type Verdict;
    /// Whether a batch's documents may be written together at its end rather than each before
    /// the next is judged: only if its judgement reads nothing that the batch's own writes
    /// change except through its [`SignedKind::Memo`].
    const DEFER_WRITES: bool = false;
    /// What the judgements of a batch read, read once for the batch inside its transaction
    /// ([`SignedKind::prefetch`]) and kept up to date as its documents are kept
    /// ([`SignedKind::kept`]): what the database would answer at each document.
    type Memo: Default + Send + Sync;

    /// What the judgements of a batch of such documents (those whose bytes could be read)
    /// will read, read at once. By default nothing.
    fn prefetch(
        conn: &mut Conn,
        documents: &[&Self],
    ) -> impl Future<Output = anyhow::Result<Self::Memo>> + Send {
        let _ = (conn, documents);
        async { Ok(Self::Memo::default()) }
    }

    /// A document of the batch was written with `verdict` (and, accepted, `plan`): what it
    /// changed of what the memo holds. By default nothing.
    fn kept(
        memo: &mut Self::Memo,
        document: Option<&Self>,
        plan: Option<&Self::Plan>,
        verdict: &StoredVerdict,
    ) {
        let _ = (memo, document, plan, verdict);
    }

    /// The rules that need the database, once the signature verified: the plan, or why not.
    /// Reads only, so that a refusal changes nothing.
    fn judge(
        &self,
        conn: &mut Conn,
        received: Received<'_>,
        memo: &Self::Memo,
    ) -> impl Future<Output = anyhow::Result<Result<Self::Plan, Refusal>>> + Send;

    /// The effects of an accepted document, in the receiver's transaction: statements added to
    /// `writes` (run with the receipt and the audit entry, in one call, inside the document's
    /// savepoint). A statement whose result it needs it runs on `conn` after `writes.run(conn)`
    /// (which takes the savepoint first).
    fn apply(
        &self,
        plan: &Self::Plan,
        conn: &mut Conn,
        writes: &mut Writes,
        received: Received<'_>,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;

    /// Its own columns of the receipt, from the document as read (even when refused; `None`:
    /// the bytes are not such a document) and, when accepted, the plan.
    fn columns(
        document: Option<&Self>,
        plan: Option<&Self::Plan>,
    ) -> Vec<(&'static str, Option<String>)>;

    /// Its audit entry: the target (`None`: the document's hash) and its own details, a JSON
    /// object of ids and codes, never personal data, to which the receiver adds `code` and
    /// `{NAME}_hash`.
    fn audit(document: Option<&Self>, plan: Option<&Self::Plan>) -> (Option<String>, Value);

    /// The verdict its endpoint answers, from what is stored (so that a repeat gets exactly
    /// the first verdict).
    fn verdict(stored: &StoredVerdict) -> Self::Verdict;
}

/// The raw bytes of a submission's base64url fields.
pub fn decode(wire: &WireSubmission) -> Result<SignedSubmission, Refusal> {
    Ok(SignedSubmission {
        envelope: decode_b64url("envelope", &wire.envelope)?,
        credential_id: decode_b64url("credential_id", &wire.credential_id)?,
        client_data_json: decode_b64url("client_data_json", &wire.client_data_json)?,
        authenticator_data: decode_b64url("authenticator_data", &wire.authenticator_data)?,
        signature: decode_b64url("signature", &wire.signature)?,
    })
}

/// The verdict on a submission refused before it could be received (its fields are not
/// base64url): nothing is stored.
pub fn refused<K: SignedKind>(refusal: &Refusal) -> K::Verdict {
    K::verdict(&verdict_of(refusal, Vec::new()))
}

fn verdict_of(refusal: &Refusal, columns: Vec<(&'static str, Option<String>)>) -> StoredVerdict {
    StoredVerdict {
        status: if refusal.held_for_review() {
            VerdictStatus::Held
        } else {
            VerdictStatus::Rejected
        },
        code: Some(refusal.code().to_owned()),
        message: Some(refusal.message_zh()),
        message_en: Some(refusal.message_en()),
        columns,
    }
}

/// The stored key as the verifier takes it.
/// A key that may not sign — its holder suspended, or enrolled in demo attestation mode while
/// the server runs in production mode — is refused as a revoked one (`credential_revoked`).
fn known_credential(
    stored: credentials::StoredCredential,
    production: bool,
) -> anyhow::Result<KnownCredential> {
    let revoked = !stored.usable(production);
    Ok(KnownCredential {
        credential_id: stored.id,
        holder: UserId::parse(&stored.holder_id).map_err(|e| anyhow::anyhow!(e.message_en()))?,
        credential: Credential::from(stored.passkey),
        revoked,
        highest_counter: u32::try_from(stored.highest_envelope_counter).unwrap_or(u32::MAX),
    })
}

/// Receives one signed document of kind `K`, carried by `session`: a batch of one.
pub async fn receive<K: SignedKind + 'static>(
    state: &AppState,
    session: &Session,
    submission: &SignedSubmission,
) -> Result<K::Verdict, ApiError> {
    receive_batch::<K>(state, session, std::slice::from_ref(submission))
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a batch of one had no verdict")))
}

/// Receives signed documents of kind `K`, carried by `session`, in the order given: one
/// verdict each, in that order. See the module documentation. A document that fails with an
/// internal error is answered [`Refusal::TryLater`] (nothing of it kept or stored) and the
/// others are received without it; only an error outside the documents (the database cannot
/// be written at all) fails the request.
pub async fn receive_batch<K: SignedKind + 'static>(
    state: &AppState,
    session: &Session,
    submissions: &[SignedSubmission],
) -> Result<Vec<K::Verdict>, ApiError> {
    let mut failed = vec![false; submissions.len()];
    for _ in 0..=RETRIES {
        match attempt::<K>(state, session, submissions, &failed).await? {
            Attempt::Received(verdicts) => return Ok(verdicts),
            Attempt::Failed { index, error } => {
                tracing::error!(
                    error = %format!("{error:#}"),
                    index,
                    "{} failed alone: answered {}",
                    K::NAME,
                    Refusal::TryLater.code()
                );
                if let Some(failed) = failed.get_mut(index) {
                    *failed = true;
                }
            }
        }
    }
    // Failing again and again (the database, not a document): every document later.
    tracing::error!(
        "{} batch failed {} times: all answered {}",
        K::NAME,
        RETRIES + 1,
        Refusal::TryLater.code()
    );
    Ok(submissions
        .iter()
        .map(|_| refused::<K>(&Refusal::TryLater))
        .collect())
}

/// How many times a batch is received again after one of its documents failed (without the
/// documents that failed) before all of it is answered [`Refusal::TryLater`].
const RETRIES: usize = 4;

/// What one pass over a batch gave.
enum Attempt<V> {
    /// Committed: the verdicts, in order.
    Received(Vec<V>),
    /// The document at `index` failed with `error`: nothing of the batch was committed.
    Failed { index: usize, error: ApiError },
}

/// One pass over a batch in one transaction, the documents marked `failed` answered
/// [`Refusal::TryLater`] without being received. If another one fails, the transaction is
/// rolled back and that document named.
async fn attempt<K: SignedKind + 'static>(
    state: &AppState,
    session: &Session,
    submissions: &[SignedSubmission],
    failed: &[bool],
) -> Result<Attempt<K::Verdict>, ApiError> {
    let mut tx = db::write(&state.pool)
        .await
        .with_context(|| format!("starting to receive {}s", K::NAME))?;
    // Slips that lapsed release their posts before anything is judged against the ledger.
    super::lapse::sweep_in(&mut tx, state.clock.today()).await?;
    let production = state.identity.attestation_cas.is_some();
    let day = state.clock.now().date_in_china().to_string();
    let mut batch = Batch::<K>::read(
        &mut tx,
        submissions,
        production,
        &session.holder.info.id,
        &day,
    )
    .await?;
    let prepared = prepare_all::<K>(submissions, &batch.known, &state.identity.policy).await?;
    let documents: Vec<&K> = prepared
        .iter()
        .zip(failed)
        .filter(|(_, failed)| !**failed)
        .filter_map(|(prepared, _)| prepared.document())
        .collect();
    let mut memo = K::prefetch(&mut tx, &documents).await?;
    drop(documents);
    let mut verdicts = Vec::with_capacity(submissions.len());
    let mut not_accepted = Vec::new();
    // The statements of the documents received and not yet run, and which documents they
    // are, with the sequence number of each one's audit entry (its last statement).
    let mut done = Writes::new();
    let mut waiting: Vec<(usize, i64)> = Vec::new();
    for (index, (submission, prepared)) in submissions.iter().zip(prepared).enumerate() {
        if failed.get(index).copied().unwrap_or(false) {
            let verdict = verdict_of(&Refusal::TryLater, K::columns(prepared.document(), None));
            verdicts.push(K::verdict(&verdict));
            continue;
        }
        let mut writes = Writes::new();
        let received = receive_one::<K>(
            &mut tx,
            &mut writes,
            state,
            session,
            submission,
            prepared,
            &batch,
            &mut memo,
        )
        .await;
        let received = match received {
            Ok(received) => received,
            // Rolled back with the transaction (dropped).
            Err(error) => return Ok(Attempt::Failed { index, error }),
        };
        done.append(writes);
        if let Some(head) = &received.head {
            waiting.push((index, head.seq));
        }
        // Written together by at most `JOINED` documents: the joined texts recur, and their
        // prepared statements are kept.
        if !K::DEFER_WRITES || waiting.len() == JOINED {
            if let Err(error) = done.run(&mut tx).await {
                return Ok(failed_in_run(&mut tx, &waiting, index, error).await);
            }
            waiting.clear();
        }
        let verdict = batch.kept(received);
        if verdict.status != VerdictStatus::Accepted {
            not_accepted.push((verdict.status, verdict.code.clone()));
        }
        verdicts.push(K::verdict(&verdict));
    }
    if let Err(error) = done.run(&mut tx).await {
        let last = submissions.len().saturating_sub(1);
        return Ok(failed_in_run(&mut tx, &waiting, last, error).await);
    }
    // The documents failed on may come again below the counters raised after them.
    let mut gaps = Writes::new();
    for (submission, _) in submissions.iter().zip(failed).filter(|(_, f)| **f) {
        let hash = hex(&sha256(&submission.envelope));
        credentials::open_counter_gap(&mut gaps, &submission.credential_id, &hash)?;
    }
    gaps.run(&mut tx).await?;
    batch.finish(&mut tx, i64::MAX).await?;
    tx.commit()
        .await
        .with_context(|| format!("committing {}s", K::NAME))?;
    for (status, code) in not_accepted {
        tracing::info!(
            code = code.as_deref().unwrap_or(""),
            status = status_code(status),
            "{} not accepted",
            K::NAME
        );
    }
    Ok(Attempt::Received(verdicts))
}

/// The statements of the documents `waiting` (index, sequence number of its audit entry) ran
/// together and failed with `error`: the document that failed is the first one whose audit
/// entry was not written (each one's is its last statement; statements stop at the first that
/// fails). If that cannot be read, the first of them (or `last`) is named.
async fn failed_in_run<V>(
    tx: &mut db::Tx,
    waiting: &[(usize, i64)],
    last: usize,
    error: anyhow::Error,
) -> Attempt<V> {
    let written = audit::head(tx).await.map(|head| head.seq).unwrap_or(0);
    let index = waiting
        .iter()
        .find(|(_, seq)| *seq > written)
        .or(waiting.first())
        .map_or(last, |(index, _)| *index);
    Attempt::Failed {
        index,
        error: error.into(),
    }
}

/// What the receiver keeps for a batch inside its transaction, where nothing else writes: read
/// once, brought up to date as each document's savepoint is released.
struct Batch<K> {
    /// The stored keys of the batch; `highest_counter` raised as documents verify.
    known: HashMap<Vec<u8>, KnownCredential>,
    /// Stored keys that do not read: a document signed by one fails alone.
    damaged: HashMap<Vec<u8>, String>,
    /// The counters to write back ([`Batch::finish`]): each verified signature's key and
    /// counter, with the sequence number of its document's audit entry.
    raised: Vec<(Vec<u8>, u32, i64)>,
    /// The first verdicts of the batch's hashes whose signature verified, stored before the
    /// batch or in it: what a repeat gets.
    first: HashMap<String, StoredVerdict>,
    /// The head of the audit chain.
    head: audit::Head,
    /// The batch's documents (key id, hash) that the server failed on alone before: received
    /// whatever their key's highest counter ([`credentials::counter_gaps`]).
    gaps: std::collections::HashSet<(Vec<u8>, String)>,
    /// The session's holder, today (in China), and how many submissions whose signature did
    /// not verify it carried today, this batch's included.
    holder: String,
    day: String,
    unverified: i64,
    kind: std::marker::PhantomData<K>,
}

/// What one document changed, applied to the [`Batch`] once its savepoint is released.
struct Outcome {
    verdict: StoredVerdict,
    /// A new receipt whose signature verified: its hash (a later repeat gets its verdict).
    verified_hash: Option<String>,
    /// A verified signature: the key and its counter.
    counter: Option<(Vec<u8>, u32)>,
    /// The audit entry written: the new head.
    head: Option<audit::Head>,
    /// The signature did not verify (counted against the day's bound).
    unverified: bool,
}

impl<K: SignedKind> Batch<K> {
    async fn read(
        conn: &mut Conn,
        submissions: &[SignedSubmission],
        production: bool,
        holder: &str,
        day: &str,
    ) -> anyhow::Result<Self> {
        let mut ids: Vec<&[u8]> = submissions.iter().map(|s| &s.credential_id[..]).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut known = HashMap::with_capacity(ids.len());
        let mut damaged = HashMap::new();
        for (id, stored) in credentials::load_many(conn, &ids).await? {
            match stored.and_then(|stored| known_credential(stored, production)) {
                Ok(credential) => {
                    known.insert(id, credential);
                }
                Err(error) => {
                    damaged.insert(id, format!("{error:#}"));
                }
            }
        }
        let hashes: Vec<String> = submissions
            .iter()
            .map(|s| hex(&sha256(&s.envelope)))
            .collect();
        let hashes: Vec<&str> = hashes.iter().map(String::as_str).collect();
        let first = receipts::first_verdicts(conn, K::TABLE, &hashes).await?;
        let gaps = credentials::counter_gaps(conn, &hashes).await?;
        Ok(Batch {
            gaps,
            known,
            damaged,
            raised: Vec::new(),
            first,
            head: audit::head(conn).await?,
            holder: holder.to_owned(),
            day: day.to_owned(),
            unverified: receipts::unverified_on(conn, holder, day).await?,
            kind: std::marker::PhantomData,
        })
    }

    /// Takes in what a document whose savepoint was released changed; its verdict.
    fn kept(&mut self, outcome: Outcome) -> StoredVerdict {
        if outcome.unverified {
            self.unverified += 1;
        }
        if let Some(hash) = outcome.verified_hash {
            self.first.insert(hash, outcome.verdict.clone());
        }
        if let Some(head) = outcome.head {
            if let Some((id, counter)) = outcome.counter {
                if let Some(known) = self.known.get_mut(&id) {
                    known.highest_counter = known.highest_counter.max(counter);
                }
                self.raised.push((id, counter, head.seq));
            }
            self.head = head;
        }
        outcome.verdict
    }

    /// Writes back (in one call, before the commit) the raised counters of the documents
    /// written, those whose audit entry's sequence number is at most `written_through`.
    async fn finish(&mut self, conn: &mut Conn, written_through: i64) -> anyhow::Result<()> {
        let mut highest: HashMap<Vec<u8>, u32> = HashMap::new();
        for (id, counter, seq) in self.raised.drain(..) {
            if seq <= written_through {
                let raised = highest.entry(id).or_insert(counter);
                *raised = (*raised).max(counter);
            }
        }
        let mut writes = Writes::new();
        for (id, counter) in highest {
            credentials::raise_counter(&mut writes, &id, counter)?;
        }
        writes.run(conn).await
    }
}

/// How many documents' statements are joined in one call at most (when the kind allows it:
/// [`SignedKind::DEFER_WRITES`]).
const JOINED: usize = 16;

/// Below this many documents a batch is prepared on the handler's own thread.
const PARALLEL_FROM: usize = 8;

/// [`verify::prepare`] for every submission, with its stored key: on every core for a batch.
async fn prepare_all<K: SignedKind + 'static>(
    submissions: &[SignedSubmission],
    known: &HashMap<Vec<u8>, KnownCredential>,
    policy: &VerifyPolicy,
) -> anyhow::Result<Vec<Prepared<K>>> {
    let policy = Arc::new(policy.clone());
    let key = |s: &SignedSubmission| {
        known
            .get(&s.credential_id)
            .map(|k| k.credential.cred.clone())
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if submissions.len() < PARALLEL_FROM || cores < 2 {
        return Ok(submissions
            .iter()
            .map(|s| verify::prepare::<K>(s, key(s).as_ref(), &policy))
            .collect());
    }
    let chunk = submissions.len().div_ceil(cores);
    let jobs: Vec<_> = submissions
        .chunks(chunk)
        .map(|part| {
            let part: Vec<(SignedSubmission, Option<COSEKey>)> =
                part.iter().map(|s| (s.clone(), key(s))).collect();
            let policy = Arc::clone(&policy);
            tokio::task::spawn_blocking(move || {
                part.iter()
                    .map(|(s, key)| verify::prepare::<K>(s, key.as_ref(), &policy))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut prepared = Vec::with_capacity(submissions.len());
    for job in jobs {
        prepared.extend(job.await.context("preparing signed documents")?);
    }
    Ok(prepared)
}

/// One document of a batch: its stored verdict and what it changed. What it writes goes
/// through `writes`, inside a savepoint, which the caller rolls back if this fails.
#[allow(clippy::too_many_arguments)]
async fn receive_one<K: SignedKind>(
    conn: &mut Conn,
    writes: &mut Writes,
    state: &AppState,
    session: &Session,
    submission: &SignedSubmission,
    prepared: Prepared<K>,
    batch: &Batch<K>,
    memo: &mut K::Memo,
) -> Result<Outcome, ApiError> {
    let hash = hex(&sha256(&submission.envelope));
    if let Some(first) = batch.first.get(&hash) {
        return Ok(Outcome {
            verdict: first.clone(),
            verified_hash: None,
            counter: None,
            head: None,
            unverified: false,
        });
    }
    if let Some(error) = batch.damaged.get(&submission.credential_id) {
        return Err(anyhow::anyhow!("reading the credential: {error}").into());
    }
    let now = state.clock.now();
    let received = Received {
        hash: &hash,
        now,
        keyring: &state.documents,
    };
    // Failed on alone before, while later documents of its key raised the counter: its
    // counter is not compared (the gap closes as it is received).
    let in_gap = !batch.gaps.is_empty()
        && batch
            .gaps
            .contains(&(submission.credential_id.clone(), hash.clone()));
    let lowered;
    let known = match batch.known.get(&submission.credential_id) {
        Some(known) if in_gap => {
            lowered = KnownCredential {
                highest_counter: 0,
                ..known.clone()
            };
            Some(&lowered)
        }
        known => known,
    };
    let checked =
        verify::check_prepared::<K>(prepared, submission, known, &state.identity.policy, now);
    let judged = match &checked {
        // A valid signature raises the key's counter whatever follows ([`Batch::finish`]).
        Checked::Verified(verified) => verified.document.judge(conn, received, memo).await?,
        Checked::Refused { refusal, .. } => Err(refusal.clone()),
    };
    // Everything it writes from here on, in its savepoint.
    writes.savepoint();
    if in_gap {
        credentials::close_counter_gap(writes, &submission.credential_id, &hash)?;
    }
    let plan = match (&checked, &judged) {
        (Checked::Verified(verified), Ok(plan)) => {
            verified
                .document
                .apply(plan, conn, writes, received)
                .await?;
            Some(plan)
        }
        _ => None,
    };
    let document = checked.document();
    let columns = K::columns(document, plan);
    let verdict = match &judged {
        Ok(_) => StoredVerdict {
            status: VerdictStatus::Accepted,
            code: None,
            message: None,
            message_en: None,
            columns,
        },
        Err(refusal) => verdict_of(refusal, columns),
    };
    // Only a document whose signature verified may answer a later repeat of its bytes.
    let verified = checked.signature_verified();
    if !verified {
        // Bytes no key vouches for: counted, and kept without their raw bytes and only up to
        // the day's bound, so that a signed-in holder cannot fill the disk with them.
        receipts::count_unverified(writes, &batch.holder, &batch.day)?;
        if batch.unverified >= MAX_UNVERIFIED_PER_DAY {
            writes.release();
            K::kept(memo, document, plan, &verdict);
            return Ok(Outcome {
                verdict,
                verified_hash: None,
                counter: None,
                head: None,
                unverified: true,
            });
        }
    }
    fn kept(verified: bool, bytes: &[u8]) -> &[u8] {
        if verified { bytes } else { &[] }
    }
    receipts::insert(
        writes,
        K::TABLE,
        &Receipt {
            hash: &hash,
            verified,
            credential_id: if verified {
                &submission.credential_id
            } else {
                &submission.credential_id[..submission.credential_id.len().min(MAX_CREDENTIAL_ID)]
            },
            bytes: kept(verified, &submission.envelope),
            client_data_json: kept(verified, &submission.client_data_json),
            authenticator_data: kept(verified, &submission.authenticator_data),
            signature: kept(verified, &submission.signature),
            verdict: &verdict,
            received_at: now,
        },
    )?;
    let (target, mut detail) = K::audit(document, plan);
    if let Some(detail) = detail.as_object_mut() {
        detail.insert("code".to_owned(), json!(verdict.code));
        detail.insert(format!("{}_hash", K::NAME), json!(hash));
    }
    let outcome = match verdict.status {
        VerdictStatus::Accepted => "accept",
        VerdictStatus::Held => "hold",
        VerdictStatus::Rejected => "reject",
    };
    let record = audit::append_to(
        writes,
        &batch.head,
        Entry {
            actor: Some(&session.holder.info.id),
            credential: Some(&session.credential_id_b64),
            action: &format!("{}.{outcome}", K::NAME),
            target: &target.unwrap_or_else(|| format!("{}:{hash}", K::NAME)),
            detail,
        },
        now,
    )?;
    writes.release();
    // Run by the caller, now or with the batch (`SignedKind::DEFER_WRITES`).
    K::kept(memo, document, plan, &verdict);
    let counter = match &checked {
        Checked::Verified(verified) => Some((submission.credential_id.clone(), verified.counter)),
        Checked::Refused { .. } => None,
    };
    Ok(Outcome {
        verdict,
        verified_hash: verified.then_some(hash),
        counter,
        head: Some(audit::Head {
            seq: record.seq,
            hash: record.hash,
        }),
        unverified: !verified,
    })
}

/// How many submissions whose signature did not verify one signed-in holder may have recorded
/// a day (receipt without raw bytes, and audit entry); beyond it they are refused as before,
/// counted (`unverified_count`), and not recorded. A client that works as it should sends
/// none: they are forgeries, damaged data or a broken client.
pub const MAX_UNVERIFIED_PER_DAY: i64 = 200;

/// The longest credential id WebAuthn allows (Level 3 §5.1): what an unverified receipt keeps
/// of the one it names.
const MAX_CREDENTIAL_ID: usize = 1023;

/// The status as the logs name it.
fn status_code(status: VerdictStatus) -> &'static str {
    match status {
        VerdictStatus::Accepted => "accepted",
        VerdictStatus::Held => "held",
        VerdictStatus::Rejected => "rejected",
    }
}
