//! Building a bureau act (`domain::act::SignedAct`, tag `dzbzglz.act`) as the signed-in holder
//! and signing it with the security key exactly as applications and decisions are signed
//! (challenge = `SHA-256(canonical bytes)`, the one credential the act names). An act changes
//! authoritative data, so it is not queued: the page sends it at once (`api::submit_act`) and
//! keeps the signed submission to send again if no answer came. The bureau's acts page
//! (`pages::admin::acts`) prepares, shows and signs in steps; the data-verification page signs
//! and sends in one ([`sign_and_send`]).

use domain::act::{ActError, ActPayload, SignedAct};
use domain::{CredentialId, DecisionId, UserId};
use protocol::admin::{ActRequest, ActVerdict};
use protocol::identity::SignedSubmission;

use crate::api::{self, ApiError};
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

/// Why [`sign_and_send`] came to no verdict.
#[derive(Debug, Clone, PartialEq)]
pub enum SendError {
    /// Not prepared or not signed.
    Acting(ActingError),
    /// The server did not answer with a verdict.
    Api(ApiError),
}

impl SendError {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            SendError::Acting(e) => e.text(lang),
            SendError::Api(e) => e.text(lang),
        }
    }
}

/// Prepares, signs and sends the act of `payload` at once; the server's verdict (accepted, or
/// refused with its reason in both languages).
pub async fn sign_and_send(
    session: &Session,
    payload: ActPayload,
) -> Result<ActVerdict, SendError> {
    let prepared = prepare(session, payload).map_err(SendError::Acting)?;
    let submission = sign(&prepared, session).await.map_err(SendError::Acting)?;
    api::submit_act(&session.csrf_token, &ActRequest { submission })
        .await
        .map_err(SendError::Api)
}

/// The reason of a refused verdict in `lang` (its English text when the server sent one).
pub fn verdict_reason(verdict: &ActVerdict, lang: Lang) -> String {
    match (lang, &verdict.message_en) {
        (Lang::En, Some(en)) if !en.is_empty() => en.clone(),
        _ => verdict.message.clone().unwrap_or_default(),
    }
}
