//! The one pipeline of every signed document: [`receive`] takes a submission through one
//! `BEGIN IMMEDIATE` transaction, whatever its kind:
//!
//! 1. a repeat of bytes already received whose signature verified gets the first verdict and
//!    changes nothing;
//! 2. the signature and everything around it is checked ([`verify::check`]: the bytes are
//!    parsed once, and the document comes back even when it is refused, for the record);
//! 3. a valid signature raises its key's highest counter, whatever follows (a counter that went
//!    backwards holds the document for review and raises nothing);
//! 4. the kind judges the verified document ([`SignedKind::judge`]: reads only) and, when it
//!    accepts it, carries out its effects ([`SignedKind::apply`]: writes only, refuses nothing);
//! 5. the receipt — raw bytes, assertion, verdict, the kind's columns — is stored, and the
//!    verdict audited (`{kind}.accept`, `{kind}.reject`, `{kind}.hold`);
//! 6. commit.
//!
//! A kind of signed document is a [`SignedKind`]: its judgement, its effects, and how its
//! receipt, audit entry and verdict read. See [`super::application`] and [`super::decision`].

use std::future::Future;

use anyhow::Context;
use domain::canonical::{hex, sha256};
use domain::{Timestamp, UserId};
use protocol::identity::{SignedSubmission as WireSubmission, VerdictStatus};
use serde_json::{Value, json};
use webauthn_rs::prelude::Credential;

use super::refusal::Refusal;
use super::verify::{
    self, Checked, KnownCredential, SignedDocument, SignedSubmission, decode_b64url,
};
use crate::db::audit::{self, Entry};
use crate::db::receipts::{self, Receipt, ReceiptTable, StoredVerdict};
use crate::db::{self, Conn, credentials};
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

    /// The rules that need the database, once the signature verified: the plan, or why not.
    /// Reads only, so that a refusal changes nothing.
    fn judge(
        &self,
        conn: &mut Conn,
        received: Received<'_>,
    ) -> impl Future<Output = anyhow::Result<Result<Self::Plan, Refusal>>> + Send;

    /// The effects of an accepted document, in the receiver's transaction.
    fn apply(
        &self,
        plan: &Self::Plan,
        conn: &mut Conn,
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
        columns,
    }
}

/// The stored key with raw id `id`, as the verifier takes it.
async fn known_credential(conn: &mut Conn, id: &[u8]) -> anyhow::Result<Option<KnownCredential>> {
    let Some(stored) = credentials::load(conn, id).await? else {
        return Ok(None);
    };
    Ok(Some(KnownCredential {
        credential_id: stored.id,
        holder: UserId::parse(&stored.holder_id).map_err(|e| anyhow::anyhow!(e.message_en()))?,
        credential: Credential::from(stored.passkey),
        revoked: stored.revoked,
        highest_counter: u32::try_from(stored.highest_envelope_counter).unwrap_or(u32::MAX),
    }))
}

/// Receives one signed document of kind `K`, carried by `session`: see the module
/// documentation.
pub async fn receive<K: SignedKind>(
    state: &AppState,
    session: &Session,
    submission: &SignedSubmission,
) -> Result<K::Verdict, ApiError> {
    let hash = hex(&sha256(&submission.envelope));
    let mut tx = db::write(&state.pool)
        .await
        .with_context(|| format!("starting to receive a {}", K::NAME))?;
    if let Some(first) = receipts::first_verdict(&mut tx, K::TABLE, &hash).await? {
        return Ok(K::verdict(&first));
    }
    let now = crate::clock::now();
    let received = Received { hash: &hash, now };
    let known = known_credential(&mut tx, &submission.credential_id).await?;
    let checked = verify::check::<K>(submission, known.as_ref(), &state.identity.policy, now);
    let judged = match &checked {
        Checked::Verified(verified) => {
            credentials::raise_counter(&mut tx, &submission.credential_id, verified.counter)
                .await?;
            verified.document.judge(&mut tx, received).await?
        }
        Checked::Refused { refusal, .. } => Err(refusal.clone()),
    };
    let plan = match (&checked, &judged) {
        (Checked::Verified(verified), Ok(plan)) => {
            verified.document.apply(plan, &mut tx, received).await?;
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
            columns,
        },
        Err(refusal) => verdict_of(refusal, columns),
    };
    receipts::insert(
        &mut tx,
        K::TABLE,
        &Receipt {
            hash: &hash,
            // Only a document whose signature verified may answer a later repeat of its bytes.
            verified: checked.signature_verified(),
            credential_id: &submission.credential_id,
            bytes: &submission.envelope,
            client_data_json: &submission.client_data_json,
            authenticator_data: &submission.authenticator_data,
            signature: &submission.signature,
            verdict: &verdict,
            received_at: now,
        },
    )
    .await?;
    let (target, mut detail) = K::audit(document, plan);
    if let Some(detail) = detail.as_object_mut() {
        detail.insert("code".to_owned(), json!(verdict.code));
        detail.insert(format!("{}_hash", K::NAME), json!(hash));
    }
    let (outcome, status) = match verdict.status {
        VerdictStatus::Accepted => ("accept", "accepted"),
        VerdictStatus::Held => ("hold", "held"),
        VerdictStatus::Rejected => ("reject", "rejected"),
    };
    audit::append(
        &mut tx,
        Entry {
            actor: Some(&session.holder.info.id),
            credential: Some(&session.credential_id_b64),
            action: &format!("{}.{outcome}", K::NAME),
            target: &target.unwrap_or_else(|| format!("{}:{hash}", K::NAME)),
            detail,
        },
        now,
    )
    .await?;
    tx.commit()
        .await
        .with_context(|| format!("committing a {}", K::NAME))?;
    if verdict.status != VerdictStatus::Accepted {
        tracing::info!(
            code = verdict.code.as_deref().unwrap_or(""),
            status,
            "{} not accepted",
            K::NAME
        );
    }
    Ok(K::verdict(&verdict))
}
