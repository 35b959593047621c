//! Signing a signed act (`domain::act::SignedAct`) with the security key and sending it to
//! `POST /api/acts`, for every page that changes authoritative data by act: built as the
//! signed-in holder (a new act id, the first kept credential, now), signed exactly as an
//! application or decision is (challenge = SHA-256 of the canonical bytes, the credential the
//! act names), sent at once — acts are not queued: the page shows the verdict.

use domain::act::{ACT_VERSION, ActKind, ActTag, SignedAct};
use domain::{CredentialId, DecisionId, UserId};
use protocol::admin::{ActRequest, ActVerdict};
use protocol::identity::SignedSubmission;
use serde::Serialize;

use crate::api::{self, ApiError};
use crate::applications::signing::{self, SigningError};
use crate::clock;
use crate::i18n::{Lang, Msg};
use crate::state::Session;

/// Why an act was not signed or not answered.
#[derive(Debug, Clone, PartialEq)]
pub enum ActSignError {
    /// Key, clock or ids.
    Signing(SigningError),
    /// The act has no canonical form (its payload is not JSON the canonical form can write).
    Unsignable,
    /// The server did not answer with a verdict.
    Api(ApiError),
}

impl ActSignError {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            ActSignError::Signing(e) => e.text(lang),
            ActSignError::Unsignable => Msg::ActUnsignable.text(lang).to_owned(),
            ActSignError::Api(e) => e.text(lang),
        }
    }
}

impl From<SigningError> for ActSignError {
    fn from(e: SigningError) -> Self {
        ActSignError::Signing(e)
    }
}

/// Builds, signs and sends the act of `kind` with `payload` (the kind's payload type of
/// `domain::act`) as `session`'s holder; the server's verdict (accepted, or refused with its
/// reason in both languages). Each page serialises only its own kinds' payloads (the client's
/// size), rather than going through `ActPayload`, which links every kind's.
pub async fn sign_and_send<P: Serialize>(
    session: &Session,
    kind: ActKind,
    payload: &P,
) -> Result<ActVerdict, ActSignError> {
    let credential = session
        .credential_ids
        .first()
        .ok_or(SigningError::NoCredential)?;
    let id = crate::ids::random_uuid().map_err(SigningError::Storage)?;
    let act = SignedAct {
        tag: ActTag,
        version: ACT_VERSION,
        act_id: DecisionId::parse(&id).map_err(SigningError::Id)?,
        signer: UserId::parse(&session.holder.id).map_err(SigningError::Id)?,
        credential_id: CredentialId::parse(credential).map_err(SigningError::Id)?,
        kind,
        created_at: clock::now().map_err(SigningError::from)?,
        payload: serde_json::to_value(payload).map_err(|_| ActSignError::Unsignable)?,
    };
    let bytes = act
        .canonical_bytes()
        .map_err(|_| ActSignError::Unsignable)?;
    let assertion =
        signing::sign_with_named_key(&bytes, act.credential_id.as_str(), session).await?;
    let request = ActRequest {
        submission: SignedSubmission {
            envelope: domain::canonical::base64url(&bytes),
            credential_id: assertion.credential_id,
            client_data_json: assertion.client_data_json,
            authenticator_data: assertion.authenticator_data,
            signature: assertion.signature,
        },
    };
    api::submit_act(&session.csrf_token, &request)
        .await
        .map_err(ActSignError::Api)
}

/// The reason of a refused verdict in `lang` (its English text when the server sent one).
pub fn verdict_reason(verdict: &ActVerdict, lang: Lang) -> String {
    match (lang, &verdict.message_en) {
        (Lang::En, Some(en)) if !en.is_empty() => en.clone(),
        _ => verdict.message.clone().unwrap_or_default(),
    }
}
