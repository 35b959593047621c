//! The two WebAuthn ceremonies with the server: registering a security key with an enrolment
//! code, and signing in with it. Each is begin (the server's options) → the browser's
//! `navigator.credentials` → finish, with the step under way shown as it goes.

use leptos::prelude::*;
use protocol::identity::{CeremonyFinish, Enrolled, SessionInfo};

use crate::api::{self, ApiError};
use crate::i18n::{Lang, Msg};
use crate::webauthn::{self, WebAuthnError};

/// Why a ceremony with the server and the key (enrolment, sign-in) failed.
pub enum CeremonyError {
    Api(ApiError),
    Key(WebAuthnError),
}

impl CeremonyError {
    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            CeremonyError::Api(e) => e.text(lang),
            CeremonyError::Key(e) => e.msg().text(lang).to_owned(),
        }
    }
}

/// Registers a key with the enrolment `code`: begin → create → finish.
pub async fn enrol(code: &str, progress: RwSignal<Option<Msg>>) -> Result<Enrolled, CeremonyError> {
    progress.set(Some(Msg::ProgressContacting));
    let begun = api::enrol_begin(code).await.map_err(CeremonyError::Api)?;
    progress.set(Some(Msg::ProgressTouchKey));
    let credential = webauthn::create(&begun.options)
        .await
        .map_err(CeremonyError::Key)?;
    progress.set(Some(Msg::ProgressVerifying));
    api::enrol_finish(&CeremonyFinish {
        ceremony: begun.ceremony,
        credential,
    })
    .await
    .map_err(CeremonyError::Api)
}

/// Signs `login` in with their key: begin → get → finish (the server sets the session cookie).
pub async fn sign_in(
    login: &str,
    progress: RwSignal<Option<Msg>>,
) -> Result<SessionInfo, CeremonyError> {
    progress.set(Some(Msg::ProgressContacting));
    let begun = api::sign_in_begin(login)
        .await
        .map_err(CeremonyError::Api)?;
    progress.set(Some(Msg::ProgressTouchKey));
    let credential = webauthn::get(&begun.options)
        .await
        .map_err(CeremonyError::Key)?;
    progress.set(Some(Msg::ProgressVerifying));
    api::sign_in_finish(&CeremonyFinish {
        ceremony: begun.ceremony,
        credential,
    })
    .await
    .map_err(CeremonyError::Api)
}
