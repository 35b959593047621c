//! Building the envelope a clerk signs, signing it with the security key (offline if need be)
//! and putting the result in the outbox.
//!
//! The key signs `SHA-256(canonical bytes)`; those exact bytes are what is stored and sent.

use domain::payload::ApplicationPayload;
use domain::{
    ApplicationId, ClientId, CredentialId, EnvelopeError, EnvelopeHeader, SignedEnvelope, UserId,
    ValidationError,
};
use protocol::identity::SignedSubmission;

use crate::applications::outbox::{ItemStatus, OutboxItem};
use crate::clock::{self, ClockError};
use crate::i18n::{Lang, Msg};
use crate::state::Session;
use crate::storage_error::StorageError;
use crate::store;
use crate::sync::tabs::{self, Notice};
use crate::webauthn::{self, WebAuthnError};

/// An envelope ready to sign, with its canonical bytes (what the confirmation screen shows).
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub envelope: SignedEnvelope,
    pub bytes: Vec<u8>,
    pub payload: ApplicationPayload,
    /// What the lists show besides the payload (the reason, the person's name).
    pub summary: String,
}

impl Prepared {
    /// The canonical bytes as text (they are UTF-8 JSON).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Why an application could not be prepared, signed or stored.
#[derive(Debug, Clone, PartialEq)]
pub enum SigningError {
    /// The holder does not file applications for a unit.
    NotClerk,
    /// No credential id is kept for the holder.
    NoCredential,
    /// The clock gave no usable time.
    Clock,
    /// An id did not validate.
    Id(ValidationError),
    /// The envelope has no canonical form.
    Envelope(EnvelopeError),
    /// Local storage failed: nothing was saved.
    Storage(StorageError),
    /// The key refused or failed.
    WebAuthn(WebAuthnError),
    /// The key signed with another credential than the envelope names.
    CredentialMismatch,
}

impl SigningError {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            SigningError::NotClerk => Msg::ApplyNotClerk.text(lang).to_owned(),
            SigningError::NoCredential => Msg::NoCredential.text(lang).to_owned(),
            SigningError::Clock => Msg::ClockUnusable.text(lang).to_owned(),
            SigningError::Id(e) => match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.message_en(),
            },
            SigningError::Envelope(e) => match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.message_en(),
            },
            SigningError::Storage(e) => e.text(lang),
            SigningError::WebAuthn(e) => e.msg().text(lang).to_owned(),
            SigningError::CredentialMismatch => Msg::CredentialMismatch.text(lang).to_owned(),
        }
    }
}

impl From<ClockError> for SigningError {
    fn from(_: ClockError) -> Self {
        SigningError::Clock
    }
}

/// Builds the envelope for `payload` as the signed-in holder: a new application id, this
/// installation's client id, the next sequence number, the first kept credential, the
/// holder's unit, now.
pub async fn prepare(
    session: &Session,
    payload: ApplicationPayload,
    summary: String,
) -> Result<Prepared, SigningError> {
    let holder = &session.holder;
    if !holder.files_applications() {
        return Err(SigningError::NotClerk);
    }
    let unit = holder.unit().cloned().ok_or(SigningError::NotClerk)?;
    let credential = session
        .credential_ids
        .first()
        .ok_or(SigningError::NoCredential)?;
    let header = EnvelopeHeader {
        application_id: ApplicationId::parse(
            &crate::ids::random_uuid().map_err(SigningError::Storage)?,
        )
        .map_err(SigningError::Id)?,
        client_id: ClientId::parse(
            &store::client_id(&holder.id)
                .await
                .map_err(SigningError::Storage)?,
        )
        .map_err(SigningError::Id)?,
        sequence: store::next_sequence(&holder.id)
            .await
            .map_err(SigningError::Storage)?,
        signer: UserId::parse(&holder.id).map_err(SigningError::Id)?,
        credential_id: CredentialId::parse(credential).map_err(SigningError::Id)?,
        unit,
        created_at: clock::now()?,
    };
    let envelope = SignedEnvelope::new(header, &payload).map_err(SigningError::Envelope)?;
    let bytes = envelope.canonical_bytes().map_err(SigningError::Envelope)?;
    Ok(Prepared {
        envelope,
        bytes,
        payload,
        summary,
    })
}

/// Asks the key to sign `prepared` (no server needed) and stores the result in the outbox as
/// pending (committed before this returns), marking the application it `revises`, if any.
/// Returns the holder's outbox; on any error nothing was stored.
pub async fn sign_and_store(
    prepared: &Prepared,
    session: &Session,
    revises: Option<&str>,
) -> Result<Vec<OutboxItem>, SigningError> {
    let assertion = sign_with_named_key(
        &prepared.bytes,
        prepared.envelope.credential_id.as_str(),
        session,
    )
    .await?;
    let item = OutboxItem {
        application_id: prepared.envelope.application_id.as_str().to_owned(),
        kind: prepared.envelope.kind.code().to_owned(),
        summary: prepared.summary.clone(),
        sequence: prepared.envelope.sequence,
        signer: prepared.envelope.signer.as_str().to_owned(),
        signed_at: clock::now()?.to_string(),
        submission: SignedSubmission {
            envelope: domain::canonical::base64url(&prepared.bytes),
            credential_id: assertion.credential_id,
            client_data_json: assertion.client_data_json,
            authenticator_data: assertion.authenticator_data,
            signature: assertion.signature,
        },
        status: ItemStatus::Pending,
        revised_by: None,
    };
    let holder = &session.holder.id;
    match revises {
        None => store::add_to_outbox(holder, &item).await,
        Some(original) => store::add_revision(holder, &item, original).await,
    }
    .map_err(SigningError::Storage)?;
    tabs::announce(Notice::Queued);
    store::outbox(holder).await.map_err(SigningError::Storage)
}

/// Asks the security key to sign SHA-256 of `bytes` (a document's canonical bytes) with the
/// one credential the document names — what is signed is what was confirmed — and checks that
/// this credential answered. Applications and decisions are signed this way.
pub async fn sign_with_named_key(
    bytes: &[u8],
    credential: &str,
    session: &Session,
) -> Result<webauthn::Assertion, SigningError> {
    let challenge = domain::canonical::sha256(bytes);
    let credential = credential.to_owned();
    let assertion = webauthn::sign(
        &challenge,
        &session.rp_id,
        std::slice::from_ref(&credential),
    )
    .await
    .map_err(SigningError::WebAuthn)?;
    if assertion.credential_id != credential {
        return Err(SigningError::CredentialMismatch);
    }
    Ok(assertion)
}
