//! Building a bureau act (`domain::act::SignedAct`, tag `dzbzglz.act`) as the signed-in holder
//! and signing it with the security key exactly as applications and decisions are signed
//! (challenge = `SHA-256(canonical bytes)`, the one credential the act names). An act changes
//! authoritative data, so it is not queued: the page sends it at once (`api::submit_act`) and
//! keeps the signed submission to send again if no answer came.

use domain::act::{ActError, ActPayload, SignedAct};
use domain::{CredentialId, DecisionId, UserId};
use protocol::identity::SignedSubmission;

use crate::applications::signing::{self, SigningError};
use crate::clock;
use crate::i18n::Lang;
use crate::state::Session;

/// An act ready to sign, with its canonical bytes (what the confirmation shows).
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedAct {
    pub act: SignedAct,
    pub bytes: Vec<u8>,
    pub payload: ActPayload,
}

impl PreparedAct {
    /// The canonical bytes as text (UTF-8 JSON).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Why an act could not be prepared or signed.
#[derive(Debug, Clone, PartialEq)]
pub enum ActingError {
    /// What signing any document can fail on (key, clock, ids).
    Signing(SigningError),
    /// The act has no canonical form.
    Act(ActError),
}

impl ActingError {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ActingError::Signing(e) => e.text(lang),
            ActingError::Act(e) => match lang {
                Lang::Zh => e.message_zh(),
                Lang::En => e.message_en(),
            },
        }
    }
}

impl From<SigningError> for ActingError {
    fn from(e: SigningError) -> Self {
        ActingError::Signing(e)
    }
}

/// Builds the act of `payload` as the signed-in holder: a new act id, the first kept
/// credential, now.
pub fn prepare(session: &Session, payload: ActPayload) -> Result<PreparedAct, ActingError> {
    let credential = session
        .credential_ids
        .first()
        .ok_or(SigningError::NoCredential)?;
    let id = crate::ids::random_uuid().map_err(SigningError::Storage)?;
    let act = SignedAct::new(
        DecisionId::parse(&id).map_err(SigningError::Id)?,
        UserId::parse(&session.holder.id).map_err(SigningError::Id)?,
        CredentialId::parse(credential).map_err(SigningError::Id)?,
        clock::now().map_err(SigningError::from)?,
        &payload,
    )
    .map_err(ActingError::Act)?;
    let bytes = act.canonical_bytes().map_err(ActingError::Act)?;
    Ok(PreparedAct {
        act,
        bytes,
        payload,
    })
}

/// Asks the key to sign `prepared` and returns the submission to send.
pub async fn sign(
    prepared: &PreparedAct,
    session: &Session,
) -> Result<SignedSubmission, ActingError> {
    let assertion = signing::sign_with_named_key(
        &prepared.bytes,
        prepared.act.credential_id.as_str(),
        session,
    )
    .await?;
    Ok(SignedSubmission {
        envelope: domain::canonical::base64url(&prepared.bytes),
        credential_id: assertion.credential_id,
        client_data_json: assertion.client_data_json,
        authenticator_data: assertion.authenticator_data,
        signature: assertion.signature,
    })
}
