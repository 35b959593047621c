//! Building the decision a reviewer (or a clerk withdrawing) signs, signing it with the security
//! key exactly as an application is signed (offline if need be: challenge =
//! `SHA-256(canonical bytes)`), and keeping it in the outbox until the sync sends it.

use domain::decision::DecisionError;
use domain::{
    Action, ApplicationId, CredentialId, DecisionHeader, DecisionId, SignedDecision, UserId,
};
use protocol::identity::SignedSubmission;

use crate::applications::decision::QueuedDecision;
use crate::applications::outbox::ItemStatus;
use crate::applications::signing::{self, SigningError};
use crate::applications::tracked::TrackedApplication;
use crate::clock;
use crate::i18n::Lang;
use crate::state::Session;
use crate::store;
use crate::sync::tabs::{self, Notice};

/// A decision ready to sign, with its canonical bytes (what the confirmation shows).
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedDecision {
    pub decision: SignedDecision,
    pub bytes: Vec<u8>,
    /// The application it decides on, as the queue showed it.
    pub application: TrackedApplication,
}

impl PreparedDecision {
    /// The canonical bytes as text (UTF-8 JSON).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Why a decision could not be prepared, signed or stored.
#[derive(Debug, Clone, PartialEq)]
pub enum DecideError {
    /// What signing an application can fail on (key, clock, storage, ids).
    Signing(SigningError),
    /// The decision breaks a rule of its own (a return without a reason …).
    Decision(DecisionError),
}

impl DecideError {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            DecideError::Signing(e) => e.text(lang),
            DecideError::Decision(e) => match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.message_en(),
            },
        }
    }
}

impl From<SigningError> for DecideError {
    fn from(e: SigningError) -> Self {
        DecideError::Signing(e)
    }
}

/// Builds the decision `action` with `note` on `application` as the signed-in holder: a new
/// decision id, the first kept credential, now. The domain checks the document (a return or
/// rejection needs a note).
pub fn prepare(
    session: &Session,
    application: &TrackedApplication,
    action: Action,
    note: &str,
) -> Result<PreparedDecision, DecideError> {
    let credential = session
        .credential_ids
        .first()
        .ok_or(SigningError::NoCredential)?;
    let id = crate::ids::random_uuid().map_err(SigningError::Storage)?;
    let header = DecisionHeader {
        decision_id: DecisionId::parse(&id).map_err(SigningError::Id)?,
        application_id: ApplicationId::parse(&application.application_id)
            .map_err(SigningError::Id)?,
        decider: UserId::parse(&session.holder.id).map_err(SigningError::Id)?,
        credential_id: CredentialId::parse(credential).map_err(SigningError::Id)?,
        created_at: clock::now().map_err(SigningError::from)?,
    };
    let decision = SignedDecision::new(header, action, note).map_err(DecideError::Decision)?;
    let bytes = decision.canonical_bytes().map_err(DecideError::Decision)?;
    Ok(PreparedDecision {
        decision,
        bytes,
        application: application.clone(),
    })
}

/// Asks the key to sign `prepared` (no server needed) and stores it in the outbox as pending
/// (committed before this returns); tells the syncing tab. On any error nothing was stored.
pub async fn sign_and_store(
    prepared: &PreparedDecision,
    session: &Session,
) -> Result<QueuedDecision, DecideError> {
    // Taken before the key signs, so that the sending order is the signing order.
    let sequence = store::next_sequence(&session.holder.id)
        .await
        .map_err(SigningError::Storage)?;
    let assertion = signing::sign_with_named_key(
        &prepared.bytes,
        prepared.decision.credential_id.as_str(),
        session,
    )
    .await?;
    let decision = &prepared.decision;
    let queued = QueuedDecision {
        decision_id: decision.decision_id.as_str().to_owned(),
        application_id: decision.application_id.as_str().to_owned(),
        unit_id: prepared.application.unit_id.clone(),
        kind: prepared.application.kind,
        action: decision.action,
        note: decision.note.clone(),
        signer: decision.decider.as_str().to_owned(),
        signed_at: decision.created_at.to_string(),
        sequence,
        submission: SignedSubmission {
            envelope: domain::canonical::base64url(&prepared.bytes),
            credential_id: assertion.credential_id,
            client_data_json: assertion.client_data_json,
            authenticator_data: assertion.authenticator_data,
            signature: assertion.signature,
        },
        status: ItemStatus::Pending,
        application_status: None,
        number: None,
    };
    store::add_decision(&session.holder.id, &queued)
        .await
        .map_err(SigningError::Storage)?;
    tabs::announce(Notice::Queued);
    Ok(queued)
}
